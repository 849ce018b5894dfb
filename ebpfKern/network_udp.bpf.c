/* SPDX-License-Identifier: GPL-2.0-only */
/* NetworkConnect (3), UDP: the datagrams a process sends or receives.
 * Sent: every datagram as it reaches a device queue (net:net_dev_queue),
 * whatever call sent it (sendto/sendmsg, write/writev on a connected
 * socket, sendfile/splice, io_uring), with the destination from its IP and
 * UDP headers (what the kernel used, not the caller's buffer). The
 * send/connect calls only note who owns the socket, for packets that leave
 * later from interrupt context. Received: at the exit of
 * recvfrom/recvmsg/recvmmsg (arguments saved by sm_sys_enter). A
 * conversation is process + local endpoint + remote endpoint; the first
 * datagram's direction gives Initiated. The kernel lets at most one record
 * per conversation through per SM_UDP_KERNEL_WINDOW_NS (one map lookup per
 * datagram otherwise): a flood cannot flood the event buffer. The
 * user-visible window (one event per conversation per N seconds) is
 * applied in user space. */

#include "sm_args.bpf.h"
#include "sm_common.bpf.h"
#include "sm_net.bpf.h"
#include "sm_record.bpf.h"

#define SM_UDP_KERNEL_WINDOW_NS 1000000000ull

struct sm_udp_key {
	u32 pid;
	u16 lport;
	u16 rport;
	u8 laddr[16];
	u8 raddr[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct sm_udp_key);
	__type(value, u64);               /* ktime of the last record */
} sm_udp_seen SEC(".maps");

/* One datagram of sk with peer p, by actor a: a record unless the
 * conversation had one within the kernel window. */
static __always_inline void sm_udp_one(void *ctx, struct sock *sk,
				       u16 family, const struct sm_peer *p,
				       const struct sm_actor *a, u8 sent)
{
	struct sm_udp_key k = {};
	struct sm_rec_net r = {};
	u64 now, *seen;

	k.pid = a->pid;
	sm_sk_local(sk, family, k.laddr, &k.lport);
	k.rport = p->port;
	__builtin_memcpy(k.raddr, p->addr, sizeof(k.raddr));
	now = bpf_ktime_get_ns();
	seen = bpf_map_lookup_elem(&sm_udp_seen, &k);
	if (seen && now - *seen < SM_UDP_KERNEL_WINDOW_NS)
		return;
	bpf_map_update_elem(&sm_udp_seen, &k, &now, BPF_ANY);

	sm_rec_start(&r.h, SM_REC_NET);
	r.a = *a;
	__builtin_memcpy(r.laddr, k.laddr, sizeof(r.laddr));
	__builtin_memcpy(r.raddr, k.raddr, sizeof(r.raddr));
	r.lport = k.lport;
	r.rport = k.rport;
	r.family = family;
	r.proto = SM_IPPROTO_UDP;
	r.initiated = sent;
	sm_rec_send(ctx, &r.h, sizeof(r));
}

/* A datagram received by the current process, from name. */
static __always_inline void sm_udp_recv_one(void *ctx, struct sock *sk,
					    u16 family, u64 name)
{
	struct sm_actor a;
	struct sm_peer p = {};

	if (sm_io_peer(sk, family, SM_IPPROTO_UDP, name, &p))
		return;
	sm_net_actor(&a);
	sm_udp_one(ctx, sk, family, &p, &a, 0);
}

/* A send/receive call's exit. A send only notes the socket's owner: its
 * datagrams are logged as they leave (sm_udp_xmit). */
static __always_inline int sm_udp_io(void *ctx, s32 nr, long ret, int kind,
				     u8 sent)
{
	struct sm_args *a;
	struct sock *sk;
	u16 family;
	u64 base;

	if (ret < 0 || sm_is_self())
		return 0;
	a = sm_args_peek(nr);
	if (!a)
		return 0;
	/* unix and netlink datagrams: leave before looking up the socket */
	if (kind != SM_IO_MMSG) {
		u16 port, fam = sm_name_head(sm_io_name(a, kind), &port);

		if (fam && !sm_inet(fam))
			return 0;
	}
	sk = sm_fd_sock(a->args[0]);
	if (!sk || sm_sk_proto(sk, &family) != SM_IPPROTO_UDP)
		return 0;
	if (sent) {
		sm_udp_owner_note(sk);
		return 0;
	}
	if (kind != SM_IO_MMSG) {
		sm_udp_recv_one(ctx, sk, family, sm_io_name(a, kind));
		return 0;
	}
	base = a->args[1];
	SM_UNROLL
	for (int i = 0; i < SM_MMSG_MAX; i++) {
		u64 name = 0;

		if (i >= ret)
			break;
		bpf_probe_read_user(&name, sizeof(name),
				    (void *)(base + i * sizeof(struct sm_mmsghdr)));
		sm_udp_recv_one(ctx, sk, family, name);
	}
	return 0;
}

/* A datagram leaving: the record of its conversation, its destination
 * read from its headers. */
SEC("tracepoint/net/net_dev_queue")
int sm_udp_xmit(struct sm_tp_dev_queue *ctx)
{
	struct sm_dgram d = {};
	struct sm_actor a;

	if (sm_skb_udp(ctx->skb, &d) || sm_xmit_actor(d.sk, &a))
		return 0;
	sm_udp_one(ctx, d.sk, d.family, &d.peer, &a, 1);
	return 0;
}

/* connect() of a UDP socket: its owner, for write/writev/sendfile on it */
SEC("tracepoint/syscalls/sys_exit_connect")
int sm_udp_connect_exit(struct sm_sys_exit *ctx)
{
	struct sm_args *a;
	struct sock *sk;
	u16 family;

	if (ctx->ret < 0 || sm_is_self())
		return 0;
	a = sm_args_peek(ctx->nr);
	if (!a)
		return 0;
	sk = sm_fd_sock(a->args[0]);
	if (sk && sm_sk_proto(sk, &family) == SM_IPPROTO_UDP)
		sm_udp_owner_note(sk);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int sm_udp_sendto_exit(struct sm_sys_exit *ctx)
{
	return sm_udp_io(ctx, ctx->nr, ctx->ret, SM_IO_PLAIN, 1);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int sm_udp_sendmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_udp_io(ctx, ctx->nr, ctx->ret, SM_IO_MSG, 1);
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int sm_udp_sendmmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_udp_io(ctx, ctx->nr, ctx->ret, SM_IO_MMSG, 1);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int sm_udp_recvfrom_exit(struct sm_sys_exit *ctx)
{
	return sm_udp_io(ctx, ctx->nr, ctx->ret, SM_IO_PLAIN, 0);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int sm_udp_recvmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_udp_io(ctx, ctx->nr, ctx->ret, SM_IO_MSG, 0);
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int sm_udp_recvmmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_udp_io(ctx, ctx->nr, ctx->ret, SM_IO_MMSG, 0);
}

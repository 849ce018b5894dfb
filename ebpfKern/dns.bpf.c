/* SPDX-License-Identifier: GPL-2.0-only */
/* DNSQuery (22): DNS messages a process exchanges with a server on port
 * 53, copied (at most SM_DNS_MSG_MAX bytes each). Queries over UDP: from
 * the packet as it reaches a device queue (net:net_dev_queue), whatever
 * call sent it, so the bytes and the port are the kernel's copy, not the
 * caller's buffer. Queries over TCP: at the exit of sendto/sendmsg/
 * sendmmsg; responses: at the exit of recvfrom/recvmsg/recvmmsg, with the
 * arguments sm_dns_enter saved (the calls return only after the bytes are
 * in place). User space parses and pairs them. */

#include "sm_args.bpf.h"
#include "sm_common.bpf.h"
#include "sm_net.bpf.h"
#include "sm_record.bpf.h"

#define SM_DNS_PORT 53

/* The arguments of the call, saved as sm_sys_enter saves them; a program
 * of its own because a program cannot be attached twice to one tracepoint
 * and UDP NetworkConnect attaches sm_sys_enter to the same ones. */
SEC("tracepoint")
int sm_dns_enter(struct sm_sys_enter *ctx)
{
	return sm_args_save_all(ctx);
}

/* Emit one message of actor a: len bytes at buf, a user address, or a
 * kernel one when kern. */
static __always_inline void sm_dns_emit(void *ctx, u64 buf, u64 len,
					u32 proto, u16 port, u8 dir,
					const struct sm_actor *a, int kern)
{
	struct sm_scratch *s;
	struct sm_rec_dns *r;
	u32 n = len, flags = 0;

	if (len < 12) /* not even a DNS header */
		return;
	if (len > SM_DNS_MSG_MAX) {
		n = SM_DNS_MSG_MAX;
		flags = SM_RF_DNS_TRUNC;
	}
	s = sm_rec_alloc(SM_REC_DNS);
	if (!s)
		return;
	r = (void *)s->rec;
	/* the bound again, right at the call and out of the compiler's
	 * reach: it may otherwise keep n on the stack, where older
	 * verifiers lose what the comparisons above proved */
	asm volatile("%0 &= %1" : "+r"(n) : "i"(2 * SM_DNS_MSG_MAX - 1));
	if ((kern ? bpf_probe_read_kernel(&s->rec[sizeof(*r)], n, (void *)buf)
		  : bpf_probe_read_user(&s->rec[sizeof(*r)], n, (void *)buf))) {
		sm_scratch_put(s);
		return;
	}
	r->a = *a;
	r->proto = proto;
	r->dir = dir;
	r->rport = port;
	r->flags = flags;
	r->msg.off = sizeof(*r);
	r->msg.len = n;
	sm_rec_end(ctx, s, sizeof(*r) + n);
}

/* The payload of a msghdr: its first buffer, or, when that holds only a
 * TCP message's 2-byte length prefix, the second. *len: bytes moved. */
static __always_inline u64 sm_dns_iov(u64 iov, u64 iovlen, u32 proto,
				      u64 *len)
{
	struct sm_iovec v[2] = {};

	if (!iovlen || bpf_probe_read_user(&v[0], sizeof(v[0]), (void *)iov))
		return 0;
	if (proto == SM_IPPROTO_TCP && v[0].len == 2 && iovlen > 1 && *len > 2) {
		if (bpf_probe_read_user(&v[1], sizeof(v[1]),
					(void *)(iov + sizeof(v[0]))))
			return 0;
		*len -= 2;
		v[0] = v[1];
	}
	if (*len > v[0].len)
		*len = v[0].len;
	return v[0].base;
}

/* One message of a call: a msghdr in user memory, len bytes moved. */
static __always_inline void sm_dns_msg(void *ctx, struct sock *sk,
				       u16 family, u32 proto, u64 uhdr,
				       u64 len, u8 dir)
{
	struct sm_msghdr m;
	struct sm_actor a;
	struct sm_peer p;
	u64 buf;

	if (bpf_probe_read_user(&m, sizeof(m), (void *)uhdr))
		return;
	if (sm_io_peer(sk, family, proto, m.name, &p) || p.port != SM_DNS_PORT)
		return;
	buf = sm_dns_iov(m.iov, m.iovlen, proto, &len);
	sm_net_actor(&a);
	if (buf)
		sm_dns_emit(ctx, buf, len, proto, p.port, dir, &a, 0);
}

static __always_inline int sm_dns_io(void *ctx, s32 nr, long ret, int kind,
				     u8 dir)
{
	struct sm_actor who;
	struct sm_args *a;
	struct sm_peer p;
	struct sock *sk;
	u16 family;
	u32 proto;

	if (ret <= 0 || sm_is_self())
		return 0;
	a = sm_args_peek(nr);
	if (!a)
		return 0;
	/* most calls name a peer that is no DNS server (another family or
	 * port): leave before looking up the socket. Only a TCP call passing
	 * a stale or bogus address (TCP ignores it) could be missed. */
	if (kind != SM_IO_MMSG) {
		u16 port, fam = sm_name_head(sm_io_name(a, kind), &port);

		if (fam && (!sm_inet(fam) || port != SM_DNS_PORT))
			return 0;
	}
	sk = sm_fd_sock(a->args[0]);
	if (!sk)
		return 0;
	proto = sm_sk_proto(sk, &family);
	if (proto != SM_IPPROTO_UDP && proto != SM_IPPROTO_TCP)
		return 0;
	/* UDP queries are logged as they leave (sm_dns_xmit) */
	if (proto == SM_IPPROTO_UDP && dir == SM_DNS_QUERY) {
		sm_udp_owner_note(sk);
		return 0;
	}
	if (kind == SM_IO_PLAIN) {
		if (sm_io_peer(sk, family, proto, a->args[4], &p) ||
		    p.port != SM_DNS_PORT)
			return 0;
		sm_net_actor(&who);
		sm_dns_emit(ctx, a->args[1], ret, proto, p.port, dir, &who, 0);
		return 0;
	}
	if (kind == SM_IO_MSG) {
		sm_dns_msg(ctx, sk, family, proto, a->args[1], ret, dir);
		return 0;
	}
	SM_UNROLL
	for (int i = 0; i < SM_MMSG_MAX; i++) {
		u64 hdr = a->args[1] + i * sizeof(struct sm_mmsghdr);
		u32 len = 0;

		if (i >= ret)
			break;
		bpf_probe_read_user(&len, sizeof(len),
				    (void *)(hdr + sizeof(struct sm_msghdr)));
		sm_dns_msg(ctx, sk, family, proto, hdr, len, dir);
	}
	return 0;
}

/* A UDP query leaving: its bytes and port from the packet. A payload
 * not in the packet's linear part (sendfile/splice pages) is not read. */
SEC("tracepoint/net/net_dev_queue")
int sm_dns_xmit(struct sm_tp_dev_queue *ctx)
{
	struct sm_dgram d = {};
	struct sm_actor a;

	if (sm_skb_udp(ctx->skb, &d) || d.peer.port != SM_DNS_PORT ||
	    sm_xmit_actor(d.sk, &a))
		return 0;
	sm_dns_emit(ctx, d.payload, d.plen, SM_IPPROTO_UDP, SM_DNS_PORT,
		    SM_DNS_QUERY, &a, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int sm_dns_sendto_exit(struct sm_sys_exit *ctx)
{
	return sm_dns_io(ctx, ctx->nr, ctx->ret, SM_IO_PLAIN, SM_DNS_QUERY);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int sm_dns_sendmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_dns_io(ctx, ctx->nr, ctx->ret, SM_IO_MSG, SM_DNS_QUERY);
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int sm_dns_sendmmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_dns_io(ctx, ctx->nr, ctx->ret, SM_IO_MMSG, SM_DNS_QUERY);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int sm_dns_recvfrom_exit(struct sm_sys_exit *ctx)
{
	return sm_dns_io(ctx, ctx->nr, ctx->ret, SM_IO_PLAIN, SM_DNS_RESPONSE);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int sm_dns_recvmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_dns_io(ctx, ctx->nr, ctx->ret, SM_IO_MSG, SM_DNS_RESPONSE);
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int sm_dns_recvmmsg_exit(struct sm_sys_exit *ctx)
{
	return sm_dns_io(ctx, ctx->nr, ctx->ret, SM_IO_MMSG, SM_DNS_RESPONSE);
}

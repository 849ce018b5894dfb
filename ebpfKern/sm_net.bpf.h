/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers of the network events (NetworkConnect 3, DNSQuery 22): who owns
 * a socket, the socket behind an fd, its endpoints, and the peer a process
 * named in a send/receive call. */
#ifndef SM_NET_BPF_H
#define SM_NET_BPF_H

#include "sm_args.bpf.h"
#include "sm_common.bpf.h"
#include "sm_task.bpf.h"

#define SM_TCP_ESTABLISHED 1
#define SM_TCP_SYN_SENT 2
#define SM_TCP_SYN_RECV 3
#define SM_S_IFSOCK 0140000
#define SM_MMSG_MAX 4 /* messages of one sendmmsg/recvmmsg looked at */

/* Which send/receive call: its arguments differ. */
enum sm_io_kind {
	SM_IO_PLAIN, /* sendto/recvfrom(fd, buf, len, flags, addr, addrlen) */
	SM_IO_MSG,   /* sendmsg/recvmsg(fd, msghdr, flags) */
	SM_IO_MMSG,  /* sendmmsg/recvmmsg(fd, mmsghdr[], vlen, ...) */
};

/* User-space ABI structs of those calls (x86-64 layouts, fixed). */
struct sm_iovec {
	u64 base;
	u64 len;
};

struct sm_msghdr {
	u64 name; /* struct sockaddr *, may be 0 */
	s32 namelen;
	u32 pad;
	u64 iov; /* struct iovec * */
	u64 iovlen;
	u64 control;
	u64 controllen;
	u32 flags;
	u32 pad2;
};

struct sm_mmsghdr {
	struct sm_msghdr hdr;
	u32 len; /* bytes sent/received for this message */
	u32 pad;
};

/* A peer endpoint: addr as in struct sm_rec_net, port in host order. */
struct sm_peer {
	u16 family;
	u16 port;
	u8 addr[16];
};

static __always_inline u16 sm_ntohs(u16 v)
{
	return __builtin_bswap16(v);
}

static __always_inline int sm_inet(u16 family)
{
	return family == SM_AF_INET || family == SM_AF_INET6;
}

static __always_inline void sm_net_actor(struct sm_actor *a)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	u64 id = bpf_get_current_pid_tgid();

	a->pid = id >> 32;
	a->tid = (u32)id;
	a->uid = (u32)bpf_get_current_uid_gid();
	a->pad = 0;
	a->start = sm_start_time(BPF_CORE_READ(t, group_leader));
	a->tag = BPF_CORE_READ(t, mm, end_code);
}

/* The socket behind fd in the current task, or NULL. */
static __always_inline struct sock *sm_fd_sock(long fd)
{
	struct file *f = sm_fd_file((void *)bpf_get_current_task(), fd);
	struct socket *so;

	if (!f ||
	    (BPF_CORE_READ(f, f_inode, i_mode) & SM_S_IFMT) != SM_S_IFSOCK)
		return 0;
	so = BPF_CORE_READ(f, private_data);
	return BPF_CORE_READ(so, sk);
}

/* IP protocol of an IPv4/IPv6 socket (and its family); 0 for others. */
static __always_inline u32 sm_sk_proto(struct sock *sk, u16 *family)
{
	*family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (!sm_inet(*family))
		return 0;
	return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
}

static __always_inline void sm_sk_local(struct sock *sk, u16 family, u8 *addr,
					u16 *port)
{
	*port = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (family == SM_AF_INET6)
		bpf_core_read(addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	else
		bpf_core_read(addr, 4, &sk->__sk_common.skc_rcv_saddr);
}

static __always_inline void sm_sk_remote(struct sock *sk, u16 family,
					 struct sm_peer *p)
{
	p->family = family;
	p->port = sm_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == SM_AF_INET6)
		bpf_core_read(p->addr, 16, &sk->__sk_common.skc_v6_daddr);
	else
		bpf_core_read(p->addr, 4, &sk->__sk_common.skc_daddr);
}

/* Family and port (host order) of a struct sockaddr in user memory;
 * family 0 when there is none. */
static __always_inline u16 sm_name_head(u64 uaddr, u16 *port)
{
	struct {
		u16 family;
		u16 port;
	} sa;

	if (!uaddr || bpf_probe_read_user(&sa, sizeof(sa), (void *)uaddr))
		return 0;
	*port = sm_ntohs(sa.port);
	return sa.family;
}

/* A struct sockaddr in user memory: 0 when it is IPv4/IPv6 (p filled),
 * -1 otherwise. An IPv4 peer of an IPv6 socket becomes ::ffff:a.b.c.d, so
 * a record's two addresses are always of the socket's family. */
static __always_inline int sm_user_peer(u64 uaddr, u16 sk_family,
					struct sm_peer *p)
{
	struct {
		u16 family;
		u16 port;
		u8 v4[4];
	} sa;

	if (bpf_probe_read_user(&sa, sizeof(sa), (void *)uaddr))
		return -1;
	p->port = sm_ntohs(sa.port);
	p->family = sk_family;
	if (sa.family == SM_AF_INET6 && sk_family == SM_AF_INET6)
		return bpf_probe_read_user(p->addr, 16, (void *)(uaddr + 8))
			       ? -1
			       : 0;
	if (sa.family != SM_AF_INET)
		return -1;
	if (sk_family == SM_AF_INET6) {
		__builtin_memset(p->addr, 0, 10);
		p->addr[10] = 0xff;
		p->addr[11] = 0xff;
		__builtin_memcpy(&p->addr[12], sa.v4, 4);
	} else {
		__builtin_memcpy(p->addr, sa.v4, 4);
	}
	return 0;
}

/* The peer of a send/receive: the name the call carried (UDP), else the
 * socket's connected peer. -1 when there is none. */
static __always_inline int sm_io_peer(struct sock *sk, u16 family, u32 proto,
				      u64 name, struct sm_peer *p)
{
	if (name && proto == SM_IPPROTO_UDP)
		return sm_user_peer(name, family, p);
	sm_sk_remote(sk, family, p);
	return p->port ? 0 : -1;
}

/* msg_name of a msghdr or of the first mmsghdr (both start with it). */
static __always_inline u64 sm_io_name(const struct sm_args *a, int kind)
{
	u64 name = 0;

	if (kind == SM_IO_PLAIN)
		return a->args[4];
	bpf_probe_read_user(&name, sizeof(name), (void *)a->args[1]);
	return name;
}

/* ---- datagrams leaving the machine (net:net_dev_queue) ----
 * Every UDP datagram a process sends, by whatever call (sendto, sendmsg,
 * write, writev, sendfile, splice, io_uring...), reaches a device queue as
 * a packet that the kernel built: its headers say where it really goes and
 * its payload is the kernel's copy, which no thread of the sender can
 * rewrite any more. */

/* The net:net_dev_queue record: the common header (programs may not read
 * it), then the packet (the same layout in every range). */
struct sm_tp_dev_queue {
	struct sm_trace_entry ent;
	struct sk_buff *skb;
	u32 len;
	u32 name_loc;
};

/* x86-64 kernel stacks: 16 KiB (32 KiB with KASAN, where a deep frame
 * in the upper half is taken for an interrupt's: the socket's noted owner
 * is then used, which is right in all but rare cases) */
#define SM_THREAD_SIZE 16384
#define SM_TCP_TIME_WAIT 6
#define SM_TCP_NEW_SYN_RECV 12

/* A UDP datagram of a socket, read from its packet. */
struct sm_dgram {
	struct sock *sk;
	u16 family; /* the socket's */
	u16 plen;   /* payload bytes in the linear part (at most 64 KiB) */
	struct sm_peer peer; /* destination, in the socket's family */
	u64 payload;         /* kernel address of the payload */
};

/* Who sent the packets of a socket: noted at each send/connect call and
 * each record, for packets that leave later, from interrupt context (the
 * first datagram to a neighbour whose link address is being resolved). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, u64); /* struct sock * */
	__type(value, struct sm_actor);
} sm_udp_owner SEC(".maps");

static __always_inline void sm_udp_owner_note(struct sock *sk)
{
	struct sm_actor a;
	u64 key = (u64)sk;

	sm_net_actor(&a);
	bpf_map_update_elem(&sm_udp_owner, &key, &a, BPF_ANY);
}

/* True when the program runs on the current task's own kernel stack:
 * in the task's call, not in an interrupt or softirq, which x86-64 runs on
 * per-CPU stacks in whatever task they interrupted. (The address of a
 * local variable, read back as a number.) */
static __always_inline int sm_on_task_stack(struct task_struct *t)
{
	u64 base = (u64)BPF_CORE_READ(t, stack), here = 0;
	volatile u64 *slot = &here;

	bpf_probe_read_kernel(&here, sizeof(here), &slot);
	return here - base < SM_THREAD_SIZE;
}

/* The sender of a packet: the current task when the packet leaves in its
 * call, else the socket's last noted owner. -1: none, or the daemon. */
static __always_inline int sm_xmit_actor(struct sock *sk, struct sm_actor *a)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	u64 key = (u64)sk;
	struct sm_actor *o;

	if (BPF_CORE_READ(t, mm) && sm_on_task_stack(t)) {
		if (sm_is_self())
			return -1;
		sm_net_actor(a);
		return 0;
	}
	o = bpf_map_lookup_elem(&sm_udp_owner, &key);
	if (!o)
		return -1;
	*a = *o;
	return 0;
}

/* The IP header's addresses and protocol: 0 when the packet is a whole
 * UDP datagram or its first fragment (p->addr: destination). */
static __always_inline int sm_skb_ip(const u8 *nh, u16 family,
				     struct sm_peer *p)
{
	struct {
		u8 vihl, tos;
		u16 tot_len, id, frag_off;
		u8 ttl, proto;
		u16 check;
		u8 saddr[4], daddr[4];
	} h4;
	struct {
		u32 flow;
		u16 plen;
		u8 next, hops;
		u8 saddr[16], daddr[16];
	} h6;
	u8 v = 0;

	bpf_probe_read_kernel(&v, 1, nh);
	if (v >> 4 == 6 && family == SM_AF_INET6) {
		if (bpf_probe_read_kernel(&h6, sizeof(h6), nh) ||
		    h6.next != SM_IPPROTO_UDP)
			return -1;
		__builtin_memcpy(p->addr, h6.daddr, 16);
		return 0;
	}
	if (v >> 4 != 4 || bpf_probe_read_kernel(&h4, sizeof(h4), nh) ||
	    h4.proto != SM_IPPROTO_UDP || (sm_ntohs(h4.frag_off) & 0x1fff))
		return -1;
	if (family == SM_AF_INET6) {
		__builtin_memset(p->addr, 0, 10);
		p->addr[10] = 0xff;
		p->addr[11] = 0xff;
		__builtin_memcpy(&p->addr[12], h4.daddr, 4);
	} else {
		__builtin_memcpy(p->addr, h4.daddr, 4);
	}
	return 0;
}

/* The UDP datagram in skb, sent by a user socket: 0 and d filled, else -1
 * (another protocol, a later fragment, a tunnel's outer header). */
static __always_inline int sm_skb_udp(struct sk_buff *skb, struct sm_dgram *d)
{
	struct {
		u16 sport, dport, len, check;
	} uh;
	struct sock *sk = BPF_CORE_READ(skb, sk);
	u8 *head, *end;
	u32 state, lin;
	u16 nh, th, fam;

	if (!sk)
		return -1;
	state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (state == SM_TCP_TIME_WAIT || state == SM_TCP_NEW_SYN_RECV ||
	    sm_sk_proto(sk, &fam) != SM_IPPROTO_UDP)
		return -1;
	d->sk = sk;
	d->family = fam;
	head = BPF_CORE_READ(skb, head);
	nh = BPF_CORE_READ(skb, network_header);
	th = BPF_CORE_READ(skb, transport_header);
	if (th == 0xffff || sm_skb_ip(head + nh, fam, &d->peer) ||
	    bpf_probe_read_kernel(&uh, sizeof(uh), head + th) ||
	    sm_ntohs(uh.sport) != BPF_CORE_READ(sk, __sk_common.skc_num))
		return -1;
	d->peer.family = fam;
	d->peer.port = sm_ntohs(uh.dport);
	d->payload = (u64)(head + th + 8);
	lin = BPF_CORE_READ(skb, len) - BPF_CORE_READ(skb, data_len);
	end = BPF_CORE_READ(skb, data) + lin;
	lin = (u8 *)d->payload < end ? end - (u8 *)d->payload : 0;
	state = sm_ntohs(uh.len); /* the datagram: header and payload */
	state = state > 8 ? state - 8 : 0;
	if (lin > state)
		lin = state;
	d->plen = lin > 0xffff ? 0xffff : lin;
	return 0;
}

#endif

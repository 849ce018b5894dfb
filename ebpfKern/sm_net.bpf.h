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

#endif

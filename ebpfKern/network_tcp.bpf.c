/* SPDX-License-Identifier: GPL-2.0-only */
/* NetworkConnect (3), TCP.
 * Outbound: the TCP state tracepoint. CLOSE -> SYN_SENT runs in the
 * connecting task (connect(), or sendmsg with TCP Fast Open): remember the
 * owner by socket. SYN_SENT -> ESTABLISHED usually runs in softirq, in
 * whatever task the CPU happened to run: take the owner from the map and
 * log the connection with its final addresses. A connection that never
 * gets established is not logged.
 * Inbound: the state changes of a passive connection all run in softirq,
 * so the event is emitted at accept()/accept4() exit, in the accepting
 * process, from the socket behind the returned fd. */

#include "sm_common.bpf.h"
#include "sm_net.bpf.h"
#include "sm_record.bpf.h"
#include "sm_uring.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, u64);                 /* struct sock * */
	__type(value, struct sm_actor);
} sm_tcp_owner SEC(".maps");

static __always_inline void sm_tcp_emit(void *ctx, struct sock *sk,
					u16 family, const struct sm_actor *a,
					u8 initiated)
{
	struct sm_rec_net r = {};
	struct sm_peer p;

	sm_rec_start(&r.h, SM_REC_NET);
	r.a = *a;
	sm_sk_local(sk, family, r.laddr, &r.lport);
	sm_sk_remote(sk, family, &p);
	__builtin_memcpy(r.raddr, p.addr, sizeof(r.raddr));
	r.rport = p.port;
	r.family = family;
	r.proto = SM_IPPROTO_TCP;
	r.initiated = initiated;
	sm_rec_send(ctx, &r.h, sizeof(r));
}

static __always_inline int sm_tcp_state_change(void *ctx, struct sock *sk,
					       int old, int new)
{
	u64 key = (u64)sk;
	struct sm_actor a, *owner;
	u16 family;

	if (new == SM_TCP_SYN_SENT) {
		if (sm_is_self() || sm_sk_proto(sk, &family) != SM_IPPROTO_TCP)
			return 0;
		sm_net_actor(&a);
		bpf_map_update_elem(&sm_tcp_owner, &key, &a, BPF_ANY);
		return 0;
	}
	/* SYN_SENT -> SYN_RECV is a simultaneous open: wait for ESTABLISHED */
	if ((old != SM_TCP_SYN_SENT && old != SM_TCP_SYN_RECV) ||
	    new == SM_TCP_SYN_RECV)
		return 0;
	owner = bpf_map_lookup_elem(&sm_tcp_owner, &key);
	if (!owner)
		return 0;
	if (new == SM_TCP_ESTABLISHED) {
		a = *owner;
		family = BPF_CORE_READ(sk, __sk_common.skc_family);
		sm_tcp_emit(ctx, sk, family, &a, 1);
	}
	bpf_map_delete_elem(&sm_tcp_owner, &key);
	return 0;
}

#if SM_HAVE_RAW_TP
SEC("raw_tracepoint/inet_sock_set_state")
int sm_tcp_state(struct bpf_raw_tracepoint_args *ctx)
{
	return sm_tcp_state_change(ctx, (struct sock *)ctx->args[0],
				   (int)ctx->args[1], (int)ctx->args[2]);
}
#else
/* The records of sock:inet_sock_set_state (4.16+) and of
 * tcp:tcp_set_state (4.15, TCP sockets only; renamed and moved in 4.16)
 * begin alike; only these three fields are read from them (the rest moved
 * between kernels). The loader attaches where the section says. */
struct sm_tp_set_state {
	struct sm_trace_entry ent;
	const void *skaddr;
	s32 oldstate;
	s32 newstate;
};

#if SM_HAVE_INET_SOCK_SET_STATE
SEC("tracepoint/sock/inet_sock_set_state")
#else
SEC("tracepoint/tcp/tcp_set_state")
#endif
int sm_tcp_state(struct sm_tp_set_state *ctx)
{
	return sm_tcp_state_change(ctx, (struct sock *)ctx->skaddr,
				   ctx->oldstate, ctx->newstate);
}
#endif

static __always_inline int sm_accept(void *ctx, long fd)
{
	struct sm_actor a;
	struct sock *sk;
	u16 family;

	if (fd < 0 || sm_is_self())
		return 0;
	sk = sm_fd_sock(fd);
	if (!sk || sm_sk_proto(sk, &family) != SM_IPPROTO_TCP)
		return 0;
	sm_net_actor(&a);
	sm_tcp_emit(ctx, sk, family, &a, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int sm_accept_exit(struct sm_sys_exit *ctx)
{
	return sm_accept(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int sm_accept4_exit(struct sm_sys_exit *ctx)
{
	return sm_accept(ctx, ctx->ret);
}

#if SM_HAVE_PROBE_READ_KERNEL
/* A multishot accept, at submission: its ring and user data. */
SEC("tracepoint")
int sm_uring_accept_submit(struct sm_uring_tp *ctx)
{
	struct io_accept *a = (void *)ctx->req;
	struct sm_uring_key k = { .ring = ctx->ring,
				  .user_data = ctx->user_data };
	u32 one = 1;

	if (!sm_uring_watched() ||
	    sm_uring_op(ctx->req) != SM_IORING_OP_ACCEPT ||
	    !bpf_core_field_exists(a->iou_flags) ||
	    !(BPF_CORE_READ(a, iou_flags) & SM_IORING_ACCEPT_MULTISHOT) ||
	    sm_is_self())
		return 0;
	if (bpf_map_update_elem(&sm_uring_multi, &k, &one, BPF_ANY))
		sm_count(SM_STAT_LOST);
	return 0;
}

/* A connection of a multishot accept: a completion without its request,
 * of a ring and user data a multishot accept was submitted with. */
static __always_inline int sm_uring_accept_more(struct sm_uring_tp *ctx)
{
	struct sm_uring_key k = { .ring = ctx->ring,
				  .user_data = ctx->user_data };

	if (ctx->res < 0 || !(ctx->cflags & SM_IORING_CQE_F_MORE) ||
	    !bpf_map_lookup_elem(&sm_uring_multi, &k))
		return 0;
	return sm_accept(ctx, ctx->res);
}

/* IORING_OP_ACCEPT (io_uring:io_uring_complete, 6.3+): the accepted fd in
 * the process that owns the ring (the completing thread is the
 * submitter, one of its io-wq workers or its SQPOLL thread). */
SEC("tracepoint")
int sm_uring_accept_done(struct sm_uring_tp *ctx)
{
	struct io_accept *acc = (void *)ctx->req;
	struct sm_uring_key k = { .ring = ctx->ring,
				  .user_data = ctx->user_data };

	if (!sm_uring_watched())
		return 0;
	if (!ctx->req)
		return sm_uring_accept_more(ctx);
	if (sm_uring_op(ctx->req) != SM_IORING_OP_ACCEPT)
		return 0;
	/* the last completion of a multishot accept names its request */
	if (!(ctx->cflags & SM_IORING_CQE_F_MORE))
		bpf_map_delete_elem(&sm_uring_multi, &k);
	if (ctx->res < 0 || BPF_CORE_READ(acc, file_slot))
		return 0;
	return sm_accept(ctx, ctx->res);
}
#endif

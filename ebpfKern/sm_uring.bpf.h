/* SPDX-License-Identifier: GPL-2.0-only */
/* io_uring requests (6.3+, objects with bpf_probe_read_kernel): opcodes,
 * and the unlinks waiting for their completion, which a file system's
 * tracepoint inside the unlink (file_delete.bpf.c) completes with the
 * file's mode. */
#ifndef SM_URING_BPF_H
#define SM_URING_BPF_H

#include "sm_common.bpf.h"

#if SM_HAVE_PROBE_READ_KERNEL

#define SM_IORING_OP_ACCEPT 13
#define SM_IORING_OP_OPENAT 18
#define SM_IORING_OP_OPENAT2 28
#define SM_IORING_OP_UNLINKAT 36
#define SM_REQ_F_CQE_SKIP (1u << 6)
#define SM_PF_IO_WORKER 0x10

/* An unlink waiting for its completion: dfd, flags, the mode when a file
 * system showed it, and the name, copied while the request still holds it
 * (it is freed before completion). */
struct sm_uring_del {
	s32 dfd;
	u32 flags; /* SM_RF_REMOVEDIR, SM_RF_MODE_KNOWN */
	u32 mode;
	u32 pad;
	char name[SM_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 512);
	__type(key, u64);
	__type(value, struct sm_uring_del);
} sm_uring_unlink SEC(".maps");

/* A multishot accept (IORING_ACCEPT_MULTISHOT, 5.19+) posts each
 * connection as a completion that names no request, only the ring and the
 * user data: the accepts of this ring with this user data, from
 * submission to their last completion (few: one per listening socket). A
 * multishot accept the map cannot take is counted as lost. */
struct sm_uring_key {
	u64 ring;
	u64 user_data;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct sm_uring_key);
	__type(value, u32);
} sm_uring_multi SEC(".maps");

#define SM_IORING_ACCEPT_MULTISHOT 1
#define SM_IORING_CQE_F_MORE 2

static __always_inline u32 sm_uring_op(u64 req)
{
	return BPF_CORE_READ((struct io_kiocb *)req, opcode);
}

/* The unlink an io-wq worker runs now (unlinks always run on one), when
 * it waits in the map: a file system's tracepoint inside the call shows
 * the file's mode there. */
static __always_inline void sm_uring_note_mode(u32 mode)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct io_worker *w;
	struct io_wq_work *work;
	struct sm_uring_del *d;
	u64 req;

	if (!(BPF_CORE_READ(t, flags) & SM_PF_IO_WORKER) ||
	    !bpf_core_field_exists(t->worker_private))
		return;
	w = BPF_CORE_READ(t, worker_private);
	work = BPF_CORE_READ(w, cur_work);
	if (!work)
		return;
	req = (u64)work - bpf_core_field_offset(struct io_kiocb, work);
	if (sm_uring_op(req) != SM_IORING_OP_UNLINKAT)
		return;
	d = bpf_map_lookup_elem(&sm_uring_unlink, &req);
	if (!d)
		return;
	d->mode = mode;
	d->flags |= SM_RF_MODE_KNOWN;
}

#endif
#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* FileCreate (11), FileDelete (23) and FileDeleteDetected (26) of
 * operations submitted through io_uring, which make none of the syscalls
 * the other programs watch.
 *
 * io_uring:io_uring_submit_req (6.3+) runs once the request is prepared:
 * its command area holds the kernel's own copy of the pathname (a later
 * change to the user's buffer changes nothing), the dfd and the flags.
 * io_uring:io_uring_complete gives the result, keyed by the same request
 * pointer. Both run in a thread of the process that owns the work: the
 * submitter, one of its io-wq workers (opens that may create a file and
 * unlinks always run there) or its SQPOLL thread; all share its files and
 * its thread group, so the fd table and the actor are the submitter's.
 *
 * Opens into a fixed-file slot (no fd) are not seen. Only this object
 * (bpf_probe_read_kernel) has these programs; the loader treats them as
 * optional, and says at start when io_uring is not watched. */

#include "sm_event_ids.h" /* generated from the schema */
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"

#if SM_HAVE_PROBE_READ_KERNEL

#define SM_IORING_OP_OPENAT 18
#define SM_IORING_OP_OPENAT2 28
#define SM_IORING_OP_UNLINKAT 36

/* An O_CREAT open waiting for its completion: the request's opcode. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, u32);
} sm_uring_open SEC(".maps");

/* An unlink waiting for its completion: dfd, flags and the name, copied
 * while the request still holds it (it is freed before completion). */
struct sm_uring_del {
	s32 dfd;
	u32 flags; /* SM_RF_REMOVEDIR */
	char name[SM_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 512);
	__type(key, u64);
	__type(value, struct sm_uring_del);
} sm_uring_unlink SEC(".maps");

static __always_inline void sm_uring_save_open(u64 req, u32 op)
{
	struct io_open *o = (void *)req;

	if (!(BPF_CORE_READ(o, how.flags) & SM_O_CREAT))
		return;
	if (bpf_core_field_exists(o->file_slot) && BPF_CORE_READ(o, file_slot))
		return;
	bpf_map_update_elem(&sm_uring_open, &req, &op, BPF_ANY);
}

static __always_inline void sm_uring_save_unlink(u64 req)
{
	struct io_unlink *u = (void *)req;
	struct sm_scratch *s = sm_scratch_get();
	struct sm_uring_del *d;

	if (!s)
		return;
	d = (void *)s->path;
	d->dfd = BPF_CORE_READ(u, dfd);
	d->flags = (BPF_CORE_READ(u, flags) & SM_AT_REMOVEDIR) ? SM_RF_REMOVEDIR
							       : 0;
	bpf_probe_read_kernel_str(d->name, sizeof(d->name),
				  BPF_CORE_READ(u, filename, name));
	bpf_map_update_elem(&sm_uring_unlink, &req, d, BPF_ANY);
	sm_scratch_put(s);
}

SEC("tracepoint")
int sm_uring_submit(struct sm_uring_tp *ctx)
{
	u64 req = ctx->req;
	u32 op = BPF_CORE_READ((struct io_kiocb *)req, opcode);

	if (sm_is_self())
		return 0;
	if (op == SM_IORING_OP_OPENAT || op == SM_IORING_OP_OPENAT2)
		sm_uring_save_open(req, op);
	else if (op == SM_IORING_OP_UNLINKAT)
		sm_uring_save_unlink(req);
	return 0;
}

SEC("tracepoint")
int sm_uring_open_done(struct sm_uring_tp *ctx)
{
	u64 req = ctx->req;
	u32 *op = bpf_map_lookup_elem(&sm_uring_open, &req);
	s32 res = ctx->res;

	if (!op)
		return 0;
	bpf_map_delete_elem(&sm_uring_open, &req);
	if (res < 0)
		return 0;
	sm_fc_emit(ctx, (void *)bpf_get_current_task(), res);
	return 0;
}

/* The unlink's record, for event 23 or 26 (both may be configured, each
 * with its own program: the entry stays for the other; a request reused
 * for another operation is told by its opcode, and its next unlink
 * overwrites the entry at submission). */
static __always_inline int sm_uring_del_done(struct sm_uring_tp *ctx, u32 event)
{
	u64 req = ctx->req;
	struct sm_uring_del *d = bpf_map_lookup_elem(&sm_uring_unlink, &req);
	struct task_struct *task;
	struct sm_rec_file_delete *r;
	struct sm_scratch *s;
	u32 end;

	if (!d || ctx->res != 0 ||
	    BPF_CORE_READ((struct io_kiocb *)req, opcode) !=
		    SM_IORING_OP_UNLINKAT)
		return 0;
	task = (void *)bpf_get_current_task();
	s = sm_rec_begin(SM_REC_FILE_DELETE, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->event = event;
	r->flags = d->flags;
	r->mode = 0;
	r->pad = 0;
	end = sm_dir_and_kname(s, sizeof(*r), task, d->dfd, d->name, &r->dir,
			       &r->name, &r->flags);
	sm_rec_end(ctx, s, end);
	return 0;
}

SEC("tracepoint")
int sm_uring_del_done23(struct sm_uring_tp *ctx)
{
	return sm_uring_del_done(ctx, SM_EV_FILE_DELETE);
}

SEC("tracepoint")
int sm_uring_del_done26(struct sm_uring_tp *ctx)
{
	return sm_uring_del_done(ctx, SM_EV_FILE_DELETE_DETECTED);
}

#endif

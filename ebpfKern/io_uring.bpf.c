/* SPDX-License-Identifier: GPL-2.0-only */
/* FileCreate (11), RawAccessRead (9), FileDelete (23) and
 * FileDeleteDetected (26) of operations submitted through io_uring, which
 * make none of the syscalls the other programs watch (NetworkConnect of
 * an accept: network_tcp.bpf.c).
 *
 * io_uring:io_uring_submit_req (6.3+) runs once the request is prepared:
 * its command area holds the kernel's own copy of the pathname (a later
 * change to the user's buffer changes nothing), the dfd and the flags.
 * io_uring:io_uring_complete gives the result and the request, which still
 * holds its opcode and command area. Both run in a thread of the process
 * that owns the work: the submitter, one of its io-wq workers (opens that
 * may create a file and unlinks always run there) or its SQPOLL thread;
 * all share its files and its thread group, so the fd table and the actor
 * are the submitter's.
 *
 * An open is decided at its completion from the request alone: nothing
 * waits in a map, so no flood can push an open out. An unlink's name is
 * freed before it completes: it waits in an LRU map by request, and a
 * successful unlink whose entry a flood pushed out is counted as lost.
 * What the kernel never traces with its request is counted as lost too:
 * a request that asked for no completion on success
 * (IOSQE_CQE_SKIP_SUCCESS), and a completion that found the completion
 * ring full (it goes to the overflow list untraced by request).
 *
 * Opens into a fixed-file slot (no fd) are not seen. Only this object
 * (bpf_probe_read_kernel) has these programs; the loader treats them as
 * optional, and says at start when io_uring is not watched. */

#include "sm_event_ids.h" /* generated from the schema */
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"
#include "sm_uring.bpf.h"

#if SM_HAVE_PROBE_READ_KERNEL

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
	d->mode = 0;
	d->pad = 0;
	bpf_probe_read_kernel_str(d->name, sizeof(d->name),
				  BPF_CORE_READ(u, filename, name));
	bpf_map_update_elem(&sm_uring_unlink, &req, d, BPF_ANY);
	sm_scratch_put(s);
}

SEC("tracepoint")
int sm_uring_submit(struct sm_uring_tp *ctx)
{
	u64 req = ctx->req;
	u32 op = sm_uring_op(req);

	if (op != SM_IORING_OP_OPENAT && op != SM_IORING_OP_OPENAT2 &&
	    op != SM_IORING_OP_UNLINKAT && op != SM_IORING_OP_ACCEPT)
		return 0;
	if (sm_is_self())
		return 0;
	/* its success is never traced: whatever it does goes unseen */
	if (BPF_CORE_READ((struct io_kiocb *)req, flags) & SM_REQ_F_CQE_SKIP)
		sm_count(SM_STAT_LOST);
	if (op == SM_IORING_OP_UNLINKAT)
		sm_uring_save_unlink(req);
	return 0;
}

/* io_uring:io_uring_cqe_overflow: a completion the full completion ring
 * could not take, traced without its request. */
SEC("tracepoint")
int sm_uring_overflow(struct sm_uring_overflow_tp *ctx)
{
	if (sm_uring_watched() && ctx->res >= 0 && !sm_is_self())
		sm_count(SM_STAT_LOST);
	return 0;
}

/* The fd an open request put in the fd table, or -1. */
static __always_inline long sm_uring_open_fd(struct sm_uring_tp *ctx, u64 req)
{
	struct io_open *o = (void *)req;
	u32 op = sm_uring_op(req);

	if (!sm_uring_watched() || ctx->res < 0 ||
	    (op != SM_IORING_OP_OPENAT && op != SM_IORING_OP_OPENAT2))
		return -1;
	if (bpf_core_field_exists(o->file_slot) && BPF_CORE_READ(o, file_slot))
		return -1;
	return sm_is_self() ? -1 : ctx->res;
}

SEC("tracepoint")
int sm_uring_open_done(struct sm_uring_tp *ctx)
{
	u64 req = ctx->req;
	long fd = sm_uring_open_fd(ctx, req);

	if (fd < 0 ||
	    !(BPF_CORE_READ((struct io_open *)req, how.flags) & SM_O_CREAT))
		return 0;
	sm_fc_emit(ctx, (void *)bpf_get_current_task(), fd);
	return 0;
}

SEC("tracepoint")
int sm_uring_raw_done(struct sm_uring_tp *ctx)
{
	long fd = sm_uring_open_fd(ctx, ctx->req);

	if (fd >= 0)
		sm_raw_emit(ctx, (void *)bpf_get_current_task(), fd);
	return 0;
}

/* The unlink's record, for event 23 or 26 (both may be configured, each
 * with its own program: the entry stays for the other; a request reused
 * for another operation is told by its opcode, and its next unlink
 * overwrites the entry at submission). A successful unlink without its
 * entry is a lost event. */
static __always_inline int sm_uring_del_done(struct sm_uring_tp *ctx, u32 event)
{
	u64 req = ctx->req;
	struct sm_uring_del *d;
	struct task_struct *task;
	struct sm_rec_file_delete *r;
	struct sm_scratch *s;
	u32 end;

	if (!sm_uring_watched() || ctx->res != 0 ||
	    sm_uring_op(req) != SM_IORING_OP_UNLINKAT || sm_is_self())
		return 0;
	d = bpf_map_lookup_elem(&sm_uring_unlink, &req);
	if (!d) {
		sm_count(SM_STAT_LOST);
		return 0;
	}
	task = (void *)bpf_get_current_task();
	s = sm_rec_begin(SM_REC_FILE_DELETE, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->event = event;
	r->flags = d->flags;
	r->mode = d->mode;
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

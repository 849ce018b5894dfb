/* SPDX-License-Identifier: GPL-2.0-only */
/* DriverLoad (6): a successful init_module or finit_module. The generic
 * entry saves the arguments. finit_module: the module file's path and
 * identity from the fd; init_module: the image's user address and length,
 * which user space reads (name, hashes, signature) while it can. */

#include "sm_args.bpf.h"
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

static __always_inline struct sm_scratch *sm_mod_begin(struct sm_sys_exit *ctx,
						       struct sm_args *a,
						       struct task_struct **task)
{
	if (sm_args_take(a) || a->nr != ctx->nr || ctx->ret != 0)
		return 0;
	*task = (void *)bpf_get_current_task();
	return sm_rec_begin(SM_REC_MODULE, *task);
}

static __always_inline struct sm_rec_module *sm_mod_init(struct sm_scratch *s,
							 u32 syscall)
{
	struct sm_rec_module *r = (void *)s->rec;

	r->syscall = syscall;
	r->flags = 0;
	r->image = 0;
	r->image_len = 0;
	__builtin_memset(&r->file, 0, sizeof(r->file));
	r->path.off = sizeof(*r);
	r->path.len = 0;
	return r;
}

SEC("tracepoint")
int sm_init_exit(struct sm_sys_exit *ctx)
{
	struct task_struct *task;
	struct sm_rec_module *r;
	struct sm_scratch *s;
	struct sm_args a;

	s = sm_mod_begin(ctx, &a, &task);
	if (!s)
		return 0;
	r = sm_mod_init(s, SM_MOD_INIT);
	r->image = a.args[0];
	r->image_len = a.args[1];
	sm_rec_end(ctx, s, sizeof(*r));
	return 0;
}

SEC("tracepoint")
int sm_finit_exit(struct sm_sys_exit *ctx)
{
	struct task_struct *task;
	struct sm_rec_module *r;
	struct sm_scratch *s;
	struct sm_args a;
	struct file *f;

	s = sm_mod_begin(ctx, &a, &task);
	if (!s)
		return 0;
	r = sm_mod_init(s, SM_MOD_FINIT);
	f = sm_fd_file(task, (int)a.args[0]);
	if (f) {
		sm_fill_file_id(&r->file, f);
		r->path.len = sm_file_path(s, &s->rec[sizeof(*r)], f, &r->flags);
	}
	sm_rec_end(ctx, s, sizeof(*r) + r->path.len);
	return 0;
}

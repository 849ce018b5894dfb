/* SPDX-License-Identifier: GPL-2.0-only */
/* ProcessCreate (1): a successful execve/execveat. Emitted on syscall exit,
 * when the new image is in place: its path, argv and cwd are read from the
 * task itself. */

#include "sm_common.bpf.h"
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

/* Copy the argv block of mm into dst, without its final NUL; returns its
 * length. A block longer than that (SM_ARGS_MAX bytes before the final
 * NUL), or one that cannot be read, sets SM_RF_ARGS_TRUNC: user space
 * marks the command line as cut. */
static __always_inline u32 sm_copy_args(u8 *dst, struct mm_struct *mm,
					u32 *flags)
{
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	unsigned long len;

	if (end <= start + 1)
		return 0;
	len = end - start - 1; /* the block ends with the last argument's NUL */
	if (len > SM_ARGS_MAX) {
		len = SM_ARGS_MAX;
		*flags |= SM_RF_ARGS_TRUNC;
	}
	if (len == 0 || len > SM_ARGS_MAX) /* (for the verifier) */
		return 0;
	if (bpf_probe_read_user(dst, len, (void *)start)) {
		*flags |= SM_RF_ARGS_TRUNC;
		return 0;
	}
	return len;
}

static __always_inline void sm_set_ref(struct sm_strref *r, u32 off, u32 len)
{
	r->off = off;
	r->len = len;
}

static __always_inline int sm_exec_exit(void *ctx, long ret)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct sm_scratch *s;
	struct sm_rec_exec *r;
	u32 off, len, trunc;

	if (ret != 0 || sm_is_self())
		return 0;
	s = sm_rec_alloc(SM_REC_EXEC);
	if (!s)
		return 0;
	r = (void *)s->rec;
	sm_fill_task(&r->t, task); /* the whole task: it introduces it */
	r->flags = 0;

	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	struct path p;

	sm_fill_file_id(&r->exe, exe);
	if ((s32)BPF_CORE_READ(exe, f_inode, i_writecount.counter) < 0)
		r->flags |= SM_RF_EXE_NO_WRITERS;
	p = BPF_CORE_READ(exe, f_path);
	/* real_mount(p.mnt)->mnt_ns */
	r->mnt_ns = BPF_CORE_READ(
		(struct mount *)((void *)p.mnt -
				 bpf_core_field_offset(struct mount, mnt)),
		mnt_ns, ns.inum);
	off = sizeof(*r);
	len = sm_exe_path(s, &s->rec[off], &p, &r->flags, SM_RF_IMAGE_DELETED,
			  SM_RF_IMAGE_TRUNC);
	sm_set_ref(&r->image, off, len);
	off += len & (SM_PATH_MAX - 1);

	len = sm_copy_args(&s->rec[off], mm, &r->flags);
	if (len > SM_ARGS_MAX)
		len = 0;
	sm_set_ref(&r->args, off, len);
	off += len;

	p = BPF_CORE_READ(task, fs, pwd);
	len = sm_path(s, &s->rec[off], &p, &trunc);
	if (trunc)
		r->flags |= SM_RF_CWD_TRUNC;
	sm_set_ref(&r->cwd, off, len);
	off += len & (SM_PATH_MAX - 1);

	sm_rec_end(ctx, s, off);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int sm_execve_exit(struct sm_sys_exit *ctx)
{
	return sm_exec_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int sm_execveat_exit(struct sm_sys_exit *ctx)
{
	return sm_exec_exit(ctx, ctx->ret);
}

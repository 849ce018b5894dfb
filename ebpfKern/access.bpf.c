/* SPDX-License-Identifier: GPL-2.0-only */
/* ProcessAccess (10): a successful ptrace PTRACE_ATTACH / PTRACE_SEIZE,
 * process_vm_readv or process_vm_writev.
 *
 * ptrace: the entry program saves only attach requests (debuggers issue
 * millions of other requests). After a successful attach the target is the
 * newest task on the tracer's ptraced list. process_vm_*: the generic
 * entry saves the arguments; at the exit the target is found from the pid
 * argument as the call found it (in the caller's pid namespace; a thread
 * id names its process). Both sides are read here, while both live: ids,
 * start times, GUID values and executables, so a process that exits at
 * once, or that never exec'd (a fork child), is named all the same. */

#include "sm_args.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

#define SM_PTRACE_ATTACH 16
#define SM_PTRACE_SEIZE 0x4206

SEC("tracepoint")
int sm_ptrace_enter(struct sm_sys_enter *ctx)
{
	struct sm_args a = {};

	if (ctx->args[0] != SM_PTRACE_ATTACH && ctx->args[0] != SM_PTRACE_SEIZE)
		return 0;
	a.nr = ctx->nr;
	a.args[0] = ctx->args[0];
	a.args[1] = ctx->args[1];
	return sm_entry_save(&sm_syscall_args, &a);
}

/* The executable of task, as its /proc/PID/exe shows it, at dst. */
static __always_inline u32 sm_pa_exe(struct sm_scratch *s, u8 *dst,
				     struct task_struct *task, u32 *flags,
				     u32 deleted)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	struct path p;

	if (!exe)
		return 0; /* a kernel thread */
	p = BPF_CORE_READ(exe, f_path);
	return sm_exe_path(s, dst, &p, flags, deleted, 0);
}

static __always_inline void sm_pa_emit(void *ctx, struct task_struct *task,
				       struct task_struct *target, u32 pid,
				       u32 access)
{
	struct sm_rec_proc_access *r;
	struct sm_scratch *s = sm_rec_begin(SM_REC_PROC_ACCESS, task);
	u32 off = sizeof(*r), len;

	if (!s)
		return;
	r = (void *)s->rec;
	__builtin_memset(&r->target, 0, sizeof(r->target));
	r->target.pid = pid;
	r->access = access;
	r->flags = 0;
	len = sm_pa_exe(s, &s->rec[off], task, &r->flags, SM_RF_SOURCE_DELETED);
	r->image.off = off;
	r->image.len = len;
	off += len & (SM_PATH_MAX - 1);
	r->target_image.off = off;
	r->target_image.len = 0;
	if (target) {
		sm_fill_other(&r->target, target);
		r->flags |= SM_RF_TARGET_KNOWN;
		len = sm_pa_exe(s, &s->rec[off], target, &r->flags,
				SM_RF_TARGET_DELETED);
		r->target_image.len = len;
		off += len & (SM_PATH_MAX - 1);
	}
	sm_rec_end(ctx, s, off);
}

SEC("tracepoint")
int sm_ptrace_exit(struct sm_sys_exit *ctx)
{
	struct task_struct *task, *target;
	struct list_head *first;
	struct sm_args a;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret != 0)
		return 0;
	task = (void *)bpf_get_current_task();
	first = BPF_CORE_READ(task, ptraced.next);
	target = (void *)first - bpf_core_field_offset(struct task_struct,
						      ptrace_entry);
	if (first == (void *)task + bpf_core_field_offset(struct task_struct,
							   ptraced))
		target = 0; /* empty list: cannot happen after success */
	sm_pa_emit(ctx, task, target, (u32)a.args[1], SM_ACCESS_ALL);
	return 0;
}

static __always_inline int sm_vm_exit(struct sm_sys_exit *ctx, u32 access)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct sm_args a;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret < 0)
		return 0;
	sm_pa_emit(ctx, task, sm_task_by_vpid(task, (u32)a.args[0]),
		   (u32)a.args[0], access);
	return 0;
}

SEC("tracepoint")
int sm_vmread_exit(struct sm_sys_exit *ctx)
{
	return sm_vm_exit(ctx, SM_ACCESS_VM_READ);
}

SEC("tracepoint")
int sm_vmwrite_exit(struct sm_sys_exit *ctx)
{
	return sm_vm_exit(ctx, SM_ACCESS_VM_WRITE);
}

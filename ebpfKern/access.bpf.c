/* SPDX-License-Identifier: GPL-2.0-only */
/* ProcessAccess (10): a successful ptrace PTRACE_ATTACH / PTRACE_SEIZE,
 * process_vm_readv or process_vm_writev.
 *
 * ptrace: the entry program saves only attach requests (debuggers issue
 * millions of other requests). After a successful attach the target is the
 * newest task on the tracer's ptraced list, so its tgid, start time and
 * GUID value are exact, in any pid namespace. process_vm_*: the generic
 * entry saves the arguments; the target is the pid argument, resolved by
 * user space. */

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

static __always_inline void sm_pa_emit(void *ctx, struct task_struct *task,
				       struct task_struct *target, u32 pid,
				       u32 access)
{
	struct sm_rec_proc_access *r;
	struct sm_scratch *s = sm_rec_begin(SM_REC_PROC_ACCESS, task);

	if (!s)
		return;
	r = (void *)s->rec;
	r->target_pid = pid;
	r->target_tid = pid;
	r->target_start = 0;
	r->target_tag = 0;
	r->target_uid = SM_UNSET_ID;
	r->access = access;
	r->flags = 0;
	r->pad = 0;
	if (target) {
		r->target_pid = BPF_CORE_READ(target, tgid);
		r->target_tid = BPF_CORE_READ(target, pid);
		r->target_start = sm_start_time(BPF_CORE_READ(target, group_leader));
		r->target_tag = BPF_CORE_READ(target, mm, end_code);
		r->target_uid = BPF_CORE_READ(target, cred, uid.val);
		r->flags = SM_RF_TARGET_KNOWN;
	}
	sm_rec_end(ctx, s, sizeof(*r));
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
	struct sm_args a;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret < 0)
		return 0;
	sm_pa_emit(ctx, (void *)bpf_get_current_task(), 0, (u32)a.args[0],
		   access);
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

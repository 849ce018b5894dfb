/* SPDX-License-Identifier: GPL-2.0-only */
/* ProcessTerminate (5): the last thread of a process exits. User space
 * takes the image and the rest from its process cache; the record carries
 * what finds the entry, and the GUID value for a process the cache never
 * knew (a fork child that never exec'd): the task's mm, or, on kernels
 * whose tracepoint comes after exit_mm, the active_mm the task keeps until
 * it switches away (the same mm_struct, still allocated). */

#include "sm_common.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

static __always_inline int sm_exit(void *ctx, struct task_struct *task)
{
	struct sm_rec_exit r = {};

	if (sm_is_self())
		return 0;
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	sm_rec_start(&r.h, SM_REC_EXIT);
	sm_fill_task_ids(&r.t, task);
	/* the last thread to exit need not be the leader: the process's
	 * start is the leader's (a thread's would give another GUID) */
	r.t.start = sm_start_time(BPF_CORE_READ(task, group_leader));
	r.t.tag = BPF_CORE_READ(task, mm, end_code);
	if (!r.t.tag)
		r.t.tag = BPF_CORE_READ(task, active_mm, end_code);
	sm_rec_send(ctx, &r.h, sizeof(r));
	return 0;
}

#if SM_HAVE_RAW_TP
SEC("raw_tracepoint/sched_process_exit")
int sm_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return sm_exit(ctx, (struct task_struct *)ctx->args[0]);
}
#else
SEC("tracepoint/sched/sched_process_exit")
int sm_process_exit(void *ctx)
{
	return sm_exit(ctx, (struct task_struct *)bpf_get_current_task());
}
#endif

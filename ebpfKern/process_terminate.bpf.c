/* SPDX-License-Identifier: GPL-2.0-only */
/* ProcessTerminate (5): the last thread of a process exits. The GUID value
 * (mm) is gone by now; user space takes it, the image and the rest from its
 * process cache: the record carries only what finds the entry. */

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

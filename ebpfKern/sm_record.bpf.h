/* SPDX-License-Identifier: GPL-2.0-only */
/* Building a record: every record starts with its header (type, size,
 * kernel time) and goes to user space through sm_emit. A record with
 * strings is built in a scratch slot (sm_rec_alloc or sm_rec_begin, then
 * sm_rec_end); a small fixed one on the stack (sm_rec_start, then
 * sm_rec_send). */
#ifndef SM_RECORD_BPF_H
#define SM_RECORD_BPF_H

#include "sm_common.bpf.h"
#include "sm_task.bpf.h"

static __always_inline void sm_rec_start(struct sm_rec_hdr *h, u32 type)
{
	h->type = type;
	h->ktime = bpf_ktime_get_ns();
}

static __always_inline void sm_rec_send(void *ctx, struct sm_rec_hdr *h,
					u32 size)
{
	h->size = size;
	sm_emit(ctx, h, size);
}

/* A scratch slot with the header started; NULL when none is free. */
static __always_inline struct sm_scratch *sm_rec_alloc(u32 type)
{
	struct sm_scratch *s = sm_scratch_get();

	if (s)
		sm_rec_start((struct sm_rec_hdr *)s->rec, type);
	return s;
}

/* The acting task, with the process's start time (the group leader's: a
 * thread's own start would give another ProcessGuid). */
static __always_inline void sm_fill_actor(struct sm_task *t,
					  struct task_struct *task)
{
	sm_fill_task(t, task);
	t->start = sm_start_time(BPF_CORE_READ(task, group_leader));
}

/* A record of a task's action (header, then struct sm_task): a scratch
 * slot with both filled in. */
static __always_inline struct sm_scratch *sm_rec_begin(u32 type,
						       struct task_struct *task)
{
	struct sm_scratch *s = sm_rec_alloc(type);
	struct sm_rec_hdr *h;

	if (!s)
		return 0;
	h = (void *)s->rec;
	sm_fill_actor((struct sm_task *)(h + 1), task);
	return s;
}

/* Send the record built in s (size bytes) and free the slot. */
static __always_inline void sm_rec_end(void *ctx, struct sm_scratch *s,
				       u32 size)
{
	sm_rec_send(ctx, (struct sm_rec_hdr *)s->rec, size);
	sm_scratch_put(s);
}

#endif

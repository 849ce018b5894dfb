/* SPDX-License-Identifier: GPL-2.0-only */
/* Saving a syscall's state at entry for the program at its exit: one value
 * per thread (keyed by pid_tgid) in an LRU hash, so a thread killed inside
 * a syscall leaves nothing behind for long. sm_syscall_args holds the
 * syscall's number and arguments; an event that needs more (or keeps its
 * entry past one exit program) has a map of its own and saves the same
 * way. */
#ifndef SM_ARGS_BPF_H
#define SM_ARGS_BPF_H

#include "sm_common.bpf.h"

struct sm_args {
	u64 args[6];
	s32 nr;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, u64);
	__type(value, struct sm_args);
} sm_syscall_args SEC(".maps");

/* Save val in map for this thread's exit program; not for the daemon's own
 * calls. */
static __always_inline int sm_entry_save(void *map, const void *val)
{
	u64 id = bpf_get_current_pid_tgid();

	if (sm_is_self())
		return 0;
	bpf_map_update_elem(map, &id, val, BPF_ANY);
	return 0;
}

/* What this thread saved in map, left in place; NULL when nothing. */
static __always_inline void *sm_entry_peek(void *map)
{
	u64 id = bpf_get_current_pid_tgid();

	return bpf_map_lookup_elem(map, &id);
}

static __always_inline void sm_entry_forget(void *map)
{
	u64 id = bpf_get_current_pid_tgid();

	bpf_map_delete_elem(map, &id);
}

/* The syscall's number and all six arguments (a direct read of args[5]
 * would make the kernel refuse to attach to syscalls with fewer arguments:
 * their records are shorter). */
static __always_inline int sm_args_save_all(struct sm_sys_enter *ctx)
{
	struct sm_args a = {};

	a.nr = ctx->nr;
	bpf_probe_read_kernel(a.args, sizeof(a.args), ctx->args);
	return sm_entry_save(&sm_syscall_args, &a);
}

/* Take (and forget) the arguments saved for this thread's syscall. */
static __always_inline int sm_args_take(struct sm_args *out)
{
	struct sm_args *a = sm_entry_peek(&sm_syscall_args);

	if (!a)
		return -1;
	*out = *a;
	sm_entry_forget(&sm_syscall_args);
	return 0;
}

/* The arguments saved for this thread's syscall nr, left in place: the UDP
 * and the DNS programs of one syscall both read them, in no fixed order.
 * The next syscall's entry overwrites them. */
static __always_inline struct sm_args *sm_args_peek(s32 nr)
{
	struct sm_args *a = sm_entry_peek(&sm_syscall_args);

	if (!a || a->nr != nr)
		return 0;
	return a;
}

#endif

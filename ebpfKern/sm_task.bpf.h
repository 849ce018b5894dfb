/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading a task: identity, start time, GUID value, open files, and
 * absolute paths. */
#ifndef SM_TASK_BPF_H
#define SM_TASK_BPF_H

#include "sm_common.bpf.h"

static __always_inline u64 sm_start_time(struct task_struct *t)
{
	if (bpf_core_field_exists(t->start_boottime))
		return BPF_CORE_READ(t, start_boottime);
	return BPF_CORE_READ((struct task_struct___old *)t, real_start_time);
}

/* Who: pid, tid, parent, uid and start times (enough to find the process
 * in the user-space cache). */
static __always_inline void sm_fill_task_ids(struct sm_task *out,
					     struct task_struct *t)
{
	struct task_struct *parent = BPF_CORE_READ(t, real_parent);
	u64 id = bpf_get_current_pid_tgid();

	out->pid = id >> 32;
	out->tid = (u32)id;
	out->ppid = BPF_CORE_READ(parent, tgid);
	out->uid = BPF_CORE_READ(t, cred, uid.val);
	out->start = sm_start_time(t);
	out->pstart = sm_start_time(parent);
	out->auid = SM_UNSET_ID;
	out->ses = SM_UNSET_ID;
	out->tag = 0;
	out->ptag = 0;
}

/* Everything: also the audit ids and the GUID values of process and parent
 * (for events that introduce a process). */
static __always_inline void sm_fill_task(struct sm_task *out,
					 struct task_struct *t)
{
	sm_fill_task_ids(out, t);
	if (bpf_core_field_exists(t->loginuid))
		out->auid = BPF_CORE_READ(t, loginuid.val);
	if (bpf_core_field_exists(t->sessionid))
		out->ses = BPF_CORE_READ(t, sessionid);
	out->tag = BPF_CORE_READ(t, mm, end_code);
	out->ptag = BPF_CORE_READ(t, real_parent, mm, end_code);
}

#define SM_S_IFMT 0170000 /* the file type bits of i_mode */

/* The open file behind fd in task, or NULL. */
static __always_inline struct file *sm_fd_file(struct task_struct *task,
					       long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = 0;

	if (!fdt || fd < 0 || (unsigned long)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* Resolve a path to its absolute text. The walk keeps its state in the
 * scratch map value, not in registers: the verifier then sees every loop
 * iteration start from the same state and prunes, instead of exploring
 * each combination of branches. Components are written right to left into
 * s->path[0 .. SM_PATH_MAX), then copied to dst. Returns the length; sets
 * *trunc when the walk did not reach the root (the text then starts with
 * '+', as the reference marks it). */
static __always_inline int sm_walk_step(struct sm_walk *w, u8 *buf)
{
	struct dentry *d = w->dentry;
	struct vfsmount *vm = w->vfsmnt;
	struct mount *m = w->mnt;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct dentry *root = BPF_CORE_READ(vm, mnt_root);
	u32 len, pos;

	if (d == root || d == parent) {
		struct mount *up = BPF_CORE_READ(m, mnt_parent);

		if (d != root || up == m)
			return 1;
		w->dentry = BPF_CORE_READ(m, mnt_mountpoint);
		w->mnt = up;
		w->vfsmnt = (void *)up + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	len = BPF_CORE_READ(d, d_name.len) & 255;
	pos = w->pos & (SM_PATH_MAX - 1);
	if (len + 2 > pos)
		return 2;
	/* keep clang from dropping the masks the verifier needs (6.1/6.12
	 * lose the bounds otherwise; found by tests/boot) */
	barrier_var(len);
	len &= 255;
	pos -= len + 1;
	bpf_probe_read_kernel(&buf[(pos + 1) & (SM_PATH_MAX - 1)], len,
			      BPF_CORE_READ(d, d_name.name));
	buf[pos & (SM_PATH_MAX - 1)] = '/';
	w->pos = pos;
	w->dentry = parent;
	return 0;
}

#if SM_HAVE_LOOPS
#define SM_WALK_STEPS 16 /* unrolled steps per iteration of the loop */
/* Steps i * SM_WALK_STEPS .. of a walk: 0 to go on, 3 when the walk would
 * go deeper than SM_WALK_DEPTH, else sm_walk_step's end. A function of its
 * own with the depth check inside: the loop around it is then one block
 * with one exit, ending in the conditional jump back to its head, the
 * shape the 6.1 verifier takes (a loop with two exits comes out of clang
 * with its head reached by falling through, which it rejects). Several
 * steps per iteration: the verifier's work per iteration (the precision
 * of i) is paid less often. */
static __noinline int sm_walk_next(struct sm_walk *w, u8 *buf, u32 i)
{
	int r = 0;

	SM_UNROLL
	for (int k = 0; k < SM_WALK_STEPS; k++) {
		r = sm_walk_step(w, buf);
		if (r)
			return r;
	}
	if ((i + 1) * SM_WALK_STEPS >= SM_WALK_DEPTH)
		r = 3;
	return r;
}
#endif

static __always_inline u32 sm_path(struct sm_scratch *s, u8 *dst,
				   struct path *p, u32 *trunc)
{
	struct sm_walk *w = &s->walk;
	u32 pos, len;
	int r = 0;

	w->dentry = BPF_CORE_READ(p, dentry);
	w->vfsmnt = BPF_CORE_READ(p, mnt);
	w->mnt = (void *)w->vfsmnt - bpf_core_field_offset(struct mount, mnt);
	w->pos = SM_PATH_MAX - 1;
#if SM_HAVE_LOOPS
	for (u32 i = 0;; i++) {
		r = sm_walk_next(w, s->path, i);
		if (r)
			break;
	}
#else
	SM_UNROLL
	for (int i = 0; i < SM_WALK_DEPTH; i++) {
		r = sm_walk_step(w, s->path);
		if (r)
			break;
	}
#endif
	*trunc = r != 1;
	pos = w->pos & (SM_PATH_MAX - 1);
	if (*trunc && pos > 0) {
		pos--;
		barrier_var(pos);
		pos &= SM_PATH_MAX - 1;
		s->path[pos] = '+';
	}
	len = (SM_PATH_MAX - 1 - pos) & (SM_PATH_MAX - 1);
	if (len == 0) {
		dst[0] = '/';
		return 1;
	}
	bpf_probe_read_kernel(dst, len, &s->path[pos & (SM_PATH_MAX - 1)]);
	return len;
}

#endif

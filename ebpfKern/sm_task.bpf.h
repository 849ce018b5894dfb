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

/* Another task's identity, as sm_fill_task gives the current one's: its
 * process (the group leader's start), its thread, its parent process. */
static __always_inline void sm_fill_other(struct sm_task *out,
					  struct task_struct *t)
{
	struct task_struct *parent = BPF_CORE_READ(t, real_parent);

	out->pid = BPF_CORE_READ(t, tgid);
	out->tid = BPF_CORE_READ(t, pid);
	out->ppid = BPF_CORE_READ(parent, tgid);
	out->uid = BPF_CORE_READ(t, cred, uid.val);
	out->auid = SM_UNSET_ID;
	out->ses = SM_UNSET_ID;
	out->start = sm_start_time(BPF_CORE_READ(t, group_leader));
	out->pstart = sm_start_time(BPF_CORE_READ(parent, group_leader));
	out->tag = BPF_CORE_READ(t, mm, end_code);
	out->ptag = BPF_CORE_READ(parent, mm, end_code);
}

/* Levels of a pid namespace's IDR: pid_max is at most 2^22, 64 slots a
 * node (16 with CONFIG_BASE_SMALL, whose pid_max is at most 2^15). */
#define SM_IDR_LEVELS 4

/* The pid namespace the task's pids are given in (task_active_pid_ns). */
static __always_inline struct pid_namespace *sm_pid_ns(struct task_struct *t)
{
	struct pid_namespace *ns = 0;
	struct pid *pid;
	void *up;

	if (bpf_core_field_exists(t->thread_pid))
		pid = BPF_CORE_READ(t, thread_pid);
	else
		pid = BPF_CORE_READ((struct task_struct___old *)t, pids[0].pid);
	/* &pid->numbers[pid->level].ns */
	up = (void *)pid + bpf_core_field_offset(struct pid, numbers);
	up += (BPF_CORE_READ(pid, level) & 63) *
	      bpf_core_type_size(struct upid);
	bpf_probe_read_kernel(&ns, sizeof(ns),
			      up + bpf_core_field_offset(struct upid, ns));
	return ns;
}

/* The struct pid of number nr in ns: idr_find on its IDR, an xarray (an
 * internal node is tagged 2) or before 4.20 a radix tree (tagged 1). */
static __always_inline struct pid *sm_pid_find(struct pid_namespace *ns, u32 nr)
{
	unsigned long e = 0, tag = 2, node, idx;
	u32 slots, n;
	u8 shift = 0;

	/* each type is read only where it exists: a relocation of a type
	 * the kernel lacks is left poisoned, and must not be reached */
	if (bpf_core_field_exists(((struct xarray *)0)->xa_head)) {
		e = (unsigned long)BPF_CORE_READ(ns, idr.idr_rt.xa_head);
		slots = bpf_core_field_offset(struct xa_node, slots);
		n = bpf_core_field_size(struct xa_node, slots) / sizeof(void *);
	} else {
		e = (unsigned long)
			BPF_CORE_READ((struct pid_namespace___old *)ns,
				      idr.idr_rt.rnode);
		tag = 1;
		slots = bpf_core_field_offset(struct radix_tree_node, slots);
		n = bpf_core_field_size(struct radix_tree_node, slots) /
		    sizeof(void *);
	}
	SM_UNROLL
	for (int i = 0; i < SM_IDR_LEVELS; i++) {
		if ((e & 3) != tag || e < 4096)
			break;
		node = e - tag;
		bpf_probe_read_kernel(&shift, 1, (void *)node);
		idx = (unsigned long)nr >> (shift & 63);
		if (i == 0 && idx >= n)
			return 0; /* beyond the tree's top node */
		idx &= n - 1;
		e = 0;
		bpf_probe_read_kernel(&e, sizeof(e),
				      (void *)node + slots + idx * sizeof(e));
	}
	return (e & 3) ? 0 : (struct pid *)e;
}

/* The task (thread) whose id is nr in the current task's pid namespace,
 * as process_vm_readv and kill find it; NULL when there is none. */
static __always_inline struct task_struct *
sm_task_by_vpid(struct task_struct *cur, u32 nr)
{
	struct pid *pid = sm_pid_find(sm_pid_ns(cur), nr);
	struct hlist_node *first;
	u32 links;

	if (!pid)
		return 0;
	first = BPF_CORE_READ(pid, tasks[0].first);
	if (!first)
		return 0;
	if (bpf_core_field_exists(cur->pid_links))
		links = bpf_core_field_offset(struct task_struct, pid_links);
	else
		links = bpf_core_field_offset(struct task_struct___old, pids);
	return (void *)first - links;
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
 * '+', as the reference marks it). A walk that ends at a file system's
 * root which is not its mount's root (the dentry is not under that mount)
 * is not marked; s->walk.end tells: 1 only for a walk that reached the top
 * of the mount tree. */
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

		if (d != root)
			return 4; /* a file system's root, not the mount's */
		if (up == m)
			return 1; /* the top of the mount tree */
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
	w->end = r;
	*trunc = r != 1 && r != 4;
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

/* The executable's path as /proc/PID/exe shows it, less its " (deleted)"
 * (then the deleted bit is set in *flags: an unlinked file, a never linked
 * O_TMPFILE one, "DIR/#INO", a memfd). A file of no directory (a memfd's:
 * its dentry is its own parent, not a mount's root) is "/" and its name,
 * "/memfd:NAME"; a path walk stops at such a dentry without its name. */
static __always_inline u32 sm_exe_path(struct sm_scratch *s, u8 *dst,
				       struct path *p, u32 *flags, u32 deleted,
				       u32 truncated)
{
	struct dentry *d = p->dentry;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	u32 len, trunc = 0;

	if (parent == d && d != BPF_CORE_READ(p->mnt, mnt_root)) {
		len = BPF_CORE_READ(d, d_name.len);
		barrier_var(len); /* the mask must stay (see sm_walk_step) */
		len &= 255;
		dst[0] = '/';
		bpf_probe_read_kernel(&dst[1], len,
				      BPF_CORE_READ(d, d_name.name));
		*flags |= deleted;
		return len + 1;
	}
	len = sm_path(s, dst, p, &trunc);
	if (trunc)
		*flags |= truncated;
	/* unlinked: out of the dentry hash (d_unlinked) */
	if (parent != d && !BPF_CORE_READ(d, d_hash.pprev))
		*flags |= deleted;
	return len;
}

#endif

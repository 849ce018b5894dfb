/* SPDX-License-Identifier: MIT */
#include "ev_who.h"

#include <string.h>

#include "daemon.h"
#include "numfmt.h"
#include "procfs.h"
#include "users.h"

/* 0: any start */
static int same_start(const struct sm_daemon *d, uint64_t a, uint64_t b)
{
	return !a || !b || sm_same_start(&d->si, a, b);
}

/* The cache entry of pid (started at start, 0: any), from /proc on a miss. */
static const struct sm_proc *lookup(struct sm_daemon *d, uint32_t pid,
				    uint64_t start)
{
	const struct sm_proc *p = sm_pc_get(d->pc, pid, start);

	if (p || !pid)
		return p;
	p = sm_procfs_load(d->pc, &d->si, pid);
	return p && same_start(d, p->start, start) ? p : NULL;
}

/* A process or thread id as text (fits: 10 digits and the NUL). */
static void put_id(char out[12], uint32_t id)
{
	out[sm_put_dec(out, id)] = '\0';
}

static void put_user(struct sm_who *a, uint32_t uid)
{
	const char *name = sm_user_name(uid);
	size_t n = strnlen(name, sizeof(a->user) - 1);

	memcpy(a->user, name, n);
	a->user[n] = '\0';
}

static void set_image(struct sm_who *a, struct sm_str img)
{
	a->image_len = img.p && img.len < sizeof(a->image) ? img.len : 0;
	memcpy(a->image, img.p ? img.p : "", a->image_len);
	a->image[a->image_len] = '\0';
}

/* The GUID from what the kernel read (pid, start time, mm->end_code): the
 * same value ProcessCreate and the /proc seed compute, and exact even when
 * records from two CPUs arrive out of order (perf buffer) or /proc no
 * longer has the process's mm. 0 when the kernel saw no mm. */
static int guid_of(struct sm_daemon *d, uint32_t pid, uint64_t start,
		   uint64_t tag, struct sm_guid *g)
{
	if (!tag)
		return 0;
	*g = sm_guid_of(&d->si, pid, start, tag);
	return 1;
}

void sm_who_of_task(struct sm_daemon *d, const struct sm_task *t,
		    struct sm_who *a)
{
	const struct sm_proc *p = lookup(d, t->pid, t->start);
	struct sm_guid g = { 0 };

	put_id(a->pid, t->pid);
	put_id(a->tid, t->tid);
	put_user(a, t->uid);
	if (p && p->image.len) {
		set_image(a, p->image);
	} else {
		/* gone before we could look: a fork child that never exec'd
		 * runs its parent's image */
		const struct sm_proc *pp = sm_pc_get(d->pc, t->ppid, t->pstart);

		set_image(a, pp && t->tag == t->ptag ? pp->image
						     : (struct sm_str){ 0 });
	}
	if (!guid_of(d, t->pid, t->start, t->tag, &g) && p)
		g = p->guid;
	sm_guid_fmt(a->guid, &g);
}

/* The kernel's path of an executable, " (deleted)" after it when no name
 * is left (as /proc/PID/exe shows it). */
static void set_kernel_image(struct sm_who *a, struct sm_str img, int deleted)
{
	static const char suffix[] = " (deleted)";

	set_image(a, img);
	if (!deleted || !a->image_len ||
	    a->image_len + sizeof(suffix) > sizeof(a->image))
		return;
	memcpy(a->image + a->image_len, suffix, sizeof(suffix));
	a->image_len += sizeof(suffix) - 1;
}

void sm_who_of_kernel(struct sm_daemon *d, const struct sm_task *t,
		      struct sm_str image, int deleted, struct sm_who *a)
{
	const struct sm_proc *p = sm_pc_get(d->pc, t->pid, t->start);
	struct sm_guid g = { 0 };

	put_id(a->pid, t->pid);
	put_id(a->tid, t->tid);
	put_user(a, t->uid);
	if (p && p->image.len)
		set_image(a, p->image);
	else
		set_kernel_image(a, image, deleted);
	if (!guid_of(d, t->pid, t->start, t->tag, &g) && p)
		g = p->guid;
	sm_guid_fmt(a->guid, &g);
}

void sm_who_of_pid(struct sm_daemon *d, uint32_t pid, uint64_t start,
		   uint64_t tag, uint32_t uid, int exact, struct sm_who *a)
{
	const struct sm_proc *p = lookup(d, pid, exact ? start : 0);
	struct sm_guid g = { 0 };

	put_id(a->pid, pid);
	put_id(a->tid, pid);
	a->user[0] = '\0';
	if (!(exact && guid_of(d, pid, start, tag, &g)) && p)
		g = p->guid;
	sm_guid_fmt(a->guid, &g);
	set_image(a, p ? p->image : (struct sm_str){ 0 });
	if (exact || p)
		put_user(a, exact ? uid : p->uid);
}

void sm_record_utctime(const struct sm_daemon *d, uint64_t ktime,
		       char out[SM_UTCTIME_LEN + 1])
{
	sm_fmt_utctime(out, d->si.mono_epoch_ns + ktime);
}

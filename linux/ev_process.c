/* SPDX-License-Identifier: MIT */
/* Process events: ProcessCreate (1) from exec records, ProcessTerminate (5)
 * from exit records; both keep the process cache current. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "config.h"
#include "daemon.h"
#include "ev_hold.h"
#include "events.h"
#include "loader.h"
#include "guid.h"
#include "hashes.h"
#include "procfs.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"
#include "timefmt.h"
#include "users.h"

enum { SM_EXEC_IMAGE, SM_EXEC_ARGS, SM_EXEC_CWD }; /* record strings */

struct text {
	char utc[SM_UTCTIME_LEN + 1];
	char guid[SM_GUID_TEXT_LEN + 1];
	char pguid[SM_GUID_TEXT_LEN + 1];
	char logon[SM_GUID_TEXT_LEN + 1];
	char pid[12], ppid[12], uid[12], ses[12];
	char user[64], puser[64];
};

/* The parent: from the cache, else from /proc (once), else only what the
 * kernel record says (its GUID and pid). */
static const struct sm_proc *parent_of(struct sm_daemon *d,
				       const struct sm_task *t)
{
	const struct sm_proc *p = sm_pc_get(d->pc, t->ppid, t->pstart);

	if (!p && t->ppid)
		p = sm_procfs_load(d->pc, &d->si, t->ppid);
	if (p && p->start && t->pstart &&
	    !sm_same_start(&d->si, p->start, t->pstart))
		return NULL;
	return p;
}

static void fill_parent(struct sm_daemon *d, struct sm_event *ev,
			struct text *x, const struct sm_task *t)
{
	const struct sm_proc *p = parent_of(d, t);
	struct sm_guid pg;

	if (p)
		pg = p->guid;
	else
		pg = sm_guid_of(&d->si, t->ppid, t->pstart, t->ptag);
	sm_guid_fmt(x->pguid, &pg);
	snprintf(x->ppid, sizeof(x->ppid), "%u", t->ppid);
	ev->f[SM_PROCESSCREATE_PARENTPROCESSGUID] = sm_cstr(x->pguid);
	ev->f[SM_PROCESSCREATE_PARENTPROCESSID] = sm_cstr(x->ppid);
	if (!p)
		return;
	snprintf(x->puser, sizeof(x->puser), "%s", sm_user_name(p->uid));
	ev->f[SM_PROCESSCREATE_PARENTIMAGE] = p->image;
	ev->f[SM_PROCESSCREATE_PARENTCOMMANDLINE] = p->cmdline;
	ev->f[SM_PROCESSCREATE_PARENTUSER] = sm_cstr(x->puser);
}

/* The Image as /proc/PID/exe shows it, as a C string in the daemon's
 * scratch: the kernel's path, then " (deleted)" when the file had no name
 * left (unlinked, a memfd). */
static struct sm_str exe_image(struct sm_daemon *d, const struct sm_rec_exec *e,
			       struct sm_str img)
{
	static const char deleted[] = " (deleted)";

	if (!img.p || img.len > SM_PATH_MAX)
		return img;
	memcpy(d->image, img.p, img.len);
	if (e->flags & SM_RF_IMAGE_DELETED) {
		memcpy(d->image + img.len, deleted, sizeof(deleted) - 1);
		img.len += sizeof(deleted) - 1;
	}
	d->image[img.len] = '\0';
	img.p = d->image;
	return img;
}

/* Appended to an Image whose file is not the file this host's mount
 * namespace has at that path (see host_file). */
static const char not_host[] = " (not the host's file)";

/* Is the executable the file the host has at its path? Always when it was
 * reached through a mount of our own namespace; else (a container, a
 * private mount namespace with its own mounts, where a file can be
 * mounted over any path) when the path names the same inode here. The
 * one stat is paid only for the executables of other namespaces. */
static int host_file(const struct sm_daemon *d, const struct sm_rec_exec *e,
		     const char *path)
{
	struct stat st;

	if (e->mnt_ns == d->si.mnt_ns && e->mnt_ns)
		return 1;
	return stat(path, &st) == 0 && (uint64_t)st.st_ino == e->exe.ino &&
	       st.st_dev == makedev(e->exe.dev >> 20, e->exe.dev & 0xfffff);
}

/* The Image, marked when its path names another file on the host; the
 * mark is then set. */
static struct sm_str mark_image(struct sm_daemon *d,
				const struct sm_rec_exec *e, struct sm_str img,
				int *marked)
{
	*marked = 0;
	if (!img.p || img.p != d->image || e->flags & SM_RF_IMAGE_DELETED ||
	    img.len + sizeof(not_host) > sizeof(d->image) ||
	    host_file(d, e, d->image))
		return img;
	memcpy(d->image + img.len, not_host, sizeof(not_host));
	img.len += sizeof(not_host) - 1;
	*marked = 1;
	return img;
}

/* Where the executable can be opened once its process is gone: the Image,
 * unless no path names the file any more, or the path names another file
 * on the host. */
static const char *exe_path(const struct sm_rec_exec *e, struct sm_str img,
			    int marked)
{
	if (e->flags & SM_RF_IMAGE_DELETED || img.p == NULL || img.len == 0 ||
	    marked)
		return NULL;
	return img.p;
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_EXEC). */
const struct sm_attach sm_attach_exec[] = {
	/* ProcessCreate (1): everything is read from the new image at exit,
	 * so no arguments are saved on entry */
	{ "sm_execve_exit", "syscalls", "sys_exit_execve",
	  SM_EV_PROCESS_CREATE },
	{ "sm_execveat_exit", "syscalls", "sys_exit_execveat",
	  SM_EV_PROCESS_CREATE },
	{ 0 } /* end */
};

void sm_on_exec(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_exec *e = SM_REC(r, struct sm_rec_exec);
	const struct sm_task *t = &e->t;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_CREATE) };
	struct text x;
	struct sm_guid g = sm_guid_of(&d->si, t->pid, t->start, t->tag);
	struct sm_guid lg = sm_logon_guid(d->si.machine, t->uid);
	struct sm_str cmd = { d->cmd, 0 };
	struct sm_str img = exe_image(d, e, r->s[SM_EXEC_IMAGE]);
	const char *hashes;
	int job, marked;

	if (!ev.type)
		return;
	img = mark_image(d, e, img, &marked);
	cmd.len = (uint32_t)sm_cmdline_join(d->cmd, sizeof(d->cmd),
					    r->s[SM_EXEC_ARGS].p,
					    r->s[SM_EXEC_ARGS].len,
					    e->flags & SM_RF_ARGS_TRUNC);
	/* the new entry first: a full cache may evict the parent's entry and
	 * hand its string blob to this one, so the parent is looked up after */
	sm_pc_put(d->pc, t->pid, t->start, t->uid, &g, img, cmd);
	fill_parent(d, &ev, &x, t);
	sm_fmt_utctime(x.utc, d->si.boot_epoch_ns + t->start);
	sm_guid_fmt(x.guid, &g);
	sm_guid_fmt(x.logon, &lg);
	snprintf(x.pid, sizeof(x.pid), "%u", t->pid);
	snprintf(x.uid, sizeof(x.uid), "%u", t->uid);
	snprintf(x.ses, sizeof(x.ses), "%u", t->ses);
	snprintf(x.user, sizeof(x.user), "%s", sm_user_name(t->uid));
	ev.f[SM_PROCESSCREATE_UTCTIME] = sm_cstr(x.utc);
	ev.f[SM_PROCESSCREATE_PROCESSGUID] = sm_cstr(x.guid);
	ev.f[SM_PROCESSCREATE_PROCESSID] = sm_cstr(x.pid);
	ev.f[SM_PROCESSCREATE_IMAGE] = img;
	ev.f[SM_PROCESSCREATE_COMMANDLINE] = cmd;
	ev.f[SM_PROCESSCREATE_CURRENTDIRECTORY] = r->s[SM_EXEC_CWD];
	ev.f[SM_PROCESSCREATE_USER] = sm_cstr(x.user);
	ev.f[SM_PROCESSCREATE_LOGONGUID] = sm_cstr(x.logon);
	ev.f[SM_PROCESSCREATE_LOGONID] = sm_cstr(x.uid);
	ev.f[SM_PROCESSCREATE_TERMINALSESSIONID] = sm_cstr(x.ses);
	ev.f[SM_PROCESSCREATE_INTEGRITYLEVEL] = SM_STR("no level");
	job = sm_exe_hashes(d->hash_algs, &e->exe, t->pid,
			    exe_path(e, img, marked),
			    e->flags & SM_RF_EXE_NO_WRITERS,
			    !sm_hold_full(d->hold), &hashes);
	if (job >= 0 &&
	    sm_hold_exec(d->hold, &ev, SM_PROCESSCREATE_HASHES, t->pid, job))
		return; /* logged once hashed, see ev_hold.h */
	if (hashes)
		ev.f[SM_PROCESSCREATE_HASHES] = sm_cstr(hashes);
	sm_filter_and_log(d, &ev);
}

/* A process that never exec'd (a fork child) runs its parent's image.
 * When a thread other than the leader ends the process, the record's start
 * time may not be the process's: for an io_uring SQPOLL thread that exits
 * after its leader, the start read through its group_leader at exit is the
 * thread's own (seen on 6.18). The process id stays taken while any of its
 * threads lives, so the live entry of that pid is then this process. */
static const struct sm_proc *exited_proc(struct sm_daemon *d,
					 const struct sm_task *t)
{
	const struct sm_proc *p = sm_pc_get(d->pc, t->pid, t->start);
	const struct sm_proc *pp;

	if (!p && t->tid != t->pid) {
		p = sm_pc_get(d->pc, t->pid, 0);
		if (p && p->exited)
			p = NULL;
	}
	if (p)
		return p;
	pp = sm_pc_get(d->pc, t->ppid, t->pstart);
	if (!pp)
		return NULL;
	struct sm_guid g = sm_guid_of(&d->si, t->pid, t->start, 0);

	sm_guid_copy_image(&g, &pp->guid);
	return sm_pc_put(d->pc, t->pid, t->start, t->uid, &g, pp->image,
			 pp->cmdline);
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_EXIT). */
const struct sm_attach sm_attach_exit[] = {
	/* ProcessTerminate (5) */
	{ "sm_process_exit", NULL, "sched_process_exit",
	  SM_EV_PROCESS_TERMINATE },
	{ 0 } /* end */
};

void sm_on_exit(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_exit *rec = SM_REC(r, struct sm_rec_exit);
	const struct sm_task *t = &rec->t;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_TERMINATE) };
	const struct sm_proc *p = exited_proc(d, t);
	struct text x;
	struct sm_guid g;

	if (!ev.type)
		return;
	if (p)
		g = p->guid;
	else
		g = sm_guid_of(&d->si, t->pid, t->start, t->tag);
	sm_fmt_utctime(x.utc, d->si.mono_epoch_ns + rec->h.ktime);
	sm_guid_fmt(x.guid, &g);
	snprintf(x.pid, sizeof(x.pid), "%u", t->pid);
	snprintf(x.user, sizeof(x.user), "%s", sm_user_name(t->uid));
	ev.f[SM_PROCESSTERMINATE_UTCTIME] = sm_cstr(x.utc);
	ev.f[SM_PROCESSTERMINATE_PROCESSGUID] = sm_cstr(x.guid);
	ev.f[SM_PROCESSTERMINATE_PROCESSID] = sm_cstr(x.pid);
	if (p)
		ev.f[SM_PROCESSTERMINATE_IMAGE] = p->image;
	ev.f[SM_PROCESSTERMINATE_USER] = sm_cstr(x.user);
	sm_filter_and_log(d, &ev);
	sm_pc_exited(d->pc, t->pid, rec->h.ktime);
}


/* SPDX-License-Identifier: MIT */
/* File events: FileCreate (11), RawAccessRead (9), FileDelete (23) /
 * FileDeleteDetected (26) and FileCreateTime (2). */
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "ev_who.h"
#include "events.h"
#include "loader.h"
#include "kfacts.h"
#include "pathjoin.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"

#define S_TYPE_MASK 0170000u
#define S_TYPE_REG 0100000u
#define S_ANY_EXEC 0111u

/* What every file event starts with: UtcTime and the acting process. */
struct file_text {
	char utc[SM_UTCTIME_LEN + 1];
	struct sm_who a;
	char path[2 * SM_PATH_MAX + 2];
};

_Static_assert(sizeof(struct file_text) <= SM_SCRATCH_SIZE,
	       "the file handlers' text fits the daemon's scratch");

/* UtcTime and the acting process, in the daemon's scratch. */
static struct file_text *begin(struct sm_daemon *d, const struct sm_rec_hdr *h,
			       const struct sm_task *t)
{
	struct file_text *x = d->scratch;

	sm_record_utctime(d, h->ktime, x->utc);
	sm_who_of_task(d, t, &x->a);
	return x;
}

/* The dir + name strings of a record as one absolute path in x->path. */
static struct sm_str joined(struct file_text *x, const struct sm_record *r,
			    int dir, int name)
{
	size_t n = sm_path_join(x->path, sizeof(x->path), r->s[dir].p,
				r->s[dir].len, r->s[name].p, r->s[name].len);

	return (struct sm_str){ x->path, (uint32_t)n };
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_FILE_CREATE). */
const struct sm_attach sm_attach_file_create[] = {
	/* FileCreate (11): O_CREAT opens that created a regular file */
	{ "sm_fc_creat", "syscalls", "sys_enter_creat", SM_EV_FILE_CREATE },
	{ "sm_fc_exit", "syscalls", "sys_exit_creat", SM_EV_FILE_CREATE },
	{ "sm_fc_open", "syscalls", "sys_enter_open", SM_EV_FILE_CREATE },
	{ "sm_fc_exit", "syscalls", "sys_exit_open", SM_EV_FILE_CREATE },
	{ "sm_fc_openat", "syscalls", "sys_enter_openat", SM_EV_FILE_CREATE },
	{ "sm_fc_exit", "syscalls", "sys_exit_openat", SM_EV_FILE_CREATE },
	{ "sm_fc_openat2", "syscalls", "sys_enter_openat2", SM_EV_FILE_CREATE },
	{ "sm_fc_exit", "syscalls", "sys_exit_openat2", SM_EV_FILE_CREATE },
	/* ... and through io_uring (6.3+: the request is prepared when its
	 * submission is traced) */
	{ "sm_uring_submit", "io_uring", "io_uring_submit_req",
	  SM_EV_FILE_CREATE },
	{ "sm_uring_open_done", "io_uring", "io_uring_complete",
	  SM_EV_FILE_CREATE },
	{ "sm_uring_overflow", "io_uring", "io_uring_cqe_overflow",
	  SM_EV_FILE_CREATE },
	{ 0 } /* end */
};

/* FileCreate of TARGET by the process of X; CreationUtcTime CTIME, or no
 * value when CTIME is NULL. Both kinds of record log through here. */
static void log_file_create(struct sm_daemon *d, struct file_text *x,
			    struct sm_str target, const char *ctime)
{
	struct sm_event ev = { .type = sm_schema_event(SM_EV_FILE_CREATE) };

	ev.f[SM_FILECREATE_UTCTIME] = sm_cstr(x->utc);
	ev.f[SM_FILECREATE_PROCESSGUID] = sm_cstr(x->a.guid);
	ev.f[SM_FILECREATE_PROCESSID] = sm_cstr(x->a.pid);
	ev.f[SM_FILECREATE_IMAGE] = sm_who_image(&x->a);
	ev.f[SM_FILECREATE_TARGETFILENAME] = target;
	if (ctime)
		ev.f[SM_FILECREATE_CREATIONUTCTIME] = sm_cstr(ctime);
	ev.f[SM_FILECREATE_USER] = sm_who_user(&x->a);
	sm_filter_and_log(d, &ev);
}

void sm_on_file_create(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_file_create *e = SM_REC(r, struct sm_rec_file_create);
	char ctime[40];
	const char *when;
	struct file_text *x;

	if (!sm_schema_event(SM_EV_FILE_CREATE))
		return;
	x = begin(d, &e->h, &e->t);
	when = NULL;
	if (sm_fmt_filetime(ctime, sizeof(ctime), e->ctime_sec, e->ctime_nsec))
		when = ctime;
	log_file_create(d, x, r->s[0], when);
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_FILE_MADE). */
const struct sm_attach sm_attach_file_made[] = {
	/* FileCreate (11): mknod/mknodat of a regular file, linkat of an
	 * O_TMPFILE file into place */
	{ "sm_fm_mknod_enter", "syscalls", "sys_enter_mknod",
	  SM_EV_FILE_CREATE },
	{ "sm_fm_exit", "syscalls", "sys_exit_mknod", SM_EV_FILE_CREATE },
	{ "sm_fm_mknodat_enter", "syscalls", "sys_enter_mknodat",
	  SM_EV_FILE_CREATE },
	{ "sm_fm_exit", "syscalls", "sys_exit_mknodat", SM_EV_FILE_CREATE },
	{ "sm_fm_linkat_enter", "syscalls", "sys_enter_linkat",
	  SM_EV_FILE_CREATE },
	{ "sm_fm_exit", "syscalls", "sys_exit_linkat", SM_EV_FILE_CREATE },
	{ 0 } /* end */
};

/* FileCreate of a file made without an open. CreationUtcTime: the linked
 * inode's change time; for mknod, whose new inode the exit does not see,
 * the event time. */
void sm_on_file_made(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_file_made *e = SM_REC(r, struct sm_rec_file_made);
	char ctime[40];
	const char *when;
	struct file_text *x;

	if (!sm_schema_event(SM_EV_FILE_CREATE))
		return;
	x = begin(d, &e->h, &e->t);
	when = x->utc;
	if ((e->flags & SM_RF_CTIME_KNOWN) &&
	    sm_fmt_filetime(ctime, sizeof(ctime), e->ctime_sec, e->ctime_nsec))
		when = ctime;
	log_file_create(d, x, joined(x, r, 0, 1), when);
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_RAW_READ). */
const struct sm_attach sm_attach_raw_read[] = {
	/* RawAccessRead (9): block devices opened for reading */
	{ "sm_raw_exit", "syscalls", "sys_exit_open", SM_EV_RAW_ACCESS_READ },
	{ "sm_raw_exit", "syscalls", "sys_exit_openat", SM_EV_RAW_ACCESS_READ },
	{ "sm_raw_exit", "syscalls", "sys_exit_openat2",
	  SM_EV_RAW_ACCESS_READ },
	/* ... and through io_uring (6.3+) */
	{ "sm_uring_submit", "io_uring", "io_uring_submit_req",
	  SM_EV_RAW_ACCESS_READ },
	{ "sm_uring_raw_done", "io_uring", "io_uring_complete",
	  SM_EV_RAW_ACCESS_READ },
	{ "sm_uring_overflow", "io_uring", "io_uring_cqe_overflow",
	  SM_EV_RAW_ACCESS_READ },
	{ 0 } /* end */
};

void sm_on_raw_read(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_raw_read *e = SM_REC(r, struct sm_rec_raw_read);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_RAW_ACCESS_READ) };
	struct file_text *x;

	if (!ev.type)
		return;
	x = begin(d, &e->h, &e->t);
	ev.f[SM_RAWACCESSREAD_UTCTIME] = sm_cstr(x->utc);
	ev.f[SM_RAWACCESSREAD_PROCESSGUID] = sm_cstr(x->a.guid);
	ev.f[SM_RAWACCESSREAD_PROCESSID] = sm_cstr(x->a.pid);
	ev.f[SM_RAWACCESSREAD_IMAGE] = sm_who_image(&x->a);
	ev.f[SM_RAWACCESSREAD_DEVICE] = r->s[0];
	ev.f[SM_RAWACCESSREAD_USER] = sm_who_user(&x->a);
	sm_filter_and_log(d, &ev);
}

/* IsExecutable: a regular file with an execute bit, when the kernel could
 * see its mode; a syscall tracepoint never sees the deleted file, so
 * without the mode this is "false" (see README: FileDelete). */
static struct sm_str is_executable(const struct sm_rec_file_delete *e)
{
	int exec = (e->flags & SM_RF_MODE_KNOWN) &&
		   (e->mode & S_TYPE_MASK) == S_TYPE_REG &&
		   (e->mode & S_ANY_EXEC);

	return exec ? SM_STR("true") : SM_STR("false");
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_FILE_DELETE). */
const struct sm_attach sm_attach_file_delete[] = {
	/* FileDelete (23): unlink, unlinkat, rmdir */
	{ "sm_fd_unlink", "syscalls", "sys_enter_unlink", SM_EV_FILE_DELETE },
	{ "sm_fd_exit", "syscalls", "sys_exit_unlink", SM_EV_FILE_DELETE },
	{ "sm_fd_unlinkat", "syscalls", "sys_enter_unlinkat",
	  SM_EV_FILE_DELETE },
	{ "sm_fd_exit", "syscalls", "sys_exit_unlinkat", SM_EV_FILE_DELETE },
	{ "sm_fd_rmdir", "syscalls", "sys_enter_rmdir", SM_EV_FILE_DELETE },
	{ "sm_fd_exit", "syscalls", "sys_exit_rmdir", SM_EV_FILE_DELETE },
	/* ... the file's mode and path on ext4, elsewhere the kernel's copy
	 * of the name (raw tracepoint objects) */
	{ "sm_fd_ext4_unlink", NULL, "ext4_unlink_enter", SM_EV_FILE_DELETE },
	{ "sm_fd_kname", NULL, "kmem_cache_free", SM_EV_FILE_DELETE },
	/* ... and through io_uring (6.3+) */
	{ "sm_uring_submit", "io_uring", "io_uring_submit_req",
	  SM_EV_FILE_DELETE },
	{ "sm_uring_del_done23", "io_uring", "io_uring_complete",
	  SM_EV_FILE_DELETE },
	{ "sm_uring_overflow", "io_uring", "io_uring_cqe_overflow",
	  SM_EV_FILE_DELETE },
	/* FileDeleteDetected (26): unlink, unlinkat, rmdir */
	{ "sm_fd_unlink", "syscalls", "sys_enter_unlink",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fdd_exit", "syscalls", "sys_exit_unlink",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fd_unlinkat", "syscalls", "sys_enter_unlinkat",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fdd_exit", "syscalls", "sys_exit_unlinkat",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fd_rmdir", "syscalls", "sys_enter_rmdir",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fdd_exit", "syscalls", "sys_exit_rmdir",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fd_ext4_unlink", NULL, "ext4_unlink_enter",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_fd_kname", NULL, "kmem_cache_free", SM_EV_FILE_DELETE_DETECTED },
	{ "sm_uring_submit", "io_uring", "io_uring_submit_req",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_uring_del_done26", "io_uring", "io_uring_complete",
	  SM_EV_FILE_DELETE_DETECTED },
	{ "sm_uring_overflow", "io_uring", "io_uring_cqe_overflow",
	  SM_EV_FILE_DELETE_DETECTED },
	{ 0 } /* end */
};

void sm_on_file_delete(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_file_delete *e = SM_REC(r, struct sm_rec_file_delete);
	struct sm_event ev = { .type = sm_schema_event(e->event) };
	struct file_text *x;

	/* 26 has the fields of 23 in the same order, less Archived */
	_Static_assert((int)SM_FILEDELETE_ISEXECUTABLE ==
			       (int)SM_FILEDELETEDETECTED_ISEXECUTABLE &&
		       (int)SM_FILEDELETE_UTCTIME ==
			       (int)SM_FILEDELETEDETECTED_UTCTIME,
		       "FileDelete and FileDeleteDetected fields");
	if (!ev.type)
		return;
	if (e->event != SM_EV_FILE_DELETE &&
	    e->event != SM_EV_FILE_DELETE_DETECTED) { /* not a record we made */
		d->bad_records++;
		return;
	}
	x = begin(d, &e->h, &e->t);
	ev.f[SM_FILEDELETE_UTCTIME] = sm_cstr(x->utc);
	ev.f[SM_FILEDELETE_PROCESSGUID] = sm_cstr(x->a.guid);
	ev.f[SM_FILEDELETE_PROCESSID] = sm_cstr(x->a.pid);
	ev.f[SM_FILEDELETE_USER] = sm_who_user(&x->a);
	ev.f[SM_FILEDELETE_IMAGE] = sm_who_image(&x->a);
	ev.f[SM_FILEDELETE_TARGETFILENAME] = joined(x, r, 0, 1);
	ev.f[SM_FILEDELETE_ISEXECUTABLE] = is_executable(e);
	if (e->event == SM_EV_FILE_DELETE)
		ev.f[SM_FILEDELETE_ARCHIVED] = SM_STR("false"); /* never archived */
	sm_filter_and_log(d, &ev);
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_FILE_TIME). */
const struct sm_attach sm_attach_file_time[] = {
	/* FileCreateTime (2): utimensat, futimesat, utimes, utime */
	{ "sm_ft_utimensat", "syscalls", "sys_enter_utimensat",
	  SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_exit", "syscalls", "sys_exit_utimensat",
	  SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_futimesat", "syscalls", "sys_enter_futimesat",
	  SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_exit", "syscalls", "sys_exit_futimesat",
	  SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_utimes", "syscalls", "sys_enter_utimes",
	  SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_exit", "syscalls", "sys_exit_utimes", SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_utime", "syscalls", "sys_enter_utime",
	  SM_EV_FILE_CREATE_TIME },
	{ "sm_ft_exit", "syscalls", "sys_exit_utime", SM_EV_FILE_CREATE_TIME },
	{ 0 } /* end */
};

void sm_on_file_time(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_file_time *e = SM_REC(r, struct sm_rec_file_time);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_FILE_CREATE_TIME) };
	char now[40], prev[40];
	struct file_text *x;

	if (!ev.type)
		return;
	x = begin(d, &e->h, &e->t);
	ev.f[SM_FILECREATETIME_UTCTIME] = sm_cstr(x->utc);
	ev.f[SM_FILECREATETIME_PROCESSGUID] = sm_cstr(x->a.guid);
	ev.f[SM_FILECREATETIME_PROCESSID] = sm_cstr(x->a.pid);
	ev.f[SM_FILECREATETIME_IMAGE] = sm_who_image(&x->a);
	ev.f[SM_FILECREATETIME_TARGETFILENAME] = joined(x, r, 0, 1);
	if (e->flags & SM_RF_NEW_NOW)
		ev.f[SM_FILECREATETIME_CREATIONUTCTIME] = sm_cstr(x->utc);
	else if (sm_fmt_filetime(now, sizeof(now), e->new_sec, e->new_nsec))
		ev.f[SM_FILECREATETIME_CREATIONUTCTIME] = sm_cstr(now);
	if ((e->flags & SM_RF_PREV_KNOWN) &&
	    sm_fmt_filetime(prev, sizeof(prev), e->prev_sec, e->prev_nsec))
		ev.f[SM_FILECREATETIME_PREVIOUSCREATIONUTCTIME] = sm_cstr(prev);
	ev.f[SM_FILECREATETIME_USER] = sm_who_user(&x->a);
	sm_filter_and_log(d, &ev);
}

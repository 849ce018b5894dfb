/* SPDX-License-Identifier: GPL-2.0-only */
/* FileCreateTime (2): a successful utimensat, futimesat, utimes or utime
 * that sets a file's modification time.
 *
 * Entry saves the arguments; for the fd forms (utimensat/futimesat with a
 * NULL name) it also reads the file's modification time before the call.
 * For the name forms it is not known: the name is all a syscall tracepoint
 * sees (a program on vfs_utimes, which gets the struct path, could add it:
 * kprobes or fentry, neither of which every kernel allows).
 * At exit: the fd forms read the time the kernel set from the inode, and
 * the path from the fd's struct path; the name forms carry the directory
 * plus the name, and the time from the arguments ("now" when none). */

#include "sm_args.bpf.h"
#include "sm_common.bpf.h"
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

struct sm_time_args {
	u64 dfd;
	u64 name;     /* 0: the fd form */
	u64 times;    /* user pointer, 0: now */
	s64 prev_sec;
	u32 prev_nsec;
	u32 flags;    /* SM_RF_PREV_KNOWN */
	s32 nr;
	u32 kind;     /* SM_TK_* */
};

#define SM_TK_TIMESPEC 1 /* utimensat: struct timespec[2] */
#define SM_TK_TIMEVAL 2  /* futimesat, utimes: struct timeval[2] */
#define SM_TK_UTIMBUF 3  /* utime: struct utimbuf */
#define SM_UTIME_NOW ((1l << 30) - 1l)
#define SM_UTIME_OMIT ((1l << 30) - 2l)

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, struct sm_time_args);
} sm_time_args_map SEC(".maps");

static __always_inline int sm_ft_save(struct sm_sys_enter *ctx, u32 kind,
				      u64 dfd, u64 name, u64 times)
{
	struct sm_time_args a = { .dfd = dfd, .name = name, .times = times,
				  .nr = ctx->nr, .kind = kind };

	if (!name) {
		struct file *f = sm_fd_file((void *)bpf_get_current_task(),
					    (int)dfd);

		if (!f)
			return 0;
		sm_inode_mtime(BPF_CORE_READ(f, f_inode), &a.prev_sec,
			       &a.prev_nsec);
		a.flags = SM_RF_PREV_KNOWN;
	}
	return sm_entry_save(&sm_time_args_map, &a);
}

SEC("tracepoint")
int sm_ft_utimensat(struct sm_sys_enter *ctx)
{
	return sm_ft_save(ctx, SM_TK_TIMESPEC, ctx->args[0], ctx->args[1],
			  ctx->args[2]);
}

SEC("tracepoint")
int sm_ft_futimesat(struct sm_sys_enter *ctx)
{
	return sm_ft_save(ctx, SM_TK_TIMEVAL, ctx->args[0], ctx->args[1],
			  ctx->args[2]);
}

SEC("tracepoint")
int sm_ft_utimes(struct sm_sys_enter *ctx)
{
	if (!ctx->args[0]) /* utimes(NULL, ..) fails: no name, no fd */
		return 0;
	return sm_ft_save(ctx, SM_TK_TIMEVAL, (u64)SM_AT_FDCWD, ctx->args[0],
			  ctx->args[1]);
}

SEC("tracepoint")
int sm_ft_utime(struct sm_sys_enter *ctx)
{
	if (!ctx->args[0])
		return 0;
	return sm_ft_save(ctx, SM_TK_UTIMBUF, (u64)SM_AT_FDCWD, ctx->args[0],
			  ctx->args[1]);
}

/* The modification time the arguments ask for. Returns 0 when the call
 * leaves it alone (UTIME_OMIT), else 1. */
static __always_inline int sm_ft_new_time(const struct sm_time_args *a,
					  struct sm_rec_file_time *r)
{
	s64 v[2] = {}; /* the modification time: element [1] of the array */

	if (!a->times) {
		r->flags |= SM_RF_NEW_NOW;
		return 1;
	}
	if (a->kind == SM_TK_UTIMBUF) { /* { actime, modtime } */
		bpf_probe_read_user(v, 8, (void *)(a->times + 8));
		r->new_sec = v[0];
		r->new_nsec = 0;
	} else if (a->kind == SM_TK_TIMEVAL) { /* { tv_sec, tv_usec }[2] */
		bpf_probe_read_user(v, 16, (void *)(a->times + 16));
		r->new_sec = v[0];
		r->new_nsec = (u32)v[1] * 1000;
	} else { /* { tv_sec, tv_nsec }[2] */
		bpf_probe_read_user(v, 16, (void *)(a->times + 16));
		if (v[1] == SM_UTIME_OMIT)
			return 0;
		if (v[1] == SM_UTIME_NOW)
			r->flags |= SM_RF_NEW_NOW;
		r->new_sec = v[0];
		r->new_nsec = (u32)v[1];
	}
	return 1;
}

SEC("tracepoint")
int sm_ft_exit(struct sm_sys_exit *ctx)
{
	struct sm_time_args *pa = sm_entry_peek(&sm_time_args_map);
	struct sm_time_args a;
	struct task_struct *task;
	struct sm_rec_file_time *r;
	struct sm_scratch *s;
	struct path p;
	int walk = 0;
	u32 end;

	if (!pa)
		return 0;
	a = *pa;
	sm_entry_forget(&sm_time_args_map);
	if (a.nr != ctx->nr || ctx->ret != 0)
		return 0;
	task = (void *)bpf_get_current_task();
	s = sm_rec_begin(SM_REC_FILE_TIME, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->flags = a.flags;
	r->prev_sec = a.prev_sec;
	r->prev_nsec = a.prev_nsec;
	r->pad = 0;
	r->new_sec = 0;
	r->new_nsec = 0;
	if (!sm_ft_new_time(&a, r)) {
		sm_scratch_put(s);
		return 0;
	}
	if (!a.name) {
		/* the fd form: the file itself, and the time the kernel set
		 * (after its clamping and "now") */
		struct file *f = sm_fd_file(task, (int)a.dfd);

		if (!f) {
			sm_scratch_put(s);
			return 0;
		}
		sm_inode_mtime(BPF_CORE_READ(f, f_inode), &r->new_sec,
			       &r->new_nsec);
		r->flags &= ~SM_RF_NEW_NOW;
		p = BPF_CORE_READ(f, f_path);
		walk = 1;
	} else if (!sm_name_absolute(a.name)) {
		walk = !sm_dfd_path(task, a.dfd, &p);
	}
	end = sizeof(*r);
	r->dir.off = end;
	r->dir.len = walk ? sm_path_text(s, &s->rec[end], &p, &r->flags) : 0;
	end += r->dir.len;
	r->name.off = end;
	r->name.len = a.name ? sm_user_name(&s->rec[end], a.name, &r->flags) : 0;
	end += r->name.len;
	sm_rec_end(ctx, s, end);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/* FileCreate (11): an open that created a regular file, and RawAccessRead
 * (9): a block device opened for reading.
 *
 * FileCreate: the entry programs save the arguments of opens with O_CREAT
 * only (creat always), so other opens cost a flag test and a map miss at
 * exit. At exit the new fd's file says whether this open created the file
 * (FMODE_CREATED, 4.19+; on older kernels, which have neither it nor
 * FMODE_OPENED, every successful O_CREAT open of a regular file counts, as
 * in the reference), and gives its absolute path without joining strings.
 *
 * FileCreate also comes from calls that make a regular file without an
 * open (record SM_REC_FILE_MADE, dir + name as given, as FileDelete):
 * mknod/mknodat of S_IFREG (or of type 0, which means the same), and
 * linkat of an O_TMPFILE file into place. A linkat is a file creation only
 * when its source is such a file: an inode with no name (i_nlink 0) that
 * the call links, which the kernel allows for O_TMPFILE files alone; a
 * hard link of a named file makes no new file and no event. The source is
 * known at entry for linkat(fd, "", ..., AT_EMPTY_PATH) and for
 * linkat(..., "/proc/self/fd/N" | "/proc/thread-self/fd/N" | "/dev/fd/N",
 * ..., AT_SYMLINK_FOLLOW) naming one of the caller's fds; other spellings
 * of a /proc fd link are not recognized.
 *
 * RawAccessRead needs no arguments: its exit program looks at the new fd's
 * inode. */

#include "sm_args.bpf.h"
#include "sm_common.bpf.h"
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

static __always_inline int sm_fc_save(struct sm_sys_enter *ctx, u64 flags)
{
	struct sm_args a = {};

	if (!(flags & SM_O_CREAT))
		return 0;
	a.nr = ctx->nr;
	return sm_entry_save(&sm_syscall_args, &a);
}

SEC("tracepoint")
int sm_fc_creat(struct sm_sys_enter *ctx)
{
	return sm_fc_save(ctx, SM_O_CREAT);
}

SEC("tracepoint")
int sm_fc_open(struct sm_sys_enter *ctx)
{
	return sm_fc_save(ctx, ctx->args[1]);
}

SEC("tracepoint")
int sm_fc_openat(struct sm_sys_enter *ctx)
{
	return sm_fc_save(ctx, ctx->args[2]);
}

/* openat2(dfd, path, struct open_how *how, size): how->flags first */
SEC("tracepoint")
int sm_fc_openat2(struct sm_sys_enter *ctx)
{
	u64 flags = 0;

	bpf_probe_read_user(&flags, sizeof(flags), (void *)ctx->args[2]);
	return sm_fc_save(ctx, flags);
}

SEC("tracepoint")
int sm_fc_exit(struct sm_sys_exit *ctx)
{
	struct sm_args a;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret < 0)
		return 0;
	sm_fc_emit(ctx, (void *)bpf_get_current_task(), ctx->ret);
	return 0;
}

#define SM_AT_SYMLINK_FOLLOW 0x400
#define SM_AT_EMPTY_PATH 0x1000

/* Saved for the exit program: the directory the new name starts from,
 * the name, and (linkat) the source inode. */
static __always_inline int sm_fm_save(struct sm_sys_enter *ctx, u64 dfd,
				      u64 name, u64 ino)
{
	struct sm_args a = {};

	a.nr = ctx->nr;
	a.args[0] = dfd;
	a.args[1] = name;
	a.args[2] = ino;
	return sm_entry_save(&sm_syscall_args, &a);
}

static __always_inline int sm_fm_mknod(struct sm_sys_enter *ctx, u64 dfd,
				       u64 name, u64 mode)
{
	u64 type = mode & SM_S_IFMT;

	if (type != 0 && type != SM_S_IFREG)
		return 0;
	return sm_fm_save(ctx, dfd, name, 0);
}

/* mknod(name, mode, dev) */
SEC("tracepoint")
int sm_fm_mknod_enter(struct sm_sys_enter *ctx)
{
	return sm_fm_mknod(ctx, (u64)SM_AT_FDCWD, ctx->args[0], ctx->args[1]);
}

/* mknodat(dfd, name, mode, dev) */
SEC("tracepoint")
int sm_fm_mknodat_enter(struct sm_sys_enter *ctx)
{
	return sm_fm_mknod(ctx, ctx->args[0], ctx->args[1], ctx->args[2]);
}

#define SM_W8(a, b, c, d, e, f, g, h) \
	((u64)(a) | (u64)(b) << 8 | (u64)(c) << 16 | (u64)(d) << 24 | \
	 (u64)(e) << 32 | (u64)(f) << 40 | (u64)(g) << 48 | (u64)(h) << 56)

/* Where the fd number starts in b when it spells one of the caller's fd
 * links ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"); 0 when
 * it does not. */
static __always_inline u32 sm_fd_link_prefix(const u8 *b)
{
	u64 w0, w1, w2;

	__builtin_memcpy(&w0, b, 8);
	__builtin_memcpy(&w1, b + 8, 8);
	__builtin_memcpy(&w2, b + 16, 8);
	if (w0 == SM_W8('/', 'd', 'e', 'v', '/', 'f', 'd', '/'))
		return 8;
	if (w0 != SM_W8('/', 'p', 'r', 'o', 'c', '/', 's', 'e') &&
	    w0 != SM_W8('/', 'p', 'r', 'o', 'c', '/', 't', 'h'))
		return 0;
	if ((w1 & 0xffffffffffffull) ==
	    (SM_W8('l', 'f', '/', 'f', 'd', '/', 0, 0)))
		return 14;
	if (w1 == SM_W8('r', 'e', 'a', 'd', '-', 's', 'e', 'l') &&
	    (w2 & 0xffffffffffull) == SM_W8('f', '/', 'f', 'd', '/', 0, 0, 0))
		return 21;
	return 0;
}

/* The fd a name like "/proc/self/fd/N" links to; -1 when it is not one. */
static __always_inline long sm_fd_link(u64 uname)
{
	u8 b[32] = {};
	u32 at, i;
	long fd = 0;

	if (bpf_probe_read_user_str(b, sizeof(b), (void *)uname) <= 0)
		return -1;
	at = sm_fd_link_prefix(b);
	if (!at)
		return -1;
#pragma unroll
	for (i = 0; i < 8; i++) {
		u8 c = b[(at + i) & 31];

		if (c == 0)
			return i ? fd : -1;
		if (c < '0' || c > '9')
			return -1;
		fd = fd * 10 + (c - '0');
	}
	return -1;
}

/* linkat(olddfd, oldname, newdfd, newname, flags): saved only when the
 * source is a file without a name (see above). */
SEC("tracepoint")
int sm_fm_linkat_enter(struct sm_sys_enter *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	u64 flags = ctx->args[4];
	struct inode *ino;
	struct file *f;
	char first = 1;
	long fd = -1;

	if (flags & SM_AT_EMPTY_PATH) {
		bpf_probe_read_user(&first, 1, (void *)ctx->args[1]);
		if (first == 0)
			fd = (long)(int)ctx->args[0];
	}
	if (fd < 0 && (flags & SM_AT_SYMLINK_FOLLOW))
		fd = sm_fd_link(ctx->args[1]);
	if (fd < 0)
		return 0;
	f = sm_fd_file(task, fd);
	if (!f)
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	if (BPF_CORE_READ(ino, i_nlink) != 0 ||
	    (sm_inode_mode(ino) & SM_S_IFMT) != SM_S_IFREG)
		return 0;
	return sm_fm_save(ctx, ctx->args[2], ctx->args[3], (u64)ino);
}

SEC("tracepoint")
int sm_fm_exit(struct sm_sys_exit *ctx)
{
	struct task_struct *task;
	struct sm_rec_file_made *r;
	struct sm_scratch *s;
	struct sm_args a;
	u32 end;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret != 0)
		return 0;
	task = (void *)bpf_get_current_task();
	s = sm_rec_begin(SM_REC_FILE_MADE, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->flags = 0;
	r->ctime_sec = 0;
	r->ctime_nsec = 0;
	if (a.args[2]) {
		sm_inode_ctime((struct inode *)a.args[2], &r->ctime_sec,
			       &r->ctime_nsec);
		r->ctime_nsec &= 0x7fffffff; /* 6.13+: a flag in the top bit */
		r->flags = SM_RF_CTIME_KNOWN;
	}
	end = sm_dir_and_name(s, sizeof(*r), task, a.args[0], a.args[1],
			      &r->dir, &r->name, &r->flags);
	sm_rec_end(ctx, s, end);
	return 0;
}

SEC("tracepoint")
int sm_raw_exit(struct sm_sys_exit *ctx)
{
	if (ctx->ret < 0 || sm_is_self())
		return 0;
	sm_raw_emit(ctx, (void *)bpf_get_current_task(), ctx->ret);
	return 0;
}

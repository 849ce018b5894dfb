/* SPDX-License-Identifier: GPL-2.0-only */
/* Files for the file and kernel events: inode mode and times, absolute
 * paths of open files, the directory a relative name starts from,
 * pathname arguments, and the FileCreate record of a new fd. */
#ifndef SM_FILE_BPF_H
#define SM_FILE_BPF_H

#include "sm_common.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

#define SM_AT_FDCWD (-100)
#define SM_AT_REMOVEDIR 0x200
#define SM_O_CREAT 0100
#define SM_FMODE_READ 0x1u
#define SM_FMODE_OPENED (1u << 19)  /* 4.19+: set on every opened file */
#define SM_FMODE_CREATED (1u << 20) /* 4.19+: this open created the file */
#define SM_S_IFREG 0100000
#define SM_S_IFBLK 0060000

static __always_inline u32 sm_inode_mode(struct inode *ino)
{
	return BPF_CORE_READ(ino, i_mode);
}

static __always_inline void sm_inode_mtime(struct inode *ino, s64 *sec,
					   u32 *nsec)
{
	if (bpf_core_field_exists(((struct inode___split *)ino)->i_mtime_sec)) {
		struct inode___split *i = (void *)ino;

		*sec = BPF_CORE_READ(i, i_mtime_sec);
		*nsec = BPF_CORE_READ(i, i_mtime_nsec);
	} else if (bpf_core_field_exists(
			   ((struct inode___ts67 *)ino)->__i_mtime)) {
		struct inode___ts67 *i = (void *)ino;

		*sec = BPF_CORE_READ(i, __i_mtime.tv_sec);
		*nsec = BPF_CORE_READ(i, __i_mtime.tv_nsec);
	} else {
		struct inode___ts *i = (void *)ino;

		*sec = BPF_CORE_READ(i, i_mtime.tv_sec);
		*nsec = BPF_CORE_READ(i, i_mtime.tv_nsec);
	}
}

static __always_inline void sm_inode_ctime(struct inode *ino, s64 *sec,
					   u32 *nsec)
{
	if (bpf_core_field_exists(
		    ((struct inode___csplit *)ino)->i_ctime_sec)) {
		struct inode___csplit *i = (void *)ino;

		*sec = BPF_CORE_READ(i, i_ctime_sec);
		*nsec = BPF_CORE_READ(i, i_ctime_nsec);
	} else if (bpf_core_field_exists(
			   ((struct inode___cts66 *)ino)->__i_ctime)) {
		struct inode___cts66 *i = (void *)ino;

		*sec = BPF_CORE_READ(i, __i_ctime.tv_sec);
		*nsec = BPF_CORE_READ(i, __i_ctime.tv_nsec);
	} else {
		struct inode___cts *i = (void *)ino;

		*sec = BPF_CORE_READ(i, i_ctime.tv_sec);
		*nsec = BPF_CORE_READ(i, i_ctime.tv_nsec);
	}
}

/* What identifies a file's content version (struct sm_file_id). */
static __always_inline void sm_fill_file_id(struct sm_file_id *id,
					    struct file *f)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);

	id->ino = BPF_CORE_READ(ino, i_ino);
	id->size = BPF_CORE_READ(ino, i_size);
	id->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	sm_inode_mtime(ino, &id->mtime_sec, &id->mtime_nsec);
	sm_inode_ctime(ino, &id->ctime_sec, &id->ctime_nsec);
	/* 6.13+ keep a "ctime was queried" flag in the top bit */
	id->ctime_nsec &= 0x7fffffff;
	id->gen = BPF_CORE_READ(ino, i_generation);
}

/* The directory a relative name of a *at() call starts from: dfd's file,
 * or the working directory for AT_FDCWD. -1 when dfd is not open. */
static __always_inline int sm_dfd_path(struct task_struct *task, long dfd,
				       struct path *p)
{
	struct file *f;

	if ((int)dfd == SM_AT_FDCWD) {
		*p = BPF_CORE_READ(task, fs, pwd);
		return 0;
	}
	f = sm_fd_file(task, (int)dfd);
	if (!f)
		return -1;
	*p = BPF_CORE_READ(f, f_path);
	return 0;
}

/* The absolute text of a struct path at dst: its length, flags on
 * truncation. */
static __always_inline u32 sm_path_text(struct sm_scratch *s, u8 *dst,
					struct path *p, u32 *flags)
{
	u32 trunc = 0, len = sm_path(s, dst, p, &trunc);

	if (trunc)
		*flags |= SM_RF_PATH_TRUNC;
	return len & (SM_PATH_MAX - 1);
}

/* The absolute path of an open file at dst: its length. */
static __always_inline u32 sm_file_path(struct sm_scratch *s, u8 *dst,
					struct file *f, u32 *flags)
{
	struct path p = BPF_CORE_READ(f, f_path);

	return sm_path_text(s, dst, &p, flags);
}

/* A pathname argument (user memory) at dst: its length without the NUL. */
static __always_inline u32 sm_user_name(u8 *dst, u64 uptr, u32 *flags)
{
	long n = bpf_probe_read_user_str(dst, SM_PATH_MAX, (void *)uptr);

	if (n <= 0)
		return 0;
	if (n >= SM_PATH_MAX)
		*flags |= SM_RF_NAME_TRUNC;
	return (u32)(n - 1) & (SM_PATH_MAX - 1);
}

/* Whether a pathname argument (user memory) is absolute. */
static __always_inline int sm_name_absolute(u64 uname)
{
	char first = 0;

	bpf_probe_read_user(&first, 1, (void *)uname);
	return first == '/';
}

/* "dir + name" strings of a *at() call at s->rec + off: the directory
 * (dfd's, or the working directory; left out when the name is absolute),
 * then the name as given. Fills the two refs; returns the new end. One
 * path walk at most, so the program stays small for old kernels. */
static __always_inline u32 sm_dir_and_name(struct sm_scratch *s, u32 off,
					   struct task_struct *task, long dfd,
					   u64 uname, struct sm_strref *dir,
					   struct sm_strref *name, u32 *flags)
{
	struct path p;
	u32 len = 0;

	off &= 1023;
	if (!sm_name_absolute(uname) && !sm_dfd_path(task, dfd, &p))
		len = sm_path_text(s, &s->rec[off], &p, flags);
	dir->off = off;
	dir->len = len;
	off += len;
	len = sm_user_name(&s->rec[off], uname, flags);
	name->off = off;
	name->len = len;
	return off + len;
}

/* The same from a pathname the kernel copied already (io_uring's): name
 * points to kernel memory. */
static __always_inline u32 sm_dir_and_kname(struct sm_scratch *s, u32 off,
					    struct task_struct *task, long dfd,
					    const char *name,
					    struct sm_strref *dir,
					    struct sm_strref *nref, u32 *flags)
{
	struct path p;
	char first = 0;
	long n;
	u32 len = 0;

	off &= 1023;
	bpf_probe_read_kernel(&first, 1, name);
	if (first != '/' && !sm_dfd_path(task, dfd, &p))
		len = sm_path_text(s, &s->rec[off], &p, flags);
	dir->off = off;
	dir->len = len;
	off += len;
	n = bpf_probe_read_kernel_str(&s->rec[off], SM_PATH_MAX, name);
	len = n > 0 ? (u32)(n - 1) & (SM_PATH_MAX - 1) : 0;
	if (n >= SM_PATH_MAX)
		*flags |= SM_RF_NAME_TRUNC;
	nref->off = off;
	nref->len = len;
	return off + len;
}

/* The FileCreate record of fd, just opened by task, when that open
 * created a regular file: the syscalls' exit and io_uring's completion. */
static __always_inline void sm_fc_emit(void *ctx, struct task_struct *task,
				       long fd)
{
	struct sm_rec_file_create *r;
	struct sm_scratch *s;
	struct inode *ino;
	struct file *f = sm_fd_file(task, fd);
	u32 fmode, off;

	if (!f)
		return;
	fmode = BPF_CORE_READ(f, f_mode);
	if ((fmode & SM_FMODE_OPENED) && !(fmode & SM_FMODE_CREATED))
		return;
	ino = BPF_CORE_READ(f, f_inode);
	if ((sm_inode_mode(ino) & SM_S_IFMT) != SM_S_IFREG)
		return;
	s = sm_rec_begin(SM_REC_FILE_CREATE, task);
	if (!s)
		return;
	r = (void *)s->rec;
	r->flags = 0;
	sm_inode_ctime(ino, &r->ctime_sec, &r->ctime_nsec);
	off = sizeof(*r);
	r->path.off = off;
	r->path.len = sm_file_path(s, &s->rec[off], f, &r->flags);
	sm_rec_end(ctx, s, off + r->path.len);
}

/* The RawAccessRead record of fd, just opened by task, when it is a block
 * device opened for reading: the syscalls' exit and io_uring's completion. */
static __always_inline void sm_raw_emit(void *ctx, struct task_struct *task,
					long fd)
{
	struct sm_rec_raw_read *r;
	struct sm_scratch *s;
	struct file *f = sm_fd_file(task, fd);
	u32 off, type;

	if (!f || !(BPF_CORE_READ(f, f_mode) & SM_FMODE_READ))
		return;
	type = sm_inode_mode(BPF_CORE_READ(f, f_inode)) & SM_S_IFMT;
	if (type != SM_S_IFBLK)
		return;
	s = sm_rec_begin(SM_REC_RAW_READ, task);
	if (!s)
		return;
	r = (void *)s->rec;
	r->flags = 0;
	r->pad = 0;
	off = sizeof(*r);
	r->device.off = off;
	r->device.len = sm_file_path(s, &s->rec[off], f, &r->flags);
	sm_rec_end(ctx, s, off + r->device.len);
}

#endif

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
	struct task_struct *task;
	struct sm_rec_file_create *r;
	struct sm_scratch *s;
	struct inode *ino;
	struct file *f;
	struct sm_args a;
	u32 fmode, off;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret < 0)
		return 0;
	task = (void *)bpf_get_current_task();
	f = sm_fd_file(task, ctx->ret);
	if (!f)
		return 0;
	fmode = BPF_CORE_READ(f, f_mode);
	if ((fmode & SM_FMODE_OPENED) && !(fmode & SM_FMODE_CREATED))
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	if ((sm_inode_mode(ino) & SM_S_IFMT) != SM_S_IFREG)
		return 0;
	s = sm_rec_begin(SM_REC_FILE_CREATE, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->flags = 0;
	sm_inode_ctime(ino, &r->ctime_sec, &r->ctime_nsec);
	off = sizeof(*r);
	r->path.off = off;
	r->path.len = sm_file_path(s, &s->rec[off], f, &r->flags);
	sm_rec_end(ctx, s, off + r->path.len);
	return 0;
}

SEC("tracepoint")
int sm_raw_exit(struct sm_sys_exit *ctx)
{
	struct task_struct *task;
	struct sm_rec_raw_read *r;
	struct sm_scratch *s;
	struct file *f;
	u32 off;

	if (ctx->ret < 0 || sm_is_self())
		return 0;
	task = (void *)bpf_get_current_task();
	f = sm_fd_file(task, ctx->ret);
	if (!f || !(BPF_CORE_READ(f, f_mode) & SM_FMODE_READ) ||
	    (sm_inode_mode(BPF_CORE_READ(f, f_inode)) & SM_S_IFMT) != SM_S_IFBLK)
		return 0;
	s = sm_rec_begin(SM_REC_RAW_READ, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->flags = 0;
	r->pad = 0;
	off = sizeof(*r);
	r->device.off = off;
	r->device.len = sm_file_path(s, &s->rec[off], f, &r->flags);
	sm_rec_end(ctx, s, off + r->device.len);
	return 0;
}

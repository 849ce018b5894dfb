/* SPDX-License-Identifier: GPL-2.0-only */
/* FileDelete (23) and FileDeleteDetected (26): a successful unlink,
 * unlinkat or rmdir. The entry programs save (dfd, name, flags); at exit
 * the record carries the directory the name starts from (dfd's file or
 * the working directory, resolved from its struct path) and the name as
 * given: the file itself is gone by then, and a syscall tracepoint never
 * sees its dentry.
 *
 * The file's mode (IsExecutable): the name is all a syscall tracepoint
 * sees, and the file is gone at exit. On ext4 (the usual root file system)
 * the raw tracepoint ext4:ext4_unlink_enter runs inside the call with the
 * file's dentry: it adds the mode to the saved arguments. Elsewhere (other
 * file systems, objects without raw tracepoints) the mode stays unknown:
 * a generic hook (security_inode_unlink) needs kprobes or fentry, which not
 * every kernel allows.
 *
 * Both events use the same entry programs (one link when both are
 * configured) and may be configured at once, each then with its own exit
 * program and record: so the exit programs read the saved entry without
 * removing it; the next delete of the thread overwrites it, and the map is
 * an LRU of its own. */
#include "sm_args.bpf.h"
#include "sm_event_ids.h" /* generated from the schema */
#include "sm_file.bpf.h"
#include "sm_record.bpf.h"
#include "sm_uring.bpf.h"

struct sm_del_args {
	u64 dfd;
	u64 name;
	u32 flags; /* SM_RF_REMOVEDIR, SM_RF_MODE_KNOWN */
	s32 nr;
	u32 mode;  /* i_mode, when SM_RF_MODE_KNOWN */
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, struct sm_del_args);
} sm_del_args_map SEC(".maps");

static __always_inline int sm_del_save(struct sm_sys_enter *ctx, u64 dfd,
				       u64 name, u32 flags)
{
	struct sm_del_args a = { .dfd = dfd, .name = name, .flags = flags,
				 .nr = ctx->nr };

	return sm_entry_save(&sm_del_args_map, &a);
}

SEC("tracepoint")
int sm_fd_unlink(struct sm_sys_enter *ctx)
{
	return sm_del_save(ctx, (u64)SM_AT_FDCWD, ctx->args[0], 0);
}

SEC("tracepoint")
int sm_fd_unlinkat(struct sm_sys_enter *ctx)
{
	return sm_del_save(ctx, ctx->args[0], ctx->args[1],
			   (ctx->args[2] & SM_AT_REMOVEDIR) ? SM_RF_REMOVEDIR : 0);
}

SEC("tracepoint")
int sm_fd_rmdir(struct sm_sys_enter *ctx)
{
	return sm_del_save(ctx, (u64)SM_AT_FDCWD, ctx->args[0], SM_RF_REMOVEDIR);
}

#if SM_HAVE_RAW_TP
/* ext4_unlink(dir, dentry): the file, just before it goes. */
SEC("raw_tracepoint/ext4_unlink_enter")
int sm_fd_ext4_unlink(struct bpf_raw_tracepoint_args *ctx)
{
	struct sm_del_args *a = sm_entry_peek(&sm_del_args_map);
	struct dentry *de = (struct dentry *)ctx->args[1];
	u32 mode = BPF_CORE_READ(de, d_inode, i_mode);

	if (!a) {
#if SM_HAVE_PROBE_READ_KERNEL
		/* an unlink through io_uring (io_uring.bpf.c) */
		sm_uring_note_mode(mode);
#endif
		return 0;
	}
	a->mode = mode;
	a->flags |= SM_RF_MODE_KNOWN;
	return 0;
}
#endif

static __always_inline int sm_del_exit(struct sm_sys_exit *ctx, u32 event)
{
	struct sm_del_args *a = sm_entry_peek(&sm_del_args_map);
	struct task_struct *task;
	struct sm_rec_file_delete *r;
	struct sm_scratch *s;
	u32 end;

	if (!a || a->nr != ctx->nr || ctx->ret != 0)
		return 0;
	task = (void *)bpf_get_current_task();
	s = sm_rec_begin(SM_REC_FILE_DELETE, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->event = event;
	r->flags = a->flags;
	r->mode = a->mode; /* when known: see above */
	r->pad = 0;
	end = sm_dir_and_name(s, sizeof(*r), task, a->dfd, a->name, &r->dir,
			      &r->name, &r->flags);
	sm_rec_end(ctx, s, end);
	return 0;
}

SEC("tracepoint")
int sm_fd_exit(struct sm_sys_exit *ctx)
{
	return sm_del_exit(ctx, SM_EV_FILE_DELETE);
}

SEC("tracepoint")
int sm_fdd_exit(struct sm_sys_exit *ctx)
{
	return sm_del_exit(ctx, SM_EV_FILE_DELETE_DETECTED);
}

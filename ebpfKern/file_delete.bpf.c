/* SPDX-License-Identifier: GPL-2.0-only */
/* FileDelete (23) and FileDeleteDetected (26): a successful unlink,
 * unlinkat or rmdir. The record carries the directory the name starts from
 * (dfd's file or the working directory, resolved at exit from its struct
 * path) and the name.
 *
 * Which name: another thread may rewrite the caller's name buffer while
 * the call runs, so the user string read at exit can name a file that was
 * never removed. The entry program copies the name (the kernel copies it
 * right after, so only that short window is left). With raw tracepoints
 * the name becomes what the kernel used: on ext4, ext4:ext4_unlink_enter
 * gives the dentry being removed and the name becomes its absolute path
 * (sm_del_kpath); everywhere else (rmdir, other file systems) the name
 * becomes the kernel's own copy, seen when putname frees it to names_cache
 * inside the call (kmem:kmem_cache_free, sm_fd_kname). No user memory is
 * read again. The objects without raw tracepoints (4.15/4.16), and kernels
 * before 5.12 (whose kmem_cache_free does not say the cache) off ext4,
 * keep the entry copy (README: What an attacker cannot hide).
 *
 * The file's mode (IsExecutable): a syscall tracepoint never sees the
 * file, and it is gone at exit; ext4_unlink_enter adds it. Elsewhere the
 * mode stays unknown: a generic hook (security_inode_unlink) needs kprobes
 * or fentry, which not every kernel allows.
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

/* flags of an entry, beside the record's: name is the absolute path of the
 * removed file, from its dentry (KPATH), or the kernel's own copy of the
 * name (KNAME) */
#define SM_DEL_KPATH (1u << 31)
#define SM_DEL_KNAME (1u << 30)

struct sm_del_args {
	u64 dfd;
	u64 uname; /* the caller's name buffer */
	u32 flags; /* SM_RF_REMOVEDIR, SM_RF_MODE_KNOWN, SM_RF_NAME_TRUNC,
		    * SM_DEL_KPATH, SM_DEL_KNAME */
	s32 nr;
	u32 mode;  /* i_mode, when SM_RF_MODE_KNOWN */
	u32 pad;
	u8 name[SM_PATH_MAX]; /* NUL-terminated */
};

/* 4 KiB a value: 1,024 threads inside a delete at once */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, struct sm_del_args);
} sm_del_args_map SEC(".maps");

/* This thread's entry, made when missing (from a scratch slot's bytes: a
 * value this size does not fit the stack; every field is set next). */
static __always_inline struct sm_del_args *sm_del_entry(void)
{
	u64 id = bpf_get_current_pid_tgid();
	struct sm_del_args *a = bpf_map_lookup_elem(&sm_del_args_map, &id);
	struct sm_scratch *s;

	if (a)
		return a;
	s = sm_scratch_get();
	if (!s)
		return 0;
	bpf_map_update_elem(&sm_del_args_map, &id, s->rec, BPF_ANY);
	sm_scratch_put(s);
	return bpf_map_lookup_elem(&sm_del_args_map, &id);
}

static __always_inline int sm_del_save(struct sm_sys_enter *ctx, u64 dfd,
				       u64 uname, u32 flags)
{
	struct sm_del_args *a;
	long n;

	if (sm_is_self())
		return 0;
	a = sm_del_entry();
	if (!a)
		return 0;
	n = bpf_probe_read_user_str(a->name, SM_PATH_MAX, (void *)uname);
	if (n <= 0)
		a->name[0] = 0;
	if (n >= SM_PATH_MAX)
		flags |= SM_RF_NAME_TRUNC;
	a->dfd = dfd;
	a->uname = uname;
	a->flags = flags;
	a->nr = ctx->nr;
	a->mode = 0;
	return 0;
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
/* The mount to walk up from the removed dentry: the dentry names the file
 * system, not the mount. Any mount of that file system whose tree holds
 * the dentry gives a true absolute path of the file; the name's start (the
 * root for an absolute name, else dfd's directory or the working
 * directory) is tried first, then the other one. */
static __always_inline int sm_del_mount(struct sm_del_args *a,
					struct dentry *de, struct path *p)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct super_block *sb = BPF_CORE_READ(de, d_sb);
	struct path root = BPF_CORE_READ(task, fs, root);
	struct path start;

	if (a->name[0] == '/' || sm_dfd_path(task, a->dfd, &start))
		start = root;
	if (BPF_CORE_READ(start.mnt, mnt_sb) == sb)
		p->mnt = start.mnt;
	else if (BPF_CORE_READ(root.mnt, mnt_sb) == sb)
		p->mnt = root.mnt;
	else
		return -1;
	p->dentry = de;
	return 0;
}

/* The name becomes the removed file's absolute path when the walk from
 * its dentry reaches the top of the mount tree whole (else the entry copy
 * stays: a file reached through another mount of its file system, or a
 * path deeper than the walk). */
static __always_inline void sm_del_kpath(struct sm_del_args *a,
					 struct dentry *de)
{
	struct sm_scratch *s;
	struct path p;
	u32 trunc = 0, len;

	if (sm_del_mount(a, de, &p))
		return;
	s = sm_scratch_get();
	if (!s)
		return;
	len = sm_path(s, s->rec, &p, &trunc) & (SM_PATH_MAX - 1);
	if (!trunc && s->walk.end == 1 && len > 0) {
		bpf_probe_read_kernel(a->name, len, s->rec);
		a->name[len & (SM_PATH_MAX - 1)] = 0;
		a->flags = (a->flags & ~SM_RF_NAME_TRUNC) | SM_DEL_KPATH;
	}
	sm_scratch_put(s);
}

/* ext4_unlink(dir, dentry): the file, just before it goes. Its path is
 * not the name the caller used when the call runs with other credentials
 * than the task's: an overlayfs removing its upper file (with the
 * mounter's) would log the upper layer's path. */
SEC("raw_tracepoint/ext4_unlink_enter")
int sm_fd_ext4_unlink(struct bpf_raw_tracepoint_args *ctx)
{
	struct sm_del_args *a = sm_entry_peek(&sm_del_args_map);
	struct dentry *de = (struct dentry *)ctx->args[1];
	u32 mode = BPF_CORE_READ(de, d_inode, i_mode);
	struct task_struct *task = (void *)bpf_get_current_task();

	if (!a) {
#if SM_HAVE_PROBE_READ_KERNEL
		/* an unlink through io_uring (io_uring.bpf.c) */
		sm_uring_note_mode(mode);
#endif
		return 0;
	}
	a->mode = mode;
	a->flags |= SM_RF_MODE_KNOWN;
	if (BPF_CORE_READ(task, cred) == BPF_CORE_READ(task, real_cred))
		sm_del_kpath(a, de);
	return 0;
}

/* The slab cache of the kernel's pathname copies (names_cache), as
 * kmem_cache_free's third argument shows it: the cache (6.1+) or its name
 * (5.12-6.0), the same pointer for the cache's life. Learned at the first
 * free of it inside a delete; 0 until then. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} sm_names_cache SEC(".maps");

/* Whether the 12 bytes at p are "names_cache" and its NUL. */
static __always_inline int sm_is_names_cache_text(const void *p)
{
	u64 w[2] = {};

	bpf_probe_read_kernel(w, 12, p);
	/* "names_ca" "che\0", little-endian */
	return w[0] == 0x61635f73656d616eULL && w[1] == 0x00656863ULL;
}

/* Whether cache (kmem_cache_free's third argument) is names_cache. */
static __always_inline int sm_is_names_cache(u64 cache)
{
	struct kmem_cache *c = (void *)cache;

	return sm_is_names_cache_text((void *)cache) ||
	       sm_is_names_cache_text(BPF_CORE_READ(c, name));
}

/* putname's free of this thread's name (copied from the buffer the delete
 * was given): the name the kernel resolved, whatever the buffer says now.
 * Every slab free of the machine comes here; any but names_cache's leaves
 * after one compare once the cache is known. A name too long to share the
 * cache's object with its struct filename (4,064 bytes and more) is not
 * recognized: the entry copy stays. */
SEC("raw_tracepoint/kmem_cache_free")
int sm_fd_kname(struct bpf_raw_tracepoint_args *ctx)
{
	struct filename *f = (struct filename *)ctx->args[1];
	u64 cache = ctx->args[2];
	u32 zero = 0;
	u64 *known = bpf_map_lookup_elem(&sm_names_cache, &zero);
	struct sm_del_args *a;
	const char *kname;
	long n;

	if (!known || (*known && *known != cache))
		return 0;
	a = sm_entry_peek(&sm_del_args_map);
	if (!a || (a->flags & (SM_DEL_KPATH | SM_DEL_KNAME)))
		return 0;
	if (!*known) {
		if (!sm_is_names_cache(cache))
			return 0;
		*known = cache;
	}
	kname = BPF_CORE_READ(f, name);
	if ((u64)BPF_CORE_READ(f, uptr) != a->uname ||
	    kname != (const char *)f + bpf_core_field_offset(struct filename, iname))
		return 0;
	n = bpf_probe_read_kernel_str(a->name, SM_PATH_MAX, kname);
	if (n <= 0)
		return 0;
	a->flags = (a->flags & ~SM_RF_NAME_TRUNC) | SM_DEL_KNAME;
	if (n >= SM_PATH_MAX)
		a->flags |= SM_RF_NAME_TRUNC;
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
	r->flags = a->flags & ~(SM_DEL_KPATH | SM_DEL_KNAME);
	r->mode = a->mode; /* when known: see above */
	r->pad = 0;
	/* an absolute name (as the dentry's path is) has no directory */
	end = sm_dir_and_kname(s, sizeof(*r), task, a->dfd,
			       (const char *)a->name, &r->dir, &r->name,
			       &r->flags);
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

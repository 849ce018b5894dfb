/* The few kernel types the programs read, declared by hand for CO-RE:
 * libbpf relocates every field access against the running kernel's BTF, so
 * only names and kinds matter here, not layout. Fields that moved between
 * kernels have "flavour" types (name___suffix) checked with
 * bpf_core_field_exists. */
#ifndef SM_KERNEL_H
#define SM_KERNEL_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef signed long long s64;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

typedef struct { int counter; } atomic_t;
typedef struct { unsigned int val; } kuid_t;

struct qstr {
	u32 len;
	const unsigned char *name;
};

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
};

struct vfsmount {
	struct dentry *mnt_root;
};

struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct super_block {
	u32 s_dev;
};

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

struct inode {
	unsigned long i_ino;
	struct super_block *i_sb;
	long long i_size;
};

/* modification time: i_mtime (< 6.7), __i_mtime (6.7 - 6.10),
 * i_mtime_sec/i_mtime_nsec (6.11+) */
struct inode___ts {
	struct timespec64 i_mtime;
};
struct inode___ts67 {
	struct timespec64 __i_mtime;
};
struct inode___split {
	s64 i_mtime_sec;
	u32 i_mtime_nsec;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
};

struct mm_struct {
	unsigned long end_code;
	unsigned long arg_start;
	unsigned long arg_end;
	struct file *exe_file;
};

struct fs_struct {
	struct path pwd;
};

struct cred {
	kuid_t uid;
};

struct signal_struct {
	atomic_t live;
};

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	struct fs_struct *fs;
	const struct cred *cred;
	struct signal_struct *signal;
	u64 start_time;
	u64 start_boottime;
	kuid_t loginuid;
	unsigned int sessionid;
};

/* before 5.5 the boot-based start time was real_start_time */
struct task_struct___old {
	u64 real_start_time;
};

#pragma clang attribute pop

/* syscalls:sys_enter_* / sys_exit_* tracepoint records */
struct sm_trace_entry {
	u16 type;
	u8 flags;
	u8 preempt_count;
	s32 pid;
};

struct sm_sys_enter {
	struct sm_trace_entry ent;
	s32 nr;
	u64 args[6];
};

struct sm_sys_exit {
	struct sm_trace_entry ent;
	s32 nr;
	s64 ret;
};

#endif

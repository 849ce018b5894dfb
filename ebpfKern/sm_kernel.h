/* SPDX-License-Identifier: GPL-2.0-only */
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

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

struct hlist_node {
	struct hlist_node *next;
	struct hlist_node **pprev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct qstr {
	u32 len;
	const unsigned char *name;
};

struct hlist_bl_node {
	struct hlist_bl_node *next;
	struct hlist_bl_node **pprev;
};

struct dentry {
	struct hlist_bl_node d_hash; /* pprev NULL: unhashed (d_unhashed) */
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	struct super_block *d_sb;
};

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
};

struct ns_common {
	unsigned int inum;
};

struct mnt_namespace {
	struct ns_common ns;
};

struct mount {
	struct mnt_namespace *mnt_ns;
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
	unsigned short i_mode; /* file events */
	atomic_t i_writecount; /* < 0: writers shut out (an exec) */
	unsigned int i_nlink;  /* in a union with __i_nlink */
	u32 i_generation;      /* with i_ino, the inode's file handle */
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
	unsigned int f_mode;  /* file events: fmode_t */
	void *private_data;   /* bpf events: the struct bpf_prog of a prog fd */
};

struct mm_struct {
	unsigned long end_code;
	unsigned long arg_start;
	unsigned long arg_end;
	struct file *exe_file;
};

struct fs_struct {
	struct path root;
	struct path pwd;
};

struct cred {
	kuid_t uid;
};

/* the kernel's copy of a pathname (getname; file deletes, io_uring): a
 * delete's is freed to names_cache by putname inside the call; iname holds
 * a name shorter than the cache's object */
struct filename {
	const char *name;
	const char *uptr; /* the caller's buffer it was copied from */
	const char iname[0];
};

struct kmem_cache {
	const char *name;
};

struct signal_struct {
	atomic_t live;
};

struct task_struct {
	void *stack; /* network events: the task's kernel stack */
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	struct mm_struct *active_mm; /* after exit_mm: the mm it had */
	struct fs_struct *fs;
	const struct cred *real_cred; /* file deletes: cred != real_cred */
	const struct cred *cred;      /* inside an override (overlayfs) */
	struct signal_struct *signal;
	u64 start_time;
	u64 start_boottime;
	kuid_t loginuid;
	unsigned int sessionid;
	struct files_struct *files;    /* file events: fd -> file */
	struct list_head ptraced;      /* access events: tasks this one traces */
	struct list_head ptrace_entry; /* ... linked through this member */
	unsigned int flags;            /* PF_*: PF_IO_WORKER */
	void *worker_private;          /* an io-wq worker's struct io_worker */
	/* 4.19+: its pid (task_pid), and its links in its pids' task lists */
	struct pid *thread_pid;
	struct hlist_node pid_links[4];
};

/* before 5.5 the boot-based start time was real_start_time; before 4.19
 * a task's pids were pid_links with their pid beside */
struct pid_link {
	struct hlist_node node;
	struct pid *pid;
};

struct task_struct___old {
	u64 real_start_time;
	struct pid_link pids[4];
};

/* access events: a pid number to its task, as find_task_by_vpid does it.
 * A pid namespace maps numbers to struct pid in an IDR: an xarray (4.20+)
 * or a radix tree (4.15 - 4.19), whose nodes have the same two members
 * read here. */
struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct hlist_head tasks[4]; /* [0]: the task of this thread id */
	struct upid numbers[1];     /* [level]: in the task's own namespace */
};

struct xarray {
	void *xa_head;
};

struct radix_tree_root {
	void *rnode;
};

struct idr {
	struct xarray idr_rt;
};

struct idr___old {
	struct radix_tree_root idr_rt;
};

struct pid_namespace {
	struct idr idr;
};

struct pid_namespace___old {
	struct idr___old idr;
};

struct xa_node {
	unsigned char shift;
	void *slots[64];
};

struct radix_tree_node {
	unsigned char shift;
	void *slots[64];
};

/* file, process-access and kernel events (file*, access*, bpf_event*,
 * module*.bpf.c) */
struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

/* change time: i_ctime (< 6.6), __i_ctime (6.6 - 6.10),
 * i_ctime_sec/i_ctime_nsec (6.11+) */
struct inode___cts {
	struct timespec64 i_ctime;
};
struct inode___cts66 {
	struct timespec64 __i_ctime;
};
struct inode___csplit {
	s64 i_ctime_sec;
	u32 i_ctime_nsec;
};

struct bpf_prog_aux {
	u32 id;
	char name[16];
};

struct bpf_prog {
	enum bpf_prog_type type;
	struct bpf_prog_aux *aux;
};

/* network events (network*.bpf.c, dns.bpf.c). The address and port
 * members sit in anonymous unions of struct sock_common; CO-RE finds them
 * by name. */
struct in6_addr {
	u8 in6_u[16];
};

struct sock_common {
	u32 skc_daddr;             /* __be32 */
	u32 skc_rcv_saddr;         /* __be32 */
	u16 skc_dport;             /* __be16 */
	u16 skc_num;               /* host order */
	unsigned short skc_family;
	volatile unsigned char skc_state;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct sock {
	struct sock_common __sk_common;
	u16 sk_protocol;           /* a bitfield before 5.6: read it with
				      BPF_CORE_READ_BITFIELD_PROBED */
};

struct socket {
	struct sock *sk;
};

/* a packet: its owner socket, its buffer, and where its headers start
 * (offsets from head) */
struct sk_buff {
	struct sock *sk;
	unsigned int len;      /* bytes, linear part and pages */
	unsigned int data_len; /* bytes in pages */
	u16 transport_header;
	u16 network_header;
	unsigned char *head;
	unsigned char *data;
};

/* io_uring (5.6+): a request, and the command areas of the operations
 * read from it. The command area starts the request (a union before 6.0,
 * io_kiocb_to_cmd() since), so a request pointer is also theirs. */
struct open_how {
	u64 flags;
};

/* an io-wq work item, inside its request */
struct io_wq_work {
	atomic_t flags;
};

struct io_kiocb {
	u8 opcode;
	u32 flags; /* REQ_F_* (64 bits from 6.10: the low half is read) */
	struct io_wq_work work;
};

/* an io-wq worker (task_struct.worker_private): the work it runs */
struct io_worker {
	struct io_wq_work *cur_work;
};

/* exists from 6.3, with io_uring:io_uring_submit_req: the kernels whose
 * io_uring requests the programs read (bpf_core_type_exists) */
struct trace_event_raw_io_uring_submit_req {
	void *req;
};

struct io_accept {
	int iou_flags; /* IORING_ACCEPT_MULTISHOT */
	u32 file_slot; /* a fixed-file slot instead of an fd */
};

struct io_open {
	int dfd;
	u32 file_slot; /* 5.15+: a fixed-file slot instead of an fd */
	struct filename *filename;
	struct open_how how;
};

struct io_unlink {
	int dfd;
	int flags;
	struct filename *filename;
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

/* io_uring:io_uring_submit_req (6.3+) and io_uring:io_uring_complete
 * records: since 5.18 both begin with the ring and the request; res is
 * io_uring_complete's. */
struct sm_uring_tp {
	struct sm_trace_entry ent;
	u64 ring;
	u64 req;
	u64 user_data;
	s32 res;
	u32 cflags; /* io_uring_complete's */
};

/* io_uring:io_uring_cqe_overflow (5.19+): a completion without its
 * request */
struct sm_uring_overflow_tp {
	struct sm_trace_entry ent;
	u64 ring;
	u64 user_data;
	s32 res;
	u32 cflags;
};

#endif

/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* The record format between the eBPF programs and the daemon.
 * Fixed-width fields only; strings travel as (offset, length) pairs into the
 * data area that follows the fixed part. Shared by ebpfKern/ and user space:
 * keep it free of any include the BPF target cannot take. */
#ifndef SM_SYSMON_ABI_H
#define SM_SYSMON_ABI_H

#ifndef __bpf__
#include <stdint.h>
typedef uint8_t sm_u8;
typedef uint16_t sm_u16;
typedef uint32_t sm_u32;
typedef uint64_t sm_u64;
typedef int64_t sm_s64;
#else
typedef unsigned char sm_u8;
typedef unsigned short sm_u16;
typedef unsigned int sm_u32;
typedef unsigned long long sm_u64;
typedef long long sm_s64;
#endif

#define SM_ABI_VERSION 1

/* Limits of what the kernel side copies. */
#define SM_PATH_MAX 4096        /* one resolved path, NUL excluded */
/* Raw argv block (NUL-separated). A perf buffer sample carries at most
 * 64 KiB (its size is 16 bits): an exec record, its two paths and 48 KiB
 * of arguments fit (checked below). */
#define SM_ARGS_MAX 49152

/* Scratch slots per possible CPU in which the kernel side builds records
 * (the loader sizes the map): one for a program, one for a program that
 * preempts it on that CPU. */
#define SM_SLOTS_PER_CPU 2

/* Record types: SM_REC_<NAME> for each line of records.def, which says
 * where everything else about the record is. */
enum sm_rec_type {
#define SM_RECORD(NAME, type, ...) SM_REC_##NAME = type,
#include "records.def"
};

/* Record flags. */
#define SM_RF_ARGS_TRUNC (1u << 0)  /* argv cut: longer than SM_ARGS_MAX,
				     * or unreadable (args then empty) */
#define SM_RF_IMAGE_TRUNC (1u << 1) /* path deeper than the walk */
#define SM_RF_CWD_TRUNC (1u << 2)
/* the executable has no name left (unlinked, or a memfd): user space adds
 * " (deleted)" to the image, as /proc/PID/exe shows it */
#define SM_RF_IMAGE_DELETED (1u << 10)
/* the exec shut writers out of the executable (i_writecount < 0): its
 * bytes cannot change while the process runs */
#define SM_RF_EXE_NO_WRITERS (1u << 11)

/* Counters in the stats map (one u64 per CPU each). */
enum sm_stat {
	SM_STAT_LOST = 0,      /* records the buffer could not take */
	SM_STAT_SCRATCH_BUSY,  /* records dropped: no free scratch slot */
	SM_STAT_COUNT,
};

/* Run-time settings the loader writes before load (.rodata, or an array
 * map in objects for kernels without global data). */
struct sm_settings {
	sm_u32 self_tgid;   /* the daemon: never reported */
	sm_u32 use_ringbuf; /* 1: ring buffer, 0: perf buffer */
};

struct sm_strref {
	sm_u32 off; /* from the start of the record */
	sm_u32 len; /* bytes, no NUL */
};

struct sm_rec_hdr {
	sm_u32 type;    /* enum sm_rec_type */
	sm_u32 size;    /* whole record, header included */
	sm_u64 ktime;   /* CLOCK_MONOTONIC ns when the event happened */
};

/* Who did it. Start times are CLOCK_BOOTTIME ns (task->start_boottime). */
struct sm_task {
	sm_u32 pid;        /* tgid */
	sm_u32 tid;
	sm_u32 ppid;       /* real parent's tgid */
	sm_u32 uid;        /* real uid */
	sm_u32 auid;       /* loginuid, 4294967295 when unset */
	sm_u32 ses;        /* audit session id, 4294967295 when unset */
	sm_u64 start;      /* process start, boot ns */
	sm_u64 tag;        /* mm->end_code: the per-process GUID value */
	sm_u64 pstart;     /* parent start, boot ns */
	sm_u64 ptag;       /* parent's mm->end_code (0 when unknown) */
};

/* Identity of the executable file, the key of the hash cache. */
/* A file's identity and version: ctime changes with every write and every
 * metadata change, and unlike mtime no user can set it back. */
struct sm_file_id {
	sm_u64 ino;
	sm_u64 size;
	sm_s64 mtime_sec;
	sm_u32 mtime_nsec;
	sm_u32 dev;
	sm_s64 ctime_sec;
	sm_u32 ctime_nsec;
	/* i_generation: with ino, the file handle of ext2/3/4 and xfs */
	sm_u32 gen;
};

/* SM_REC_EXEC: a successful execve/execveat */
struct sm_rec_exec {
	struct sm_rec_hdr h;
	struct sm_task t;
	struct sm_file_id exe;
	sm_u32 flags;     /* SM_RF_* */
	sm_u32 mnt_ns;    /* the mount namespace (inode number) of the mount
			     the executable was reached through; 0: none */
	struct sm_strref image; /* absolute path of the executable */
	struct sm_strref args;  /* argv block, NUL-separated */
	struct sm_strref cwd;   /* absolute current directory */
	/* data area follows */
};

/* SM_REC_EXIT: the last thread of a process exited */
struct sm_rec_exit {
	struct sm_rec_hdr h;
	struct sm_task t;
};

/* File, process-access and kernel records:
 *   SM_REC_FILE_CREATE  an open that created a regular file
 *   SM_REC_FILE_MADE    a regular file made without an open: mknod(at)
 *                       of S_IFREG, or an O_TMPFILE file linked into place
 *   SM_REC_RAW_READ     a block device opened for reading
 *   SM_REC_FILE_DELETE  a successful unlink/unlinkat/rmdir
 *   SM_REC_FILE_TIME    a successful utimensat/utimes/futimesat/utime
 *   SM_REC_PROC_ACCESS  ptrace attach/seize, process_vm_readv/writev
 *   SM_REC_BPF_PROG     a successful bpf() prog load/attach
 *   SM_REC_MODULE       a successful init_module/finit_module
 * A path the kernel could only know as "directory + name as given" (the
 * name argument of unlink/utimes) travels as two strings: dir (absolute,
 * empty when the name is absolute) and name; user space joins and
 * normalizes them. */

/* flags of the file records */
#define SM_RF_PATH_TRUNC (1u << 3)  /* a path deeper than the walk */
#define SM_RF_MODE_KNOWN (1u << 4)  /* mode holds the file's i_mode */
#define SM_RF_PREV_KNOWN (1u << 5)  /* prev_* hold the time before the call */
#define SM_RF_NEW_NOW (1u << 6)     /* new time: "now" (the event time) */
#define SM_RF_REMOVEDIR (1u << 7)   /* rmdir / unlinkat(AT_REMOVEDIR) */
#define SM_RF_TARGET_KNOWN (1u << 8) /* the target task was found */
#define SM_RF_NAME_TRUNC (1u << 9)  /* a name argument longer than copied */
/* ctime_* of a SM_REC_FILE_MADE hold the new file's change time */
#define SM_RF_CTIME_KNOWN (1u << 10)

struct sm_rec_file_create {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_s64 ctime_sec;       /* the new inode's change time (= creation) */
	sm_u32 ctime_nsec;
	sm_u32 flags;
	struct sm_strref path;  /* absolute, from the opened file */
};

/* The new file's path travels as dir + name as given (the call's newdirfd
 * or working directory, and its name argument): at the syscall's exit only
 * the name is known. */
struct sm_rec_file_made {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_s64 ctime_sec; /* when SM_RF_CTIME_KNOWN: the linked inode's */
	sm_u32 ctime_nsec;
	sm_u32 flags;
	struct sm_strref dir;
	struct sm_strref name;
};

struct sm_rec_raw_read {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_u32 flags;
	sm_u32 pad;
	struct sm_strref device; /* absolute, from the opened file */
};

struct sm_rec_file_delete {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_u32 event;           /* 23 FileDelete or 26 FileDeleteDetected */
	sm_u32 flags;
	sm_u32 mode;            /* i_mode, when SM_RF_MODE_KNOWN */
	sm_u32 pad;
	struct sm_strref dir;
	struct sm_strref name;
};

struct sm_rec_file_time {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_s64 new_sec;         /* modification time set (unless NEW_NOW) */
	sm_u32 new_nsec;
	sm_u32 flags;
	sm_s64 prev_sec;        /* modification time before (PREV_KNOWN) */
	sm_u32 prev_nsec;
	sm_u32 pad;
	struct sm_strref dir;   /* the fd's file itself when name is empty */
	struct sm_strref name;
};

/* GrantedAccess values of ProcessAccess (Windows access-right bits) */
#define SM_ACCESS_VM_READ 0x10u     /* process_vm_readv */
#define SM_ACCESS_VM_WRITE 0x20u    /* process_vm_writev */
#define SM_ACCESS_ALL 0x1fffffu     /* ptrace ATTACH / SEIZE */

/* The source and the target as the kernel saw them during the call: the
 * target found from the pid argument the way the call finds it (a thread
 * id names its process), so a process gone before user space looks, or
 * never seen exec, is still named. Each executable's path as its
 * /proc/PID/exe shows it (less " (deleted)": the *_DELETED flags). */
#define SM_RF_SOURCE_DELETED (1u << 12)
#define SM_RF_TARGET_DELETED (1u << 13)

struct sm_rec_proc_access {
	struct sm_rec_hdr h;
	struct sm_task t;        /* the source */
	struct sm_task target;   /* with SM_RF_TARGET_KNOWN; else only pid:
				    the pid argument */
	sm_u32 access;           /* SM_ACCESS_* */
	sm_u32 flags;
	struct sm_strref image;        /* the source's executable */
	struct sm_strref target_image; /* the target's (SM_RF_TARGET_KNOWN) */
};

struct sm_rec_bpf_prog {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_u32 cmd;              /* BPF_PROG_LOAD, BPF_PROG_ATTACH, BPF_LINK_CREATE */
	sm_u32 prog_type;        /* enum bpf_prog_type */
	sm_u32 prog_id;
	sm_u32 pad;
	struct sm_strref name;   /* the program's name (up to 16 bytes) */
};

#define SM_MOD_INIT 1  /* init_module(image, len, args) */
#define SM_MOD_FINIT 2 /* finit_module(fd, args, flags) */

struct sm_rec_module {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_u32 syscall;          /* SM_MOD_* */
	sm_u32 flags;
	sm_u64 image;            /* init_module: user address of the image */
	sm_u64 image_len;
	struct sm_file_id file;  /* finit_module: the module file */
	struct sm_strref path;   /* finit_module: its absolute path */
};

#ifndef __bpf__
_Static_assert(sizeof(struct sm_rec_file_create) == 96, "abi");
_Static_assert(sizeof(struct sm_rec_file_made) == 104, "abi");
_Static_assert(sizeof(struct sm_rec_raw_read) == 88, "abi");
_Static_assert(sizeof(struct sm_rec_file_delete) == 104, "abi");
_Static_assert(sizeof(struct sm_rec_file_time) == 120, "abi");
_Static_assert(sizeof(struct sm_rec_proc_access) == 152, "abi");
_Static_assert(sizeof(struct sm_rec_bpf_prog) == 96, "abi");
_Static_assert(sizeof(struct sm_rec_module) == 152, "abi");
#endif

/* Network records: SM_REC_NET, a TCP connection or a UDP conversation
 * (NetworkConnect, 3), and SM_REC_DNS, a DNS message a process sent or
 * received (DNSQuery, 22). */

/* Who owns a socket. Lighter than sm_task: network paths run per packet. */
struct sm_actor {
	sm_u32 pid;        /* tgid */
	sm_u32 tid;
	sm_u32 uid;        /* real uid */
	sm_u32 pad;
	sm_u64 start;      /* process (group leader) start, boot ns */
	sm_u64 tag;        /* mm->end_code: the per-process GUID value */
};

#define SM_AF_INET 2   /* address families as the kernel numbers them */
#define SM_AF_INET6 10
#define SM_IPPROTO_TCP 6
#define SM_IPPROTO_UDP 17

/* Addresses: IPv4 in the first 4 bytes (network order), IPv6 all 16;
 * ports in host order. "local" is the owning process's end. */
struct sm_rec_net {
	struct sm_rec_hdr h;
	struct sm_actor a;
	sm_u8 laddr[16];
	sm_u8 raddr[16];
	sm_u16 lport;
	sm_u16 rport;
	sm_u8 family;      /* SM_AF_INET / SM_AF_INET6 (socket family) */
	sm_u8 proto;       /* SM_IPPROTO_TCP / SM_IPPROTO_UDP */
	sm_u8 initiated;   /* 1: connect / first datagram sent; 0: accept /
			      first datagram received */
	sm_u8 pad;
};

#define SM_DNS_MSG_MAX 2048 /* DNS message bytes copied (power of two) */
#define SM_DNS_QUERY 0      /* sm_rec_dns.dir: sent to port 53 */
#define SM_DNS_RESPONSE 1   /* received from port 53 */
#define SM_RF_DNS_TRUNC (1u << 0) /* the message was longer than copied */

struct sm_rec_dns {
	struct sm_rec_hdr h;
	struct sm_actor a;
	sm_u8 proto;       /* SM_IPPROTO_UDP / SM_IPPROTO_TCP (may carry the
			      2-byte length prefix) */
	sm_u8 dir;         /* SM_DNS_QUERY / SM_DNS_RESPONSE */
	sm_u16 rport;      /* the server's port (53) */
	sm_u32 flags;      /* SM_RF_DNS_* */
	struct sm_strref msg; /* the DNS message as the process passed it */
};

#ifndef __bpf__
_Static_assert(sizeof(struct sm_actor) == 32, "abi");
_Static_assert(sizeof(struct sm_rec_net) == 88, "abi");
_Static_assert(sizeof(struct sm_rec_dns) == 64, "abi");
#endif

/* Largest record the kernel ever emits. */
#define SM_REC_MAX (sizeof(struct sm_rec_exec) + 2 * SM_PATH_MAX + SM_ARGS_MAX + 64)
#ifndef __bpf__
/* a perf sample: 8-byte header, 4-byte size, the record, 8-byte aligned */
_Static_assert(SM_REC_MAX + 16 <= 65535, "a record fits a perf sample");
#endif

#ifndef __bpf__
_Static_assert(sizeof(struct sm_rec_hdr) == 16, "abi");
_Static_assert(sizeof(struct sm_task) == 56, "abi");
_Static_assert(sizeof(struct sm_file_id) == 48, "abi");
_Static_assert(sizeof(struct sm_rec_exec) == 152, "abi");
_Static_assert(sizeof(struct sm_rec_exit) == 72, "abi");
_Static_assert(sizeof(struct sm_rec_exec) <= 512, "fits SM_REC_FIXED_MAX");
#endif

#endif

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
#define SM_ARGS_MAX 32768       /* raw argv block (NUL-separated) */

/* Record types. Ranges keep parallel work apart: process 1-9, network
 * 10-19, file/process-access/kernel 20-39. */
enum sm_rec_type {
	SM_REC_EXEC = 1,  /* a successful execve/execveat */
	SM_REC_EXIT = 2,  /* the last thread of a process exited */
};

/* Record flags. */
#define SM_RF_ARGS_TRUNC (1u << 0)  /* argv longer than SM_ARGS_MAX */
#define SM_RF_IMAGE_TRUNC (1u << 1) /* path deeper than the walk */
#define SM_RF_CWD_TRUNC (1u << 2)

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
struct sm_file_id {
	sm_u64 ino;
	sm_u64 size;
	sm_s64 mtime_sec;
	sm_u32 mtime_nsec;
	sm_u32 dev;
};

struct sm_rec_exec {
	struct sm_rec_hdr h;
	struct sm_task t;
	struct sm_file_id exe;
	sm_u32 flags;     /* SM_RF_* */
	sm_u32 pad;
	struct sm_strref image; /* absolute path of the executable */
	struct sm_strref args;  /* argv block, NUL-separated */
	struct sm_strref cwd;   /* absolute current directory */
	/* data area follows */
};

struct sm_rec_exit {
	struct sm_rec_hdr h;
	struct sm_task t;
};

/* Largest record the kernel ever emits. */
#define SM_REC_MAX (sizeof(struct sm_rec_exec) + 2 * SM_PATH_MAX + SM_ARGS_MAX + 64)

#ifndef __bpf__
_Static_assert(sizeof(struct sm_rec_hdr) == 16, "abi");
_Static_assert(sizeof(struct sm_task) == 56, "abi");
_Static_assert(sizeof(struct sm_file_id) == 32, "abi");
_Static_assert(sizeof(struct sm_rec_exec) == 136, "abi");
_Static_assert(sizeof(struct sm_rec_exit) == 72, "abi");
_Static_assert(sizeof(struct sm_rec_exec) <= 512, "fits SM_REC_FIXED_MAX");
#endif

#endif

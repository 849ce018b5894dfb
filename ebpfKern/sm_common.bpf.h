/* SPDX-License-Identifier: GPL-2.0-only */
/* Maps, run-time settings and helpers shared by every event program.
 * Variant switches (set per kernel range in ebpfKern/CMakeLists.txt):
 *   SM_HAVE_RINGBUF   the object can use a ring buffer (chosen at run time)
 *   SM_HAVE_GLOBALS   run-time settings in .rodata (else in an array map)
 *   SM_HAVE_LOOPS     bounded loops allowed (else unrolled)
 *   SM_HAVE_RAW_TP    raw tracepoints (else regular tracepoints)
 *   SM_HAVE_PROBE_READ_KERNEL  bpf_probe_read_kernel/_user (else the one
 *                     bpf_probe_read of older kernels)
 *   SM_HAVE_INET_SOCK_SET_STATE  the TCP state tracepoint is
 *                     sock:inet_sock_set_state (else 4.15's tcp:tcp_set_state)
 *   SM_WALK_DEPTH     path components walked (short where programs are
 *                     capped at 4,096 instructions; deeper with loops) */
#ifndef SM_COMMON_BPF_H
#define SM_COMMON_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "sm_kernel.h"
#include "sysmon_abi.h"

#if !SM_HAVE_PROBE_READ_KERNEL
/* before 5.5 one helper read kernel and user memory alike */
#define bpf_probe_read_kernel bpf_probe_read
#define bpf_probe_read_user bpf_probe_read
#define bpf_probe_read_kernel_str bpf_probe_read_str
#define bpf_probe_read_user_str bpf_probe_read_str
#endif

/* Path components walked. Every step costs the verifier the same in a loop
 * as unrolled (a 5.3-era verifier follows each iteration; 128 steps: about
 * 75,000 instructions processed for ProcessCreate's two walks), so the
 * loop's depth is what verification time allows; unrolled, it is what the
 * program size allows. */
#ifndef SM_WALK_DEPTH
#if SM_HAVE_LOOPS
#define SM_WALK_DEPTH 128
#else
#define SM_WALK_DEPTH 64
#endif
#endif
#ifndef SM_HAVE_INET_SOCK_SET_STATE
#define SM_HAVE_INET_SOCK_SET_STATE 1
#endif

#define SM_UNSET_ID 0xffffffffu

/* Short loops are unrolled in every object. The path walk is a real loop
 * where the range has bounded loops (SM_HAVE_LOOPS, 5.3+): see sm_path for
 * the one shape of loop that kernels up to at least 6.1 take (they reject
 * a loop whose head is reached by falling through, the shape clang gives
 * a loop with two exits; seen by tests/boot on Debian's 6.1). */
#define SM_UNROLL _Pragma("clang loop unroll(full)")

#if SM_HAVE_GLOBALS
const volatile struct sm_settings sm_cfg = {};
static __always_inline const volatile struct sm_settings *sm_settings(void)
{
	return &sm_cfg;
}
#else
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sm_settings);
} sm_settings_map SEC(".maps");
static __always_inline const struct sm_settings *sm_settings(void)
{
	u32 zero = 0;
	return bpf_map_lookup_elem(&sm_settings_map, &zero);
}
#endif

/* Event channel: declared as a ring buffer; the loader turns it into a perf
 * event array when the kernel has no ring buffer (or when told to). 4 MiB
 * by default (-buffer to change): over ten thousand typical records, i.e.
 * seconds of the fastest exec storm this machine makes; the reader maps
 * the ring twice, so each MiB here is two in the monitor's RSS. */
struct {
#if SM_HAVE_RINGBUF
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
#else
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
#endif
} sm_events SEC(".maps");

/* Records that could not be delivered, per reason (enum sm_stat). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SM_STAT_COUNT);
	__type(key, u32);
	__type(value, u64);
} sm_stats SEC(".maps");

/* State of one path walk (see sm_path). */
struct sm_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	u32 pos;
	u32 end; /* how the last walk ended: sm_walk_step's return */
};

/* Scratch space to build a record: SM_SLOTS_PER_CPU slots per CPU, so a
 * program preempted on its CPU (syscall tracepoints may run preemptible)
 * takes the next slot instead of sharing a buffer. Slots are only shared
 * between programs on one CPU, so a plain test-then-set is enough but for
 * a preemption between those two instructions (no fetch-atomics before
 * 5.12). The loader sets max_entries to possible CPUs * SM_SLOTS_PER_CPU. */
struct sm_scratch {
	u32 busy;
	u32 pad;
	struct sm_walk walk;
	u8 rec[SM_REC_MAX];
	u8 path[SM_PATH_MAX + 256];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sm_scratch);
} sm_scratch_map SEC(".maps");

static __always_inline void sm_count(u32 stat)
{
	u64 *v = bpf_map_lookup_elem(&sm_stats, &stat);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline struct sm_scratch *sm_scratch_get(void)
{
	u32 base = bpf_get_smp_processor_id() * SM_SLOTS_PER_CPU;

	SM_UNROLL
	for (u32 i = 0; i < SM_SLOTS_PER_CPU; i++) {
		u32 key = base + i;
		struct sm_scratch *s = bpf_map_lookup_elem(&sm_scratch_map, &key);

		if (!s)
			break;
		if (!s->busy) {
			s->busy = 1;
			return s;
		}
	}
	sm_count(SM_STAT_SCRATCH_BUSY);
	return 0;
}

static __always_inline void sm_scratch_put(struct sm_scratch *s)
{
	s->busy = 0;
}

/* Hand a finished record to user space; count it when it cannot go.
 * No wakeup per record: waking the reader costs an inter-processor
 * interrupt (tens of microseconds in a VM). The reader drains on a short
 * timer and is woken only when the ring is a quarter full (perf buffers:
 * a watermark the reader sets). */
static __always_inline void sm_emit(void *ctx, void *rec, u32 size)
{
	long err;

	if (size > SM_REC_MAX) { /* cannot happen: the sizes are bounded */
		sm_count(SM_STAT_LOST);
		return;
	}
#if SM_HAVE_RINGBUF
	if (sm_settings()->use_ringbuf) {
		u64 flags = BPF_RB_NO_WAKEUP;

		if (bpf_ringbuf_query(&sm_events, BPF_RB_AVAIL_DATA) >
		    bpf_ringbuf_query(&sm_events, BPF_RB_RING_SIZE) / 4)
			flags = BPF_RB_FORCE_WAKEUP;
		err = bpf_ringbuf_output(&sm_events, rec, size, flags);
	} else
#endif
		err = bpf_perf_event_output(ctx, &sm_events, BPF_F_CURRENT_CPU,
					    rec, size);
	if (err)
		sm_count(SM_STAT_LOST);
}

/* True on kernels whose io_uring requests the programs read (6.3+: the
 * completion record names its request there; before 5.18 it does not, and
 * io_uring_submit_req, which copies an unlink's name, is 6.3's). */
#define sm_uring_watched() \
	bpf_core_type_exists(struct trace_event_raw_io_uring_submit_req)

/* True when the current process is the daemon itself. */
static __always_inline int sm_is_self(void)
{
	const volatile struct sm_settings *s = sm_settings();

	return !s || s->self_tgid == (u32)(bpf_get_current_pid_tgid() >> 32);
}

#endif

/* SPDX-License-Identifier: MIT */
/* The process cache: what the monitor knows of each live process (and of
 * recently exited ones), keyed by pid and checked against the start time so
 * a reused pid never inherits another process's identity. Bounded: at most
 * `capacity` entries; exited entries go first, then the oldest. Strings are
 * kept in size-class pools, so steady state does no malloc per event. */
#ifndef SM_PROCCACHE_H
#define SM_PROCCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "guid.h"

struct sm_proc {
	uint32_t pid;
	uint32_t uid;
	uint64_t start;      /* boot ns; 0 = unknown */
	uint64_t exited;     /* monotonic ns of exit; 0 while alive */
	struct sm_guid guid;
	struct sm_str image;
	struct sm_str cmdline;
};

struct sm_proccache;

/* /proc's unit of process start times until told otherwise: 10 ms (USER_HZ
 * 100, what Linux gives on every architecture sysmon runs on). */
#define SM_PROC_TICK_NS 10000000ull

/* Do start times a and b (ns since boot) name the same process start, at
 * the resolution /proc gives them (tick_ns)? The one place start times are
 * compared: a kernel's exact time and /proc's rounded one agree. */
static inline bool sm_same_tick(uint64_t tick_ns, uint64_t a, uint64_t b)
{
	return a / tick_ns == b / tick_ns;
}

struct sm_proccache *sm_pc_new(size_t capacity);
void sm_pc_free(struct sm_proccache *pc);
/* /proc's unit of start times on this host (sysinfo.tick_ns). */
void sm_pc_set_tick(struct sm_proccache *pc, uint64_t tick_ns);

/* Insert or replace the entry of pid. Strings are copied. Returns the
 * entry, or NULL when out of memory. */
const struct sm_proc *sm_pc_put(struct sm_proccache *pc, uint32_t pid,
				uint64_t start, uint32_t uid,
				const struct sm_guid *guid, struct sm_str image,
				struct sm_str cmdline);
/* The entry of pid whose start time equals start (start 0: any);
 * NULL when not known. Start times are compared at /proc's granularity
 * (sm_same_tick), so /proc-seeded and kernel-seen entries agree. */
const struct sm_proc *sm_pc_get(const struct sm_proccache *pc, uint32_t pid,
				uint64_t start);
/* Mark pid as exited at `now`; it stays readable for a grace period. */
void sm_pc_exited(struct sm_proccache *pc, uint32_t pid, uint64_t now);
/* Drop entries that exited more than `grace` ns before `now`. */
void sm_pc_expire(struct sm_proccache *pc, uint64_t now, uint64_t grace);
size_t sm_pc_count(const struct sm_proccache *pc);
/* Visit live entries (for liveness sweeps); stop when fn returns non-zero. */
void sm_pc_foreach(struct sm_proccache *pc,
		   int (*fn)(const struct sm_proc *p, void *arg), void *arg);

#endif

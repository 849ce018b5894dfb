/* SPDX-License-Identifier: MIT */
/* Facts about this host and clock offsets, read once at start. */
#ifndef SM_SYSINFO_H
#define SM_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>
#include "guid.h"
#include "proccache.h"

struct sm_sysinfo {
	char hostname[256];
	uint32_t machine;        /* machine-id prefix for GUIDs */
	uint64_t btime;          /* boot time, s since epoch (/proc/stat) */
	uint64_t boot_epoch_ns;  /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	uint64_t mono_epoch_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint32_t pid, tid, euid; /* ours, for the System element */
	uint64_t tick_ns;        /* /proc's unit of process start times */
	uint32_t mnt_ns;         /* our mount namespace's inode number */
};

int sm_sysinfo_init(struct sm_sysinfo *si);
uint64_t sm_now_epoch_ns(void);
uint64_t sm_now_mono_ns(void);
/* The GUID of process pid started at start_ns (CLOCK_BOOTTIME ns) whose
 * address space ends its code at end_code: the same value from a kernel
 * record and from /proc (see guid.h). */
static inline struct sm_guid sm_guid_of(const struct sm_sysinfo *si,
					uint32_t pid, uint64_t start_ns,
					uint64_t end_code)
{
	struct sm_guid_base b = {
		.machine = si->machine,
		.btime = si->btime,
		.tick_ns = si->tick_ns,
	};

	return sm_process_guid(&b, pid, start_ns, end_code);
}
/* Do start times a and b (ns since boot) name the same process start, at
 * the resolution /proc gives them? */
static inline bool sm_same_start(const struct sm_sysinfo *si, uint64_t a,
				 uint64_t b)
{
	return sm_same_tick(si->tick_ns, a, b);
}

#endif

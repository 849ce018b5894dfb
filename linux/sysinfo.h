/* Facts about this host and clock offsets, read once at start. */
#ifndef SM_SYSINFO_H
#define SM_SYSINFO_H

#include <stdint.h>

struct sm_sysinfo {
	char hostname[256];
	uint32_t machine;        /* machine-id prefix for GUIDs */
	uint64_t btime;          /* boot time, s since epoch (/proc/stat) */
	uint64_t boot_epoch_ns;  /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	uint64_t mono_epoch_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint32_t pid, tid, euid; /* ours, for the System element */
	long clk_tck;            /* /proc time unit */
};

int sm_sysinfo_init(struct sm_sysinfo *si);
uint64_t sm_now_epoch_ns(void);
uint64_t sm_now_mono_ns(void);
/* Start time in seconds since the epoch, as used in process GUIDs. */
static inline uint32_t sm_start_sec(const struct sm_sysinfo *si,
				    uint64_t boot_ns)
{
	return (uint32_t)(si->btime + boot_ns / 1000000000ull);
}

#endif

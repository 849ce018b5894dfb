/* SPDX-License-Identifier: MIT */
/* Sysmon GUIDs. A process GUID is 16 bytes:
 *   0-3   first 8 hex digits of the machine id
 *   4-7   process start time, seconds since the epoch (printed as its low
 *         16 bits, then its high 16 bits, as the reference does)
 *   8-9   the rest of the start time: /proc clock ticks (1/100 s) into
 *         that second, big-endian
 *   10-13 the process id (the init namespace's), big-endian
 *   14-15 the image: a 16-bit fold of the address space's mm->end_code,
 *         so an exec in the same process gives a new GUID
 * Start time and pid name one process: a pid is reused only after the
 * kernel has handed out every other free pid, never twice in one tick.
 * Everything comes at clock-tick resolution because that is what
 * /proc/PID/stat's starttime gives for processes seeded at start: the
 * kernel's nanosecond start time, cut to the same tick, yields the same
 * GUID (so a child's ParentProcessGuid equals a seeded parent's). */
#ifndef SM_GUID_H
#define SM_GUID_H

#include <stddef.h>
#include <stdint.h>

#define SM_GUID_TEXT_LEN 38 /* {8-4-4-4-12} with braces */

struct sm_guid {
	uint32_t d1;
	uint16_t d2;
	uint16_t d3;
	uint8_t d4[8];
};

/* What all process GUIDs of one boot share. */
struct sm_guid_base {
	uint32_t machine; /* sm_machine_prefix */
	uint64_t btime;   /* boot time, s since the epoch */
	uint64_t tick_ns; /* /proc start time unit: 1e9 / USER_HZ */
};

/* First 8 hex digits of /etc/machine-id's text; 0 when not hex. */
uint32_t sm_machine_prefix(const char *machine_id, size_t len);
/* pid: process id; start_ns: start time in CLOCK_BOOTTIME ns (exact from
 * the kernel, or /proc ticks * tick_ns); end_code: its mm->end_code. */
struct sm_guid sm_process_guid(const struct sm_guid_base *b, uint32_t pid,
			       uint64_t start_ns, uint64_t end_code);
/* Give g the image part of from (a fork child runs its parent's image). */
void sm_guid_copy_image(struct sm_guid *g, const struct sm_guid *from);
/* Logon GUID of a user: machine prefix, then the uid. */
struct sm_guid sm_logon_guid(uint32_t machine, uint32_t uid);
/* Writes SM_GUID_TEXT_LEN bytes plus a NUL. */
size_t sm_guid_fmt(char *out, const struct sm_guid *g);

#endif

/* SPDX-License-Identifier: MIT */
/* The processes the file, process-access and kernel events name: what the
 * kernel record says (pid, start, GUID value, uid) completed from the
 * process cache, or from /proc once when the cache misses (processes older
 * than the monitor, fork children that never exec'd). */
#ifndef SM_EV_WHO_H
#define SM_EV_WHO_H

#include <limits.h>
#include <stdint.h>
#include "event.h"
#include "guid.h"
#include "sysmon_abi.h"
#include "timefmt.h"

struct sm_daemon;

struct sm_who {
	char guid[SM_GUID_TEXT_LEN + 1];
	char pid[12];
	char tid[12];
	char user[64];          /* empty: unknown */
	char image[PATH_MAX];   /* a copy: cache entries may move */
	uint32_t image_len;     /* 0: unknown */
};

/* The acting process of a record. */
void sm_who_of_task(struct sm_daemon *d, const struct sm_task *t,
		      struct sm_who *a);
/* A process the kernel read whole while it ran: its ids, start time,
 * GUID value and uid (t) and its executable's path (image, " (deleted)"
 * to be added when deleted is set). The Image is the cache's when the
 * cache knows the process (what its ProcessCreate said), else the
 * kernel's; nothing is read from /proc. */
void sm_who_of_kernel(struct sm_daemon *d, const struct sm_task *t,
		      struct sm_str image, int deleted, struct sm_who *a);
/* A process known by pid; start/tag/uid are used when exact is set (from
 * the kernel), else the process now running with that pid is taken. */
void sm_who_of_pid(struct sm_daemon *d, uint32_t pid, uint64_t start,
		     uint64_t tag, uint32_t uid, int exact, struct sm_who *a);

static inline struct sm_str sm_who_image(const struct sm_who *a)
{
	return (struct sm_str){ a->image, a->image_len };
}

static inline struct sm_str sm_who_user(const struct sm_who *a)
{
	return (struct sm_str){ a->user, (uint32_t)__builtin_strlen(a->user) };
}

/* UtcTime of a record: its kernel time (CLOCK_MONOTONIC ns) as UTC. */
void sm_record_utctime(const struct sm_daemon *d, uint64_t ktime,
		       char out[SM_UTCTIME_LEN + 1]);

#endif

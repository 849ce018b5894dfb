/* SPDX-License-Identifier: MIT */
/* What /proc says of a process: for seeding the process cache at start and
 * for the rare cache miss (never on the per-event path otherwise). */
#ifndef SM_PROCFS_H
#define SM_PROCFS_H

#include <stdint.h>
#include "proccache.h"
#include "sysinfo.h"

/* Read pid from /proc into the cache; returns its entry or NULL. */
const struct sm_proc *sm_procfs_load(struct sm_proccache *pc,
				     const struct sm_sysinfo *si, uint32_t pid);
/* Load every process in /proc; returns how many were cached. */
int sm_procfs_seed(struct sm_proccache *pc, const struct sm_sysinfo *si);
/* Is a process with this pid and start time (boot ns) still alive? */
int sm_procfs_alive(const struct sm_sysinfo *si, uint32_t pid, uint64_t start);

#endif

/* SPDX-License-Identifier: MIT */
/* Offset discovery: where each member of sm_kmembers sits on the running
 * kernel, found by reading kernel objects whose values sysmon knows (its
 * own tasks, files and sockets), each offset checked by a second fact. */
#ifndef SM_KDISCOVER_H
#define SM_KDISCOVER_H

#include <stdint.h>

/* off[i]: sm_kmembers[i]'s offset, -1 for an optional member not found.
 * 0, or a negative errno with *missing naming the first member that could
 * not be found ("type.member"). */
int sm_kdiscover(int32_t *off, const char **missing);

#endif

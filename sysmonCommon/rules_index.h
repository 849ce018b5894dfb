/* SPDX-License-Identifier: MIT */
/* Lookup tables for the fields with many filters (rules_index.c). */
#ifndef SM_RULES_INDEX_H
#define SM_RULES_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config_arena.h"
#include "rules_cond.h"

struct sm_index;

#define SM_INDEX_MIN 6 /* filters on a field worth an index */

bool sm_index_covers(const struct sm_pattern *p);
/* Index patterns pats[i] as item nums[i] (ascending). */
int sm_index_build(struct sm_arena *a, const struct sm_pattern *const *pats,
		   const uint32_t *nums, uint32_t n, struct sm_index **out);
/* Smallest item number in [lo, best) whose pattern matches the folded
 * value v; `best` when none does. */
uint32_t sm_index_min(const struct sm_index *x, const char *v, size_t vlen,
		      uint32_t lo, uint32_t best);

#endif

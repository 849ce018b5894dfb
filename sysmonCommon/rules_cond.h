/* SPDX-License-Identifier: MIT */
/* The 16 conditions of a filter: a rule value compiled once into a
 * pattern, then matched against field values (rules_cond.c). */
#ifndef SM_RULES_COND_H
#define SM_RULES_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config_arena.h"

enum sm_cond {
	SM_COND_IS,
	SM_COND_IS_NOT,
	SM_COND_IS_ANY,
	SM_COND_CONTAINS,
	SM_COND_CONTAINS_ANY,
	SM_COND_CONTAINS_ALL,
	SM_COND_EXCLUDES,
	SM_COND_EXCLUDES_ANY,
	SM_COND_EXCLUDES_ALL,
	SM_COND_BEGIN_WITH,
	SM_COND_NOT_BEGIN_WITH,
	SM_COND_END_WITH,
	SM_COND_NOT_END_WITH,
	SM_COND_LESS_THAN,
	SM_COND_MORE_THAN,
	SM_COND_IMAGE,
	SM_COND_COUNT
};

struct sm_tok {
	uint32_t off, len; /* into sm_pattern.fold */
};

/* A rule value prepared for matching: case-folded once, split once. */
struct sm_pattern {
	const char *fold;
	uint32_t flen;
	uint32_t ntok; /* `;` items of the any/all conditions */
	const struct sm_tok *tok;
	int64_t num;  /* less/more than: the value as a number */
	uint8_t cond; /* enum sm_cond */
	bool is_num;
	bool has_slash; /* image: compare whole value */
};

const char *sm_cond_name(unsigned cond);
/* NULL or "" gives "is" (the default); -1 when unknown. Case-insensitive. */
int sm_cond_lookup(const char *name);
/* "is, is not, ..." as printed after "Expected values are ". */
const char *sm_cond_list(void);
int sm_pattern_compile(struct sm_arena *a, unsigned cond, const char *value,
		       size_t len, struct sm_pattern *out);
/* Does field value v (never empty: callers pass "-" for unknown) match?
 * The first folds v on the fly; the second takes v already folded by
 * sm_utf8_fold (faster, same result). */
bool sm_pattern_match(const struct sm_pattern *p, const char *v, size_t vlen);
bool sm_pattern_match_folded(const struct sm_pattern *p, const char *v,
			     size_t vlen);

#endif

/* SPDX-License-Identifier: MIT */
/* The compiled rules of a configuration: per event type, the entries
 * rules_compile.c builds and rules_match.c walks. */
#ifndef SM_RULES_H
#define SM_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include "rules_cond.h"

struct sm_cfilter {
	const struct sm_pattern *pat;
	const char *name; /* RuleName, NULL when none */
	uint32_t run_end; /* in a <Rule>: index past its last filter */
	int8_t field;     /* index in the event type, -1 absent */
	uint8_t run_rel;
	bool in_run;
};

struct sm_index;

/* The direct filters of an element on one field. */
struct sm_group {
	const struct sm_index *idx; /* covers the filters not in lin, or NULL */
	const uint32_t *lin;        /* tested one by one, ascending */
	const uint32_t *all;        /* every filter of the group, ascending */
	uint32_t nlin, nall;
	int8_t field;
};

/* <Rule>s of an OR element whose gate filter (one that must match for
 * the <Rule> to match) is on one field, indexed by <Rule> ordinal. */
struct sm_gate {
	const struct sm_index *idx;
	int8_t field;
};

#define SM_NO_GATE -1
#define SM_DEAD_RUN -2 /* needs a field the type lacks */

struct sm_centry {
	const struct sm_cfilter *f;
	const struct sm_group *g;
	const uint32_t *runs;   /* first filter of each <Rule> */
	const int8_t *run_gate; /* per <Rule>: gate number or SM_* above */
	const struct sm_gate *gates;
	uint32_t n, ng, nruns, ngates;
	uint8_t rel;
	bool include;
	bool lacks_field; /* a direct filter on a field the type lacks */
};

struct sm_type_rules { /* exclude entries first, then include */
	const struct sm_centry **e;
	uint32_t n;
};

#endif

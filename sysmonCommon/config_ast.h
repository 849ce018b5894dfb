/* SPDX-License-Identifier: MIT */
/* What the parser (config_parse.c) makes of a configuration: one
 * struct sm_ast_event per <EventName onmatch=..> element and what it holds. */
#ifndef SM_CONFIG_AST_H
#define SM_CONFIG_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rules_cond.h"

enum sm_rel { SM_REL_OR = 0, SM_REL_AND = 1 };

struct sm_ast_filter {
	const char *field;     /* element name, e.g. "Image" */
	const char *value;     /* text, UTF-8, as written */
	const char *name;      /* RuleName it gives: own name=, else its
				     Rule's, else its RuleGroup's; NULL none */
	struct sm_pattern pat; /* filled by rules_compile.c */
	uint32_t vlen;
	uint32_t rule; /* 0: direct child; else 1 + index in rules */
	int line;
	uint8_t cond;
};

struct sm_ast_rule {      /* <Rule name=.. groupRelation=..> */
	const char *name; /* name attribute, NULL when absent */
	uint32_t first;   /* index of its first filter */
	uint32_t agg_id;  /* the reference's compound number (dump) */
	int line;
	uint8_t rel;
};

struct sm_ast_event {
	const char *elem; /* rule name: "ProcessCreate", "RegistryEvent" */
	size_t series;    /* table index of the first type named elem */
	int line;
	uint8_t rel;  /* combine filters with AND or OR */
	bool include; /* onmatch="include" */
	uint32_t nfilters, nrules;
	struct sm_ast_filter *filters; /* document order */
	struct sm_ast_rule *rules;
};

#endif

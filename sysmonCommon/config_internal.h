/* Internals shared by the config modules:
 *   config_arena.c    one allocation arena per config
 *   config_input.c    bytes (UTF-8/UTF-16/declared 8-bit) -> libxml2 tree
 *   config_parse.c    libxml2 tree -> AST (struct sm_ast_event)
 *   config_options.c  schemaversion and top-level options
 *   config.c          public API (config.h)
 *   rules_cond.c      the 16 conditions: compile a value, match a field
 *   rules_compile.c   AST -> per-event-type entry lists
 *   rules_index.c     lookup tables for fields with many filters
 *   rules_match.c     sm_config_match
 *   dump.c            the `sysmon -c` text
 * Not part of the public API. */
#ifndef SM_CONFIG_INTERNAL_H
#define SM_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "sm_schema_tables.h"

#define SM_RULE_NAME_MAX 255      /* bytes, as the reference */
#define SM_MIN_SCHEMA_MAJOR 4     /* oldest schemaversion accepted: 4.00 */
#define SM_MAX_SCHEMA_MAJOR 4     /* newest: this binary's, SM_SCHEMA_VERSION */
#define SM_MAX_SCHEMA_MINOR 90

/* ---- arena: every allocation of a config, freed at once ---- */
struct sm_arena_block;
struct sm_arena {
	struct sm_arena_block *head;
};
void *sm_arena_alloc(struct sm_arena *a, size_t size); /* zeroed or NULL */
char *sm_arena_strndup(struct sm_arena *a, const char *s, size_t len);
void sm_arena_free(struct sm_arena *a);

/* ---- conditions ---- */
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
	uint32_t ntok;            /* `;` items of the any/all conditions */
	const struct sm_tok *tok;
	int64_t num;              /* less/more than: the value as a number */
	uint8_t cond;             /* enum sm_cond */
	bool is_num;
	bool has_slash;           /* image: compare whole value */
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
bool sm_pattern_match_folded(const struct sm_pattern *p, const char *v, size_t vlen);

/* ---- AST: one <EventName onmatch=..> element and what it holds ---- */
enum sm_rel { SM_REL_OR = 0, SM_REL_AND = 1 };

struct sm_ast_filter {
	const char *field;        /* element name, e.g. "Image" */
	const char *value;        /* text, UTF-8, as written */
	const char *name;         /* RuleName it gives: own name=, else its
				     Rule's, else its RuleGroup's; NULL none */
	struct sm_pattern pat;    /* filled by rules_compile.c */
	uint32_t vlen;
	uint32_t rule;            /* 0: direct child; else 1 + index in rules */
	int line;
	uint8_t cond;
};

struct sm_ast_rule {              /* <Rule name=.. groupRelation=..> */
	const char *name;         /* name attribute, NULL when absent */
	uint32_t first;           /* index of its first filter */
	uint32_t agg_id;          /* the reference's compound number (dump) */
	int line;
	uint8_t rel;
};

struct sm_ast_event {
	const char *elem;         /* rule name: "ProcessCreate", "RegistryEvent" */
	size_t series;            /* table index of the first type named elem */
	int line;
	uint8_t rel;              /* combine filters with AND or OR */
	bool include;             /* onmatch="include" */
	uint32_t nfilters, nrules;
	struct sm_ast_filter *filters; /* document order */
	struct sm_ast_rule *rules;
};

/* ---- compiled: entries per event type ---- */
struct sm_cfilter {
	const struct sm_pattern *pat;
	const char *name;         /* RuleName, NULL when none */
	uint32_t run_end;         /* in a <Rule>: index past its last filter */
	int8_t field;             /* index in the event type, -1 absent */
	uint8_t run_rel;
	bool in_run;
};

struct sm_index;

/* The direct filters of an element on one field. */
struct sm_group {
	const struct sm_index *idx; /* covers the filters not in lin, or NULL */
	const uint32_t *lin;      /* tested one by one, ascending */
	const uint32_t *all;      /* every filter of the group, ascending */
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
#define SM_DEAD_RUN -2            /* needs a field the type lacks */

struct sm_centry {
	const struct sm_cfilter *f;
	const struct sm_group *g;
	const uint32_t *runs;     /* first filter of each <Rule> */
	const int8_t *run_gate;   /* per <Rule>: gate number or SM_* above */
	const struct sm_gate *gates;
	uint32_t n, ng, nruns, ngates;
	uint8_t rel;
	bool include;
	bool lacks_field;         /* a direct filter on a field the type lacks */
};

#define SM_INDEX_MIN 6            /* filters on a field worth an index */

bool sm_index_covers(const struct sm_pattern *p);
/* Index patterns pats[i] as item nums[i] (ascending). */
int sm_index_build(struct sm_arena *a, const struct sm_pattern *const *pats,
		   const uint32_t *nums, uint32_t n, struct sm_index **out);
/* Smallest item number in [lo, best) whose pattern matches the folded
 * value v; `best` when none does. */
uint32_t sm_index_min(const struct sm_index *x, const char *v, size_t vlen,
		      uint32_t lo, uint32_t best);

struct sm_type_rules {            /* exclude entries first, then include */
	const struct sm_centry **e;
	uint32_t n;
};

struct sm_config {
	struct sm_arena arena;
	const char *version;      /* schemaversion as written */
	uint16_t vmajor, vminor;  /* normalised like the reference (%.2f) */
	unsigned hashes;          /* enum sm_hash_alg bits */
	bool dns_lookup;          /* <DnsLookup>true</DnsLookup> */
	uint32_t *field_sizes;    /* [type index * SM_MAX_FIELDS + field] */
	struct sm_ast_event *events; /* dump order after compile */
	size_t nevents;
	struct sm_type_rules *types; /* [sm_schema_table_len] */
	int16_t type_by_id[256];  /* table index, -1 */
};

/* ---- parsing state and helpers ---- */
struct sm_parse {
	struct sm_config *cfg;
	struct sm_config_error *err;
	const char *file;
	int line_offset;          /* leading blank lines removed by the loader */
	int unsupported_line;     /* first Windows-only option seen, 0 none */
	const char *unsupported;
};

/* Fill err (line, printf-style reason) and return errnum (negative). */
int sm_fail(struct sm_parse *ps, int line, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct sm_config *sm_config_new(void);
/* Table indexes of the event types whose rule name is elem, in schema
 * order (at most max); returns how many. */
size_t sm_series(const char *elem, size_t *idx, size_t max);
#define SM_SERIES_MAX 8

struct _xmlDoc;
struct _xmlNode;
int sm_xml_load(struct sm_parse *ps, const char *buf, size_t len,
		struct _xmlDoc **doc);
int sm_parse_doc(struct sm_parse *ps, struct _xmlDoc *doc);
int sm_parse_version(struct sm_parse *ps, const char *s, int line);
int sm_parse_option(struct sm_parse *ps, struct _xmlNode *n);
/* Text of a node whose children may only be text or comments. */
int sm_node_text(struct sm_parse *ps, struct _xmlNode *n, const char **text,
		 size_t *len);
int sm_node_line(const struct sm_parse *ps, const struct _xmlNode *n);
int sm_rules_compile(struct sm_parse *ps);

#endif

/* SPDX-License-Identifier: MIT */
/* The rule engine: include or exclude an event, and which RuleName.
 *
 * Per event type, exclude elements are tried before include elements,
 * each in document order; the first element that matches decides (exclude:
 * drop, include: log). When none matches: with exactly one element its
 * default applies (include-only drops, exclude-only logs); with two or more
 * the event is dropped; with none the schema default applies (ProcessCreate
 * and ProcessTerminate are logged). Events without a rule name (4, 16, 255)
 * are always logged.
 *
 * Inside an element the filters combine with its relation:
 *  - OR: any direct filter or <Rule> matching is enough;
 *  - AND: all must match, except that direct filters on the same field are
 *    alternatives (ORed); a <Rule> is one operand, evaluated strictly with
 *    its own relation (OR when not given).
 * A filter on a field the event type does not have never matches.
 * RuleName: in an OR the name of the first filter (document order) that
 * matches, in an AND the name set last when matching in document order (the
 * reference overwrites it at each match); a filter's name is its own name=,
 * else its <Rule>'s, else its RuleGroup's. Unlike the reference, names of
 * filters inside an element or <Rule> that failed as a whole are not kept.
 *
 * Field values are case-folded once per evaluation into a buffer on the
 * stack (values too long for it are matched folding on the fly). Nothing
 * here allocates. */
#include "config_data.h"
#include "rules_index.h"
#include "sm_schema_tables.h"
#include "utf8.h"

#define NONE UINT32_MAX
#define FOLD_BUF 8192

struct eval {
	const struct sm_event *ev;
	uint32_t ready;                 /* bit per field: fold[] is set */
	struct sm_str fold[SM_MAX_FIELDS]; /* p NULL: too long, see raw */
	size_t used;
	char buf[FOLD_BUF];
};

static struct sm_str raw_value(const struct eval *e, int field)
{
	struct sm_str v = e->ev->f[field];

	return v.p && v.len ? v : SM_STR("-"); /* unknown is logged as "-" */
}

static const struct sm_str *folded(struct eval *e, int field)
{
	if (!((e->ready >> field) & 1)) {
		struct sm_str v = raw_value(e, field);

		e->fold[field] = (struct sm_str){ NULL, 0 };
		if (v.len <= FOLD_BUF - e->used) {
			e->fold[field].p = e->buf + e->used;
			e->fold[field].len = (uint32_t)sm_utf8_fold(v.p, v.len,
								    e->buf + e->used);
			e->used += e->fold[field].len;
		}
		e->ready |= 1u << field;
	}
	return &e->fold[field];
}

static bool filter_match(struct eval *e, const struct sm_cfilter *f)
{
	const struct sm_str *fv;
	struct sm_str v;

	if (f->field < 0)
		return false;
	fv = folded(e, f->field);
	if (fv->p)
		return sm_pattern_match_folded(f->pat, fv->p, fv->len);
	v = raw_value(e, f->field);
	return sm_pattern_match(f->pat, v.p, v.len);
}

/* One <Rule>: filters [lo, hi) with its relation. */
static bool match_run(struct eval *e, const struct sm_cfilter *f, uint32_t lo,
		      const char **name)
{
	uint32_t hi = f[lo].run_end;
	const char *n = NULL;

	for (uint32_t i = lo; i < hi; i++) {
		bool m = filter_match(e, &f[i]);

		if (f[lo].run_rel == SM_REL_OR && m) {
			*name = f[i].name;
			return true;
		}
		if (f[lo].run_rel == SM_REL_AND && !m)
			return false;
		if (m && f[i].name)
			n = f[i].name;
	}
	*name = n;
	return f[lo].run_rel == SM_REL_AND;
}

/* First filter of group g (below `best`) that matches, or `best`. */
static uint32_t group_first(struct eval *e, const struct sm_centry *ce,
			    const struct sm_group *g, uint32_t best)
{
	const struct sm_str *fv = folded(e, g->field);
	const uint32_t *list = g->lin;
	uint32_t n = g->nlin;

	if (g->idx && fv->p) {
		best = sm_index_min(g->idx, fv->p, fv->len, 0, best);
	} else if (g->idx) { /* value too long for the buffer: test them all */
		list = g->all;
		n = g->nall;
	}
	for (uint32_t i = 0; i < n && list[i] < best; i++)
		if (filter_match(e, &ce->f[list[i]]))
			return list[i];
	return best;
}

/* Can <Rule> r match, as far as its gate tells? next[k] caches the next
 * <Rule> (ordinal >= some earlier r) whose gate k matches. */
static bool gate_open(struct eval *e, const struct sm_centry *ce, uint32_t r,
		      uint32_t *next, uint32_t *known)
{
	int k = ce->run_gate[r];
	const struct sm_str *fv;

	if (k == SM_DEAD_RUN)
		return false;
	if (k == SM_NO_GATE)
		return true;
	fv = folded(e, ce->gates[k].field);
	if (!fv->p) /* too long for the buffer: no gate */
		return true;
	if (!((*known >> k) & 1) || next[k] < r) {
		next[k] = sm_index_min(ce->gates[k].idx, fv->p, fv->len, r, NONE);
		*known |= 1u << k;
	}
	return next[k] == r;
}

static bool match_or(struct eval *e, const struct sm_centry *ce, const char **name)
{
	uint32_t best = NONE, next[SM_MAX_FIELDS], known = 0;

	for (uint32_t k = 0; k < ce->ng; k++)
		best = group_first(e, ce, &ce->g[k], best);
	for (uint32_t r = 0; r < ce->nruns && ce->runs[r] < best; r++) {
		if (gate_open(e, ce, r, next, &known) &&
		    match_run(e, ce->f, ce->runs[r], name))
			return true;
	}
	if (best == NONE)
		return false;
	*name = ce->f[best].name;
	return true;
}

static bool match_and(struct eval *e, const struct sm_centry *ce, const char **name)
{
	uint32_t at = 0; /* position of the name kept so far */
	const char *n = NULL;

	if (ce->lacks_field || !ce->n)
		return false;
	for (uint32_t k = 0; k < ce->ng; k++) {
		uint32_t first = group_first(e, ce, &ce->g[k], NONE);

		if (first == NONE)
			return false;
		if (ce->f[first].name && (!n || first > at)) {
			n = ce->f[first].name;
			at = first;
		}
	}
	for (uint32_t r = 0; r < ce->nruns; r++) {
		const char *rn = NULL;

		if (!match_run(e, ce->f, ce->runs[r], &rn))
			return false;
		if (rn && (!n || ce->runs[r] > at)) {
			n = rn;
			at = ce->runs[r];
		}
	}
	*name = n;
	return true;
}

static bool match_entry(struct eval *e, const struct sm_centry *ce,
			const char **name)
{
	*name = NULL;
	return ce->rel == SM_REL_OR ? match_or(e, ce, name) : match_and(e, ce, name);
}

bool sm_config_match(const struct sm_config *cfg, const struct sm_event *ev,
		     const char **rule_name)
{
	const struct sm_type_rules *tr;
	const char *dummy;
	struct eval e;
	int t;

	if (!rule_name)
		rule_name = &dummy;
	*rule_name = NULL;
	if (!ev || !ev->type)
		return false;
	if (!ev->type->rule_name) /* 4, 16, 255: never filtered */
		return true;
	if (!cfg)
		return ev->type->id == SM_EV_PROCESS_CREATE ||
		       ev->type->id == SM_EV_PROCESS_TERMINATE;
	t = ev->type->id < 256 ? cfg->type_by_id[ev->type->id] : -1;
	if (t < 0)
		return true;
	tr = &cfg->types[t];
	e.ev = ev;
	e.ready = 0;
	e.used = 0;
	for (uint32_t i = 0; i < tr->n; i++) {
		if (match_entry(&e, tr->e[i], rule_name))
			return tr->e[i]->include;
	}
	*rule_name = NULL;
	if (tr->n == 0)
		return sm_schema_rule_include[t];
	return tr->n == 1 && !tr->e[0]->include;
}

bool sm_config_event_enabled(const struct sm_config *cfg, unsigned event_id)
{
	const struct sm_type_rules *tr;
	int t;

	if (event_id > 255)
		return false;
	if (!cfg)
		return event_id == SM_EV_PROCESS_CREATE ||
		       event_id == SM_EV_PROCESS_TERMINATE ||
		       event_id == SM_EV_SERVICE_STATE_CHANGE ||
		       event_id == SM_EV_CONFIG_CHANGE || event_id == SM_EV_ERROR;
	t = cfg->type_by_id[event_id];
	if (t < 0)
		return false;
	if (!sm_schema_table[t].rule_name)
		return true;
	tr = &cfg->types[t];
	if (tr->n == 0)
		return sm_schema_rule_include[t];
	if (tr->n == 1 && !tr->e[0]->include)
		return true;
	for (uint32_t i = 0; i < tr->n; i++)
		if (tr->e[i]->include && tr->e[i]->n)
			return true;
	return false;
}

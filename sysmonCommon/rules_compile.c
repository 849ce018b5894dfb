/* SPDX-License-Identifier: MIT */
/* AST -> what the matcher and the dump read.
 *
 * 1. Event elements are put in the reference's order: by event type in
 *    schema order, then document order (this is the dump order).
 * 2. Each element is bound to an event type of its series the way the
 *    reference does it (RegistryEvent: the first of 12, 13, 14 that has all
 *    of its fields), which also numbers its <Rule>s: the reference counts a
 *    <Rule> each time it starts one, including in the attempts that fail,
 *    and prints unnamed ones as "Compound Rule 0002".
 * 3. For every event type, the elements that apply to it are compiled with
 *    that type's field indexes: exclude elements first, then include ones,
 *    each group in document order. Direct filters are grouped by field
 *    and a field with many filters gets an index (rules_index.c); the
 *    <Rule>s of an OR element are gated by an index too. */
#include <errno.h>
#include <string.h>
#include "config_data.h"
#include "config_parse.h"
#include "rules_compile.h"
#include "rules_index.h"
#include "sm_schema_tables.h"

static int field_index(const struct sm_event_type *t, const char *field)
{
	for (unsigned k = 0; k < t->nfields; k++)
		if (!strcmp(t->fields[k], field))
			return (int)k;
	return -1;
}

static int sort_events(struct sm_parse *ps)
{
	struct sm_config *cfg = ps->cfg;
	struct sm_ast_event *sorted;
	size_t n = 0;

	if (!cfg->nevents)
		return 0;
	sorted = sm_arena_alloc(&cfg->arena, sizeof(*sorted) * cfg->nevents);
	if (!sorted)
		return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	for (size_t t = 0; t < sm_schema_table_len; t++)
		for (size_t i = 0; i < cfg->nevents; i++)
			if (cfg->events[i].series == t)
				sorted[n++] = cfg->events[i];
	cfg->events = sorted;
	return 0;
}

/* <Rule>s the reference has started when it meets filter `at`. */
static uint32_t rules_started(const struct sm_ast_event *ev, uint32_t at)
{
	uint32_t n = 0;

	while (n < ev->nrules && ev->rules[n].first <= at)
		n++;
	return n;
}

static int bind_event(struct sm_parse *ps, struct sm_ast_event *ev,
		      uint32_t *agg)
{
	size_t idx[SM_SERIES_MAX], ns = sm_series(ev->elem, idx, SM_SERIES_MAX);
	uint32_t fail = 0;

	for (size_t k = 0; k < ns; k++) {
		const struct sm_event_type *t = &sm_schema_table[idx[k]];

		for (fail = 0; fail < ev->nfilters; fail++)
			if (field_index(t, ev->filters[fail].field) < 0)
				break;
		if (fail == ev->nfilters) {
			for (uint32_t r = 0; r < ev->nrules; r++)
				ev->rules[r].agg_id = ++*agg;
			return 0;
		}
		*agg += rules_started(ev, fail);
	}
	return sm_fail(ps, ev->filters[fail].line, -EINVAL,
		       "Incorrect field %s (cannot be combined with the other "
		       "fields of this %s)", ev->filters[fail].field, ev->elem);
}

static int compile_patterns(struct sm_parse *ps, struct sm_ast_event *ev)
{
	for (uint32_t i = 0; i < ev->nfilters; i++) {
		struct sm_ast_filter *f = &ev->filters[i];
		int ret = sm_pattern_compile(&ps->cfg->arena, f->cond, f->value,
					     f->vlen, &f->pat);

		if (ret)
			return sm_fail(ps, f->line, ret, "Out of memory");
	}
	return 0;
}

static void compile_filters(const struct sm_ast_event *ev,
			    const struct sm_event_type *t, struct sm_cfilter *cf)
{
	for (uint32_t i = ev->nfilters; i-- > 0;) {
		const struct sm_ast_filter *f = &ev->filters[i];

		cf[i].pat = &f->pat;
		cf[i].name = f->name && *f->name ? f->name : NULL;
		cf[i].field = (int8_t)field_index(t, f->field);
		cf[i].in_run = f->rule != 0;
		if (cf[i].in_run) {
			cf[i].run_rel = ev->rules[f->rule - 1].rel;
			cf[i].run_end = i + 1 < ev->nfilters &&
						ev->filters[i + 1].rule == f->rule
					? cf[i + 1].run_end : i + 1;
		}
	}
}

/* Scratch space for building indexes: patterns and their numbers. */
struct scratch {
	const struct sm_pattern **pats;
	uint32_t *nums;
};

/* Split the members of a group into indexed ones and the rest. */
static int index_group(struct sm_arena *a, const struct sm_cfilter *cf,
		       struct sm_group *g, struct scratch *sc)
{
	uint32_t covered = 0, nlin = 0;
	uint32_t *lin;
	struct sm_index *idx;

	for (uint32_t i = 0; i < g->nall; i++)
		covered += sm_index_covers(cf[g->all[i]].pat);
	g->lin = g->all;
	g->nlin = g->nall;
	if (covered < SM_INDEX_MIN)
		return 0;
	lin = sm_arena_alloc(a, sizeof(*lin) * (g->nall - covered + 1));
	if (!lin)
		return -ENOMEM;
	covered = 0;
	for (uint32_t i = 0; i < g->nall; i++) {
		const struct sm_cfilter *f = &cf[g->all[i]];

		if (!sm_index_covers(f->pat)) {
			lin[nlin++] = g->all[i];
			continue;
		}
		sc->pats[covered] = f->pat;
		sc->nums[covered++] = g->all[i];
	}
	if (sm_index_build(a, sc->pats, sc->nums, covered, &idx))
		return -ENOMEM;
	g->idx = idx;
	g->lin = lin;
	g->nlin = nlin;
	return 0;
}

static bool run_start(const struct sm_cfilter *cf, uint32_t i)
{
	return cf[i].in_run && (i == 0 || !cf[i - 1].in_run || cf[i - 1].run_end == i);
}

/* Fill ce->g (direct filters by field, in order of first appearance,
 * indexed when many) and ce->runs (first filter of each <Rule>). */
static int group_filters(struct sm_arena *a, struct sm_centry *ce,
			 const struct sm_cfilter *cf, struct scratch *sc)
{
	uint32_t count[SM_MAX_FIELDS] = { 0 }, *all, *runs, *cursor[SM_MAX_FIELDS];
	int8_t order[SM_MAX_FIELDS];
	struct sm_group *g;

	for (uint32_t i = 0; i < ce->n; i++) {
		ce->nruns += run_start(cf, i);
		if (!cf[i].in_run && cf[i].field < 0)
			ce->lacks_field = true;
		else if (!cf[i].in_run && !count[cf[i].field]++)
			order[ce->ng++] = cf[i].field;
	}
	g = sm_arena_alloc(a, sizeof(*g) * (ce->ng + 1));
	all = sm_arena_alloc(a, sizeof(*all) * (ce->n + 1));
	runs = sm_arena_alloc(a, sizeof(*runs) * (ce->nruns + 1));
	if (!g || !all || !runs)
		return -ENOMEM;
	for (uint32_t k = 0; k < ce->ng; k++) {
		g[k].field = order[k];
		g[k].all = cursor[k] = all;
		all += count[order[k]];
	}
	for (uint32_t i = 0, r = 0; i < ce->n; i++) {
		uint32_t k = 0;

		if (run_start(cf, i))
			runs[r++] = i;
		if (cf[i].in_run || cf[i].field < 0)
			continue;
		while (g[k].field != cf[i].field)
			k++;
		*cursor[k]++ = i;
		g[k].nall++;
	}
	for (uint32_t k = 0; k < ce->ng; k++)
		if (index_group(a, cf, &g[k], sc))
			return -ENOMEM;
	ce->g = g;
	ce->runs = runs;
	return 0;
}

/* The filter that gates <Rule> r: with AND, the first one an index can
 * test (it must match for the <Rule> to match). -1: none; -2: the <Rule>
 * can never match (a filter on a field the type lacks). */
static long gate_filter(const struct sm_centry *ce, uint32_t r)
{
	const struct sm_cfilter *f = ce->f;
	uint32_t lo = ce->runs[r], hi = f[lo].run_end;
	long gate = -1;

	if (f[lo].run_rel != SM_REL_AND)
		return -1;
	for (uint32_t i = lo; i < hi; i++) {
		if (f[i].field < 0)
			return -2;
		if (gate < 0 && sm_index_covers(f[i].pat))
			gate = (long)i;
	}
	return gate;
}

/* For OR elements: index the gates of the <Rule>s, one index per field,
 * so that only <Rule>s whose gate matches are evaluated. */
static int gate_runs(struct sm_arena *a, struct sm_centry *ce, struct scratch *sc)
{
	int8_t *kind = sm_arena_alloc(a, ce->nruns + 1);
	struct sm_gate *gates = sm_arena_alloc(a, sizeof(*gates) * SM_MAX_FIELDS);

	if (!kind || !gates)
		return -ENOMEM;
	for (uint32_t r = 0; r < ce->nruns; r++)
		kind[r] = ce->rel == SM_REL_OR && gate_filter(ce, r) == -2 ?
				  SM_DEAD_RUN : SM_NO_GATE;
	for (int8_t field = 0; ce->rel == SM_REL_OR && field < SM_MAX_FIELDS; field++) {
		struct sm_index *idx;
		uint32_t n = 0;

		for (uint32_t r = 0; r < ce->nruns; r++) {
			long gf = gate_filter(ce, r);

			if (gf < 0 || ce->f[gf].field != field)
				continue;
			sc->pats[n] = ce->f[gf].pat;
			sc->nums[n++] = r;
			kind[r] = (int8_t)ce->ngates;
		}
		if (!n)
			continue;
		if (sm_index_build(a, sc->pats, sc->nums, n, &idx))
			return -ENOMEM;
		gates[ce->ngates].idx = idx;
		gates[ce->ngates++].field = field;
	}
	ce->run_gate = kind;
	ce->gates = gates;
	return 0;
}

static struct sm_centry *compile_entry(struct sm_config *cfg,
				       const struct sm_ast_event *ev,
				       const struct sm_event_type *t)
{
	struct sm_centry *ce = sm_arena_alloc(&cfg->arena, sizeof(*ce));
	struct sm_cfilter *cf = sm_arena_alloc(&cfg->arena,
					       sizeof(*cf) * (ev->nfilters + 1));
	struct scratch sc = {
		sm_arena_alloc(&cfg->arena, sizeof(*sc.pats) * (ev->nfilters + 1)),
		sm_arena_alloc(&cfg->arena, sizeof(*sc.nums) * (ev->nfilters + 1)),
	};

	if (!ce || !cf || !sc.pats || !sc.nums)
		return NULL;
	compile_filters(ev, t, cf);
	ce->f = cf;
	ce->n = ev->nfilters;
	ce->rel = ev->rel;
	ce->include = ev->include;
	if (group_filters(&cfg->arena, ce, cf, &sc) || gate_runs(&cfg->arena, ce, &sc))
		return NULL;
	return ce;
}

/* Entry lists per type: all of a type's series' elements, excludes first. */
static int build_lists(struct sm_parse *ps)
{
	struct sm_config *cfg = ps->cfg;

	for (size_t t = 0; t < sm_schema_table_len; t++) {
		const char *rule = sm_schema_table[t].rule_name;
		struct sm_type_rules *tr = &cfg->types[t];
		uint32_t n = 0;

		if (!rule)
			continue;
		for (size_t i = 0; i < cfg->nevents; i++)
			n += cfg->events[i].elem == rule || !strcmp(cfg->events[i].elem, rule);
		if (!n)
			continue;
		tr->e = sm_arena_alloc(&cfg->arena, sizeof(*tr->e) * n);
		if (!tr->e)
			return sm_fail(ps, 0, -ENOMEM, "Out of memory");
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < cfg->nevents; i++) {
				const struct sm_ast_event *ev = &cfg->events[i];

				if (ev->include != (pass == 1) || strcmp(ev->elem, rule))
					continue;
				tr->e[tr->n] = compile_entry(cfg, ev, &sm_schema_table[t]);
				if (!tr->e[tr->n++])
					return sm_fail(ps, 0, -ENOMEM, "Out of memory");
			}
		}
	}
	return 0;
}

int sm_rules_compile(struct sm_parse *ps)
{
	struct sm_config *cfg = ps->cfg;
	uint32_t agg = 0;
	int ret = sort_events(ps);

	for (size_t i = 0; i < cfg->nevents && !ret; i++) {
		ret = bind_event(ps, &cfg->events[i], &agg);
		if (!ret)
			ret = compile_patterns(ps, &cfg->events[i]);
	}
	return ret ? ret : build_lists(ps);
}

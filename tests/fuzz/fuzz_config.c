/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the config parser, the rule compiler, the dump and the
 * matcher, on arbitrary bytes. Built with SYSMON_FUZZ=ON (clang,
 * -fsanitize=fuzzer,address,undefined); run by run_fuzz.sh; its committed
 * seeds are replayed by the normal suite (replay.c).
 *
 * Checks, besides no crash: a refused config says where and why; the dump
 * (the reference's text listing, not XML) is stable: the same on the same
 * config after matching, the same for a second parse of the same bytes
 * (no state kept between parses), and the same for the parsed rules
 * written back as XML and parsed again (nothing the dump shows is lost or
 * changed by the parse); a rule name is NULL or non-empty; an event type
 * that is not enabled never matches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "config_data.h"
#include "fuzz_check.h"

/* ---- the parsed rules written back as XML (for the check only) ---- */

struct xbuf {
	char *p;
	size_t len, cap;
};

static void xput(struct xbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		CHECK(b->p);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void xputs(struct xbuf *b, const char *s)
{
	xput(b, s, strlen(s));
}

/* Text or attribute value: markup characters and every control character
 * as references, so that the parser gives back these very bytes. */
static void xesc(struct xbuf *b, const char *s, size_t n)
{
	char ref[16];

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"') {
			snprintf(ref, sizeof(ref), "&#%u;", c);
			xputs(b, ref);
		} else {
			xput(b, s + i, 1);
		}
	}
}

static void xattr(struct xbuf *b, const char *name, const char *value)
{
	if (!value)
		return;
	xputs(b, " ");
	xputs(b, name);
	xputs(b, "=\"");
	xesc(b, value, strlen(value));
	xputs(b, "\"");
}

static const char *rel_attr(uint8_t rel)
{
	return rel == SM_REL_AND ? "and" : "or";
}

/* The RuleName a filter got (its own, its Rule's or its RuleGroup's) is
 * written as its own. */
static void write_filter(struct xbuf *b, const struct sm_ast_filter *f)
{
	xputs(b, "<");
	xputs(b, f->field);
	xattr(b, "condition", sm_cond_name(f->cond));
	xattr(b, "name", f->name);
	xputs(b, ">");
	xesc(b, f->value, f->vlen);
	xputs(b, "</");
	xputs(b, f->field);
	xputs(b, ">");
}

/* <Rule> r of ev with its filters (those that follow its first one). */
static void write_rule(struct xbuf *b, const struct sm_ast_event *ev,
		       uint32_t r)
{
	xputs(b, "<Rule");
	xattr(b, "name", ev->rules[r].name);
	xattr(b, "groupRelation", rel_attr(ev->rules[r].rel));
	xputs(b, ">");
	for (uint32_t i = ev->rules[r].first;
	     i < ev->nfilters && ev->filters[i].rule == r + 1; i++)
		write_filter(b, &ev->filters[i]);
	xputs(b, "</Rule>");
}

/* One element in a RuleGroup of its relation; its direct filters and
 * <Rule>s in document order (a <Rule> before the filter at its first
 * index; an empty one too). */
static void write_event(struct xbuf *b, const struct sm_ast_event *ev)
{
	uint32_t r = 0;

	xputs(b, "<RuleGroup");
	xattr(b, "groupRelation", rel_attr(ev->rel));
	xputs(b, "><");
	xputs(b, ev->elem);
	xattr(b, "onmatch", ev->include ? "include" : "exclude");
	xputs(b, ">");
	for (uint32_t i = 0; i < ev->nfilters; i++) {
		while (r < ev->nrules && ev->rules[r].first <= i)
			write_rule(b, ev, r++);
		if (!ev->filters[i].rule)
			write_filter(b, &ev->filters[i]);
	}
	while (r < ev->nrules)
		write_rule(b, ev, r++);
	xputs(b, "</");
	xputs(b, ev->elem);
	xputs(b, "></RuleGroup>");
}

/* The rules of cfg as a configuration (the options, which the dump does
 * not show, left out), in the dump's order. */
static char *config_xml(const struct sm_config *cfg, size_t *len)
{
	struct xbuf b = { 0 };

	xputs(&b, "<Sysmon");
	xattr(&b, "schemaversion", cfg->version);
	xputs(&b, "><EventFiltering>");
	for (size_t i = 0; i < cfg->nevents; i++)
		write_event(&b, &cfg->events[i]);
	xputs(&b, "</EventFiltering></Sysmon>");
	*len = b.len;
	return b.p;
}

/* ---- the checks ---- */

/* Every field of an event of type t gets a value cut from the input, so
 * the conditions see varied, not always valid UTF-8, text. */
static void match_all_types(const struct sm_config *cfg, const uint8_t *data,
			    size_t size)
{
	size_t n;
	const struct sm_event_type *t = sm_schema_events(&n);

	for (size_t i = 0; i < n; i++) {
		struct sm_event ev = { .type = &t[i] };
		const char *rule = NULL;
		bool match;

		for (unsigned k = 0; k < t[i].nfields; k++) {
			size_t off = size ? (k * 7) % size : 0;

			ev.f[k].p = (const char *)data + off;
			ev.f[k].len =
				(uint32_t)((size - off) < 40 ? size - off : 40);
		}
		match = sm_config_match(cfg, &ev, &rule);
		CHECK(!rule || *rule); /* names are NULL or non-empty */
		CHECK(!match || sm_config_event_enabled(cfg, t[i].id));
	}
}

static char *parse_and_dump(const uint8_t *data, size_t size)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	char *dump;

	if (sm_config_parse((const char *)data, size, "fuzz.xml", &cfg, &err)) {
		fprintf(stderr, "refused, line %d: %s\n%.*s\n", err.line,
			err.msg, (int)size, (const char *)data);
		CHECK(!"a config that was parsed once parses again");
	}
	dump = sm_config_dump(cfg);
	CHECK(dump);
	sm_config_free(cfg);
	return dump;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	char *dump, *again, *xml;
	size_t len;

	if (sm_config_parse((const char *)data, size, "fuzz.xml", &cfg, &err)) {
		CHECK(!cfg && err.line >= 0 &&
		      memchr(err.msg, 0, sizeof(err.msg)) && err.msg[0]);
		return 0;
	}
	dump = sm_config_dump(cfg);
	CHECK(dump);
	match_all_types(cfg, data, size);
	(void)sm_config_hash_algorithms(cfg);
	(void)sm_config_field_size(cfg, 1, 4);
	again = sm_config_dump(cfg);
	CHECK(again && !strcmp(dump, again));
	free(again);
	again = parse_and_dump(data, size);
	CHECK(!strcmp(dump, again));
	free(again);
	xml = config_xml(cfg, &len);
	sm_config_free(cfg);
	again = parse_and_dump((const uint8_t *)xml, len);
	if (strcmp(dump, again))
		fprintf(stderr,
			"rules written back:\n%s\ndump:\n%s\nagain:\n%s", xml,
			dump, again);
	CHECK(!strcmp(dump, again));
	free(again);
	free(xml);
	free(dump);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* `sysmon -c` (no argument): the active rules as the reference prints
 * them, byte for byte:
 *
 *   Rule configuration (version 4.90):
 *    - ProcessCreate                      onmatch: include   combine rules using 'Or'
 *   	Image                          filter: is           value: '/usr/bin/ls'
 *   	Compound Rule DetectSuspicious   combine using And
 *   	    Image                          filter: begin with   value: '/tmp'
 *
 * Elements come in schema order, then document order. Like the reference,
 * an element that follows one of the same event and onmatch is not
 * printed at all (its filters still apply), a <Rule> name is cut to 32
 * bytes (here on a UTF-8 character boundary) and a <Rule> without a name
 * shows its number. Every line ends with "\n". A config without any event
 * element prints "No rules installed\n", as the reference does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_data.h"

struct buf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		size_t cap = (b->cap + (size_t)n) * 2;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* At most 32 bytes, not splitting a UTF-8 sequence. */
static int cut32(const char *s)
{
	size_t n = strlen(s);

	if (n <= 32)
		return (int)n;
	n = 32;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

static const char *rel_name(uint8_t rel)
{
	return rel == SM_REL_AND ? "And" : "Or";
}

static void dump_filter(struct buf *b, const struct sm_ast_event *ev,
			const struct sm_ast_filter *f, uint32_t *agg)
{
	const struct sm_ast_rule *r;

	if (!f->rule) {
		put(b, "\t%-30s filter: %-12s value: '%s'\n", f->field,
		    sm_cond_name(f->cond), f->value);
		return;
	}
	r = &ev->rules[f->rule - 1];
	if (r->agg_id != *agg) {
		if (r->name && *r->name)
			put(b, "\tCompound Rule %.*s   combine using %s\n",
			    cut32(r->name), r->name, rel_name(r->rel));
		else
			put(b, "\tCompound Rule %04u   combine using %s\n",
			    (unsigned)r->agg_id, rel_name(r->rel));
		*agg = r->agg_id;
	}
	put(b, "\t    %-30s filter: %-12s value: '%s'\n", f->field,
	    sm_cond_name(f->cond), f->value);
}

char *sm_config_dump(const struct sm_config *cfg)
{
	struct buf b = { .cap = 4096 };
	const struct sm_ast_event *prev = NULL;
	uint32_t agg = 0;

	b.p = malloc(b.cap);
	if (!b.p)
		return NULL;
	b.p[0] = 0;
	if (!cfg || !cfg->nevents)
		put(&b, "No rules installed\n");
	else
		put(&b, "Rule configuration (version %u.%02u):\n", cfg->vmajor,
		    cfg->vminor);
	for (size_t i = 0; cfg && i < cfg->nevents; i++) {
		const struct sm_ast_event *ev = &cfg->events[i];

		if (prev && !strcmp(prev->elem, ev->elem) && prev->include == ev->include)
			continue;
		prev = ev;
		put(&b, " - %-34s onmatch: %s   combine rules using '%s'\n",
		    ev->elem, ev->include ? "include" : "exclude", rel_name(ev->rel));
		for (uint32_t k = 0; k < ev->nfilters; k++)
			dump_filter(&b, ev, &ev->filters[k], &agg);
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

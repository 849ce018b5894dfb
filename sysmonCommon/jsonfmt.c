/* SPDX-License-Identifier: MIT */
/* XML event line -> JSON line (jsonline.h), no allocation. The reader
 * accepts exactly the shape sm_format_event writes (xmlfmt.c): no
 * whitespace between tags, attributes in double quotes separated by one
 * space, the System section then EventData. Values are decoded into the
 * caller's scratch buffer, then written by sm_json_line. */
#include "jsonfmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jsonline.h"
#include "utf8.h"

/* Decoded values go to tmp; each ends up as one key/value pair. */
struct in {
	const char *s;
	size_t i, n;
	bool bad;
	char *tmp;
	size_t tl, tcap;
};

struct pairs {
	struct sm_json_kv sys[SM_JSON_NSYS];
	struct sm_json_kv kv[SM_JSON_NSYS + SM_MAX_FIELDS];
	size_t n;
};

static void keep(struct in *x, const char *s, size_t n)
{
	if (n > x->tcap - x->tl) {
		x->bad = true;
		return;
	}
	memcpy(x->tmp + x->tl, s, n);
	x->tl += n;
}

static uint32_t parse_num(const char *s, size_t n, unsigned base)
{
	uint32_t v = 0;

	if (n == 0 || n > 8)
		return UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return UINT32_MAX;
		v = v * base + d;
	}
	return v;
}

/* The entity at x->s[x->i] ('&'): its code point; x->bad when unknown. */
static uint32_t entity(struct in *x)
{
	static const struct {
		const char *name;
		uint32_t cp;
	} named[] = {
		{ "amp", '&' },  { "lt", '<' },    { "gt", '>' },
		{ "quot", '"' }, { "apos", '\'' },
	};
	const char *e = x->s + x->i + 1;
	const char *semi =
		memchr(e, ';', x->n - x->i - 1 < 12 ? x->n - x->i - 1 : 12);
	size_t len;
	uint32_t cp = UINT32_MAX;

	if (!semi) {
		x->bad = true;
		return 0;
	}
	len = (size_t)(semi - e);
	x->i += len + 2;
	if (len > 1 && e[0] == '#')
		cp = e[1] == 'x' ? parse_num(e + 2, len - 2, 16)
				 : parse_num(e + 1, len - 1, 10);
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		if (strlen(named[k].name) == len &&
		    !memcmp(e, named[k].name, len))
			cp = named[k].cp;
	if (cp == UINT32_MAX || cp == 0)
		x->bad = true;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	return cp;
}

/* Text up to (not including) the byte `end`, entities decoded, into tmp;
 * its start there in *v. A '<' before `end` is an error. */
static size_t copy_text(struct in *x, char end, const char **v)
{
	size_t start = x->tl;

	*v = x->tmp + start;
	while (x->i < x->n && x->s[x->i] != end && !x->bad) {
		size_t run = x->i;

		while (run < x->n && x->s[run] != end && x->s[run] != '&' &&
		       x->s[run] != '<')
			run++;
		keep(x, x->s + x->i, run - x->i);
		x->i = run;
		if (run >= x->n || x->s[run] == end)
			break;
		if (x->s[run] == '<') {
			x->bad = true;
		} else {
			char b[4];
			uint32_t cp = entity(x);

			if (!x->bad)
				keep(x, b, sm_utf8_encode(cp, b));
		}
	}
	return x->tl - start;
}

static bool lit(struct in *x, const char *s)
{
	size_t n = strlen(s);

	if (x->n - x->i < n || memcmp(x->s + x->i, s, n))
		return false;
	x->i += n;
	return true;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* An XML name at the cursor: its length (0: none). */
static size_t name(struct in *x)
{
	size_t start = x->i;

	while (x->i < x->n && name_char(x->s[x->i]))
		x->i++;
	return x->i - start;
}

/* A System value named a then b (b may be empty) goes to its slot when
 * jsonline.h has one (TimeCreated's SystemTime is "TimeCreated"). */
static void sys_value(struct pairs *p, const char *a, size_t al, const char *b,
		      size_t bl, const char *v, size_t vl)
{
	char key[64];
	int k;

	if (al + bl >= sizeof(key))
		return;
	memcpy(key, a, al);
	memcpy(key + al, b, bl);
	if (al == 11 && !memcmp(a, "TimeCreated", 11))
		bl = 0;
	k = sm_json_sys_key(key, al + bl);
	if (k < 0)
		return;
	p->sys[k] = (struct sm_json_kv){ sm_json_sys_keys[k],
					 strlen(sm_json_sys_keys[k]), v, vl };
}

/* attr="value" pairs of the tag at the cursor (element en). */
static bool attributes(struct in *x, struct pairs *p, const char *en, size_t el)
{
	while (lit(x, " ")) {
		const char *an = x->s + x->i, *v;
		size_t al = name(x), vl;

		if (!al || !lit(x, "=\""))
			return false;
		vl = copy_text(x, '"', &v);
		if (x->bad || !lit(x, "\""))
			return false;
		sys_value(p, en, el, an, al, v, vl);
	}
	return true;
}

/* One element of the System section. */
static bool system_element(struct in *x, struct pairs *p)
{
	const char *en, *v;
	size_t el, vl;

	if (!lit(x, "<"))
		return false;
	en = x->s + x->i;
	el = name(x);
	if (!el || !attributes(x, p, en, el))
		return false;
	if (lit(x, "/>"))
		return true;
	if (!lit(x, ">"))
		return false;
	vl = copy_text(x, '<', &v);
	if (x->bad || !lit(x, "</") || x->n - x->i < el ||
	    memcmp(x->s + x->i, en, el))
		return false;
	sys_value(p, en, el, "", 0, v, vl);
	x->i += el;
	return lit(x, ">");
}

/* <Data Name="N">v</Data> (or <Data Name="N"/>) as "N":"v". */
static bool data_element(struct in *x, struct pairs *p)
{
	struct sm_json_kv *kv = &p->kv[p->n];

	if (p->n >= sizeof(p->kv) / sizeof(p->kv[0]) ||
	    !lit(x, "<Data Name=\""))
		return false;
	kv->key_len = copy_text(x, '"', &kv->key);
	if (x->bad || !lit(x, "\""))
		return false;
	p->n++;
	kv->val = "";
	kv->val_len = 0;
	if (lit(x, "/>"))
		return true;
	if (!lit(x, ">"))
		return false;
	kv->val_len = copy_text(x, '<', &kv->val);
	return !x->bad && lit(x, "</Data>");
}

/* The System values first (jsonline.h's order), then the Data. */
static bool read_event(struct in *x, struct pairs *p)
{
	if (!lit(x, "<Event><System>"))
		return false;
	while (!lit(x, "</System>"))
		if (!system_element(x, p))
			return false;
	for (int k = 0; k < SM_JSON_NSYS; k++)
		if (p->sys[k].key)
			p->kv[p->n++] = p->sys[k];
	if (!lit(x, "<EventData>"))
		return false;
	while (!lit(x, "</EventData>"))
		if (!data_element(x, p))
			return false;
	return lit(x, "</Event>") && x->i == x->n;
}

size_t sm_json_from_xml(char *out, size_t cap, char *tmp, size_t tmp_cap,
			const char *xml, size_t len)
{
	struct in x = { xml, 0, len, false, tmp, 0, tmp_cap };
	struct pairs p;

	memset(p.sys, 0, sizeof(p.sys));
	p.n = 0;
	if (!read_event(&x, &p) || x.bad)
		return 0;
	return sm_json_line(out, cap, p.kv, p.n);
}

/* Decimal digits at *s into *v (at most 1e15); false when none or more. */
static bool parse_dec(const char **s, uint64_t *v)
{
	const char *p = *s;

	*v = 0;
	while (*p >= '0' && *p <= '9' && *v < 1000000000000000ull)
		*v = *v * 10 + (uint64_t)(*p++ - '0');
	if (p == *s || (*p >= '0' && *p <= '9'))
		return false;
	*s = p;
	return true;
}

int sm_json_parse_rotate(const char *s, uint64_t *bytes, unsigned *keep)
{
	uint64_t size, count = SM_JSON_KEEP_DEFAULT;
	unsigned shift = 0;

	if (!s || !parse_dec(&s, &size))
		return -1;
	switch (*s) {
	case 'k':
	case 'K':
		shift = 10;
		s++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		s++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		s++;
		break;
	default:
		break;
	}
	if (size > (1ull << 40) >> shift)
		return -1;
	if (*s == ',') {
		s++;
		if (!parse_dec(&s, &count) || count > SM_JSON_KEEP_MAX)
			return -1;
	}
	if (*s)
		return -1;
	*bytes = size << shift;
	*keep = (unsigned)count;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* XML event line -> JSON object, in one pass, no allocation. The reader
 * accepts exactly the shape sm_format_event writes (xmlfmt.c): no
 * whitespace between tags, attributes in double quotes separated by one
 * space, the System section then EventData. */
#include "jsonfmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

struct out {
	char *p;
	size_t len, cap;
	bool full;
};

struct in {
	const char *s;
	size_t i, n;
	bool bad;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full || n >= o->cap - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

#define PUT(o, lit) put((o), (lit), sizeof(lit) - 1)

/* One code point, escaped for a JSON string. */
static void put_cp(struct out *o, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	char b[8];

	switch (cp) {
	case '"':
		PUT(o, "\\\"");
		return;
	case '\\':
		PUT(o, "\\\\");
		return;
	case '\b':
		PUT(o, "\\b");
		return;
	case '\f':
		PUT(o, "\\f");
		return;
	case '\n':
		PUT(o, "\\n");
		return;
	case '\r':
		PUT(o, "\\r");
		return;
	case '\t':
		PUT(o, "\\t");
		return;
	default:
		break;
	}
	if (cp < 0x20) {
		char u[6] = { '\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15] };

		put(o, u, sizeof(u));
		return;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	put(o, b, sm_utf8_encode(cp, b));
}

/* Bytes that go out as they are: printable ASCII but " \ & <. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '&' &&
	       c != '<';
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
	return cp;
}

/* Text up to (not including) the byte `end`, entities decoded, escaped
 * for JSON. A '<' before `end` is an error. */
static void copy_text(struct in *x, struct out *o, char end)
{
	while (x->i < x->n && x->s[x->i] != end && !x->bad) {
		size_t run = x->i;
		unsigned char c;
		uint32_t cp;

		while (run < x->n && plain((unsigned char)x->s[run]) &&
		       x->s[run] != end)
			run++;
		put(o, x->s + x->i, run - x->i);
		x->i = run;
		if (run >= x->n || x->s[run] == end)
			break;
		c = (unsigned char)x->s[run];
		if (c == '<') {
			x->bad = true;
		} else if (c == '&') {
			put_cp(o, entity(x));
		} else if (c >= 0x80) {
			x->i += sm_utf8_decode(x->s + run, x->n - run, &cp);
			put_cp(o, cp); /* SM_UTF8_BAD values become U+FFFD */
		} else {
			put_cp(o, c);
			x->i++;
		}
	}
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

static void put_key(struct out *o, const char *k, size_t n, bool *first)
{
	if (!*first)
		PUT(o, ",");
	*first = false;
	PUT(o, "\"");
	put(o, k, n);
	PUT(o, "\":\"");
}

/* attr="value" pairs of the tag at the cursor, each as a member. */
static bool attributes(struct in *x, struct out *o, bool *first)
{
	while (lit(x, " ")) {
		const char *an = x->s + x->i;
		size_t al = name(x);

		if (!al || !lit(x, "=\""))
			return false;
		put_key(o, an, al, first);
		copy_text(x, o, '"');
		PUT(o, "\"");
		if (x->bad || !lit(x, "\""))
			return false;
	}
	return true;
}

/* One element of the System section. */
static bool system_element(struct in *x, struct out *o, bool *first)
{
	const char *en;
	size_t el;

	if (!lit(x, "<"))
		return false;
	en = x->s + x->i;
	el = name(x);
	if (!el || !attributes(x, o, first))
		return false;
	if (lit(x, "/>"))
		return true;
	if (!lit(x, ">"))
		return false;
	put_key(o, en, el, first);
	copy_text(x, o, '<');
	PUT(o, "\"");
	if (x->bad || !lit(x, "</") || x->n - x->i < el ||
	    memcmp(x->s + x->i, en, el))
		return false;
	x->i += el;
	return lit(x, ">");
}

/* <Data Name="N">v</Data> (or <Data Name="N"/>) as "N":"v". */
static bool data_element(struct in *x, struct out *o, bool *first)
{
	if (!lit(x, "<Data Name=\""))
		return false;
	if (!*first)
		PUT(o, ",");
	*first = false;
	PUT(o, "\"");
	copy_text(x, o, '"');
	PUT(o, "\":\"");
	if (x->bad || !lit(x, "\""))
		return false;
	if (lit(x, "/>")) {
		PUT(o, "\"");
		return true;
	}
	if (!lit(x, ">"))
		return false;
	copy_text(x, o, '<');
	PUT(o, "\"");
	return !x->bad && lit(x, "</Data>");
}

size_t sm_json_from_xml(char *out, size_t cap, const char *xml, size_t len)
{
	struct in x = { xml, 0, len, false };
	struct out o = { out, 0, cap, false };
	bool first = true;

	if (cap == 0 || !lit(&x, "<Event><System>"))
		return 0;
	PUT(&o, "{\"" SM_JSON_SYSTEM "\":{");
	while (!lit(&x, "</System>"))
		if (!system_element(&x, &o, &first))
			return 0;
	if (!lit(&x, "<EventData>"))
		return 0;
	PUT(&o, "},\"" SM_JSON_EVENTDATA "\":{");
	first = true;
	while (!lit(&x, "</EventData>"))
		if (!data_element(&x, &o, &first))
			return 0;
	PUT(&o, "}}");
	if (!lit(&x, "</Event>") || x.i != x.n || o.full)
		return 0;
	out[o.len] = '\0';
	return o.len;
}

size_t sm_json_escape(char *out, size_t cap, const char *text, size_t len)
{
	struct out o = { out, 0, cap, false };

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;

		if (plain((unsigned char)text[i]) || text[i] == '&' ||
		    text[i] == '<') {
			put(&o, text + i, 1);
			i++;
			continue;
		}
		i += sm_utf8_decode(text + i, len - i, &cp);
		put_cp(&o, cp);
	}
	if (o.full)
		return 0;
	out[o.len] = '\0';
	return o.len;
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

/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the XML formatter (sm_format_event) with arbitrary
 * field bytes and FieldSizes limits, for every event type of the schema.
 *
 * Input: byte 0 picks the event type; then, per field, a 4-byte header
 * (length u16 LE, repeat count u8, limit code u8) and `length` bytes of
 * value, repeated so that small inputs can reach the 64 KiB line cap.
 *
 * Every line must be: one line (no control byte at all), valid UTF-8,
 * at most SM_EVENT_MAX bytes, well-formed XML (libxml2 parses it), with
 * the fields in schema order, and each value must decode to exactly what
 * the rules of xmlfmt.h make of the input (checked against a model written
 * independently here), or, when the line had to be cut, to a prefix of it
 * followed by "...". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "schema.h"
#include "jsonfmt.h"
#include "utf8.h"
#include "xmlfmt.h"
#include "fuzz_check.h"

#define RAW_MAX (96u << 10)   /* all values together, before escaping */
#define FIELD_MAX (48u << 10) /* one value */

static char raw[RAW_MAX];
static char *line;
static char model[FIELD_MAX * 3 + 16];
static char decoded[SM_EVENT_MAX + 1];

/* Length of a well-formed UTF-8 sequence at s that is an XML character
 * other than a control (Unicode 3-7 table of well-formed byte sequences),
 * else 0. */
static size_t xml_char_len(const uint8_t *s, size_t n)
{
	uint8_t b = s[0];
	uint8_t lo = 0x80, hi = 0xbf;
	size_t len;

	if (b < 0x80)
		return (b >= 0x20 || b == '\t' || b == '\n' || b == '\r') ? 1 : 0;
	if (b < 0xc2 || b > 0xf4)
		return 0;
	len = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
	if (b == 0xe0) lo = 0xa0;
	if (b == 0xed) hi = 0x9f;
	if (b == 0xf0) lo = 0x90;
	if (b == 0xf4) hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	/* U+FFFE and U+FFFF are not XML characters */
	if (b == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return 0;
	return len;
}

/* What the value must decode to (xmlfmt.h rules). Returns its length. */
static size_t model_value(const char *v, size_t n, unsigned limit)
{
	const uint8_t *s = (const uint8_t *)v;
	size_t chars = 0, out = 0, keep;

	if (n == 0) {
		model[0] = '-';
		return 1;
	}
	for (size_t i = 0; i < n; chars++) {
		size_t l = xml_char_len(s + i, n - i);

		i += l ? l : 1;
	}
	keep = chars;
	if (limit && chars > limit) {
		if (limit < 3) {
			model[0] = '-';
			return 1;
		}
		keep = limit - 3;
	}
	for (size_t i = 0, c = 0; i < n && c < keep; c++) {
		size_t l = xml_char_len(s + i, n - i);

		if (l) {
			memcpy(model + out, s + i, l);
			out += l;
			i += l;
		} else {
			memcpy(model + out, "\xef\xbf\xbd", 3);
			out += 3;
			i++;
		}
	}
	if (keep < chars) {
		memcpy(model + out, "...", 3);
		out += 3;
	}
	return out;
}

/* Decode the escaped text p[0..n) into `decoded`; returns its length. */
static size_t unescape(const char *p, size_t n)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#9;", '\t' }, { "&#10;", '\n' },
		{ "&#13;", '\r' },
	};
	size_t out = 0;

	for (size_t i = 0; i < n;) {
		size_t k;

		CHECK(p[i] != '<' && p[i] != '>');
		if (p[i] != '&') {
			decoded[out++] = p[i++];
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			size_t el = strlen(ents[k].ent);

			if (n - i >= el && !memcmp(p + i, ents[k].ent, el)) {
				decoded[out++] = ents[k].c;
				i += el;
				break;
			}
		}
		CHECK(k < sizeof(ents) / sizeof(ents[0])); /* a known entity */
	}
	return out;
}

static void check_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = xml_char_len((const uint8_t *)s + i, n - i);

		CHECK(l > 0);                    /* valid UTF-8, XML characters */
		CHECK((uint8_t)s[i] >= 0x20);    /* no tab, LF, CR, control */
		i += l;
	}
}

struct input {
	const uint8_t *p;
	size_t n;
	size_t used; /* bytes of raw[] taken */
};

/* The next field's value and limit from the input. */
static struct sm_str next_value(struct input *in, unsigned *limit)
{
	size_t len, rep, start = in->used;
	uint8_t code;

	*limit = 0;
	if (in->n < 4)
		return (struct sm_str){ NULL, 0 };
	len = (size_t)in->p[0] | (size_t)in->p[1] << 8;
	rep = (size_t)in->p[2] + 1;
	code = in->p[3];
	in->p += 4;
	in->n -= 4;
	len = len % (in->n + 1);
	*limit = code <= 250 ? code : (unsigned)(code - 250) * 8000u;
	for (size_t r = 0; r < rep && len; r++) {
		size_t room = RAW_MAX - in->used;
		size_t take = len;

		if (in->used - start + take > FIELD_MAX)
			take = FIELD_MAX - (in->used - start);
		if (take > room)
			take = room;
		if (!take)
			break;
		memcpy(raw + in->used, in->p, take);
		in->used += take;
	}
	in->p += len;
	in->n -= len;
	return (struct sm_str){ raw + start, (uint32_t)(in->used - start) };
}

/* Walk the line field by field against the model. */
static void check_fields(const struct sm_event_type *t,
			 const struct sm_event *ev, const unsigned *limits,
			 size_t len)
{
	const char *p = strstr(line, "<EventData>");
	const char *end = line + len;

	CHECK(p && !strncmp(line, "<Event><System>", 15));
	p += strlen("<EventData>");
	for (unsigned i = 0; i < t->nfields; i++) {
		char open[96];
		int ol = snprintf(open, sizeof(open), "<Data Name=\"%s\">",
				  t->fields[i]);
		const char *v, *close;
		size_t m, d;

		CHECK(ol > 0 && (size_t)(end - p) >= (size_t)ol &&
		      !memcmp(p, open, (size_t)ol));
		v = p + ol;
		close = memchr(v, '<', (size_t)(end - v));
		CHECK(close && !strncmp(close, "</Data>", 7));
		m = model_value(ev->f[i].p, ev->f[i].p ? ev->f[i].len : 0,
				limits[i]);
		d = unescape(v, (size_t)(close - v));
		if (d != m || memcmp(decoded, model, m)) {
			/* only a line at the cap has cut values: a prefix of
			 * the value (whole characters) and "..." */
			CHECK(len + 16 >= SM_EVENT_MAX);
			CHECK(d >= 3 && d - 3 <= m && !memcmp(decoded, model, d - 3));
			CHECK(!memcmp(decoded + d - 3, "...", 3));
			/* never inside a UTF-8 sequence */
			CHECK(d - 3 == m || ((uint8_t)model[d - 3] & 0xc0) != 0x80);
		}
		p = close + 7;
	}
	CHECK(!strcmp(p, "</EventData></Event>"));
}

/* The JSON line made from it: always made, valid UTF-8, no raw control
 * byte, one member per field. */
static void check_json(const struct sm_event_type *t, size_t len)
{
	static char *json, *tmp;
	size_t n, members = 0;
	bool in_str = false;

	if (!json && !(json = malloc(SM_JSON_BUF)))
		abort();
	if (!tmp && !(tmp = malloc(SM_JSON_TMP)))
		abort();
	n = sm_json_from_xml(json, SM_JSON_BUF, tmp, SM_JSON_TMP, line, len);
	CHECK(n > 0 && n < SM_JSON_BUF && strlen(json) == n);
	CHECK(sm_utf8_valid(json, n, NULL));
	CHECK(!strncmp(json, "{\"EventID\":", 11));
	CHECK(!strcmp(json + n - 2, "}\n"));
	n--; /* the newline */
	for (size_t i = 0; i < n; i++) {
		CHECK((uint8_t)json[i] >= 0x20);
		if (json[i] == '\\' && in_str)
			i++;
		else if (json[i] == '"')
			in_str = !in_str;
		else if (!in_str && json[i] == ':')
			members++;
	}
	/* jsonline.h's System values, then the fields */
	CHECK(members == (size_t)SM_JSON_NSYS + t->nfields);
}

static void check_escape(const struct sm_str v)
{
	char small[64];
	size_t n = sm_xml_escape(small, sizeof(small), v.p ? v.p : "", v.len);

	CHECK(n < sizeof(small) && small[n] == '\0' && strlen(small) == n);
	check_bytes(small, n);
	unescape(small, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sm_sys_header h = {
		.record_id = 42, .time_ns = 1795365630513162000ull,
		.computer = "fuzz-host", .pid = 1, .tid = 1, .uid = 0,
	};
	size_t ntypes, len;
	const struct sm_event_type *types = sm_schema_events(&ntypes);
	struct input in = { data, size, 0 };
	struct sm_event ev = { 0 };
	unsigned limits[SM_MAX_FIELDS] = { 0 };
	xmlDocPtr doc;

	if (!line && !(line = malloc(SM_FMT_BUF)))
		abort();
	if (size < 1 || !ntypes)
		return 0;
	ev.type = &types[data[0] % ntypes];
	in.p++;
	in.n--;
	for (unsigned i = 0; i < ev.type->nfields; i++)
		ev.f[i] = next_value(&in, &limits[i]);

	len = sm_format_event(line, SM_FMT_BUF, &h, &ev, limits);
	CHECK(len > 0); /* RAW_MAX escaped never exceeds SM_FMT_BUF */
	CHECK(len == strlen(line));
	CHECK(len <= SM_EVENT_MAX);
	check_bytes(line, len);
	check_fields(ev.type, &ev, limits, len);
	check_json(ev.type, len);
	doc = xmlReadMemory(line, (int)len, "event.xml", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
	check_escape(ev.f[0]);
	return 0;
}

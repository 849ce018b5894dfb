/* SPDX-License-Identifier: MIT */
/* The JSON line made from the XML line: byte-exact against a reference,
 * escaping, UTF-8, malformed input refused, and for every event type of
 * the schema each JSON value equal to its XML value (decoded here by a
 * small reader written for the test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonfmt.h"
#include "schema.h"
#include "utf8.h"
#include "xmlfmt.h"

static char *xml, *json, *tmp;

static const struct sm_sys_header hdr = {
	.record_id = 1930,
	.time_ns = 1795365630513162000ull,
	.computer = "vm",
	.pid = 30050,
	.tid = 30051,
	.uid = 0,
};

static size_t to_json(const char *x)
{
	return sm_json_from_xml(json, SM_JSON_BUF, tmp, SM_JSON_TMP, x,
				strlen(x));
}

static void reference(void **st)
{
	struct sm_event ev = { .type = sm_schema_event(5) };
	static const char want[] =
		"{\"EventID\":\"5\",\"EventRecordID\":\"1930\","
		"\"TimeCreated\":\"2026-11-22T16:40:30.513162000Z\","
		"\"Computer\":\"vm\",\"ExecutionProcessID\":\"30050\","
		"\"ExecutionThreadID\":\"30051\",\"SecurityUserId\":\"0\","
		"\"RuleName\":\"-\",\"UtcTime\":\"-\","
		"\"ProcessGuid\":\"-\",\"ProcessId\":\"42\","
		"\"Image\":\"/usr/bin/a \\\"b\\\" <c> & \\\\d\",\"User\":\"-\"}\n";
	size_t n;

	(void)st;
	ev.f[3] = SM_STR("42");
	ev.f[4] = SM_STR("/usr/bin/a \"b\" <c> & \\d");
	assert_true(sm_format_event(xml, SM_FMT_BUF, &hdr, &ev, NULL) > 0);
	n = to_json(xml);
	assert_string_equal(json, want);
	assert_int_equal(n, strlen(want));
}

/* The Image of a ProcessTerminate whose Image is v, as JSON text. */
static const char *image_json(const char *v, size_t len)
{
	static char out[4096];
	struct sm_event ev = { .type = sm_schema_event(5) };
	const char *p, *e;

	ev.f[4] = (struct sm_str){ v, (uint32_t)len };
	assert_true(sm_format_event(xml, SM_FMT_BUF, &hdr, &ev, NULL) > 0);
	assert_true(to_json(xml) > 0);
	p = strstr(json, "\"Image\":\"");
	assert_non_null(p);
	p += 9;
	e = strstr(p, "\",\"User\"");
	assert_non_null(e);
	snprintf(out, sizeof(out), "%.*s", (int)(e - p), p);
	return out;
}

static void escaping(void **st)
{
	(void)st;
	assert_string_equal(image_json("a\tb\nc\rd", 7), "a\\tb\\nc\\rd");
	assert_string_equal(image_json("&amp;<&lt;>", 11), "&amp;<&lt;>");
	assert_string_equal(image_json("'\"\\/", 4), "'\\\"\\\\/");
	/* controls and invalid bytes: U+FFFD in the XML, so in the JSON */
	assert_string_equal(image_json("x\x01y\x7f", 4),
			    "x\xef\xbf\xbdy\\u007f");
	assert_string_equal(
		image_json("\xff\xc3(\xc3\xa4\xf0\x9f\x98\x80", 9),
		"\xef\xbf\xbd\xef\xbf\xbd(\xc3\xa4\xf0\x9f\x98\x80");
	assert_string_equal(image_json("</Data><Data Name=\"User\">root", 29),
			    "</Data><Data Name=\\\"User\\\">root");
	assert_string_equal(image_json("\"},\"EventData\":{\"x\":\"", 21),
			    "\\\"},\\\"EventData\\\":{\\\"x\\\":\\\"");
}

/* Entities and bytes the XML formatter never writes are still handled. */
static void decode_rules(void **st)
{
	static const char head[] = "<Event><System><EventID>1</EventID>"
				   "</System><EventData><Data Name=\"A\">";
	static const char tail[] = "</Data></EventData></Event>";
	char in[256];

	(void)st;
#define CASE(text, want) \
	do { \
		snprintf(in, sizeof(in), "%s%s%s", head, text, tail); \
		assert_true(to_json(in) > 0); \
		assert_string_equal(json, "{\"EventID\":\"1\"," \
					  "\"A\":\"" want "\"}\n"); \
	} while (0)
	CASE("&#1;&#x1f;&#127;&apos;&quot;", "\\u0001\\u001f\\u007f'\\\"");
	CASE("&#8;&#12;&#x10FFFF;&#233;", "\\b\\f\xf4\x8f\xbf\xbf\xc3\xa9");
	CASE("&#xD800;", "\xef\xbf\xbd");
	CASE("\xc0\x80\xed\xa0\x80",
	     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CASE("a\x01"
	     "b",
	     "a\\u0001b");
	CASE("", "");
#undef CASE
	assert_true(to_json("<Event><System/></Event>") == 0);
	snprintf(in, sizeof(in), "%s%s", head, "</Data></EventData></Event>");
	assert_true(to_json(in) > 0);
	assert_string_equal(json, "{\"EventID\":\"1\",\"A\":\"\"}\n");
	assert_true(
		to_json("<Event><System></System><EventData><Data Name=\"B\"/>"
			"</EventData></Event>") > 0);
	assert_string_equal(json, "{\"B\":\"\"}\n");
}

static void malformed(void **st)
{
	static const char *const bad[] = {
		"",
		"<Event>",
		"<Event><System></System><EventData></EventData></Event>x",
		"<Event><System></System><EventData></EventData>",
		"<Event><System><A>1</B></System><EventData></EventData></Event>",
		"<Event><System><A x='1'/></System><EventData></EventData></Event>",
		"<Event><System></System><EventData><Data Name=\"A\">&bogus;</Data></EventData></Event>",
		"<Event><System></System><EventData><Data Name=\"A\">&amp</Data></EventData></Event>",
		"<Event><System></System><EventData><Data Name=\"A\">&#0;</Data></EventData></Event>",
		"<Event><System></System><EventData><Data Name=\"A\">a<b</Data></EventData></Event>",
		"<Event><System></System><EventData><Data Name=\"A\">a</EventData></Event>",
		"<Event><System></System><EventData><Data>a</Data></EventData></Event>",
		"<Event><System><A>1</A></System><EventData><Data Name=\"A\">1</Data></EventData></Event>trailing",
	};

	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json[0] = 'Z';
		assert_int_equal(to_json(bad[i]), 0);
	}
}

static void small_buffer(void **st)
{
	struct sm_event ev = { .type = sm_schema_event(5) };
	size_t xl, n;

	(void)st;
	xl = sm_format_event(xml, SM_FMT_BUF, &hdr, &ev, NULL);
	n = sm_json_from_xml(json, SM_JSON_BUF, tmp, SM_JSON_TMP, xml, xl);
	assert_true(n > 0);
	assert_int_equal(sm_json_from_xml(json, n, tmp, SM_JSON_TMP, xml, xl),
			 0);
	assert_int_equal(sm_json_from_xml(json, n + 1, tmp, SM_JSON_TMP, xml,
					  xl),
			 n);
	assert_int_equal(sm_json_from_xml(json, 0, tmp, SM_JSON_TMP, xml, xl),
			 0);
}

/* The worst case fits SM_JSON_BUF: a 64 KiB line of quotes. */
static void worst_case_fits(void **st)
{
	struct sm_event ev = { .type = sm_schema_event(1) };
	int cl = sm_schema_field(ev.type, "CommandLine");
	char *q = malloc(70000);
	size_t xl, n;

	(void)st;
	memset(q, '"', 70000);
	ev.f[cl] = (struct sm_str){ q, 70000 };
	xl = sm_format_event(xml, SM_FMT_BUF, &hdr, &ev, NULL);
	assert_true(xl > 60000 && xl <= SM_EVENT_MAX);
	n = sm_json_from_xml(json, SM_JSON_BUF, tmp, SM_JSON_TMP, xml, xl);
	assert_true(n > 2 * 60000 && n < SM_JSON_BUF);
	assert_true(sm_utf8_valid(json, n, NULL));
	memset(q, 0xff, 70000); /* U+FFFD: 3 bytes each in both */
	xl = sm_format_event(xml, SM_FMT_BUF, &hdr, &ev, NULL);
	assert_true(sm_json_from_xml(json, SM_JSON_BUF, tmp, SM_JSON_TMP, xml,
				     xl) > 0);
	free(q);
}

/* --- a reader for the test: JSON string -> bytes ------------------------ */

static const char *json_string(const char *p, char *out, size_t *olen)
{
	size_t n = 0;

	assert_true(*p == '"');
	for (p++; *p != '"'; p++) {
		if (*p != '\\') {
			assert_true((unsigned char)*p >= 0x20);
			out[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 'b':
			out[n++] = '\b';
			break;
		case 'f':
			out[n++] = '\f';
			break;
		case 'u':
			out[n++] = (char)strtol((char[]){ p[1], p[2], p[3],
							  p[4], 0 },
						NULL, 16);
			p += 4;
			break;
		default:
			out[n++] = *p;
			break;
		}
	}
	*olen = n;
	return p + 1;
}

/* XML text -> bytes (the five entities and &#N;, enough for the test). */
static size_t xml_text(const char *p, const char *end, char *out)
{
	size_t n = 0;

	while (p < end) {
		if (*p != '&') {
			out[n++] = *p++;
			continue;
		}
		if (!strncmp(p, "&amp;", 5))
			out[n++] = '&';
		else if (!strncmp(p, "&lt;", 4))
			out[n++] = '<';
		else if (!strncmp(p, "&gt;", 4))
			out[n++] = '>';
		else if (!strncmp(p, "&quot;", 6))
			out[n++] = '"';
		else if (p[1] == '#')
			out[n++] = (char)atoi(p + 2);
		else
			fail();
		p = strchr(p, ';') + 1;
	}
	return n;
}

/* Every event type, hostile values in every field: each JSON member is
 * the XML's Data of that name, same order, same bytes. */
static void every_type_field_by_field(void **st)
{
	static const char hostile[] =
		"a\"b\\c<d>&e\tf\ng\rh\x01i\xc3\xa4j\xffk";
	static char jv[4096], xv[4096];
	size_t count;
	const struct sm_event_type *types = sm_schema_events(&count);

	(void)st;
	for (size_t t = 0; t < count; t++) {
		struct sm_event ev = { .type = &types[t] };
		const char *p;

		for (int i = 0; i < types[t].nfields; i++)
			ev.f[i] =
				(struct sm_str){ hostile, sizeof(hostile) - 1 };
		assert_true(sm_format_event(xml, SM_FMT_BUF, &hdr, &ev, NULL) >
			    0);
		assert_true(to_json(xml) > 0);
		assert_true(sm_utf8_valid(json, strlen(json), NULL));
		p = json + 1;
		for (int k = 0; k < SM_JSON_NSYS; k++) {
			char key[64];
			size_t kl, jl;

			p = json_string(p, key, &kl);
			key[kl] = '\0';
			assert_string_equal(key, sm_json_sys_keys[k]);
			assert_true(*p++ == ':');
			p = json_string(p, jv, &jl);
			assert_true(*p++ == ',');
		}
		for (int i = 0; i < types[t].nfields; i++) {
			char key[64];
			const char *x, *xe;
			size_t jl, kl, xl;

			p = json_string(p, key, &kl);
			key[kl] = '\0';
			assert_string_equal(key, types[t].fields[i]);
			assert_true(*p++ == ':');
			p = json_string(p, jv, &jl);
			assert_true(*p ==
				    (i + 1 < types[t].nfields ? ',' : '}'));
			p++;
			snprintf(xv, sizeof(xv), "<Data Name=\"%s\">", key);
			x = strstr(xml, xv) + strlen(xv);
			xe = strstr(x, "</Data>");
			xl = xml_text(x, xe, xv);
			assert_int_equal(jl, xl);
			assert_memory_equal(jv, xv, jl);
		}
		assert_string_equal(p, "\n");
	}
}

static void rotate_switch(void **st)
{
	uint64_t b = 1;
	unsigned k = 1;

	(void)st;
	assert_int_equal(sm_json_parse_rotate("100M,5", &b, &k), 0);
	assert_true(b == 100ull << 20 && k == 5);
	assert_int_equal(sm_json_parse_rotate("4096", &b, &k), 0);
	assert_true(b == 4096 && k == SM_JSON_KEEP_DEFAULT);
	assert_int_equal(sm_json_parse_rotate("2g,0", &b, &k), 0);
	assert_true(b == 2ull << 30 && k == 0);
	assert_int_equal(sm_json_parse_rotate("0", &b, &k), 0);
	assert_true(b == 0);
	assert_int_equal(sm_json_parse_rotate("1k,999", &b, &k), 0);
	assert_true(b == 1024 && k == 999);
	static const char *const bad[] = {
		"",        "M",     "-1",   "1x",    "1M,",
		"1M,1000", "1M,5,", "1M 5", "2048G", "99999999999999999"
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = 7;
		assert_int_equal(sm_json_parse_rotate(bad[i], &b, &k), -1);
		assert_true(b == 7);
	}
}

static int setup(void **st)
{
	(void)st;
	xml = malloc(SM_FMT_BUF);
	json = malloc(SM_JSON_BUF);
	tmp = malloc(SM_JSON_TMP);
	return xml && json && tmp ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	free(xml);
	free(json);
	free(tmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reference),
		cmocka_unit_test(escaping),
		cmocka_unit_test(decode_rules),
		cmocka_unit_test(malformed),
		cmocka_unit_test(small_buffer),
		cmocka_unit_test(worst_case_fits),
		cmocka_unit_test(every_type_field_by_field),
		cmocka_unit_test(rotate_switch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

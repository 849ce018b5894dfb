/* SPDX-License-Identifier: MIT */
/* The XML formatter: byte-exact against a reference line, escaping, "-",
 * FieldSizes, the 64 KiB cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "xmlfmt.h"

static char *buf;

static struct sm_str S(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

/* The ProcessCreate line of ../shared/reference/samples, without the
 * syslog prefix. */
static const char ref_line[] =
	"<Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/>"
	"<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>"
	"<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime=\"2026-11-22T16:40:30.513162000Z\"/>"
	"<EventRecordID>1930</EventRecordID><Correlation/><Execution ProcessID=\"30050\" ThreadID=\"30050\"/>"
	"<Channel>Linux-Sysmon/Operational</Channel><Computer>vm</Computer><Security UserId=\"0\"/></System>"
	"<EventData><Data Name=\"RuleName\">-</Data><Data Name=\"UtcTime\">2026-11-22 16:40:30.510</Data>"
	"<Data Name=\"ProcessGuid\">{3d1219c7-1afe-6b03-c9b3-080c90550000}</Data><Data Name=\"ProcessId\">31079</Data>"
	"<Data Name=\"Image\">/usr/bin/echo</Data><Data Name=\"FileVersion\">-</Data><Data Name=\"Description\">-</Data>"
	"<Data Name=\"Product\">-</Data><Data Name=\"Company\">-</Data><Data Name=\"OriginalFileName\">-</Data>"
	"<Data Name=\"CommandLine\">/bin/echo anchor_pc_anchorA1</Data><Data Name=\"CurrentDirectory\">/home/user</Data>"
	"<Data Name=\"User\">root</Data><Data Name=\"LogonGuid\">{3d1219c7-0000-0000-0000-000000000000}</Data>"
	"<Data Name=\"LogonId\">0</Data><Data Name=\"TerminalSessionId\">4294967295</Data>"
	"<Data Name=\"IntegrityLevel\">no level</Data><Data Name=\"Hashes\">SHA1=0dc9b9af06e4e0076cb8f8ea4ea4424e2bce98bb,"
	"MD5=bf3140d19c23120505f44c536ac67ed8,SHA256=a049fb47554c6cde2ee452e5d87f6386abb63af7cdcae9cd0dc99fc80e0bcf35</Data>"
	"<Data Name=\"ParentProcessGuid\">{3d1219c7-1afe-6b03-9d1b-1dbb95550000}</Data><Data Name=\"ParentProcessId\">31076</Data>"
	"<Data Name=\"ParentImage\">/usr/bin/bash</Data><Data Name=\"ParentCommandLine\">/bin/bash</Data>"
	"<Data Name=\"ParentUser\">root</Data></EventData></Event>";

static const struct sm_sys_header hdr = {
	.record_id = 1930, .time_ns = 1795365630513162000ull,
	.computer = "vm", .pid = 30050, .tid = 30050, .uid = 0,
};

static void reference_line(void **st)
{
	static const char *const v[] = {
		"-", "2026-11-22 16:40:30.510", "{3d1219c7-1afe-6b03-c9b3-080c90550000}",
		"31079", "/usr/bin/echo", NULL, NULL, NULL, NULL, NULL,
		"/bin/echo anchor_pc_anchorA1", "/home/user", "root",
		"{3d1219c7-0000-0000-0000-000000000000}", "0", "4294967295",
		"no level",
		"SHA1=0dc9b9af06e4e0076cb8f8ea4ea4424e2bce98bb,MD5=bf3140d19c23120505f44c536ac67ed8,SHA256=a049fb47554c6cde2ee452e5d87f6386abb63af7cdcae9cd0dc99fc80e0bcf35",
		"{3d1219c7-1afe-6b03-9d1b-1dbb95550000}", "31076", "/usr/bin/bash",
		"/bin/bash", "root",
	};
	struct sm_event ev = { .type = sm_schema_event(1) };
	size_t n;

	(void)st;
	assert_non_null(ev.type);
	assert_int_equal(ev.type->nfields, 23);
	for (int i = 0; i < 23; i++)
		ev.f[i] = v[i] ? S(v[i]) : (struct sm_str){ 0 };
	n = sm_format_event(buf, SM_FMT_BUF, &hdr, &ev, NULL);
	assert_int_equal(n, strlen(ref_line));
	assert_string_equal(buf, ref_line);
}

/* The EventData text of field `name` in buf. */
static const char *data_of(const char *name, char *out, size_t cap)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "<Data Name=\"%s\">", name);
	p = strstr(buf, key);
	if (!p)
		return NULL;
	p += strlen(key);
	e = strstr(p, "</Data>");
	snprintf(out, cap, "%.*s", (int)(e - p), p);
	return out;
}

static const char *fmt_terminate_image(const char *image, unsigned limit,
				       size_t len)
{
	static char out[1 << 16];
	struct sm_event ev = { .type = sm_schema_event(5) };
	unsigned limits[SM_MAX_FIELDS] = { 0 };
	int f = sm_schema_field(ev.type, "Image");

	limits[f] = limit;
	ev.f[f] = (struct sm_str){ image, (uint32_t)len };
	assert_true(sm_format_event(buf, SM_FMT_BUF, &hdr, &ev, limits) > 0);
	return data_of("Image", out, sizeof(out));
}

static void escaping(void **st)
{
	(void)st;
	assert_string_equal(fmt_terminate_image("a&b<c>d\"e'", 0, 10),
			    "a&amp;b&lt;c&gt;d\"e'");
	assert_string_equal(fmt_terminate_image("</Data><Data Name=\"User\">root", 0, 29),
			    "&lt;/Data&gt;&lt;Data Name=\"User\"&gt;root");
	assert_string_equal(fmt_terminate_image("a\tb\nc\rd", 0, 7),
			    "a&#9;b&#10;c&#13;d");
	/* control bytes and invalid UTF-8 become U+FFFD, valid UTF-8 stays */
	assert_string_equal(fmt_terminate_image("x\x01y\x7f", 0, 4),
			    "x\xef\xbf\xbdy\x7f");
	assert_string_equal(fmt_terminate_image("\xff\xc3(\xc3\xa4", 0, 5),
			    "\xef\xbf\xbd\xef\xbf\xbd(\xc3\xa4");
	assert_string_equal(fmt_terminate_image("\xed\xa0\x80", 0, 3),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(fmt_terminate_image("\xef\xbf\xbf", 0, 3),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* an embedded NUL is a control byte too */
	assert_string_equal(fmt_terminate_image("a\0b", 0, 3), "a\xef\xbf\xbd" "b");
	/* no line break can ever reach the log */
	assert_null(strchr(buf, '\n'));
}

static void unknown_is_dash(void **st)
{
	(void)st;
	assert_string_equal(fmt_terminate_image("", 0, 0), "-");
	assert_string_equal(fmt_terminate_image(NULL, 0, 0), "-");
}

static void field_sizes(void **st)
{
	(void)st;
	assert_string_equal(fmt_terminate_image("/usr/bin/echo", 8, 13), "/usr/...");
	assert_string_equal(fmt_terminate_image("/usr/bin/echo", 13, 13), "/usr/bin/echo");
	assert_string_equal(fmt_terminate_image("/usr/bin/echo", 2, 13), "-");
	assert_string_equal(fmt_terminate_image("/usr/bin/echo", 3, 13), "...");
	/* characters, not bytes: ä is one character */
	assert_string_equal(fmt_terminate_image("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4", 4, 10),
			    "\xc3\xa4...");
	/* the limit counts source characters, entities stay whole */
	assert_string_equal(fmt_terminate_image("&&&&&&", 5, 6), "&amp;&amp;...");
}

/* A line over 64 KiB: ParentCommandLine gives way first, then CommandLine. */
static void cap_64k(void **st)
{
	struct sm_event ev = { .type = sm_schema_event(1) };
	char *big = malloc(40000), *big2 = malloc(40000);
	static char out[1 << 17];
	int cl = sm_schema_field(ev.type, "CommandLine");
	int pcl = sm_schema_field(ev.type, "ParentCommandLine");
	size_t n;

	(void)st;
	memset(big, 'a', 40000);
	memset(big2, '&', 40000);
	ev.f[cl] = (struct sm_str){ big, 40000 };
	ev.f[pcl] = (struct sm_str){ big2, 40000 }; /* 200,000 bytes escaped */
	n = sm_format_event(buf, SM_FMT_BUF, &hdr, &ev, NULL);
	assert_true(n > 0 && n <= SM_EVENT_MAX);
	assert_int_equal(strlen(buf), n);
	assert_string_equal(data_of("CommandLine", out, sizeof(out)) + 39990,
			    "aaaaaaaaaa");
	data_of("ParentCommandLine", out, sizeof(out));
	assert_memory_equal(out + strlen(out) - 8, "&amp;...", 8);
	assert_non_null(strstr(buf, "</EventData></Event>"));

	/* no parent command line: the command line is cut instead */
	ev.f[pcl] = (struct sm_str){ 0 };
	memset(big2, '<', 40000);
	ev.f[cl] = (struct sm_str){ big2, 40000 };
	n = sm_format_event(buf, SM_FMT_BUF, &hdr, &ev, NULL);
	assert_true(n > 0 && n <= SM_EVENT_MAX);
	data_of("CommandLine", out, sizeof(out));
	assert_memory_equal(out + strlen(out) - 7, "&lt;...", 7);
	free(big);
	free(big2);
}

static void escape_helper(void **st)
{
	char out[32];

	(void)st;
	assert_int_equal(sm_xml_escape(out, sizeof(out), "<&>", 3), 13);
	assert_string_equal(out, "&lt;&amp;&gt;");
	/* never past the capacity */
	assert_int_equal(sm_xml_escape(out, 8, "<<<<", 4), 4);
	assert_string_equal(out, "&lt;");
}

static void small_buffer_refused(void **st)
{
	struct sm_event ev = { .type = sm_schema_event(5) };

	(void)st;
	assert_int_equal(sm_format_event(buf, 1024, &hdr, &ev, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reference_line),
		cmocka_unit_test(escaping),
		cmocka_unit_test(unknown_is_dash),
		cmocka_unit_test(field_sizes),
		cmocka_unit_test(cap_64k),
		cmocka_unit_test(escape_helper),
		cmocka_unit_test(small_buffer_refused),
	};
	int rc;

	buf = malloc(SM_FMT_BUF);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(buf);
	return rc;
}

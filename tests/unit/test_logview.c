/* SPDX-License-Identifier: MIT */
/* sysmonLogView's pure part (logview_parse.c, logview_filter.c,
 * logview_fmt.c): syslog and JSON lines into events, the switches, the
 * text and JSON output, and terminal safety. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "logview.h"

#define HDR "2026-11-22T16:40:30.513190+00:00 vm sysmon: "
#define SYS(id, rec) \
	"<Event><System><Provider Name=\"Linux-Sysmon\" " \
	"Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/><EventID>" id \
	"</EventID><Version>3</Version><Level>4</Level><Task>" id \
	"</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>" \
	"<TimeCreated SystemTime=\"2026-11-22T16:40:30.515352000Z\"/>" \
	"<EventRecordID>" rec "</EventRecordID><Correlation/><Execution " \
	"ProcessID=\"30050\" ThreadID=\"30051\"/><Channel>Linux-Sysmon/" \
	"Operational</Channel><Computer>vm</Computer><Security UserId=\"0\"/>" \
	"</System>"
/* a ProcessTerminate of the reference samples */
#define PT_DATA \
	"<EventData><Data Name=\"RuleName\">-</Data><Data Name=\"UtcTime\">" \
	"2026-11-22 16:40:30.515</Data><Data Name=\"ProcessGuid\">" \
	"{3d1219c7-1afe-6b03-c9b3-080c90550000}</Data><Data Name=\"ProcessId\">" \
	"31079</Data><Data Name=\"Image\">/usr/bin/echo</Data><Data " \
	"Name=\"User\">root</Data></EventData></Event>"
#define PT_LINE HDR SYS("5", "1931") PT_DATA

static char buf[1 << 16], out[1 << 18];
static struct sm_lv_filter no_filter;

static enum sm_lv_kind parse(const char *line, struct sm_lv_event *ev,
			     const char **why)
{
	*why = NULL;
	return sm_lv_parse_syslog(line, strlen(line), buf, sizeof(buf), ev,
				  why);
}

static const char *text(const struct sm_lv_filter *f,
			const struct sm_lv_event *ev, bool blank)
{
	assert_true(sm_lv_format_text(out, sizeof(out), f, ev, blank) > 0);
	return out;
}

static const char *pt_text =
	"Event ProcessTerminate: EventID 5, EventRecordID 1931, TimeCreated "
	"2026-11-22T16:40:30.515352000Z\n"
	"\tRuleName: -\n"
	"\tUtcTime: 2026-11-22 16:40:30.515\n"
	"\tProcessGuid: {3d1219c7-1afe-6b03-c9b3-080c90550000}\n"
	"\tProcessId: 31079\n"
	"\tImage: /usr/bin/echo\n"
	"\tUser: root\n";

static void syslog_line(void **st)
{
	struct sm_lv_event ev;
	const char *why;

	(void)st;
	assert_int_equal(parse(PT_LINE, &ev, &why), SM_LV_EVENT);
	assert_int_equal(ev.id, 5);
	assert_int_equal(ev.record_id, 1931);
	assert_true(ev.has_time);
	assert_int_equal(ev.time_ms, 1795365630515ll);
	assert_int_equal(ev.nfields, 6);
	assert_memory_equal(ev.sys[SM_JSON_COMPUTER].p, "vm", 2);
	assert_memory_equal(ev.sys[SM_JSON_EXEC_TID].p, "30051", 5);
	assert_memory_equal(ev.sys[SM_JSON_USER_ID].p, "0", 1);
	assert_string_equal(text(&no_filter, &ev, false), pt_text);
	/* -X: a blank line after the block */
	text(&no_filter, &ev, true);
	assert_int_equal(strlen(out), strlen(pt_text) + 1);
	assert_string_equal(out + strlen(pt_text), "\n");
}

/* The tag is sysmon or sysmon[PID], before the line's first ": ". */
static void tags(void **st)
{
	static const struct {
		const char *prefix;
		enum sm_lv_kind kind;
	} cases[] = {
		{ HDR, SM_LV_EVENT },
		{ "Nov 22 16:40:30 vm sysmon[123]: ", SM_LV_EVENT },
		{ "sysmon: ", SM_LV_EVENT },
		{ "2026-11-22T16:40:30+00:00 sysmon sysmon:  ", SM_LV_EVENT },
		{ "2026-11-22T16:40:30+00:00 vm notsysmon: ", SM_LV_OTHER },
		{ "2026-11-22T16:40:30+00:00 vm sysmonx: ", SM_LV_OTHER },
		{ "2026-11-22T16:40:30+00:00 vm sysmon[]: ", SM_LV_OTHER },
		{ "2026-11-22T16:40:30+00:00 vm sysmon[12a]: ", SM_LV_OTHER },
		{ "vm sudo: root : COMMAND=logger sysmon: ", SM_LV_OTHER },
		{ "vm kernel: sysmon: ", SM_LV_OTHER },
		{ "", SM_LV_OTHER },
	};
	struct sm_lv_event ev;
	const char *why;
	char line[4096];

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "%s%s", cases[i].prefix,
			 SYS("5", "1931") PT_DATA);
		assert_int_equal(parse(line, &ev, &why), cases[i].kind);
	}
	assert_int_equal(parse(HDR "sysmon started", &ev, &why), SM_LV_OTHER);
	assert_int_equal(parse("vm sysmon: <Eve", &ev, &why), SM_LV_OTHER);
	assert_int_equal(parse(PT_LINE "\r", &ev, &why), SM_LV_EVENT);
	assert_int_equal(parse(PT_LINE "  ", &ev, &why), SM_LV_EVENT);
}

static void malformed(void **st)
{
	static const char *const lines[] = {
		/* cut short, as a syslog daemon's size limit does */
		HDR SYS("5", "1931") "<EventData><Data Name=\"Ima",
		HDR SYS("5", "1931"),
		HDR "<Event><System></System></Event>",
		HDR SYS("5x", "1931") PT_DATA,
		HDR SYS("5", "") PT_DATA,
		HDR SYS("5", "99999999999999999999") PT_DATA,
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">&bogus;</Data>"
				  "</EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">&#0;</Data>"
				  "</EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">&#xd800;</Data>"
				  "</EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">&#x110000;"
				  "</Data></EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">a & b</Data>"
				  "</EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">1</Data><Data "
				  "Name=\"A\">2</Data></EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"EventID\">1</Data>"
				  "</EventData></Event>",
		HDR SYS("5",
			"1") "<EventData><Data>1</Data></EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\">1</Dat>"
				  "</EventData></Event>",
		HDR SYS("5", "1") "<EventData><Data Name=\"A\"><b>1</b></Data>"
				  "</EventData></Event>",
		HDR SYS("5", "1") "<EventData><!-- x --></EventData></Event>",
		HDR SYS("5", "1") "<EventData></EventData></Event> more",
		HDR SYS("5", "1") "<EventData></EventData></Event><Event>",
		HDR "<EventX></EventX>",
		HDR "<Event><System><EventID>1</EventID><EventRecordID>1"
		    "</EventRecordID><TimeCreated SystemTime=\"yesterday\"/>"
		    "</System></Event>",
		HDR "<Event><System><EventID>1</EventID><EventID>2</EventID>"
		    "<EventRecordID>1</EventRecordID></System></Event>",
		HDR "<Event><System a=b><EventID>1</EventID></System></Event>",
	};
	struct sm_lv_event ev;
	const char *why;

	(void)st;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(parse(lines[i], &ev, &why), SM_LV_MALFORMED);
		assert_non_null(why);
	}
	/* without TimeCreated: an event, with no time */
	assert_int_equal(parse(HDR "<Event><System><EventID>1</EventID>"
				   "<EventRecordID>7</EventRecordID></System>"
				   "</Event>",
			       &ev, &why),
			 SM_LV_EVENT);
	assert_false(ev.has_time);
	assert_string_equal(text(&no_filter, &ev, false),
			    "Event ProcessCreate: EventID 1, EventRecordID 7, "
			    "TimeCreated -\n");
}

static void too_many_fields(void **st)
{
	static char line[1 << 14];
	struct sm_lv_event ev;
	const char *why;
	size_t n = (size_t)snprintf(line, sizeof(line), "%s",
				    HDR SYS("5", "1") "<EventData>");

	(void)st;
	for (int i = 0; i < SM_LV_MAX_FIELDS; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      "<Data Name=\"F%d\"></Data>", i);
	snprintf(line + n, sizeof(line) - n, "</EventData></Event>");
	assert_int_equal(parse(line, &ev, &why), SM_LV_EVENT);
	assert_int_equal(ev.nfields, SM_LV_MAX_FIELDS);
	snprintf(line + n, sizeof(line) - n,
		 "<Data Name=\"X\"/></EventData></Event>");
	assert_int_equal(parse(line, &ev, &why), SM_LV_MALFORMED);
	assert_string_equal(why, "too many Data fields");
}

/* Entities decoded; what a terminal would act on shown escaped, so a
 * hostile value cannot end its line, fake another event's block or move
 * the cursor. */
static void hostile_values(void **st)
{
	const char *line = HDR SYS(
		"1",
		"9") "<EventData><Data Name=\"CommandLine\">"
		     "a&lt;b&gt;&amp;&quot;&apos; x&#10;Event ProcessCreate: EventID "
		     "1&#13;&#9;\\&#x1b;[2J&#x7f;&#x9b;31m&#x202e;&#x2028;\xc3\xa9\xff"
		     "</Data><Data Name=\"Bad&#10;Name\">-</Data><Data "
		     "Name=\"Empty\"></Data><Data Name=\"Self\"/></EventData></Event>";
	const char *want =
		"Event ProcessCreate: EventID 1, EventRecordID 9, TimeCreated "
		"2026-11-22T16:40:30.515352000Z\n"
		"\tCommandLine: a<b>&\"' x\\nEvent ProcessCreate: EventID 1\\r"
		"\\t\\\\\\x1b[2J\\x7f\\u009b31m\\u202e\\u2028\xc3\xa9\\xff\n"
		"\tBad\\nName: -\n"
		"\tEmpty: --NULL--\n"
		"\tSelf: --NULL--\n";
	struct sm_lv_event ev;
	const char *why;

	(void)st;
	assert_int_equal(parse(line, &ev, &why), SM_LV_EVENT);
	assert_int_equal(ev.value[0].len, strlen("a<b>&\"' x\nEvent "
						 "ProcessCreate: EventID 1\r\t"
						 "\\\x1b[2J\x7f\xc2\x9b"
						 "31m\xe2\x80\xae\xe2\x80\xa8"
						 "\xc3\xa9\xff"));
	assert_string_equal(text(&no_filter, &ev, false), want);
}

static void escape(void **st)
{
	char o[64];
	size_t n;

	(void)st;
	n = sm_lv_escape(o, sizeof(o), "\xe2\x80\x8f\xd8\x9c\xe2\x81\xa6 ok",
			 11);
	o[n] = '\0';
	assert_string_equal(o, "\\u200f\\u061c\\u2066 ok");
	n = sm_lv_escape(o, sizeof(o), "\xf0\x9f\x98\x80\xe0\x80\xaf", 7);
	o[n] = '\0';
	assert_string_equal(o, "\xf0\x9f\x98\x80\\xe0\\x80\\xaf");
	assert_int_equal(sm_lv_escape(o, 3, "\x01", 1), 0);
	assert_int_equal(sm_lv_escape(o, 4, "\x01", 1), 4);
}

static const char *pt_json =
	"{\"EventID\":\"5\",\"EventRecordID\":\"1931\",\"TimeCreated\":"
	"\"2026-11-22T16:40:30.515352000Z\",\"Computer\":\"vm\","
	"\"ExecutionProcessID\":\"30050\",\"ExecutionThreadID\":\"30051\","
	"\"SecurityUserId\":\"0\",\"RuleName\":\"-\",\"UtcTime\":"
	"\"2026-11-22 16:40:30.515\",\"ProcessGuid\":"
	"\"{3d1219c7-1afe-6b03-c9b3-080c90550000}\",\"ProcessId\":\"31079\","
	"\"Image\":\"/usr/bin/echo\",\"User\":\"root\"}\n";

/* -o json prints the shape of jsonline.h; -j reads it back into the same
 * event. */
static void json_out_and_in(void **st)
{
	struct sm_lv_event ev, back;
	static char json[4096], buf2[4096];
	const char *why;

	(void)st;
	assert_int_equal(parse(PT_LINE, &ev, &why), SM_LV_EVENT);
	assert_int_equal(sm_lv_format_json(json, sizeof(json), &no_filter, &ev,
					   false),
			 strlen(pt_json));
	assert_string_equal(json, pt_json);
	assert_int_equal(sm_lv_parse_json(json, strlen(json), buf2,
					  sizeof(buf2), &back, &why),
			 SM_LV_EVENT);
	assert_string_equal(text(&no_filter, &back, false), pt_text);
	assert_int_equal(back.time_ms, ev.time_ms);
}

static enum sm_lv_kind pj(const char *line, struct sm_lv_event *ev)
{
	const char *why = NULL;

	return sm_lv_parse_json(line, strlen(line), buf, sizeof(buf), ev, &why);
}

static void json_lines(void **st)
{
	static const char *const bad[] = {
		"{",
		"{}",
		"{\"EventID\":\"1\"}",
		"{\"EventRecordID\":\"1\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\"",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\"} x",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":{}}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":[1]}",
		"{\"EventID\":\"1\",\"EventID\":\"1\",\"EventRecordID\":\"1\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":\"1\",\"A\":\"2\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":\"\x01\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":\"\\q\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":\"\\u12\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"A\":\"x}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",,\"A\":\"x\"}",
		"{\"EventID\":\"1\",\"EventRecordID\":\"1\",\"TimeCreated\":\"x\"}",
		"{\"EventID\":\"-1\",\"EventRecordID\":\"1\"}",
		"{EventID:1}",
	};
	struct sm_lv_event ev;

	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pj(bad[i], &ev), SM_LV_MALFORMED);
	assert_int_equal(pj("", &ev), SM_LV_OTHER);
	assert_int_equal(pj("  \r", &ev), SM_LV_OTHER);
	assert_int_equal(pj("2026-11-22 vm sysmon: <Event>", &ev), SM_LV_OTHER);
	/* numbers are taken as their text; escapes, surrogate pairs, a lone
	 * surrogate as U+FFFD */
	assert_int_equal(pj(" { \"EventID\" : 3 , \"EventRecordID\":\"12\", "
			    "\"A\":\"\\u00e9\\ud83d\\ude00\\ud800x\\n\\/\\\"\","
			    "\"B\":true } \r",
			    &ev),
			 SM_LV_EVENT);
	assert_int_equal(ev.id, 3);
	assert_int_equal(ev.record_id, 12);
	assert_int_equal(ev.nfields, 2);
	assert_int_equal(ev.value[0].len, 13);
	assert_memory_equal(ev.value[0].p,
			    "\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx\n/\"", 13);
	assert_memory_equal(ev.value[1].p, "true", 4);
}

static void times(void **st)
{
	int64_t ms;

	(void)st;
	assert_int_equal(sm_lv_parse_time("2021-01-01 09:00", 16, &ms), 0);
	assert_int_equal(ms, 1609491600000ll);
	assert_int_equal(sm_lv_parse_time("2021-01-01 09:00:07", 19, &ms), 0);
	assert_int_equal(ms, 1609491607000ll);
	assert_int_equal(sm_lv_parse_time("2021-01-01 09:00:07.042", 23, &ms),
			 0);
	assert_int_equal(ms, 1609491607042ll);
	assert_int_equal(sm_lv_parse_time("2021-01-01 09:00:07.5", 21, &ms), 0);
	assert_int_equal(ms, 1609491607500ll);
	assert_int_equal(sm_lv_parse_time("2026-11-22T16:40:30.515352999Z", 30,
					  &ms),
			 0);
	assert_int_equal(ms, 1795365630515ll);
	assert_int_equal(sm_lv_parse_time("1970-01-01 00:00", 16, &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(sm_lv_parse_time("2024-02-29 00:00", 16, &ms), 0);
	assert_int_equal(ms, 1709164800000ll);
	static const char *const bad[] = {
		"2023-02-29 00:00",
		"2021-13-01 00:00",
		"2021-00-01 00:00",
		"2021-04-31 00:00",
		"2021-01-01 24:00",
		"2021-01-01 09:60",
		"2021-01-01 09:00:60",
		"2021-01-01 09:00:07.",
		"2021-01-01 9:00",
		"2021-01-01",
		"2021-01-01 09:00 ",
		"2021/01/01 09:00",
		"",
		"2021-01-01 09:00:07.5x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sm_lv_parse_time(bad[i], strlen(bad[i]), &ms),
				 -22);
}

/* An event with these ID, record, time and Data fields. */
static void mk(struct sm_lv_event *ev, unsigned id, uint64_t rec, int64_t ms,
	       const char *const *nv)
{
	memset(ev, 0, sizeof(*ev));
	ev->id = id;
	ev->record_id = rec;
	ev->has_time = true;
	ev->time_ms = ms;
	for (; nv[0]; nv += 2, ev->nfields++) {
		ev->name[ev->nfields] =
			(struct sm_lv_str){ nv[0], strlen(nv[0]) };
		ev->value[ev->nfields] =
			(struct sm_lv_str){ nv[1], strlen(nv[1]) };
	}
}

static struct sm_lv_filter filt(const char *const *sw)
{
	struct sm_lv_filter f;
	const char *why;

	memset(&f, 0, sizeof(f));
	for (; sw[0]; sw += 2)
		assert_int_equal(sm_lv_filter_add(&f, sw[0][0], sw[1], &why),
				 0);
	return f;
}

#define F(...) filt((const char *const[]){ __VA_ARGS__, NULL })

static void selection(void **st)
{
	static const char *const touch[] = { "Image", "/bin/touch", "User",
					     "root", NULL };
	static const char *const none[] = { NULL };
	struct sm_lv_event a, b;
	struct sm_lv_filter f;

	(void)st;
	mk(&a, 1, 25, 1609491600000ll, touch); /* 2021-01-01 09:00 */
	mk(&b, 4, 31, 1609578000001ll, none);  /* 2021-01-02 09:00:00.001 */
	assert_true(sm_lv_selected(&no_filter, &a));
	f = F("e", "1,5");
	assert_true(sm_lv_selected(&f, &a) && !sm_lv_selected(&f, &b));
	f = F("e", "5", "e", "4");
	assert_true(!sm_lv_selected(&f, &a) && sm_lv_selected(&f, &b));
	f = F("r", "25,30");
	assert_true(sm_lv_selected(&f, &a) && !sm_lv_selected(&f, &b));
	f = F("r", ",24");
	assert_true(!sm_lv_selected(&f, &a) && !sm_lv_selected(&f, &b));
	f = F("r", "26,");
	assert_true(!sm_lv_selected(&f, &a) && sm_lv_selected(&f, &b));
	f = F("r", "31");
	assert_true(!sm_lv_selected(&f, &a) && sm_lv_selected(&f, &b));
	f = F("t", "2021-01-01 09:00,2021-01-02 09:00");
	assert_true(sm_lv_selected(&f, &a) && !sm_lv_selected(&f, &b));
	f = F("t", "2021-01-01 09:00:00.001,");
	assert_true(!sm_lv_selected(&f, &a) && sm_lv_selected(&f, &b));
	f = F("t", ",2021-01-02 09:00:00.001");
	assert_true(sm_lv_selected(&f, &a) && sm_lv_selected(&f, &b));
	b.has_time = false;
	assert_false(sm_lv_selected(&f, &b));
	b.has_time = true;
	/* -f: an event without the field passes; values are exact */
	f = F("f", "Image=/bin/touch");
	assert_true(sm_lv_selected(&f, &a) && sm_lv_selected(&f, &b));
	f = F("f", "Image=/bin/Touch");
	assert_false(sm_lv_selected(&f, &a));
	f = F("f", "image=/bin/ls,/bin/touch");
	assert_true(sm_lv_selected(&f, &a));
	f = F("f", "Image=/bin/ls", "f", "Image=/bin/touch");
	assert_true(sm_lv_selected(&f, &a));
	f = F("f", "Image=/bin/touch", "f", "User=nobody");
	assert_false(sm_lv_selected(&f, &a));
	f = F("f", "Image=/bin/touch", "f", "User=root", "e", "1");
	assert_true(sm_lv_selected(&f, &a));
}

static void shown_fields(void **st)
{
	static const char *const nv[] = { "Image", "/bin/x", "SourceIp", "::1",
					  "User",  "root",   NULL };
	struct sm_lv_event a, b;
	struct sm_lv_filter f;

	(void)st;
	mk(&a, 3, 1, 0, nv);
	mk(&b, 1, 2, 0, nv);
	f = F("E", "Image,SourceIp");
	assert_true(sm_lv_shown(&f, &a, 0) && sm_lv_shown(&f, &a, 1) &&
		    !sm_lv_shown(&f, &a, 2));
	f = F("E", "3=user");
	assert_true(!sm_lv_shown(&f, &a, 0) && sm_lv_shown(&f, &a, 2));
	assert_true(sm_lv_shown(&f, &b, 0) && sm_lv_shown(&f, &b, 1));
	f = F("E", "3=User", "E", "3=Image", "E", "SourceIp");
	assert_true(sm_lv_shown(&f, &a, 0) && !sm_lv_shown(&f, &a, 1) &&
		    sm_lv_shown(&f, &a, 2));
	assert_true(!sm_lv_shown(&f, &b, 0) && sm_lv_shown(&f, &b, 1));
	assert_string_equal(text(&f, &a, false),
			    "Event NetworkConnect: EventID 3, EventRecordID 1, "
			    "TimeCreated -\n\tImage: /bin/x\n\tUser: root\n");
	a.id = 77;
	text(&f, &a, false);
	assert_string_equal(out, "Event Unknown: EventID 77, EventRecordID 1, "
				 "TimeCreated -\n\tSourceIp: ::1\n");
	assert_int_equal(sm_lv_format_json(out, sizeof(out), &f, &a, true), 20);
	assert_string_equal(out, "{\"SourceIp\":\"::1\"}\n\n");
}

static void bad_switches(void **st)
{
	static const char *const bad[][2] = {
		{ "e", "" },       { "e", "1,x" },     { "e", "1,,2" },
		{ "e", "-1" },     { "r", "" },        { "r", "," },
		{ "r", "1,2,3" },  { "r", "a,2" },     { "t", "2021-01-01" },
		{ "t", "," },      { "f", "Image" },   { "f", "=x" },
		{ "f", "Image=" }, { "E", "x=Image" }, { "E", "1=" },
		{ "E", "" },       { "q", "1" },
	};
	struct sm_lv_filter f;
	const char *why;

	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&f, 0, sizeof(f));
		why = NULL;
		assert_int_equal(sm_lv_filter_add(&f, bad[i][0][0], bad[i][1],
						  &why),
				 -22);
		assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syslog_line),
		cmocka_unit_test(tags),
		cmocka_unit_test(malformed),
		cmocka_unit_test(too_many_fields),
		cmocka_unit_test(hostile_values),
		cmocka_unit_test(escape),
		cmocka_unit_test(json_out_and_in),
		cmocka_unit_test(json_lines),
		cmocka_unit_test(times),
		cmocka_unit_test(selection),
		cmocka_unit_test(shown_fields),
		cmocka_unit_test(bad_switches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

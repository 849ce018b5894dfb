/* SPDX-License-Identifier: MIT */
/* Rule engine: every condition and every combination rule of
 * sysmon-compat.md section 4, each case checking the verdict AND the
 * RuleName. Table driven: one row = one config + one event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"
#include "sm_fields.h"

/* ---- helpers ---- */

static struct sm_config *parse(const char *version, const char *filtering)
{
	char xml[8192];
	struct sm_config *cfg = NULL;
	struct sm_config_error err;

	snprintf(xml, sizeof(xml),
		 "<Sysmon schemaversion=\"%s\"><EventFiltering>%s</EventFiltering></Sysmon>",
		 version ? version : "4.90", filtering);
	if (sm_config_parse(xml, strlen(xml), "test.xml", &cfg, &err))
		fail_msg("config rejected: line %d: %s\n%s", err.line, err.msg, xml);
	return cfg;
}

/* Fill ev from "Field=value|Field=value"; storage kept in buf. */
static void make_event(struct sm_event *ev, unsigned id, const char *spec,
		       char *buf, size_t size)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = sm_schema_event(id);
	assert_non_null(ev->type);
	snprintf(buf, size, "%s", spec ? spec : "");
	for (char *item = strtok(buf, "|"); item; item = strtok(NULL, "|")) {
		char *eq = strchr(item, '=');
		int k;

		assert_non_null(eq);
		*eq = 0;
		k = sm_schema_field(ev->type, item);
		if (k < 0)
			fail_msg("no field %s in event %u", item, id);
		ev->f[k].p = eq + 1;
		ev->f[k].len = (uint32_t)strlen(eq + 1);
	}
}

static void check(const char *what, const struct sm_config *cfg, unsigned id,
		  const char *fields, bool logged, const char *rule)
{
	struct sm_event ev;
	char buf[1024];
	const char *got = (const char *)1;
	bool verdict;

	make_event(&ev, id, fields, buf, sizeof(buf));
	verdict = sm_config_match(cfg, &ev, &got);
	if (verdict != logged)
		fail_msg("%s: event %u {%s}: verdict %d, expected %d", what, id,
			 fields ? fields : "", verdict, logged);
	if ((rule == NULL) != (got == NULL) || (rule && strcmp(rule, got)))
		fail_msg("%s: event %u {%s}: RuleName '%s', expected '%s'", what, id,
			 fields ? fields : "", got ? got : "(null)",
			 rule ? rule : "(null)");
}

/* ---- the 16 conditions ---- */

struct cond_case {
	const char *cond, *value, *field; /* field NULL: value unknown ("-") */
	bool match;
};

static const struct cond_case cond_cases[] = {
	{ "is", "/usr/bin/ls", "/usr/bin/ls", true },
	{ "is", "/usr/bin/ls", "/USR/BIN/LS", true },
	{ "is", "/usr/bin/ls", "/usr/bin/lsx", false },
	{ "is", "/usr/bin/ls", "/usr/bin/l", false },
	{ "is", "/tmp/ÄÖÜ", "/tmp/äöü", true },
	{ "is", "/tmp/ПРИВЕТ", "/tmp/привет", true },
	{ "is", "ΣΊΣΥΦΟΣ", "σίσυφος", true },
	{ "is", "straße", "STRASSE", false },
	{ "is", "-", NULL, true },
	{ "is", "a", "a\xff", false },
	{ "is not", "/usr/bin/ls", "/USR/bin/LS", false },
	{ "is not", "/usr/bin/ls", "/usr/bin/cat", true },
	{ "is not", "x", NULL, true },
	{ "is any", "/bin/ls;/bin/cat", "/BIN/CAT", true },
	{ "is any", "/bin/ls;/bin/cat", "/bin/dog", false },
	{ "is any", "/bin/ls;/bin/cat", "/bin/ls;/bin/cat", false },
	{ "is any", ";;;", "x", false },
	{ "is any", "a;;b", "B", true },
	{ "contains", "bin/l", "/usr/BIN/ls", true },
	{ "contains", "xyz", "/usr/bin/ls", false },
	{ "contains", "Ä", "/tmp/bär", true },
	{ "contains", "жук", "/tmp/ЖУК.txt", true },
	{ "contains", "", "anything", true },
	{ "contains", "b", "a\xff" "b", true },
	{ "contains", "x", NULL, false },
	{ "contains", "aab", "aaab", true },
	{ "contains any", "foo;BIN", "/usr/bin/ls", true },
	{ "contains any", "foo;bar", "/usr/bin/ls", false },
	{ "contains any", "Ü;foo", "/tmp/grüße", true },
	{ "contains all", "usr;LS", "/usr/bin/ls", true },
	{ "contains all", "usr;cat", "/usr/bin/ls", false },
	{ "excludes", "cat", "/usr/bin/ls", true },
	{ "excludes", "BIN", "/usr/bin/ls", false },
	{ "excludes", "x", NULL, true },
	{ "excludes any", "foo;bar", "/usr/bin/ls", true },
	{ "excludes any", "foo;bin", "/usr/bin/ls", false },
	{ "excludes all", "usr;foo", "/usr/bin/ls", true },
	{ "excludes all", "usr;bin", "/usr/bin/ls", false },
	{ "begin with", "/USR", "/usr/bin/ls", true },
	{ "begin with", "/bin", "/usr/bin/ls", false },
	{ "begin with", "/tmp/É", "/tmp/école", true },
	{ "begin with", "/usr/bin/lsx", "/usr/bin/ls", false },
	{ "not begin with", "/USR", "/usr/bin/ls", false },
	{ "not begin with", "/bin", "/usr/bin/ls", true },
	{ "end with", "LS", "/usr/bin/ls", true },
	{ "end with", "/bin", "/usr/bin/ls", false },
	{ "end with", "ÉTÉ.TXT", "/tmp/été.txt", true },
	{ "end with", "Я", "/tmp/я", true },
	{ "end with", "b", "a\xff" "b", true },
	{ "end with", "/a/usr/bin/ls", "/usr/bin/ls", false },
	{ "not end with", ".sh", "/tmp/run.SH", false },
	{ "not end with", ".sh", "/tmp/run.py", true },
	{ "less than", "100", "99", true },      /* numbers, not strings */
	{ "less than", "100", "100", false },
	{ "less than", "100", "1000", false },
	{ "less than", "-5", "-10", true },
	{ "less than", "b", "A", true },        /* strings, case-insensitive */
	{ "less than", "abc", "abd", false },
	{ "more than", "1024", "8080", true },
	{ "more than", "1024", "443", false },   /* "443" > "1024" as strings */
	{ "more than", "0x10", "0x20", true },
	{ "more than", "abc", "ABD", true },
	{ "more than", "abc", "ABC", false },
	{ "image", "ls", "/usr/bin/ls", true },  /* last component after '/' */
	{ "image", "LS", "/usr/bin/ls", true },
	{ "image", "ls", "/usr/bin/lsblk", false },
	{ "image", "ls", "ls", true },
	{ "image", "/usr/bin/ls", "/usr/bin/ls", true },
	{ "image", "/usr/bin/ls", "/bin/ls", false },
	{ "image", "bin/ls", "/usr/bin/ls", false },
	{ "IS", "x", "X", true },                /* condition names: any case */
	{ "", "x", "X", true },                  /* empty condition = is */
};

static void test_conditions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cond_cases) / sizeof(cond_cases[0]); i++) {
		const struct cond_case *c = &cond_cases[i];
		char filtering[512], what[256], fields[256];
		struct sm_config *cfg;

		snprintf(filtering, sizeof(filtering),
			 "<ProcessCreate onmatch=\"include\"><Image condition=\"%s\" "
			 "name=\"hit\">%s</Image></ProcessCreate>", c->cond, c->value);
		snprintf(what, sizeof(what), "'%s' '%s'", c->cond, c->value);
		snprintf(fields, sizeof(fields), "Image=%s", c->field ? c->field : "");
		cfg = parse(NULL, filtering);
		check(what, cfg, 1, c->field ? fields : NULL, c->match,
		      c->match ? "hit" : NULL);
		sm_config_free(cfg);
	}
}

/* ---- combinations: one config, several events ---- */

struct probe {
	unsigned id;
	const char *fields;
	bool logged;
	const char *rule;
};

struct combo {
	const char *what, *version, *filtering;
	struct probe probes[6];
};

static const struct combo combos[] = {
	{ "exclude before include", NULL,
	  "<RuleGroup name=\"inc\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">"
	  "<Image condition=\"begin with\">/usr/bin</Image></ProcessCreate></RuleGroup>"
	  "<RuleGroup name=\"exc\" groupRelation=\"or\"><ProcessCreate onmatch=\"exclude\">"
	  "<Image condition=\"end with\">/ls</Image></ProcessCreate></RuleGroup>",
	  { { 1, "Image=/usr/bin/ls", false, "exc" },
	    { 1, "Image=/usr/bin/cat", true, "inc" },
	    { 1, "Image=/opt/ls", false, "exc" },
	    { 1, "Image=/opt/cat", false, NULL } } },
	{ "first matching include decides (document order)", NULL,
	  "<RuleGroup name=\"A\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">"
	  "<Image condition=\"contains\">bin</Image></ProcessCreate></RuleGroup>"
	  "<RuleGroup name=\"B\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">"
	  "<Image condition=\"contains\">ls</Image></ProcessCreate></RuleGroup>",
	  { { 1, "Image=/bin/ls", true, "A" }, { 1, "Image=/opt/ls", true, "B" },
	    { 1, "Image=/opt/cat", false, NULL } } },
	{ "one include entry: no match drops", NULL,
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image></ProcessCreate>",
	  { { 1, "Image=/bin/cat", false, NULL }, { 1, "Image=/bin/ls", true, NULL } } },
	{ "one exclude entry: no match logs", NULL,
	  "<ProcessCreate onmatch=\"exclude\"><Image name=\"x\">/bin/ls</Image></ProcessCreate>",
	  { { 1, "Image=/bin/cat", true, NULL }, { 1, "Image=/bin/ls", false, "x" } } },
	{ "two entries, no match: dropped", NULL,
	  "<ProcessCreate onmatch=\"exclude\"><Image>/bin/ls</Image></ProcessCreate>"
	  "<ProcessCreate onmatch=\"exclude\"><Image>/bin/cat</Image></ProcessCreate>",
	  { { 1, "Image=/bin/sh", false, NULL }, { 1, "Image=/bin/ls", false, NULL } } },
	{ "include + exclude, no match: dropped", NULL,
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image></ProcessCreate>"
	  "<ProcessCreate onmatch=\"exclude\"><Image>/bin/cat</Image></ProcessCreate>",
	  { { 1, "Image=/bin/sh", false, NULL }, { 1, "Image=/bin/ls", true, NULL } } },
	{ "empty include logs nothing, empty exclude logs all", NULL,
	  "<ProcessCreate onmatch=\"include\"/><NetworkConnect onmatch=\"exclude\"/>",
	  { { 1, "Image=/bin/sh", false, NULL }, { 3, "Image=/bin/sh", true, NULL } } },
	{ "defaults: ProcessCreate/Terminate logged, others not", NULL,
	  "<NetworkConnect onmatch=\"include\"><DestinationPort>443</DestinationPort>"
	  "</NetworkConnect>",
	  { { 1, "Image=/bin/sh", true, NULL }, { 5, "Image=/bin/sh", true, NULL },
	    { 11, "Image=/bin/sh", false, NULL }, { 3, "DestinationPort=443", true, NULL },
	    { 3, "DestinationPort=80", false, NULL } } },
	{ "events 4, 16, 255 are never filtered", NULL,
	  "<ProcessCreate onmatch=\"include\"/>",
	  { { 4, "State=Started", true, NULL }, { 16, NULL, true, NULL },
	    { 255, "ID=1", true, NULL } } },
	{ "schemaversion 4.90 without RuleGroup: AND", "4.90",
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image>"
	  "<User>root</User></ProcessCreate>",
	  { { 1, "Image=/bin/ls|User=root", true, NULL },
	    { 1, "Image=/bin/ls|User=bob", false, NULL } } },
	{ "schemaversion 4.1 without RuleGroup: OR", "4.1",
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image>"
	  "<User>root</User></ProcessCreate>",
	  { { 1, "Image=/bin/ls|User=bob", true, NULL },
	    { 1, "Image=/bin/sh|User=bob", false, NULL } } },
	{ "schemaversion 4.11: AND (> 4.1)", "4.11",
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image>"
	  "<User>root</User></ProcessCreate>",
	  { { 1, "Image=/bin/ls|User=bob", false, NULL } } },
	{ "RuleGroup without groupRelation: version default", "4.10",
	  "<RuleGroup name=\"g\"><ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image>"
	  "<User>root</User></ProcessCreate></RuleGroup>",
	  { { 1, "Image=/bin/ls|User=bob", true, "g" } } },
	{ "RuleGroup or overrides the AND default", NULL,
	  "<RuleGroup name=\"g\" groupRelation=\"OR\"><ProcessCreate onmatch=\"include\">"
	  "<Image>/bin/ls</Image><User>root</User></ProcessCreate></RuleGroup>",
	  { { 1, "Image=/bin/sh|User=root", true, "g" },
	    { 1, "Image=/bin/sh|User=bob", false, NULL } } },
	{ "AND: filters on the same field are ORed", NULL,
	  "<RuleGroup name=\"g\" groupRelation=\"and\"><ProcessCreate onmatch=\"include\">"
	  "<Image>/bin/a</Image><CommandLine condition=\"contains\">x</CommandLine>"
	  "<Image>/bin/b</Image></ProcessCreate></RuleGroup>",
	  { { 1, "Image=/bin/b|CommandLine=x", true, "g" },
	    { 1, "Image=/bin/a|CommandLine=x", true, "g" },
	    { 1, "Image=/bin/c|CommandLine=x", false, NULL },
	    { 1, "Image=/bin/a|CommandLine=y", false, NULL } } },
	{ "<Rule groupRelation=and> is strict, same field included", NULL,
	  "<ProcessCreate onmatch=\"include\"><Rule name=\"r\" groupRelation=\"and\">"
	  "<CommandLine condition=\"begin with\">/a</CommandLine>"
	  "<CommandLine condition=\"end with\">/z</CommandLine></Rule></ProcessCreate>",
	  { { 1, "CommandLine=/a x /z", true, "r" },
	    { 1, "CommandLine=/a x", false, NULL },
	    { 1, "CommandLine=x /z", false, NULL } } },
	{ "<Rule> without groupRelation is OR", NULL,
	  "<ProcessCreate onmatch=\"include\"><Rule name=\"r\">"
	  "<Image>/bin/a</Image><User>root</User></Rule></ProcessCreate>",
	  { { 1, "Image=/bin/x|User=root", true, "r" },
	    { 1, "Image=/bin/x|User=bob", false, NULL } } },
	{ "AND element: filter AND Rule(OR)", NULL,
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image>"
	  "<Rule name=\"cmd\" groupRelation=\"or\"><CommandLine condition=\"contains\">-l"
	  "</CommandLine><CommandLine condition=\"contains\">-a</CommandLine></Rule>"
	  "</ProcessCreate>",
	  { { 1, "Image=/bin/ls|CommandLine=ls -a", true, "cmd" },
	    { 1, "Image=/bin/ls|CommandLine=ls", false, NULL },
	    { 1, "Image=/bin/sh|CommandLine=ls -l", false, NULL } } },
	{ "OR element: first of filter or Rule", NULL,
	  "<RuleGroup name=\"g\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">"
	  "<Image>/bin/ls</Image><Rule name=\"r\" groupRelation=\"and\">"
	  "<CommandLine condition=\"contains\">a</CommandLine><User>root</User></Rule>"
	  "</ProcessCreate></RuleGroup>",
	  { { 1, "Image=/bin/ls|CommandLine=a|User=root", true, "g" },
	    { 1, "Image=/bin/sh|CommandLine=a|User=root", true, "r" },
	    { 1, "Image=/bin/sh|CommandLine=a|User=bob", false, NULL } } },
	{ "RuleName: filter name, else Rule's, else RuleGroup's", NULL,
	  "<RuleGroup name=\"group\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">"
	  "<Image name=\"own\">/bin/a</Image><Image>/bin/b</Image>"
	  "<Rule name=\"rule\"><Image>/bin/c</Image><Image name=\"own2\">/bin/d</Image></Rule>"
	  "<Rule><Image>/bin/e</Image></Rule><Image name=\"\">/bin/f</Image>"
	  "</ProcessCreate></RuleGroup>",
	  { { 1, "Image=/bin/a", true, "own" }, { 1, "Image=/bin/b", true, "group" },
	    { 1, "Image=/bin/c", true, "rule" }, { 1, "Image=/bin/d", true, "own2" },
	    { 1, "Image=/bin/e", true, "group" }, { 1, "Image=/bin/f", true, NULL } } },
	{ "RuleName in AND: last named filter that matched", NULL,
	  "<ProcessCreate onmatch=\"include\"><Image name=\"img\">/bin/ls</Image>"
	  "<User name=\"usr\">root</User><CommandLine condition=\"contains\">l</CommandLine>"
	  "</ProcessCreate>",
	  { { 1, "Image=/bin/ls|User=root|CommandLine=ls", true, "usr" } } },
	{ "no RuleGroup, no name: RuleName NULL", NULL,
	  "<ProcessCreate onmatch=\"include\"><Image>/bin/ls</Image></ProcessCreate>",
	  { { 1, "Image=/bin/ls", true, NULL } } },
	{ "exclude with a partial AND match does not exclude", NULL,
	  "<ProcessCreate onmatch=\"exclude\"><Image name=\"i\">/bin/ls</Image>"
	  "<User name=\"u\">root</User></ProcessCreate>",
	  { { 1, "Image=/bin/ls|User=alice", true, NULL },
	    { 1, "Image=/bin/ls|User=root", false, "u" } } },
	{ "unknown values match as '-'", NULL,
	  "<ProcessCreate onmatch=\"include\"><ParentImage name=\"p\">-</ParentImage>"
	  "</ProcessCreate>",
	  { { 1, "Image=/bin/ls", true, "p" }, { 1, "ParentImage=/bin/sh", false, NULL } } },
	{ "RegistryEvent applies to 12, 13, 14 by field name", NULL,
	  "<RegistryEvent onmatch=\"include\"><Details condition=\"contains\">x</Details>"
	  "</RegistryEvent>",
	  { { 13, "Details=axb", true, NULL }, { 12, "TargetObject=x", false, NULL },
	    { 14, "NewName=x", false, NULL } } },
	{ "OR with a field the type lacks", NULL,
	  "<RuleGroup name=\"\" groupRelation=\"or\"><RegistryEvent onmatch=\"include\">"
	  "<Details condition=\"contains\">x</Details>"
	  "<TargetObject condition=\"contains\">\\test\\</TargetObject></RegistryEvent>"
	  "</RuleGroup>",
	  { { 12, "TargetObject=HKLM\\test\\a", true, NULL },
	    { 13, "Details=x", true, NULL }, { 14, "NewName=x", false, NULL } } },
	{ "exclude on a field the type lacks is skipped", NULL,
	  "<RegistryEvent onmatch=\"exclude\"><Details condition=\"contains\">s</Details>"
	  "</RegistryEvent><RegistryEvent onmatch=\"include\">"
	  "<TargetObject condition=\"contains\">\\t\\</TargetObject></RegistryEvent>",
	  { { 12, "TargetObject=\\t\\a", true, NULL },
	    { 13, "TargetObject=\\t\\a|Details=s", false, NULL },
	    { 13, "TargetObject=\\t\\a|Details=n", true, NULL } } },
	{ "eBPF event can be filtered", NULL,
	  "<eBPFEvent onmatch=\"include\"><BpfCommand name=\"bpf\">BPF_PROG_LOAD</BpfCommand>"
	  "</eBPFEvent>",
	  { { 100, "BpfCommand=BPF_PROG_LOAD", true, "bpf" },
	    { 100, "BpfCommand=BPF_PROG_ATTACH", false, NULL } } },
	{ "network port numeric comparison", NULL,
	  "<NetworkConnect onmatch=\"include\"><DestinationPort condition=\"more than\" "
	  "name=\"high\">1024</DestinationPort></NetworkConnect>",
	  { { 3, "DestinationPort=8080", true, "high" },
	    { 3, "DestinationPort=443", false, NULL } } },
};

static void test_combinations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(combos) / sizeof(combos[0]); i++) {
		const struct combo *c = &combos[i];
		struct sm_config *cfg = parse(c->version, c->filtering);

		for (size_t k = 0; k < 6 && c->probes[k].id; k++) {
			const struct probe *p = &c->probes[k];

			check(c->what, cfg, p->id, p->fields, p->logged, p->rule);
		}
		sm_config_free(cfg);
	}
}

static void test_default_config(void **state)
{
	struct sm_config *cfg = NULL;

	(void)state;
	assert_int_equal(sm_config_default(&cfg), 0);
	check("default", cfg, 1, "Image=/bin/ls", true, NULL);
	check("default", cfg, 5, "Image=/bin/ls", true, NULL);
	check("default", cfg, 3, "Image=/bin/ls", false, NULL);
	check("default", cfg, 11, "Image=/bin/ls", false, NULL);
	check("default", cfg, 4, NULL, true, NULL);
	check("NULL config", NULL, 1, NULL, true, NULL);
	check("NULL config", NULL, 3, NULL, false, NULL);
	sm_config_free(cfg);
}

struct enabled_case {
	const char *filtering;
	unsigned id;
	bool enabled;
};

static const struct enabled_case enabled_cases[] = {
	{ "", 1, true },
	{ "", 5, true },
	{ "", 3, false },
	{ "", 4, true },
	{ "", 16, true },
	{ "", 255, true },
	{ "", 77, false },
	{ "<ProcessCreate onmatch=\"include\"/>", 1, false },
	{ "<ProcessCreate onmatch=\"exclude\"/>", 1, true },
	{ "<FileCreate onmatch=\"exclude\"/>", 11, true },
	{ "<FileCreate onmatch=\"exclude\"><Image>x</Image></FileCreate>", 11, true },
	{ "<FileCreate onmatch=\"include\"><Image>x</Image></FileCreate>", 11, true },
	{ "<FileCreate onmatch=\"include\"/><FileCreate onmatch=\"exclude\"/>", 11, false },
	{ "<FileCreate onmatch=\"exclude\"/><FileCreate onmatch=\"exclude\"/>", 11, false },
	{ "<FileCreate onmatch=\"include\"><Image>x</Image></FileCreate>"
	  "<FileCreate onmatch=\"exclude\"/>", 11, true },
	{ "<FileCreate onmatch=\"include\"><Image>x</Image></FileCreate>", 23, false },
};

static void test_event_enabled(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(enabled_cases) / sizeof(enabled_cases[0]); i++) {
		const struct enabled_case *c = &enabled_cases[i];
		struct sm_config *cfg = parse(NULL, c->filtering);

		if (sm_config_event_enabled(cfg, c->id) != c->enabled)
			fail_msg("event %u with '%s': expected %d", c->id,
				 c->filtering, c->enabled);
		sm_config_free(cfg);
	}
	assert_true(sm_config_event_enabled(NULL, 1));
	assert_false(sm_config_event_enabled(NULL, 3));
}

/* A match must not depend on state left by a previous one. */
static void test_repeatable(void **state)
{
	struct sm_config *cfg = parse(NULL,
		"<ProcessCreate onmatch=\"include\"><Image name=\"a\" condition=\"contains\">"
		"bin</Image><User name=\"b\">root</User></ProcessCreate>");

	(void)state;
	for (int i = 0; i < 3; i++) {
		check("repeat", cfg, 1, "Image=/bin/ls|User=root", true, "b");
		check("repeat", cfg, 1, "Image=/bin/ls|User=bob", false, NULL);
	}
	sm_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_combinations),
		cmocka_unit_test(test_default_config),
		cmocka_unit_test(test_event_enabled),
		cmocka_unit_test(test_repeatable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

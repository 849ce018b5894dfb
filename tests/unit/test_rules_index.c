/* SPDX-License-Identifier: MIT */
/* The indexes of rules_index.c (fields with many filters, gated <Rule>s)
 * against plain one-by-one evaluation, on random configs and events:
 *  - direct filters on one field (indexed) vs the same filters each in its
 *    own <Rule groupRelation="or"> (tested one by one);
 *  - <Rule groupRelation="and">s of an OR element (gated) vs the same
 *    filters as separate AND elements (not gated).
 * Verdict and RuleName must agree, and each test must see both verdicts
 * often (else it compared nothing). Deterministic (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"
#include "sm_fields.h"

static const char *const conds[] = {
	"is", "is not", "is any", "contains", "contains any", "contains all",
	"excludes", "excludes any", "excludes all", "begin with", "not begin with",
	"end with", "not end with", "less than", "more than", "image",
};

/* Without negations: an OR of these often matches nothing. */
static const char *const pos_conds[] = {
	"is", "is any", "contains", "contains all", "begin with", "end with", "image",
};

static const char *const patterns[] = {
	"ls", "/usr/bin/ls", "bin", "/usr", "sh", ".sh", "шелл", "ШЕЛЛ", "x", "",
	"a;b", "ls;sh", "bin;tmp", "Ä", "/", "-", "s", "c.sh", "/tmp/", "usr/bin",
	"/USR/BIN/LS", "lsblk", "b", "10", "0x1f", "ab", "abc", "bär", "curl;| sh",
};

static const char *const images[] = {
	"/usr/bin/ls", "/usr/bin/LS", "/bin/sh", "/tmp/x", "ls", "/usr/bin/lsblk",
	"/tmp/шелл", "/TMP/ШЕЛЛ", "", "/a/b/c.sh", "c.sh", "/opt/Ä/bär", "x", "ab",
	"9", "0x20", "/usr/bin/", "a;b", "s", "/",
};

static const char *const cmdlines[] = {
	"ls -la", "sh -c x", "curl | sh", "/etc/shadow", "", "bär", "BÄR -x", "abc",
};

static unsigned long rng = 12345;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(rng >> 33) % n;
}

#define PICK(a) (a)[pick(sizeof(a) / sizeof((a)[0]))]

struct buf {
	char s[65536];
	size_t len;
};

static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	b->len += (size_t)vsnprintf(b->s + b->len, sizeof(b->s) - b->len, fmt, ap);
	va_end(ap);
	assert_true(b->len < sizeof(b->s));
}

static struct sm_config *load(const struct buf *b)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;

	if (sm_config_parse(b->s, b->len, "gen.xml", &cfg, &err))
		fail_msg("%d: %s\n%s", err.line, err.msg, b->s);
	return cfg;
}

/* Verdicts seen by the current test: [0] no match, [1] match. */
static unsigned long verdicts[2];

static void same(const struct sm_config *a, const struct sm_config *b,
		 const char *image, const char *cmd, const char *text)
{
	struct sm_event ev = { .type = sm_schema_event(1) };
	const char *na = NULL, *nb = NULL;
	bool ma, mb;

	ev.f[SM_PROCESSCREATE_IMAGE] = (struct sm_str){ image, (uint32_t)strlen(image) };
	ev.f[SM_PROCESSCREATE_COMMANDLINE] = (struct sm_str){ cmd, (uint32_t)strlen(cmd) };
	ma = sm_config_match(a, &ev, &na);
	mb = sm_config_match(b, &ev, &nb);
	if (ma != mb || (!na != !nb) || (na && strcmp(na, nb)))
		fail_msg("Image '%.60s' CommandLine '%s': %d %s vs %d %s\n%s", image, cmd,
			 ma, na ? na : "-", mb, nb ? nb : "-", text);
	verdicts[ma]++;
}

/* Both verdicts, each in at least one probe in twenty. */
static void both_verdicts(void)
{
	unsigned long no = verdicts[0], yes = verdicts[1];

	verdicts[0] = verdicts[1] = 0;
	if (no * 20 < no + yes || yes * 20 < no + yes)
		fail_msg("%lu matches, %lu non-matches: the configs test too little",
			 yes, no);
}

static char long_image[9000 + 16];

static void probe_all(const struct sm_config *a, const struct sm_config *b,
		      const char *text)
{
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++)
		for (size_t k = 0; k < sizeof(cmdlines) / sizeof(cmdlines[0]); k++)
			same(a, b, images[i], cmdlines[k], text);
	same(a, b, long_image, "ls -la", text); /* too long to fold on the stack */
}

/* One field, many filters: indexed (direct) vs one by one (each in a
 * <Rule groupRelation="or">), for an OR and an AND element. A negated
 * condition matches almost any image: every third round has none. */
static void test_field_index(void **state)
{
	(void)state;
	memset(long_image, 'a', 9000);
	strcpy(long_image + 9000, "/usr/bin/ls");
	for (int round = 0; round < 150; round++) {
		static struct buf direct, wrapped;
		unsigned n = 6 + pick(20);
		const char *rel = round % 2 ? "and" : "or";
		struct sm_config *a, *b;

		direct.len = wrapped.len = 0;
		add(&direct, "<Sysmon schemaversion=\"4.90\"><EventFiltering><RuleGroup "
		    "name=\"g\" groupRelation=\"%s\"><ProcessCreate onmatch=\"include\">", rel);
		add(&wrapped, "<Sysmon schemaversion=\"4.90\"><EventFiltering><RuleGroup "
		    "name=\"g\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">");
		for (unsigned k = 0; k < n; k++) {
			const char *c = round % 3 == 2 ? PICK(pos_conds) : PICK(conds);
			const char *v = PICK(patterns);

			add(&direct, "<Image condition=\"%s\" name=\"f%u\">%s</Image>", c, k, v);
			add(&wrapped, "<Rule groupRelation=\"or\"><Image condition=\"%s\" "
			    "name=\"f%u\">%s</Image></Rule>", c, k, v);
		}
		add(&direct, "</ProcessCreate></RuleGroup></EventFiltering></Sysmon>");
		add(&wrapped, "</ProcessCreate></RuleGroup></EventFiltering></Sysmon>");
		a = load(&direct);
		b = load(&wrapped);
		probe_all(a, b, direct.s);
		sm_config_free(a);
		sm_config_free(b);
	}
	both_verdicts();
}

/* <Rule groupRelation="and">s of an OR element (gated by an index) vs the
 * same filters as AND elements of their own. */
static void test_rule_gates(void **state)
{
	(void)state;
	for (int round = 0; round < 150; round++) {
		static struct buf gated, plain;
		unsigned n = 1 + pick(12);
		struct sm_config *a, *b;

		gated.len = plain.len = 0;
		add(&gated, "<Sysmon schemaversion=\"4.90\"><EventFiltering><RuleGroup "
		    "name=\"g\" groupRelation=\"or\"><ProcessCreate onmatch=\"include\">");
		add(&plain, "<Sysmon schemaversion=\"4.90\"><EventFiltering>");
		for (unsigned k = 0; k < n; k++) {
			const char *ci = PICK(conds), *vi = PICK(patterns);
			const char *cc = PICK(conds), *vc = PICK(patterns);
			char ni[16], nc[16];

			/* a filter without name= takes its Rule's name in `gated` */
			snprintf(ni, sizeof(ni), pick(2) ? "i%u" : "r%u", k);
			snprintf(nc, sizeof(nc), pick(2) ? "c%u" : "r%u", k);
			add(&gated, "<Rule name=\"r%u\" groupRelation=\"and\">"
			    "<Image condition=\"%s\"%s%s%s>%s</Image>"
			    "<CommandLine condition=\"%s\"%s%s%s>%s</CommandLine></Rule>", k,
			    ci, *ni == 'r' ? "" : " name=\"", *ni == 'r' ? "" : ni,
			    *ni == 'r' ? "" : "\"", vi,
			    cc, *nc == 'r' ? "" : " name=\"", *nc == 'r' ? "" : nc,
			    *nc == 'r' ? "" : "\"", vc);
			add(&plain, "<RuleGroup name=\"x\" groupRelation=\"and\">"
			    "<ProcessCreate onmatch=\"include\">"
			    "<Image condition=\"%s\" name=\"%s\">%s</Image>"
			    "<CommandLine condition=\"%s\" name=\"%s\">%s</CommandLine>"
			    "</ProcessCreate></RuleGroup>", ci, ni, vi, cc, nc, vc);
		}
		add(&gated, "</ProcessCreate></RuleGroup></EventFiltering></Sysmon>");
		add(&plain, "</EventFiltering></Sysmon>");
		a = load(&gated);
		b = load(&plain);
		probe_all(a, b, gated.s);
		sm_config_free(a);
		sm_config_free(b);
	}
	both_verdicts();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_index),
		cmocka_unit_test(test_rule_gates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

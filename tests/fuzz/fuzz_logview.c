/* SPDX-License-Identifier: MIT */
/* libFuzzer target: sysmonLogView's pure part (logview_*.c) with arbitrary
 * input lines and switch arguments.
 *
 * Input: byte 0 picks what the rest is: bit 0 set, a JSON line, else a
 * syslog line; bit 1 set, first a switch (byte 1 % 5 picks -e, -r, -t, -f
 * or -E) and its argument up to a NUL byte, then the line, shown with it.
 *
 * For every event read: the readable block is valid UTF-8 without any
 * control byte but the newline ending each of its lines (one for the
 * header, one per shown field) and the tab starting each field line, and
 * without C1 or bidirectional controls or line separators; the JSON line
 * is one line of valid UTF-8 without control bytes, and reads back (-j)
 * as the same event: the same System values and the same fields, each
 * value equal when it was valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "logview.h"
#include "utf8.h"

static char *dec, *dec2, *out, *json, *arg;

static void check_text(const char *s, size_t n, unsigned lines)
{
	unsigned seen = 0;
	uint32_t cp;

	CHECK(n > 0 && s[n - 1] == '\n');
	for (size_t i = 0, l; i < n; i += l) {
		unsigned char c = (unsigned char)s[i];

		l = sm_utf8_decode(s + i, n - i, &cp);
		CHECK(cp < 0x110000u); /* valid UTF-8 */
		if (c == '\n')
			seen++;
		CHECK(c >= 0x20 || c == '\n' ||
		      (c == '\t' && i > 0 && s[i - 1] == '\n'));
		CHECK(c != 0x7f && !(cp >= 0x80 && cp <= 0x9f));
		CHECK(cp != 0x2028 && cp != 0x2029 && cp != 0x202e);
	}
	CHECK(seen == lines);
}

static void check_json(const struct sm_lv_event *ev, size_t n)
{
	struct sm_lv_event back;
	const char *why = NULL;

	check_text(json, n, 1);
	CHECK(sm_lv_parse_json(json, n - 1, dec2, n, &back, &why) ==
	      SM_LV_EVENT);
	CHECK(back.id == ev->id && back.record_id == ev->record_id);
	CHECK(back.has_time == ev->has_time && back.nfields == ev->nfields);
	CHECK(!ev->has_time || back.time_ms == ev->time_ms);
	for (int s = 0; s < SM_JSON_NSYS; s++)
		CHECK(!back.sys[s].p == !ev->sys[s].p);
	for (unsigned i = 0; i < ev->nfields; i++) {
		size_t bad;

		if (!sm_utf8_valid(ev->name[i].p, ev->name[i].len, &bad) ||
		    !sm_utf8_valid(ev->value[i].p, ev->value[i].len, &bad))
			continue;
		CHECK(back.name[i].len == ev->name[i].len &&
		      !memcmp(back.name[i].p, ev->name[i].p, ev->name[i].len));
		CHECK(back.value[i].len == ev->value[i].len &&
		      !memcmp(back.value[i].p, ev->value[i].p,
			      ev->value[i].len));
	}
}

static void show(const struct sm_lv_filter *f, const struct sm_lv_event *ev,
		 size_t size)
{
	size_t cap = SM_LV_OUT_MAX(size), n;
	unsigned shown = 0;

	for (unsigned i = 0; i < ev->nfields; i++)
		shown += sm_lv_shown(f, ev, i);
	(void)sm_lv_selected(f, ev);
	n = sm_lv_format_text(out, cap, f, ev, false);
	CHECK(n > 0 && n == strlen(out));
	check_text(out, n, 1 + shown);
	n = sm_lv_format_json(json, cap, &(struct sm_lv_filter){ 0 }, ev,
			      false);
	CHECK(n > 0 && n == strlen(json));
	check_json(ev, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char opts[] = "ertfE";
	struct sm_lv_filter f = { 0 };
	struct sm_lv_event ev;
	const char *why = NULL, *line;
	size_t len;
	enum sm_lv_kind k;

	if (size < 2)
		return 0;
	line = (const char *)data + 1;
	len = size - 1;
	dec = realloc(dec, size);
	dec2 = realloc(dec2, SM_LV_OUT_MAX(size));
	out = realloc(out, SM_LV_OUT_MAX(size));
	json = realloc(json, SM_LV_OUT_MAX(size));
	arg = realloc(arg, size);
	CHECK(dec && dec2 && out && json && arg);
	if (data[0] & 2) {
		const char *nul = memchr(line + 1, '\0', len - 1);
		size_t alen = nul ? (size_t)(nul - line - 1) : len - 1;

		memcpy(arg, line + 1, alen);
		arg[alen] = '\0';
		if (sm_lv_filter_add(&f, opts[(uint8_t)line[0] % 5], arg, &why))
			CHECK(why != NULL);
		line += nul ? alen + 2 : len;
		len -= nul ? alen + 2 : len;
	}
	k = data[0] & 1 ? sm_lv_parse_json(line, len, dec, len, &ev, &why)
			: sm_lv_parse_syslog(line, len, dec, len, &ev, &why);
	CHECK(k != SM_LV_MALFORMED || why != NULL);
	if (k == SM_LV_EVENT)
		show(&f, &ev, size);
	return 0;
}

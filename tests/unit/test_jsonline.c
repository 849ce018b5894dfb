/* SPDX-License-Identifier: MIT */
/* The JSON-lines shape (jsonline.c): escaping and whole lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "jsonline.h"

static void expect_esc(const char *in, size_t len, const char *want)
{
	char out[256];
	size_t n = sm_json_escape(out, sizeof(out), in, len);

	out[n] = '\0';
	assert_string_equal(out, want);
}

static void escapes(void **st)
{
	(void)st;
	expect_esc("plain /usr/bin/echo", 19, "plain /usr/bin/echo");
	expect_esc("a\"b\\c", 5, "a\\\"b\\\\c");
	expect_esc("\b\f\n\r\t\v", 6, "\\b\\f\\n\\r\\t\\u000b");
	expect_esc("\x1b[2J\x7f", 5, "\\u001b[2J\\u007f");
	expect_esc("nul\0x", 5, "nul\\u0000x");
	/* C1 CSI and the line/paragraph separators escaped, other UTF-8 kept */
	expect_esc("\xc2\x9b"
		   "1m \xe2\x80\xa8\xe2\x80\xa9 \xc3\xa9\xe2\x82\xac",
		   17, "\\u009b1m \\u2028\\u2029 \xc3\xa9\xe2\x82\xac");
	/* invalid UTF-8: U+FFFD per byte */
	expect_esc("a\xff\xc3", 3, "a\xef\xbf\xbd\xef\xbf\xbd");
	expect_esc("", 0, "");
}

static void escape_room(void **st)
{
	char out[8];

	(void)st;
	assert_int_equal(sm_json_escape(out, 6, "\x01", 1), 6);
	assert_int_equal(sm_json_escape(out, 5, "\x01", 1), 0);
	assert_int_equal(sm_json_escape(out, 3, "abcd", 4), 0);
	assert_int_equal(sm_json_escape(out, 4, "abcd", 4), 4);
}

static void lines(void **st)
{
	const struct sm_json_kv kv[] = {
		{ "EventID", 7, "1", 1 },
		{ "CommandLine", 11, "echo \"a\"\n", 9 },
	};
	const char *want = "{\"EventID\":\"1\",\"CommandLine\":\"echo "
			   "\\\"a\\\"\\n\"}\n";
	char out[128];

	(void)st;
	assert_int_equal(sm_json_line(out, sizeof(out), kv, 2), strlen(want));
	assert_string_equal(out, want);
	assert_int_equal(sm_json_line(out, strlen(want), kv, 2), 0);
	assert_int_equal(sm_json_line(out, strlen(want) + 1, kv, 2),
			 strlen(want));
	assert_int_equal(sm_json_line(out, sizeof(out), kv, 0), 3);
	assert_string_equal(out, "{}\n");
}

static void keys(void **st)
{
	(void)st;
	assert_int_equal(sm_json_sys_key("EventID", 7), SM_JSON_EVENT_ID);
	assert_int_equal(sm_json_sys_key("SecurityUserId", 14),
			 SM_JSON_USER_ID);
	assert_int_equal(sm_json_sys_key("TimeCreated", 11),
			 SM_JSON_TIME_CREATED);
	assert_int_equal(sm_json_sys_key("eventid", 7), -1);
	assert_int_equal(sm_json_sys_key("EventIDx", 7), SM_JSON_EVENT_ID);
	assert_int_equal(sm_json_sys_key("ProcessId", 9), -1);
	assert_string_equal(sm_json_sys_keys[SM_JSON_EXEC_PID],
			    "ExecutionProcessID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(escape_room),
		cmocka_unit_test(lines),
		cmocka_unit_test(keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Time formats (timefmt.c), checked against values of the reference samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "timefmt.h"

static void time_formats(void **st)
{
	char out[64];

	(void)st;
	assert_int_equal(sm_fmt_utctime(out, 1795365630510999999ull), SM_UTCTIME_LEN);
	assert_string_equal(out, "2026-11-22 16:40:30.510");
	assert_int_equal(sm_fmt_systemtime(out, 1795365630513162000ull),
			 SM_SYSTEMTIME_LEN);
	assert_string_equal(out, "2026-11-22T16:40:30.513162000Z");
	sm_fmt_utctime(out, 0);
	assert_string_equal(out, "1970-01-01 00:00:00.000");
	/* leap day and year ends */
	sm_fmt_utctime(out, 951782400ull * 1000000000ull); /* 2000-02-29 */
	assert_string_equal(out, "2000-02-29 00:00:00.000");
	sm_fmt_systemtime(out, 1704067199999999999ull);
	assert_string_equal(out, "2023-12-31T23:59:59.999999999Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(time_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

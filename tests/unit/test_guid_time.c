/* GUIDs and time formats, checked against values of the reference samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "guid.h"
#include "timefmt.h"

static void process_guid_matches_reference(void **st)
{
	/* sample: machine-id 3d1219c7..., start 0x6b031afe, end_code
	 * 0x55900c08b3c9 -> {3d1219c7-1afe-6b03-c9b3-080c90550000} */
	uint32_t m = sm_machine_prefix("3d1219c7c4c5404aaa1f6d2a48adfda4", 32);
	struct sm_guid g = sm_process_guid(m, 0x6b031afe, 0x55900c08b3c9ull);
	char out[SM_GUID_TEXT_LEN + 1];

	(void)st;
	assert_int_equal(m, 0x3d1219c7);
	assert_int_equal(sm_guid_fmt(out, &g), SM_GUID_TEXT_LEN);
	assert_string_equal(out, "{3d1219c7-1afe-6b03-c9b3-080c90550000}");
	g = sm_logon_guid(m, 0);
	sm_guid_fmt(out, &g);
	assert_string_equal(out, "{3d1219c7-0000-0000-0000-000000000000}");
	g = sm_logon_guid(m, 1000);
	sm_guid_fmt(out, &g);
	assert_string_equal(out, "{3d1219c7-03e8-0000-0000-000000000000}");
}

static void machine_prefix_rejects_garbage(void **st)
{
	(void)st;
	assert_int_equal(sm_machine_prefix("3d12", 4), 0);
	assert_int_equal(sm_machine_prefix("zz1219c7aaaa", 12), 0);
	assert_int_equal(sm_machine_prefix("ABCDEF01", 8), 0xabcdef01);
}

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
		cmocka_unit_test(process_guid_matches_reference),
		cmocka_unit_test(machine_prefix_rejects_garbage),
		cmocka_unit_test(time_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

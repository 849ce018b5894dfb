/* SPDX-License-Identifier: MIT */
/* GUIDs (guid.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "guid.h"

static const struct sm_guid_base base = { 0x3d1219c7, 1795000000, 10000000 };

static void guid_text(char *out, uint32_t pid, uint64_t start_ns,
		      uint64_t end_code)
{
	struct sm_guid g = sm_process_guid(&base, pid, start_ns, end_code);

	assert_int_equal(sm_guid_fmt(out, &g), SM_GUID_TEXT_LEN);
}

/* machine, start second (low then high 16 bits, as the reference), ticks
 * into the second, pid, image fold: every part where guid.h says */
static void process_guid_layout(void **st)
{
	char out[SM_GUID_TEXT_LEN + 1];
	uint32_t m = sm_machine_prefix("3d1219c7c4c5404aaa1f6d2a48adfda4", 32);

	(void)st;
	assert_int_equal(m, 0x3d1219c7);
	/* 365,630.51 s after boot: second 1795365630 = 0x6b031afe, tick 51 */
	guid_text(out, 0x12345, 365630519999999ull, 0x55900c08b3c9ull);
	/* fold: 0xb3c9 ^ 0x0c08 ^ 0x5590 ^ 0 = 0xea51 */
	assert_string_equal(out, "{3d1219c7-1afe-6b03-0033-00012345ea51}");
	guid_text(out, 4194304, 0, 0);
	assert_string_equal(out, "{3d1219c7-86c0-6afd-0000-004000000000}");
}

/* The kernel's nanosecond start and /proc's tick (what seeding reads)
 * give one GUID: a child's ParentProcessGuid finds a seeded parent. */
static void kernel_and_proc_agree(void **st)
{
	char k[SM_GUID_TEXT_LEN + 1], p[SM_GUID_TEXT_LEN + 1];
	static const uint64_t starts[] = { 0,
					   9999999,
					   10000000,
					   999999999,
					   1000000000,
					   123456789012345ull,
					   18446744073709551615ull };

	(void)st;
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		guid_text(k, 777, starts[i], 0x401000);
		guid_text(p, 777, starts[i] / 10000000 * 10000000, 0x401000);
		assert_string_equal(k, p);
	}
}

/* Same second, same image: other pid or other tick is another GUID; an
 * exec (another end_code) in the same process is another GUID. */
static void processes_differ(void **st)
{
	char a[SM_GUID_TEXT_LEN + 1], b[SM_GUID_TEXT_LEN + 1];
	uint64_t t = 5000000000ull;

	(void)st;
	guid_text(a, 100, t, 0x4b5000);
	guid_text(b, 101, t, 0x4b5000);
	assert_string_not_equal(a, b);
	guid_text(b, 100, t + 10000000, 0x4b5000);
	assert_string_not_equal(a, b);
	assert_memory_equal(a, b, 19); /* same machine and second */
	guid_text(b, 100, t, 0x55d0a1c3e5b9ull);
	assert_string_not_equal(a, b);
	guid_text(b, 100, t + 9999999, 0x4b5000); /* same tick: same process */
	assert_string_equal(a, b);
}

static void image_part_copies(void **st)
{
	struct sm_guid g = sm_process_guid(&base, 5, 0, 0);
	struct sm_guid p = sm_process_guid(&base, 4, 0, 0x55900c08b3c9ull);
	struct sm_guid want = sm_process_guid(&base, 5, 0, 0x55900c08b3c9ull);

	(void)st;
	sm_guid_copy_image(&g, &p);
	assert_memory_equal(&g, &want, sizeof(g));
}

static void logon_guid(void **st)
{
	char out[SM_GUID_TEXT_LEN + 1];
	struct sm_guid g = sm_logon_guid(0x3d1219c7, 0);

	(void)st;
	sm_guid_fmt(out, &g);
	assert_string_equal(out, "{3d1219c7-0000-0000-0000-000000000000}");
	g = sm_logon_guid(0x3d1219c7, 1000);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(process_guid_layout),
		cmocka_unit_test(kernel_and_proc_agree),
		cmocka_unit_test(processes_differ),
		cmocka_unit_test(image_part_copies),
		cmocka_unit_test(logon_guid),
		cmocka_unit_test(machine_prefix_rejects_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Known-value searches in kernel memory copies (kscan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kscan.h"

static void finds_aligned_hits(void **st)
{
	uint8_t buf[64] = { 0 };
	uint32_t pair[2] = { 1234, 1200 };
	long hits[4];

	(void)st;
	memcpy(buf + 12, pair, sizeof(pair));
	memcpy(buf + 41, pair, sizeof(pair)); /* unaligned: not a hit */
	assert_int_equal(sm_scan(buf, sizeof(buf), 0, pair, 8, 4, hits, 4), 1);
	assert_int_equal(hits[0], 12);
	assert_int_equal(sm_scan_one(buf, sizeof(buf), 0, pair, 8, 4), 12);
	assert_int_equal(sm_scan_one(buf, sizeof(buf), 0, pair, 8, 1), -1);
	assert_int_equal(sm_scan_one(buf, sizeof(buf), 16, pair, 8, 4), -1);
	assert_int_equal(sm_scan_one(buf, sizeof(buf), 13, pair, 8, 1), 41);
	assert_int_equal(sm_u32_at(buf, 16), 1200);
	assert_int_equal(sm_u16_at(buf, 12), 1234);
	assert_int_equal(sm_u64_at(buf, 12), 1234 | (1200ull << 32));
	assert_true(sm_is_kptr(0xffff888100000000ull));
	assert_false(sm_is_kptr(0x7ffd00000000ull));
	assert_false(sm_is_kptr(~0ull));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_aligned_hits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

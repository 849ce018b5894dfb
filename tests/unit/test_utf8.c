/* SPDX-License-Identifier: MIT */
/* UTF-8 decoding and case folding (utf8.c), used by the rule engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "utf8.h"

static void test_decode(void **state)
{
	static const struct {
		const char *s;
		size_t len, used;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xc3\xa4", 2, 2, 0xe4 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xc3", 1, 1, SM_UTF8_BAD(0xc3) },         /* truncated */
		{ "\xc0\xaf", 2, 1, SM_UTF8_BAD(0xc0) },     /* overlong */
		{ "\xe0\x80\xaf", 3, 1, SM_UTF8_BAD(0xe0) }, /* overlong */
		{ "\xed\xa0\x80", 3, 1, SM_UTF8_BAD(0xed) }, /* surrogate */
		{ "\xf4\x90\x80\x80", 4, 1, SM_UTF8_BAD(0xf4) }, /* > U+10FFFF */
		{ "\x80", 1, 1, SM_UTF8_BAD(0x80) },
		{ "\xff", 1, 1, SM_UTF8_BAD(0xff) },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp;

		assert_int_equal(sm_utf8_decode(cases[i].s, cases[i].len, &cp), cases[i].used);
		assert_int_equal(cp, cases[i].cp);
	}
}

static void test_decode_back(void **state)
{
	static const char s[] = "a\xc3\xa4\xe2\x82\xac\x80";
	uint32_t cp;

	(void)state;
	assert_int_equal(sm_utf8_decode_back(s, 7, &cp), 1);
	assert_int_equal(cp, SM_UTF8_BAD(0x80));
	assert_int_equal(sm_utf8_decode_back(s, 6, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(sm_utf8_decode_back(s, 3, &cp), 2);
	assert_int_equal(cp, 0xe4);
	assert_int_equal(sm_utf8_decode_back(s, 1, &cp), 1);
	assert_int_equal(cp, 'a');
}

static void test_fold_examples(void **state)
{
	static const uint32_t pairs[][2] = {
		{ 'A', 'a' }, { 'z', 'z' }, { '[', '[' },
		{ 0xc4, 0xe4 },     /* Ä ä */
		{ 0xde, 0xfe },     /* Þ þ */
		{ 0xd7, 0xd7 },     /* × */
		{ 0x100, 0x101 },   /* Ā ā */
		{ 0x178, 0xff },    /* Ÿ ÿ */
		{ 0x1c4, 0x1c6 },   /* Ǆ ǆ */
		{ 0x391, 0x3b1 },   /* Α α */
		{ 0x3a3, 0x3c3 },   /* Σ σ */
		{ 0x3c2, 0x3c3 },   /* ς σ */
		{ 0x410, 0x430 },   /* А а */
		{ 0x42f, 0x44f },   /* Я я */
		{ 0x401, 0x451 },   /* Ё ё */
		{ 0x531, 0x561 },   /* Armenian */
		{ 0x10a0, 0x2d00 }, /* Georgian */
		{ 0x1e9e, 0xdf },   /* ẞ ß */
		{ 0xff21, 0xff41 }, /* fullwidth A */
		{ 0x10400, 0x10428 },
		{ 0x212a, 0x212a }, /* KELVIN SIGN stays: never fold to ASCII */
		{ 0x17f, 0x17f },   /* LONG S stays */
		{ 0x4e2d, 0x4e2d }, /* 中 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_int_equal(sm_fold(pairs[i][0]), pairs[i][1]);
}

static size_t enc_len(uint32_t cp)
{
	char buf[4];

	return sm_utf8_encode(cp, buf);
}

/* Properties the matcher relies on, over every code point: folding is
 * idempotent, never yields ASCII from non-ASCII, never makes a character
 * longer in UTF-8, and stays a valid scalar value. */
static void test_fold_properties(void **state)
{
	(void)state;
	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		uint32_t f;

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		f = sm_fold(cp);
		if (sm_fold(f) != f)
			fail_msg("fold not idempotent at U+%04X", cp);
		if (cp >= 0x80 && f < 0x80)
			fail_msg("U+%04X folds to ASCII", cp);
		if (enc_len(f) > enc_len(cp))
			fail_msg("U+%04X grows when folded", cp);
		if (f > 0x10ffff || (f >= 0xd800 && f <= 0xdfff))
			fail_msg("U+%04X folds to an invalid value", cp);
	}
}

static void test_fold_string(void **state)
{
	static const char in[] = "GRÜẞE Привет ΣΟΦΙΑ \xff";
	static const char want[] = "grüße привет σοφια \xff";
	char out[2 * sizeof(in)];
	size_t n = sm_utf8_fold(in, strlen(in), out);

	(void)state;
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
}

static void test_valid(void **state)
{
	size_t bad = 0;

	(void)state;
	assert_true(sm_utf8_valid("abc\xc3\xa4", 5, &bad));
	assert_false(sm_utf8_valid("ab\xc3(", 4, &bad));
	assert_int_equal(bad, 2);
}

static void test_utf16(void **state)
{
	static const unsigned char le[] = { 'a', 0, 0xe4, 0, 0x3d, 0xd8, 0x00, 0xde };
	static const unsigned char be[] = { 0, 'a', 0, 0xe4, 0xd8, 0x3d, 0xde, 0x00 };
	static const unsigned char lone[] = { 'a', 0, 0x00, 0xdc };
	char out[32];
	size_t bad = 0;

	(void)state;
	assert_int_equal(sm_utf16_to_utf8(le, sizeof(le), false, out, &bad), 7);
	assert_memory_equal(out, "a\xc3\xa4\xf0\x9f\x98\x80", 7);
	assert_int_equal(sm_utf16_to_utf8(be, sizeof(be), true, out, &bad), 7);
	assert_memory_equal(out, "a\xc3\xa4\xf0\x9f\x98\x80", 7);
	assert_int_equal(sm_utf16_to_utf8(lone, sizeof(lone), false, out, &bad), (size_t)-1);
	assert_int_equal(bad, 2);
	assert_int_equal(sm_utf16_to_utf8(le, 3, false, out, &bad), (size_t)-1);
	assert_int_equal(bad, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_back),
		cmocka_unit_test(test_fold_examples),
		cmocka_unit_test(test_fold_properties),
		cmocka_unit_test(test_fold_string),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_utf16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

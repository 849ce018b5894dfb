/* SPDX-License-Identifier: MIT */
/* The kernel-record decoder on hand-made buffers: good, truncated,
 * oversized, lying offsets, unaligned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "record.h"

static uint8_t raw[8192 + 8];

/* An exec record with image, args and cwd, at raw + shift. */
static size_t make_exec(size_t shift)
{
	struct sm_rec_exec e = { 0 };
	const char image[] = "/usr/bin/echo";
	const char args[] = "/bin/echo\0hi\0";
	const char cwd[] = "/home/user";
	size_t off = sizeof(e);
	uint8_t *p = raw + shift;

	e.h.type = SM_REC_EXEC;
	e.t.pid = 42;
	e.t.ppid = 7;
	e.image = (struct sm_strref){ (uint32_t)off, sizeof(image) - 1 };
	memcpy(p + off, image, sizeof(image) - 1);
	off += sizeof(image) - 1;
	e.args = (struct sm_strref){ (uint32_t)off, sizeof(args) - 2 };
	memcpy(p + off, args, sizeof(args) - 2);
	off += sizeof(args) - 2;
	e.cwd = (struct sm_strref){ (uint32_t)off, sizeof(cwd) - 1 };
	memcpy(p + off, cwd, sizeof(cwd) - 1);
	off += sizeof(cwd) - 1;
	e.h.size = (uint32_t)off;
	memcpy(p, &e, sizeof(e));
	return off;
}

static void good_exec(void **st)
{
	struct sm_record r;
	size_t n = make_exec(0);
	char cmd[64];

	(void)st;
	assert_int_equal(sm_record_decode(raw, n, &r), 0);
	assert_int_equal(r.type, SM_REC_EXEC);
	assert_int_equal(SM_REC(&r, struct sm_rec_exec)->t.pid, 42);
	assert_int_equal(r.s[0].len, 13);
	assert_memory_equal(r.s[0].p, "/usr/bin/echo", 13);
	assert_memory_equal(r.s[2].p, "/home/user", 10);
	n = sm_args_join(cmd, sizeof(cmd), r.s[1].p, r.s[1].len);
	assert_int_equal(n, 12);
	assert_memory_equal(cmd, "/bin/echo hi", 12);
}

static void unaligned_exec(void **st)
{
	struct sm_record r;
	size_t n = make_exec(4); /* perf buffer data is 4-aligned */

	(void)st;
	assert_int_equal(sm_record_decode(raw + 4, n, &r), 0);
	assert_int_equal(SM_REC(&r, struct sm_rec_exec)->t.ppid, 7);
	assert_memory_equal(r.s[2].p, "/home/user", 10);
}

static void truncated(void **st)
{
	struct sm_record r;
	size_t n = make_exec(0);

	(void)st;
	/* the buffer ends before the record does */
	assert_int_equal(sm_record_decode(raw, n - 1, &r), -EBADMSG);
	assert_int_equal(sm_record_decode(raw, 10, &r), -EBADMSG);
	assert_int_equal(sm_record_decode(raw, 0, &r), -EBADMSG);
	assert_int_equal(sm_record_decode(NULL, 100, &r), -EBADMSG);
	/* a header that claims less than the fixed part */
	((struct sm_rec_hdr *)raw)->size = 20;
	assert_int_equal(sm_record_decode(raw, n, &r), -EBADMSG);
}

static void lying_offsets(void **st)
{
	struct sm_record r;
	size_t n = make_exec(0);
	struct sm_rec_exec *e = (struct sm_rec_exec *)raw;

	(void)st;
	e->cwd.len = 4000; /* past the record's end */
	assert_int_equal(sm_record_decode(raw, n, &r), -EBADMSG);
	make_exec(0);
	e->image.off = 8; /* inside the fixed part */
	assert_int_equal(sm_record_decode(raw, n, &r), -EBADMSG);
	make_exec(0);
	e->args.off = 0xfffffff0u; /* overflow */
	e->args.len = 0x20;
	assert_int_equal(sm_record_decode(raw, n, &r), -EBADMSG);
}

static void oversized_buffer_ok(void **st)
{
	struct sm_record r;
	size_t n = make_exec(0);

	(void)st;
	/* ring and perf buffers pad records: extra bytes are ignored */
	assert_int_equal(sm_record_decode(raw, n + 64, &r), 0);
	assert_int_equal(r.fixed.h.size, n);
}

static void exit_and_unknown(void **st)
{
	struct sm_rec_exit x = { .h = { SM_REC_EXIT, sizeof(x), 5 } };
	struct sm_record r;

	(void)st;
	x.t.pid = 9;
	memcpy(raw, &x, sizeof(x));
	assert_int_equal(sm_record_decode(raw, sizeof(x), &r), 0);
	assert_int_equal(SM_REC(&r, struct sm_rec_exit)->t.pid, 9);
	assert_int_equal(sm_record_decode(raw, sizeof(x) - 1, &r), -EBADMSG);
	x.h.type = 0x7fffffffu; /* no record of records.def */
	memcpy(raw, &x, sizeof(x));
	assert_int_equal(sm_record_decode(raw, sizeof(x), &r), -ENOTSUP);
}

static void args_join(void **st)
{
	char out[16];

	(void)st;
	assert_int_equal(sm_args_join(out, sizeof(out), "a\0\0b\0\0", 6), 4);
	assert_memory_equal(out, "a  b", 4);
	assert_int_equal(sm_args_join(out, 3, "abcdef", 6), 3);
	assert_int_equal(sm_args_join(out, sizeof(out), "\0\0", 2), 0);
}

/* Every record of records.def decodes: its type, fixed part and strings
 * come back; one byte less than its fixed part is refused. The strings
 * are "s0", "s1", ... in the data area. */
static void decode_one(uint32_t type, size_t fixed, unsigned nstr,
		       const size_t *str_off)
{
	struct sm_rec_hdr h = { type, 0, 77 };
	struct sm_record r;
	size_t off = fixed;

	memset(raw, 0, sizeof(raw));
	for (unsigned i = 0; i < nstr; i++) {
		struct sm_strref ref = { (uint32_t)off, 2 };

		memcpy(raw + str_off[i], &ref, sizeof(ref));
		raw[off++] = 's';
		raw[off++] = (uint8_t)('0' + i);
	}
	h.size = (uint32_t)off;
	memcpy(raw, &h, sizeof(h));
	assert_int_equal(sm_record_decode(raw, off, &r), 0);
	assert_int_equal(r.type, type);
	assert_int_equal(r.fixed.h.ktime, 77);
	assert_memory_equal(r.fixed.bytes, raw, fixed);
	for (unsigned i = 0; i < SM_REC_STRS; i++) {
		char want[2] = { 's', (char)('0' + i) };

		assert_int_equal(r.s[i].len, i < nstr ? 2 : 0);
		if (i < nstr)
			assert_memory_equal(r.s[i].p, want, 2);
	}
	h.size = (uint32_t)fixed - 1;
	memcpy(raw, &h, sizeof(h));
	assert_int_equal(sm_record_decode(raw, off, &r), -EBADMSG);
}

#define CALL(m, ...) m(__VA_ARGS__)
#define UNPAREN(...) __VA_ARGS__
#define OFF1(T, a) offsetof(T, a)
#define OFFS_0(T, ...) 0
#define OFFS_1(T, a) OFF1(T, a)
#define OFFS_2(T, a, b) OFF1(T, a), OFF1(T, b)
#define OFFS_3(T, a, b, c) OFF1(T, a), OFF1(T, b), OFF1(T, c)
#define OFFS_4(T, a, b, c, d) OFF1(T, a), OFF1(T, b), OFF1(T, c), OFF1(T, d)
#define SM_RECORD(NAME, type, tag, nstr, strs, ...) \
	static void decode_##tag(void **st) \
	{ \
		const size_t off[SM_REC_STRS + 1] = { \
			CALL(OFFS_##nstr, struct sm_rec_##tag, UNPAREN strs) \
		}; \
\
		(void)st; \
		decode_one(SM_REC_##NAME, sizeof(struct sm_rec_##tag), nstr, \
			   off); \
	}
#include "records.def"

/* a cut argv block ends in "...", whole ones never do */
static void cmdline_join(void **st)
{
	char out[16];

	(void)st;
	assert_int_equal(sm_cmdline_join(out, sizeof(out), "ab\0cd\0", 6, 0),
			 5);
	assert_memory_equal(out, "ab cd", 5);
	assert_int_equal(sm_cmdline_join(out, sizeof(out), "ab\0cd", 5, 1), 8);
	assert_memory_equal(out, "ab cd...", 8);
	assert_int_equal(sm_cmdline_join(out, sizeof(out), "ab\0", 3, 1), 5);
	assert_memory_equal(out, "ab...", 5);
	assert_int_equal(sm_cmdline_join(out, sizeof(out), "", 0, 1), 3);
	assert_memory_equal(out, "...", 3);
	/* does not fit: cut here, visibly */
	assert_int_equal(sm_cmdline_join(out, 8, "abcdefghij", 10, 0), 8);
	assert_memory_equal(out, "abcde...", 8);
	/* exactly fits: whole */
	assert_int_equal(sm_cmdline_join(out, 8, "abcdefgh", 8, 0), 8);
	assert_memory_equal(out, "abcdefgh", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_exec),
		cmocka_unit_test(unaligned_exec),
		cmocka_unit_test(truncated),
		cmocka_unit_test(lying_offsets),
		cmocka_unit_test(oversized_buffer_ok),
		cmocka_unit_test(exit_and_unknown),
		cmocka_unit_test(args_join),
#define SM_RECORD(NAME, type, tag, ...) cmocka_unit_test(decode_##tag),
#include "records.def"
		cmocka_unit_test(cmdline_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Records back in time order: held until released, handed on sorted by
 * key (equal keys in arrival order), 8-byte aligned, the rest kept intact
 * across releases and arena growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "reorder.h"

struct seen {
	char out[64][32];
	size_t n;
};

static int collect(void *ctx, const void *data, size_t size)
{
	struct seen *s = ctx;

	assert_true(size < sizeof(s->out[0]));
	assert_int_equal((uintptr_t)data % 8, 0); /* the decoder may rely on it */
	memcpy(s->out[s->n], data, size);
	s->out[s->n++][size] = '\0';
	return 0;
}

static void add(struct sm_reorder *r, const char *text, uint64_t key)
{
	assert_int_equal(sm_reorder_add(r, text, strlen(text), key), 0);
}

static void sorted_and_held(void **st)
{
	struct sm_reorder r;
	struct seen s = { 0 };

	(void)st;
	sm_reorder_init(&r);
	/* CPU 1's buffer read before CPU 0's */
	add(&r, "connect", 30);
	add(&r, "late", 90);
	add(&r, "exec", 10);
	add(&r, "tie-a", 20);
	add(&r, "tie-b", 20);
	assert_int_equal(sm_reorder_release(&r, 50, collect, &s), 4);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.out[0], "exec");
	assert_string_equal(s.out[1], "tie-a");
	assert_string_equal(s.out[2], "tie-b");
	assert_string_equal(s.out[3], "connect");
	assert_int_equal(sm_reorder_count(&r), 1);
	/* the held record survives; an older one read later goes first */
	add(&r, "other-cpu", 60);
	assert_int_equal(sm_reorder_release(&r, 70, collect, &s), 1);
	assert_string_equal(s.out[4], "other-cpu");
	assert_int_equal(sm_reorder_release(&r, UINT64_MAX, collect, &s), 1);
	assert_string_equal(s.out[5], "late");
	assert_int_equal(sm_reorder_count(&r), 0);
	assert_int_equal(sm_reorder_release(&r, UINT64_MAX, collect, &s), 0);
	sm_reorder_fini(&r);
}

/* Many records: the arena grows while some are held; each record comes
 * out once, whole, in order. */
static void growth_keeps_held_records(void **st)
{
	static char big[70000];
	struct sm_reorder r;
	struct seen s = { 0 };
	char name[32];

	(void)st;
	sm_reorder_init(&r);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "rec%02d", i);
		add(&r, name, (uint64_t)(40 - i)); /* newest first */
	}
	assert_int_equal(sm_reorder_release(&r, 30, collect, &s), 10);
	assert_string_equal(s.out[0], "rec19");
	assert_string_equal(s.out[9], "rec10");
	memset(big, 'x', sizeof(big));
	assert_int_equal(sm_reorder_add(&r, big, sizeof(big), 1000), 0);
	assert_true(r.cap >= r.len);
	assert_int_equal(sm_reorder_release(&r, 999, collect, &s), 10);
	assert_string_equal(s.out[10], "rec09");
	assert_string_equal(s.out[19], "rec00");
	assert_int_equal(sm_reorder_count(&r), 1);
	assert_int_equal(r.len, sizeof(big)); /* compacted to the front */
	assert_memory_equal(r.buf, big, sizeof(big));
	sm_reorder_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sorted_and_held),
		cmocka_unit_test(growth_keeps_held_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

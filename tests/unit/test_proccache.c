/* SPDX-License-Identifier: MIT */
/* The process cache: lookups checked by start time, replacement, exit
 * grace, bounded size with exited entries evicted first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "proccache.h"

#define SEC 1000000000ull

static struct sm_str S(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

static const struct sm_proc *put(struct sm_proccache *pc, uint32_t pid,
				 uint64_t start, const char *img)
{
	struct sm_guid_base b = { 1, 1700000000, 10000000 };
	struct sm_guid g = sm_process_guid(&b, pid, start, 0x401000);

	return sm_pc_put(pc, pid, start, 1000, &g, S(img), S("cmd line"));
}

static void put_get(void **st)
{
	struct sm_proccache *pc = sm_pc_new(16);
	const struct sm_proc *p;

	(void)st;
	put(pc, 10, 5 * SEC, "/bin/a");
	p = sm_pc_get(pc, 10, 5 * SEC);
	assert_non_null(p);
	assert_memory_equal(p->image.p, "/bin/a", 6);
	assert_int_equal(p->cmdline.len, 8);
	/* 10 ms granularity: /proc's view of the same start time matches */
	assert_non_null(sm_pc_get(pc, 10, 5 * SEC + 3000000));
	/* another start time: a reused pid, not this process */
	assert_null(sm_pc_get(pc, 10, 6 * SEC));
	assert_non_null(sm_pc_get(pc, 10, 0));
	assert_null(sm_pc_get(pc, 11, 0));
	/* exec in the same process replaces the entry */
	put(pc, 10, 5 * SEC, "/bin/b");
	assert_memory_equal(sm_pc_get(pc, 10, 0)->image.p, "/bin/b", 6);
	assert_int_equal(sm_pc_count(pc), 1);
	sm_pc_free(pc);
}

/* A host whose /proc counts start times in 1 ms ticks (USER_HZ 1000):
 * starts 3 ms apart are two processes there, one at the default 10 ms. */
static void tick_of_the_host(void **st)
{
	struct sm_proccache *pc = sm_pc_new(16);

	(void)st;
	put(pc, 10, 5 * SEC, "/bin/a");
	assert_non_null(sm_pc_get(pc, 10, 5 * SEC + 3000000));
	sm_pc_set_tick(pc, 1000000);
	assert_null(sm_pc_get(pc, 10, 5 * SEC + 3000000));
	assert_non_null(sm_pc_get(pc, 10, 5 * SEC + 999999));
	sm_pc_set_tick(pc, 0); /* no tick known: the one set stays */
	assert_null(sm_pc_get(pc, 10, 5 * SEC + 3000000));
	assert_true(sm_same_tick(SM_PROC_TICK_NS, 20000000, 29999999));
	assert_false(sm_same_tick(SM_PROC_TICK_NS, 29999999, 30000000));
	sm_pc_free(pc);
}

static void exit_grace(void **st)
{
	struct sm_proccache *pc = sm_pc_new(16);

	(void)st;
	put(pc, 10, SEC, "/bin/a");
	sm_pc_exited(pc, 10, 100 * SEC);
	sm_pc_expire(pc, 120 * SEC, 30 * SEC);
	assert_non_null(sm_pc_get(pc, 10, 0));
	sm_pc_expire(pc, 130 * SEC, 30 * SEC);
	assert_null(sm_pc_get(pc, 10, 0));
	assert_int_equal(sm_pc_count(pc), 0);
	sm_pc_free(pc);
}

static void bounded(void **st)
{
	struct sm_proccache *pc = sm_pc_new(4);

	(void)st;
	for (uint32_t pid = 1; pid <= 4; pid++)
		put(pc, pid, SEC, "/bin/x");
	sm_pc_exited(pc, 3, SEC);
	put(pc, 5, SEC, "/bin/y"); /* evicts the exited one */
	assert_null(sm_pc_get(pc, 3, 0));
	assert_non_null(sm_pc_get(pc, 1, 0));
	put(pc, 6, SEC, "/bin/z"); /* none exited: evicts the oldest */
	assert_null(sm_pc_get(pc, 1, 0));
	assert_non_null(sm_pc_get(pc, 6, 0));
	assert_int_equal(sm_pc_count(pc), 4);
	sm_pc_free(pc);
}

/* Many long-lived processes (seeded from /proc first) ahead of the exited
 * ones: eviction still takes the exited ones, first exited first, and
 * expiry drops them in exit order. */
static void exited_go_first(void **st)
{
	struct sm_proccache *pc = sm_pc_new(200);

	(void)st;
	for (uint32_t pid = 1; pid <= 100; pid++)
		put(pc, pid, SEC, "/usr/sbin/daemon");
	for (uint32_t pid = 1001; pid <= 1100; pid++) {
		put(pc, pid, 2 * SEC, "/bin/true");
		sm_pc_exited(pc, pid, (uint64_t)pid * SEC);
	}
	put(pc, 2000, 3 * SEC, "/bin/new"); /* full: the first to exit goes */
	assert_null(sm_pc_get(pc, 1001, 0));
	assert_non_null(sm_pc_get(pc, 1002, 0));
	for (uint32_t pid = 1; pid <= 100; pid++)
		assert_non_null(sm_pc_get(pc, pid, 0));
	sm_pc_expire(pc, 1050 * SEC, 0); /* exited up to 1050 s ago go */
	assert_null(sm_pc_get(pc, 1050, 0));
	assert_non_null(sm_pc_get(pc, 1051, 0));
	assert_int_equal(sm_pc_count(pc), 100 + 50 + 1);
	sm_pc_free(pc);
}

static void big_strings(void **st)
{
	struct sm_proccache *pc = sm_pc_new(4);
	char *big = malloc(300000);
	struct sm_guid g = { 0 };
	const struct sm_proc *p;

	(void)st;
	memset(big, 'x', 300000);
	p = sm_pc_put(pc, 1, SEC, 0, &g, S("/i"),
		      (struct sm_str){ big, 300000 });
	assert_non_null(p);
	assert_true(p->cmdline.len < 300000); /* kept bounded */
	assert_int_equal(p->image.len, 2);
	/* blobs are reused after removal */
	for (int i = 0; i < 1000; i++)
		assert_non_null(put(pc, 2, SEC, "/bin/loop"));
	free(big);
	sm_pc_free(pc);
}

static int count_live(const struct sm_proc *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return 0;
}

static void foreach_live(void **st)
{
	struct sm_proccache *pc = sm_pc_new(8);
	int n = 0;

	(void)st;
	put(pc, 1, SEC, "/a");
	put(pc, 2, SEC, "/b");
	sm_pc_exited(pc, 2, SEC);
	sm_pc_foreach(pc, count_live, &n);
	assert_int_equal(n, 1);
	sm_pc_free(pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_get),
		cmocka_unit_test(tick_of_the_host),
		cmocka_unit_test(exited_go_first),
		cmocka_unit_test(exit_grace),
		cmocka_unit_test(bounded),
		cmocka_unit_test(big_strings),
		cmocka_unit_test(foreach_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* The table of kernel members the eBPF objects read (kmembers.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kmembers.h"

static void finds_by_name_and_alias(void **st)
{
	int r = sm_kmember_find("task_struct", "tgid");

	(void)st;
	assert_true(r >= 0);
	assert_string_equal(sm_kmembers[r].name, "tgid");
	assert_int_equal(sm_kmember_find("task_struct", "real_start_time"),
			 sm_kmember_find("task_struct", "start_boottime"));
	r = sm_kmember_find("inode", "__i_mtime.tv_nsec");
	assert_true(r >= 0);
	assert_string_equal(sm_kmembers[r].name, "i_mtime_nsec");
	assert_int_equal(sm_kmember_find("inode", "i_mtime.tv"), -1);
	assert_int_equal(sm_kmember_find("task_struct", "comm"), -1);
	assert_int_equal(sm_kmember_find("sock", "tgid"), -1);
}

/* A struct's rows are together, after the rows of the structs it embeds
 * (the writer defines each struct once, members right after it). */
static void structs_in_order(void **st)
{
	(void)st;
	for (size_t i = 0; i < sm_n_kmembers; i++) {
		const struct sm_kmember *m = &sm_kmembers[i];

		for (size_t j = i + 1; j < sm_n_kmembers; j++)
			if (!strcmp(sm_kmembers[j].type, m->type))
				assert_string_equal(sm_kmembers[j - 1].type,
						    m->type);
		if (m->kind != SM_KM_STRUCT)
			continue;
		for (size_t j = i; j < sm_n_kmembers; j++)
			assert_string_not_equal(sm_kmembers[j].type, m->of);
		assert_true(m->size > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_by_name_and_alias),
		cmocka_unit_test(structs_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

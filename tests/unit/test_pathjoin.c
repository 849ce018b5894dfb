/* SPDX-License-Identifier: MIT */
/* Path joining and normalization (pathjoin.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "pathjoin.h"

static char out[512];

static const char *join(const char *dir, const char *name)
{
	size_t n = sm_path_join(out, sizeof(out), dir, strlen(dir), name,
				strlen(name));

	assert_int_equal(n, strlen(out));
	return out;
}

static void joins(void **st)
{
	(void)st;
	assert_string_equal(join("/tmp/d", "sub/x"), "/tmp/d/sub/x");
	assert_string_equal(join("/tmp/d", "/etc/passwd"), "/etc/passwd");
	assert_string_equal(join("", "/etc//passwd"), "/etc/passwd");
	assert_string_equal(join("/", "x"), "/x");
	assert_string_equal(join("/tmp/d/sub", "./../sub//../g"), "/tmp/d/g");
	assert_string_equal(join("/tmp", "../../../x"), "/x");
	assert_string_equal(join("/tmp/d", "dir/"), "/tmp/d/dir");
	assert_string_equal(join("/tmp/d", ""), "/tmp/d");
	assert_string_equal(join("/tmp/d", "."), "/tmp/d");
	assert_string_equal(join("/tmp", ".."), "/");
	assert_string_equal(join("/a", "..."), "/a/...");
	assert_string_equal(join("/a", ".x/..y"), "/a/.x/..y");
	/* a directory the kernel walk cut short stays as given */
	assert_string_equal(join("+deep/dir", "../x"), "+deep/dir/x");
	/* no directory known: the name, normalized, still relative */
	assert_string_equal(join("", "a/./b"), "a/b");
}

static void join_limits(void **st)
{
	char small[8];

	(void)st;
	assert_int_equal(sm_path_join(small, sizeof(small), "/abc", 4, "defg",
				      4), 0);
	assert_string_equal(small, "");
	assert_int_equal(sm_path_join(small, sizeof(small), "/abc", 4, "de", 2),
			 7);
	assert_string_equal(small, "/abc/de");
	assert_int_equal(sm_path_join(small, 1, "/", 1, "", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joins),
		cmocka_unit_test(join_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

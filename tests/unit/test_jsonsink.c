/* SPDX-License-Identifier: MIT */
/* The JSON-lines file in a temporary directory: modes, refusing links and
 * directories others can write to, rotation (every line whole, in order,
 * the oldest files dropped), reopening after an external rename, and a
 * line that does not fit (RLIMIT_FSIZE standing in for a full disk) taken
 * back out and counted, writing resuming afterwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonsink.h"
#include "schema.h"
#include "xmlfmt.h"

static char tmp[64], dir[96], path[128];
static char *xml;

/* The XML line of a ProcessTerminate with this EventRecordID. */
static size_t event(uint64_t id, const char *image)
{
	struct sm_sys_header h = { .record_id = id,
				   .time_ns = 1,
				   .computer = "vm" };
	struct sm_event ev = { .type = sm_schema_event(5) };

	ev.f[4] = (struct sm_str){ image, (uint32_t)strlen(image) };
	return sm_format_event(xml, SM_FMT_BUF, &h, &ev, NULL);
}

static void log_event(uint64_t id)
{
	sm_jsonsink_line(xml, event(id, "/usr/bin/some-program"));
}

/* The EventRecordIDs of a file's lines, appended to ids; each line must
 * be whole (starts with {, ends with }\n). Returns the count added. */
static size_t read_ids(const char *file, uint64_t *ids, size_t n)
{
	char line[8192];
	size_t got = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "\"EventRecordID\":\"");

		assert_true(line[0] == '{');
		assert_string_equal(line + strlen(line) - 2, "}\n");
		assert_non_null(p);
		ids[n + got++] = strtoull(p + 17, NULL, 10);
	}
	fclose(f);
	return got;
}

static mode_t mode_of(const char *p)
{
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static int setup(void **st)
{
	(void)st;
	snprintf(tmp, sizeof(tmp), "/tmp/smjsonXXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(dir, sizeof(dir), "%s/logs", tmp);
	snprintf(path, sizeof(path), "%s/events.json", dir);
	return 0;
}

static int teardown(void **st)
{
	char cmd[128];

	(void)st;
	sm_jsonsink_close();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd);
}

static void creates_root_only(void **st)
{
	struct sm_json_opts o = { path, 0, 0 };
	uint64_t ids[4];

	(void)st;
	assert_int_equal(sm_jsonsink_open(&o), 0);
	assert_true(sm_jsonsink_active());
	log_event(7);
	log_event(8);
	assert_int_equal(mode_of(dir), 0700);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(read_ids(path, ids, 0), 2);
	assert_true(ids[0] == 7 && ids[1] == 8);
	assert_int_equal(sm_jsonsink_lost(), 0);
	sm_jsonsink_close();
	/* an existing file with other modes is made 0600 */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(sm_jsonsink_open(&o), 0);
	assert_int_equal(mode_of(path), 0600);
}

static void refuses_unsafe_places(void **st)
{
	struct sm_json_opts o = { path, 0, 0 };
	char other[256], link[160];

	(void)st;
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(other, sizeof(other), "%s/target", tmp);
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(sm_jsonsink_open(&o), -ELOOP);
	assert_int_equal(access(other, F_OK), -1); /* not created through it */
	assert_false(sm_jsonsink_active());
	unlink(path);
	/* a directory others can write to */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(sm_jsonsink_open(&o), -EPERM);
	assert_int_equal(chmod(dir, 0700), 0);
	/* the directory a symlink */
	snprintf(link, sizeof(link), "%s/linkdir", tmp);
	assert_int_equal(symlink(dir, link), 0);
	snprintf(other, sizeof(other), "%s/events.json", link);
	o.path = other;
	assert_true(sm_jsonsink_open(&o) < 0);
	/* not absolute, no name */
	o.path = "events.json";
	assert_int_equal(sm_jsonsink_open(&o), -EINVAL);
	o.path = "/tmp/";
	assert_int_equal(sm_jsonsink_open(&o), -EINVAL);
	/* a FIFO in its place: refused, never blocks */
	o.path = path;
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(sm_jsonsink_open(&o) < 0);
}

/* 1000 lines of about 500 bytes, rotated at 8 KiB keeping 4: the newest
 * lines, whole, in order, across PATH.4 .. PATH.1, PATH. */
static void rotation(void **st)
{
	struct sm_json_opts o = { path, 8192, 4 };
	static uint64_t ids[2000];
	char name[160];
	size_t n = 0;
	struct stat sb;

	(void)st;
	assert_int_equal(sm_jsonsink_open(&o), 0);
	for (uint64_t i = 1; i <= 1000; i++)
		log_event(i);
	for (int k = 4; k >= 0; k--) {
		snprintf(name, sizeof(name), k ? "%s.%d" : "%s", path, k);
		assert_int_equal(stat(name, &sb), 0);
		assert_true(sb.st_size <= 8192);
		assert_int_equal(sb.st_mode & 07777, 0600);
		n += read_ids(name, ids, n);
	}
	snprintf(name, sizeof(name), "%s.5", path);
	assert_int_equal(access(name, F_OK), -1);
	assert_true(n > 4 * 8192 / 600);
	for (size_t i = 0; i < n; i++)
		assert_true(ids[i] == 1000 - n + 1 + i);
	assert_int_equal(sm_jsonsink_lost(), 0);
}

/* logrotate moved the file, then SIGHUP: new lines in a new file. */
static void reopen_after_rename(void **st)
{
	struct sm_json_opts o = { path, 0, 0 };
	char moved[160];
	uint64_t ids[8];

	(void)st;
	snprintf(moved, sizeof(moved), "%s.old", path);
	assert_int_equal(sm_jsonsink_open(&o), 0);
	log_event(1);
	assert_int_equal(rename(path, moved), 0);
	log_event(2); /* still the open file */
	assert_int_equal(sm_jsonsink_reopen(), 0);
	log_event(3);
	assert_int_equal(read_ids(moved, ids, 0), 2);
	assert_true(ids[0] == 1 && ids[1] == 2);
	assert_int_equal(read_ids(path, ids, 0), 1);
	assert_true(ids[0] == 3);
	assert_int_equal(mode_of(path), 0600);
}

/* A file that cannot grow: the line cut short is taken back out, counted,
 * and writing resumes once it can. */
static void no_space(void **st)
{
	struct sm_json_opts o = { path, 0, 0 };
	struct rlimit old, lim;
	static uint64_t ids[64];
	struct stat sb;
	size_t n;

	(void)st;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(sm_jsonsink_open(&o), 0);
	log_event(1);
	assert_int_equal(stat(path, &sb), 0);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = (rlim_t)sb.st_size + 100; /* part of a line fits */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	log_event(2);
	log_event(3);
	assert_int_equal(sm_jsonsink_lost(), 2);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(read_ids(path, ids, 0), 1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	log_event(4);
	n = read_ids(path, ids, 0);
	assert_int_equal(n, 2);
	assert_true(ids[0] == 1 && ids[1] == 4);
	assert_int_equal(sm_jsonsink_lost(), 2);
	/* a line that is not an event line is counted too */
	sm_jsonsink_line("<Event>", 7);
	assert_int_equal(sm_jsonsink_lost(), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(creates_root_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_unsafe_places, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(reopen_after_rename, setup,
						teardown),
		cmocka_unit_test_setup_teardown(no_space, setup, teardown),
	};
	int rc;

	xml = malloc(SM_FMT_BUF);
	if (!xml)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(xml);
	return rc;
}

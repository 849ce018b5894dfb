/* SPDX-License-Identifier: MIT */
/* A ProcessCreate whose image is not hashed yet waits for the worker
 * thread, and so do the later events of its process; other processes'
 * events go out at once. Fed with hand-made exec records naming this test's
 * own executable; output captured by wrapping sm_output_line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"

#define MAXLINES 16
static char lines[MAXLINES][8192];
static size_t nlines;

void __wrap_sm_output_line(const char *l, size_t len);
void __wrap_sm_output_line(const char *l, size_t len)
{
	if (nlines < MAXLINES)
		snprintf(lines[nlines], sizeof(lines[0]), "%.*s", (int)len, l);
	nlines++;
}

static struct sm_daemon d;
static char self[4096];
static struct sm_file_id self_id;
static char self_hash[80];

static const char *field(size_t n, const char *name)
{
	static char buf[256];
	char key[128];
	const char *p, *e;

	snprintf(key, sizeof(key), "<Data Name=\"%s\">", name);
	p = strstr(lines[n], key);
	if (!p)
		return "";
	p += strlen(key);
	e = strstr(p, "</Data>");
	snprintf(buf, sizeof(buf), "%.*s", (int)(e - p), p);
	return buf;
}

static void sha256_of(const char *path, char *out)
{
	unsigned char md[32], buf[65536];
	unsigned len = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(c, buf, n);
	EVP_DigestFinal_ex(c, md, &len);
	EVP_MD_CTX_free(c);
	fclose(f);
	out += sprintf(out, "SHA256=");
	for (unsigned i = 0; i < len; i++)
		out += sprintf(out, "%02x", md[i]);
}

static const char cfg_xml[] = "<Sysmon schemaversion=\"4.90\"><EventFiltering>"
			      "<ProcessCreate onmatch=\"exclude\"/>"
			      "<eBPFEvent onmatch=\"exclude\"/>"
			      "</EventFiltering></Sysmon>";

static int setup(void **st)
{
	struct sm_config *cfg;
	struct sm_config_error err;
	struct stat s;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)st;
	if (n <= 0 || stat(self, &s))
		return -1;
	self[n] = '\0';
	self_id = (struct sm_file_id){
		.ino = (uint64_t)s.st_ino,
		.size = (uint64_t)s.st_size,
		.mtime_sec = s.st_mtim.tv_sec,
		.mtime_nsec = (uint32_t)s.st_mtim.tv_nsec,
		.ctime_sec = s.st_ctim.tv_sec,
		.ctime_nsec = (uint32_t)s.st_ctim.tv_nsec,
		/* the kernel's encoding */
		.dev = major(s.st_dev) << 20 | minor(s.st_dev),
	};
	sha256_of(self, self_hash);
	if (sm_config_parse(cfg_xml, sizeof(cfg_xml) - 1, "test", &cfg, &err))
		return -1;
	return sm_daemon_init(&d, cfg, NULL);
}

static int teardown(void **st)
{
	(void)st;
	sm_daemon_flush(&d);
	sm_daemon_fini(&d);
	return 0;
}

static uint8_t rec[8192];

static void feed(const void *fixed, size_t size, uint32_t type)
{
	struct sm_rec_hdr h = { type, (uint32_t)size, 1000000000ull };

	if (fixed != rec)
		memcpy(rec, fixed, size);
	memcpy(rec, &h, sizeof(h));
	sm_daemon_record(&d, rec, size);
}

/* An exec record of this test's executable (as identified by id) by pid,
 * with record flags (SM_RF_*). */
static uint32_t exec_mnt_ns; /* the exec records' mount namespace; 0: ours */

static void exec_flags(uint32_t pid, const struct sm_file_id *id,
		       const char *arg, uint32_t flags)
{
	struct sm_rec_exec e = { .t = { .pid = pid,
					.tid = pid,
					.ppid = 1,
					.auid = 0xffffffffu,
					.ses = 0xffffffffu,
					.tag = 0x401000 },
				 .exe = *id,
				 .flags = flags,
				 .mnt_ns = exec_mnt_ns ? exec_mnt_ns
						       : d.si.mnt_ns };
	size_t n = sizeof(e), il = strlen(self), al = strlen(arg);

	memcpy(rec + n, self, il);
	e.image = (struct sm_strref){ (uint32_t)n, (uint32_t)il };
	n += il;
	memcpy(rec + n, arg, al);
	e.args = (struct sm_strref){ (uint32_t)n, (uint32_t)al };
	n += al;
	memcpy(rec + n, "/", 1);
	e.cwd = (struct sm_strref){ (uint32_t)n, 1 };
	n += 1;
	memcpy(rec, &e, sizeof(e));
	feed(rec, n, SM_REC_EXEC);
}

static void exec_of(uint32_t pid, const struct sm_file_id *id, const char *arg)
{
	exec_flags(pid, id, arg, 0);
}

static void bpf_by(uint32_t pid, uint32_t prog_id)
{
	struct sm_rec_bpf_prog b = { .t = { .pid = pid, .tid = pid },
				     .cmd = 5,
				     .prog_type = 1,
				     .prog_id = prog_id };

	feed(&b, sizeof(b), SM_REC_BPF_PROG);
}

/* Polls until n lines are out (5 s at most). */
static void wait_lines(size_t n)
{
	for (int i = 0; i < 500 && nlines < n; i++) {
		struct timespec ts = { 0, 10000000 };

		sm_daemon_poll(&d);
		nanosleep(&ts, NULL);
	}
	assert_int_equal(nlines, n);
}

static void held_until_hashed(void **st)
{
	uint32_t pid = (uint32_t)getpid();

	(void)st;
	nlines = 0;
	exec_of(pid, &self_id, "first");
	bpf_by(pid, 11);     /* its process: held behind it */
	bpf_by(pid + 1, 12); /* another process: at once */
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "BpfProgramId"), "12");
	wait_lines(3);
	assert_non_null(strstr(lines[1], "<EventID>1</EventID>"));
	assert_string_equal(field(1, "CommandLine"), "first");
	assert_string_equal(field(1, "Hashes"), self_hash);
	assert_string_equal(field(2, "BpfProgramId"), "11");
	/* hashed now: the next exec of the same file is logged at once */
	nlines = 0;
	exec_of(pid, &self_id, "second");
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Hashes"), self_hash);
}

/* The kernel saw another version of the file (another ctime): no hash of
 * this one, a marker that says so, and nothing waits. */
static void other_version_not_hashed(void **st)
{
	struct sm_file_id id = self_id;

	(void)st;
	id.ctime_nsec ^= 1;
	nlines = 0;
	exec_of((uint32_t)getpid(), &id, "changed");
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Hashes"), "Skipped=Changed");
}

/* A file with no name left (unlinked, a memfd): " (deleted)" after its
 * Image, hashed through /proc/PID/exe while the process lives. Once the
 * process is gone (a pid above PID_MAX_LIMIT, 2^22, is none), a version not
 * hashed before is never looked up by the name it had: Skipped=Gone; with
 * a name, the file there is found and is not that version. */
static void no_name_left(void **st)
{
	struct sm_file_id other = self_id;
	char want[4200];

	(void)st;
	snprintf(want, sizeof(want), "%s (deleted)", self);
	nlines = 0;
	exec_flags((uint32_t)getpid(), &self_id, "alive", SM_RF_IMAGE_DELETED);
	wait_lines(1);
	assert_string_equal(field(0, "Image"), want);
	assert_string_equal(field(0, "Hashes"), self_hash);
	other.ctime_nsec ^= 1;
	nlines = 0;
	exec_flags(1u << 23, &other, "gone", SM_RF_IMAGE_DELETED);
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Image"), want);
	assert_string_equal(field(0, "Hashes"), "Skipped=Gone");
	nlines = 0;
	exec_of(1u << 23, &other, "named");
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Image"), self);
	assert_string_equal(field(0, "Hashes"), "Skipped=Changed");
}

/* An executable reached through another mount namespace's mount: its
 * Image is as ever when the host has that very file at the path, else
 * marked " (not the host's file)", and then the file at that path here is
 * never hashed in its place. */
static void other_mount_namespace(void **st)
{
	struct sm_file_id other = self_id;
	char want[4200];

	(void)st;
	exec_mnt_ns = d.si.mnt_ns + 1;
	nlines = 0;
	exec_of((uint32_t)getpid(), &self_id, "same");
	wait_lines(1);
	assert_string_equal(field(0, "Image"), self);
	assert_string_equal(field(0, "Hashes"), self_hash);
	snprintf(want, sizeof(want), "%s (not the host's file)", self);
	other.ino ^= 1;
	nlines = 0;
	exec_of(1u << 23, &other, "mounted over");
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Image"), want);
	assert_string_equal(field(0, "Hashes"), "Skipped=Gone");
	exec_mnt_ns = 0;
}

/* The exec shut writers out (SM_RF_EXE_NO_WRITERS) and the process still
 * runs: its file's bytes are those that ran though its ctime moved (an
 * unlink or chmod after the exec): hashed. */
static void ctime_moved_while_running(void **st)
{
	struct sm_file_id id = self_id;

	(void)st;
	id.ctime_nsec ^= 1;
	nlines = 0;
	exec_flags((uint32_t)getpid(), &id, "chmod", SM_RF_EXE_NO_WRITERS);
	wait_lines(1);
	assert_string_equal(field(0, "Hashes"), self_hash);
	/* the mtime moved too: a write, not only an attribute change */
	id.mtime_nsec ^= 1;
	nlines = 0;
	exec_flags((uint32_t)getpid(), &id, "write", SM_RF_EXE_NO_WRITERS);
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Hashes"), "Skipped=Changed");
}

/* Two execs in one process, both waiting: logged in their order, with what
 * came between them. */
static void order_within_a_process(void **st)
{
	struct sm_file_id a = self_id, b = self_id;
	uint32_t pid = (uint32_t)getpid() + 7;

	(void)st;
	a.dev = 101; /* not cached under these identities yet */
	b.dev = 102;
	nlines = 0;
	exec_of(pid, &a, "one");
	bpf_by(pid, 21);
	exec_of(pid, &b, "two");
	bpf_by(pid, 22);
	assert_int_equal(nlines, 0);
	wait_lines(4);
	assert_string_equal(field(0, "CommandLine"), "one");
	assert_string_equal(field(1, "BpfProgramId"), "21");
	assert_string_equal(field(2, "CommandLine"), "two");
	assert_string_equal(field(3, "BpfProgramId"), "22");
	assert_string_equal(field(2, "Hashes"), self_hash);
}

/* One file exec'd twice before it is hashed: one job, both get the hash;
 * a file over the size limit is not read at all. */
static void one_file_two_execs(void **st)
{
	struct sm_file_id a = self_id, big = self_id;

	(void)st;
	a.dev = 103;
	big.size = (8ull << 30) + 1;
	nlines = 0;
	exec_of(300001, &a, "x1");
	exec_of(300002, &a, "x2");
	exec_of(300003, &big, "huge");
	assert_int_equal(nlines, 1);
	assert_string_equal(field(0, "Hashes"), "Skipped=TooLarge");
	wait_lines(3);
	assert_string_equal(field(1, "Hashes"), self_hash);
	assert_string_equal(field(2, "Hashes"), self_hash);
}

/* 8,192 held events at most: later events go out at once, and a new file's
 * ProcessCreate does not wait (Skipped=Busy). */
static void hold_is_bounded(void **st)
{
	struct sm_file_id a = self_id, b = self_id;
	uint32_t pid = 400001;

	(void)st;
	a.dev = 104;
	b.dev = 105;
	nlines = 0;
	exec_of(pid, &a, "held");
	for (uint32_t i = 0; i < 8200; i++)
		bpf_by(pid, 1000 + i);
	assert_int_equal(nlines, 9); /* 8,191 held behind the ProcessCreate */
	assert_string_equal(field(0, "BpfProgramId"), "9191");
	exec_of(pid + 1, &b, "not held");
	assert_int_equal(nlines, 10);
	assert_string_equal(field(9, "Hashes"), "Skipped=Busy");
	nlines = 0;
	wait_lines(8192);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(held_until_hashed),
		cmocka_unit_test(other_version_not_hashed),
		cmocka_unit_test(no_name_left),
		cmocka_unit_test(other_mount_namespace),
		cmocka_unit_test(ctime_moved_while_running),
		cmocka_unit_test(order_within_a_process),
		cmocka_unit_test(one_file_two_execs),
		cmocka_unit_test(hold_is_bounded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/* Choosing the BTF, discovering and caching one where the kernel has
 * none. */
#include "btfsource.h"

#include <bpf/btf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "btfsynth.h"
#include "fsutil.h"
#include "kdiscover.h"
#include "kmembers.h"
#include "log.h"
#include "paths.h"

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"
#define BTF_CACHE_DIR SM_STATE_DIR "/btf"

/* The kernel's build id (its ELF note in /sys/kernel/notes), as hex. */
static int build_id(char *hex, size_t len)
{
	size_t n = 0, at = 0;
	char *notes = sm_read_file("/sys/kernel/notes", 65536, &n);
	int err = -ENOENT;

	while (notes && at + 12 <= n && err) {
		uint32_t h[3];
		size_t name, desc;

		memcpy(h, notes + at, sizeof(h));
		name = (h[0] + 3u) & ~3u;
		desc = (h[1] + 3u) & ~3u;
		if (at + 12 + name + desc > n)
			break;
		if (h[2] == 3 && h[0] == 4 &&
		    !memcmp(notes + at + 12, "GNU", 4)) {
			const unsigned char *d =
				(const unsigned char *)notes + at + 12 + name;

			for (uint32_t i = 0; i < h[1] && 2 * i + 3 <= len; i++)
				snprintf(hex + 2 * i, 3, "%02x", d[i]);
			err = 0;
		}
		at += 12 + name + desc;
	}
	free(notes);
	return err;
}

/* The cache file of this kernel build: release and build id (or, without
 * one, the build's version string reduced to letters and digits). */
static void cache_path(char *path, size_t len)
{
	struct utsname u;
	char id[96] = "";

	uname(&u);
	if (build_id(id, sizeof(id))) {
		size_t j = 0;

		for (const char *p = u.version; *p && j + 1 < sizeof(id); p++)
			if ((*p >= '0' && *p <= '9') ||
			    (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z'))
				id[j++] = *p;
		id[j] = 0;
	}
	snprintf(path, len, BTF_CACHE_DIR "/%s-%s.btf", u.release, id);
}

static double secs_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Discovery, written to path (through a temporary file). */
static int discover_to(const char *path)
{
	int32_t off[sm_n_kmembers];
	const char *missing = NULL;
	char tmp[PATH_MAX];
	struct timespec t0;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = sm_kdiscover(off, &missing);
	if (err) {
		sm_err("this kernel has no BTF (" KERNEL_BTF " is missing) and "
		       "discovering its layout failed: %s not found (%s). "
		       "Give sysmon a BTF file for this kernel: -btf FILE "
		       "(e.g. from BTFHub, or bpftool gen min_core_btf), or "
		       "put one at %s",
		       missing, strerror(-err), path);
		return err;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	err = sm_btf_write(off, tmp);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	sm_debug("offset discovery took %.2f s", secs_since(&t0));
	return err;
}

int sm_btf_choose(const char *arg, char *path, size_t pathlen, char *what,
		  size_t whatlen)
{
	bool forced = arg && !strcmp(arg, SM_BTF_DISCOVER);
	int err;

	path[0] = 0;
	if (arg && !forced) {
		if (access(arg, R_OK)) {
			sm_err("cannot read BTF file %s: %s", arg,
			       strerror(errno));
			return -ENOENT;
		}
		snprintf(path, pathlen, "%s", arg);
		snprintf(what, whatlen, "BTF from %s", arg);
		return 0;
	}
	if (!forced && access(KERNEL_BTF, R_OK) == 0) {
		snprintf(what, whatlen, "the kernel's BTF");
		return 0;
	}
	cache_path(path, pathlen);
	if (access(path, R_OK) == 0) {
		snprintf(what, whatlen, "BTF discovered earlier, %s", path);
		return 0;
	}
	mkdir("/var", 0755);
	mkdir("/var/lib", 0755);
	mkdir(SM_STATE_DIR, 0755);
	mkdir(BTF_CACHE_DIR, 0755);
	err = discover_to(path);
	if (!err)
		snprintf(what, whatlen, "BTF discovered now, kept in %s", path);
	return err;
}

/* One row: the discovered offset beside the kernel's; 1 when they
 * differ or a required member was not found. */
static int report_row(size_t i, int32_t found, int32_t kern, bool have_kern)
{
	const struct sm_kmember *m = &sm_kmembers[i];
	bool bad = found < 0 ? !m->optional : have_kern && found != kern;
	char name[96];

	snprintf(name, sizeof(name), "%s.%s", m->type, m->name);
	if (!have_kern)
		printf("%-4s %-34s %d\n", bad ? "FAIL" : "ok", name, found);
	else
		printf("%-4s %-34s %d (kernel BTF: %d)%s\n",
		       bad ? "FAIL" : "ok", name, found, kern,
		       m->fixed >= 0 ? " fixed" : "");
	return bad;
}

int sm_btf_discover_cmd(const char *out)
{
	int32_t off[sm_n_kmembers], kern[sm_n_kmembers];
	struct btf *k = btf__load_vmlinux_btf();
	const char *missing = NULL;
	struct timespec t0;
	int err, bad = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = sm_kdiscover(off, &missing);
	printf("discovery: %.3f s%s%s\n", secs_since(&t0),
	       err ? ", failed at " : "", err ? missing : "");
	if (k)
		sm_btf_offsets(k, kern);
	for (size_t i = 0; i < sm_n_kmembers; i++)
		bad += report_row(i, off[i], k ? kern[i] : -1, k != NULL);
	btf__free(k);
	if (!err && out)
		err = sm_btf_write(off, out);
	printf("%d of %zu members wrong or missing\n", bad, sm_n_kmembers);
	return err || bad ? 1 : 0;
}

/* SPDX-License-Identifier: MIT */
#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guid.h"
#include "record.h"
#include "sysmon_abi.h"

struct stat_info {
	uint32_t ppid;
	uint64_t start_ticks;
	uint64_t endcode;
};

static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total < cap &&
	       (n = read(fd, buf + total, cap - (size_t)total)) > 0)
		total += n;
	close(fd);
	return total;
}

/* Fields of /proc/pid/stat after the ")" of comm: 3 state, 4 ppid,
 * 22 starttime, 27 endcode. */
static int read_stat(uint32_t pid, struct stat_info *st)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	unsigned long long v;
	int field = 3;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n ? (int)n : -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -EBADMSG;
	for (p++; *p && field <= 27; field++) {
		while (*p == ' ')
			p++;
		v = strtoull(p, NULL, 10);
		if (field == 4)
			st->ppid = (uint32_t)v;
		else if (field == 22)
			st->start_ticks = v;
		else if (field == 27)
			st->endcode = v;
		while (*p && *p != ' ')
			p++;
	}
	return field > 27 ? 0 : -EBADMSG;
}

static uint32_t read_uid(uint32_t pid)
{
	char path[64], buf[2048], *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return UINT32_MAX;
	buf[n] = '\0';
	p = strstr(buf, "\nUid:");
	return p ? (uint32_t)strtoul(p + 5, NULL, 10) : UINT32_MAX;
}

const struct sm_proc *sm_procfs_load(struct sm_proccache *pc,
				     const struct sm_sysinfo *si, uint32_t pid)
{
	/* one byte more than is kept: a longer command line is cut visibly */
	static char args[SM_ARGS_MAX + 1], cmd[SM_ARGS_MAX + 3];
	char path[64], image[PATH_MAX];
	struct stat_info st = { 0 };
	ssize_t ilen, alen;
	uint64_t start;
	struct sm_guid g;

	if (read_stat(pid, &st))
		return NULL;
	start = st.start_ticks * si->tick_ns;
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	ilen = readlink(path, image, sizeof(image));
	if (ilen < 0)
		ilen = 0;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	alen = read_file(path, args, sizeof(args));
	if (alen < 0)
		alen = 0;
	g = sm_guid_of(si, pid, start, st.endcode);
	return sm_pc_put(pc, pid, start, read_uid(pid), &g,
			 (struct sm_str){ image, (uint32_t)ilen },
			 (struct sm_str){ cmd, (uint32_t)sm_cmdline_join(
						  cmd, sizeof(cmd), args,
						  (size_t)alen > SM_ARGS_MAX ?
						  SM_ARGS_MAX : (size_t)alen,
						  alen > SM_ARGS_MAX) });
}

int sm_procfs_seed(struct sm_proccache *pc, const struct sm_sysinfo *si)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int count = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (sm_procfs_load(pc, si, (uint32_t)strtoul(e->d_name, NULL, 10)))
			count++;
	}
	closedir(d);
	return count;
}

int sm_procfs_alive(const struct sm_sysinfo *si, uint32_t pid, uint64_t start)
{
	struct stat_info st = { 0 };

	if (read_stat(pid, &st))
		return 0;
	return !start || sm_same_start(si, st.start_ticks * si->tick_ns, start);
}

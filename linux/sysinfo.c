/* SPDX-License-Identifier: MIT */
#include "sysinfo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "guid.h"
#include "log.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t sm_now_epoch_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t sm_now_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static uint32_t read_machine_prefix(void)
{
	static const char *const paths[] = { "/etc/machine-id",
					     "/var/lib/dbus/machine-id" };
	char buf[64];

	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(paths[i], "r");
		size_t n;

		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (sm_machine_prefix(buf, n))
			return sm_machine_prefix(buf, n);
	}
	sm_debug("no machine-id: GUIDs start with 00000000");
	return 0;
}

static uint64_t read_btime(void)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[256];
	unsigned long long v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

int sm_sysinfo_init(struct sm_sysinfo *si)
{
	uint64_t real = clock_ns(CLOCK_REALTIME);
	struct stat st;
	long clk_tck;

	memset(si, 0, sizeof(*si));
	si->boot_epoch_ns = real - clock_ns(CLOCK_BOOTTIME);
	si->mono_epoch_ns = real - clock_ns(CLOCK_MONOTONIC);
	if (gethostname(si->hostname, sizeof(si->hostname) - 1))
		snprintf(si->hostname, sizeof(si->hostname), "localhost");
	si->machine = read_machine_prefix();
	si->btime = read_btime();
	if (!si->btime)
		si->btime = si->boot_epoch_ns / 1000000000ull;
	si->pid = (uint32_t)getpid();
	si->tid = (uint32_t)syscall(SYS_gettid);
	si->euid = (uint32_t)geteuid();
	clk_tck = sysconf(_SC_CLK_TCK);
	si->tick_ns = 1000000000ull / (uint64_t)(clk_tck > 0 ? clk_tck : 100);
	si->mnt_ns = stat("/proc/self/ns/mnt", &st) ? 0 : (uint32_t)st.st_ino;
	return 0;
}

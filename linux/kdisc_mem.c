/* SPDX-License-Identifier: MIT */
/* Offset discovery: the members found so far, and reading kernel memory
 * (shared by the steps). */
#include <errno.h>
#include <stdio.h>

#include "kdisc_int.h"
#include "kmembers.h"
#include "kscan.h"
#include "log.h"

int32_t kd_get(const struct kd *k, const char *type, const char *name)
{
	int i = sm_kmember_find(type, name);

	return i < 0 ? -1 : k->off[i];
}

int kd_set(struct kd *k, const char *type, const char *name, long off)
{
	static char what[96];
	int i = sm_kmember_find(type, name);

	if (i >= 0 && off >= 0) {
		k->off[i] = (int32_t)off;
		sm_debug("offset discovery: %s.%s at %ld", type, name, off);
		return 0;
	}
	if (!k->missing) {
		snprintf(what, sizeof(what), "%s.%s", type, name);
		k->missing = what;
	}
	return -ENOENT;
}

bool kd_read(struct kd *k, uint64_t addr, void *buf, size_t len)
{
	return sm_is_kptr(addr) && sm_kread_mem(k->rd, addr, buf, len) == 0;
}

uint64_t kd_ptr(struct kd *k, uint64_t addr)
{
	uint64_t v = 0;

	return kd_read(k, addr, &v, sizeof(v)) ? v : 0;
}

uint64_t kd_file(struct kd *k, int fd)
{
	int32_t files = kd_get(k, "task_struct", "files");
	int32_t fdt = kd_get(k, "files_struct", "fdt");
	uint64_t t, arr;

	if (files < 0 || fdt < 0)
		return 0;
	t = kd_ptr(k, kd_ptr(k, k->tm + (uint64_t)files) + (uint64_t)fdt);
	arr = kd_ptr(k, t + 8);
	return kd_ptr(k, arr + 8 * (uint64_t)fd);
}

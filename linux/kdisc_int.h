/* SPDX-License-Identifier: MIT */
/* Shared by the discovery steps (kdiscover*.c). */
#ifndef SM_KDISC_INT_H
#define SM_KDISC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kread.h"

#define KD_TASK_BYTES 4096

struct kd {
	struct sm_kread *rd;
	int32_t *off;
	const char *missing; /* the first member not found */
	uint64_t tm, th;     /* task_struct: this thread, the helper thread */
	uint8_t m[KD_TASK_BYTES], h[KD_TASK_BYTES]; /* their copies */
	pid_t htid;
	uint64_t mono[2], boot[2]; /* the helper started in these windows */
};

/* The offset of type.name (-1: not found yet). */
int32_t kd_get(const struct kd *k, const char *type, const char *name);
/* Record it; a negative off records the member as the one not found and
 * returns -ENOENT, else 0. */
int kd_set(struct kd *k, const char *type, const char *name, long off);
/* Read kernel memory; false (and nothing) on failure. */
bool kd_read(struct kd *k, uint64_t addr, void *buf, size_t len);
uint64_t kd_ptr(struct kd *k, uint64_t addr);

/* The struct file of this process's fd (once files and fdt are known). */
uint64_t kd_file(struct kd *k, int fd);

int kd_task(struct kd *k);  /* task_struct, mm_struct, cred, signal */
int kd_files(struct kd *k); /* files, file, inode, dentry, mount, fs */
int kd_net(struct kd *k);   /* socket, sock, sk_buff */

#endif

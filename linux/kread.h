/* SPDX-License-Identifier: MIT */
/* Reading kernel memory for offset discovery, without BTF: a tiny eBPF
 * program (no CO-RE) on a tracepoint copies, when one chosen thread hits
 * it, a chunk of kernel memory into a map, with that thread's task
 * address. */
#ifndef SM_KREAD_H
#define SM_KREAD_H

#include <stddef.h>
#include <stdint.h>

#define SM_KREAD_CHUNK 512

struct sm_kread;

/* A reader on tracepoint cat:name. ctx_off >= 0: addresses are relative
 * to the pointer at that offset of the tracepoint's record (e.g. the
 * sk_buff of net:net_dev_queue), read when it fires; -1: absolute. */
int sm_kread_open(const char *cat, const char *name, int ctx_off,
		  struct sm_kread **out);
void sm_kread_close(struct sm_kread *r);

/* Arm: the next hit by thread tid copies SM_KREAD_CHUNK bytes at addr. */
int sm_kread_arm(struct sm_kread *r, uint32_t tid, uint64_t addr);
/* The result of the last armed hit: 0, -EAGAIN when none came, or the
 * read's error. *task: the hitting thread's task_struct address. */
int sm_kread_result(struct sm_kread *r, uint64_t *task,
		    uint8_t buf[SM_KREAD_CHUNK]);

/* On the syscall tracepoint reader (sys_enter_getppid): the calling
 * thread reads len bytes at addr (any length, chunk by chunk). */
int sm_kread_mem(struct sm_kread *r, uint64_t addr, void *buf, size_t len);
/* The calling thread's task_struct address, 0 on failure. */
uint64_t sm_kread_self(struct sm_kread *r);
/* The reader's program (a file descriptor of this process). */
int sm_kread_prog_fd(const struct sm_kread *r);
/* Hit the getppid tracepoint from the calling thread. */
void sm_kread_poke(void);

#endif

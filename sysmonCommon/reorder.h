/* SPDX-License-Identifier: MIT */
/* Putting records back in time order. A perf buffer is one ring per CPU:
 * read one after the other, a record from one CPU can come before an
 * earlier one from another (a process's exec on CPU 0, its connect on
 * CPU 1). The reader keeps what it read here and hands it on sorted by
 * kernel time, holding back the newest records until every CPU's earlier
 * ones must have arrived. Records are copied, 8-byte aligned, into one
 * arena that grows (doubling) and is reused: no allocation per record in
 * steady state. */
#ifndef SM_REORDER_H
#define SM_REORDER_H

#include <stddef.h>
#include <stdint.h>

struct sm_reorder_ent {
	uint64_t key;  /* kernel time */
	uint64_t seq;  /* arrival order: equal keys stay in it */
	size_t off;    /* into the arena */
	size_t size;
};

struct sm_reorder {
	char *buf;
	size_t len, cap;
	struct sm_reorder_ent *ents;
	size_t n, ncap;
	uint64_t seq;
};

typedef int (*sm_reorder_fn)(void *ctx, const void *data, size_t size);

void sm_reorder_init(struct sm_reorder *r);
void sm_reorder_fini(struct sm_reorder *r);
/* Keep a copy of a record. 0, or -ENOMEM (the record is not kept). */
int sm_reorder_add(struct sm_reorder *r, const void *data, size_t size,
		   uint64_t key);
/* Hand on, in key order, every kept record whose key is at most upto
 * (UINT64_MAX: all); the others stay. Returns how many were handed on. */
size_t sm_reorder_release(struct sm_reorder *r, uint64_t upto,
			  sm_reorder_fn fn, void *ctx);
static inline size_t sm_reorder_count(const struct sm_reorder *r)
{
	return r->n;
}

#endif

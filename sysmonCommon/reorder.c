/* SPDX-License-Identifier: MIT */
#include "reorder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BYTES 65536
#define MIN_ENTS 256
#define ALIGN 8 /* records start 8-byte aligned, as in a ring buffer */

static size_t aligned(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

void sm_reorder_init(struct sm_reorder *r)
{
	memset(r, 0, sizeof(*r));
}

void sm_reorder_fini(struct sm_reorder *r)
{
	free(r->buf);
	free(r->ents);
	sm_reorder_init(r);
}

/* Room for need more bytes and one more entry. */
static int reserve(struct sm_reorder *r, size_t need)
{
	if (r->len + need > r->cap) {
		size_t cap = r->cap ? r->cap : MIN_BYTES;
		char *b;

		while (cap < r->len + need)
			cap *= 2;
		b = realloc(r->buf, cap);
		if (!b)
			return -ENOMEM;
		r->buf = b;
		r->cap = cap;
	}
	if (r->n == r->ncap) {
		size_t ncap = r->ncap ? r->ncap * 2 : MIN_ENTS;
		struct sm_reorder_ent *e = realloc(r->ents, ncap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		r->ents = e;
		r->ncap = ncap;
	}
	return 0;
}

int sm_reorder_add(struct sm_reorder *r, const void *data, size_t size,
		   uint64_t key)
{
	int err = reserve(r, aligned(size));

	if (err)
		return err;
	memcpy(r->buf + r->len, data, size);
	r->ents[r->n++] = (struct sm_reorder_ent){
		.key = key, .seq = r->seq++, .off = r->len, .size = size };
	r->len += aligned(size);
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct sm_reorder_ent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_offset(const void *a, const void *b)
{
	const struct sm_reorder_ent *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Move the records still kept (ents[0..n)) to the front of the arena. */
static void compact(struct sm_reorder *r)
{
	size_t len = 0;

	qsort(r->ents, r->n, sizeof(*r->ents), by_offset);
	for (size_t i = 0; i < r->n; i++) {
		memmove(r->buf + len, r->buf + r->ents[i].off, r->ents[i].size);
		r->ents[i].off = len;
		len += aligned(r->ents[i].size);
	}
	r->len = len;
}

size_t sm_reorder_release(struct sm_reorder *r, uint64_t upto,
			  sm_reorder_fn fn, void *ctx)
{
	size_t k = 0;

	if (!r->n)
		return 0;
	qsort(r->ents, r->n, sizeof(*r->ents), by_time);
	while (k < r->n && r->ents[k].key <= upto) {
		fn(ctx, r->buf + r->ents[k].off, r->ents[k].size);
		k++;
	}
	memmove(r->ents, r->ents + k, (r->n - k) * sizeof(*r->ents));
	r->n -= k;
	compact(r);
	return k;
}

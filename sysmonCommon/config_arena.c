/* SPDX-License-Identifier: MIT */
/* A bump allocator: a config is built once, read many times and freed as a
 * whole, so its pieces never need freeing one by one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config_arena.h"

#define BLOCK_MIN (64 * 1024)
#define ALIGN 16

struct sm_arena_block {
	struct sm_arena_block *next;
	size_t used, cap;
	_Alignas(ALIGN) unsigned char data[];
};

static struct sm_arena_block *block_new(size_t need)
{
	size_t cap = need > BLOCK_MIN ? need : BLOCK_MIN;
	struct sm_arena_block *b;

	if (cap > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + cap);
	if (b) {
		b->next = NULL;
		b->used = 0;
		b->cap = cap;
	}
	return b;
}

void *sm_arena_alloc(struct sm_arena *a, size_t size)
{
	struct sm_arena_block *b = a->head;
	size_t want;
	void *p;

	if (size > SIZE_MAX - ALIGN)
		return NULL;
	want = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!want)
		want = ALIGN;
	if (!b || b->cap - b->used < want) {
		b = block_new(want);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += want;
	memset(p, 0, size);
	return p;
}

char *sm_arena_strndup(struct sm_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = sm_arena_alloc(a, len + 1);
	if (p && len)
		memcpy(p, s, len);
	return p;
}

void sm_arena_free(struct sm_arena *a)
{
	struct sm_arena_block *b = a->head;

	while (b) {
		struct sm_arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
}

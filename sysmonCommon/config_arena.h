/* SPDX-License-Identifier: MIT */
/* One allocation arena per config: every allocation of a config, freed
 * at once (config_arena.c). */
#ifndef SM_CONFIG_ARENA_H
#define SM_CONFIG_ARENA_H

#include <stddef.h>

struct sm_arena_block;
struct sm_arena {
	struct sm_arena_block *head;
};
void *sm_arena_alloc(struct sm_arena *a, size_t size); /* zeroed or NULL */
char *sm_arena_strndup(struct sm_arena *a, const char *s, size_t len);
void sm_arena_free(struct sm_arena *a);

#endif

/* SPDX-License-Identifier: MIT */
#include "netconv.h"

#include <stdlib.h>
#include <string.h>

#define WAYS 4

struct slot {
	struct sm_conv_key key;
	uint64_t logged;  /* when last logged */
	bool used;
};

struct sm_netconv {
	struct slot *slots; /* nsets * WAYS */
	size_t nsets;       /* power of two */
	uint64_t window;
};

struct sm_netconv *sm_netconv_new(size_t capacity, uint64_t window_ns)
{
	struct sm_netconv *t = calloc(1, sizeof(*t));
	size_t nsets = 1;

	if (!t)
		return NULL;
	while (nsets * WAYS < capacity && nsets < ((size_t)1 << 24))
		nsets <<= 1;
	t->slots = calloc(nsets * WAYS, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	t->nsets = nsets;
	t->window = window_ns;
	return t;
}

void sm_netconv_free(struct sm_netconv *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

void sm_netconv_set_window(struct sm_netconv *t, uint64_t window_ns)
{
	t->window = window_ns;
}

uint64_t sm_netconv_window(const struct sm_netconv *t)
{
	return t->window;
}

void sm_conv_key_make(struct sm_conv_key *k, const struct sm_conn *c,
		      uint32_t pid, uint64_t start)
{
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->start = start;
	k->proto = c->proto;
	k->local_v6 = c->local.v6;
	k->remote_v6 = c->remote.v6;
	memcpy(k->laddr, c->local.addr, sizeof(k->laddr));
	memcpy(k->raddr, c->remote.addr, sizeof(k->raddr));
	k->lport = c->local.port;
	k->rport = c->remote.port;
}

/* FNV-1a over the key's bytes (keys are zero-padded by sm_conv_key_make) */
static uint64_t hash(const struct sm_conv_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

bool sm_netconv_admit(struct sm_netconv *t, const struct sm_conv_key *k,
		      uint64_t now)
{
	struct slot *set = &t->slots[(hash(k) & (t->nsets - 1)) * WAYS];
	struct slot *victim = &set[0];

	for (int i = 0; i < WAYS; i++) {
		struct slot *s = &set[i];

		if (s->used && !memcmp(&s->key, k, sizeof(*k))) {
			if (now - s->logged < t->window)
				return false;
			s->logged = now;
			return true;
		}
		if (!s->used)
			victim = s;
		else if (victim->used && s->logged < victim->logged)
			victim = s;
	}
	victim->key = *k;
	victim->logged = now;
	victim->used = true;
	return true;
}

/* SPDX-License-Identifier: MIT */
#include "dnspair.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum state { FREE, WAITING, ANSWERED, TIMEDOUT };

struct entry {
	uint8_t state;
	uint8_t rcode;
	uint16_t id, qtype;
	unsigned answers;
	uint64_t seq;        /* order of the queries */
	uint64_t sent;       /* first sent */
	uint64_t last;       /* last (re)sent: the timeout counts from it */
	struct sm_actor who;
	char name[SM_DNS_NAME_TEXT];
	char results[SM_DNS_RESULTS_MAX];
};

struct sm_dnspair {
	struct entry *e;
	size_t cap;
	uint64_t timeout, seq;
	sm_dns_done_fn fn;
	void *ctx;
	char merged[SM_DNS_RESULTS_MAX];
};

struct sm_dnspair *sm_dnspair_new(size_t capacity, uint64_t timeout_ns,
				  sm_dns_done_fn fn, void *ctx)
{
	struct sm_dnspair *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->e = calloc(capacity ? capacity : 1, sizeof(*t->e));
	if (!t->e) {
		free(t);
		return NULL;
	}
	t->cap = capacity ? capacity : 1;
	t->timeout = timeout_ns;
	t->fn = fn;
	t->ctx = ctx;
	return t;
}

void sm_dnspair_free(struct sm_dnspair *t)
{
	if (!t)
		return;
	free(t->e);
	free(t);
}

static bool same_proc(const struct sm_actor *a, const struct sm_actor *b)
{
	return a->pid == b->pid && a->start == b->start;
}

/* Names compare case-insensitively: resolvers may randomise the case. */
static bool same_group(const struct entry *e, const struct sm_actor *who,
		       const char *name)
{
	return e->state != FREE && same_proc(&e->who, who) &&
	       !strcasecmp(e->name, name);
}

static struct entry *find(struct sm_dnspair *t, const struct sm_actor *who,
			  const struct sm_dns_msg *m)
{
	for (size_t i = 0; i < t->cap; i++) {
		struct entry *e = &t->e[i];

		if ((e->state == WAITING || e->state == TIMEDOUT) &&
		    e->id == m->id && e->qtype == m->qtype &&
		    same_group(e, who, m->qname))
			return e;
	}
	return NULL;
}

#define GROUP_MAX 8 /* queries of one lookup (A and AAAA: 2) */

static unsigned merged_status(struct entry *const *g, size_t n)
{
	unsigned rcode = 0;
	bool answered = false;

	for (size_t i = 0; i < n; i++) {
		if (g[i]->state != ANSWERED)
			continue;
		if (g[i]->answers && !g[i]->rcode)
			return SM_DNS_STATUS_OK;
		if (g[i]->rcode && !rcode)
			rcode = g[i]->rcode;
		answered = true;
	}
	if (rcode)
		return sm_dns_status(rcode, 0);
	return answered ? SM_DNS_STATUS_NO_RECORDS : SM_DNS_STATUS_TIMEOUT;
}

/* The entries of e's lookup, in the order their queries were sent. */
static size_t group_of(struct sm_dnspair *t, const struct entry *e,
		       struct entry **g)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap && n < GROUP_MAX; i++) {
		struct entry *x = &t->e[i];
		size_t j = n++;

		if (!same_group(x, &e->who, e->name)) {
			n--;
			continue;
		}
		for (; j > 0 && g[j - 1]->seq > x->seq; j--)
			g[j] = g[j - 1];
		g[j] = x;
	}
	return n;
}

/* Report e's lookup (all its queries) and free its entries. */
static void finish(struct sm_dnspair *t, const struct entry *e)
{
	struct entry *g[GROUP_MAX];
	size_t n = group_of(t, e, g), len = 0;
	struct sm_dns_done d;

	if (!n)
		return;
	t->merged[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(g[i]->results);

		if (g[i]->state != ANSWERED || len + l >= sizeof(t->merged))
			continue;
		memcpy(t->merged + len, g[i]->results, l + 1);
		len += l;
	}
	d.who = &g[0]->who;
	d.time = g[0]->sent;
	d.name = g[0]->name;
	d.status = merged_status(g, n);
	d.results = t->merged;
	t->fn(t->ctx, &d);
	for (size_t i = 0; i < n; i++)
		g[i]->state = FREE;
}

static void finish_if_done(struct sm_dnspair *t, const struct entry *e)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].state == WAITING && same_group(&t->e[i], &e->who, e->name))
			return;
	finish(t, e);
}

static struct entry *free_slot(struct sm_dnspair *t)
{
	struct entry *oldest = NULL;

	for (size_t i = 0; i < t->cap; i++) {
		if (t->e[i].state == FREE)
			return &t->e[i];
		if (!oldest || t->e[i].seq < oldest->seq)
			oldest = &t->e[i];
	}
	finish(t, oldest);
	return oldest;
}

void sm_dnspair_query(struct sm_dnspair *t, const struct sm_actor *who,
		      uint64_t now, const struct sm_dns_msg *q)
{
	struct entry *e = find(t, who, q);

	if (e && e->state == WAITING) { /* sent again */
		e->last = now;
		return;
	}
	e = free_slot(t);
	memset(e, 0, offsetof(struct entry, name));
	e->state = WAITING;
	e->id = q->id;
	e->qtype = q->qtype;
	e->seq = ++t->seq;
	e->sent = e->last = now;
	e->who = *who;
	snprintf(e->name, sizeof(e->name), "%s", q->qname);
	e->results[0] = '\0';
}

void sm_dnspair_response(struct sm_dnspair *t, const struct sm_actor *who,
			 uint64_t now, const struct sm_dns_msg *r,
			 const char *results, unsigned answers)
{
	struct entry *e = find(t, who, r);
	struct sm_dns_done d;

	if (!e) {
		d.who = who;
		d.time = now;
		d.name = r->qname;
		d.status = sm_dns_status(r->rcode, answers);
		d.results = results;
		t->fn(t->ctx, &d);
		return;
	}
	e->state = ANSWERED;
	e->rcode = r->rcode;
	e->answers = answers;
	snprintf(e->results, sizeof(e->results), "%s", results);
	finish_if_done(t, e);
}

void sm_dnspair_tick(struct sm_dnspair *t, uint64_t now)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].state == WAITING && now - t->e[i].last >= t->timeout)
			t->e[i].state = TIMEDOUT;
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].state != FREE)
			finish_if_done(t, &t->e[i]);
}

size_t sm_dnspair_pending(const struct sm_dnspair *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap; i++)
		n += t->e[i].state != FREE;
	return n;
}

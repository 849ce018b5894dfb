/* SPDX-License-Identifier: MIT */
/* ProcessCreate events waiting for their image's hashes (hashes.c hashes
 * on a worker thread, so a huge executable holds back no one else), and
 * the later events of the same process, held so that they still follow
 * their ProcessCreate in the log. Rare (a file not hashed before): one
 * allocation per held event. Held events keep their own copy of every
 * value; they are filtered when they are let go. */
#include "ev_hold.h"

#include <stdlib.h>
#include <string.h>

#include "hashes.h"

/* Events held at most, the waiting ProcessCreates included; beyond that,
 * events are logged at once (before their process's ProcessCreate) and a
 * ProcessCreate not hashed yet does not wait (Skipped=Busy): no process
 * can fill the memory. */
#define HOLD_MAX 8192

struct held {
	struct held *next;
	struct sm_event ev;
	char data[];
};

struct pending {
	struct pending *next;
	uint32_t pid;
	int job;
	unsigned hashes_field; /* in the first event, the ProcessCreate */
	struct held *first, **tail;
};

struct sm_hold {
	struct pending *pend; /* in the order of their ProcessCreates */
	unsigned nheld;       /* events held, the ProcessCreates included */
};

struct sm_hold *sm_hold_new(void)
{
	return calloc(1, sizeof(struct sm_hold));
}

static void free_events(struct held *h)
{
	for (struct held *next; h; h = next) {
		next = h->next;
		free(h);
	}
}

void sm_hold_free(struct sm_hold *h)
{
	struct pending *p, *next;

	if (!h)
		return;
	for (p = h->pend; p; p = next) {
		next = p->next;
		free_events(p->first);
		free(p);
	}
	free(h);
}

static struct held *copy_event(const struct sm_event *ev)
{
	size_t total = 0, off = 0;
	struct held *h;
	unsigned n = ev->type->nfields;

	for (unsigned i = 0; i < n; i++)
		total += ev->f[i].p ? ev->f[i].len : 0;
	h = malloc(sizeof(*h) + total);
	if (!h)
		return NULL;
	h->next = NULL;
	h->ev = *ev;
	for (unsigned i = 0; i < n; i++) {
		if (!ev->f[i].p)
			continue;
		memcpy(h->data + off, ev->f[i].p, ev->f[i].len);
		h->ev.f[i].p = h->data + off;
		off += ev->f[i].len;
	}
	return h;
}

bool sm_hold_full(const struct sm_hold *h)
{
	return h->nheld >= HOLD_MAX;
}

bool sm_hold_exec(struct sm_hold *h, struct sm_event *ev, unsigned hashes_field,
		  uint32_t pid, int job)
{
	struct pending *p = calloc(1, sizeof(*p)), **pp = &h->pend;

	if (p)
		p->first = copy_event(ev);
	if (!p || !p->first) {
		free(p);
		return false;
	}
	h->nheld++;
	p->pid = pid;
	p->job = job;
	p->hashes_field = hashes_field;
	p->tail = &p->first->next;
	while (*pp)
		pp = &(*pp)->next;
	*pp = p;
	return true;
}

/* The acting process of an event (ProcessId, SourceProcessId), 0: none. */
static uint32_t event_pid(const struct sm_event *ev)
{
	int i = sm_schema_field(ev->type, "ProcessId");
	uint32_t pid = 0;

	if (i < 0)
		i = sm_schema_field(ev->type, "SourceProcessId");
	if (i < 0 || !ev->f[i].p)
		return 0;
	for (uint32_t k = 0; k < ev->f[i].len && k < 10; k++) {
		char c = ev->f[i].p[k];

		if (c < '0' || c > '9')
			return 0;
		pid = pid * 10 + (uint32_t)(c - '0');
	}
	return pid;
}

bool sm_hold_event(struct sm_hold *h, const struct sm_event *ev)
{
	struct pending *last = NULL;
	struct held *e;
	uint32_t pid;

	if (!h->pend)
		return false;
	pid = event_pid(ev);
	for (struct pending *p = h->pend; p; p = p->next)
		if (p->pid == pid && pid)
			last = p;
	if (!last || h->nheld >= HOLD_MAX || !(e = copy_event(ev)))
		return false;
	*last->tail = e;
	last->tail = &e->next;
	h->nheld++;
	return true;
}

/* Logs p's ProcessCreate with its hashes, then what was held behind it
 * (straight to the rules: a later ProcessCreate of the same process may
 * be waiting too, and these come before it). */
static void let_go(struct sm_hold *h, struct sm_daemon *d, struct pending *p,
		   const char *text, sm_hold_emit emit)
{
	struct held *e = p->first, *next;

	e->ev.f[p->hashes_field] =
		(struct sm_str){ text, text ? (uint32_t)strlen(text) : 0 };
	for (; e; e = next) {
		next = e->next;
		emit(d, &e->ev);
		free(e);
		h->nheld--;
	}
}

/* An earlier ProcessCreate of the same process still waits. */
static bool behind(const struct sm_hold *h, const struct pending *p)
{
	for (const struct pending *q = h->pend; q != p; q = q->next)
		if (q->pid == p->pid)
			return true;
	return false;
}

void sm_hold_poll(struct sm_hold *h, struct sm_daemon *d, sm_hold_emit emit)
{
	struct pending **pp = &h->pend, *p;

	while ((p = *pp)) {
		if (behind(h, p) || !sm_hash_finished(p->job)) {
			pp = &p->next;
			continue;
		}
		let_go(h, d, p, sm_hash_text(p->job), emit);
		sm_hash_release(p->job);
		*pp = p->next;
		free(p);
	}
}

void sm_hold_flush(struct sm_hold *h, struct sm_daemon *d, sm_hold_emit emit)
{
	sm_hash_stop();
	sm_hold_poll(h, d, emit);
}

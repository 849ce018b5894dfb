/* SPDX-License-Identifier: MIT */
#include "resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "sysinfo.h"

#define SETS 256
#define WAYS 4
#define QUEUE 128
#define TTL_NAME_NS (3600ull * 1000000000ull)
#define TTL_NONE_NS (300ull * 1000000000ull)

enum state { EMPTY, PENDING, NAMED, NONAME };

struct entry {
	uint8_t state;
	uint8_t v6;
	uint8_t addr[16];
	uint64_t expires;     /* monotonic ns */
	char name[SM_RDNS_NAME_MAX];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool started;
	struct entry cache[SETS * WAYS];
	struct sm_endpoint queue[QUEUE];
	unsigned head, tail; /* queue[head..tail), indexes mod QUEUE */
} r = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static bool same_addr(const struct entry *e, const struct sm_endpoint *a)
{
	return e->v6 == a->v6 && !memcmp(e->addr, a->addr, a->v6 ? 16 : 4);
}

static struct entry *set_of(const struct sm_endpoint *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < (a->v6 ? 16 : 4); i++)
		h = (h ^ a->addr[i]) * 16777619u;
	return &r.cache[(h % SETS) * WAYS];
}

/* The entry of a, or (create) a slot for it: empty or expiring first. */
static struct entry *slot_of(const struct sm_endpoint *a, bool create)
{
	struct entry *set = set_of(a), *victim = &set[0];

	for (int i = 0; i < WAYS; i++) {
		if (set[i].state != EMPTY && same_addr(&set[i], a))
			return &set[i];
		if (set[i].state != PENDING &&
		    (set[i].state == EMPTY || set[i].expires < victim->expires))
			victim = &set[i];
	}
	if (!create || victim->state == PENDING)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->v6 = a->v6;
	memcpy(victim->addr, a->addr, 16);
	return victim;
}

static void lookup(const struct sm_endpoint *a, char *name, size_t cap,
		   bool *found)
{
	struct sockaddr_storage ss;
	socklen_t len = sm_ep_sockaddr(a, 0, &ss);

	*found = !getnameinfo((struct sockaddr *)&ss, len, name, (socklen_t)cap,
			      NULL, 0, NI_NAMEREQD);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&r.lock);
	for (;;) {
		struct sm_endpoint a;
		char name[SM_RDNS_NAME_MAX];
		struct entry *e;
		bool found;

		while (r.head == r.tail)
			pthread_cond_wait(&r.wake, &r.lock);
		a = r.queue[r.head++ % QUEUE];
		pthread_mutex_unlock(&r.lock);
		lookup(&a, name, sizeof(name), &found);
		pthread_mutex_lock(&r.lock);
		e = slot_of(&a, false);
		if (!e)
			continue;
		e->state = found ? NAMED : NONAME;
		e->expires = sm_now_mono_ns() + (found ? TTL_NAME_NS : TTL_NONE_NS);
		if (found)
			memcpy(e->name, name, sizeof(e->name));
	}
	return NULL;
}

/* The worker blocks every signal: the service takes them by signalfd. */
static bool start_worker(void)
{
	sigset_t all, old;
	pthread_t t;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, NULL, worker, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		sm_err("cannot start the reverse-lookup thread: %s; host names "
		       "stay \"-\"", strerror(err));
		return false;
	}
	pthread_detach(t);
	return true;
}

/* Queue a for the worker; the caller holds the lock. */
static void request(const struct sm_endpoint *a)
{
	struct entry *e;

	if (r.tail - r.head >= QUEUE)
		return;
	e = slot_of(a, true);
	if (!e)
		return;
	e->state = PENDING;
	r.queue[r.tail++ % QUEUE] = *a;
	pthread_cond_signal(&r.wake);
}

bool sm_rdns_name(const struct sm_endpoint *e, char *out, size_t cap)
{
	static bool failed;
	struct entry *c;
	bool ok = false;

	if (failed || !cap)
		return false;
	pthread_mutex_lock(&r.lock);
	if (!r.started) {
		r.started = true;
		failed = !start_worker();
	}
	c = slot_of(e, false);
	if (c && c->state == NAMED && c->expires > sm_now_mono_ns()) {
		snprintf(out, cap, "%s", c->name);
		ok = true;
	} else if (!failed && (!c || (c->state != PENDING &&
				      c->expires <= sm_now_mono_ns()))) {
		request(e);
	}
	pthread_mutex_unlock(&r.lock);
	return ok;
}

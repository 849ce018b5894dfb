/* SPDX-License-Identifier: MIT */
#include "portnames.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sysmon_abi.h"

struct service {
	uint16_t port;
	uint8_t proto;
	uint32_t order;  /* position in the database: the first name wins */
	char name[32];
};

static struct service *services;
static size_t n_services;
static bool loaded;

static int cmp_port(uint8_t proto, uint16_t port, const struct service *s)
{
	if (proto != s->proto)
		return proto < s->proto ? -1 : 1;
	if (port != s->port)
		return port < s->port ? -1 : 1;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct service *x = a, *y = b;
	int c = cmp_port(x->proto, x->port, y);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int add(size_t *cap, const struct servent *s, uint32_t order)
{
	struct service *v;
	uint8_t proto;

	if (!strcmp(s->s_proto, "tcp"))
		proto = SM_IPPROTO_TCP;
	else if (!strcmp(s->s_proto, "udp"))
		proto = SM_IPPROTO_UDP;
	else
		return 0;
	if (n_services == *cap) {
		size_t ncap = *cap ? *cap * 2 : 512;

		v = realloc(services, ncap * sizeof(*v));
		if (!v)
			return -1;
		services = v;
		*cap = ncap;
	}
	v = &services[n_services++];
	v->port = ntohs((uint16_t)s->s_port);
	v->proto = proto;
	v->order = order;
	strncpy(v->name, s->s_name, sizeof(v->name) - 1);
	v->name[sizeof(v->name) - 1] = '\0';
	return 0;
}

/* Sorted, one entry per (proto, port): the first in the database. */
static void load(void)
{
	struct servent *s;
	size_t cap = 0, out = 0;
	uint32_t order = 0;

	loaded = true;
	setservent(1);
	while ((s = getservent()))
		if (add(&cap, s, order++)) {
			sm_err("out of memory reading the services database; "
			       "port names will be missing");
			break;
		}
	endservent();
	if (!n_services)
		return;
	qsort(services, n_services, sizeof(*services), by_key);
	for (size_t i = 0; i < n_services; i++)
		if (!out || cmp_port(services[i].proto, services[i].port,
				     &services[out - 1]))
			services[out++] = services[i];
	n_services = out;
	sm_debug("%zu port names from the services database", n_services);
}

const char *sm_port_name(uint8_t proto, uint16_t port)
{
	size_t lo = 0, hi;

	if (!loaded)
		load();
	hi = n_services;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_port(proto, port, &services[mid]);

		if (!c)
			return services[mid].name;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

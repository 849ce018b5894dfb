/* SPDX-License-Identifier: MIT */
#include "netfmt.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
					     0, 0, 0xff, 0xff };

static bool is_v4mapped(const uint8_t a[16])
{
	return !memcmp(a, v4mapped_prefix, sizeof(v4mapped_prefix));
}

static bool is_zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static void set_v4(struct sm_endpoint *e, const uint8_t *a4, uint16_t port)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->addr, a4, 4);
	e->port = port;
}

static void set_v6(struct sm_endpoint *e, const uint8_t *a16, uint16_t port)
{
	memset(e, 0, sizeof(*e));
	e->v6 = 1;
	memcpy(e->addr, a16, 16);
	e->port = port;
}

/* An IPv6 socket talks IPv4 when its peer is v4-mapped; its local address
 * is then v4-mapped too, or :: when bound to the wildcard. */
static void from_v6(struct sm_conn *c, const struct sm_rec_net *r)
{
	static const uint8_t any4[4];

	if (!is_v4mapped(r->raddr)) {
		set_v6(&c->local, r->laddr, r->lport);
		set_v6(&c->remote, r->raddr, r->rport);
		return;
	}
	set_v4(&c->remote, r->raddr + 12, r->rport);
	if (is_v4mapped(r->laddr))
		set_v4(&c->local, r->laddr + 12, r->lport);
	else
		set_v4(&c->local, any4, r->lport);
}

void sm_conn_from_rec(struct sm_conn *c, const struct sm_rec_net *r)
{
	memset(c, 0, sizeof(*c));
	c->proto = r->proto;
	c->initiated = r->initiated != 0;
	if (r->family == SM_AF_INET6) {
		from_v6(c, r);
		return;
	}
	set_v4(&c->local, r->laddr, r->lport);
	set_v4(&c->remote, r->raddr, r->rport);
}

bool sm_ep_unspecified(const struct sm_endpoint *e)
{
	return is_zero(e->addr, e->v6 ? 16 : 4);
}

size_t sm_ep_ip_text(const struct sm_endpoint *e, char *buf, size_t cap)
{
	if (!inet_ntop(e->v6 ? AF_INET6 : AF_INET, e->addr, buf, (socklen_t)cap)) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	return strlen(buf);
}

const char *sm_proto_name(uint8_t proto)
{
	if (proto == SM_IPPROTO_TCP)
		return "tcp";
	if (proto == SM_IPPROTO_UDP)
		return "udp";
	return "-";
}

const struct sm_endpoint *sm_conn_source(const struct sm_conn *c)
{
	return c->initiated ? &c->local : &c->remote;
}

const struct sm_endpoint *sm_conn_destination(const struct sm_conn *c)
{
	return c->initiated ? &c->remote : &c->local;
}

socklen_t sm_ep_sockaddr(const struct sm_endpoint *e, uint16_t port,
			 struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (e->v6) {
		struct sockaddr_in6 *a = (void *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		memcpy(&a->sin6_addr, e->addr, 16);
		return sizeof(*a);
	}
	struct sockaddr_in *a = (void *)ss;

	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	memcpy(&a->sin_addr, e->addr, 4);
	return sizeof(*a);
}

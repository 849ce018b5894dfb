/* SPDX-License-Identifier: MIT */
/* Network endpoints as NetworkConnect (3) prints them. A connection from
 * a kernel record is normalised once: an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d, a dual-stack socket talking IPv4) is IPv4, because the
 * packets on the wire are IPv4 and rules say DestinationIp 192.0.2.1, not
 * ::ffff:192.0.2.1. Pure code. */
#ifndef SM_NETFMT_H
#define SM_NETFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "sysmon_abi.h"

#define SM_IP_TEXT_MAX 46 /* INET6_ADDRSTRLEN */

struct sm_endpoint {
	uint8_t v6;         /* 0: IPv4 (addr[0..3]), 1: IPv6 */
	uint8_t addr[16];
	uint16_t port;      /* host order */
};

/* e's address with port (host order) as a socket address in *ss (zeroed
 * first); returns its length. */
socklen_t sm_ep_sockaddr(const struct sm_endpoint *e, uint16_t port,
			 struct sockaddr_storage *ss);

struct sm_conn {
	struct sm_endpoint local;  /* the process's end */
	struct sm_endpoint remote;
	uint8_t proto;      /* SM_IPPROTO_TCP / SM_IPPROTO_UDP */
	bool initiated;
};

/* From a kernel record, normalised (see above). */
void sm_conn_from_rec(struct sm_conn *c, const struct sm_rec_net *r);
/* 0.0.0.0 or :: (a socket bound to the wildcard address). */
bool sm_ep_unspecified(const struct sm_endpoint *e);
/* The address as text (inet_ntop forms); returns its length. */
size_t sm_ep_ip_text(const struct sm_endpoint *e, char *buf, size_t cap);
/* "tcp" / "udp" / "-" */
const char *sm_proto_name(uint8_t proto);
/* Sysmon's Source/Destination: the initiator is the source. */
const struct sm_endpoint *sm_conn_source(const struct sm_conn *c);
const struct sm_endpoint *sm_conn_destination(const struct sm_conn *c);

#endif

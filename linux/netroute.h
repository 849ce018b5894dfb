/* SPDX-License-Identifier: MIT */
/* The local address of a socket bound to the wildcard address (a UDP
 * server or unconnected client): the kernel has no single address for it,
 * so sysmon asks the routing table which source address it would use
 * toward the peer (a connect() on a UDP socket: no packet is sent). That
 * is the address the datagrams carried unless policy routing or an
 * explicit IP_PKTINFO source says otherwise. */
#ifndef SM_NETROUTE_H
#define SM_NETROUTE_H

#include "netfmt.h"

/* Fill local's address (its port is kept); 0 or a negative errno (local
 * unchanged). */
int sm_route_source(const struct sm_endpoint *remote,
		    struct sm_endpoint *local);

#endif

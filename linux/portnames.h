/* SPDX-License-Identifier: MIT */
/* Port names (SourcePortName, DestinationPortName) from the services
 * database, read through NSS once, at the first lookup, into a sorted
 * table: a lookup is a binary search, never a file scan. */
#ifndef SM_PORTNAMES_H
#define SM_PORTNAMES_H

#include <stdint.h>

/* The service name of port (host order) for proto (6 tcp, 17 udp), or
 * NULL when the database has none. */
const char *sm_port_name(uint8_t proto, uint16_t port);

#endif

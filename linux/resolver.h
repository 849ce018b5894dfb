/* SPDX-License-Identifier: MIT */
/* Reverse lookups for SourceHostname/DestinationHostname when the config
 * says <DnsLookup>true</DnsLookup>. Never on the event path: a lookup
 * returns what the cache holds at once; a miss queues the address for a
 * worker thread (getnameinfo) and the event goes out with "-", so a slow
 * or dead resolver delays and drops nothing. Names are kept an hour,
 * failures five minutes; the cache and the queue are fixed-size (a full
 * queue skips the lookup, it is tried again at the next event). */
#ifndef SM_RESOLVER_H
#define SM_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include "netfmt.h"

#define SM_RDNS_NAME_MAX 256

/* The cached name of e's address into out (cap bytes); false when there
 * is none yet (then it is looked up in the background). */
bool sm_rdns_name(const struct sm_endpoint *e, char *out, size_t cap);

#endif

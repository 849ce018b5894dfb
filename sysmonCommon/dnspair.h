/* SPDX-License-Identifier: MIT */
/* Pairs DNS responses with their queries for DNSQuery (22).
 * A query waits, keyed by process + transaction id + type + name, until
 * its response comes or SM_DNS_TIMEOUT_NS passes (then QueryStatus 1460,
 * ERROR_TIMEOUT, as Windows reports an unanswered query). Queries a process
 * made for one name at the same time (glibc asks A and AAAA together) are
 * reported as one lookup, as Windows Sysmon reports a name resolution: once
 * none of them is waiting any more, one event carries all their answers.
 * A response whose query was not seen (sent by a call sysmon does not
 * watch) is reported on its own. Fixed capacity; when full, the oldest
 * lookup is reported at once with what it has. Pure code: the caller
 * passes the time and receives finished lookups through a callback. */
#ifndef SM_DNSPAIR_H
#define SM_DNSPAIR_H

#include <stddef.h>
#include <stdint.h>
#include "dns.h"
#include "sysmon_abi.h"

#define SM_DNS_TIMEOUT_NS (10ull * 1000000000ull)
#define SM_DNS_RESULTS_MAX 2048 /* QueryResults text kept per lookup */

struct sm_dns_done {
	const struct sm_actor *who;
	uint64_t time;          /* the first query (or the lone response) */
	const char *name;       /* QueryName */
	unsigned status;        /* QueryStatus */
	const char *results;    /* QueryResults, "" when none */
};

typedef void (*sm_dns_done_fn)(void *ctx, const struct sm_dns_done *done);

struct sm_dnspair;

struct sm_dnspair *sm_dnspair_new(size_t capacity, uint64_t timeout_ns,
				  sm_dns_done_fn fn, void *ctx);
void sm_dnspair_free(struct sm_dnspair *t);

void sm_dnspair_query(struct sm_dnspair *t, const struct sm_actor *who,
		      uint64_t now, const struct sm_dns_msg *q);
/* r: a parsed response; results/answers: from sm_dns_results. */
void sm_dnspair_response(struct sm_dnspair *t, const struct sm_actor *who,
			 uint64_t now, const struct sm_dns_msg *r,
			 const char *results, unsigned answers);
/* Report the lookups whose queries have waited timeout or longer
 * (now = UINT64_MAX: all of them, e.g. when stopping). */
void sm_dnspair_tick(struct sm_dnspair *t, uint64_t now);
/* Lookups waiting (for tests). */
size_t sm_dnspair_pending(const struct sm_dnspair *t);

#endif

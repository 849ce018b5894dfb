/* SPDX-License-Identifier: MIT */
/* The dispatch (events.c) and the per-record-type handlers it calls
 * (linux/ev_*.c). Handlers hand their events to the sink (sink.h). */
#ifndef SM_EVENTS_H
#define SM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct sm_daemon;
struct sm_dns_done;
struct sm_record;

typedef void (*sm_record_handler)(struct sm_daemon *d,
				  const struct sm_record *r);

/* Hands r to its record type's handler; false when no handler takes
 * that type. */
bool sm_events_dispatch(struct sm_daemon *d, const struct sm_record *r);

/* handlers, sm_on_<tag> for each record type of records.def (in the
 * file of its user column; table in events.c) */
#define SM_RECORD(NAME, type, tag, ...) \
	void sm_on_##tag(struct sm_daemon *d, const struct sm_record *r);
#include "records.def"

/* A lookup of the daemon's DNS table (ctx: the daemon) is finished,
 * answered or timed out: its DNSQuery event (ev_dns.c). */
void sm_dns_done(void *ctx, const struct sm_dns_done *done);

#endif

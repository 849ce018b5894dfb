/* SPDX-License-Identifier: MIT */
/* The dispatch (events.c) and the per-record-type handlers it calls
 * (linux/ev_*.c). Handlers hand their events to the sink (sink.h). */
#ifndef SM_EVENTS_H
#define SM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct sm_daemon;
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

/* network events (ev_network.c, ev_dns.c). Once a second (from
 * sm_daemon_tick): DNS lookups that timed out. */
void sm_net_tick(struct sm_daemon *d, uint64_t now);
/* Stopping: DNS lookups still waiting for an answer are logged now, as
 * unanswered (the status of a timeout). */
void sm_net_flush(struct sm_daemon *d);
/* One NetworkConnect event per UDP conversation per this many seconds
 * (default 60; -udpwindow). */
void sm_net_set_udp_window(unsigned seconds);

#endif

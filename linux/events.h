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

/* handlers, one per record type (table in events.c) */
void sm_on_exec(struct sm_daemon *d, const struct sm_record *r);
void sm_on_exit(struct sm_daemon *d, const struct sm_record *r);
/* file, process-access and kernel events (ev_file.c, ev_access.c,
 * ev_kernel.c) */
void sm_on_file_create(struct sm_daemon *d, const struct sm_record *r);
void sm_on_raw_read(struct sm_daemon *d, const struct sm_record *r);
void sm_on_file_delete(struct sm_daemon *d, const struct sm_record *r);
void sm_on_file_time(struct sm_daemon *d, const struct sm_record *r);
void sm_on_proc_access(struct sm_daemon *d, const struct sm_record *r);
void sm_on_bpf_prog(struct sm_daemon *d, const struct sm_record *r);
void sm_on_module(struct sm_daemon *d, const struct sm_record *r);
/* network events (ev_network.c, ev_dns.c) */
void sm_on_net(struct sm_daemon *d, const struct sm_record *r);
void sm_on_dns(struct sm_daemon *d, const struct sm_record *r);
/* Once a second (from sm_daemon_tick): DNS lookups that timed out. */
void sm_net_tick(struct sm_daemon *d, uint64_t now);
/* Stopping: DNS lookups still waiting for an answer are logged now, as
 * unanswered (the status of a timeout). */
void sm_net_flush(struct sm_daemon *d);
/* One NetworkConnect event per UDP conversation per this many seconds
 * (default 60; -udpwindow). */
void sm_net_set_udp_window(unsigned seconds);

#endif

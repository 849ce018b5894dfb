/* SPDX-License-Identifier: MIT */
/* ProcessCreate events waiting for their hashes, and the events of the same
 * process that come meanwhile (kept in order behind them). */
#ifndef SM_EV_HOLD_H
#define SM_EV_HOLD_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"

struct sm_daemon;
/* What is held: the daemon's (sm_daemon_init makes it). */
struct sm_hold;

/* Where let-go events go: the rules, format and write (sm_sink_filter);
 * passed in, so this stage calls nothing of the sink that calls it. */
typedef void (*sm_hold_emit)(struct sm_daemon *d, struct sm_event *ev);

/* NULL when there is no memory. */
struct sm_hold *sm_hold_new(void);
/* Frees h and, without logging them, any events still held (after
 * sm_hold_flush there are none). */
void sm_hold_free(struct sm_hold *h);
/* No room to hold more events: a ProcessCreate must not wait. */
bool sm_hold_full(const struct sm_hold *h);
/* Keeps a copy of ProcessCreate ev of pid until hash job `job` is done;
 * false when there is no memory for it (then log it without hashes; the
 * job is left to finish unused). */
bool sm_hold_exec(struct sm_hold *h, struct sm_event *ev, unsigned hashes_field,
		  uint32_t pid, int job);
/* Keeps a copy of ev when its process has a ProcessCreate waiting. */
bool sm_hold_event(struct sm_hold *h, const struct sm_event *ev);
/* Logs the ProcessCreate events whose hashes are done, each followed by
 * what was held behind it. */
void sm_hold_poll(struct sm_hold *h, struct sm_daemon *d, sm_hold_emit emit);
/* Stopping: stops the hashing, logs everything held. */
void sm_hold_flush(struct sm_hold *h, struct sm_daemon *d, sm_hold_emit emit);

#endif

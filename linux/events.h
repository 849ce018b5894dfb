/* What the per-event handlers (linux/ev_*.c) share. */
#ifndef SM_EVENTS_H
#define SM_EVENTS_H

#include "event.h"

struct sm_daemon;
struct sm_record;

#define SM_EXIT_GRACE_NS (30ull * 1000000000ull) /* exited processes kept */

typedef void (*sm_record_handler)(struct sm_daemon *d,
				  const struct sm_record *r);

struct sm_str sm_cstr(const char *s);
/* Rules, then (when they keep it) RuleName, format and log. */
void sm_filter_and_log(struct sm_daemon *d, struct sm_event *ev);

/* handlers, one per record type (table in events.c) */
void sm_on_exec(struct sm_daemon *d, const struct sm_record *r);
void sm_on_exit(struct sm_daemon *d, const struct sm_record *r);

#endif

/* SPDX-License-Identifier: MIT */
/* Where every handler's event goes: the hold stage (ev_hold.h: events of
 * a process whose ProcessCreate waits for its hashes wait behind it), the
 * rules, then format and write. Depends only on the daemon's state
 * (daemon.h) and the layers below it (config, formatter, output); never on
 * the handlers or the dispatch. */
#ifndef SM_SINK_H
#define SM_SINK_H

#include "event.h"

struct sm_daemon;

struct sm_str sm_cstr(const char *s);
/* Held back (ev_hold.h), or the rules, then (when they keep it)
 * RuleName, format and log. */
void sm_filter_and_log(struct sm_daemon *d, struct sm_event *ev);
/* The rules, then format and log: an event let go by the hold stage. */
void sm_sink_filter(struct sm_daemon *d, struct sm_event *ev);
/* Format and log an event that passed (or needs no) filtering. */
void sm_sink_log(struct sm_daemon *d, struct sm_event *ev);

#endif

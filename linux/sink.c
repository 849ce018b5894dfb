/* SPDX-License-Identifier: MIT */
/* The end of every event's pass: filter through the rules, format, write.
 * One pass, no allocation. */
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "ev_hold.h"
#include "log.h"
#include "output.h"
#include "recordid.h"
#include "sink.h"
#include "xmlfmt.h"

struct sm_str sm_cstr(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

void sm_sink_log(struct sm_daemon *d, struct sm_event *ev)
{
	struct sm_sys_header h = {
		.record_id = d->record_id,
		.time_ns = sm_now_epoch_ns(),
		.computer = d->si.hostname,
		.pid = d->si.pid, .tid = d->si.tid, .uid = d->si.euid,
	};
	const unsigned *limits = ev->type->id < SM_MAX_EVENT_ID ?
					 d->limits[ev->type->id] : NULL;
	size_t len;

	len = sm_format_event(d->fmt, SM_FMT_BUF, &h, ev, limits);
	if (!len) {
		sm_err("event %u could not be formatted", ev->type->id);
		d->dropped++;
		return;
	}
	if (++d->record_id >= d->record_id_limit)
		sm_recid_reserve(d);
	sm_output_line(d->fmt, len);
}

void sm_sink_filter(struct sm_daemon *d, struct sm_event *ev)
{
	const char *rule = NULL;

	if (!sm_config_match(d->cfg, ev, &rule))
		return;
	ev->f[0] = rule && *rule ? sm_cstr(rule) : SM_STR("-");
	sm_sink_log(d, ev);
}

void sm_filter_and_log(struct sm_daemon *d, struct sm_event *ev)
{
	if (!sm_hold_event(d->hold, ev))
		sm_sink_filter(d, ev);
}

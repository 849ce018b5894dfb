/* SPDX-License-Identifier: MIT */
/* The daemon's life: its state created from a configuration, each kernel
 * record decoded and handed to the dispatch (events.c), the periodic
 * expiry, the final flush. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "ev_hold.h"
#include "sink.h"
#include "record.h"
#include "events.h"
#include "xmlfmt.h"

/* Processes known at once: every live one (a busy server has a few
 * thousand) and the latest exited ones, kept for EXIT_GRACE_NS (late
 * records, DNS timeouts) unless a storm needs their slots first. About
 * 260 bytes each: 2 MB at most. */
#define CACHE_SIZE 8192
#define EXIT_GRACE_NS (30ull * 1000000000ull) /* exited processes kept */

static void set_limits(struct sm_daemon *d)
{
	size_t n;
	const struct sm_event_type *t = sm_schema_events(&n);

	memset(d->limits, 0, sizeof(d->limits));
	for (size_t e = 0; e < n; e++)
		for (unsigned f = 0; f < t[e].nfields && t[e].id < SM_MAX_EVENT_ID; f++)
			d->limits[t[e].id][f] =
				sm_config_field_size(d->cfg, t[e].id, f);
	d->hash_algs = sm_config_hash_algorithms(d->cfg);
}

int sm_daemon_init(struct sm_daemon *d, struct sm_config *cfg)
{
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	sm_sysinfo_init(&d->si);
	d->fmt = malloc(SM_FMT_BUF);
	d->pc = sm_pc_new(CACHE_SIZE);
	if (!d->fmt || !d->pc) {
		sm_daemon_fini(d);
		return -ENOMEM;
	}
	set_limits(d);
	return 0;
}

void sm_daemon_fini(struct sm_daemon *d)
{
	sm_pc_free(d->pc);
	free(d->fmt);
	sm_config_free(d->cfg);
	d->pc = NULL;
	d->fmt = NULL;
	d->cfg = NULL;
}

void sm_daemon_set_config(struct sm_daemon *d, struct sm_config *cfg)
{
	sm_config_free(d->cfg);
	d->cfg = cfg;
	set_limits(d);
}

int sm_daemon_record(struct sm_daemon *d, const void *data, size_t size)
{
	static struct sm_record r;

	if (sm_record_decode(data, size, &r) || !sm_events_dispatch(d, &r))
		d->bad_records++;
	return 0;
}

void sm_daemon_flush(struct sm_daemon *d)
{
	sm_hold_flush(d, sm_sink_filter);
	sm_net_flush(d);
}

void sm_daemon_poll(struct sm_daemon *d)
{
	sm_hold_poll(d, sm_sink_filter);
}

void sm_daemon_tick(struct sm_daemon *d)
{
	sm_pc_expire(d->pc, sm_now_mono_ns(), EXIT_GRACE_NS);
	sm_net_tick(d, sm_now_mono_ns());
}

/* SPDX-License-Identifier: MIT */
/* The daemon's life: its state created from a configuration, each kernel
 * record decoded and handed to the dispatch (events.c), the periodic
 * expiry, the final flush. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "dnspair.h"
#include "ev_hold.h"
#include "events.h"
#include "netconv.h"
#include "record.h"
#include "sink.h"
#include "xmlfmt.h"

/* Processes known at once: every live one (a busy server has a few
 * thousand) and the latest exited ones, kept for EXIT_GRACE_NS (late
 * records, DNS timeouts) unless a storm needs their slots first. About
 * 260 bytes each: 2 MB at most. */
#define CACHE_SIZE 8192
#define EXIT_GRACE_NS (30ull * 1000000000ull) /* exited processes kept */
#define PENDING_LOOKUPS 256 /* DNS queries waiting for their responses */
#define CONVERSATIONS 8192  /* UDP conversations remembered */

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

int sm_daemon_init(struct sm_daemon *d, struct sm_config *cfg,
		   const struct sm_daemon_opts *o)
{
	unsigned udp_window = o ? o->udp_window_sec : SM_UDP_WINDOW_DEFAULT_SEC;

	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	sm_sysinfo_init(&d->si);
	d->fmt = malloc(SM_FMT_BUF);
	d->scratch = malloc(SM_SCRATCH_SIZE);
	d->pc = sm_pc_new(CACHE_SIZE);
	d->dns = sm_dnspair_new(PENDING_LOOKUPS, SM_DNS_TIMEOUT_NS, sm_dns_done,
				d);
	d->udp = sm_netconv_new(CONVERSATIONS, udp_window * 1000000000ull);
	d->hold = sm_hold_new();
	if (!d->fmt || !d->scratch || !d->pc || !d->dns || !d->udp ||
	    !d->hold) {
		sm_daemon_fini(d);
		return -ENOMEM;
	}
	sm_pc_set_tick(d->pc, d->si.tick_ns);
	set_limits(d);
	return 0;
}

void sm_daemon_fini(struct sm_daemon *d)
{
	sm_hold_free(d->hold);
	sm_netconv_free(d->udp);
	sm_dnspair_free(d->dns);
	sm_pc_free(d->pc);
	free(d->scratch);
	free(d->fmt);
	sm_config_free(d->cfg);
	d->hold = NULL;
	d->udp = NULL;
	d->dns = NULL;
	d->pc = NULL;
	d->scratch = NULL;
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
	if (sm_record_decode(data, size, &d->rec) ||
	    !sm_events_dispatch(d, &d->rec))
		d->bad_records++;
	return 0;
}

/* Hashing stops and the held events are let go; DNS lookups still waiting
 * for an answer are logged now, as unanswered (the status of a timeout). */
void sm_daemon_flush(struct sm_daemon *d)
{
	sm_hold_flush(d->hold, d, sm_sink_filter);
	sm_dnspair_tick(d->dns, UINT64_MAX);
}

void sm_daemon_poll(struct sm_daemon *d)
{
	sm_hold_poll(d->hold, d, sm_sink_filter);
}

void sm_daemon_tick(struct sm_daemon *d)
{
	sm_pc_expire(d->pc, sm_now_mono_ns(), EXIT_GRACE_NS);
	sm_dnspair_tick(d->dns, sm_now_mono_ns());
}

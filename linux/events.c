/* From kernel record to log line: decode, hand to the record type's
 * handler (ev_*.c) which enriches and fills an event, filter through the
 * rules, format, write. One pass, no allocation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "events.h"
#include "log.h"
#include "output.h"
#include "record.h"
#include "recordid.h"
#include "xmlfmt.h"

/* Processes known at once: every live one (a busy server has a few
 * thousand) and the latest exited ones, kept for SM_EXIT_GRACE_NS (late
 * records, DNS timeouts) unless a storm needs their slots first. About
 * 260 bytes each: 2 MB at most. */
#define CACHE_SIZE 8192

/* One row per record type. */
static const struct {
	uint32_t type;
	sm_record_handler fn;
} handlers[] = {
	{ SM_REC_EXEC, sm_on_exec },
	{ SM_REC_EXIT, sm_on_exit },
	{ SM_REC_FILE_CREATE, sm_on_file_create },
	{ SM_REC_RAW_READ, sm_on_raw_read },
	{ SM_REC_FILE_DELETE, sm_on_file_delete },
	{ SM_REC_FILE_TIME, sm_on_file_time },
	{ SM_REC_PROC_ACCESS, sm_on_proc_access },
	{ SM_REC_BPF_PROG, sm_on_bpf_prog },
	{ SM_REC_MODULE, sm_on_module },
	{ SM_REC_NET, sm_on_net },
	{ SM_REC_DNS, sm_on_dns },
};

struct sm_str sm_cstr(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

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

void sm_daemon_log(struct sm_daemon *d, struct sm_event *ev)
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

void sm_filter_and_log(struct sm_daemon *d, struct sm_event *ev)
{
	const char *rule = NULL;

	if (!sm_config_match(d->cfg, ev, &rule))
		return;
	ev->f[0] = rule && *rule ? sm_cstr(rule) : SM_STR("-");
	sm_daemon_log(d, ev);
}

int sm_daemon_record(struct sm_daemon *d, const void *data, size_t size)
{
	static struct sm_record r;

	if (sm_record_decode(data, size, &r)) {
		d->bad_records++;
		return 0;
	}
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].type == r.type) {
			handlers[i].fn(d, &r);
			return 0;
		}
	}
	d->bad_records++;
	return 0;
}

void sm_daemon_flush(struct sm_daemon *d)
{
	sm_net_flush(d);
}

void sm_daemon_tick(struct sm_daemon *d)
{
	sm_pc_expire(d->pc, sm_now_mono_ns(), SM_EXIT_GRACE_NS);
	sm_net_tick(d, sm_now_mono_ns());
}

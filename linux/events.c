/* SPDX-License-Identifier: MIT */
/* From a decoded kernel record to its record type's handler (ev_*.c),
 * which enriches it, fills an event and hands it to the sink (sink.c). */
#include "events.h"
#include "record.h"

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

bool sm_events_dispatch(struct sm_daemon *d, const struct sm_record *r)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].type == r->type) {
			handlers[i].fn(d, r);
			return true;
		}
	}
	return false;
}

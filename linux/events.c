/* SPDX-License-Identifier: MIT */
/* From a decoded kernel record to its record type's handler (ev_*.c),
 * which enriches it, fills an event and hands it to the sink (sink.c). */
#include "events.h"
#include "record.h"

/* One row per record type of records.def: its handler, sm_on_<tag>. */
static const struct {
	uint32_t type;
	sm_record_handler fn;
} handlers[] = {
#define SM_RECORD(NAME, type, tag, ...) { SM_REC_##NAME, sm_on_##tag },
#include "records.def"
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

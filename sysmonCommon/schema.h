/* SPDX-License-Identifier: MIT */
/* The Sysmon event schema as tables, generated at build time from
 * schema/sysmonschema.xml (the single source of truth, also what `sysmon -s`
 * prints). Field index constants live in the generated sm_fields.h. */
#ifndef SM_SCHEMA_H
#define SM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SM_MAX_FIELDS 32
#define SM_SCHEMA_VERSION "4.90"

struct sm_event_type {
	uint16_t id;           /* EventID, e.g. 1 */
	uint8_t version;       /* <Version> of the System element, e.g. 5 */
	uint8_t level;         /* <Level>, 4 (2 for Error) */
	uint16_t task;         /* <Task>, equals id */
	const char *name;      /* event name, e.g. "ProcessCreate" */
	const char *rule_name; /* config element, e.g. "ProcessCreate",
				  "RegistryEvent"; NULL if never filtered */
	bool on_linux;         /* emitted on Linux */
	uint8_t nfields;
	const char *const *fields; /* EventData names, output order */
};

/* Event IDs used by code (the full list is in the generated tables). */
enum sm_event_id {
	SM_EV_PROCESS_CREATE = 1,
	SM_EV_FILE_CREATE_TIME = 2,
	SM_EV_NETWORK_CONNECT = 3,
	SM_EV_SERVICE_STATE_CHANGE = 4,
	SM_EV_PROCESS_TERMINATE = 5,
	SM_EV_CONFIG_CHANGE = 16,
	SM_EV_ERROR = 255,
};

/* NULL when the schema has no such event. */
const struct sm_event_type *sm_schema_event(unsigned id);
/* All events, in schema order; *count receives the number. */
const struct sm_event_type *sm_schema_events(size_t *count);
/* Index of a field by name (case-insensitive) or -1. */
int sm_schema_field(const struct sm_event_type *t, const char *name);

/* The schema XML, as printed by `sysmon -s`. */
extern const char sm_schema_xml[];
extern const size_t sm_schema_xml_len;

#endif

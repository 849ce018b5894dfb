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

/* Every event ID by name, SM_EV_<EVENT_NAME> (SM_EV_PROCESS_CREATE = 1,
 * SM_EV_E_BPF_EVENT = 100), generated from the schema. */
#ifndef SM_SCHEMA_GENERATOR
#include "sm_event_ids.h"
#endif

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

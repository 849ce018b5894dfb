/* SPDX-License-Identifier: MIT */
/* An enriched event: the values of one Sysmon event, field by field, in the
 * order the schema gives them. Built by linux/ from a kernel record plus the
 * process cache; read by the rule engine and the XML formatter. Pure data. */
#ifndef SM_EVENT_H
#define SM_EVENT_H

#include <stdint.h>
#include "schema.h"

/* A borrowed string: not NUL-terminated, not owned. p == NULL or len == 0
 * means "unknown" and is printed as "-". */
struct sm_str {
	const char *p;
	uint32_t len;
};

#define SM_STR(lit) ((struct sm_str){ (lit), sizeof(lit) - 1 })

struct sm_event {
	const struct sm_event_type *type;
	struct sm_str f[SM_MAX_FIELDS]; /* f[i] is the value of type->fields[i] */
};

#endif

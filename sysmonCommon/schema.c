/* SPDX-License-Identifier: MIT */
/* Lookups over the generated schema tables (see schema/gen_schema.c). */
#include <strings.h>
#include "sm_schema_tables.h"

const struct sm_event_type *sm_schema_event(unsigned id)
{
	for (size_t i = 0; i < sm_schema_table_len; i++)
		if (sm_schema_table[i].id == id)
			return &sm_schema_table[i];
	return NULL;
}

const struct sm_event_type *sm_schema_events(size_t *count)
{
	if (count)
		*count = sm_schema_table_len;
	return sm_schema_table;
}

int sm_schema_field(const struct sm_event_type *t, const char *name)
{
	if (!t || !name)
		return -1;
	for (unsigned i = 0; i < t->nfields; i++)
		if (!strcasecmp(t->fields[i], name))
			return (int)i;
	return -1;
}

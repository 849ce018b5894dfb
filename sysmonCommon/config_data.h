/* SPDX-License-Identifier: MIT */
/* What a parsed configuration holds (struct sm_config of config.h):
 * written by the parse and compile stages, read by match and dump. */
#ifndef SM_CONFIG_DATA_H
#define SM_CONFIG_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "config_arena.h"
#include "config_ast.h"
#include "rules.h"

struct sm_config {
	struct sm_arena arena;
	const char *version;         /* schemaversion as written */
	uint16_t vmajor, vminor;     /* normalised like the reference (%.2f) */
	unsigned hashes;             /* enum sm_hash_alg bits */
	bool dns_lookup;             /* <DnsLookup>true</DnsLookup> */
	uint32_t *field_sizes;       /* [type index * SM_MAX_FIELDS + field] */
	struct sm_ast_event *events; /* dump order after compile */
	size_t nevents;
	struct sm_type_rules *types; /* [sm_schema_table_len] */
	int16_t type_by_id[256];     /* table index, -1 */
};

#endif

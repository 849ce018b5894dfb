/* SPDX-License-Identifier: MIT */
/* Public configuration API (config.h): build, query and free a config.
 * Reading one runs in stages, each calling only the ones below it:
 *   config_input.c    bytes (UTF-8/UTF-16/declared 8-bit) -> libxml2 tree
 *   config_parse.c    libxml2 tree -> AST (config_ast.h), with
 *   config_options.c  schemaversion and the top-level options
 *   rules_compile.c   AST -> per-event-type entries (rules.h), with
 *   rules_cond.c      the 16 conditions: compile a value, match a field
 *   rules_index.c     lookup tables for fields with many filters
 * and every stage reports failures through config_stage.c. Then
 * rules_match.c (sm_config_match) and dump.c (the `sysmon -c` text) read
 * the result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "config_data.h"
#include "config_input.h"
#include "config_parse.h"
#include "rules_compile.h"
#include "sm_schema_tables.h"

static struct sm_config *sm_config_new(void)
{
	struct sm_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->types = sm_arena_alloc(&cfg->arena,
				    sizeof(*cfg->types) * sm_schema_table_len);
	if (!cfg->types) {
		free(cfg);
		return NULL;
	}
	for (size_t i = 0; i < 256; i++)
		cfg->type_by_id[i] = -1;
	for (size_t i = 0; i < sm_schema_table_len; i++)
		if (sm_schema_table[i].id < 256)
			cfg->type_by_id[sm_schema_table[i].id] = (int16_t)i;
	cfg->version = SM_SCHEMA_VERSION;
	cfg->vmajor = 4;
	cfg->vminor = 90;
	cfg->hashes = SM_HASH_SHA256;
	return cfg;
}

int sm_config_parse(const char *buf, size_t len, const char *filename,
		    struct sm_config **out, struct sm_config_error *err)
{
	struct sm_config_error local;
	struct sm_parse ps = { 0 };
	xmlDoc *doc = NULL;
	int ret;

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	ps.err = err;
	ps.file = filename ? filename : "(config)";
	if (!out || (!buf && len))
		return sm_fail(&ps, 0, -EINVAL, "Invalid arguments");
	*out = NULL;
	ps.cfg = sm_config_new();
	if (!ps.cfg)
		return sm_fail(&ps, 0, -ENOMEM, "Out of memory");
	ret = sm_xml_load(&ps, buf ? buf : "", len, &doc);
	if (!ret)
		ret = sm_parse_doc(&ps, doc);
	if (!ret)
		ret = sm_rules_compile(&ps);
	if (doc)
		xmlFreeDoc(doc);
	if (ret) {
		sm_config_free(ps.cfg);
		return ret;
	}
	*out = ps.cfg;
	return 0;
}

int sm_config_default(struct sm_config **out)
{
	if (!out)
		return -EINVAL;
	*out = sm_config_new();
	return *out ? 0 : -ENOMEM;
}

void sm_config_free(struct sm_config *cfg)
{
	if (!cfg)
		return;
	sm_arena_free(&cfg->arena);
	free(cfg);
}

unsigned sm_config_hash_algorithms(const struct sm_config *cfg)
{
	return cfg ? cfg->hashes : SM_HASH_SHA256;
}

unsigned sm_config_field_size(const struct sm_config *cfg, unsigned event_id,
			      unsigned field_index)
{
	int t;

	if (!cfg || !cfg->field_sizes || event_id > 255 ||
	    field_index >= SM_MAX_FIELDS)
		return 0;
	t = cfg->type_by_id[event_id];
	if (t < 0)
		return 0;
	return cfg->field_sizes[(size_t)t * SM_MAX_FIELDS + field_index];
}

bool sm_config_dns_lookup(const struct sm_config *cfg)
{
	return cfg && cfg->dns_lookup;
}

const char *sm_config_schema_version(const struct sm_config *cfg)
{
	return cfg ? cfg->version : SM_SCHEMA_VERSION;
}

/* Public configuration API (config.h): build, query and free a config. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "config_internal.h"

int sm_fail(struct sm_parse *ps, int line, int errnum, const char *fmt, ...)
{
	va_list ap;

	ps->err->line = line;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return errnum;
}

size_t sm_series(const char *elem, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sm_schema_table_len && n < max; i++) {
		const char *r = sm_schema_table[i].rule_name;

		if (r && !strcmp(r, elem))
			idx[n++] = i;
	}
	return n;
}

struct sm_config *sm_config_new(void)
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

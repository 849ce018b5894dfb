/* SPDX-License-Identifier: MIT */
/* schemaversion and the options under <Sysmon>: HashAlgorithms, FieldSizes
 * and DnsLookup are used; the other options of the manifest are accepted and
 * ignored, except those the reference refuses on Linux ("Option not
 * implemented on Linux.": target="windows" in the manifest), unless their
 * value disables them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "config_data.h"
#include "config_input.h"
#include "config_options.h"
#include "sm_schema_tables.h"

#define SM_MIN_SCHEMA_MAJOR 4 /* oldest schemaversion accepted: 4.00 */
#define SM_MAX_SCHEMA_MAJOR 4 /* newest: this binary's, SM_SCHEMA_VERSION */
#define SM_MAX_SCHEMA_MINOR 90

/* The reference reads the number with std::stod, prints it with "%.2f" and
 * keeps major.minor of that text: "4.5" is 4.50, "4.905" is 4.90. It must
 * be a plain decimal number here (stod would also take "4.5abc" or hex). */
static bool decimal(const char *s)
{
	size_t i = strspn(s, " \t\r\n"), d = strspn(s + i, "0123456789");

	if (!d)
		return false;
	i += d;
	if (s[i] == '.') {
		d = strspn(s + i + 1, "0123456789");
		if (!d)
			return false;
		i += 1 + d;
	}
	return s[i + strspn(s + i, " \t\r\n")] == 0;
}

static bool normalise(const char *s, unsigned long *major, unsigned long *minor)
{
	char tmp[64], *dot, *end;
	double v = strtod(s, NULL);

	if (!(v >= 1.0 && v < 65536.0))
		return false;
	snprintf(tmp, sizeof(tmp), "%.2f", v);
	dot = strchr(tmp, '.');
	if (!dot)
		return false;
	*dot = 0;
	*major = strtoul(tmp, &end, 10);
	*minor = strtoul(dot + 1, NULL, 10);
	return *major >= 1 && *major <= 0xffff;
}

int sm_parse_version(struct sm_parse *ps, const char *s, int line)
{
	struct sm_config *cfg = ps->cfg;
	unsigned long major, minor;

	if (!s || !decimal(s) || !normalise(s, &major, &minor))
		return sm_fail(ps, line, -EINVAL,
			       "Invalid schema version number (%s) for configuration: %s",
			       s ? s : "", ps->file);
	if (major < SM_MIN_SCHEMA_MAJOR ||
	    major * 100 + minor > SM_MAX_SCHEMA_MAJOR * 100 + SM_MAX_SCHEMA_MINOR)
		return sm_fail(ps, line, -EINVAL,
			       "Incorrect or unsupported schema version %lu.%02lu. "
			       "Current Sysmon schema version %s", major, minor,
			       SM_SCHEMA_VERSION);
	cfg->vmajor = (uint16_t)major;
	cfg->vminor = (uint16_t)minor;
	cfg->version = s;
	return 0;
}

/* Split `s` at `sep`, trimming blanks; calls fn for each non-empty item. */
static int each_item(struct sm_parse *ps, char *s, char sep, int line,
		     int (*fn)(struct sm_parse *, char *, int))
{
	char *next;

	for (; s; s = next) {
		char *end;
		int ret;

		next = strchr(s, sep);
		if (next)
			*next++ = 0;
		s += strspn(s, " \t\r\n");
		end = s + strlen(s);
		while (end > s && strchr(" \t\r\n", end[-1]))
			*--end = 0;
		if (!*s)
			continue;
		ret = fn(ps, s, line);
		if (ret)
			return ret;
	}
	return 0;
}

static int hash_item(struct sm_parse *ps, char *s, int line)
{
	static const struct { const char *name; unsigned bit; } algs[] = {
		{ "SHA1", SM_HASH_SHA1 }, { "MD5", SM_HASH_MD5 },
		{ "SHA256", SM_HASH_SHA256 }, { "IMPHASH", SM_HASH_IMPHASH },
		{ "*", SM_HASH_SHA1 | SM_HASH_MD5 | SM_HASH_SHA256 | SM_HASH_IMPHASH },
	};

	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (!strcasecmp(s, algs[i].name)) {
			ps->cfg->hashes |= algs[i].bit;
			return 0;
		}
	}
	return sm_fail(ps, line, -EINVAL,
		       "Invalid hash algorithm '%s' in HashAlgorithms "
		       "(expected SHA1, MD5, SHA256, IMPHASH or *)", s);
}

static int hashes(struct sm_parse *ps, char *value, int line)
{
	int ret;

	ps->cfg->hashes = 0;
	ret = each_item(ps, value, ',', line, hash_item);
	if (!ret && !ps->cfg->hashes)
		ps->cfg->hashes = SM_HASH_SHA256;
	return ret;
}

/* Apply a limit to every event type that has the field; 0 if none has. */
static unsigned set_size(struct sm_config *cfg, const char *field, unsigned long n)
{
	unsigned hits = 0;

	for (size_t t = 0; t < sm_schema_table_len; t++) {
		const struct sm_event_type *e = &sm_schema_table[t];

		for (unsigned k = 0; k < e->nfields; k++) {
			if (strcmp(e->fields[k], field))
				continue;
			cfg->field_sizes[t * SM_MAX_FIELDS + k] = (uint32_t)n;
			hits++;
		}
	}
	return hits;
}

static int size_item(struct sm_parse *ps, char *s, int line)
{
	char *colon = strchr(s, ':'), *num, *end;
	unsigned long n;

	if (!colon)
		goto bad;
	*colon = 0;
	num = colon + 1 + strspn(colon + 1, " \t");
	for (end = colon; end > s && strchr(" \t", end[-1]); end--)
		end[-1] = 0;
	if (!*s || !*num || strspn(num, "0123456789") != strlen(num) ||
	    strlen(num) > 9 || !(n = strtoul(num, NULL, 10)))
		goto bad;
	if (!set_size(ps->cfg, s, n))
		return sm_fail(ps, line, -EINVAL, "Unknown field '%s' in FieldSizes", s);
	return 0;
bad:
	if (colon)
		*colon = ':';
	return sm_fail(ps, line, -EINVAL,
		       "Invalid FieldSizes entry '%s' (expected Field:Size, Size > 0)", s);
}

static int field_sizes(struct sm_parse *ps, char *value, int line)
{
	struct sm_config *cfg = ps->cfg;

	if (!cfg->field_sizes) {
		cfg->field_sizes = sm_arena_alloc(&cfg->arena, sizeof(uint32_t) *
						  SM_MAX_FIELDS * sm_schema_table_len);
		if (!cfg->field_sizes)
			return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	}
	memset(cfg->field_sizes, 0, sizeof(uint32_t) * SM_MAX_FIELDS * sm_schema_table_len);
	return each_item(ps, value, ',', line, size_item);
}

/* The manifest option a config element names: <Name>, or <NameConfig>
 * for rule options marked forceconfig. */
static const struct sm_schema_option *find_option(const char *elem)
{
	size_t len = strlen(elem);

	for (size_t i = 0; i < sm_schema_options_len; i++) {
		const struct sm_schema_option *o = &sm_schema_options[i];
		size_t n = strlen(o->name);

		if (o->noconfig)
			continue;
		if (!o->rule && !strcmp(elem, o->name))
			return o;
		if (o->rule && o->forceconfig && len == n + 6 &&
		    !strncmp(elem, o->name, n) && !strcmp(elem + n, "Config"))
			return o;
	}
	return NULL;
}

static bool disabled(const char *v)
{
	return !strcasecmp(v, "false") || !strcmp(v, "0") ||
	       !strcasecmp(v, "NULL") || !strcasecmp(v, "disabled");
}

static bool enabled(const char *v)
{
	return !strcasecmp(v, "true") || !strcmp(v, "1") ||
	       !strcasecmp(v, "enabled") || !strcasecmp(v, "yes");
}

/* <DnsLookup>true|false</DnsLookup>: off unless it says true. */
static int dns_lookup(struct sm_parse *ps, char *value, int line)
{
	size_t len;

	value += strspn(value, " \t\r\n");
	len = strlen(value);
	while (len && strchr(" \t\r\n", value[len - 1]))
		value[--len] = 0;
	if (!*value || disabled(value) || !strcasecmp(value, "no")) {
		ps->cfg->dns_lookup = false;
		return 0;
	}
	if (enabled(value)) {
		ps->cfg->dns_lookup = true;
		return 0;
	}
	return sm_fail(ps, line, -EINVAL,
		       "Incorrect value '%s' for node 'DnsLookup' (expected true or false)",
		       value);
}

int sm_parse_option(struct sm_parse *ps, xmlNode *n)
{
	const struct sm_schema_option *o = find_option((const char *)n->name);
	int line = sm_node_line(ps, n);
	const char *text;
	char *value;
	size_t len;
	int ret;

	if (!o)
		return sm_fail(ps, line, -EINVAL, "Unknown element <%s> in <Sysmon>",
			       (const char *)n->name);
	if (n->properties)
		return sm_fail(ps, line, -EINVAL, "Unknown attribute %s on <%s>",
			       (const char *)n->properties->name, o->name);
	ret = sm_node_text(ps, n, &text, &len);
	if (ret)
		return ret;
	value = (char *)text; /* arena copy, ours to split */
	if (!strcmp(o->name, "HashAlgorithms"))
		return hashes(ps, value, line);
	if (!strcmp(o->name, "FieldSizes"))
		return field_sizes(ps, value, line);
	if (!strcmp(o->name, "DnsLookup"))
		return dns_lookup(ps, value, line);
	if (!o->on_linux && !(o->arg == SM_OPT_ARG_NONE && disabled(value)) &&
	    !ps->unsupported) {
		ps->unsupported = o->name;
		ps->unsupported_line = line;
	}
	return 0;
}

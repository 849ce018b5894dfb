/* SPDX-License-Identifier: MIT */
/* Build-time generator: schema/sysmonschema.xml -> C tables.
 *
 *   gen_schema SCHEMA.xml OUTDIR
 *
 * writes OUTDIR/sm_schema.c (event table, option table, the manifest text
 * as printed by `sysmon -s`), OUTDIR/sm_fields.h (field index constants
 * SM_<EVENT>_<FIELD>), OUTDIR/sm_event_ids.h (SM_EV_<EVENT_NAME>, the
 * event IDs, for schema.h) and OUTDIR/sm_schema_tables.h (declarations of
 * the raw tables for sysmonCommon's own use).
 *
 * The manifest may carry `target="all|linux|windows"` on events and options
 * (where the event is emitted / the option works). Like the reference's
 * `sysmon -s`, the printed text leaves these attributes out.
 *
 * A host tool: it may print and exit, unlike sysmonCommon. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#define SM_SCHEMA_GENERATOR /* schema.h without what this program writes */
#include "schema.h"

#define MAX_EVENTS 64
#define MAX_OPTIONS 64

struct gen_event {
	xmlNode *node;
	char *name, *rule, *tmpl, *target, *def, *value, *vers, *lvl;
	unsigned id, version, level;
	bool rule_include;
	unsigned nfields;
	char *fields[SM_MAX_FIELDS];
};

struct gen_option {
	char *name, *sw, *arg, *target;
	char *flags[3]; /* noconfig, rule, forceconfig as written */
	bool noconfig, rule, forceconfig;
};

struct gen {
	const char *path;
	char *text;
	size_t text_len;
	char *filters;
	size_t nevents, noptions;
	struct gen_event ev[MAX_EVENTS];
	struct gen_option opt[MAX_OPTIONS];
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("gen_schema: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static char *prop(xmlNode *n, const char *name, bool required)
{
	char *v = (char *)xmlGetProp(n, (const xmlChar *)name);

	if (!v && required)
		die("line %ld: <%s> lacks %s=", xmlGetLineNo(n), n->name, name);
	return v;
}

static bool is_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static unsigned level_of(const char *s)
{
	static const char *const names[] = { "", "Critical", "Error", "Warning",
					     "Informational", "Verbose" };

	for (unsigned i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return i;
	die("unknown level '%s'", s);
	return 0;
}

static unsigned number(const char *s, unsigned max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > max)
		die("bad number '%s'", s);
	return (unsigned)v;
}

static void read_field(struct gen_event *e, xmlNode *d)
{
	char *name = prop(d, "name", true);

	if (!is_ident(name))
		die("%s: field '%s' is not an identifier", e->name, name);
	for (unsigned i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i], name))
			die("%s: field %s twice", e->name, name);
	if (e->nfields == SM_MAX_FIELDS)
		die("%s: more than %d fields", e->name, SM_MAX_FIELDS);
	e->fields[e->nfields++] = name;
}

static void read_event(struct gen *g, xmlNode *n)
{
	struct gen_event *e;

	if (g->nevents == MAX_EVENTS)
		die("too many events");
	e = &g->ev[g->nevents++];
	e->node = n;
	e->name = prop(n, "name", true);
	if (!is_ident(e->name))
		die("event name '%s' is not an identifier", e->name);
	e->value = prop(n, "value", true);
	e->id = number(e->value, 0xffff);
	e->vers = prop(n, "version", true);
	e->version = number(e->vers, 255);
	e->lvl = prop(n, "level", true);
	e->level = level_of(e->lvl);
	e->tmpl = prop(n, "template", true);
	e->rule = prop(n, "rulename", false);
	e->target = prop(n, "target", false);
	e->def = prop(n, "ruledefault", false);
	e->rule_include = e->def && !strcmp(e->def, "include");
	for (xmlNode *d = n->children; d; d = d->next)
		if (d->type == XML_ELEMENT_NODE && !strcmp((char *)d->name, "data"))
			read_field(e, d);
	for (size_t i = 0; i + 1 < g->nevents; i++)
		if (g->ev[i].id == e->id || !strcmp(g->ev[i].name, e->name))
			die("event %s/%u defined twice", e->name, e->id);
}

static void read_option(struct gen *g, xmlNode *n)
{
	struct gen_option *o;

	if (g->noptions == MAX_OPTIONS)
		die("too many options");
	o = &g->opt[g->noptions++];
	o->name = prop(n, "name", true);
	o->sw = prop(n, "switch", false);
	o->arg = prop(n, "argument", false);
	o->target = prop(n, "target", false);
	o->flags[0] = prop(n, "noconfig", false);
	o->flags[1] = prop(n, "rule", false);
	o->flags[2] = prop(n, "forceconfig", false);
	o->noconfig = o->flags[0] && !strcmp(o->flags[0], "true");
	o->rule = o->flags[1] && !strcmp(o->flags[1], "true");
	o->forceconfig = o->flags[2] && !strcmp(o->flags[2], "true");
}

/* Depth-first walk collecting <event>, <option> and <filters>. */
static void walk(struct gen *g, xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((char *)n->name, "event")) {
			read_event(g, n);
			continue;
		}
		if (!strcmp((char *)n->name, "option"))
			read_option(g, n);
		else if (!strcmp((char *)n->name, "filters"))
			g->filters = (char *)xmlNodeGetContent(n);
		walk(g, n->children);
	}
}

static void read_text(struct gen *g)
{
	FILE *f = fopen(g->path, "rb");
	long len = 0;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("%s: %s", g->path, strerror(errno));
	g->text = malloc((size_t)len + 1);
	if (!g->text || fread(g->text, 1, (size_t)len, f) != (size_t)len)
		die("%s: read failed", g->path);
	g->text[len] = 0;
	g->text_len = (size_t)len;
	fclose(f);
}

/* Remove every ` target="..."` attribute from the printed manifest. */
static void strip_targets(struct gen *g)
{
	static const char key[] = " target=\"";
	char *out = g->text, *in = g->text, *hit;

	while ((hit = strstr(in, key))) {
		char *end = strchr(hit + sizeof(key) - 1, '"');

		if (!end)
			die("unterminated target attribute");
		memmove(out, in, (size_t)(hit - in));
		out += hit - in;
		in = end + 1;
	}
	memmove(out, in, strlen(in) + 1);
	g->text_len = strlen(g->text);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fputs("/* Generated by schema/gen_schema.c from schema/sysmonschema.xml."
	      " Do not edit. */\n", f);
	return f;
}

static void upper(char *dst, const char *src)
{
	while (*src)
		*dst++ = (char)toupper((unsigned char)*src++);
	*dst = 0;
}

static void emit_fields_h(const struct gen *g, const char *dir)
{
	FILE *f = open_out(dir, "sm_fields.h");
	char ev[128], fl[128];

	fputs("#ifndef SM_FIELDS_H\n#define SM_FIELDS_H\n", f);
	for (size_t i = 0; i < g->nevents; i++) {
		const struct gen_event *e = &g->ev[i];

		upper(ev, e->name);
		fprintf(f, "\n/* %u %s */\nenum {\n", e->id, e->name);
		for (unsigned k = 0; k < e->nfields; k++) {
			upper(fl, e->fields[k]);
			fprintf(f, "\tSM_%s_%s = %u,\n", ev, fl, k);
		}
		fprintf(f, "\tSM_%s_NFIELDS = %u,\n};\n", ev, e->nfields);
	}
	fputs("\n#endif\n", f);
	fclose(f);
}

/* "eBPFEvent" -> "E_BPF_EVENT": a '_' where a lower-case letter or digit
 * meets an upper-case one, and before the last capital of an acronym that
 * starts a word. */
static void upper_snake(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (size_t i = 0; src[i] && n + 2 < cap; i++) {
		bool up = isupper((unsigned char)src[i]);
		bool prev_low = i && (islower((unsigned char)src[i - 1]) ||
				      isdigit((unsigned char)src[i - 1]));
		bool acronym_end = i && isupper((unsigned char)src[i - 1]) &&
				   islower((unsigned char)src[i + 1]);

		if (up && (prev_low || acronym_end))
			dst[n++] = '_';
		dst[n++] = (char)toupper((unsigned char)src[i]);
	}
	dst[n] = 0;
}

static void emit_event_ids_h(const struct gen *g, const char *dir)
{
	FILE *f = open_out(dir, "sm_event_ids.h");
	char name[160];

	fputs("#ifndef SM_EVENT_IDS_H\n#define SM_EVENT_IDS_H\n\n"
	      "/* Every event ID of the schema, by its name. */\n"
	      "enum sm_event_id {\n",
	      f);
	for (size_t i = 0; i < g->nevents; i++) {
		upper_snake(name, sizeof(name), g->ev[i].name);
		fprintf(f, "\tSM_EV_%s = %u,\n", name, g->ev[i].id);
	}
	fputs("};\n\n#endif\n", f);
	fclose(f);
}

static void emit_tables_h(const char *dir)
{
	FILE *f = open_out(dir, "sm_schema_tables.h");

	fputs("#ifndef SM_SCHEMA_TABLES_H\n#define SM_SCHEMA_TABLES_H\n"
	      "#include \"schema.h\"\n\n"
	      "enum sm_opt_arg { SM_OPT_ARG_NONE, SM_OPT_ARG_OPTIONAL,"
	      " SM_OPT_ARG_REQUIRED };\n\n"
	      "/* One <option> of the manifest. */\n"
	      "struct sm_schema_option {\n"
	      "\tconst char *name;\n\tconst char *sw;      /* switch or NULL */\n"
	      "\tuint8_t arg;          /* enum sm_opt_arg */\n"
	      "\tbool noconfig;        /* command line only */\n"
	      "\tbool rule;            /* a rule shortcut (-n ...) */\n"
	      "\tbool forceconfig;     /* rule option usable as <NameConfig> */\n"
	      "\tbool on_linux;        /* not target=\"windows\" */\n};\n\n"
	      "extern const struct sm_event_type sm_schema_table[];\n"
	      "extern const size_t sm_schema_table_len;\n"
	      "extern const bool sm_schema_rule_include[]; /* ruledefault */\n"
	      "extern const struct sm_schema_option sm_schema_options[];\n"
	      "extern const size_t sm_schema_options_len;\n"
	      "extern const char sm_schema_filters[]; /* <filters> text */\n"
	      "\n#endif\n", f);
	fclose(f);
}

static void emit_cstring(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs(i + 1 < len ? "\\n\"\n\t\"" : "\\n", f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void emit_events(const struct gen *g, FILE *f)
{
	for (size_t i = 0; i < g->nevents; i++) {
		const struct gen_event *e = &g->ev[i];

		fprintf(f, "static const char *const fields_%s[] = {\n", e->name);
		for (unsigned k = 0; k < e->nfields; k++)
			fprintf(f, "\t\"%s\",\n", e->fields[k]);
		fputs("};\n", f);
	}
	fputs("\nconst struct sm_event_type sm_schema_table[] = {\n", f);
	for (size_t i = 0; i < g->nevents; i++) {
		const struct gen_event *e = &g->ev[i];
		bool linux_ok = !e->target || strcmp(e->target, "windows");

		fprintf(f, "\t{ %u, %u, %u, %u, \"%s\", ", e->id, e->version,
			e->level, e->id, e->name);
		if (e->rule)
			fprintf(f, "\"%s\", ", e->rule);
		else
			fputs("NULL, ", f);
		fprintf(f, "%s, %u, fields_%s },\n", linux_ok ? "true" : "false",
			e->nfields, e->name);
	}
	fprintf(f, "};\nconst size_t sm_schema_table_len = %zu;\n\n", g->nevents);
	fputs("const bool sm_schema_rule_include[] = {", f);
	for (size_t i = 0; i < g->nevents; i++)
		fprintf(f, "%s%s", i ? ", " : " ",
			g->ev[i].rule_include ? "true" : "false");
	fputs(" };\n\n", f);
}

static void emit_options(const struct gen *g, FILE *f)
{
	fputs("const struct sm_schema_option sm_schema_options[] = {\n", f);
	for (size_t i = 0; i < g->noptions; i++) {
		const struct gen_option *o = &g->opt[i];
		const char *arg = "SM_OPT_ARG_NONE";

		if (o->arg && !strcmp(o->arg, "optional"))
			arg = "SM_OPT_ARG_OPTIONAL";
		else if (o->arg && !strcmp(o->arg, "required"))
			arg = "SM_OPT_ARG_REQUIRED";
		fprintf(f, "\t{ \"%s\", ", o->name);
		if (o->sw)
			fprintf(f, "\"%s\", ", o->sw);
		else
			fputs("NULL, ", f);
		fprintf(f, "%s, %s, %s, %s, %s },\n", arg,
			o->noconfig ? "true" : "false", o->rule ? "true" : "false",
			o->forceconfig ? "true" : "false",
			o->target && !strcmp(o->target, "windows") ? "false" : "true");
	}
	fprintf(f, "};\nconst size_t sm_schema_options_len = %zu;\n\n",
		g->noptions);
	fputs("const char sm_schema_filters[] = ", f);
	emit_cstring(f, g->filters, strlen(g->filters));
	fputs(";\n\n", f);
}

static void emit_schema_c(const struct gen *g, const char *dir)
{
	FILE *f = open_out(dir, "sm_schema.c");

	fputs("#include \"sm_schema_tables.h\"\n\n", f);
	emit_events(g, f);
	emit_options(g, f);
	fputs("const char sm_schema_xml[] =\n\t", f);
	emit_cstring(f, g->text, g->text_len);
	fprintf(f, ";\nconst size_t sm_schema_xml_len = %zu;\n", g->text_len);
	fclose(f);
}

/* Everything is freed so that sanitizer builds (leak checks) stay quiet. */
static void release(struct gen *g, xmlDoc *doc)
{
	for (size_t i = 0; i < g->nevents; i++) {
		struct gen_event *e = &g->ev[i];

		xmlFree(e->name);
		xmlFree(e->rule);
		xmlFree(e->tmpl);
		xmlFree(e->target);
		xmlFree(e->def);
		xmlFree(e->value);
		xmlFree(e->vers);
		xmlFree(e->lvl);
		for (unsigned k = 0; k < e->nfields; k++)
			xmlFree(e->fields[k]);
	}
	for (size_t i = 0; i < g->noptions; i++) {
		struct gen_option *o = &g->opt[i];

		xmlFree(o->name);
		xmlFree(o->sw);
		xmlFree(o->arg);
		xmlFree(o->target);
		xmlFree(o->flags[0]);
		xmlFree(o->flags[1]);
		xmlFree(o->flags[2]);
	}
	xmlFree(g->filters);
	free(g->text);
	xmlFreeDoc(doc);
}

int main(int argc, char **argv)
{
	static struct gen g;
	xmlDoc *doc;

	if (argc != 3)
		die("usage: gen_schema SCHEMA.xml OUTDIR");
	g.path = argv[1];
	doc = xmlReadFile(g.path, NULL, XML_PARSE_NONET);
	if (!doc)
		die("%s: not well-formed", g.path);
	walk(&g, xmlDocGetRootElement(doc));
	if (!g.nevents || !g.filters)
		die("%s: no <event> or no <filters>", g.path);
	read_text(&g);
	strip_targets(&g);
	emit_fields_h(&g, argv[2]);
	emit_event_ids_h(&g, argv[2]);
	emit_tables_h(argv[2]);
	emit_schema_c(&g, argv[2]);
	release(&g, doc);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* libxml2 tree -> AST. Enforces the shape the reference's DTD enforces:
 *
 *   <Sysmon schemaversion=..>            options and <EventFiltering>
 *     <EventFiltering>                   <RuleGroup> and event elements
 *       <RuleGroup name=.. groupRelation=and|or>   event elements
 *         <ProcessCreate onmatch=include|exclude>  <Rule> and fields
 *           <Rule name=.. groupRelation=and|or>    fields
 *             <Image condition=.. name=..>value</Image>
 *
 * Element and attribute names are case-sensitive (as with a DTD); the
 * values of onmatch, groupRelation and condition are not. Anything else is
 * an error with its line; nothing is silently dropped. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "config_data.h"
#include "config_input.h"
#include "config_options.h"
#include "config_parse.h"
#include "sm_schema_tables.h"

#define SM_RULE_NAME_MAX 255 /* bytes, as the reference */

static const char *name_of(const xmlNode *n)
{
	return (const char *)n->name;
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

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Children that are neither elements nor blank text are errors. */
static int check_other(struct sm_parse *ps, const xmlNode *parent, const xmlNode *c)
{
	const char *text = c->content ? (const char *)c->content : "";

	if (c->type == XML_TEXT_NODE && blank(text))
		return 0;
	if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
		return 0;
	text += strspn(text, " \t\r\n");
	return sm_fail(ps, sm_node_line(ps, c), -EINVAL,
		       "Unexpected text in <%s>: '%.*s'", name_of(parent),
		       (int)strcspn(text, "\r\n") < 40 ? (int)strcspn(text, "\r\n") : 40,
		       text);
}

/* Only the attributes in `allowed` (NULL-terminated) may appear. */
static int check_attrs(struct sm_parse *ps, const xmlNode *n,
		       const char *const *allowed)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		size_t i = 0;

		while (allowed[i] && strcmp(allowed[i], (const char *)a->name))
			i++;
		if (!allowed[i])
			return sm_fail(ps, sm_node_line(ps, n), -EINVAL,
				       "Unknown attribute %s on <%s>",
				       (const char *)a->name, name_of(n));
	}
	return 0;
}

/* An attribute's value copied into the arena; NULL when absent. */
static int attr(struct sm_parse *ps, const xmlNode *n, const char *name,
		const char **out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);

	*out = NULL;
	if (!v)
		return 0;
	*out = sm_arena_strndup(&ps->cfg->arena, (const char *)v,
				strlen((const char *)v));
	xmlFree(v);
	return *out ? 0 : sm_fail(ps, 0, -ENOMEM, "Out of memory");
}

static int relation(struct sm_parse *ps, const xmlNode *n, uint8_t *rel)
{
	const char *v;
	int ret = attr(ps, n, "groupRelation", &v);

	if (ret || !v)
		return ret;
	if (!strcasecmp(v, "and"))
		*rel = SM_REL_AND;
	else if (!strcasecmp(v, "or"))
		*rel = SM_REL_OR;
	else
		return sm_fail(ps, sm_node_line(ps, n), -EINVAL,
			       "Value \"%s\" for attribute groupRelation of %s is "
			       "not among the enumerated set (and, or)", v,
			       name_of(n));
	return 0;
}

/* The schema's spelling of `field` if one of the event's types has it. */
static const char *series_field(const struct sm_ast_event *ev, const char *field)
{
	size_t idx[SM_SERIES_MAX], n = sm_series(ev->elem, idx, SM_SERIES_MAX);

	for (size_t i = 0; i < n; i++) {
		const struct sm_event_type *t = &sm_schema_table[idx[i]];

		for (unsigned k = 0; k < t->nfields; k++)
			if (!strcmp(t->fields[k], field))
				return t->fields[k];
	}
	return NULL;
}

static int check_name(struct sm_parse *ps, const xmlNode *n, const char *name)
{
	if (name && strlen(name) > SM_RULE_NAME_MAX)
		return sm_fail(ps, sm_node_line(ps, n), -EINVAL,
			       "Rule name is larger than %d characters: %s",
			       SM_RULE_NAME_MAX, name);
	return 0;
}

/* One field element. `inherited` is the name a filter without its own
 * name= gets (its Rule's, else its RuleGroup's). */
static int parse_filter(struct sm_parse *ps, struct sm_ast_event *ev,
			xmlNode *n, uint32_t rule, const char *inherited)
{
	static const char *const allowed[] = { "condition", "name", NULL };
	struct sm_ast_filter *f = &ev->filters[ev->nfilters];
	const char *cond, *own;
	size_t len;
	int c, ret;

	f->field = series_field(ev, name_of(n));
	if (!f->field)
		return sm_fail(ps, sm_node_line(ps, n), -EINVAL,
			       "Incorrect field %s (not a field of %s)",
			       name_of(n), ev->elem);
	ret = check_attrs(ps, n, allowed);
	ret = ret ? ret : attr(ps, n, "condition", &cond);
	ret = ret ? ret : attr(ps, n, "name", &own);
	ret = ret ? ret : sm_node_text(ps, n, &f->value, &len);
	if (ret)
		return ret;
	c = sm_cond_lookup(cond);
	if (c < 0)
		return sm_fail(ps, sm_node_line(ps, n), -EINVAL,
			       "Unknown condition: %s\nExpected values are %s",
			       cond, sm_cond_list());
	f->name = own ? own : inherited;
	f->vlen = (uint32_t)len;
	f->cond = (uint8_t)c;
	f->rule = rule;
	f->line = sm_node_line(ps, n);
	ev->nfilters++;
	return check_name(ps, n, f->name);
}

static int parse_rule(struct sm_parse *ps, struct sm_ast_event *ev, xmlNode *n,
		      const char *group_name)
{
	static const char *const allowed[] = { "name", "groupRelation", NULL };
	struct sm_ast_rule *r = &ev->rules[ev->nrules++];
	int ret = check_attrs(ps, n, allowed);

	ret = ret ? ret : attr(ps, n, "name", &r->name);
	ret = ret ? ret : relation(ps, n, &r->rel);
	if (ret)
		return ret;
	r->first = ev->nfilters;
	r->line = sm_node_line(ps, n);
	for (xmlNode *c = n->children; c && !ret; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			ret = check_other(ps, n, c);
		else if (!strcmp(name_of(c), "Rule"))
			ret = sm_fail(ps, sm_node_line(ps, c), -EINVAL,
				      "<Rule> cannot contain another <Rule>");
		else
			ret = parse_filter(ps, ev, c, ev->nrules,
					   r->name ? r->name : group_name);
	}
	return ret;
}

/* onmatch="include|exclude", or the older default="exclude|include". */
static int onmatch(struct sm_parse *ps, struct sm_ast_event *ev, const xmlNode *n)
{
	const char *m, *d;
	int ret = attr(ps, n, "onmatch", &m);

	ret = ret ? ret : attr(ps, n, "default", &d);
	if (ret)
		return ret;
	if (m && d)
		return sm_fail(ps, ev->line, -EINVAL,
			       "Can't specify onmatch and default on %s (pick only one)",
			       ev->elem);
	if (!m && !d)
		return sm_fail(ps, ev->line, -EINVAL,
			       "You need to specify the onmatch attribute on %s.",
			       ev->elem);
	if (m && (!strcasecmp(m, "include") || !strcasecmp(m, "exclude"))) {
		ev->include = !strcasecmp(m, "include");
		return 0;
	}
	if (d && (!strcasecmp(d, "include") || !strcasecmp(d, "exclude"))) {
		ev->include = !strcasecmp(d, "exclude");
		return 0;
	}
	return sm_fail(ps, ev->line, -EINVAL,
		       "Value \"%s\" for attribute %s of %s is not among the "
		       "enumerated set (include, exclude)", m ? m : d,
		       m ? "onmatch" : "default", ev->elem);
}

static int alloc_children(struct sm_parse *ps, struct sm_ast_event *ev,
			  const xmlNode *n)
{
	uint32_t filters = 0, rules = 0;

	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name_of(c), "Rule")) {
			filters++;
			continue;
		}
		rules++;
		for (const xmlNode *g = c->children; g; g = g->next)
			filters += g->type == XML_ELEMENT_NODE;
	}
	ev->filters = sm_arena_alloc(&ps->cfg->arena, sizeof(*ev->filters) * filters);
	ev->rules = sm_arena_alloc(&ps->cfg->arena, sizeof(*ev->rules) * rules);
	if ((filters && !ev->filters) || (rules && !ev->rules))
		return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	return 0;
}

static int parse_event(struct sm_parse *ps, xmlNode *n, const xmlNode *group)
{
	static const char *const allowed[] = { "onmatch", "default", NULL };
	struct sm_ast_event *ev = &ps->cfg->events[ps->cfg->nevents++];
	const char *group_name = NULL;
	size_t idx;
	int ret;

	sm_series(name_of(n), &idx, 1);
	ev->elem = sm_schema_table[idx].rule_name;
	ev->series = idx;
	ev->line = sm_node_line(ps, n);
	ev->rel = ps->cfg->vmajor > 4 || (ps->cfg->vmajor == 4 && ps->cfg->vminor > 10)
			  ? SM_REL_AND : SM_REL_OR;
	ret = check_attrs(ps, n, allowed);
	ret = ret ? ret : onmatch(ps, ev, n);
	ret = ret ? ret : group ? relation(ps, group, &ev->rel) : 0;
	ret = ret ? ret : group ? attr(ps, group, "name", &group_name) : 0;
	ret = ret ? ret : alloc_children(ps, ev, n);
	for (xmlNode *c = n->children; c && !ret; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			ret = check_other(ps, n, c);
		else if (!strcmp(name_of(c), "Rule"))
			ret = parse_rule(ps, ev, c, group_name);
		else
			ret = parse_filter(ps, ev, c, 0, group_name);
	}
	return ret;
}

static bool is_event(const xmlNode *n)
{
	size_t idx;

	return n->type == XML_ELEMENT_NODE && sm_series(name_of(n), &idx, 1);
}

static int parse_group(struct sm_parse *ps, xmlNode *g)
{
	static const char *const allowed[] = { "name", "groupRelation", NULL };
	int ret = check_attrs(ps, g, allowed);

	for (xmlNode *c = g->children; c && !ret; c = c->next) {
		if (is_event(c))
			ret = parse_event(ps, c, g);
		else if (c->type == XML_ELEMENT_NODE)
			ret = sm_fail(ps, sm_node_line(ps, c), -EINVAL,
				      "Unknown element <%s> in <RuleGroup>", name_of(c));
		else
			ret = check_other(ps, g, c);
	}
	return ret;
}

static int parse_filtering(struct sm_parse *ps, xmlNode *ef)
{
	static const char *const none[] = { NULL };
	int ret = check_attrs(ps, ef, none);

	for (xmlNode *c = ef->children; c && !ret; c = c->next) {
		if (is_event(c))
			ret = parse_event(ps, c, NULL);
		else if (c->type == XML_ELEMENT_NODE && !strcmp(name_of(c), "RuleGroup"))
			ret = parse_group(ps, c);
		else if (c->type == XML_ELEMENT_NODE)
			ret = sm_fail(ps, sm_node_line(ps, c), -EINVAL,
				      "Unknown element <%s> in <EventFiltering>",
				      name_of(c));
		else
			ret = check_other(ps, ef, c);
	}
	return ret;
}

/* Upper bound of event elements, to size cfg->events once. */
static size_t count_events(const xmlNode *root)
{
	size_t n = 0;

	for (const xmlNode *ef = root->children; ef; ef = ef->next) {
		if (ef->type != XML_ELEMENT_NODE || strcmp(name_of(ef), "EventFiltering"))
			continue;
		for (const xmlNode *c = ef->children; c; c = c->next) {
			n += is_event(c);
			if (c->type == XML_ELEMENT_NODE && !strcmp(name_of(c), "RuleGroup"))
				for (const xmlNode *g = c->children; g; g = g->next)
					n += is_event(g);
		}
	}
	return n;
}

static int parse_root_attrs(struct sm_parse *ps, xmlNode *root)
{
	static const char *const allowed[] = { "schemaversion", NULL };
	const char *v;
	int ret = attr(ps, root, "schemaversion", &v);

	ret = ret ? ret : sm_parse_version(ps, v, sm_node_line(ps, root));
	ret = ret ? ret : check_attrs(ps, root, allowed);
	return ret;
}

int sm_parse_doc(struct sm_parse *ps, xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	size_t n;
	int ret;

	if (!root || strcmp(name_of(root), "Sysmon") || root->ns)
		return sm_fail(ps, root ? sm_node_line(ps, root) : 0, -EINVAL,
			       "Failed to find Sysmon tag in configuration: %s",
			       ps->file);
	ret = parse_root_attrs(ps, root);
	if (ret)
		return ret;
	n = count_events(root);
	ps->cfg->events = sm_arena_alloc(&ps->cfg->arena, sizeof(*ps->cfg->events) * n);
	if (n && !ps->cfg->events)
		return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	for (xmlNode *c = root->children; c && !ret; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			ret = check_other(ps, root, c);
		else if (!strcmp(name_of(c), "EventFiltering"))
			ret = parse_filtering(ps, c);
		else
			ret = sm_parse_option(ps, c);
	}
	if (!ret && ps->unsupported)
		ret = sm_fail(ps, ps->unsupported_line, -EOPNOTSUPP,
			      "Option not implemented on Linux. (<%s>)",
			      ps->unsupported);
	return ret;
}

/* SPDX-License-Identifier: MIT */
/* jsoncheck: reads sysmon's JSON lines independently of sysmon's code
 * (its own JSON reader; libxml2 for the XML) to check them.
 *
 *   jsoncheck same PID SYSLOG_PART JSONFILE
 *     every event of the monitor PID in the syslog text and every line of
 *     JSONFILE: the same EventRecordIDs, and for each one the same
 *     members in the same order with the same bytes (the System values
 *     of sysmonCommon/jsonline.h, then each Data by its Name). Prints
 *     "events=N ids=<EventIDs seen, sorted, unique>".
 *   jsoncheck seq FILE...
 *     every line of the files, in this order, a whole JSON event; the
 *     EventRecordIDs consecutive. Prints "lines=N first=A last=B".
 *   jsoncheck valid FILE
 *     every line a whole JSON event. Prints "lines=N". */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#define MAXM 64
#define MAXV 200000

struct member {
	char key[64];
	char *val;
	size_t len;
};

struct ev {
	struct member m[MAXM];
	int n;
};

static void die(const char *what, const char *line)
{
	fprintf(stderr, "jsoncheck: %s: %.300s\n", what, line ? line : "");
	exit(1);
}

static void add(struct ev *e, const char *key, const char *val, size_t len)
{
	struct member *m;

	if (e->n >= MAXM)
		die("too many members", key);
	m = &e->m[e->n++];
	snprintf(m->key, sizeof(m->key), "%s", key);
	m->val = malloc(len + 1);
	memcpy(m->val, val, len);
	m->val[len] = '\0';
	m->len = len;
}

static void clear(struct ev *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->m[i].val);
	e->n = 0;
}

/* ---- JSON ---- */

static void put_utf8(char *out, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | cp >> 6);
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | cp >> 12);
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | cp >> 18);
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static unsigned hex4(const char *p, const char *line)
{
	char b[5] = { 0 };
	char *end;
	unsigned v;

	memcpy(b, p, 4);
	v = (unsigned)strtoul(b, &end, 16);
	if (end != b + 4)
		die("bad \\u escape", line);
	return v;
}

/* A JSON string at *p into out (MAXV); advances *p. */
static size_t jstring(const char **p, char *out, const char *line)
{
	const char *s = *p;
	size_t n = 0;

	if (*s++ != '"')
		die("string expected", line);
	while (*s != '"') {
		unsigned char c = (unsigned char)*s;

		if (!c || c < 0x20)
			die("raw control byte or end in a string", line);
		if (n + 8 > MAXV)
			die("value too long", line);
		if (c != '\\') {
			out[n++] = (char)c;
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"':
		case '\\':
		case '/':
			out[n++] = *s;
			break;
		case 'b':
			out[n++] = '\b';
			break;
		case 'f':
			out[n++] = '\f';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'u': {
			unsigned cp = hex4(s + 1, line);

			s += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && s[1] == '\\' &&
			    s[2] == 'u') {
				unsigned lo = hex4(s + 3, line);

				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				s += 6;
			}
			put_utf8(out, &n, cp);
			break;
		}
		default:
			die("bad escape", line);
		}
		s++;
	}
	*p = s + 1;
	return n;
}

static void jexpect(const char **p, char c, const char *line)
{
	if (**p != c) {
		char what[32];

		snprintf(what, sizeof(what), "'%c' expected", c);
		die(what, line);
	}
	(*p)++;
}

/* {"k":"v",...} into e. */
static void jobject(const char **p, struct ev *e, const char *line)
{
	static char k[MAXV], v[MAXV];

	jexpect(p, '{', line);
	while (**p != '}') {
		char key[64];
		size_t kl = jstring(p, k, line), vl;

		jexpect(p, ':', line);
		vl = jstring(p, v, line);
		k[kl < 40 ? kl : 40] = '\0';
		snprintf(key, sizeof(key), "%.40s", k);
		add(e, key, v, vl);
		if (**p == ',')
			(*p)++;
	}
	(*p)++;
}

static void parse_json(const char *line, struct ev *e)
{
	const char *p = line;

	if (strncmp(p, "{\"EventID\":", 11))
		die("not a JSON event", line);
	jobject(&p, e, line);
	if (strcmp(p, "\n"))
		die("trailing bytes or no newline", line);
}

/* ---- XML ---- */

static void xml_text(struct ev *e, const char *key, xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);

	add(e, key, (const char *)t, strlen((const char *)t));
	xmlFree(t);
}

static const char *get(const struct ev *e, const char *key);

/* The System values the JSON line carries, in its order: element text
 * under the element's name, an attribute under element + attribute name
 * (TimeCreated's SystemTime: TimeCreated). */
static const char *const sys_keys[] = {
	"EventID",        "EventRecordID",      "TimeCreated",
	"Computer",       "ExecutionProcessID", "ExecutionThreadID",
	"SecurityUserId",
};

static void parse_xml(const char *text, struct ev *e)
{
	xmlDoc *doc = xmlReadMemory(text, (int)strlen(text), NULL, "UTF-8",
				    XML_PARSE_NONET);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	static struct ev sys;
	char key[128];

	if (!root || !root->children || !root->children->next)
		die("not an XML event", text);
	for (xmlNode *c = root->children->children; c; c = c->next) {
		for (xmlAttr *a = c->properties; a; a = a->next) {
			snprintf(key, sizeof(key), "%s%s", c->name,
				 strcmp((const char *)a->name, "SystemTime")
					 ? (const char *)a->name
					 : "");
			xml_text(&sys, key, (xmlNode *)a);
		}
		if (c->children)
			xml_text(&sys, (const char *)c->name, c);
	}
	for (size_t k = 0; k < sizeof(sys_keys) / sizeof(sys_keys[0]); k++) {
		const char *v = get(&sys, sys_keys[k]);

		if (!v)
			die("System value missing", sys_keys[k]);
		add(e, sys_keys[k], v, strlen(v));
	}
	clear(&sys);
	for (xmlNode *c = root->children->next->children; c; c = c->next) {
		xmlChar *name = xmlGetProp(c, (const xmlChar *)"Name");

		snprintf(key, sizeof(key), "%s", name);
		xmlFree(name);
		xml_text(e, key, c);
	}
	xmlFreeDoc(doc);
}

static const char *get(const struct ev *e, const char *key)
{
	for (int i = 0; i < e->n; i++)
		if (!strcmp(e->m[i].key, key))
			return e->m[i].val;
	return NULL;
}

static unsigned long long record_id(const struct ev *e, const char *line)
{
	const char *v = get(e, "EventRecordID");

	if (!v)
		die("no EventRecordID", line);
	return strtoull(v, NULL, 10);
}

static void compare(const struct ev *x, const struct ev *j, const char *xl)
{
	if (x->n != j->n)
		die("member count differs (XML, JSON)", xl);
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->m[i].key, j->m[i].key) ||
		    x->m[i].len != j->m[i].len ||
		    memcmp(x->m[i].val, j->m[i].val, x->m[i].len)) {
			fprintf(stderr,
				"jsoncheck: %s: XML '%s' JSON %s='%s'\n",
				x->m[i].key, x->m[i].val, j->m[i].key,
				j->m[i].val);
			die("member differs", xl);
		}
}

static char *line_buf(void)
{
	static char *b;

	if (!b && !(b = malloc(1 << 20)))
		die("out of memory", NULL);
	return b;
}

static int cmd_same(const char *pid, const char *syslog, const char *jpath)
{
	FILE *xf = fopen(syslog, "r"), *jf = fopen(jpath, "r");
	char *l = line_buf(), *jl = malloc(1 << 20), mark[64];
	static struct ev x, j;
	static bool seen[256];
	int events = 0;

	if (!xf || !jf)
		die("cannot open", !xf ? syslog : jpath);
	if (!jl)
		die("out of memory", NULL);
	snprintf(mark, sizeof(mark), "<Execution ProcessID=\"%s\" ", pid);
	while (fgets(l, 1 << 20, xf)) {
		char *ev = strstr(l, "<Event>");

		if (!ev || !strstr(l, mark))
			continue;
		ev[strcspn(ev, "\n")] = '\0';
		parse_xml(ev, &x);
		if (!fgets(jl, 1 << 20, jf))
			die("JSON file ends before the XML event", ev);
		parse_json(jl, &j);
		if (record_id(&x, ev) != record_id(&j, jl))
			die("EventRecordIDs differ (XML, JSON line)", jl);
		compare(&x, &j, ev);
		seen[atoi(get(&x, "EventID")) & 255] = true;
		events++;
		clear(&x);
		clear(&j);
	}
	if (fgets(jl, 1 << 20, jf))
		die("JSON line without its XML event", jl);
	printf("events=%d ids=", events);
	for (int i = 0; i < 256; i++)
		if (seen[i])
			printf("%d ", i);
	printf("\n");
	free(jl);
	fclose(xf);
	fclose(jf);
	return 0;
}

/* Every line of file a whole JSON event; prints the count. */
static int cmd_valid(const char *file)
{
	char *l = line_buf();
	static struct ev e;
	unsigned long long lines = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		die("cannot open", file);
	while (fgets(l, 1 << 20, f)) {
		parse_json(l, &e);
		record_id(&e, l);
		clear(&e);
		lines++;
	}
	fclose(f);
	printf("lines=%llu\n", lines);
	return 0;
}

static int cmd_seq(int n, char **files)
{
	char *l = line_buf();
	static struct ev e;
	unsigned long long lines = 0, first = 0, last = 0;

	for (int i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "r");

		if (!f)
			die("cannot open", files[i]);
		while (fgets(l, 1 << 20, f)) {
			unsigned long long id;

			parse_json(l, &e);
			id = record_id(&e, l);
			if (lines && id != last + 1) {
				fprintf(stderr,
					"jsoncheck: %s: %llu after %llu\n",
					files[i], id, last);
				die("EventRecordIDs not consecutive", l);
			}
			if (!lines)
				first = id;
			last = id;
			lines++;
			clear(&e);
		}
		fclose(f);
	}
	printf("lines=%llu first=%llu last=%llu\n", lines, first, last);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "same"))
		return cmd_same(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "valid"))
		return cmd_valid(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "seq"))
		return cmd_seq(argc - 2, argv + 2);
	fprintf(stderr, "usage: jsoncheck same PID SYSLOG_PART JSONFILE | "
			"jsoncheck seq FILE... | jsoncheck valid FILE\n");
	return 64;
}

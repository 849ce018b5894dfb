/* SPDX-License-Identifier: MIT */
/* Input lines into events: the syslog line's tag, a small XML reader for
 * the event's one-line shape, a JSON-lines reader, and times. */
#include "logview.h"

#include <errno.h>
#include <string.h>
#include "utf8.h"

/* --- times ---------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t len, size_t *i, unsigned n,
		   unsigned *v)
{
	*v = 0;
	if (len - *i < n)
		return false;
	for (unsigned k = 0; k < n; k++, (*i)++) {
		if (s[*i] < '0' || s[*i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[*i] - '0');
	}
	return true;
}

static bool expect(const char *s, size_t len, size_t *i, const char *set)
{
	if (*i >= len || !strchr(set, s[*i]) || !s[*i])
		return false;
	(*i)++;
	return true;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const unsigned char d[] = { 31, 28, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return d[m - 1] + (m == 2 && leap);
}

/* ":SS[.fff...]" and a final "Z", after HH:MM; adds to *ms. */
static bool seconds_part(const char *s, size_t len, size_t i, int64_t *ms)
{
	unsigned sec, frac = 0, scale = 100, dig;

	if (i < len && s[i] == ':') {
		i++;
		if (!digits(s, len, &i, 2, &sec) || sec > 59)
			return false;
		*ms += sec * 1000;
		if (i < len && s[i] == '.') {
			if (++i >= len || s[i] < '0' || s[i] > '9')
				return false;
			for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
				dig = (unsigned)(s[i] - '0');
				frac += dig * scale;
				scale /= 10;
			}
			*ms += frac;
		}
	}
	if (i < len && s[i] == 'Z')
		i++;
	return i == len;
}

int sm_lv_parse_time(const char *s, size_t len, int64_t *ms)
{
	unsigned y, mo, d, h, mi;
	size_t i = 0;

	if (!digits(s, len, &i, 4, &y) || !expect(s, len, &i, "-") ||
	    !digits(s, len, &i, 2, &mo) || !expect(s, len, &i, "-") ||
	    !digits(s, len, &i, 2, &d) || !expect(s, len, &i, " T") ||
	    !digits(s, len, &i, 2, &h) || !expect(s, len, &i, ":") ||
	    !digits(s, len, &i, 2, &mi))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
	    mi > 59)
		return -EINVAL;
	*ms = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000;
	return seconds_part(s, len, i, ms) ? 0 : -EINVAL;
}

/* --- the decoded values and the event ------------------------------------ */

struct dec {
	char *p;
	size_t len, cap;
};

static bool put_cp(struct dec *o, uint32_t cp)
{
	char tmp[4];
	size_t n = sm_utf8_encode(cp, tmp);

	if (o->cap - o->len < n)
		return false;
	memcpy(o->p + o->len, tmp, n);
	o->len += n;
	return true;
}

static bool parse_u64(struct sm_lv_str v, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;

	if (!v.p || v.len == 0 || v.len > 20)
		return false;
	for (size_t i = 0; i < v.len; i++) {
		unsigned dgt = (unsigned)(v.p[i] - '0');

		if (dgt > 9 || x > (max - dgt) / 10)
			return false;
		x = x * 10 + dgt;
	}
	*out = x;
	return true;
}

/* The System values into the numbers; the event's checks. */
static const char *finish_event(struct sm_lv_event *ev)
{
	struct sm_lv_str t = ev->sys[SM_JSON_TIME_CREATED];
	uint64_t id;

	if (!parse_u64(ev->sys[SM_JSON_EVENT_ID], UINT32_MAX - 1, &id))
		return "no valid EventID";
	ev->id = (unsigned)id;
	if (!parse_u64(ev->sys[SM_JSON_RECORD_ID], UINT64_MAX, &ev->record_id))
		return "no valid EventRecordID";
	ev->has_time = t.p != NULL;
	if (t.p && sm_lv_parse_time(t.p, t.len, &ev->time_ms))
		return "TimeCreated is not a time";
	return NULL;
}

/* A Data field by name; NULL or why it cannot be added. */
static const char *add_field(struct sm_lv_event *ev, struct sm_lv_str name,
			     struct sm_lv_str value)
{
	size_t bad;

	if (name.len == 0)
		return "a Data field without a name";
	if (!sm_utf8_valid(name.p, name.len, &bad))
		return "a Data field name that is not UTF-8";
	if (sm_json_sys_key(name.p, name.len) >= 0)
		return "a Data field named like a System value";
	for (unsigned i = 0; i < ev->nfields; i++)
		if (ev->name[i].len == name.len &&
		    !memcmp(ev->name[i].p, name.p, name.len))
			return "a Data field twice";
	if (ev->nfields == SM_LV_MAX_FIELDS)
		return "too many Data fields";
	ev->name[ev->nfields] = name;
	ev->value[ev->nfields++] = value;
	return NULL;
}

/* --- JSON lines ------------------------------------------------------------- */

struct jp {
	const char *s;
	size_t i, n;
	struct dec o;
	const char *why;
};

static void jp_ws(struct jp *j)
{
	while (j->i < j->n && strchr(" \t\r\n", j->s[j->i]) && j->s[j->i])
		j->i++;
}

static bool jp_fail(struct jp *j, const char *why)
{
	if (!j->why)
		j->why = why;
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool jp_hex4(struct jp *j, uint32_t *v)
{
	*v = 0;
	if (j->n - j->i < 4)
		return false;
	for (int k = 0; k < 4; k++) {
		int h = hexval(j->s[j->i++]);

		if (h < 0)
			return false;
		*v = *v << 4 | (uint32_t)h;
	}
	return true;
}

/* \uXXXX (after the u), with a surrogate pair; a lone surrogate: U+FFFD. */
static bool jp_uescape(struct jp *j)
{
	uint32_t cp, lo;

	if (!jp_hex4(j, &cp))
		return jp_fail(j, "a bad \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff && j->n - j->i >= 6 &&
	    j->s[j->i] == '\\' && j->s[j->i + 1] == 'u') {
		size_t at = j->i;

		j->i += 2;
		if (jp_hex4(j, &lo) && lo >= 0xdc00 && lo <= 0xdfff)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		else
			j->i = at;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	return put_cp(&j->o, cp) || jp_fail(j, "no room");
}

static bool jp_escape(struct jp *j)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (j->i >= j->n)
		return jp_fail(j, "a string not closed");
	if (j->s[j->i] == 'u') {
		j->i++;
		return jp_uescape(j);
	}
	k = j->s[j->i] ? strchr(from, j->s[j->i]) : NULL;
	if (!k)
		return jp_fail(j, "a bad escape");
	j->i++;
	return put_cp(&j->o, (unsigned char)to[k - from]) ||
	       jp_fail(j, "no room");
}

/* A string (at its opening quote) into the decoded buffer. */
static bool jp_string(struct jp *j, struct sm_lv_str *v)
{
	size_t start = j->o.len;

	j->i++;
	for (;;) {
		if (j->i >= j->n)
			return jp_fail(j, "a string not closed");
		char c = j->s[j->i];

		if (c == '"')
			break;
		if ((unsigned char)c < 0x20)
			return jp_fail(j, "a control character in a string");
		if (c == '\\') {
			j->i++;
			if (!jp_escape(j))
				return false;
			continue;
		}
		if (j->o.len == j->o.cap)
			return jp_fail(j, "no room");
		j->o.p[j->o.len++] = c;
		j->i++;
	}
	j->i++;
	v->p = j->o.p + start;
	v->len = j->o.len - start;
	return true;
}

/* A value: a string, or a number/true/false/null taken as its text. */
static bool jp_value(struct jp *j, struct sm_lv_str *v)
{
	size_t start = j->i;

	if (j->i < j->n && j->s[j->i] == '"')
		return jp_string(j, v);
	while (j->i < j->n && j->s[j->i] &&
	       strchr("0123456789+-.eEtruefalsn", j->s[j->i]))
		j->i++;
	if (j->i == start)
		return jp_fail(j, "a value that is not a string or number");
	v->p = j->s + start;
	v->len = j->i - start;
	return true;
}

static bool jp_member(struct jp *j, struct sm_lv_event *ev)
{
	struct sm_lv_str k, v;
	int sys;

	jp_ws(j);
	if (j->i >= j->n || j->s[j->i] != '"')
		return jp_fail(j, "a key that is not a string");
	if (!jp_string(j, &k))
		return false;
	jp_ws(j);
	if (j->i >= j->n || j->s[j->i] != ':')
		return jp_fail(j, "no ':' after a key");
	j->i++;
	jp_ws(j);
	if (!jp_value(j, &v))
		return false;
	sys = sm_json_sys_key(k.p, k.len);
	if (sys < 0) {
		const char *why = add_field(ev, k, v);

		return !why || jp_fail(j, why);
	}
	if (ev->sys[sys].p)
		return jp_fail(j, "a System key twice");
	ev->sys[sys] = v;
	return true;
}

enum sm_lv_kind sm_lv_parse_json(const char *line, size_t len, char *buf,
				 size_t cap, struct sm_lv_event *ev,
				 const char **why)
{
	struct jp j = { line, 0, len, { buf, 0, cap }, NULL };

	memset(ev, 0, sizeof(*ev));
	jp_ws(&j);
	if (j.i >= len || line[j.i] != '{')
		return SM_LV_OTHER;
	j.i++;
	jp_ws(&j);
	if (j.i < len && line[j.i] == '}') {
		j.i++;
	} else {
		do {
			if (!jp_member(&j, ev))
				goto bad;
			jp_ws(&j);
		} while (j.i < len && line[j.i++] == ',');
		if (line[j.i - 1] != '}')
			jp_fail(&j, "an object not closed");
	}
	jp_ws(&j);
	if (!j.why && j.i != len)
		jp_fail(&j, "text after the object");
	if (!j.why)
		j.why = finish_event(ev);
bad:
	*why = j.why;
	return j.why ? SM_LV_MALFORMED : SM_LV_EVENT;
}

/* --- syslog lines with XML events ------------------------------------------ */

/* The message of a line whose tag is sysmon or sysmon[PID], or NULL. */
static const char *sysmon_message(const char *line, size_t len)
{
	const char *colon = NULL, *tag, *end;

	for (size_t i = 0; i + 1 < len; i++)
		if (line[i] == ':' && line[i + 1] == ' ') {
			colon = line + i;
			break;
		}
	if (!colon)
		return NULL;
	end = colon;
	if (end > line && end[-1] == ']') {
		const char *d = end - 1;

		while (d > line && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (d == end - 1 || d == line || d[-1] != '[')
			return NULL;
		end = d - 1;
	}
	if (end - line < 6 || memcmp(end - 6, "sysmon", 6))
		return NULL;
	tag = end - 6;
	if (tag != line && tag[-1] != ' ')
		return NULL;
	return colon + 2;
}

struct xp {
	const char *s;
	size_t i, n;
	struct dec o;
	const char *why;
	unsigned depth;
	struct sm_lv_str open[3]; /* names of the open elements */
	char path[3][16];         /* the same when shorter than 16, else "" */
	struct sm_lv_event *ev;
	struct sm_lv_str data_name; /* of the open Data element */
	struct sm_lv_str text;      /* of the open element of depth 3 */
};

static bool xp_fail(struct xp *x, const char *why)
{
	if (!x->why)
		x->why = why;
	return false;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '-' ||
	       c == '.';
}

static bool xp_name(struct xp *x, struct sm_lv_str *name)
{
	size_t start = x->i;

	while (x->i < x->n && name_char(x->s[x->i]))
		x->i++;
	name->p = x->s + start;
	name->len = x->i - start;
	return name->len > 0 || xp_fail(x, "an element without a name");
}

static void xp_ws(struct xp *x)
{
	while (x->i < x->n && (x->s[x->i] == ' ' || x->s[x->i] == '\t'))
		x->i++;
}

/* &...; (at the &) decoded into the buffer. */
static bool xp_entity(struct xp *x)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = { { "lt;", '<' },
		     { "gt;", '>' },
		     { "amp;", '&' },
		     { "quot;", '"' },
		     { "apos;", '\'' } };
	const char *p = x->s + ++x->i;
	size_t left = x->n - x->i, k = 0;
	uint32_t cp = 0;
	bool hexa;

	for (size_t e = 0; e < sizeof(ents) / sizeof(ents[0]); e++) {
		size_t l = strlen(ents[e].name);

		if (left >= l && !memcmp(p, ents[e].name, l)) {
			x->i += l;
			return put_cp(&x->o, (unsigned char)ents[e].c) ||
			       xp_fail(x, "no room");
		}
	}
	if (left < 3 || p[0] != '#')
		return xp_fail(x, "an unknown entity");
	hexa = p[1] == 'x';
	for (k = 1 + hexa; k < left && k < 10 && p[k] != ';'; k++) {
		int h = hexval(p[k]);

		if (h < 0 || (!hexa && h > 9))
			return xp_fail(x, "a bad character reference");
		cp = cp * (hexa ? 16 : 10) + (uint32_t)h;
	}
	if (k >= left || p[k] != ';' || k == 1u + hexa || cp == 0 ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return xp_fail(x, "a bad character reference");
	x->i += k + 1;
	return put_cp(&x->o, cp) || xp_fail(x, "no room");
}

/* Text up to stop (not included) decoded into the buffer. */
static bool xp_text(struct xp *x, char stop, struct sm_lv_str *v)
{
	size_t start = x->o.len;

	while (x->i < x->n && x->s[x->i] != stop) {
		char c = x->s[x->i];

		if (c == '&') {
			if (!xp_entity(x))
				return false;
			continue;
		}
		if (c == '<')
			return xp_fail(x, "a '<' in an attribute");
		if (x->o.len == x->o.cap)
			return xp_fail(x, "no room");
		x->o.p[x->o.len++] = c;
		x->i++;
	}
	v->p = x->o.p + start;
	v->len = x->o.len - start;
	return true;
}

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

/* An attribute of the element just opened: the ones of the System part
 * and Data's Name. */
static void xp_attr(struct xp *x, struct sm_lv_str name, struct sm_lv_str v)
{
	const char *el = x->path[x->depth - 1];
	char nm[16] = "";
	int sys = -1;

	if (x->depth != 3 || name.len >= sizeof(nm))
		return;
	memcpy(nm, name.p, name.len);
	if (is(x->path[1], "System")) {
		if (is(el, "TimeCreated") && is(nm, "SystemTime"))
			sys = SM_JSON_TIME_CREATED;
		else if (is(el, "Execution") && is(nm, "ProcessID"))
			sys = SM_JSON_EXEC_PID;
		else if (is(el, "Execution") && is(nm, "ThreadID"))
			sys = SM_JSON_EXEC_TID;
		else if (is(el, "Security") && is(nm, "UserId"))
			sys = SM_JSON_USER_ID;
	} else if (is(x->path[1], "EventData") && is(el, "Data") &&
		   is(nm, "Name")) {
		x->data_name = v;
	}
	if (sys >= 0)
		x->ev->sys[sys] = v;
}

/* An element of depth 3 ends: its text is a System value or a Data
 * field's value. */
static bool xp_end3(struct xp *x)
{
	const char *el = x->path[2], *why;
	int sys = -1;

	if (is(x->path[1], "System")) {
		if (is(el, "EventID"))
			sys = SM_JSON_EVENT_ID;
		else if (is(el, "EventRecordID"))
			sys = SM_JSON_RECORD_ID;
		else if (is(el, "Computer"))
			sys = SM_JSON_COMPUTER;
		if (sys >= 0) {
			if (x->ev->sys[sys].p)
				return xp_fail(x, "a System value twice");
			x->ev->sys[sys] = x->text;
		}
		return true;
	}
	if (!is(x->path[1], "EventData") || !is(el, "Data"))
		return true;
	if (!x->data_name.p)
		return xp_fail(x, "a Data field without a name");
	why = add_field(x->ev, x->data_name, x->text);
	return !why || xp_fail(x, why);
}

static bool xp_attrs(struct xp *x)
{
	struct sm_lv_str name, v;
	char q;

	for (;;) {
		xp_ws(x);
		if (x->i >= x->n)
			return xp_fail(x, "a tag not closed");
		if (x->s[x->i] == '>' || x->s[x->i] == '/')
			return true;
		if (!xp_name(x, &name))
			return false;
		xp_ws(x);
		if (x->i + 1 >= x->n || x->s[x->i] != '=')
			return xp_fail(x, "an attribute without a value");
		x->i++;
		xp_ws(x);
		q = x->i < x->n ? x->s[x->i] : 0;
		if (q != '"' && q != '\'')
			return xp_fail(x, "an attribute value not quoted");
		x->i++;
		if (!xp_text(x, q, &v))
			return false;
		if (x->i >= x->n)
			return xp_fail(x, "an attribute value not closed");
		x->i++;
		xp_attr(x, name, v);
	}
}

static bool xp_close(struct xp *x);

/* <name attrs> or <name attrs/> (at the <). */
static bool xp_open(struct xp *x)
{
	struct sm_lv_str name;

	x->i++;
	if (!xp_name(x, &name))
		return false;
	if (x->depth == 3)
		return xp_fail(x, "elements nested too deep");
	if (x->depth == 0 && (name.len != 5 || memcmp(name.p, "Event", 5)))
		return xp_fail(x, "not an Event element");
	x->open[x->depth] = name;
	memset(x->path[x->depth], 0, sizeof(x->path[0]));
	if (name.len < sizeof(x->path[0]))
		memcpy(x->path[x->depth], name.p, name.len);
	x->depth++;
	x->data_name.p = NULL;
	x->text = (struct sm_lv_str){ x->o.p + x->o.len, 0 };
	if (!xp_attrs(x))
		return false;
	if (x->s[x->i] == '>') {
		x->i++;
		return true;
	}
	if (x->i + 1 >= x->n || x->s[x->i + 1] != '>')
		return xp_fail(x, "a tag not closed");
	x->i += 2;
	return xp_close(x);
}

/* The end of the innermost element (after its </name> or its />). */
static bool xp_close(struct xp *x)
{
	if (x->depth == 3 && !xp_end3(x))
		return false;
	x->depth--;
	return true;
}

/* </name> (at the <). */
static bool xp_end_tag(struct xp *x)
{
	struct sm_lv_str name, open;

	x->i += 2;
	if (!xp_name(x, &name))
		return false;
	open = x->open[x->depth - 1]; /* depth > 0 here */
	if (open.len != name.len || memcmp(open.p, name.p, name.len))
		return xp_fail(x, "an end tag that does not match");
	xp_ws(x);
	if (x->i >= x->n || x->s[x->i] != '>')
		return xp_fail(x, "a tag not closed");
	x->i++;
	return xp_close(x);
}

/* Text between tags: an element's value at depth 3, ignored elsewhere. */
static bool xp_chars(struct xp *x)
{
	struct sm_lv_str v;
	size_t mark = x->o.len;

	if (!xp_text(x, '<', &v))
		return false;
	if (x->depth == 3)
		x->text = v;
	else
		x->o.len = mark;
	return true;
}

static bool xp_event(struct xp *x)
{
	do {
		if (x->i >= x->n)
			return xp_fail(x, "the event is cut short");
		if (x->s[x->i] != '<') {
			if (!xp_chars(x))
				return false;
		} else if (x->i + 1 < x->n && x->s[x->i + 1] == '/') {
			if (!xp_end_tag(x))
				return false;
		} else if (x->i + 1 < x->n && name_char(x->s[x->i + 1])) {
			if (!xp_open(x))
				return false;
		} else {
			return xp_fail(x, "markup other than elements");
		}
	} while (x->depth > 0);
	while (x->i < x->n && strchr(" \t\r", x->s[x->i]) && x->s[x->i])
		x->i++;
	return x->i == x->n || xp_fail(x, "text after the event");
}

enum sm_lv_kind sm_lv_parse_syslog(const char *line, size_t len, char *buf,
				   size_t cap, struct sm_lv_event *ev,
				   const char **why)
{
	const char *msg = sysmon_message(line, len);
	struct xp x = { 0 };

	memset(ev, 0, sizeof(*ev));
	if (!msg)
		return SM_LV_OTHER;
	while (msg < line + len && *msg == ' ')
		msg++;
	if ((size_t)(line + len - msg) < 6 || memcmp(msg, "<Event", 6))
		return SM_LV_OTHER;
	x.s = msg;
	x.n = (size_t)(line + len - msg);
	x.o = (struct dec){ buf, 0, cap };
	x.ev = ev;
	if (xp_event(&x))
		x.why = finish_event(ev);
	*why = x.why;
	return x.why ? SM_LV_MALFORMED : SM_LV_EVENT;
}

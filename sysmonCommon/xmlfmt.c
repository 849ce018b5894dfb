/* SPDX-License-Identifier: MIT */
#include "xmlfmt.h"

#include <stdbool.h>
#include <string.h>
#include "numfmt.h"
#include "schema.h"
#include "timefmt.h"

struct wbuf {
	char *p;
	size_t len, cap;
	bool full;
};

static void put(struct wbuf *w, const char *s, size_t n)
{
	if (w->full || w->len + n >= w->cap) {
		w->full = true;
		return;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void puts_(struct wbuf *w, const char *s)
{
	put(w, s, strlen(s));
}

static void putu(struct wbuf *w, uint64_t v)
{
	char tmp[SM_DEC_MAX];

	put(w, tmp, sm_put_dec(tmp, v));
}

/* Length of the valid UTF-8 sequence at s (1-4) or 0 when invalid,
 * overlong, a surrogate, above U+10FFFF, or U+FFFE/U+FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

/* Escape one character at s; returns the bytes of input consumed. */
static size_t esc_char(struct wbuf *w, const unsigned char *s, size_t n,
		       bool attr)
{
	size_t len;

	switch (s[0]) {
	case '&': puts_(w, "&amp;"); return 1;
	case '<': puts_(w, "&lt;"); return 1;
	case '>': puts_(w, "&gt;"); return 1;
	case '\t': puts_(w, "&#9;"); return 1;
	case '\n': puts_(w, "&#10;"); return 1;
	case '\r': puts_(w, "&#13;"); return 1;
	case '"':
		if (attr) {
			puts_(w, "&quot;");
			return 1;
		}
		break;
	default:
		break;
	}
	if (s[0] < 0x20) {
		puts_(w, "\xef\xbf\xbd");
		return 1;
	}
	len = utf8_seq(s, n);
	if (len == 0) {
		puts_(w, "\xef\xbf\xbd");
		return 1;
	}
	put(w, (const char *)s, len);
	return len;
}

/* Number of characters (code points or invalid bytes) in text. */
static size_t char_count(const unsigned char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; count++) {
		size_t len = utf8_seq(s + i, n - i);

		i += len ? len : 1;
	}
	return count;
}

#define NO_LIMIT SIZE_MAX

/* Escaped text, at most max_chars characters. */
static void esc_text(struct wbuf *w, const char *text, size_t n,
		     size_t max_chars, bool attr)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0, c = 0; i < n && c < max_chars; c++)
		i += esc_char(w, s + i, n - i, attr);
}

size_t sm_xml_escape(char *out, size_t cap, const char *text, size_t len)
{
	struct wbuf w = { out, 0, cap, false };

	if (cap == 0)
		return 0;
	esc_text(&w, text, len, NO_LIMIT, false);
	out[w.len] = '\0';
	return w.len;
}

/* A field's value with FieldSizes applied. */
static void put_value(struct wbuf *w, struct sm_str v, unsigned limit)
{
	if (!v.p || v.len == 0) {
		put(w, "-", 1);
		return;
	}
	if (limit && char_count((const unsigned char *)v.p, v.len) > limit) {
		if (limit < 3) {
			put(w, "-", 1);
			return;
		}
		esc_text(w, v.p, v.len, limit - 3, false);
		put(w, "...", 3);
		return;
	}
	esc_text(w, v.p, v.len, NO_LIMIT, false);
}

static void put_system(struct wbuf *w, const struct sm_sys_header *h,
		       const struct sm_event_type *t)
{
	char ts[SM_SYSTEMTIME_LEN + 1];

	puts_(w, "<Event><System><Provider Name=\"Linux-Sysmon\" "
		 "Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/><EventID>");
	putu(w, t->id);
	puts_(w, "</EventID><Version>");
	putu(w, t->version);
	puts_(w, "</Version><Level>");
	putu(w, t->level);
	puts_(w, "</Level><Task>");
	putu(w, t->task);
	puts_(w, "</Task><Opcode>0</Opcode><Keywords>0x8000000000000000"
		 "</Keywords><TimeCreated SystemTime=\"");
	put(w, ts, sm_fmt_systemtime(ts, h->time_ns));
	puts_(w, "\"/><EventRecordID>");
	putu(w, h->record_id);
	puts_(w, "</EventRecordID><Correlation/><Execution ProcessID=\"");
	putu(w, h->pid);
	puts_(w, "\" ThreadID=\"");
	putu(w, h->tid);
	puts_(w, "\"/><Channel>Linux-Sysmon/Operational</Channel><Computer>");
	esc_text(w, h->computer, strlen(h->computer), NO_LIMIT, false);
	puts_(w, "</Computer><Security UserId=\"");
	putu(w, h->uid);
	puts_(w, "\"/></System>");
}

struct span {
	size_t a, b;
};

/* Cut the rendered text of one field so the line shrinks by up to
 * `excess` bytes, ending the kept part with "..."; never inside an entity
 * or a UTF-8 sequence. Returns the bytes removed. */
static size_t cut_span(struct wbuf *w, struct span *sp, size_t excess)
{
	size_t keep, c, removed;

	if (sp->b - sp->a <= 3)
		return 0;
	keep = sp->b - sp->a > excess + 3 ? sp->b - sp->a - excess - 3 : 0;
	c = sp->a + keep;
	for (size_t k = c; k > sp->a && k + 8 > c; k--) {
		if (w->p[k - 1] == ';')
			break;
		if (w->p[k - 1] == '&') {
			c = k - 1;
			break;
		}
	}
	while (c > sp->a && ((unsigned char)w->p[c] & 0xc0) == 0x80)
		c--;
	memcpy(w->p + c, "...", 3);
	memmove(w->p + c + 3, w->p + sp->b, w->len - sp->b);
	removed = sp->b - (c + 3);
	w->len -= removed;
	return removed;
}

static void cut_field(struct wbuf *w, const struct sm_event_type *t,
		      struct span *spans, int f)
{
	size_t removed = cut_span(w, &spans[f], w->len - SM_EVENT_MAX);

	spans[f].b -= removed;
	for (int j = f + 1; j < t->nfields; j++) {
		spans[j].a -= removed;
		spans[j].b -= removed;
	}
}

/* The field with the longest rendered value, or -1 when none can shrink. */
static int longest_field(const struct sm_event_type *t,
			 const struct span *spans)
{
	int best = -1;

	for (int j = 0; j < t->nfields; j++)
		if (spans[j].b - spans[j].a > 3 &&
		    (best < 0 || spans[j].b - spans[j].a >
				 spans[best].b - spans[best].a))
			best = j;
	return best;
}

static void enforce_max(struct wbuf *w, const struct sm_event_type *t,
			struct span *spans)
{
	static const char *const order[] = { "ParentCommandLine",
					     "CommandLine" };
	int f;

	for (size_t i = 0; i < 2 && w->len > SM_EVENT_MAX; i++) {
		f = sm_schema_field(t, order[i]);
		if (f >= 0)
			cut_field(w, t, spans, f);
	}
	/* events without command lines (or with other huge values): the
	 * longest values go next, so no line ever exceeds the cap */
	while (w->len > SM_EVENT_MAX && (f = longest_field(t, spans)) >= 0)
		cut_field(w, t, spans, f);
}

size_t sm_format_event(char *buf, size_t cap, const struct sm_sys_header *h,
		       const struct sm_event *ev, const unsigned *limits)
{
	const struct sm_event_type *t = ev->type;
	struct wbuf w = { buf, 0, cap, false };
	struct span spans[SM_MAX_FIELDS];

	if (cap < SM_FMT_BUF)
		return 0;
	put_system(&w, h, t);
	puts_(&w, "<EventData>");
	for (int i = 0; i < t->nfields; i++) {
		puts_(&w, "<Data Name=\"");
		puts_(&w, t->fields[i]);
		puts_(&w, "\">");
		spans[i].a = w.len;
		put_value(&w, ev->f[i], limits ? limits[i] : 0);
		spans[i].b = w.len;
		puts_(&w, "</Data>");
	}
	puts_(&w, "</EventData></Event>");
	if (w.full)
		return 0;
	enforce_max(&w, t, spans);
	buf[w.len] = '\0';
	return w.len;
}

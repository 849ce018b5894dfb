/* SPDX-License-Identifier: MIT */
/* sysmonLogView's output: an event as a readable block, safe on a
 * terminal, or as a JSON line. */
#include "logview.h"

#include <stdio.h>
#include <string.h>
#include "outbuf.h"
#include "schema.h"
#include "utf8.h"

static const char hex[] = "0123456789abcdef";

/* Characters that move the cursor, end a line or reorder the text. */
static bool unsafe_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* One character at s into o (6 bytes room); *used gets the input bytes. */
static size_t esc_one(char *o, const char *s, size_t n, size_t *used)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;

	*used = 1;
	o[0] = '\\';
	switch (c) {
	case '\\':
		o[1] = '\\';
		return 2;
	case '\t':
		o[1] = 't';
		return 2;
	case '\n':
		o[1] = 'n';
		return 2;
	case '\r':
		o[1] = 'r';
		return 2;
	default:
		break;
	}
	if (c >= 0x80)
		*used = sm_utf8_decode(s, n, &cp);
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && cp >= 0x110000u)) {
		o[1] = 'x';
		o[2] = hex[c >> 4];
		o[3] = hex[c & 15];
		return 4;
	}
	if (c >= 0x80 && unsafe_cp(cp))
		return sm_esc_u(o, cp);
	memcpy(o, s, *used);
	return *used;
}

size_t sm_lv_escape(char *out, size_t cap, const char *s, size_t len)
{
	return sm_esc_all(esc_one, out, cap, s, len);
}

static void ob_puts(struct sm_ob *b, const char *s)
{
	sm_ob_put(b, s, strlen(s));
}

/* Escaped text; an empty value as --NULL--, an absent one as -. */
static void ob_esc(struct sm_ob *b, struct sm_lv_str v)
{
	if (!v.p || !v.len)
		ob_puts(b, v.p ? "--NULL--" : "-");
	else
		sm_ob_esc(b, esc_one, v.p, v.len);
}

static void put_header(struct sm_ob *b, const struct sm_lv_event *ev)
{
	const struct sm_event_type *t = sm_schema_event(ev->id);
	char num[64];

	ob_puts(b, "Event ");
	ob_puts(b, t ? t->name : "Unknown");
	snprintf(num, sizeof(num), ": EventID %u, EventRecordID %llu, ", ev->id,
		 (unsigned long long)ev->record_id);
	ob_puts(b, num);
	ob_puts(b, "TimeCreated ");
	ob_esc(b, ev->sys[SM_JSON_TIME_CREATED]);
	ob_puts(b, "\n");
}

static size_t ob_end(struct sm_ob *b, bool blank)
{
	if (blank)
		ob_puts(b, "\n");
	return sm_ob_end(b);
}

size_t sm_lv_format_text(char *out, size_t cap, const struct sm_lv_filter *f,
			 const struct sm_lv_event *ev, bool blank)
{
	struct sm_ob b = { out, 0, cap, false };

	put_header(&b, ev);
	for (unsigned i = 0; i < ev->nfields; i++) {
		if (!sm_lv_shown(f, ev, i))
			continue;
		ob_puts(&b, "\t");
		ob_esc(&b, ev->name[i]);
		ob_puts(&b, ": ");
		ob_esc(&b, ev->value[i]);
		ob_puts(&b, "\n");
	}
	return ob_end(&b, blank);
}

size_t sm_lv_format_json(char *out, size_t cap, const struct sm_lv_filter *f,
			 const struct sm_lv_event *ev, bool blank)
{
	struct sm_json_kv kv[SM_JSON_NSYS + SM_LV_MAX_FIELDS];
	size_t n = 0, len;

	for (int s = 0; s < SM_JSON_NSYS; s++)
		if (ev->sys[s].p)
			kv[n++] = (struct sm_json_kv){
				sm_json_sys_keys[s],
				strlen(sm_json_sys_keys[s]), ev->sys[s].p,
				ev->sys[s].len
			};
	for (unsigned i = 0; i < ev->nfields; i++)
		if (sm_lv_shown(f, ev, i))
			kv[n++] = (struct sm_json_kv){ ev->name[i].p,
						       ev->name[i].len,
						       ev->value[i].p,
						       ev->value[i].len };
	len = sm_json_line(out, cap, kv, n);
	if (!len || !blank)
		return len;
	if (cap - len < 2)
		return 0;
	memcpy(out + len, "\n", 2);
	return len + 1;
}

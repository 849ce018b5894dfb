/* SPDX-License-Identifier: MIT */
#include "jsonline.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "utf8.h"

const char *const sm_json_sys_keys[SM_JSON_NSYS] = {
	"EventID",        "EventRecordID",      "TimeCreated",
	"Computer",       "ExecutionProcessID", "ExecutionThreadID",
	"SecurityUserId",
};

int sm_json_sys_key(const char *name, size_t len)
{
	for (int i = 0; i < SM_JSON_NSYS; i++)
		if (strlen(sm_json_sys_keys[i]) == len &&
		    !memcmp(sm_json_sys_keys[i], name, len))
			return i;
	return -1;
}

static const char hex[] = "0123456789abcdef";

/* The escape of code point cp (< 0x10000) as \uXXXX into o. */
static size_t esc_u(char *o, uint32_t cp)
{
	o[0] = '\\';
	o[1] = 'u';
	o[2] = hex[cp >> 12 & 15];
	o[3] = hex[cp >> 8 & 15];
	o[4] = hex[cp >> 4 & 15];
	o[5] = hex[cp & 15];
	return 6;
}

/* One character at s into o (6 bytes room); *used gets the input bytes. */
static size_t esc_one(char *o, const char *s, size_t n, size_t *used)
{
	static const char shorts[] = "btn\0fr";
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;

	*used = 1;
	if (c == '"' || c == '\\') {
		o[0] = '\\';
		o[1] = (char)c;
		return 2;
	}
	if (c >= 8 && c <= 13 && shorts[c - 8]) {
		o[0] = '\\';
		o[1] = shorts[c - 8];
		return 2;
	}
	if (c < 0x20 || c == 0x7f)
		return esc_u(o, c);
	*used = sm_utf8_decode(s, n, &cp);
	if (cp >= 0x110000u) {
		memcpy(o, "\xef\xbf\xbd", 3);
		return 3;
	}
	if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
		return esc_u(o, cp);
	memcpy(o, s, *used);
	return *used;
}

size_t sm_json_escape(char *out, size_t cap, const char *s, size_t len)
{
	size_t o = 0, used;
	char tmp[6];

	for (size_t i = 0; i < len; i += used) {
		size_t k = esc_one(tmp, s + i, len - i, &used);

		if (cap - o < k)
			return 0;
		memcpy(out + o, tmp, k);
		o += k;
	}
	return o;
}

struct jw {
	char *p;
	size_t len, cap;
	bool full;
};

static void jw_put(struct jw *w, const char *s, size_t n)
{
	if (w->full || w->cap - w->len < n) {
		w->full = true;
		return;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void jw_str(struct jw *w, const char *s, size_t n)
{
	size_t k;

	jw_put(w, "\"", 1);
	if (w->full)
		return;
	k = sm_json_escape(w->p + w->len, w->cap - w->len, s, n);
	if (n && !k)
		w->full = true;
	w->len += k;
	jw_put(w, "\"", 1);
}

size_t sm_json_line(char *out, size_t cap, const struct sm_json_kv *kv,
		    size_t n)
{
	struct jw w = { out, 0, cap, false };

	jw_put(&w, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			jw_put(&w, ",", 1);
		jw_str(&w, kv[i].key, kv[i].key_len);
		jw_put(&w, ":", 1);
		jw_str(&w, kv[i].val, kv[i].val_len);
	}
	jw_put(&w, "}\n", 2);
	jw_put(&w, "", 1);
	return w.full ? 0 : w.len - 1;
}

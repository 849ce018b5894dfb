/* SPDX-License-Identifier: MIT */
#include "jsonline.h"

#include <stdint.h>
#include <string.h>
#include "outbuf.h"
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
		return sm_esc_u(o, c);
	*used = sm_utf8_decode(s, n, &cp);
	if (cp >= 0x110000u) {
		memcpy(o, "\xef\xbf\xbd", 3);
		return 3;
	}
	if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
		return sm_esc_u(o, cp);
	memcpy(o, s, *used);
	return *used;
}

size_t sm_json_escape(char *out, size_t cap, const char *s, size_t len)
{
	return sm_esc_all(esc_one, out, cap, s, len);
}

static void ob_str(struct sm_ob *b, const char *s, size_t n)
{
	sm_ob_put(b, "\"", 1);
	sm_ob_esc(b, esc_one, s, n);
	sm_ob_put(b, "\"", 1);
}

size_t sm_json_line(char *out, size_t cap, const struct sm_json_kv *kv,
		    size_t n)
{
	struct sm_ob b = { out, 0, cap, false };

	sm_ob_put(&b, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sm_ob_put(&b, ",", 1);
		ob_str(&b, kv[i].key, kv[i].key_len);
		sm_ob_put(&b, ":", 1);
		ob_str(&b, kv[i].val, kv[i].val_len);
	}
	sm_ob_put(&b, "}\n", 2);
	return sm_ob_end(&b);
}

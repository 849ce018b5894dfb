/* SPDX-License-Identifier: MIT */
/* A bounded output buffer and escaping into it, for the writers of whole
 * lines (JSON lines, sysmonLogView's blocks): what does not fit marks the
 * buffer full instead of being cut. Pure, no allocation. */
#ifndef SM_OUTBUF_H
#define SM_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sm_ob {
	char *p;
	size_t len, cap;
	bool full;
};

static inline void sm_ob_put(struct sm_ob *b, const char *s, size_t n)
{
	if (b->full || b->cap - b->len < n) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* NUL-terminates; the length without the NUL, 0 when it did not fit. */
static inline size_t sm_ob_end(struct sm_ob *b)
{
	sm_ob_put(b, "", 1);
	return b->full ? 0 : b->len - 1;
}

/* An escaper of one character: the one at s (n bytes left) written to o
 * (6 bytes room), its length returned; *used gets the input bytes. */
typedef size_t sm_esc_one_fn(char *o, const char *s, size_t n, size_t *used);

/* s[0..len) escaped character by character into out: the length, 0 when
 * it does not fit in cap. */
static inline size_t sm_esc_all(sm_esc_one_fn *one, char *out, size_t cap,
				const char *s, size_t len)
{
	size_t o = 0, used;
	char tmp[6];

	for (size_t i = 0; i < len; i += used) {
		size_t k = one(tmp, s + i, len - i, &used);

		if (cap - o < k)
			return 0;
		memcpy(out + o, tmp, k);
		o += k;
	}
	return o;
}

static inline void sm_ob_esc(struct sm_ob *b, sm_esc_one_fn *one, const char *s,
			     size_t n)
{
	size_t k;

	if (b->full)
		return;
	k = sm_esc_all(one, b->p + b->len, b->cap - b->len, s, n);
	if (n && !k)
		b->full = true;
	b->len += k;
}

/* \uXXXX of code point cp (< 0x10000) into o: 6 bytes. */
static inline size_t sm_esc_u(char *o, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";

	o[0] = '\\';
	o[1] = 'u';
	o[2] = hex[cp >> 12 & 15];
	o[3] = hex[cp >> 8 & 15];
	o[4] = hex[cp >> 4 & 15];
	o[5] = hex[cp & 15];
	return 6;
}

#endif

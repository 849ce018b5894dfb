/* SPDX-License-Identifier: MIT */
#include "record.h"

#include <errno.h>
#include <string.h>

/* One row per record type: its fixed size and where its strings are. */
struct rec_layout {
	uint32_t type;
	uint32_t fixed;
	uint32_t nstr;
	uint32_t str_off[SM_REC_STRS]; /* offsets of its struct sm_strref */
};

/* offsetof over a record's list of strings (records.def: nstr, (...)) */
#define STR_OFFS(n, T, strs) CALL(OFFS_##n, T, UNPAREN strs)
#define CALL(m, ...) m(__VA_ARGS__)
#define UNPAREN(...) __VA_ARGS__
#define OFFS_0(T, ...) 0
#define OFFS_1(T, a) offsetof(T, a)
#define OFFS_2(T, a, b) OFFS_1(T, a), offsetof(T, b)
#define OFFS_3(T, a, b, c) OFFS_2(T, a, b), offsetof(T, c)
#define OFFS_4(T, a, b, c, d) OFFS_3(T, a, b, c), offsetof(T, d)

static const struct rec_layout layouts[] = {
#define SM_RECORD(NAME, type, tag, nstr, strs, ...) \
	{ SM_REC_##NAME, \
	  sizeof(struct sm_rec_##tag), \
	  nstr, \
	  { STR_OFFS(nstr, struct sm_rec_##tag, strs) } },
#include "records.def"
};

#define SM_RECORD(NAME, type, tag, nstr, ...) \
	_Static_assert(sizeof(struct sm_rec_##tag) <= SM_REC_FIXED_MAX && \
			       nstr <= SM_REC_STRS, \
		       "struct sm_rec_" #tag " fits struct sm_record");
#include "records.def"

static const struct rec_layout *layout_of(uint32_t type)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].type == type)
			return &layouts[i];
	return NULL;
}

static int take_str(const char *base, uint32_t rec_size, size_t fixed,
		    struct sm_strref ref, struct sm_str *out)
{
	if (ref.len == 0) {
		*out = (struct sm_str){ NULL, 0 };
		return 0;
	}
	if (ref.off < fixed || ref.off > rec_size || ref.len > rec_size - ref.off)
		return -EBADMSG;
	*out = (struct sm_str){ base + ref.off, ref.len };
	return 0;
}

int sm_record_decode(const void *data, size_t size, struct sm_record *out)
{
	const struct rec_layout *l;
	struct sm_rec_hdr h;

	memset(out, 0, offsetof(struct sm_record, fixed));
	memset(out->s, 0, sizeof(out->s));
	if (!data || size < sizeof(h))
		return -EBADMSG;
	memcpy(&h, data, sizeof(h));
	if (h.size < sizeof(h) || h.size > size)
		return -EBADMSG;
	l = layout_of(h.type);
	if (!l)
		return -ENOTSUP;
	if (h.size < l->fixed)
		return -EBADMSG;
	out->type = h.type;
	memcpy(out->fixed.bytes, data, l->fixed);
	for (uint32_t i = 0; i < l->nstr; i++) {
		struct sm_strref ref;

		memcpy(&ref, out->fixed.bytes + l->str_off[i], sizeof(ref));
		if (take_str(data, h.size, l->fixed, ref, &out->s[i]))
			return -EBADMSG;
	}
	return 0;
}

size_t sm_args_join(char *dst, size_t cap, const char *src, size_t len)
{
	size_t n = len < cap ? len : cap;

	while (n > 0 && src[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] ? src[i] : ' ';
	return n;
}

size_t sm_cmdline_join(char *dst, size_t cap, const char *src, size_t len,
		       int cut)
{
	size_t n;

	if (!cut && len <= cap)
		return sm_args_join(dst, cap, src, len);
	n = sm_args_join(dst, cap - 3, src, len);
	memcpy(dst + n, "...", 3);
	return n + 3;
}

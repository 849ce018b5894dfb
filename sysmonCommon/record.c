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

static const struct rec_layout layouts[] = {
	{ SM_REC_EXEC, sizeof(struct sm_rec_exec), 3,
	  { offsetof(struct sm_rec_exec, image),
	    offsetof(struct sm_rec_exec, args),
	    offsetof(struct sm_rec_exec, cwd) } },
	{ SM_REC_EXIT, sizeof(struct sm_rec_exit), 0, { 0 } },
	{ SM_REC_FILE_CREATE, sizeof(struct sm_rec_file_create), 1,
	  { offsetof(struct sm_rec_file_create, path) } },
	{ SM_REC_RAW_READ, sizeof(struct sm_rec_raw_read), 1,
	  { offsetof(struct sm_rec_raw_read, device) } },
	{ SM_REC_FILE_DELETE, sizeof(struct sm_rec_file_delete), 2,
	  { offsetof(struct sm_rec_file_delete, dir),
	    offsetof(struct sm_rec_file_delete, name) } },
	{ SM_REC_FILE_TIME, sizeof(struct sm_rec_file_time), 2,
	  { offsetof(struct sm_rec_file_time, dir),
	    offsetof(struct sm_rec_file_time, name) } },
	{ SM_REC_PROC_ACCESS, sizeof(struct sm_rec_proc_access), 0, { 0 } },
	{ SM_REC_BPF_PROG, sizeof(struct sm_rec_bpf_prog), 1,
	  { offsetof(struct sm_rec_bpf_prog, name) } },
	{ SM_REC_MODULE, sizeof(struct sm_rec_module), 1,
	  { offsetof(struct sm_rec_module, path) } },
	{ SM_REC_NET, sizeof(struct sm_rec_net), 0, { 0 } },
	{ SM_REC_DNS, sizeof(struct sm_rec_dns), 1,
	  { offsetof(struct sm_rec_dns, msg) } },
};

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

#include "record.h"

#include <errno.h>
#include <string.h>

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

static int decode_exec(const char *data, struct sm_record *out)
{
	const struct sm_rec_exec *e = &out->u.exec;
	uint32_t size = e->h.size;
	int err;

	if (size < sizeof(*e))
		return -EBADMSG;
	err = take_str(data, size, sizeof(*e), e->image, &out->image);
	if (!err)
		err = take_str(data, size, sizeof(*e), e->args, &out->args);
	if (!err)
		err = take_str(data, size, sizeof(*e), e->cwd, &out->cwd);
	return err;
}

int sm_record_decode(const void *data, size_t size, struct sm_record *out)
{
	struct sm_rec_hdr h;
	size_t fixed;

	memset(out, 0, sizeof(*out));
	if (!data || size < sizeof(h))
		return -EBADMSG;
	memcpy(&h, data, sizeof(h));
	if (h.size < sizeof(h) || h.size > size)
		return -EBADMSG;
	switch (h.type) {
	case SM_REC_EXEC: fixed = sizeof(struct sm_rec_exec); break;
	case SM_REC_EXIT: fixed = sizeof(struct sm_rec_exit); break;
	default: return -ENOTSUP;
	}
	if (h.size < fixed)
		return -EBADMSG;
	out->type = h.type;
	memcpy(&out->u, data, fixed);
	if (h.type == SM_REC_EXEC)
		return decode_exec(data, out);
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

/* SPDX-License-Identifier: MIT */
#include "pathjoin.h"

#include <string.h>

struct pbuf {
	char *out;
	size_t cap;
	size_t len;
	size_t floor; /* ".." never goes below this length */
	int full;
};

static void put(struct pbuf *b, const char *s, size_t n)
{
	if (b->full || b->len + n >= b->cap) {
		b->full = 1;
		return;
	}
	memcpy(b->out + b->len, s, n);
	b->len += n;
}

/* Drop the last component (and its '/') down to the floor. */
static void up(struct pbuf *b)
{
	while (b->len > b->floor && b->out[b->len - 1] != '/')
		b->len--;
	if (b->len > b->floor)
		b->len--;
}

/* Append the components of s[0..n), each as "/name". */
static void add_components(struct pbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && s[j] != '/')
			j++;
		if (j - i == 2 && s[i] == '.' && s[i + 1] == '.')
			up(b);
		else if (j > i && !(j - i == 1 && s[i] == '.')) {
			put(b, "/", 1);
			put(b, s + i, j - i);
		}
		i = j + 1;
	}
}

size_t sm_path_join(char *out, size_t cap, const char *dir, size_t dlen,
		    const char *name, size_t nlen)
{
	struct pbuf b = { out, cap, 0, 0, 0 };
	int absolute = nlen && name[0] == '/';

	if (cap < 2)
		return 0;
	if (!absolute && dlen && dir[0] == '+') {
		put(&b, dir, dlen); /* a cut walk: text as the kernel gave it */
		b.floor = b.len;
	} else if (!absolute && dlen) {
		add_components(&b, dir, dlen);
	} else if (!absolute && nlen) {
		/* relative to a directory nobody knows: keep it relative */
		size_t start = b.len;

		add_components(&b, name, nlen);
		if (!b.full && b.len > start) {
			memmove(out, out + 1, b.len - 1);
			b.len--;
		}
		out[b.full ? 0 : b.len] = '\0';
		return b.full ? 0 : b.len;
	}
	add_components(&b, name, nlen);
	if (!b.full && b.len == 0)
		put(&b, "/", 1);
	if (b.full) {
		out[0] = '\0';
		return 0;
	}
	out[b.len] = '\0';
	return b.len;
}

/* SPDX-License-Identifier: MIT */
/* The 16 filter conditions. A rule value is case-folded and split once
 * (sm_pattern_compile); matching folds the event value on the fly and
 * allocates nothing (sm_pattern_match).
 *
 * Semantics (sysmon-compat.md section 4, and the reference's rule engine):
 * comparisons ignore case (Unicode simple folding, not only ASCII);
 * `;` separates the items of the any/all conditions, empty items are
 * ignored; `excludes any` holds when no item is a substring, `excludes all`
 * when at least one item is missing. Two deliberate fixes: `image` without
 * a `/` in the rule value compares with the last path component of the
 * field, and `less than` / `more than` compare numbers when both sides are
 * integers (decimal, or hexadecimal with 0x), strings otherwise. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "rules_cond.h"
#include "utf8.h"

static const char *const cond_names[SM_COND_COUNT] = {
	[SM_COND_IS] = "is",
	[SM_COND_IS_NOT] = "is not",
	[SM_COND_IS_ANY] = "is any",
	[SM_COND_CONTAINS] = "contains",
	[SM_COND_CONTAINS_ANY] = "contains any",
	[SM_COND_CONTAINS_ALL] = "contains all",
	[SM_COND_EXCLUDES] = "excludes",
	[SM_COND_EXCLUDES_ANY] = "excludes any",
	[SM_COND_EXCLUDES_ALL] = "excludes all",
	[SM_COND_BEGIN_WITH] = "begin with",
	[SM_COND_NOT_BEGIN_WITH] = "not begin with",
	[SM_COND_END_WITH] = "end with",
	[SM_COND_NOT_END_WITH] = "not end with",
	[SM_COND_LESS_THAN] = "less than",
	[SM_COND_MORE_THAN] = "more than",
	[SM_COND_IMAGE] = "image",
};

const char *sm_cond_name(unsigned cond)
{
	return cond < SM_COND_COUNT ? cond_names[cond] : "is";
}

int sm_cond_lookup(const char *name)
{
	if (!name || !*name)
		return SM_COND_IS;
	for (int i = 0; i < SM_COND_COUNT; i++)
		if (!strcasecmp(name, cond_names[i]))
			return i;
	return -1;
}

const char *sm_cond_list(void)
{
	return "is, is not, is any, contains, contains any, contains all, "
	       "excludes, excludes any, excludes all, begin with, "
	       "not begin with, end with, not end with, less than, "
	       "more than, image";
}

static bool is_list_cond(unsigned cond)
{
	return cond == SM_COND_IS_ANY || cond == SM_COND_CONTAINS_ANY ||
	       cond == SM_COND_CONTAINS_ALL || cond == SM_COND_EXCLUDES_ANY ||
	       cond == SM_COND_EXCLUDES_ALL;
}

/* Integer syntax for less/more than: [+-]digits or [+-]0x hexdigits,
 * within int64_t. */
static bool parse_int(const char *s, size_t len, int64_t *out)
{
	bool neg = false, hex = false;
	uint64_t v = 0, base, limit;
	size_t i = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		hex = true;
		i += 2;
	}
	if (i == len)
		return false;
	base = hex ? 16 : 10;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (hex && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (hex && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (v > (limit - d) / base)
			return false;
		v = v * base + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static int split_items(struct sm_arena *a, struct sm_pattern *p)
{
	uint32_t n = 0, start = 0;
	struct sm_tok *tok;

	for (uint32_t i = 0; i <= p->flen; i++)
		if (i == p->flen || p->fold[i] == ';')
			n++;
	tok = sm_arena_alloc(a, sizeof(*tok) * n);
	if (!tok)
		return -ENOMEM;
	n = 0;
	for (uint32_t i = 0; i <= p->flen; i++) {
		if (i < p->flen && p->fold[i] != ';')
			continue;
		if (i > start)
			tok[n++] = (struct sm_tok){ start, i - start };
		start = i + 1;
	}
	if (!n) /* only empty items: one empty item */
		tok[n++] = (struct sm_tok){ 0, 0 };
	p->tok = tok;
	p->ntok = n;
	return 0;
}

int sm_pattern_compile(struct sm_arena *a, unsigned cond, const char *value,
		       size_t len, struct sm_pattern *out)
{
	char *fold;

	if (cond >= SM_COND_COUNT || len > UINT32_MAX / 2)
		return -EINVAL;
	fold = sm_arena_alloc(a, 2 * len + 1);
	if (!fold)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	out->cond = (uint8_t)cond;
	out->flen = (uint32_t)sm_utf8_fold(value, len, fold);
	out->fold = fold;
	out->is_num = parse_int(value, len, &out->num);
	out->has_slash = memchr(value, '/', len) != NULL;
	return is_list_cond(cond) ? split_items(a, out) : 0;
}

/* If folded v starts with p, the number of bytes of v that matched;
 * else -1. p is folded UTF-8. */
static long prefix_len(const char *v, size_t vlen, const char *p, size_t plen)
{
	size_t i = 0, j = 0;
	char buf[4];

	while (j < plen) {
		unsigned char c;
		uint32_t cp;
		size_t n, m;

		if (i >= vlen)
			return -1;
		c = (unsigned char)v[i];
		if (c < 0x80) {
			if (sm_fold_ascii(c) != (unsigned char)p[j])
				return -1;
			i++;
			j++;
			continue;
		}
		n = sm_utf8_decode(v + i, vlen - i, &cp);
		m = sm_utf8_encode(sm_fold(cp), buf);
		if (m > plen - j || memcmp(buf, p + j, m))
			return -1;
		i += n;
		j += m;
	}
	return (long)i;
}

static bool equal(const char *v, size_t vlen, const char *p, size_t plen)
{
	return prefix_len(v, vlen, p, plen) == (long)vlen;
}

/* Folding never makes a character longer, so a folded value is at most as
 * long as the value: a shorter value cannot hold the pattern. */
static bool find(const char *v, size_t vlen, const char *p, size_t plen)
{
	unsigned char c0, up;

	if (!plen)
		return true;
	c0 = (unsigned char)p[0];
	up = (unsigned char)(c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0);
	for (size_t i = 0; i < vlen && vlen - i >= plen; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c0 < 0x80 ? (c != c0 && c != up) : (c < 0x80 || (c & 0xc0) == 0x80))
			continue;
		if (prefix_len(v + i, vlen - i, p, plen) >= 0)
			return true;
	}
	return false;
}

static bool suffix(const char *v, size_t vlen, const char *p, size_t plen)
{
	size_t i = vlen, j = plen;
	char buf[4];

	while (j > 0) {
		unsigned char c;
		uint32_t cp;
		size_t n, m;

		if (i == 0)
			return false;
		c = (unsigned char)v[i - 1];
		if (c < 0x80) {
			if (sm_fold_ascii(c) != (unsigned char)p[j - 1])
				return false;
			i--;
			j--;
			continue;
		}
		n = sm_utf8_decode_back(v, i, &cp);
		m = sm_utf8_encode(sm_fold(cp), buf);
		if (m > j || memcmp(buf, p + j - m, m))
			return false;
		i -= n;
		j -= m;
	}
	return true;
}

/* Case-insensitive ordering by code point. */
static int compare(const char *v, size_t vlen, const char *p, size_t plen)
{
	size_t i = 0, j = 0;

	while (i < vlen && j < plen) {
		uint32_t a, b;

		i += sm_utf8_decode(v + i, vlen - i, &a);
		j += sm_utf8_decode(p + j, plen - j, &b);
		a = sm_fold(a);
		if (a != b)
			return a < b ? -1 : 1;
	}
	return (i < vlen) - (j < plen);
}

static int order(const struct sm_pattern *p, const char *v, size_t vlen)
{
	int64_t n;

	if (p->is_num && parse_int(v, vlen, &n))
		return n < p->num ? -1 : n > p->num;
	return compare(v, vlen, p->fold, p->flen);
}

static bool image(const struct sm_pattern *p, const char *v, size_t vlen)
{
	if (!p->has_slash) {
		const char *slash = memrchr(v, '/', vlen);

		if (slash) {
			vlen -= (size_t)(slash + 1 - v);
			v = slash + 1;
		}
	}
	return equal(v, vlen, p->fold, p->flen);
}

/* contains any (want_all false) / contains all (want_all true) */
static bool find_items(const struct sm_pattern *p, const char *v, size_t vlen,
		       bool want_all)
{
	for (uint32_t k = 0; k < p->ntok; k++) {
		const struct sm_tok *t = &p->tok[k];
		bool hit = find(v, vlen, p->fold + t->off, t->len);

		if (hit != want_all)
			return hit;
	}
	return want_all;
}

static bool equal_any(const struct sm_pattern *p, const char *v, size_t vlen)
{
	for (uint32_t k = 0; k < p->ntok; k++)
		if (equal(v, vlen, p->fold + p->tok[k].off, p->tok[k].len))
			return true;
	return false;
}

/* ---- matching a value that is already folded: plain byte operations.
 * Equivalent to the above because folded text compares equal exactly when
 * its bytes are equal, and a pattern (valid UTF-8) can only match at a
 * character boundary. ---- */

static bool f_equal(const char *v, size_t vlen, const char *p, size_t plen)
{
	return vlen == plen && !memcmp(v, p, plen);
}

static bool f_begins(const char *v, size_t vlen, const char *p, size_t plen)
{
	return vlen >= plen && !memcmp(v, p, plen);
}

static bool f_ends(const char *v, size_t vlen, const char *p, size_t plen)
{
	return vlen >= plen && !memcmp(v + vlen - plen, p, plen);
}

/* memchr on the first byte, then memcmp: cheaper than memmem for the
 * short values and needles of rules. */
static bool f_find(const char *v, size_t vlen, const char *p, size_t plen)
{
	const char *end;

	if (!plen)
		return true;
	if (plen > vlen)
		return false;
	end = v + (vlen - plen) + 1;
	while ((v = memchr(v, p[0], (size_t)(end - v)))) {
		if (!memcmp(v + 1, p + 1, plen - 1))
			return true;
		v++;
	}
	return false;
}

static bool f_items(const struct sm_pattern *p, const char *v, size_t vlen,
		    bool (*test)(const char *, size_t, const char *, size_t),
		    bool want_all)
{
	for (uint32_t k = 0; k < p->ntok; k++) {
		bool hit = test(v, vlen, p->fold + p->tok[k].off, p->tok[k].len);

		if (hit != want_all)
			return hit;
	}
	return want_all;
}

static bool f_image(const struct sm_pattern *p, const char *v, size_t vlen)
{
	if (!p->has_slash) {
		const char *slash = memrchr(v, '/', vlen);

		if (slash) {
			vlen -= (size_t)(slash + 1 - v);
			v = slash + 1;
		}
	}
	return f_equal(v, vlen, p->fold, p->flen);
}

bool sm_pattern_match_folded(const struct sm_pattern *p, const char *v, size_t vlen)
{
	switch (p->cond) {
	case SM_COND_IS:
		return f_equal(v, vlen, p->fold, p->flen);
	case SM_COND_IS_NOT:
		return !f_equal(v, vlen, p->fold, p->flen);
	case SM_COND_IS_ANY:
		return f_items(p, v, vlen, f_equal, false);
	case SM_COND_CONTAINS:
		return f_find(v, vlen, p->fold, p->flen);
	case SM_COND_CONTAINS_ANY:
		return f_items(p, v, vlen, f_find, false);
	case SM_COND_CONTAINS_ALL:
		return f_items(p, v, vlen, f_find, true);
	case SM_COND_EXCLUDES:
		return !f_find(v, vlen, p->fold, p->flen);
	case SM_COND_EXCLUDES_ANY:
		return !f_items(p, v, vlen, f_find, false);
	case SM_COND_EXCLUDES_ALL:
		return !f_items(p, v, vlen, f_find, true);
	case SM_COND_BEGIN_WITH:
		return f_begins(v, vlen, p->fold, p->flen);
	case SM_COND_NOT_BEGIN_WITH:
		return !f_begins(v, vlen, p->fold, p->flen);
	case SM_COND_END_WITH:
		return f_ends(v, vlen, p->fold, p->flen);
	case SM_COND_NOT_END_WITH:
		return !f_ends(v, vlen, p->fold, p->flen);
	case SM_COND_LESS_THAN:
		return order(p, v, vlen) < 0;
	case SM_COND_MORE_THAN:
		return order(p, v, vlen) > 0;
	case SM_COND_IMAGE:
		return f_image(p, v, vlen);
	}
	return false;
}

bool sm_pattern_match(const struct sm_pattern *p, const char *v, size_t vlen)
{
	switch (p->cond) {
	case SM_COND_IS:
		return equal(v, vlen, p->fold, p->flen);
	case SM_COND_IS_NOT:
		return !equal(v, vlen, p->fold, p->flen);
	case SM_COND_IS_ANY:
		return equal_any(p, v, vlen);
	case SM_COND_CONTAINS:
		return find(v, vlen, p->fold, p->flen);
	case SM_COND_CONTAINS_ANY:
		return find_items(p, v, vlen, false);
	case SM_COND_CONTAINS_ALL:
		return find_items(p, v, vlen, true);
	case SM_COND_EXCLUDES:
		return !find(v, vlen, p->fold, p->flen);
	case SM_COND_EXCLUDES_ANY:
		return !find_items(p, v, vlen, false);
	case SM_COND_EXCLUDES_ALL:
		return !find_items(p, v, vlen, true);
	case SM_COND_BEGIN_WITH:
		return prefix_len(v, vlen, p->fold, p->flen) >= 0;
	case SM_COND_NOT_BEGIN_WITH:
		return prefix_len(v, vlen, p->fold, p->flen) < 0;
	case SM_COND_END_WITH:
		return suffix(v, vlen, p->fold, p->flen);
	case SM_COND_NOT_END_WITH:
		return !suffix(v, vlen, p->fold, p->flen);
	case SM_COND_LESS_THAN:
		return order(p, v, vlen) < 0;
	case SM_COND_MORE_THAN:
		return order(p, v, vlen) > 0;
	case SM_COND_IMAGE:
		return image(p, v, vlen);
	}
	return false;
}

/* SPDX-License-Identifier: MIT */
/* Index over many filters on one field, so that a config with thousands of
 * filters costs a few lookups per field instead of one test per filter.
 *
 * Covered conditions (on folded text): is, is any, image, contains,
 * contains any, begin with, end with. Each value (or `;` item) goes into
 * a hash table keyed by what a field value must share with it:
 *   EQ    the whole text             is, is any, image with a '/'
 *   TAIL  the last path component    image without '/'
 *   PRE   the first two bytes        begin with
 *   SUF   the last two bytes         end with
 *   SUB2  two bytes at some offset   contains, 2-3 byte items
 *   SUB4  four bytes at some offset  contains, longer items
 * Items too short for their key (0-1 byte) sit in a short list. An entry
 * keeps its key (`head`) to skip hash collisions cheaply. A bucket keeps
 * its entries in item order, so a lookup stops at the first hit and the
 * caller gets the first filter (document order) that matches: RuleName and
 * "first match decides" need that one. Items are numbered by the caller:
 * filter positions for a field's filters, or <Rule> ordinals when the
 * index gates the <Rule>s of an element. */
#include <errno.h>
#include <string.h>
#include "rules_index.h"

struct sm_ipat {
	const char *p;
	uint32_t len;
	uint32_t item;
	uint32_t head;            /* key bytes, or the full hash for EQ/TAIL */
};

struct sm_itable {
	uint32_t mask;            /* buckets - 1 */
	uint32_t *start;          /* mask + 2 offsets into pat */
	struct sm_ipat *pat;
	struct sm_ipat *shorts;   /* shorter than the key, item order */
	uint32_t npat, nshort;
};

enum { T_EQ, T_TAIL, T_PRE, T_SUF, T_SUB2, T_SUB4, T_COUNT };

struct sm_index {
	struct sm_itable t[T_COUNT];
};

struct range {                    /* looking for the smallest item in [lo, best) */
	uint32_t lo, best;
};

static uint32_t mix(uint32_t h)
{
	h *= 0x9e3779b1u;
	return h ^ (h >> 15);
}

static uint32_t hash_all(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return mix(h);
}

static uint32_t get2(const char *s)
{
	return (uint32_t)(unsigned char)s[0] << 8 | (unsigned char)s[1];
}

static uint32_t get4(const char *s)
{
	return get2(s) << 16 | get2(s + 2);
}

/* The table an item of `len` bytes of pattern p goes to; -1: none. */
static int table_for(const struct sm_pattern *p, uint32_t len)
{
	switch (p->cond) {
	case SM_COND_IS:
	case SM_COND_IS_ANY:
		return T_EQ;
	case SM_COND_IMAGE:
		return p->has_slash ? T_EQ : T_TAIL;
	case SM_COND_CONTAINS:
	case SM_COND_CONTAINS_ANY:
		return len >= 4 ? T_SUB4 : T_SUB2;
	case SM_COND_BEGIN_WITH:
		return T_PRE;
	case SM_COND_END_WITH:
		return T_SUF;
	}
	return -1;
}

bool sm_index_covers(const struct sm_pattern *p)
{
	return table_for(p, 0) >= 0;
}

static bool keyed(int t, uint32_t len)
{
	return t == T_EQ || t == T_TAIL || len >= 2;
}

static uint32_t head_of(int t, const char *p, uint32_t len)
{
	switch (t) {
	case T_EQ:
	case T_TAIL:
		return hash_all(p, len);
	case T_SUF:
		return get2(p + len - 2);
	case T_SUB4:
		return get4(p);
	}
	return get2(p);
}

static uint32_t bucket(const struct sm_itable *tb, uint32_t head)
{
	return mix(head) & tb->mask;
}

typedef void item_fn(struct sm_index *, int, const char *, uint32_t, uint32_t);

/* Calls fn for every item (value or `;` item) of pattern p, numbered k. */
static void each_item(const struct sm_pattern *p, uint32_t k, item_fn *fn,
		      struct sm_index *x)
{
	if (p->cond == SM_COND_IS_ANY || p->cond == SM_COND_CONTAINS_ANY) {
		for (uint32_t i = 0; i < p->ntok; i++) {
			const struct sm_tok *t = &p->tok[i];

			fn(x, table_for(p, t->len), p->fold + t->off, t->len, k);
		}
	} else {
		fn(x, table_for(p, p->flen), p->fold, p->flen, k);
	}
}

static void count_item(struct sm_index *x, int t, const char *p, uint32_t len,
		       uint32_t k)
{
	(void)k;
	if (!keyed(t, len))
		x->t[t].nshort++;
	else if (x->t[t].start) /* second pass: bucket sizes */
		x->t[t].start[bucket(&x->t[t], head_of(t, p, len)) + 1]++;
	else
		x->t[t].npat++;
}

static void add_item(struct sm_index *x, int t, const char *p, uint32_t len,
		     uint32_t k)
{
	struct sm_itable *tb = &x->t[t];
	struct sm_ipat item = { p, len, k, 0 };

	if (!keyed(t, len)) {
		tb->shorts[tb->nshort++] = item;
		return;
	}
	item.head = head_of(t, p, len);
	tb->pat[tb->start[bucket(tb, item.head)]++] = item;
}

static int alloc_table(struct sm_arena *a, struct sm_itable *tb)
{
	uint32_t buckets = 16;

	while (buckets < 2 * tb->npat)
		buckets *= 2;
	tb->mask = buckets - 1;
	tb->start = sm_arena_alloc(a, sizeof(*tb->start) * (buckets + 1));
	tb->pat = sm_arena_alloc(a, sizeof(*tb->pat) * (tb->npat + 1));
	tb->shorts = sm_arena_alloc(a, sizeof(*tb->shorts) * (tb->nshort + 1));
	tb->nshort = 0;
	return tb->start && tb->pat && tb->shorts ? 0 : -ENOMEM;
}

/* Bucket sizes in start[b + 1] -> offsets; add_item then moves start[b]
 * to the end of bucket b, and shift_back restores the offsets. */
static void prefix_sums(struct sm_itable *tb)
{
	for (uint32_t b = 1; b <= tb->mask + 1; b++)
		tb->start[b] += tb->start[b - 1];
}

static void shift_back(struct sm_itable *tb)
{
	for (uint32_t b = tb->mask + 1; b > 0; b--)
		tb->start[b] = tb->start[b - 1];
	tb->start[0] = 0;
}

int sm_index_build(struct sm_arena *a, const struct sm_pattern *const *pats,
		   const uint32_t *nums, uint32_t n, struct sm_index **out)
{
	struct sm_index *x = sm_arena_alloc(a, sizeof(*x));

	if (!x)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		each_item(pats[i], nums[i], count_item, x);
	for (int t = 0; t < T_COUNT; t++)
		if (alloc_table(a, &x->t[t]))
			return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		each_item(pats[i], nums[i], count_item, x);
	for (int t = 0; t < T_COUNT; t++) {
		prefix_sums(&x->t[t]);
		x->t[t].nshort = 0;
	}
	for (uint32_t i = 0; i < n; i++)
		each_item(pats[i], nums[i], add_item, x);
	for (int t = 0; t < T_COUNT; t++)
		shift_back(&x->t[t]);
	*out = x;
	return 0;
}

/* ---- lookups ---- */

enum { EXACT, PREFIX, SUFFIX };

/* First entry of the bucket for `head` in range r whose text is v
 * (EXACT), starts v[0..avail) (PREFIX) or ends v[0..avail) (SUFFIX). */
static uint32_t in_bucket(const struct sm_itable *tb, uint32_t head,
			  const char *v, size_t avail, int how, struct range r)
{
	uint32_t b = bucket(tb, head);

	for (uint32_t i = tb->start[b]; i < tb->start[b + 1]; i++) {
		const struct sm_ipat *it = &tb->pat[i];

		if (it->item >= r.best)
			break;
		if (it->head != head || it->item < r.lo ||
		    (how == EXACT ? it->len != avail : it->len > avail))
			continue;
		if (!memcmp(how == SUFFIX ? v + avail - it->len : v, it->p, it->len))
			return it->item;
	}
	return r.best;
}

static uint32_t find_eq(const struct sm_itable *tb, const char *v, size_t vlen,
			struct range r)
{
	if (!tb->npat)
		return r.best;
	return in_bucket(tb, hash_all(v, vlen), v, vlen, EXACT, r);
}

static uint32_t find_tail(const struct sm_itable *tb, const char *v, size_t vlen,
			  struct range r)
{
	const char *slash;

	if (!tb->npat)
		return r.best;
	slash = memrchr(v, '/', vlen);
	if (slash) {
		vlen -= (size_t)(slash + 1 - v);
		v = slash + 1;
	}
	return find_eq(tb, v, vlen, r);
}

/* Short items (0 or 1 byte) against byte v[at], or anywhere if at < 0. */
static uint32_t find_short(const struct sm_itable *tb, const char *v, size_t vlen,
			   long at, struct range r)
{
	for (uint32_t i = 0; i < tb->nshort; i++) {
		const struct sm_ipat *it = &tb->shorts[i];

		if (it->item >= r.best)
			break;
		if (it->item < r.lo)
			continue;
		if (!it->len || (at < 0 ? memchr(v, it->p[0], vlen) != NULL
					: vlen > 0 && v[at] == it->p[0]))
			return it->item;
	}
	return r.best;
}

static uint32_t find_pre(const struct sm_itable *tb, const char *v, size_t vlen,
			 struct range r)
{
	r.best = find_short(tb, v, vlen, 0, r);
	if (tb->npat && vlen >= 2)
		r.best = in_bucket(tb, get2(v), v, vlen, PREFIX, r);
	return r.best;
}

static uint32_t find_suf(const struct sm_itable *tb, const char *v, size_t vlen,
			 struct range r)
{
	r.best = find_short(tb, v, vlen, vlen ? (long)vlen - 1 : 0, r);
	if (tb->npat && vlen >= 2)
		r.best = in_bucket(tb, get2(v + vlen - 2), v, vlen, SUFFIX, r);
	return r.best;
}

static uint32_t find_sub(const struct sm_itable *t2, const struct sm_itable *t4,
			 const char *v, size_t vlen, struct range r)
{
	r.best = find_short(t2, v, vlen, -1, r);
	if (!t2->npat && !t4->npat)
		return r.best;
	for (size_t i = 0; i + 1 < vlen && r.best > r.lo; i++) {
		if (t2->npat)
			r.best = in_bucket(t2, get2(v + i), v + i, vlen - i, PREFIX, r);
		if (t4->npat && i + 3 < vlen)
			r.best = in_bucket(t4, get4(v + i), v + i, vlen - i, PREFIX, r);
	}
	return r.best;
}

uint32_t sm_index_min(const struct sm_index *x, const char *v, size_t vlen,
		      uint32_t lo, uint32_t best)
{
	struct range r = { lo, best };

	r.best = find_eq(&x->t[T_EQ], v, vlen, r);
	r.best = find_tail(&x->t[T_TAIL], v, vlen, r);
	r.best = find_pre(&x->t[T_PRE], v, vlen, r);
	r.best = find_suf(&x->t[T_SUF], v, vlen, r);
	return find_sub(&x->t[T_SUB2], &x->t[T_SUB4], v, vlen, r);
}

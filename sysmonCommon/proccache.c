/* SPDX-License-Identifier: MIT */
#include "proccache.h"

#include <stdlib.h>
#include <string.h>

#define NCLASS 6
static const uint32_t class_size[NCLASS] = { 128, 512, 2048, 8192, 32768,
					     131072 };

struct blob {
	struct blob *next_free;
	/* bytes follow */
};

struct entry {
	struct sm_proc p;
	struct blob *blob;       /* holds image + cmdline */
	int cls;
	struct entry *hnext;     /* hash chain */
	struct entry *prev, *next; /* its list (live or gone), oldest first */
};

/* Entries in order: the live ones by insertion, the exited ones by exit
 * time (expiry and eviction take the oldest exited first). */
struct list {
	struct entry *oldest, *newest;
};

struct sm_proccache {
	size_t cap, count, nbuckets;
	size_t used;             /* slab entries handed out so far */
	struct entry **buckets;
	struct entry *slab, *free_entries; /* (the slab's untouched part is
					    * not linked: its pages stay
					    * unallocated until needed) */
	struct list live, gone;
	struct blob *free_blobs[NCLASS];
	uint64_t tick_ns; /* /proc's unit of start times */
};

struct sm_proccache *sm_pc_new(size_t capacity)
{
	struct sm_proccache *pc = calloc(1, sizeof(*pc));
	size_t nb = 64;

	if (!pc || capacity == 0)
		goto fail;
	while (nb < capacity)
		nb <<= 1;
	pc->cap = capacity;
	pc->nbuckets = nb;
	pc->tick_ns = SM_PROC_TICK_NS;
	pc->buckets = calloc(nb, sizeof(*pc->buckets));
	pc->slab = calloc(capacity, sizeof(*pc->slab));
	if (!pc->buckets || !pc->slab)
		goto fail;
	return pc;
fail:
	sm_pc_free(pc);
	return NULL;
}

void sm_pc_set_tick(struct sm_proccache *pc, uint64_t tick_ns)
{
	if (tick_ns)
		pc->tick_ns = tick_ns;
}

void sm_pc_free(struct sm_proccache *pc)
{
	if (!pc)
		return;
	for (size_t i = 0; pc->slab && i < pc->used; i++)
		free(pc->slab[i].blob);
	for (int c = 0; c < NCLASS; c++) {
		while (pc->free_blobs[c]) {
			struct blob *b = pc->free_blobs[c];

			pc->free_blobs[c] = b->next_free;
			free(b);
		}
	}
	free(pc->slab);
	free(pc->buckets);
	free(pc);
}

static size_t bucket(const struct sm_proccache *pc, uint32_t pid)
{
	return (pid * 2654435761u) & (pc->nbuckets - 1);
}

static int class_for(size_t n)
{
	for (int c = 0; c < NCLASS; c++)
		if (n <= class_size[c])
			return c;
	return -1;
}

static struct blob *blob_get(struct sm_proccache *pc, int c)
{
	struct blob *b = pc->free_blobs[c];

	if (b) {
		pc->free_blobs[c] = b->next_free;
		return b;
	}
	return malloc(sizeof(*b) + class_size[c]);
}

static void blob_put(struct sm_proccache *pc, struct entry *e)
{
	if (!e->blob)
		return;
	e->blob->next_free = pc->free_blobs[e->cls];
	pc->free_blobs[e->cls] = e->blob;
	e->blob = NULL;
}

static struct list *list_of(struct sm_proccache *pc, const struct entry *e)
{
	return e->p.exited ? &pc->gone : &pc->live;
}

static void list_unlink(struct list *l, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->oldest = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->newest = e->prev;
	e->prev = e->next = NULL;
}

static void list_append(struct list *l, struct entry *e)
{
	e->prev = l->newest;
	e->next = NULL;
	if (l->newest)
		l->newest->next = e;
	else
		l->oldest = e;
	l->newest = e;
}

static struct entry *find(const struct sm_proccache *pc, uint32_t pid)
{
	struct entry *e = pc->buckets[bucket(pc, pid)];

	while (e && e->p.pid != pid)
		e = e->hnext;
	return e;
}

static void remove_entry(struct sm_proccache *pc, struct entry *e)
{
	struct entry **pp = &pc->buckets[bucket(pc, e->p.pid)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	list_unlink(list_of(pc, e), e);
	blob_put(pc, e);
	memset(e, 0, sizeof(*e));
	e->hnext = pc->free_entries;
	pc->free_entries = e;
	pc->count--;
}

/* Make room: the entry that exited first, else the oldest live one. */
static void evict_one(struct sm_proccache *pc)
{
	struct entry *e = pc->gone.oldest ? pc->gone.oldest : pc->live.oldest;

	if (e)
		remove_entry(pc, e);
}

static int store_strings(struct sm_proccache *pc, struct entry *e,
			 struct sm_str image, struct sm_str cmdline)
{
	int c = class_for((size_t)image.len + cmdline.len);
	char *dst;

	if (c < 0) {
		cmdline.len = class_size[NCLASS - 1] - image.len;
		c = NCLASS - 1;
	}
	e->blob = blob_get(pc, c);
	if (!e->blob)
		return -1;
	e->cls = c;
	dst = (char *)(e->blob + 1);
	if (image.len)
		memcpy(dst, image.p, image.len);
	if (cmdline.len)
		memcpy(dst + image.len, cmdline.p, cmdline.len);
	e->p.image = (struct sm_str){ image.len ? dst : NULL, image.len };
	e->p.cmdline = (struct sm_str){ cmdline.len ? dst + image.len : NULL,
					cmdline.len };
	return 0;
}

/* A free entry: a released one, else the next one of the slab. */
static struct entry *new_entry(struct sm_proccache *pc)
{
	struct entry *e = pc->free_entries;

	if (e)
		pc->free_entries = e->hnext;
	else if (pc->used < pc->cap)
		e = &pc->slab[pc->used++];
	return e;
}

const struct sm_proc *sm_pc_put(struct sm_proccache *pc, uint32_t pid,
				uint64_t start, uint32_t uid,
				const struct sm_guid *guid, struct sm_str image,
				struct sm_str cmdline)
{
	struct entry *e = find(pc, pid);

	if (image.len > class_size[NCLASS - 1] / 2)
		image.len = class_size[NCLASS - 1] / 2;
	if (e) {
		remove_entry(pc, e);
	}
	if (pc->count >= pc->cap)
		evict_one(pc);
	e = new_entry(pc);
	if (!e)
		return NULL;
	e->p = (struct sm_proc){ .pid = pid, .uid = uid, .start = start,
				 .guid = *guid };
	if (store_strings(pc, e, image, cmdline)) {
		e->hnext = pc->free_entries;
		pc->free_entries = e;
		return NULL;
	}
	e->hnext = pc->buckets[bucket(pc, pid)];
	pc->buckets[bucket(pc, pid)] = e;
	list_append(&pc->live, e);
	pc->count++;
	return &e->p;
}

const struct sm_proc *sm_pc_get(const struct sm_proccache *pc, uint32_t pid,
				uint64_t start)
{
	struct entry *e = find(pc, pid);

	if (!e)
		return NULL;
	if (start && e->p.start &&
	    !sm_same_tick(pc->tick_ns, start, e->p.start))
		return NULL;
	return &e->p;
}

void sm_pc_exited(struct sm_proccache *pc, uint32_t pid, uint64_t now)
{
	struct entry *e = find(pc, pid);

	if (!e || e->p.exited)
		return;
	list_unlink(&pc->live, e);
	e->p.exited = now ? now : 1;
	list_append(&pc->gone, e);
}

void sm_pc_expire(struct sm_proccache *pc, uint64_t now, uint64_t grace)
{
	while (pc->gone.oldest && pc->gone.oldest->p.exited + grace <= now)
		remove_entry(pc, pc->gone.oldest);
}

size_t sm_pc_count(const struct sm_proccache *pc)
{
	return pc->count;
}

void sm_pc_foreach(struct sm_proccache *pc,
		   int (*fn)(const struct sm_proc *p, void *arg), void *arg)
{
	for (struct entry *e = pc->live.oldest; e; e = e->next)
		if (fn(&e->p, arg))
			return;
}

/* SPDX-License-Identifier: MIT */
/* Writing the minimal BTF, and reading the same members' offsets from a
 * real one (to compare discovered offsets with). */
#include "btfsynth.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmembers.h"
#include "log.h"

#define SM_KM_MAX_STRUCTS 64

struct synth {
	struct btf *btf;
	int ints[9]; /* unsigned ints by size in bytes */
	int ptr, chars16;
	const char *names[SM_KM_MAX_STRUCTS];
	int ids[SM_KM_MAX_STRUCTS];
	int n;
};

static int struct_id(const struct synth *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return s->ids[i];
	return 0;
}

static int base_types(struct synth *s)
{
	static const char *const names[9] = {
		[1] = "unsigned char",
		[2] = "short unsigned int",
		[4] = "unsigned int",
		[8] = "long long unsigned int",
	};
	int ch;

	for (int sz = 1; sz <= 8; sz *= 2) {
		s->ints[sz] = btf__add_int(s->btf, names[sz], sz, 0);
		if (s->ints[sz] < 0)
			return s->ints[sz];
	}
	s->ptr = btf__add_ptr(s->btf, 0);
	ch = btf__add_int(s->btf, "char", 1, BTF_INT_CHAR);
	if (s->ptr < 0 || ch < 0)
		return -EINVAL;
	s->chars16 = btf__add_array(s->btf, s->ints[4], ch, 16);
	return s->chars16 < 0 ? s->chars16 : 0;
}

/* The type of row m's member, adding an enum or a memberless struct
 * (in6_addr) when first needed; adding them happens before a struct. */
static int member_type(struct synth *s, const struct sm_kmember *m)
{
	int id;

	switch (m->kind) {
	case SM_KM_INT:
		return m->size <= 8 ? s->ints[m->size] : -EINVAL;
	case SM_KM_PTR:
		return s->ptr;
	case SM_KM_CHARS:
		return s->chars16;
	case SM_KM_ENUM:
	case SM_KM_STRUCT:
		id = struct_id(s, m->of);
		if (id || s->n == SM_KM_MAX_STRUCTS)
			return id ? id : -E2BIG;
		id = m->kind == SM_KM_ENUM
			     ? btf__add_enum(s->btf, m->of, m->size)
			     : btf__add_struct(s->btf, m->of, m->size);
		if (id > 0) {
			s->names[s->n] = m->of;
			s->ids[s->n++] = id;
		}
		return id;
	}
	return -EINVAL;
}

static int32_t row_off(const int32_t *off, size_t i)
{
	return sm_kmembers[i].fixed >= 0 ? sm_kmembers[i].fixed : off[i];
}

/* One struct: rows first..(end) of the same type, present ones only. */
static int add_struct(struct synth *s, const int32_t *off, size_t first,
		      size_t end)
{
	int types[end - first + 1];
	uint32_t size = 0;
	int id;

	for (size_t i = first; i < end; i++) {
		types[i - first] = member_type(s, &sm_kmembers[i]);
		if (types[i - first] < 0)
			return types[i - first];
		if (row_off(off, i) >= 0 &&
		    (uint32_t)row_off(off, i) + sm_kmembers[i].size > size)
			size = (uint32_t)row_off(off, i) + sm_kmembers[i].size;
	}
	id = btf__add_struct(s->btf, sm_kmembers[first].type, (size + 7) & ~7u);
	if (id < 0 || s->n == SM_KM_MAX_STRUCTS)
		return id < 0 ? id : -E2BIG;
	s->names[s->n] = sm_kmembers[first].type;
	s->ids[s->n++] = id;
	for (size_t i = first; i < end; i++) {
		int err;

		if (row_off(off, i) < 0)
			continue;
		err = btf__add_field(s->btf, sm_kmembers[i].name,
				     types[i - first],
				     (uint32_t)row_off(off, i) * 8, 0);
		if (err)
			return err;
	}
	return 0;
}

static int add_structs(struct synth *s, const int32_t *off)
{
	size_t first = 0;

	while (first < sm_n_kmembers) {
		size_t end = first + 1;
		int err;

		while (end < sm_n_kmembers &&
		       !strcmp(sm_kmembers[end].type, sm_kmembers[first].type))
			end++;
		err = add_struct(s, off, first, end);
		if (err)
			return err;
		first = end;
	}
	return 0;
}

static int write_raw(const struct btf *btf, const char *path)
{
	uint32_t size;
	const void *data = btf__raw_data(btf, &size);
	FILE *f;
	int err = 0;

	if (!data)
		return -ENOMEM;
	f = fopen(path, "we");
	if (!f)
		return -errno;
	if (fwrite(data, 1, size, f) != size)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

int sm_btf_write(const int32_t *off, const char *path)
{
	struct synth s = { .btf = btf__new_empty() };
	int err;

	if (!s.btf)
		return -ENOMEM;
	err = base_types(&s);
	if (!err)
		err = add_structs(&s, off);
	if (!err)
		err = write_raw(s.btf, path);
	if (err)
		sm_err("cannot write the BTF file %s: %s", path,
		       strerror(-err));
	btf__free(s.btf);
	return err;
}

/* The bit offset of member name in struct/union t (looking through
 * anonymous members), and its type; -1 when not there. */
static long find_member(const struct btf *b, const struct btf_type *t,
			const char *name, uint32_t *type)
{
	const struct btf_member *m = btf_members(t);

	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(b, m->name_off);
		const struct btf_type *mt = btf__type_by_id(b, m->type);
		long sub;

		if (mn && *mn) {
			if (strcmp(mn, name))
				continue;
			*type = m->type;
			return btf_member_bit_offset(t, i);
		}
		mt = btf__type_by_id(b, btf__resolve_type(b, m->type));
		if (!mt || !btf_is_composite(mt))
			continue;
		sub = find_member(b, mt, name, type);
		if (sub >= 0)
			return btf_member_bit_offset(t, i) + sub;
	}
	return -1;
}

/* A path like "i_mtime.tv_sec" in struct t: bit offset or -1. */
static long path_offset(const struct btf *b, const struct btf_type *t,
			const char *path)
{
	char part[64];
	long total = 0;

	while (t && *path) {
		size_t len = strcspn(path, ".");
		uint32_t type = 0;
		long bits;

		if (len >= sizeof(part))
			return -1;
		memcpy(part, path, len);
		part[len] = 0;
		bits = find_member(b, t, part, &type);
		if (bits < 0)
			return -1;
		total += bits;
		path += len + (path[len] == '.');
		t = btf__type_by_id(b, btf__resolve_type(b, type));
		if (*path && (!t || !btf_is_composite(t)))
			return -1;
	}
	return total;
}

static int32_t kernel_offset(const struct btf *b, const struct sm_kmember *m)
{
	int id = btf__find_by_name_kind(b, m->type, BTF_KIND_STRUCT);
	const struct btf_type *t = id > 0 ? btf__type_by_id(b, id) : NULL;
	const char *alias = m->alias;
	long bits = t ? path_offset(b, t, m->name) : -1;

	while (t && bits < 0 && alias && *alias) {
		char one[96];
		size_t len = strcspn(alias, "|");

		snprintf(one, sizeof(one), "%.*s", (int)len, alias);
		bits = path_offset(b, t, one);
		alias += len + (alias[len] == '|');
	}
	return bits < 0 ? -1 : (int32_t)(bits / 8);
}

void sm_btf_offsets(const struct btf *kbtf, int32_t *off)
{
	for (size_t i = 0; i < sm_n_kmembers; i++)
		off[i] = sm_kmembers[i].fixed >= 0
				 ? sm_kmembers[i].fixed
				 : kernel_offset(kbtf, &sm_kmembers[i]);
}

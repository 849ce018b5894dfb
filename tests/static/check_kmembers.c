/* SPDX-License-Identifier: MIT */
/* The member table against the objects and the kernel:
 *  - every struct member the eBPF objects read (MIN_BTF: bpftool gen
 *    min_core_btf of all of them against the kernel's BTF) has its row in
 *    sm_kmembers (by name or alias), so a program reading a new member
 *    fails here until the table (and discovery) know it;
 *  - the BTF written from the kernel's own offsets (to OUT) gives, read
 *    back, the kernel's offset for every row the kernel has: the writer
 *    puts each member where libbpf will look for it.
 * Prints every row with its offset. Usage: check_kmembers MIN_BTF OUT */
#include <bpf/btf.h>
#include <stdio.h>
#include <string.h>

#include "btfsynth.h"
#include "kmembers.h"

/* Named members of t, looking through anonymous ones; 1 per miss. */
static int check_struct(const struct btf *b, const char *sname,
			const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	int bad = 0;

	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(b, m->name_off);
		const struct btf_type *mt;

		if (mn && *mn) {
			if (sm_kmember_find(sname, mn) < 0) {
				printf("FAIL: the objects read %s.%s: add it "
				       "to sysmonCommon/kmembers.c\n",
				       sname, mn);
				bad++;
			}
			continue;
		}
		mt = btf__type_by_id(b, btf__resolve_type(b, m->type));
		if (mt && btf_is_composite(mt))
			bad += check_struct(b, sname, mt);
	}
	return bad;
}

static int check_coverage(const char *min_path)
{
	struct btf *b = btf__parse(min_path, NULL);
	int bad = 0, n = 0;

	if (!b) {
		printf("FAIL: cannot read %s\n", min_path);
		return 1;
	}
	for (uint32_t id = 1; id < btf__type_cnt(b); id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *name = btf__name_by_offset(b, t->name_off);

		if (!btf_is_struct(t) || !name || !*name)
			continue;
		bad += check_struct(b, name, t);
		n++;
	}
	btf__free(b);
	printf("%s: %d structs read by the objects, %d members missing\n",
	       bad ? "FAIL" : "ok", n, bad);
	return bad || n < 10;
}

static int check_roundtrip(const char *out)
{
	int32_t kern[sm_n_kmembers], back[sm_n_kmembers];
	struct btf *k = btf__load_vmlinux_btf(), *w;
	int bad = 0;

	if (!k || sm_btf_write((sm_btf_offsets(k, kern), kern), out)) {
		printf("FAIL: cannot read the kernel BTF or write %s\n", out);
		return 1;
	}
	w = btf__parse(out, NULL);
	if (!w) {
		printf("FAIL: the written BTF %s does not parse\n", out);
		return 1;
	}
	sm_btf_offsets(w, back);
	for (size_t i = 0; i < sm_n_kmembers; i++) {
		const struct sm_kmember *m = &sm_kmembers[i];
		int ok = back[i] == kern[i] && (kern[i] >= 0 || m->optional);

		printf("%-4s %s.%s %d (written: %d)\n", ok ? "ok" : "FAIL",
		       m->type, m->name, kern[i], back[i]);
		bad += !ok;
	}
	btf__free(k);
	btf__free(w);
	return bad != 0;
}

int main(int argc, char **argv)
{
	int bad;

	if (argc != 3) {
		fprintf(stderr, "usage: check_kmembers MIN_BTF OUT\n");
		return 2;
	}
	bad = check_coverage(argv[1]);
	bad |= check_roundtrip(argv[2]);
	return bad;
}

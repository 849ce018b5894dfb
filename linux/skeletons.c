/* SPDX-License-Identifier: MIT */
/* One adapter per row of the variant table (generated sm_variants.inc). */
#include "skeletons.h"

#include <bpf/libbpf.h>

#include "sm_skeletons.inc"

/* where the run-time settings live: .rodata, or the settings map */
#define SM_SETTINGS_1(sk) (&(sk)->rodata->sm_cfg)
#define SM_SETTINGS_0(sk) NULL
#define SM_SETTINGS_MAP_1(sk) NULL
#define SM_SETTINGS_MAP_0(sk) ((sk)->maps.sm_settings_map)

#define SM_VARIANT(id, label, maj, min, globals, raw_tp) \
static void *open_##id(const struct bpf_object_open_opts *o) \
{ \
	return sysmon_##id##__open_opts(o); \
} \
static void bind_##id(void *s, struct sm_skel_view *k) \
{ \
	struct sysmon_##id *sk = s; \
	k->obj = sk->obj; \
	k->events = sk->maps.sm_events; \
	k->stats = sk->maps.sm_stats; \
	k->scratch = sk->maps.sm_scratch_map; \
	k->settings = SM_SETTINGS_##globals(sk); \
	k->settings_map = SM_SETTINGS_MAP_##globals(sk); \
} \
static int load_##id(void *s) \
{ \
	return sysmon_##id##__load(s); \
} \
static void destroy_##id(void *s) \
{ \
	sysmon_##id##__destroy(s); \
} \
static const void *elf_##id(size_t *size) \
{ \
	return sysmon_##id##__elf_bytes(size); \
}
#include "sm_variants.inc"

#undef SM_VARIANT
#define SM_VARIANT(id, label, maj, min, globals, raw_tp) \
	{ #id, label, maj, min, raw_tp, globals, \
	  open_##id, bind_##id, load_##id, destroy_##id, elf_##id },
const struct sm_variant sm_variants[] = {
#include "sm_variants.inc"
};
const size_t sm_n_variants = sizeof(sm_variants) / sizeof(sm_variants[0]);

/* SPDX-License-Identifier: MIT */
/* The embedded eBPF objects (libbpf skeletons), one per kernel range, seen
 * through one common view: every skeleton has the same member names. */
#ifndef SM_SKELETONS_H
#define SM_SKELETONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sysmon_abi.h"

struct bpf_object;
struct bpf_program;
struct bpf_map;
struct bpf_object_open_opts;

struct sm_skel_view {
	struct bpf_object *obj; /* programs are looked up by name */
	struct bpf_map *events, *stats, *scratch;
	struct sm_settings *settings;  /* .rodata, or NULL: */
	struct bpf_map *settings_map;  /* the settings map (no global data) */
};

struct sm_variant {
	const char *id;    /* e.g. "v5_6" */
	const char *label; /* e.g. "5.6+" */
	int maj, min;      /* oldest kernel of the range */
	bool raw_tp;       /* raw tracepoints available */
	bool globals;      /* global data (settings in .rodata) */
	void *(*open)(const struct bpf_object_open_opts *o);
	void (*bind)(void *skel, struct sm_skel_view *k);
	int (*load)(void *skel);
	void (*destroy)(void *skel);
	const void *(*elf)(size_t *size); /* the embedded object file */
};

extern const struct sm_variant sm_variants[];
extern const size_t sm_n_variants;

#endif

/* SPDX-License-Identifier: MIT */
/* Choosing, loading and attaching the eBPF object for this kernel. */
#ifndef SM_LOADER_H
#define SM_LOADER_H

#include <stdbool.h>
#include <stdint.h>

struct bpf_map;
struct sm_config;

struct sm_load_opts {
	const char *btf_path;    /* -btf FILE, or NULL */
	const char *force_variant; /* object id to use regardless of kernel */
	bool force_perfbuf;      /* perf buffer even where a ring buffer exists */
	unsigned buffer_kib;     /* event buffer size (0: default); ring: the
				    whole ring, perf: per CPU */
	uint32_t self_tgid;
};

struct sm_bpf;

/* Attach rows: which program (by name), where, and for which event. Each
 * record type's rows are sm_attach_<tag>[] beside its handler (the tag and
 * file of its line in records.def), ended by a row of zeros ({ 0 }); an
 * event's rows are attached when the configuration can log it. cat NULL:
 * where the program's section says, which differs by object (a raw
 * tracepoint from 4.17, else a regular one; 4.15's TCP state tracepoint
 * has another name); name is then only for messages. */
struct sm_attach {
	const char *prog;
	const char *cat;
	const char *name;
	unsigned event;
};

#define SM_RECORD(NAME, type, tag, ...) \
	extern const struct sm_attach sm_attach_##tag[];
#include "records.def"

/* Picks and loads the object (attaching nothing: create the reader first,
 * then sm_bpf_apply, so no record is emitted before anyone reads). *out on
 * success. Prints what failed and what to do; returns a negative errno. */
int sm_bpf_start(const struct sm_load_opts *o, struct sm_bpf **out);
/* Attach exactly the programs cfg needs, detaching the others. */
int sm_bpf_apply(struct sm_bpf *b, const struct sm_config *cfg);
/* Detach every program: no record is emitted after this. */
void sm_bpf_detach(struct sm_bpf *b);
void sm_bpf_stop(struct sm_bpf *b);

struct bpf_map *sm_bpf_events(const struct sm_bpf *b);
bool sm_bpf_uses_ringbuf(const struct sm_bpf *b);
unsigned sm_bpf_buffer_kib(const struct sm_bpf *b); /* as asked; 0: default */
const char *sm_bpf_describe(const struct sm_bpf *b); /* for the start line */
/* Sum over CPUs of one stats counter (enum sm_stat). */
uint64_t sm_bpf_stat(const struct sm_bpf *b, unsigned stat);

#endif

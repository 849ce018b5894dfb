/* SPDX-License-Identifier: MIT */
/* The loader: picks the object for this kernel (version + feature probes),
 * mounts tracefs when needed, sets the run-time settings, loads, and
 * attaches only the programs the configuration needs. */
#include "loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "schema.h"
#include "sysmon_abi.h"

#include "skeletons.h"

#define SM_MAX_LINKS 128
#define TRACEFS "/sys/kernel/tracing"

struct sm_bpf {
	const struct sm_variant *v;
	void *skel;
	struct sm_skel_view k;
	bool ringbuf;
	unsigned buffer_kib;
	bool forced;        /* -ebpfobject: maybe not this kernel's object */
	const struct sm_attach *rows[SM_MAX_LINKS]; /* every record's */
	size_t nrows;
	struct bpf_link *links[SM_MAX_LINKS]; /* rows[i]'s, or NULL */
	char desc[160];
};

/* The program reading the kernel's copy of a deleted name: it needs the
 * cache argument of kmem_cache_free (5.12+); the kernel refuses to attach
 * it before (EINVAL). */
#define KNAME "sm_fd_kname"

/* Extras that an object may lack, on tracepoints the kernel may lack (a
 * file system's, io_uring's): attached where both exist. */
static const char *const optional_progs[] = {
	"sm_fd_ext4_unlink",    "sm_uring_submit",     "sm_uring_open_done",
	"sm_uring_del_done23",  "sm_uring_del_done26", "sm_uring_raw_done",
	"sm_uring_accept_done", "sm_uring_overflow",   "sm_uring_accept_submit",
	KNAME,
};

/* The program without which io_uring's operations go unseen. */
#define URING_SUBMIT "sm_uring_submit"

static bool is_optional(const struct sm_attach *a)
{
	for (size_t i = 0; i < sizeof(optional_progs) / sizeof(optional_progs[0]); i++)
		if (!strcmp(a->prog, optional_progs[i]))
			return true;
	return false;
}

/* Every record's attach rows, in the order of records.def. */
static const struct sm_attach *const record_rows[] = {
#define SM_RECORD(NAME, type, tag, ...) sm_attach_##tag,
#include "records.def"
};

/* All rows in one list: a row's index is its link's. */
static int collect_rows(struct sm_bpf *b)
{
	size_t n = sizeof(record_rows) / sizeof(record_rows[0]);

	for (size_t r = 0; r < n; r++) {
		for (const struct sm_attach *a = record_rows[r]; a->prog; a++) {
			if (b->nrows == SM_MAX_LINKS) {
				sm_err("more than %d attach rows: raise "
				       "SM_MAX_LINKS in linux/loader.c",
				       SM_MAX_LINKS);
				return -E2BIG;
			}
			b->rows[b->nrows++] = a;
		}
	}
	return 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!sm_verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int kernel_version(int *maj, int *min)
{
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%d.%d", maj, min) != 2)
		return -EINVAL;
	return 0;
}

static bool kernel_at_least(int maj, int min, int vmaj, int vmin)
{
	return maj > vmaj || (maj == vmaj && min >= vmin);
}

/* Global data: read-only array maps (5.2). */
static bool probe_globals(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_RDONLY_PROG);
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, &o);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* What the object needs that this kernel may lack despite its version
 * (backports cut both ways); NULL when all is there. */
static const char *missing_feature(const struct sm_variant *v)
{
	if (v->raw_tp &&
	    libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL) <= 0)
		return "raw tracepoints";
	if (v->globals && !probe_globals())
		return "global data";
	if (v->maj > 5 || (v->maj == 5 && v->min >= 6)) {
		if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT,
					    BPF_FUNC_probe_read_kernel, NULL) <= 0)
			return "bpf_probe_read_kernel";
	}
	return NULL;
}

static const struct sm_variant *find_variant(const char *id)
{
	for (size_t i = 0; i < sm_n_variants; i++)
		if (!strcmp(sm_variants[i].id, id))
			return &sm_variants[i];
	sm_err("no eBPF object named '%s'; there are:", id);
	for (size_t i = 0; i < sm_n_variants; i++)
		sm_info("  %s (kernels %s)", sm_variants[i].id, sm_variants[i].label);
	return NULL;
}

/* The newest object whose range starts at or below this kernel and whose
 * features the kernel has (the table is ordered oldest first). */
static const struct sm_variant *pick_variant(const char *force, char *why,
					     size_t whylen)
{
	const char *skipped = NULL;
	int maj, min, err;

	if (force) {
		snprintf(why, whylen, "forced");
		return find_variant(force);
	}
	if (kernel_version(&maj, &min))
		return NULL;
	if (!kernel_at_least(maj, min, 4, 15)) {
		sm_err("kernel %d.%d is too old: sysmon needs 4.15 or newer", maj, min);
		return NULL;
	}
	err = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);
	if (err <= 0) {
		sm_err("kernel %d.%d cannot load eBPF tracepoint programs (%s): "
		       "sysmon needs a kernel built with CONFIG_BPF_SYSCALL and "
		       "CONFIG_BPF_EVENTS", maj, min,
		       err ? strerror(-err) : "not supported");
		return NULL;
	}
	for (size_t i = sm_n_variants; i-- > 0;) {
		const struct sm_variant *v = &sm_variants[i];
		const char *miss;

		if (!kernel_at_least(maj, min, v->maj, v->min))
			continue;
		miss = missing_feature(v);
		if (miss) {
			skipped = miss;
			sm_debug("object %s skipped: the kernel lacks %s", v->id, miss);
			continue;
		}
		if (skipped)
			snprintf(why, whylen, "kernel %d.%d without %s", maj, min,
				 skipped);
		else
			snprintf(why, whylen, "kernel %d.%d", maj, min);
		return v;
	}
	sm_err("kernel %d.%d lacks what every eBPF object needs (%s)", maj,
	       min, skipped ? skipped : "?");
	return NULL;
}

/* libbpf attaches tracepoints through tracefs: mount it when missing. */
static int ensure_tracefs(void)
{
	struct stat st;

	if (stat(TRACEFS "/events", &st) == 0 ||
	    stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY) {
		int err = -errno;

		sm_err("cannot mount tracefs on " TRACEFS ": %s; mount it "
		       "(mount -t tracefs nodev " TRACEFS ") and retry",
		       strerror(errno));
		return err;
	}
	sm_debug("mounted tracefs on " TRACEFS);
	return 0;
}

static int check_btf(const char *btf_path)
{
	if (btf_path) {
		if (access(btf_path, R_OK) == 0)
			return 0;
		sm_err("cannot read BTF file %s: %s", btf_path, strerror(errno));
		return -ENOENT;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return 0;
	sm_err("this kernel has no BTF (/sys/kernel/btf/vmlinux is missing); "
	       "pass a BTF file for it with -btf FILE (e.g. from BTFHub)");
	return -ENOENT;
}

static void raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	if (setrlimit(RLIMIT_MEMLOCK, &r))
		sm_debug("cannot raise RLIMIT_MEMLOCK: %s", strerror(errno));
}

/* A ring buffer's size must be a power of two of at least a page. */
static uint32_t ring_size(unsigned kib)
{
	uint32_t size = 4096;

	while (size < kib * 1024u && size < (1u << 30))
		size <<= 1;
	return size;
}

/* Map sizes and the event channel type, before load. */
static int prepare_maps(struct sm_bpf *b, const struct sm_load_opts *o)
{
	int ncpu = libbpf_num_possible_cpus();
	int err;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	err = bpf_map__set_max_entries(b->k.scratch,
				       (uint32_t)ncpu * SM_SLOTS_PER_CPU);
	if (err)
		return err;
	/* a ring buffer when the object has one and the kernel too */
	b->ringbuf = b->k.settings && !o->force_perfbuf &&
		     bpf_map__type(b->k.events) == BPF_MAP_TYPE_RINGBUF &&
		     libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0;
	if (b->k.settings) {
		b->k.settings->self_tgid = o->self_tgid;
		b->k.settings->use_ringbuf = b->ringbuf;
	}
	b->buffer_kib = o->buffer_kib;
	if (b->ringbuf && o->buffer_kib)
		return bpf_map__set_max_entries(b->k.events,
						ring_size(o->buffer_kib));
	if (b->ringbuf || bpf_map__type(b->k.events) ==
			  BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return 0;
	err = bpf_map__set_type(b->k.events, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	if (!err)
		err = bpf_map__set_key_size(b->k.events, sizeof(uint32_t));
	if (!err)
		err = bpf_map__set_value_size(b->k.events, sizeof(uint32_t));
	if (!err)
		err = bpf_map__set_max_entries(b->k.events, (uint32_t)ncpu);
	return err;
}

/* Objects without global data read their settings from a map. */
static int write_settings_map(struct sm_bpf *b, const struct sm_load_opts *o)
{
	struct sm_settings st = { .self_tgid = o->self_tgid };
	uint32_t zero = 0;
	int err;

	if (!b->k.settings_map)
		return 0;
	err = bpf_map__update_elem(b->k.settings_map, &zero, sizeof(zero), &st,
				   sizeof(st), 0);
	if (err)
		sm_err("cannot write the eBPF settings: %s", strerror(-err));
	return err;
}

static void explain_load_error(int err)
{
	if (err == -EPERM)
		sm_err("the kernel refused to load the eBPF programs (%s): run "
		       "sysmon as root (CAP_BPF and CAP_PERFMON are needed) and "
		       "check kernel.unprivileged_bpf_disabled / lockdown",
		       strerror(-err));
	else
		sm_err("the kernel's verifier rejected the eBPF programs (%s); "
		       "run with -t to see its messages, and report them",
		       strerror(-err));
}

/* The embedded object is read only while loading (libbpf lets go of it
 * then): its pages, over a megabyte, leave the resident set. They are
 * part of the executable's file mapping, so a later read would simply
 * bring them back from the file. */
static void drop_object_pages(const struct sm_variant *v)
{
	size_t size, page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t at = (uintptr_t)v->elf(&size);
	uintptr_t from = (at + page - 1) & ~(page - 1);
	uintptr_t to = (at + size) & ~(page - 1);

	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
}

static int open_and_load(struct sm_bpf *b, const struct sm_load_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = o->btf_path);
	int err;

	b->skel = b->v->open(&oo);
	if (!b->skel) {
		err = -errno;
		sm_err("cannot open the eBPF object %s: %s", b->v->id,
		       strerror(-err));
		return err;
	}
	b->v->bind(b->skel, &b->k);
	err = prepare_maps(b, o);
	if (!err)
		err = b->v->load(b->skel);
	if (err) {
		explain_load_error(err);
		return err;
	}
	drop_object_pages(b->v);
	return write_settings_map(b, o);
}

int sm_bpf_start(const struct sm_load_opts *o, struct sm_bpf **out)
{
	struct sm_bpf *b = calloc(1, sizeof(*b));
	char why[64] = "";
	int err = -EINVAL;

	libbpf_set_print(libbpf_print);
	if (!b)
		return -ENOMEM;
	err = collect_rows(b);
	if (err)
		goto fail;
	err = -EINVAL;
	b->v = pick_variant(o->force_variant, why, sizeof(why));
	b->forced = o->force_variant != NULL;
	if (!b->v)
		goto fail;
	err = check_btf(o->btf_path);
	if (!err)
		err = ensure_tracefs();
	if (err)
		goto fail;
	raise_memlock();
	err = open_and_load(b, o);
	if (err)
		goto fail;
	snprintf(b->desc, sizeof(b->desc), "eBPF object %s (%s, %s), %s",
		 b->v->id, b->v->label, why,
		 b->ringbuf ? "ring buffer" : "perf buffer");
	*out = b;
	return 0;
fail:
	sm_bpf_stop(b);
	return err;
}

#define URING_UNSEEN "operations submitted through io_uring go unseen"

/* An optional row that cannot be attached: said at start when it is
 * io_uring's (once: its rows share one link). */
static int optional_missing(const struct sm_bpf *b, const struct sm_attach *a,
			    bool no_prog)
{
	bool uring = !strcmp(a->prog, URING_SUBMIT);

	if (uring && no_prog)
		sm_info("the eBPF object %s has no io_uring programs: %s",
			b->v->id, URING_UNSEEN);
	else if (uring)
		sm_info("this kernel has no tracepoint io_uring:%s (6.3+): %s",
			a->name, URING_UNSEEN);
	else if (!no_prog)
		sm_info("this kernel has no tracepoint %s: not used", a->name);
	return 0;
}

static int attach_one(struct sm_bpf *b, size_t i)
{
	const struct sm_attach *a = b->rows[i];
	struct bpf_program *p =
		bpf_object__find_program_by_name(b->k.obj, a->prog);
	struct bpf_link *l;

	if (!p && is_optional(a))
		return optional_missing(b, a, true);
	if (!p) {
		sm_err("the eBPF object %s has no program %s", b->v->id, a->prog);
		return -ENOENT;
	}
	if (a->cat)
		l = bpf_program__attach_tracepoint(p, a->cat, a->name);
	else
		l = bpf_program__attach(p);
	if (!l) {
		int err = -errno;

		if (err == -ENOENT && is_optional(a))
			return optional_missing(b, a, false);
		if (err == -EINVAL && !strcmp(a->prog, KNAME)) {
			sm_info("this kernel's kmem:kmem_cache_free does not say "
				"the cache (5.12+): file deletes off ext4 log "
				"the name as copied at the call's entry");
			return 0;
		}
		if (err == -ENOENT && a->cat && !strcmp(a->cat, "syscalls")) {
			/* a syscall this kernel does not have (openat2 before
			 * 5.6, module loading without CONFIG_MODULES) */
			sm_info("this kernel has no tracepoint %s: not watched",
				a->name);
			return 0;
		}
		sm_err("cannot attach to tracepoint %s: %s%s%s%s", a->cat ?
		       a->name : bpf_program__section_name(p), strerror(-err),
		       b->forced ? " (-ebpfobject chose the object for kernels " : "",
		       b->forced ? b->v->label : "",
		       b->forced ? "; without it sysmon picks this kernel's)" : "");
		return err;
	}
	b->links[i] = l;
	return 0;
}

/* The first row attaching the same program to the same tracepoint: rows
 * shared by several events hold one link (a second attach fails). */
static size_t first_row(const struct sm_bpf *b, size_t i)
{
	const struct sm_attach *a = b->rows[i];

	for (size_t j = 0; j < i; j++) {
		const struct sm_attach *o = b->rows[j];

		if (!strcmp(o->prog, a->prog) && !strcmp(o->name, a->name) &&
		    ((!o->cat && !a->cat) || (o->cat && a->cat && !strcmp(o->cat, a->cat))))
			return j;
	}
	return i;
}

int sm_bpf_apply(struct sm_bpf *b, const struct sm_config *cfg)
{
	bool want[SM_MAX_LINKS] = { false };

	for (size_t i = 0; i < b->nrows; i++)
		if (sm_config_event_enabled(cfg, b->rows[i]->event))
			want[first_row(b, i)] = true;
	for (size_t i = 0; i < b->nrows; i++) {
		int err;

		if (want[i] && !b->links[i]) {
			err = attach_one(b, i);
			if (err)
				return err;
			if (b->links[i])
				sm_debug("attached %s", b->rows[i]->name);
		} else if (!want[i] && b->links[i]) {
			bpf_link__destroy(b->links[i]);
			b->links[i] = NULL;
			sm_debug("detached %s", b->rows[i]->name);
		}
	}
	return 0;
}

void sm_bpf_detach(struct sm_bpf *b)
{
	for (size_t i = 0; b && i < SM_MAX_LINKS; i++) {
		bpf_link__destroy(b->links[i]);
		b->links[i] = NULL;
	}
}

void sm_bpf_stop(struct sm_bpf *b)
{
	if (!b)
		return;
	sm_bpf_detach(b);
	if (b->skel)
		b->v->destroy(b->skel);
	free(b);
}

struct bpf_map *sm_bpf_events(const struct sm_bpf *b)
{
	return b->k.events;
}

bool sm_bpf_uses_ringbuf(const struct sm_bpf *b)
{
	return b->ringbuf;
}

unsigned sm_bpf_buffer_kib(const struct sm_bpf *b)
{
	return b->buffer_kib;
}

const char *sm_bpf_describe(const struct sm_bpf *b)
{
	return b->desc;
}

uint64_t sm_bpf_stat(const struct sm_bpf *b, unsigned stat)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t vals[ncpu > 0 ? ncpu : 1], sum = 0;

	if (ncpu <= 0 || bpf_map__lookup_elem(b->k.stats, &stat, sizeof(stat),
					      vals, sizeof(vals), 0))
		return 0;
	for (int i = 0; i < ncpu; i++)
		sum += vals[i];
	return sum;
}

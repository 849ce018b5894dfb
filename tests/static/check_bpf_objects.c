/* SPDX-License-Identifier: MIT */
/* Static proof that each eBPF object can load on the oldest kernel of its
 * range, read from the object file itself:
 *  - below 5.2: at most 4,096 instructions per program, no global data
 *    (.rodata/.data/.bss);
 *  - below 5.3: no back-edge in any program's control-flow graph (the
 *    pre-5.3 verifier's check: a jump to an instruction still on the DFS
 *    path; a jump back to an already finished block, such as a shared exit,
 *    is fine); from 5.3 on, no back-edge by falling through (kernels up to
 *    at least 6.1 reject those even where loops are allowed);
 *  - below 4.17: no raw tracepoint programs;
 *  - every tracepoint other than a syscall's (which the loader skips
 *    where the kernel lacks the syscall) exists in the range's oldest
 *    kernel and was not renamed since (table below);
 *  - no BPF-to-BPF calls before 4.16, no kernel function calls before
 *    5.13;
 *  - every helper called exists in the range's oldest kernel, except the
 *    ring buffer helpers in an object marked ":ringbuf", which calls them
 *    only behind a load-time constant the loader sets from a probe (the
 *    verifier removes that code as dead where it is 0);
 *  - with a feature list (the variant table's switches for the object's
 *    range): the object shows exactly those features, so each range
 *    differs from the others by what the table says and by nothing else
 *    it can show (ringbuf: ring buffer helpers; globals: global data;
 *    loops: a back-edge; raw_tp: raw tracepoint programs;
 *    probe_read_kernel: bpf_probe_read_kernel/_user; inet_sock_set_state:
 *    the TCP state tracepoint of 4.16+, else 4.15's tcp_set_state);
 *  - no two objects are the same file or show the same features.
 * An object without programs fails, and so does a run that checked fewer
 * objects than -n MIN (default 1): an empty list proves nothing.
 * Usage: check_bpf_objects [-n MIN] OBJ:MAJOR.MINOR[:FEATURE,...|:-] ...
 * ("ringbuf" also allows the ring buffer helpers before 5.8, as above) */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_helper_history.h"

#define MAX_INSNS_OLD 4096
#define PSEUDO_CALL 1      /* BPF_PSEUDO_CALL: a call to a BPF function */
#define PSEUDO_KFUNC 2     /* BPF_PSEUDO_KFUNC_CALL */

/* The tracepoints (other than syscalls') the objects may attach to: the
 * kernel that added each and the one that removed it (0: still there).
 * From include/trace/events/{sched,tcp,sock}.h's history; raw tracepoints
 * are the same events. */
static const struct {
	const char *name; /* "category/event" */
	int maj, min, gone_maj, gone_min;
} tracepoints[] = {
	{ "sched/sched_process_exit", 2, 6, 0, 0 },
	{ "tcp/tcp_set_state", 4, 15, 4, 16 },   /* became sock:inet_sock_set_state */
	{ "sock/inet_sock_set_state", 4, 16, 0, 0 },
	{ "ext4/ext4_unlink_enter", 2, 6, 0, 0 },
	/* its cache argument (5.12+) is the loader's business */
	{ "kmem/kmem_cache_free", 2, 6, 0, 0 },
	/* net_dev_template: older than every range */
	{ "net/net_dev_queue", 3, 0, 0, 0 },
};

enum feature {
	F_RINGBUF = 1 << 0,
	F_GLOBALS = 1 << 1,
	F_LOOPS = 1 << 2,
	F_RAW_TP = 1 << 3,
	F_PROBE_READ_KERNEL = 1 << 4,
	F_INET_SOCK_SET_STATE = 1 << 5,
};

static const char *const feature_names[] = {
	"ringbuf", "globals",           "loops",
	"raw_tp",  "probe_read_kernel", "inet_sock_set_state",
};
#define N_FEATURES (sizeof(feature_names) / sizeof(feature_names[0]))

struct kver {
	int maj, min;
	bool ringbuf_guarded;
	bool claimed;    /* a feature list was given */
	unsigned claims; /* enum feature bits the variant table claims */
	unsigned seen;   /* enum feature bits the object shows */
};

static bool before(struct kver k, int maj, int min)
{
	return k.maj < maj || (k.maj == maj && k.min < min);
}

static const struct sm_helper_since *helper(int id)
{
	for (size_t i = 0; i < sizeof(sm_helper_history) / sizeof(sm_helper_history[0]); i++)
		if (sm_helper_history[i].id == id)
			return &sm_helper_history[i];
	return NULL;
}

/* A call that is not a helper call: BPF-to-BPF (4.16) or a kfunc (5.13). */
static int check_pseudo_call(const char *obj, const char *prog,
			     const struct bpf_insn *in, struct kver k)
{
	bool kfunc = in->src_reg == PSEUDO_KFUNC;
	int maj = kfunc ? 5 : 4, min = kfunc ? 13 : 16;

	if (in->src_reg != PSEUDO_CALL && !kfunc) {
		printf("FAIL %s %s: call of unknown kind %d\n", obj, prog,
		       in->src_reg);
		return 1;
	}
	if (!before(k, maj, min))
		return 0;
	printf("FAIL %s %s: %s needs %d.%d, range starts at %d.%d\n", obj,
	       prog, kfunc ? "a kernel function call" : "a BPF-to-BPF call",
	       maj, min, k.maj, k.min);
	return 1;
}

/* The features a helper call shows. */
static unsigned helper_feature(const char *name)
{
	if (!strncmp(name, "ringbuf_", 8))
		return F_RINGBUF;
	if (!strncmp(name, "probe_read_kernel", 17) ||
	    !strncmp(name, "probe_read_user", 15))
		return F_PROBE_READ_KERNEL;
	return 0;
}

static int check_helpers(const char *obj, const char *prog,
			 const struct bpf_insn *in, size_t n, struct kver *kp)
{
	struct kver k = *kp;
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const struct sm_helper_since *h;

		if (in[i].code != (BPF_JMP | BPF_CALL))
			continue;
		if (in[i].src_reg != 0) {
			bad += check_pseudo_call(obj, prog, &in[i], k);
			continue;
		}
		h = helper(in[i].imm);
		if (h)
			kp->seen |= helper_feature(h->name);
		if (!h) {
			printf("FAIL %s %s: helper #%d not in the history table\n",
			       obj, prog, in[i].imm);
			bad++;
		} else if (before(k, h->maj, h->min) &&
			   !(k.ringbuf_guarded && !strncmp(h->name, "ringbuf_", 8))) {
			printf("FAIL %s %s: bpf_%s needs %d.%d, range starts at %d.%d\n",
			       obj, prog, h->name, h->maj, h->min, k.maj, k.min);
			bad++;
		}
	}
	return bad;
}

/* Successors of instruction i; returns how many (0-2). */
static int successors(const struct bpf_insn *in, size_t n, size_t i,
		      size_t out[2])
{
	unsigned cls = BPF_CLASS(in[i].code), op = BPF_OP(in[i].code);
	int c = 0;

	if (in[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
		out[c++] = i + 2;
		return c;
	}
	if (cls != BPF_JMP && cls != BPF_JMP32) {
		out[c++] = i + 1;
		return c;
	}
	if (op == BPF_EXIT)
		return 0;
	if (op == BPF_CALL) {
		out[c++] = i + 1;
		return c;
	}
	if (op != BPF_JA)
		out[c++] = i + 1;
	out[c++] = (size_t)((long)i + 1 + in[i].off);
	for (int j = 0; j < c; j++)
		if (out[j] >= n)
			return -1;
	return c;
}

/* Iterative DFS from instruction 0; returns the first back-edge's source
 * or -1 (only fall-through back-edges when fall_only). color: 0 new, 1 on
 * the path, 2 done. */
static long find_back_edge(const struct bpf_insn *in, size_t n, long *to,
			   bool fall_only)
{
	unsigned char *color = calloc(n, 1);
	size_t *stack = calloc(n + 1, sizeof(*stack));
	unsigned char *next = calloc(n, 1);
	size_t sp = 0;
	long found = -1;

	stack[sp++] = 0;
	color[0] = 1;
	while (sp && found < 0) {
		size_t i = stack[sp - 1], succ[2];
		int ns = successors(in, n, i, succ);

		if (ns < 0) {
			found = (long)i;
			*to = -1;
			break;
		}
		if (next[i] < ns) {
			bool fall = succ[next[i]] == i + 1 ||
				    (in[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
				     succ[next[i]] == i + 2);
			size_t s = succ[next[i]++];

			if (color[s] == 1 && (!fall_only || fall)) {
				found = (long)i;
				*to = (long)s;
			} else if (color[s] == 0) {
				color[s] = 1;
				stack[sp++] = s;
			}
			continue;
		}
		color[i] = 2;
		sp--;
	}
	free(color);
	free(stack);
	free(next);
	return found;
}

/* "tracepoint/cat/event", "tp/cat/event", "raw_tracepoint/event" and
 * "raw_tp/event" must name a tracepoint of the table that the range's
 * oldest kernel has; syscall tracepoints are the loader's business. */
static int check_tracepoint(const char *obj, const char *prog,
			    const char *sec, struct kver k)
{
	const char *ev = strchr(sec, '/');
	bool raw = !strncmp(sec, "raw_tp", 6) || !strncmp(sec, "raw_tracepoint", 14);

	if (!ev || !strncmp(ev + 1, "syscalls/", 9))
		return 0;
	if (!raw && strncmp(sec, "tracepoint/", 11) && strncmp(sec, "tp/", 3))
		return 0;
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++) {
		const char *name = tracepoints[i].name;

		if (raw ? strcmp(strchr(name, '/') + 1, ev + 1) : strcmp(name, ev + 1))
			continue;
		if (!before(k, tracepoints[i].maj, tracepoints[i].min) &&
		    (!tracepoints[i].gone_maj ||
		     before(k, tracepoints[i].gone_maj, tracepoints[i].gone_min)))
			return 0;
		printf("FAIL %s %s: tracepoint %s does not exist in %d.%d\n",
		       obj, prog, name, k.maj, k.min);
		return 1;
	}
	printf("FAIL %s %s: tracepoint %s not in the table\n", obj, prog, ev + 1);
	return 1;
}

/* The features a program's section shows. */
static unsigned section_features(const char *sec)
{
	unsigned f = 0;

	if (!strncmp(sec, "raw_tp", 6) || !strncmp(sec, "raw_tracepoint", 14))
		f |= F_RAW_TP;
	if (strstr(sec, "inet_sock_set_state"))
		f |= F_INET_SOCK_SET_STATE;
	return f;
}

static int check_program(const char *obj, struct bpf_program *p,
			 struct kver *kp)
{
	const char *name = bpf_program__name(p);
	const char *sec = bpf_program__section_name(p);
	const struct bpf_insn *in = bpf_program__insns(p);
	size_t n = bpf_program__insn_cnt(p);
	int bad = check_helpers(obj, name, in, n, kp);
	struct kver k = *kp;
	long to = 0, from;

	kp->seen |= section_features(sec);
	if (find_back_edge(in, n, &to, false) >= 0)
		kp->seen |= F_LOOPS;

	if (before(k, 5, 2) && n > MAX_INSNS_OLD) {
		printf("FAIL %s %s: %zu instructions (max %d before 5.2)\n", obj,
		       name, n, MAX_INSNS_OLD);
		bad++;
	}
	from = find_back_edge(in, n, &to, !before(k, 5, 3));
	if (from >= 0) {
		printf("FAIL %s %s: back-edge %ld -> %ld (%s)\n", obj, name,
		       from, to, before(k, 5, 3) ? "no loops before 5.3" :
		       "falls through into a loop head: rejected up to 6.1");
		bad++;
	}
	if (before(k, 4, 17) && (!strncmp(sec, "raw_tp", 6) ||
				 !strncmp(sec, "raw_tracepoint", 14))) {
		printf("FAIL %s %s: raw tracepoint before 4.17\n", obj, name);
		bad++;
	}
	bad += check_tracepoint(obj, name, sec, k);
	printf("%s %s %s: %zu instructions\n", bad ? "bad" : "ok", obj, name, n);
	return bad;
}

/* The features the object shows must be the ones claimed for it. */
static int check_claims(const char *path, const struct kver *k)
{
	int bad = 0;

	for (size_t i = 0; k->claimed && i < N_FEATURES; i++) {
		unsigned f = 1u << i;

		if ((k->claims & f) == (k->seen & f))
			continue;
		printf("FAIL %s: %s %s, the variant table says it %s\n", path,
		       k->seen & f ? "shows" : "does not show",
		       feature_names[i], k->claims & f ? "has" : "has not");
		bad++;
	}
	return bad;
}

static int check_object(const char *path, struct kver *k)
{
	struct bpf_object *o = bpf_object__open_file(path, NULL);
	struct bpf_program *p;
	struct bpf_map *m;
	int bad = 0, progs = 0;

	if (!o) {
		printf("FAIL %s: cannot open\n", path);
		return 1;
	}
	bpf_object__for_each_program(p, o) {
		bad += check_program(path, p, k);
		progs++;
	}
	if (!progs) {
		printf("FAIL %s: no programs\n", path);
		bad++;
	}
	bpf_object__for_each_map(m, o) {
		if (!bpf_map__is_internal(m))
			continue;
		k->seen |= F_GLOBALS;
		if (before(*k, 5, 2)) {
			printf("FAIL %s: global data (%s) before 5.2\n", path,
			       bpf_map__name(m));
			bad++;
		}
	}
	bpf_object__close(o);
	return bad + check_claims(path, k);
}

/* Whether two files have the same bytes (1), differ (0), or cannot be
 * read (-1). */
static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = -1, ca, cb;

	if (fa && fb) {
		do {
			ca = getc(fa);
			cb = getc(fb);
		} while (ca == cb && ca != EOF);
		same = ca == cb;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* No two objects alike: each range's object must be its own. */
static int check_pairs(char **paths, const struct kver *k, int n)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n; j++) {
			int same = same_file(paths[i], paths[j]);

			if (same != 0) {
				printf("FAIL %s and %s: %s\n", paths[i],
				       paths[j],
				       same < 0 ? "cannot read"
						: "the same bytes");
				bad++;
			} else if (k[i].claimed && k[j].claimed &&
				   k[i].seen == k[j].seen) {
				printf("FAIL %s and %s: the same features\n",
				       paths[i], paths[j]);
				bad++;
			}
		}
	}
	return bad;
}

/* ":FEATURE,..." or ":-" (none); 0, or -1 on a name not known. */
static int parse_features(char *list, struct kver *k)
{
	k->claimed = true;
	if (!strcmp(list, "-"))
		return 0;
	for (char *f = strtok(list, ","); f; f = strtok(NULL, ",")) {
		size_t i = 0;

		while (i < N_FEATURES && strcmp(f, feature_names[i]))
			i++;
		if (i == N_FEATURES)
			return -1;
		k->claims |= 1u << i;
	}
	k->ringbuf_guarded = k->claims & F_RINGBUF;
	return 0;
}

/* OBJ:MAJOR.MINOR[:FEATURES]: the object's path stays in arg. */
static int parse_spec(char *arg, struct kver *k)
{
	char *ver = strchr(arg, ':'), *feat;

	if (!ver)
		return -1;
	*ver++ = '\0';
	feat = strchr(ver, ':');
	if (feat)
		*feat++ = '\0';
	if (sscanf(ver, "%d.%d", &k->maj, &k->min) != 2)
		return -1;
	return feat ? parse_features(feat, k) : 0;
}

int main(int argc, char **argv)
{
	struct kver *k = calloc(argc > 1 ? argc : 1, sizeof(*k));
	int failed = 0, first = 1, min = 1, n, pairs;

	if (!k)
		return 2;
	libbpf_set_print(NULL);
	if (argc > 2 && !strcmp(argv[1], "-n")) {
		min = atoi(argv[2]);
		first = 3;
	}
	n = argc - first;
	for (int i = 0; i < n; i++) {
		if (parse_spec(argv[first + i], &k[i])) {
			fprintf(stderr,
				"usage: %s [-n MIN] OBJ:MAJOR.MINOR[:FEATURE,...|:-] ...\n",
				argv[0]);
			free(k);
			return 2;
		}
		failed += check_object(argv[first + i], &k[i]) > 0;
	}
	pairs = check_pairs(argv + first, k, n);
	free(k);
	printf("%d passed, %d failed; %d pairs alike\n", n - failed, failed,
	       pairs);
	if (n < min) {
		printf("FAIL: %d objects checked, at least %d expected\n", n,
		       min);
		return 1;
	}
	return failed || pairs ? 1 : 0;
}

/* SPDX-License-Identifier: MIT */
/* execstorm: a load generator for the benchmark and the loss test.
 *
 * Starts processes at an even pace (or as fast as the machine can), each
 * exec'ing TARGET with one unique marker argument, PREFIX<seq>, so every
 * process can be found again in a log. Records when each one was started
 * (CLOCK_REALTIME, ns) for delay measurements.
 *
 *   execstorm -r RATE [-d SECONDS] [-n COUNT] [-w WORKERS] [-p PREFIX]
 *             [-o TIMES_FILE] TARGET
 *
 * -r RATE     processes per second in all, evenly paced; 0 = as fast as
 *             possible (the machine's maximum exec rate)
 * -d SECONDS  run this long (fractions allowed); default 10
 * -n COUNT    start exactly COUNT processes (with -r > 0 the duration is
 *             then COUNT / RATE)
 * -w WORKERS  spawning processes (default 1 when paced, one per CPU at -r 0)
 * -p PREFIX   marker prefix (default "smx"); argv[1] is PREFIX followed by
 *             the sequence number in decimal
 * -o FILE     one line per started process: "seq start_ns"
 *
 * On exit prints one line: started=N failed=F seconds=S rate=R late_ms=L
 * cpu_us=C (late_ms: the worst lag behind the paced schedule; cpu_us: CPU
 * time per started process of the storm itself and of every process it
 * started, kernel work in them included -- what a monitor's in-kernel
 * part adds to each exec shows up here, whatever else runs on the
 * machine). Exit status 0 when every process could be started. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64
#define NS 1000000000ull

struct opts {
	double rate, seconds;
	uint64_t count;
	unsigned workers;
	const char *prefix, *out, *target;
};

/* Shared between the workers (MAP_SHARED). */
struct shared {
	_Atomic uint64_t next;     /* next sequence number (unpaced mode) */
	_Atomic uint64_t failed;
	_Atomic uint64_t late_ns;  /* worst lag behind the schedule */
	uint64_t t0_mono;
	uint64_t cap;              /* entries in start_ns */
	uint64_t start_ns[];       /* per seq: CLOCK_REALTIME ns, 0 = not run */
};

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t mono_ns)
{
	struct timespec ts = { (time_t)(mono_ns / NS), (long)(mono_ns % NS) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void usage(void)
{
	fprintf(stderr, "usage: execstorm -r RATE [-d SECONDS] [-n COUNT] "
			"[-w WORKERS] [-p PREFIX] [-o TIMES_FILE] TARGET\n");
	exit(2);
}

static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .rate = -1, .seconds = 10, .prefix = "smx" };
	while ((c = getopt(argc, argv, "r:d:n:w:p:o:")) != -1) {
		switch (c) {
		case 'r': o->rate = strtod(optarg, NULL); break;
		case 'd': o->seconds = strtod(optarg, NULL); break;
		case 'n': o->count = strtoull(optarg, NULL, 10); break;
		case 'w': o->workers = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': o->prefix = optarg; break;
		case 'o': o->out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || o->rate < 0 || o->seconds <= 0)
		usage();
	o->target = argv[optind];
	if (!o->workers)
		o->workers = o->rate > 0 ? 1 : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->workers < 1 || o->workers > MAX_WORKERS) {
		fprintf(stderr, "execstorm: -w must be 1..%d\n", MAX_WORKERS);
		return -EINVAL;
	}
	if (o->rate > 0 && o->count)
		o->seconds = (double)o->count / o->rate;
	if (o->rate > 0 && !o->count)
		o->count = (uint64_t)(o->rate * o->seconds + 0.5);
	if (access(o->target, X_OK)) {
		fprintf(stderr, "execstorm: cannot execute %s: %s\n", o->target,
			strerror(errno));
		return -errno;
	}
	return 0;
}

/* Start one process for seq; 0 or an errno. */
static int spawn_one(const struct opts *o, struct shared *sh, uint64_t seq,
		     const posix_spawnattr_t *attr)
{
	char marker[96];
	char *argv[] = { (char *)o->target, marker, NULL };
	char *envp[] = { NULL };
	uint64_t t = now_ns(CLOCK_REALTIME);
	pid_t pid;
	int err;

	snprintf(marker, sizeof(marker), "%s%llu", o->prefix,
		 (unsigned long long)seq);
	err = posix_spawn(&pid, o->target, NULL, attr, argv, envp);
	if (err) {
		atomic_fetch_add(&sh->failed, 1);
		return err;
	}
	if (seq < sh->cap)
		sh->start_ns[seq] = t;
	/* reaped here (not ignored), so their CPU time adds up in ours */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}

static void note_late(struct shared *sh, uint64_t due)
{
	uint64_t now = now_ns(CLOCK_MONOTONIC);
	uint64_t late = now > due ? now - due : 0;
	uint64_t cur = atomic_load(&sh->late_ns);

	while (late > cur &&
	       !atomic_compare_exchange_weak(&sh->late_ns, &cur, late))
		;
}

/* Worker w of W: paced, seq = k * W + w due at t0 + seq / rate. */
static void run_paced(const struct opts *o, struct shared *sh, unsigned w,
		      const posix_spawnattr_t *attr)
{
	double period = (double)NS / o->rate;

	for (uint64_t seq = w; seq < o->count; seq += o->workers) {
		uint64_t due = sh->t0_mono + (uint64_t)((double)seq * period);

		sleep_until(due);
		note_late(sh, due);
		spawn_one(o, sh, seq, attr);
	}
}

/* As fast as possible until the time is up or count processes ran. */
static void run_unpaced(const struct opts *o, struct shared *sh,
			const posix_spawnattr_t *attr)
{
	uint64_t end = sh->t0_mono + (uint64_t)(o->seconds * (double)NS);

	while (now_ns(CLOCK_MONOTONIC) < end) {
		uint64_t seq = atomic_fetch_add(&sh->next, 1);

		if ((o->count && seq >= o->count) || seq >= sh->cap)
			break;
		spawn_one(o, sh, seq, attr);
	}
}

static void worker(const struct opts *o, struct shared *sh, unsigned w)
{
	posix_spawnattr_t attr;

	posix_spawnattr_init(&attr);
	if (o->rate > 0)
		run_paced(o, sh, w, &attr);
	else
		run_unpaced(o, sh, &attr);
	posix_spawnattr_destroy(&attr);
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

static int write_times(const char *path, const struct shared *sh)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "execstorm: cannot write %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	for (uint64_t i = 0; i < sh->cap; i++)
		if (sh->start_ns[i])
			fprintf(f, "%llu %llu\n", (unsigned long long)i,
				(unsigned long long)sh->start_ns[i]);
	return fclose(f) ? -errno : 0;
}

static int run_workers(const struct opts *o, struct shared *sh)
{
	pid_t pids[MAX_WORKERS];
	int bad = 0;

	for (unsigned w = 0; w < o->workers; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("execstorm: fork");
			return -errno;
		}
		if (pids[w] == 0) {
			worker(o, sh, w);
			_exit(0);
		}
	}
	for (unsigned w = 0; w < o->workers; w++) {
		int st;

		if (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad = 1;
	}
	return bad ? -ECHILD : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct shared *sh;
	uint64_t cap, started = 0, first = UINT64_MAX, last = 0;
	size_t bytes;
	double secs, cpu_us;
	struct rusage ru;
	int err;

	if (parse(argc, argv, &o))
		return 2;
	cap = o.count ? o.count : (uint64_t)(o.seconds * 50000) + 1024;
	bytes = sizeof(*sh) + cap * sizeof(uint64_t);
	sh = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		  -1, 0);
	if (sh == MAP_FAILED) {
		perror("execstorm: mmap");
		return 1;
	}
	sh->cap = cap;
	sh->t0_mono = now_ns(CLOCK_MONOTONIC) + NS / 100; /* workers forked */
	err = run_workers(&o, sh);
	for (uint64_t i = 0; i < cap; i++) {
		if (!sh->start_ns[i])
			continue;
		started++;
		first = sh->start_ns[i] < first ? sh->start_ns[i] : first;
		last = sh->start_ns[i] > last ? sh->start_ns[i] : last;
	}
	secs = started > 1 ? (double)(last - first) / NS : 0;
	getrusage(RUSAGE_CHILDREN, &ru);
	cpu_us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	printf("started=%llu failed=%llu seconds=%.3f rate=%.1f late_ms=%.1f "
	       "cpu_us=%.1f\n",
	       (unsigned long long)started,
	       (unsigned long long)atomic_load(&sh->failed), secs,
	       secs > 0 ? (double)(started - 1) / secs : 0,
	       (double)atomic_load(&sh->late_ns) / 1e6,
	       started ? cpu_us / (double)started : 0);
	if (o.out && write_times(o.out, sh))
		err = -EIO;
	return err || atomic_load(&sh->failed) ? 1 : 0;
}

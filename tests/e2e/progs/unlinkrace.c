/* SPDX-License-Identifier: MIT */
/* unlinkrace: deletes files while a second thread flips the name in the
 * caller's buffer between two existing files, so that each call really
 * removes one of them and the name in memory afterwards may be the other.
 * For the e2e test test_unlink_race.sh.
 *
 *   unlinkrace MODE DIR RACES MAXROUNDS
 *       MODE name:  unlink("DIR/NNNNNNNx"), x flipping between a and b
 *            dir:   unlinkat(AT_FDCWD, "x/NNNNNNN") from DIR, x flipping
 *                   between a and b (the same name in two directories)
 *            rmdir: rmdir("DIR/NNNNNNNx") of two empty directories
 *       Rounds go on until RACES of them had the buffer change while the
 *       call ran, or MAXROUNDS. Each round prints "gone PATH" (the
 *       absolute path of the one that disappeared); the last line is
 *       "pid=P rounds=R races=C a=A b=B" (A, B: rounds that removed the a
 *       resp. the b one).
 * Raw syscalls only. Exit 2 on an error, 3 when a round removed both or
 * neither. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char buf[PATH_MAX];      /* the name the calls get */
static _Atomic(char *) flip_at; /* the byte the flipper flips */
static atomic_ulong flips;      /* flips done so far */
static atomic_int stop;

static void die(const char *what)
{
	fprintf(stderr, "unlinkrace: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Flips the byte at flip_at, holding each letter for a pseudo-random
 * 0-2,047 spins (up to about 2 us): short holds race the kernel's copy
 * right after the call's entry, long ones outlast a whole call. */
static void *flipper(void *arg)
{
	unsigned long n = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		volatile char *p =
			atomic_load_explicit(&flip_at, memory_order_relaxed);
		unsigned hold = ((unsigned)n * 2654435761u) >> 21;

		*p = (n & 1) ? 'b' : 'a';
		atomic_store_explicit(&flips, ++n, memory_order_relaxed);
		for (volatile unsigned k = 0; k < hold; k++)
			;
	}
	return NULL;
}

/* The flipper runs with the lowest real-time priority where allowed
 * (root): on a busy machine it then flips during every call instead of
 * waiting for its turn; it spins for seconds at most, and the kernel keeps
 * 5% of each CPU for the others. */
static void start_flipper(pthread_t *t)
{
	struct sched_param sp = { .sched_priority = 1 };
	pthread_attr_t at;

	if (pthread_attr_init(&at) ||
	    pthread_attr_setinheritsched(&at, PTHREAD_EXPLICIT_SCHED) ||
	    pthread_attr_setschedpolicy(&at, SCHED_FIFO) ||
	    pthread_attr_setschedparam(&at, &sp) ||
	    pthread_create(t, &at, flipper, NULL)) {
		if (pthread_create(t, NULL, flipper, NULL))
			die("pthread_create");
	}
	pthread_attr_destroy(&at);
}

static void make(const char *mode, const char *path)
{
	int fd;

	if (!strcmp(mode, "rmdir")) {
		if (syscall(SYS_mkdir, path, 0700))
			die(path);
		return;
	}
	fd = (int)syscall(SYS_open, path, O_CREAT | O_EXCL | O_WRONLY, 0600);
	if (fd < 0 || syscall(SYS_close, fd))
		die(path);
}

static long remove_one(const char *mode)
{
	if (!strcmp(mode, "dir"))
		return syscall(SYS_unlinkat, AT_FDCWD, buf, 0);
	if (!strcmp(mode, "rmdir"))
		return syscall(SYS_rmdir, buf);
	return syscall(SYS_unlink, buf);
}

/* The round's two names (absolute) in a and b, and its name in buf with
 * the byte to flip at *at. */
static void names(const char *mode, const char *dir, unsigned i, char *a,
		  char *b, size_t n, size_t *at)
{
	if (!strcmp(mode, "dir")) {
		snprintf(a, n, "%s/a/%07u", dir, i);
		snprintf(b, n, "%s/b/%07u", dir, i);
		snprintf(buf, sizeof(buf), "a/%07u", i);
		*at = 0;
		return;
	}
	snprintf(a, n, "%s/%07ua", dir, i);
	snprintf(b, n, "%s/%07ub", dir, i);
	snprintf(buf, sizeof(buf), "%s", a);
	*at = strlen(buf) - 1;
}

int main(int argc, char **argv)
{
	char a[PATH_MAX], b[PATH_MAX];
	unsigned long races = 0, na = 0, nb = 0, want, max, i;
	pthread_t t;
	size_t at;

	if (argc != 5) {
		fprintf(stderr, "usage: unlinkrace MODE DIR RACES MAXROUNDS\n");
		return 2;
	}
	want = strtoul(argv[3], NULL, 10);
	max = strtoul(argv[4], NULL, 10);
	if (!strcmp(argv[1], "dir") && syscall(SYS_chdir, argv[2]))
		die(argv[2]);
	atomic_store(&flip_at, &buf[sizeof(buf) - 1]); /* nothing yet */
	start_flipper(&t);
	for (i = 0; i < max && races < want; i++) {
		unsigned long f0, f1;
		int ga, gb;

		names(argv[1], argv[2], (unsigned)i, a, b, sizeof(a), &at);
		make(argv[1], a);
		make(argv[1], b);
		atomic_store(&flip_at, &buf[at]);
		f0 = atomic_load(&flips);
		if (remove_one(argv[1]))
			die("delete");
		f1 = atomic_load(&flips);
		atomic_store(&flip_at, &buf[sizeof(buf) - 1]);
		races += f1 != f0; /* the name changed while the call ran */
		ga = syscall(SYS_access, a, F_OK) != 0;
		gb = syscall(SYS_access, b, F_OK) != 0;
		if (ga == gb) {
			fprintf(stderr, "unlinkrace: round %lu removed %s\n", i,
				ga ? "both" : "neither");
			return 3;
		}
		na += ga;
		nb += gb;
		printf("gone %s\n", ga ? a : b);
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("pid=%d rounds=%lu races=%lu a=%lu b=%lu\n", getpid(), i, races,
	       na, nb);
	return 0;
}

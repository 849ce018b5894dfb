/* SPDX-License-Identifier: MIT */
/* tailstamp: timestamps marker lines as they reach a log file.
 *
 *   tailstamp [-m MUST] [-s OFFSET] [-c COUNT_FILE] FILE PREFIX OUT
 *
 * Follows FILE from byte OFFSET (default: its current end) with inotify.
 * Every complete line that contains PREFIX immediately followed by a
 * decimal number (the marker execstorm gives each process), and MUST when
 * given, is noted with the time it was read (CLOCK_REALTIME, ns): the first
 * arrival of each number counts, later copies are counted as duplicates.
 * Runs until SIGTERM or SIGINT, reads what is left, then writes one
 * "seq arrival_ns" line per marker to OUT and prints
 * "lines=N markers=M duplicates=D" on stdout. With -c, COUNT_FILE always
 * holds the number of marker lines seen so far (for waiting on a drain). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (4u << 20) /* longer lines are skipped */

struct seen {
	uint64_t seq, ns;
};

struct tail {
	const char *prefix, *must;
	int count_fd;         /* -c: progress, or -1 */
	size_t counted;       /* last number written there */
	size_t plen;
	char *buf;
	size_t len;           /* bytes waiting in buf (a partial line) */
	int skipping;         /* inside a line longer than the buffer */
	struct seen *v;
	size_t n, cap;
	uint64_t lines, dups;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int note(struct tail *t, uint64_t seq, uint64_t ns)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 65536;
		struct seen *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = (struct seen){ seq, ns };
	return 0;
}

/* The marker number in one line, or -1. */
static int64_t marker_of(const struct tail *t, const char *line, size_t len)
{
	const char *p = memmem(line, len, t->prefix, t->plen);
	const char *end = line + len;
	int64_t v = 0;

	if (!p || (t->must && !memmem(line, len, t->must, strlen(t->must))))
		return -1;
	p += t->plen;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

static int take_lines(struct tail *t, uint64_t ns)
{
	size_t start = 0;
	char *nl;

	while ((nl = memchr(t->buf + start, '\n', t->len - start))) {
		size_t llen = (size_t)(nl - (t->buf + start));
		int64_t seq = t->skipping ? -1 : marker_of(t, t->buf + start, llen);

		t->skipping = 0;
		t->lines++;
		if (seq >= 0 && note(t, (uint64_t)seq, ns))
			return -ENOMEM;
		start += llen + 1;
	}
	memmove(t->buf, t->buf + start, t->len - start);
	t->len -= start;
	if (t->len == BUF_SIZE) { /* a line too long to keep: drop it */
		t->len = 0;
		t->skipping = 1;
	}
	return 0;
}

static void report_count(struct tail *t)
{
	char num[32];
	int n;

	if (t->count_fd < 0 || t->counted == t->n)
		return;
	n = snprintf(num, sizeof(num), "%zu\n", t->n);
	if (pwrite(t->count_fd, num, (size_t)n, 0) == n)
		t->counted = t->n;
}

static int drain(struct tail *t, int fd)
{
	for (;;) {
		ssize_t n = read(fd, t->buf + t->len, BUF_SIZE - t->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		t->len += (size_t)n;
		if (take_lines(t, now_ns()))
			return -ENOMEM;
		report_count(t);
	}
}

static int cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

static int write_out(struct tail *t, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t markers = 0;

	if (!f) {
		fprintf(stderr, "tailstamp: cannot write %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	qsort(t->v, t->n, sizeof(*t->v), cmp_seen);
	for (size_t i = 0; i < t->n; i++) {
		if (i && t->v[i].seq == t->v[i - 1].seq) {
			t->dups++;
			continue;
		}
		markers++;
		fprintf(f, "%llu %llu\n", (unsigned long long)t->v[i].seq,
			(unsigned long long)t->v[i].ns);
	}
	printf("lines=%llu markers=%zu duplicates=%llu\n",
	       (unsigned long long)t->lines, markers,
	       (unsigned long long)t->dups);
	return fclose(f) ? -errno : 0;
}

static int follow(struct tail *t, const char *path, long long offset)
{
	struct pollfd p = { .events = POLLIN };
	char ev[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0) {
		fprintf(stderr, "tailstamp: cannot open %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	p.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (p.fd < 0 || inotify_add_watch(p.fd, path, IN_MODIFY) < 0 ||
	    lseek(fd, offset < 0 ? 0 : offset, offset < 0 ? SEEK_END : SEEK_SET) < 0) {
		err = -errno;
		perror("tailstamp: inotify/lseek");
		goto out;
	}
	while (!stop && !err) {
		err = drain(t, fd);
		if (!err && poll(&p, 1, 200) > 0)
			while (read(p.fd, ev, sizeof(ev)) > 0)
				;
	}
	if (!err)
		err = drain(t, fd);
out:
	if (p.fd >= 0)
		close(p.fd);
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	struct tail t = { .must = NULL, .count_fd = -1 };
	long long offset = -1;
	struct sigaction sa = { .sa_handler = on_signal };
	int c, err;

	while ((c = getopt(argc, argv, "m:s:c:")) != -1) {
		if (c == 'm')
			t.must = optarg;
		else if (c == 'c')
			t.count_fd = open(optarg, O_WRONLY | O_CREAT | O_TRUNC |
						  O_CLOEXEC, 0644);
		else if (c == 's')
			offset = strtoll(optarg, NULL, 10);
		else
			return 2;
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: tailstamp [-m MUST] [-s OFFSET] "
				"[-c COUNT_FILE] FILE PREFIX OUT\n");
		return 2;
	}
	t.prefix = argv[optind + 1];
	t.plen = strlen(t.prefix);
	t.buf = malloc(BUF_SIZE);
	if (!t.buf || !t.plen)
		return 2;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	err = follow(&t, argv[optind], offset);
	if (!err)
		err = write_out(&t, argv[optind + 2]);
	free(t.buf);
	free(t.v);
	return err ? 1 : 0;
}

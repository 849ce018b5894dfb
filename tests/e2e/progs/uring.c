/* SPDX-License-Identifier: MIT */
/* uring: one file operation through io_uring, with the raw syscalls
 * (io_uring_setup, io_uring_enter) and rings mapped by hand: what an
 * attacker avoiding the watched syscalls would write. Prints the ids the
 * e2e test checks and the operation's result.
 * Usage: uring MODE OP DIR NAME
 *   MODE: inline (the submitter runs it, or io_uring punts it to an io-wq
 *         worker itself), async (IOSQE_ASYNC: an io-wq worker), sqpoll
 *         (IORING_SETUP_SQPOLL: the ring's kernel thread submits it)
 *   OP:   openat | openat2 (O_CREAT, NAME relative to DIR's fd) |
 *         unlinkat (NAME relative to DIR's fd) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *sq_flags;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static void die(const char *what)
{
	fprintf(stderr, "uring: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void ring_map(struct ring *r, const struct io_uring_params *p)
{
	size_t sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	size_t cq_len =
		p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	size_t len = sq_len > cq_len ? sq_len : cq_len;
	char *sq, *cq;

	sq = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		die("mmap SQ ring");
	cq = sq; /* IORING_FEAT_SINGLE_MMAP (5.4+) */
	r->sqes = mmap(NULL, p->sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		       IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		die("mmap SQEs");
	r->sq_tail = (unsigned *)(sq + p->sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p->sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p->sq_off.array);
	r->sq_flags = (unsigned *)(sq + p->sq_off.flags);
	r->cq_head = (unsigned *)(cq + p->cq_off.head);
	r->cq_tail = (unsigned *)(cq + p->cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p->cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
}

static void ring_setup(struct ring *r, int sqpoll)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	if (sqpoll) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 2000;
	}
	r->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		die("io_uring_setup");
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		errno = ENOTSUP;
		die("one mapping for both rings");
	}
	ring_map(r, &p);
}

/* Queues sqe, lets the kernel see it, waits for its completion: the
 * result. */
static int ring_run(struct ring *r, const struct io_uring_sqe *sqe, int sqpoll)
{
	unsigned tail = *r->sq_tail, head, flags = IORING_ENTER_GETEVENTS;
	struct io_uring_cqe *cqe;

	r->sqes[tail & *r->sq_mask] = *sqe;
	r->sq_array[tail & *r->sq_mask] = tail & *r->sq_mask;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (sqpoll && (__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) &
		       IORING_SQ_NEED_WAKEUP))
		flags |= IORING_ENTER_SQ_WAKEUP;
	/* with SQPOLL the kernel thread submits: to_submit is 0 */
	if (syscall(__NR_io_uring_enter, r->fd, sqpoll ? 0 : 1, 1, flags, NULL,
		    0) < 0)
		die("io_uring_enter");
	head = *r->cq_head;
	while (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		if (syscall(__NR_io_uring_enter, r->fd, 0, 1,
			    IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			die("io_uring_enter (wait)");
	cqe = &r->cqes[head & *r->cq_mask];
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return cqe->res;
}

static void sqe_fill(struct io_uring_sqe *sqe, const char *op, int dfd,
		     const char *name, struct open_how *how)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->fd = dfd;
	sqe->addr = (uint64_t)(uintptr_t)name;
	if (!strcmp(op, "openat")) {
		sqe->opcode = IORING_OP_OPENAT;
		sqe->open_flags = O_CREAT | O_WRONLY;
		sqe->len = 0644; /* mode */
	} else if (!strcmp(op, "openat2")) {
		sqe->opcode = IORING_OP_OPENAT2;
		memset(how, 0, sizeof(*how));
		how->flags = O_CREAT | O_WRONLY;
		how->mode = 0644;
		sqe->off = (uint64_t)(uintptr_t)how;
		sqe->len = sizeof(*how);
	} else if (!strcmp(op, "unlinkat")) {
		sqe->opcode = IORING_OP_UNLINKAT;
	} else {
		fprintf(stderr, "uring: unknown operation %s\n", op);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	struct ring r;
	int dfd, sqpoll, res;

	if (argc != 5) {
		fprintf(stderr, "usage: uring inline|async|sqpoll "
				"openat|openat2|unlinkat DIR NAME\n");
		return 2;
	}
	sqpoll = !strcmp(argv[1], "sqpoll");
	dfd = open(argv[3], O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		die(argv[3]);
	ring_setup(&r, sqpoll);
	sqe_fill(&sqe, argv[2], dfd, argv[4], &how);
	if (!strcmp(argv[1], "async"))
		sqe.flags |= IOSQE_ASYNC;
	printf("pid=%d tid=%ld\n", getpid(), (long)syscall(SYS_gettid));
	res = ring_run(&r, &sqe, sqpoll);
	printf("res=%d\n", res);
	return res < 0 ? 1 : 0;
}

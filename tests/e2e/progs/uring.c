/* SPDX-License-Identifier: MIT */
/* uring: one operation through io_uring, with the raw syscalls
 * (io_uring_setup, io_uring_enter) and rings mapped by hand: what an
 * attacker avoiding the watched syscalls would write. Prints the ids the
 * e2e test checks and the operation's result.
 * Usage: uring MODE OP ARGS...
 *   MODE: inline (the submitter runs it, or io_uring punts it to an io-wq
 *         worker itself), async (IOSQE_ASYNC: an io-wq worker), sqpoll
 *         (IORING_SETUP_SQPOLL: the ring's kernel thread submits it), skip
 *         (inline, IOSQE_CQE_SKIP_SUCCESS: no completion on success; a
 *         linked no-op tells when it is done)
 *   OP:   openat | openat2 DIR NAME   O_CREAT, NAME relative to DIR's fd
 *         unlinkat DIR NAME           NAME relative to DIR's fd
 *         openread PATH               O_RDONLY (prints fd=N)
 *         connect IP PORT             TCP, then a byte each way (prints
 *                                     lport=N)
 *         accept | multiaccept        TCP on 127.0.0.1, a child connects
 *                                     with connect() once (twice, taken by
 *                                     one multishot accept) (prints
 *                                     lport=N rport=N for each)
 *         send | sendmsg IP PORT NAME UDP: send on a connected socket, or
 *                                     sendmsg with the address; a DNS query
 *                                     for NAME to port 53, else NAME
 *                                     (prints lport=N)
 *         flood DIR N                 unlinks of DIR/0 .. DIR/N-1, all
 *                                     submitted before the first runs (a
 *                                     chain behind a read of a pipe) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <arpa/inet.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

static void ring_setup(struct ring *r, int sqpoll, unsigned entries)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	if (sqpoll) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 2000;
	}
	r->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (r->fd < 0)
		die("io_uring_setup");
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		errno = ENOTSUP;
		die("one mapping for both rings");
	}
	ring_map(r, &p);
}

/* Queues sqe (not yet seen by the kernel). */
static void ring_push(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned tail = *r->sq_tail;

	r->sqes[tail & *r->sq_mask] = *sqe;
	r->sq_array[tail & *r->sq_mask] = tail & *r->sq_mask;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Lets the kernel see the n queued entries. */
static void ring_submit(struct ring *r, unsigned n, int sqpoll)
{
	unsigned flags = 0;

	if (sqpoll && (__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) &
		       IORING_SQ_NEED_WAKEUP))
		flags |= IORING_ENTER_SQ_WAKEUP;
	/* with SQPOLL the kernel thread submits: to_submit is 0 */
	if (syscall(__NR_io_uring_enter, r->fd, sqpoll ? 0 : n, 0, flags, NULL,
		    0) < 0)
		die("io_uring_enter");
}

/* Waits for the next completion: its result. */
static int ring_wait(struct ring *r)
{
	unsigned head = *r->cq_head;
	struct io_uring_cqe *cqe;

	while (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		if (syscall(__NR_io_uring_enter, r->fd, 0, 1,
			    IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			die("io_uring_enter (wait)");
	cqe = &r->cqes[head & *r->cq_mask];
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return cqe->res;
}

/* Runs sqe in mode: its result (skip: 0 once its linked no-op ran). */
static int ring_run(struct ring *r, struct io_uring_sqe *sqe, const char *mode)
{
	int sqpoll = !strcmp(mode, "sqpoll"), skip = !strcmp(mode, "skip");
	struct io_uring_sqe nop;

	if (!strcmp(mode, "async"))
		sqe->flags |= IOSQE_ASYNC;
	if (skip)
		sqe->flags |= IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK;
	ring_push(r, sqe);
	if (skip) {
		memset(&nop, 0, sizeof(nop));
		nop.opcode = IORING_OP_NOP;
		ring_push(r, &nop);
	}
	ring_submit(r, skip ? 2 : 1, sqpoll);
	return ring_wait(r);
}

static void sqe_path(struct io_uring_sqe *sqe, const char *op, int dfd,
		     const char *name, struct open_how *how)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->fd = dfd;
	sqe->addr = (uint64_t)(uintptr_t)name;
	if (!strcmp(op, "openat")) {
		sqe->opcode = IORING_OP_OPENAT;
		sqe->open_flags = O_CREAT | O_WRONLY;
		sqe->len = 0644; /* mode */
	} else if (!strcmp(op, "openread")) {
		sqe->opcode = IORING_OP_OPENAT;
		sqe->open_flags = O_RDONLY;
	} else if (!strcmp(op, "openat2")) {
		sqe->opcode = IORING_OP_OPENAT2;
		memset(how, 0, sizeof(*how));
		how->flags = O_CREAT | O_WRONLY;
		how->mode = 0644;
		sqe->off = (uint64_t)(uintptr_t)how;
		sqe->len = sizeof(*how);
	} else {
		sqe->opcode = IORING_OP_UNLINKAT;
	}
}

static struct sockaddr_in addr_of(const char *ip, const char *port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		fprintf(stderr, "uring: bad address %s\n", ip);
		exit(2);
	}
	return a;
}

static unsigned port_of(int fd, int peer)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	if ((peer ? getpeername(fd, (void *)&a, &l)
		  : getsockname(fd, (void *)&a, &l)) < 0)
		die("getsockname");
	return ntohs(a.sin_port);
}

static int op_connect(struct ring *r, const char *mode, char **arg)
{
	struct sockaddr_in a = addr_of(arg[0], arg[1]);
	struct io_uring_sqe sqe;
	int fd = socket(AF_INET, SOCK_STREAM, 0), res;

	if (fd < 0)
		die("socket");
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_CONNECT;
	sqe.fd = fd;
	sqe.addr = (uint64_t)(uintptr_t)&a;
	sqe.off = sizeof(a); /* addrlen */
	res = ring_run(r, &sqe, mode);
	if (res == 0)
		printf("lport=%u\n", port_of(fd, 0));
	/* a byte each way, as netpeer's server expects */
	if (res == 0 && (write(fd, "x", 1) != 1 || read(fd, &a, 1) != 1))
		die("echo");
	return res;
}

/* A child connects n times to the listener with connect(); the accepts go
 * through the ring: one request, or one multishot request for n > 1. */
static int op_accept(struct ring *r, const char *mode, unsigned n)
{
	struct sockaddr_in a = addr_of("127.0.0.1", "0");
	struct io_uring_sqe sqe;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), res = 0, p[2];
	pid_t child;

	if (lfd < 0 || bind(lfd, (void *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 4) < 0 || pipe(p) < 0)
		die("listen");
	a.sin_port = htons((uint16_t)port_of(lfd, 0));
	child = fork();
	if (child == 0) {
		close(p[1]);
		for (unsigned i = 0; i < n; i++) {
			int c = socket(AF_INET, SOCK_STREAM, 0);

			if (c < 0 || connect(c, (void *)&a, sizeof(a)) < 0)
				_exit(1);
		}
		_exit(read(p[0], &a, 1) != 0); /* until the parent is done */
	}
	close(p[0]);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_ACCEPT;
	sqe.fd = lfd;
	if (n > 1)
		sqe.ioprio = IORING_ACCEPT_MULTISHOT;
	for (unsigned i = 0; i < n && res >= 0; i++) {
		res = i ? ring_wait(r) : ring_run(r, &sqe, mode);
		if (res >= 0)
			printf("lport=%u rport=%u\n", port_of(res, 0),
			       port_of(res, 1));
	}
	close(p[1]);
	waitpid(child, NULL, 0);
	return res < 0 ? res : 0;
}

/* A DNS query (type A) for name into q: its length. */
static size_t dns_query(uint8_t *q, const char *name)
{
	size_t n = 12, l;

	memset(q, 0, 12);
	q[0] = 0x5a;
	q[2] = 1; /* RD */
	q[5] = 1; /* QDCOUNT */
	while (*name) {
		l = strcspn(name, ".");
		q[n++] = (uint8_t)l;
		memcpy(q + n, name, l);
		n += l;
		name += l + (name[l] == '.');
	}
	memcpy(q + n, "\0\0\1\0\1", 5); /* root, type A, class IN */
	return n + 5;
}

static int op_send(struct ring *r, const char *mode, const char *op, char **arg)
{
	struct sockaddr_in a = addr_of(arg[0], arg[1]);
	struct io_uring_sqe sqe;
	struct iovec iov;
	struct msghdr m;
	uint8_t buf[300];
	size_t len = strlen(arg[2]) < 200 ? strlen(arg[2]) : 200;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), res;

	if (fd < 0)
		die("socket");
	memcpy(buf, arg[2], len);
	if (ntohs(a.sin_port) == 53)
		len = dns_query(buf, arg[2]);
	memset(&sqe, 0, sizeof(sqe));
	sqe.fd = fd;
	if (!strcmp(op, "send")) {
		if (connect(fd, (void *)&a, sizeof(a)) < 0)
			die("connect");
		sqe.opcode = IORING_OP_SEND;
		sqe.addr = (uint64_t)(uintptr_t)buf;
		sqe.len = (uint32_t)len;
	} else {
		iov = (struct iovec){ buf, len };
		m = (struct msghdr){ .msg_name = &a,
				     .msg_namelen = sizeof(a),
				     .msg_iov = &iov,
				     .msg_iovlen = 1 };
		sqe.opcode = IORING_OP_SENDMSG;
		sqe.addr = (uint64_t)(uintptr_t)&m;
	}
	res = ring_run(r, &sqe, mode);
	if (res >= 0)
		printf("lport=%u\n", port_of(fd, 0));
	return res < 0 ? res : 0;
}

/* n unlinks linked behind a read of an empty pipe: all are prepared (and
 * traced) before the first runs; a write to the pipe lets them go. */
static int op_flood(struct ring *r, const char *dir, unsigned n)
{
	struct io_uring_sqe sqe;
	char names[1000][8], byte = 1;
	int p[2], dfd = open(dir, O_RDONLY | O_DIRECTORY), bad = 0;

	if (dfd < 0 || pipe(p) < 0 || n > 1000)
		die("flood setup");
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_READ;
	sqe.fd = p[0];
	sqe.addr = (uint64_t)(uintptr_t)&byte;
	sqe.len = 1;
	sqe.flags = IOSQE_IO_LINK;
	ring_push(r, &sqe);
	for (unsigned i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "%u", i);
		sqe_path(&sqe, "unlinkat", dfd, names[i], NULL);
		sqe.flags = i + 1 < n ? IOSQE_IO_LINK : 0;
		ring_push(r, &sqe);
	}
	ring_submit(r, n + 1, 0);
	if (write(p[1], &byte, 1) != 1)
		die("write pipe");
	for (unsigned i = 0; i <= n; i++)
		bad += ring_wait(r) < 0;
	printf("failed=%d\n", bad);
	return bad ? -EIO : 0;
}

static int run_op(struct ring *r, const char *mode, const char *op, char **arg,
		  int nargs)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	int dfd = AT_FDCWD, res;

	if (!strcmp(op, "connect") && nargs == 2)
		return op_connect(r, mode, arg);
	if (!strcmp(op, "accept") && nargs == 0)
		return op_accept(r, mode, 1);
	if (!strcmp(op, "multiaccept") && nargs == 0)
		return op_accept(r, mode, 2);
	if ((!strcmp(op, "send") || !strcmp(op, "sendmsg")) && nargs == 3)
		return op_send(r, mode, op, arg);
	if (!strcmp(op, "flood") && nargs == 2)
		return op_flood(r, arg[0], (unsigned)atoi(arg[1]));
	if (!strcmp(op, "openread") && nargs == 1) {
		sqe_path(&sqe, op, dfd, arg[0], &how);
		res = ring_run(r, &sqe, mode);
		printf("fd=%d\n", res);
		return res;
	}
	if ((strcmp(op, "openat") && strcmp(op, "openat2") &&
	     strcmp(op, "unlinkat")) ||
	    nargs != 2) {
		fprintf(stderr, "uring: bad operation %s (see the usage)\n",
			op);
		exit(2);
	}
	dfd = open(arg[0], O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		die(arg[0]);
	sqe_path(&sqe, op, dfd, arg[1], &how);
	return ring_run(r, &sqe, mode);
}

int main(int argc, char **argv)
{
	struct ring r;
	int res;

	if (argc < 3) {
		fprintf(stderr,
			"usage: uring inline|async|sqpoll|skip OP ARGS... "
			"(see the source)\n");
		return 2;
	}
	ring_setup(&r, !strcmp(argv[1], "sqpoll"),
		   !strcmp(argv[2], "flood") ? 1024 : 4);
	printf("pid=%d tid=%ld\n", getpid(), (long)syscall(SYS_gettid));
	fflush(stdout);
	res = run_op(&r, argv[1], argv[2], argv + 3, argc - 3);
	printf("res=%d\n", res);
	return res < 0 ? 1 : 0;
}

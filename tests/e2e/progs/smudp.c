/* SPDX-License-Identifier: MIT */
/* smudp: UDP datagrams and DNS queries sent the ways an attacker would
 * send them to stay unseen or to mislead the log, with raw syscalls, and a
 * listener that writes down what really arrived. For the e2e tests
 * test_udp_doors.sh and test_net_races.sh.
 *
 *   smudp listen IP PORT PORTFILE OUTFILE
 *       bind IP:PORT (0: any port), write the port to PORTFILE, then one
 *       line per datagram to OUTFILE: "SPORT DPORT QNAME" (QNAME: the DNS
 *       name the datagram asks for, "-" when it is no query) until a
 *       datagram "END" comes
 *   smudp send MODE IP PORT NAME
 *       a DNS query for NAME on a UDP socket connected to IP:PORT, sent
 *       with MODE: write, writev, sendfile or splice (no send* call);
 *       prints "pid=P lport=L"
 *   smudp end IP PORT             the datagram "END"
 *   smudp race-dst IP PA PB N     N datagrams, each from a new socket, by
 *       sendto to IP:PA while a second thread flips the port in the
 *       caller's sockaddr between PA and PB
 *   smudp race-connect IP PA PB N the same with connect() then write()
 *   smudp race-dns IP N           N queries by sendto to IP:53, for names
 *       "aNNNNN.race.example", while a second thread flips the first
 *       letter between a and b
 * The race commands print "pid=P" first. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "smudp: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void addr4(struct sockaddr_in *a, const char *ip, unsigned port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &a->sin_addr) != 1)
		die("inet_pton");
}

static int udp_socket(void)
{
	int fd = (int)syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

static unsigned local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		die("getsockname");
	return ntohs(a.sin_port);
}

/* A DNS query (type A) for name into q; its length. */
static size_t build_query(uint8_t *q, const char *name, unsigned id)
{
	size_t n = 12;
	const char *p = name;

	memset(q, 0, 12);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = 1; /* RD */
	q[5] = 1; /* QDCOUNT */
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		q[n++] = (uint8_t)l;
		memcpy(q + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = 1; /* A */
	q[n++] = 0;
	q[n++] = 1; /* IN */
	return n;
}

/* The name a query asks for, dotted, into out; "-" when it is none. */
static void query_name(const uint8_t *q, ssize_t len, char *out, size_t cap)
{
	size_t o = 0;
	ssize_t i = 12;

	strcpy(out, "-");
	if (len < 17 || (q[2] & 0x80))
		return;
	while (i < len && q[i] && o + q[i] + 2 < cap) {
		uint8_t l = q[i++];

		if (l > 63 || i + l > len)
			return;
		if (o)
			out[o++] = '.';
		memcpy(out + o, q + i, l);
		o += l;
		i += l;
	}
	out[o] = 0;
	if (!o)
		strcpy(out, "-");
}

static int c_listen(char **av)
{
	struct sockaddr_in a, from;
	char tmp[4096], name[300];
	uint8_t buf[2048];
	FILE *out, *pf;
	unsigned port;
	int fd = udp_socket();

	int rcvbuf = 16 << 20; /* room for every datagram of a race */

	addr4(&a, av[0], (unsigned)atoi(av[1]));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	port = local_port(fd);
	out = fopen(av[3], "w");
	snprintf(tmp, sizeof(tmp), "%s.tmp", av[2]);
	pf = fopen(tmp, "w");
	if (!out || !pf)
		die("fopen");
	fprintf(pf, "%u\n", port);
	fclose(pf);
	if (rename(tmp, av[2]))
		die("rename");
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			die("recvfrom");
		if (n == 3 && !memcmp(buf, "END", 3))
			break;
		query_name(buf, n, name, sizeof(name));
		fprintf(out, "%u %u %s\n", ntohs(from.sin_port), port, name);
		fflush(out);
	}
	fclose(out);
	return 0;
}

/* Send len bytes of q on the connected socket fd without a send* call. */
static void send_by(const char *mode, int fd, const uint8_t *q, size_t len)
{
	long r;

	if (!strcmp(mode, "write")) {
		r = syscall(SYS_write, fd, q, len);
	} else if (!strcmp(mode, "writev")) {
		struct iovec v[2] = { { (void *)q, 5 },
				      { (void *)(q + 5), len - 5 } };

		r = syscall(SYS_writev, fd, v, 2);
	} else if (!strcmp(mode, "sendfile")) {
		int m = (int)syscall(SYS_memfd_create, "q", 0);
		off_t off = 0;

		if (m < 0 || syscall(SYS_write, m, q, len) != (long)len)
			die("memfd");
		r = syscall(SYS_sendfile, fd, m, &off, len);
	} else if (!strcmp(mode, "splice")) {
		int p[2];

		if (pipe(p) || syscall(SYS_write, p[1], q, len) != (long)len)
			die("pipe");
		r = syscall(SYS_splice, p[0], NULL, fd, NULL, len, 0);
	} else {
		fprintf(stderr, "smudp: unknown mode %s\n", mode);
		exit(2);
	}
	if (r != (long)len)
		die(mode);
}

static int c_send(char **av)
{
	struct sockaddr_in a;
	uint8_t q[512];
	size_t len = build_query(q, av[3], 0x5151);
	int fd = udp_socket();

	addr4(&a, av[1], (unsigned)atoi(av[2]));
	if (syscall(SYS_connect, fd, &a, sizeof(a)))
		die("connect");
	send_by(av[0], fd, q, len);
	printf("pid=%d lport=%u\n", getpid(), local_port(fd));
	return 0;
}

static int c_end(char **av)
{
	struct sockaddr_in a;
	int fd = udp_socket();

	addr4(&a, av[0], (unsigned)atoi(av[1]));
	if (sendto(fd, "END", 3, 0, (struct sockaddr *)&a, sizeof(a)) != 3)
		die("sendto");
	return 0;
}

/* The racing thread: flips bits of one 16-bit word until told to stop. */
struct flip {
	volatile uint16_t *word;
	uint16_t mask;
	volatile int stop;
};

static void *flipper(void *arg)
{
	struct flip *f = arg;

	while (!f->stop)
		*f->word ^= f->mask;
	return NULL;
}

static pthread_t start_flip(struct flip *f)
{
	pthread_t t;

	printf("pid=%d\n", getpid());
	fflush(stdout);
	if (pthread_create(&t, NULL, flipper, f))
		die("pthread_create");
	return t;
}

static void stop_flip(struct flip *f, pthread_t t)
{
	f->stop = 1;
	pthread_join(t, NULL);
}

/* race-dst / race-connect: the destination port flips under the call */
static int race_port(char **av, int use_connect)
{
	static struct sockaddr_in a;
	unsigned pa = (unsigned)atoi(av[1]), pb = (unsigned)atoi(av[2]);
	int n = atoi(av[3]);
	struct flip f = { &a.sin_port,
			  htons((uint16_t)pa) ^ htons((uint16_t)pb), 0 };
	pthread_t t;

	addr4(&a, av[0], pa);
	t = start_flip(&f);
	for (int i = 0; i < n; i++) {
		int fd = udp_socket();
		long r;

		if (use_connect) {
			if (syscall(SYS_connect, fd, &a, sizeof(a)))
				die("connect");
			r = syscall(SYS_write, fd, "x", 1);
		} else {
			r = syscall(SYS_sendto, fd, "x", 1, 0, &a, sizeof(a));
		}
		if (r != 1)
			die("send");
		close(fd);
	}
	stop_flip(&f, t);
	return 0;
}

static int c_race_dst(char **av)
{
	return race_port(av, 0);
}

static int c_race_connect(char **av)
{
	return race_port(av, 1);
}

static int c_race_dns(char **av)
{
	static uint8_t q[512];
	struct sockaddr_in a;
	char name[64];
	int n = atoi(av[1]), fd = udp_socket();
	size_t len = build_query(q, "a00000.race.example", 0);
	/* the first letter of the name is q[13]: flip it with its neighbour
	 * in one 16-bit word (q[12] is the label length, 6, left as is) */
	struct flip f = { (volatile uint16_t *)&q[12], 0, 0 };
	pthread_t t;

	f.mask = (uint16_t)(('a' ^ 'b') << 8);
	addr4(&a, av[0], 53);
	t = start_flip(&f);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%05d", i % 100000);
		memcpy(&q[14], name, 5);
		q[0] = (uint8_t)(i >> 8);
		q[1] = (uint8_t)i;
		if (syscall(SYS_sendto, fd, q, len, 0, &a, sizeof(a)) !=
		    (long)len)
			die("sendto");
		if (i % 16 == 15) /* the flipper runs even on a busy CPU */
			sched_yield();
	}
	stop_flip(&f, t);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int args;
		int (*fn)(char **);
	} cmds[] = {
		{ "listen", 4, c_listen },
		{ "send", 4, c_send },
		{ "end", 2, c_end },
		{ "race-dst", 4, c_race_dst },
		{ "race-connect", 4, c_race_connect },
		{ "race-dns", 2, c_race_dns },
	};

	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 == cmds[i].args)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: smudp listen|send|end|race-dst|race-connect|"
			"race-dns ARGS (see the source)\n");
	return 2;
}

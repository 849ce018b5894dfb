/* SPDX-License-Identifier: MIT */
/* Test peer for the network e2e tests (test_network.sh, test_dns.sh):
 * makes exactly the connections, datagrams and DNS queries a test asks
 * for, on the addresses it names, and prints the ports the kernel chose.
 * Built by the tests themselves (cc -o netpeer netpeer.c).
 *
 *   netpeer tcp-server ADDR PORTFILE          accept one connection
 *   netpeer tcp-client ADDR PORT              prints its local port
 *   netpeer udp-server ADDR PORTFILE N MODE   answer N datagrams
 *   netpeer udp-client ADDR PORT N MODE       prints its local port
 *   netpeer dns SERVER NAME TYPE MODE         prints "rcode=R answers=A"
 *   netpeer tcp-loop ADDR N / udp-loop ADDR N load for measurements
 * MODE: plain (sendto/recvfrom), msg (sendmsg/recvmsg), mmsg
 * (sendmmsg/recvmmsg); for dns also tcp. A PORTFILE appears (renamed into
 * place) once the server listens; servers bind port $NETPEER_PORT when
 * set, else one the kernel picks; udp-client waits $NETPEER_GAP_MS
 * between datagrams when set. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static socklen_t make_addr(const char *ip, unsigned port,
			   struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *a = (void *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, ip, &a->sin6_addr) != 1)
			die("inet_pton");
		return sizeof(*a);
	}
	struct sockaddr_in *a = (void *)ss;

	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &a->sin_addr) != 1)
		die("inet_pton");
	return sizeof(*a);
}

static unsigned local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	return ntohs(ss.ss_family == AF_INET6 ?
			     ((struct sockaddr_in6 *)&ss)->sin6_port :
			     ((struct sockaddr_in *)&ss)->sin_port);
}

/* A socket bound to ip, on port $NETPEER_PORT or one the kernel picks. */
static int bound(const char *ip, int type)
{
	const char *port = getenv("NETPEER_PORT");
	struct sockaddr_storage ss;
	socklen_t len = make_addr(ip, port ? (unsigned)atoi(port) : 0, &ss);
	int fd = socket(ss.ss_family, type, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	return fd;
}

static void publish_port(int fd, const char *file)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", local_port(fd)) < 0 || fclose(f))
		die(tmp);
	if (rename(tmp, file))
		die("rename");
}

static void set_timeout(int fd, int sec)
{
	struct timeval tv = { sec, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static int tcp_server(char **av)
{
	int fd = bound(av[0], SOCK_STREAM), c;
	char b;

	if (listen(fd, 1))
		die("listen");
	publish_port(fd, av[1]);
	set_timeout(fd, 10); /* no client: fail, do not hold the test open */
	c = accept(fd, NULL, NULL);
	if (c < 0)
		die("accept");
	if (read(c, &b, 1) != 1 || write(c, &b, 1) != 1)
		die("echo");
	close(c);
	return 0;
}

static int tcp_client(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(av[0], (unsigned)atoi(av[1]), &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);
	char b = 'x';

	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	printf("%u\n", local_port(fd));
	fflush(stdout);
	if (write(fd, &b, 1) != 1 || read(fd, &b, 1) != 1)
		die("echo");
	return 0;
}

/* One datagram out or in, the way MODE says. */
static ssize_t dgram(int fd, int out, const char *mode, void *buf,
		     size_t len, struct sockaddr_storage *peer,
		     socklen_t *plen)
{
	struct iovec iov = { buf, len };
	struct mmsghdr mm = { 0 };

	mm.msg_hdr.msg_name = peer;
	mm.msg_hdr.msg_namelen = *plen;
	mm.msg_hdr.msg_iov = &iov;
	mm.msg_hdr.msg_iovlen = 1;
	if (!strcmp(mode, "plain"))
		return out ? sendto(fd, buf, len, 0, (struct sockaddr *)peer, *plen)
			   : recvfrom(fd, buf, len, 0, (struct sockaddr *)peer, plen);
	if (!strcmp(mode, "msg")) {
		ssize_t n = out ? sendmsg(fd, &mm.msg_hdr, 0)
				: recvmsg(fd, &mm.msg_hdr, 0);

		*plen = mm.msg_hdr.msg_namelen;
		return n;
	}
	if (out)
		return sendmmsg(fd, &mm, 1, 0) == 1 ? (ssize_t)mm.msg_len : -1;
	if (recvmmsg(fd, &mm, 1, 0, NULL) != 1)
		return -1;
	*plen = mm.msg_hdr.msg_namelen;
	return mm.msg_len;
}

static int udp_server(char **av)
{
	int fd = bound(av[0], SOCK_DGRAM), n = atoi(av[2]);
	char buf[512];

	publish_port(fd, av[1]);
	set_timeout(fd, 10);
	for (int i = 0; i < n; i++) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		ssize_t got = dgram(fd, 0, av[3], buf, sizeof(buf), &peer, &plen);

		if (got < 0)
			die("receive");
		if (dgram(fd, 1, av[3], buf, (size_t)got, &peer, &plen) < 0)
			die("send");
	}
	return 0;
}

static int udp_client(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(av[0], (unsigned)atoi(av[1]), &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM, 0), n = atoi(av[2]);
	char buf[64] = "ping";

	const char *gap = getenv("NETPEER_GAP_MS");

	if (fd < 0)
		die("socket");
	set_timeout(fd, 5);
	for (int i = 0; i < n; i++) {
		struct sockaddr_storage peer = ss;
		socklen_t plen = len;

		if (i && gap)
			usleep((useconds_t)atoi(gap) * 1000);

		if (dgram(fd, 1, av[3], buf, 4, &peer, &plen) != 4)
			die("send");
		if (i == 0) {
			printf("%u\n", local_port(fd));
			fflush(stdout);
		}
		plen = sizeof(peer);
		if (dgram(fd, 0, av[3], buf, sizeof(buf), &peer, &plen) < 0)
			die("receive");
	}
	return 0;
}

/* A standard query for name (type qtype) with recursion desired. */
static size_t build_query(uint8_t *q, const char *name, unsigned qtype,
			  uint16_t id)
{
	size_t o = 12;

	memset(q, 0, 12);
	q[0] = id >> 8;
	q[1] = id & 0xff;
	q[2] = 0x01; /* RD */
	q[5] = 1;    /* one question */
	while (*name) {
		size_t l = strcspn(name, ".");

		q[o++] = (uint8_t)l;
		memcpy(q + o, name, l);
		o += l;
		name += l;
		if (*name == '.')
			name++;
	}
	q[o++] = 0;
	q[o++] = qtype >> 8;
	q[o++] = qtype & 0xff;
	q[o++] = 0;
	q[o++] = 1; /* IN */
	return o;
}

static int print_response(const uint8_t *r, ssize_t n)
{
	if (n < 12) {
		printf("timeout\n");
		return 0;
	}
	printf("rcode=%u answers=%u\n", r[3] & 0xf, (unsigned)(r[6] << 8 | r[7]));
	return 0;
}

static int dns_tcp(struct sockaddr_storage *ss, socklen_t len,
		   const uint8_t *q, size_t qlen)
{
	uint8_t out[600], r[4096];
	int fd = socket(ss->ss_family, SOCK_STREAM, 0);
	ssize_t n;

	if (fd < 0 || connect(fd, (struct sockaddr *)ss, len))
		die("connect");
	set_timeout(fd, 3);
	out[0] = (uint8_t)(qlen >> 8);
	out[1] = (uint8_t)qlen;
	memcpy(out + 2, q, qlen);
	if (send(fd, out, qlen + 2, 0) != (ssize_t)qlen + 2)
		die("send");
	/* as glibc does: the length first, then the message */
	if (recv(fd, r, 2, MSG_WAITALL) != 2)
		return print_response(r, 0);
	n = recv(fd, r, (size_t)(r[0] << 8 | r[1]), MSG_WAITALL);
	return print_response(r, n);
}

static int dns(char **av)
{
	struct sockaddr_storage ss, peer;
	socklen_t len = make_addr(av[0], 53, &ss), plen = len;
	uint8_t q[512], r[4096];
	size_t qlen;
	ssize_t n;
	int fd;

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	qlen = build_query(q, av[1], (unsigned)atoi(av[2]), (uint16_t)rand());
	if (!strcmp(av[3], "tcp"))
		return dns_tcp(&ss, len, q, qlen);
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	set_timeout(fd, 2);
	peer = ss;
	if (dgram(fd, 1, av[3], q, qlen, &peer, &plen) != (ssize_t)qlen)
		die("send");
	plen = sizeof(peer);
	n = dgram(fd, 0, av[3], r, sizeof(r), &peer, &plen);
	return print_response(r, n);
}

/* Load for measurements: N connections to a listener of this process
 * (connect + accept each), or N datagrams to a socket of its own. */
static int tcp_loop(char **av)
{
	int l = bound(av[0], SOCK_STREAM), n = atoi(av[1]);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (listen(l, 64) || getsockname(l, (struct sockaddr *)&ss, &len))
		die("listen");
	for (int i = 0; i < n; i++) {
		int c = socket(ss.ss_family, SOCK_STREAM, 0), a;

		if (c < 0 || connect(c, (struct sockaddr *)&ss, len))
			die("connect");
		a = accept(l, NULL, NULL);
		if (a < 0)
			die("accept");
		close(a);
		close(c);
	}
	return 0;
}

static int udp_loop(char **av)
{
	int r = bound(av[0], SOCK_DGRAM), n = atoi(av[1]);
	int s = bound(av[0], SOCK_DGRAM);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char b[8] = "x";

	if (getsockname(r, (struct sockaddr *)&ss, &len))
		die("getsockname");
	for (int i = 0; i < n; i++) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);

		if (sendto(s, b, 1, 0, (struct sockaddr *)&ss, len) != 1 ||
		    recvfrom(r, b, sizeof(b), 0, (struct sockaddr *)&from, &flen) != 1)
			die("udp");
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *cmd;
		int nargs;
		int (*fn)(char **av);
	} cmds[] = {
		{ "tcp-server", 2, tcp_server }, { "tcp-client", 2, tcp_client },
		{ "udp-server", 4, udp_server }, { "udp-client", 4, udp_client },
		{ "dns", 4, dns },
		{ "tcp-loop", 2, tcp_loop }, { "udp-loop", 2, udp_loop },
	};

	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].cmd) && argc == cmds[i].nargs + 2)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: see the top of netpeer.c\n");
	return 2;
}

// SPDX-License-Identifier: MIT
/* connstorm N: N loopback TCP connections, one after the other, to a
 * listener of its own (a thread accepting and closing); prints the port
 * and how many connections were made and accepted. The load of the
 * workload benchmark's network job (bench/workloads.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int listener = -1;
static long accepted;

static void *accept_loop(void *arg)
{
	long n = *(long *)arg;

	while (accepted < n) {
		int c = accept(listener, NULL, NULL);

		if (c < 0)
			break;
		accepted++;
		close(c);
	}
	return NULL;
}

static int connect_once(const struct sockaddr_in *to)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int rc;

	if (s < 0)
		return -1;
	rc = connect(s, (const struct sockaddr *)to, sizeof(*to));
	close(s);
	return rc;
}

static int listen_any(struct sockaddr_in *at)
{
	socklen_t len = sizeof(*at);

	at->sin_family = AF_INET;
	at->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	at->sin_port = 0;
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)at, len) ||
	    listen(listener, 4096) ||
	    getsockname(listener, (struct sockaddr *)at, &len))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0, made = 0;
	struct sockaddr_in at;
	pthread_t t;

	if (n <= 0) {
		fprintf(stderr, "usage: connstorm COUNT\n");
		return 2;
	}
	if (listen_any(&at) || pthread_create(&t, NULL, accept_loop, &n)) {
		perror("connstorm: listen");
		return 1;
	}
	for (long i = 0; i < n; i++)
		made += connect_once(&at) == 0;
	if (made < n)
		shutdown(listener, SHUT_RDWR); /* wakes the accept loop */
	pthread_join(t, NULL);
	printf("port=%u made=%ld accepted=%ld\n", ntohs(at.sin_port), made,
	       accepted);
	return made == n ? 0 : 1;
}

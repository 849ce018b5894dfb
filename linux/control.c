/* SPDX-License-Identifier: MIT */
#include "control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

static int make_addr(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return -ENAMETOOLONG;
	strcpy(a->sun_path, path);
	return 0;
}

static void set_timeouts(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sm_ctl_listen(const char *path)
{
	struct sockaddr_un a;
	mode_t old;
	int fd, err;

	err = make_addr(path, &a);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path); /* left by a service that died; we hold the pid lock */
	old = umask(077);
	err = bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8) ?
		      -errno : 0;
	umask(old);
	if (!err && chmod(path, 0600))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static int peer_is_root(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) &&
	       cr.uid == 0;
}

/* Reads the request up to EOF (the client shuts down its side). */
static int read_request(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return n ? 0 : -EPROTO;
}

void sm_ctl_serve(int lfd, sm_ctl_handler fn, void *ctx)
{
	char req[SM_CTL_MAX_REQUEST], msg[512] = "";
	char *payload = NULL;
	int fd, rc;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	set_timeouts(fd, 1);
	if (!peer_is_root(fd) || read_request(fd, req, sizeof(req))) {
		close(fd);
		return;
	}
	rc = fn(ctx, req, &payload, msg, sizeof(msg));
	if (rc) {
		send_all(fd, "error\n", 6);
		send_all(fd, msg, strlen(msg));
	} else {
		set_timeouts(fd, 5);
		send_all(fd, "ok\n", 3);
		if (payload)
			send_all(fd, payload, strlen(payload));
	}
	free(payload);
	close(fd);
}

static int connect_to(const char *path, int timeout_s)
{
	struct sockaddr_un a;
	int fd, err;

	err = make_addr(path, &a);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_timeouts(fd, timeout_s);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Copies the answer to out (after its status line) or to stderr. */
static int relay_answer(int fd, FILE *out)
{
	char buf[8192];
	int status = -1; /* 0 ok, 1 error, -1 not yet known */
	size_t have = 0;
	ssize_t n;

	while ((n = recv(fd, buf + have, sizeof(buf) - have, 0)) != 0) {
		char *body;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		have += (size_t)n;
		body = buf;
		if (status < 0) {
			char *nl = memchr(buf, '\n', have);

			if (!nl && have < sizeof(buf))
				continue;
			if (!nl)
				return -EPROTO;
			status = !strncmp(buf, "ok\n", 3) ? 0 : 1;
			if (status)
				fputs("Error: ", stderr);
			body = nl + 1;
		}
		fwrite(body, 1, have - (size_t)(body - buf), status ? stderr : out);
		have = 0;
	}
	if (status < 0)
		return -EPROTO;
	if (status)
		fputc('\n', stderr);
	return status;
}

int sm_ctl_call(const char *path, const char *request, FILE *out,
		int timeout_s)
{
	int fd = connect_to(path, timeout_s);
	int rc;

	if (fd < 0)
		return fd;
	rc = send_all(fd, request, strlen(request));
	if (!rc && shutdown(fd, SHUT_WR))
		rc = -errno;
	if (!rc)
		rc = relay_answer(fd, out);
	close(fd);
	return rc;
}

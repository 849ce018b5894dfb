/* SPDX-License-Identifier: MIT */
/* Event lines to the local syslog daemon. What goes over /dev/log is the
 * message glibc's syslog(LOG_USER | LOG_INFO, ...) would send after
 * openlog("sysmon", LOG_NOWAIT, LOG_USER) -- "<14>Nov 22 19:03:28 sysmon: "
 * and the line -- but written here, because syslog() drops a message it
 * cannot deliver without a word (daemon restarting, socket gone) and a
 * monitor must count what it loses; it also formats and allocates per
 * call, which this does not (the header changes once a second).
 * Like glibc: a datagram socket, or a stream socket where /dev/log is one
 * (the message then ends with a NUL); a failed send reconnects and tries
 * once more. A full socket blocks the sender (back-pressure: the kernel's
 * buffer then fills and counts what it cannot take). */
#include "output.h"
#include "jsonsink.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define SM_SYSLOG_PRI (LOG_USER | LOG_INFO)
#define SM_SYSLOG_TAG "sysmon"

static struct {
	bool echo;
	bool syslog;
	int fd;
	int type;          /* SOCK_DGRAM or SOCK_STREAM */
	uint64_t dropped;
	time_t hdr_sec;    /* second the header was made for */
	char hdr[64];
	size_t hdr_len;
} out = { .fd = -1, .hdr_sec = -1 };

static void disconnect(void)
{
	if (out.fd >= 0)
		close(out.fd);
	out.fd = -1;
}

static int connect_log(void)
{
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int err = -ENOENT;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", _PATH_LOG);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			out.fd = fd;
			out.type = types[i];
			return 0;
		}
		err = -errno;
		close(fd);
		if (err != -EPROTOTYPE)
			break;
	}
	return err;
}

/* "<14>Nov 22 19:03:28 sysmon: " in local time, as glibc writes it. */
static void make_header(void)
{
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];

	if (now == out.hdr_sec)
		return;
	out.hdr_sec = now;
	if (!localtime_r(&now, &tm) ||
	    !strftime(ts, sizeof(ts), "%b %e %H:%M:%S", &tm))
		snprintf(ts, sizeof(ts), "Jan  1 00:00:00");
	out.hdr_len = (size_t)snprintf(out.hdr, sizeof(out.hdr), "<%d>%s %s: ",
				       SM_SYSLOG_PRI, ts, SM_SYSLOG_TAG);
}

/* All of iov sent (a stream may take it in parts); 0 or a negative errno. */
static int send_all(struct iovec *iov, int n)
{
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = (size_t)n };

	while (m.msg_iovlen > 0) {
		ssize_t sent = sendmsg(out.fd, &m, MSG_NOSIGNAL);

		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0)
			return -errno;
		if (out.type == SOCK_DGRAM)
			return 0;
		while (m.msg_iovlen > 0 && (size_t)sent >= m.msg_iov->iov_len) {
			sent -= (ssize_t)m.msg_iov->iov_len;
			m.msg_iov++;
			m.msg_iovlen--;
		}
		if (m.msg_iovlen > 0) {
			m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + sent;
			m.msg_iov->iov_len -= (size_t)sent;
		}
	}
	return 0;
}

static int send_line(const char *line, size_t len)
{
	struct iovec iov[3] = {
		{ out.hdr, out.hdr_len },
		{ (void *)line, len },
		{ "", 1 }, /* stream sockets: messages end with a NUL */
	};

	if (out.fd < 0 && connect_log())
		return -ENOTCONN;
	return send_all(iov, out.type == SOCK_STREAM ? 3 : 2);
}

void sm_output_open(bool to_stdout, bool to_syslog)
{
	out.echo = to_stdout;
	out.syslog = to_syslog;
	if (to_syslog && connect_log())
		out.fd = -1; /* the daemon may come later: tried per line */
}

static void syslog_line(const char *line, size_t len)
{
	make_header();
	if (send_line(line, len)) {
		disconnect(); /* it may have restarted: once more */
		if (send_line(line, len)) {
			disconnect();
			out.dropped++;
		}
	}
}

/* The same line, XML, to each sink: the JSON file's line is made from
 * it, so the two never differ. */
void sm_output_line(const char *line, size_t len)
{
	if (out.syslog)
		syslog_line(line, len);
	sm_jsonsink_line(line, len);
	if (out.echo) {
		fwrite(line, 1, len, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
}

uint64_t sm_output_dropped(void)
{
	return out.dropped;
}

void sm_output_close(void)
{
	disconnect();
}

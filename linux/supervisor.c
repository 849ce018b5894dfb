/* SPDX-License-Identifier: MIT */
/* Why a supervisor process of our own, and why this shape:
 *
 * Without systemd nothing restarts a service that dies, and a security
 * monitor that stays down after one crash (or one `kill -9` by an intruder)
 * is worse than none. The supervisor does for the service what systemd's
 * Restart=on-failure does, and nothing more:
 *  - it is a separate, tiny process (no eBPF, no config, no events), so a
 *    bug in the monitor cannot take it down;
 *  - it fork+execs the installed binary for each start, so every restart
 *    begins from a clean process image (fresh maps, fresh links) and an
 *    upgraded binary is picked up by the next start;
 *  - a clean exit (status 0: the service was asked to stop) ends the
 *    supervisor too, like systemd's on-failure; death by a signal or a
 *    non-zero status is restarted after 0.5 s, doubling for each death
 *    that comes less than a minute after its start, up to 30 s, so a
 *    service that cannot start does not spin the CPU;
 *  - the service's stderr is read through a pipe and sent to syslog
 *    (facility daemon), so its messages are not lost without a journal;
 *  - it forwards SIGTERM (stop), SIGHUP (reload) and restarts the service
 *    on SIGUSR2 (a new binary after an upgrade);
 *  - /run/sysmon-supervisor.pid holds its pid under an flock, so there is
 *    one supervisor at a time and `sysmon -u` knows whom to stop.
 * The first start is reported to `sysmon -i` through a pipe, so install
 * fails loudly, and rolls back, when the service cannot start. */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "paths.h"
#include "sysinfo.h"

#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000
#define STABLE_NS (60ull * 1000000000ull)
#define START_TIMEOUT_MS 90000

struct sup {
	const char *exe;
	int status_fd;      /* -i waits on it until the first start's outcome */
	int sigfd, lockfd;
	pid_t child;
	int errfd, readyfd; /* the child's stderr and readiness pipes */
	char line[1024];    /* a partial stderr line */
	size_t linelen;
	uint64_t started_ns;
	unsigned backoff_ms;
	int64_t restart_at_ns; /* > 0: start again at this monotonic time */
	char cause[128];    /* how the last monitoring service died */
	unsigned failed;    /* starts that failed since it died */
	bool child_ready;   /* the current child reported that it monitors */
	bool stopping;
	bool restart_now;   /* SIGUSR2: restart after the child exits */
};

static void status(struct sup *s, const char *fmt, const char *text)
{
	if (s->status_fd >= 0 && dprintf(s->status_fd, fmt, text) < 0)
		s->status_fd = -1;
}

static void finish_status(struct sup *s, const char *word)
{
	if (s->status_fd < 0)
		return;
	status(s, "%s\n", word);
	close(s->status_fd);
	s->status_fd = -1;
}

static int take_lock(struct sup *s)
{
	char holder[32] = "";

	s->lockfd = sm_pidfile_lock(SM_SUPERVISOR_PIDFILE, holder,
				    sizeof(holder));
	if (s->lockfd == -EBUSY)
		syslog(LOG_ERR, "a sysmon supervisor is already running "
				"(pid %s)", holder);
	return s->lockfd < 0 ? s->lockfd : 0;
}

static int setup_signals(struct sup *s, sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, old);
	signal(SIGPIPE, SIG_IGN);
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return s->sigfd < 0 ? -errno : 0;
}

/* In the child: stdin from /dev/null, stdout and stderr into the pipe,
 * the readiness fd named in the environment, then the service. */
static void exec_service(const struct sup *s, int errw, int readyw,
			 const sigset_t *old)
{
	char fdtext[16];
	int null = open("/dev/null", O_RDONLY);

	sigprocmask(SIG_SETMASK, old, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(errw, 1) < 0 ||
	    dup2(errw, 2) < 0)
		_exit(127);
	snprintf(fdtext, sizeof(fdtext), "%d", readyw);
	setenv(SM_ENV_READY_FD, fdtext, 1);
	unsetenv(SM_ENV_RESTART_NOTE);
	if (s->cause[0]) {
		char note[192];

		if (s->failed)
			snprintf(note, sizeof(note), "%s (then %u failed "
				 "starts)", s->cause, s->failed);
		else
			snprintf(note, sizeof(note), "%s", s->cause);
		setenv(SM_ENV_RESTART_NOTE, note, 1);
	}
	unsetenv(SM_ENV_STATUS_FD);
	execl(s->exe, s->exe, "-service", (char *)NULL);
	dprintf(2, "Error: cannot run %s: %s\n", s->exe, strerror(errno));
	_exit(127);
}

static int spawn(struct sup *s, const sigset_t *old)
{
	int errp[2], readyp[2];

	if (pipe2(errp, O_CLOEXEC))
		return -errno;
	if (pipe2(readyp, O_CLOEXEC)) {
		close(errp[0]);
		close(errp[1]);
		return -errno;
	}
	s->child = fork();
	if (s->child == 0) {
		fcntl(readyp[1], F_SETFD, 0); /* the service inherits it */
		exec_service(s, errp[1], readyp[1], old);
	}
	close(errp[1]);
	close(readyp[1]);
	if (s->child < 0) {
		close(errp[0]);
		close(readyp[0]);
		return -errno;
	}
	s->errfd = errp[0];
	s->readyfd = readyp[0];
	s->linelen = 0;
	s->started_ns = sm_now_mono_ns();
	s->child_ready = false;
	return 0;
}

static void emit_line(struct sup *s)
{
	s->line[s->linelen] = '\0';
	if (s->linelen) {
		syslog(LOG_ERR, "%s", s->line);
		status(s, "msg %s\n", s->line);
	}
	s->linelen = 0;
}

/* The service's stderr, line by line, to syslog (and to -i at first). */
static void on_stderr(struct sup *s)
{
	char buf[4096];
	ssize_t n = read(s->errfd, buf, sizeof(buf));

	if (n <= 0) {
		if (n < 0 && errno == EINTR)
			return;
		emit_line(s);
		close(s->errfd);
		s->errfd = -1;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || s->linelen == sizeof(s->line) - 1)
			emit_line(s);
		if (buf[i] != '\n')
			s->line[s->linelen++] = buf[i];
	}
}

static void on_ready(struct sup *s)
{
	char c;
	ssize_t n = read(s->readyfd, &c, 1);

	if (n < 0 && errno == EINTR)
		return;
	if (n == 1) {
		finish_status(s, "ready");
		s->child_ready = true;
		s->cause[0] = '\0'; /* the service has logged it */
		s->failed = 0;
	}
	close(s->readyfd);
	s->readyfd = -1;
}

static void describe(int st, char *out, size_t cap)
{
	if (WIFSIGNALED(st))
		snprintf(out, cap, "was killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(out, cap, "exited with status %d", WEXITSTATUS(st));
}

/* 0.5 s after a service that ran for a minute or more, else twice the
 * last delay, at most 30 s. */
static unsigned next_backoff(unsigned last_ms, uint64_t ran_ns)
{
	if (ran_ns >= STABLE_NS || !last_ms)
		return BACKOFF_MIN_MS;
	return last_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : last_ms * 2;
}

/* The child is gone: stop, give up on a first start, or schedule a new
 * start. Returns 1 when the supervisor is done (*rc: its exit code). */
static int on_child_exit(struct sup *s, int st, int *rc)
{
	uint64_t ran = sm_now_mono_ns() - s->started_ns;
	char how[96];

	while (s->errfd >= 0)
		on_stderr(s); /* what it said before dying */
	if (s->readyfd >= 0)
		on_ready(s);
	s->child = 0;
	describe(st, how, sizeof(how));
	if (s->restart_now) {
		s->restart_now = false;
		s->restart_at_ns = (int64_t)sm_now_mono_ns();
		return 0;
	}
	if (s->stopping || (WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		syslog(LOG_INFO, "sysmon service stopped");
		*rc = 0;
		return 1;
	}
	if (s->status_fd >= 0) { /* never monitored: the install fails */
		syslog(LOG_ERR, "sysmon service could not start: it %s", how);
		status(s, "msg Error: the service could not start: it %s\n", how);
		finish_status(s, "failed");
		*rc = 1;
		return 1;
	}
	s->backoff_ms = next_backoff(s->backoff_ms, ran);
	if (s->child_ready || !s->cause[0]) {
		snprintf(s->cause, sizeof(s->cause), "the service %s after %llu s",
			 how, (unsigned long long)(ran / 1000000000ull));
		s->failed = 0;
	} else {
		s->failed++;
	}
	syslog(LOG_ERR, "sysmon service %s; restarting it in %u ms", how,
	       s->backoff_ms);
	s->restart_at_ns = (int64_t)(sm_now_mono_ns() +
				     s->backoff_ms * 1000000ull);
	return 0;
}

/* Returns 1 when the supervisor is done. */
static int on_signals(struct sup *s, int *rc)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			break;
		case SIGHUP:
			if (s->child > 0)
				kill(s->child, SIGHUP);
			break;
		case SIGUSR2:
			if (s->child > 0) {
				s->restart_now = true;
				kill(s->child, SIGTERM);
			}
			break;
		default: /* SIGTERM, SIGINT */
			s->stopping = true;
			if (s->child <= 0) {
				*rc = 0;
				return 1;
			}
			kill(s->child, SIGTERM);
		}
	}
	if (s->child > 0) {
		int st;

		if (waitpid(s->child, &st, WNOHANG) == s->child)
			return on_child_exit(s, st, rc);
	}
	return 0;
}

static int poll_timeout(const struct sup *s)
{
	int64_t left;

	if (s->child > 0 || s->restart_at_ns <= 0)
		return -1;
	left = s->restart_at_ns - (int64_t)sm_now_mono_ns();
	return left <= 0 ? 0 : (int)(left / 1000000) + 1;
}

static int run(struct sup *s, const sigset_t *old)
{
	int rc = 0;

	for (;;) {
		struct pollfd p[3];

		if (s->child <= 0 && s->restart_at_ns > 0 &&
		    (int64_t)sm_now_mono_ns() >= s->restart_at_ns) {
			s->restart_at_ns = 0;
			if (spawn(s, old)) {
				syslog(LOG_ERR, "cannot start the sysmon service:"
				       " %s", strerror(errno));
				s->restart_at_ns = (int64_t)(sm_now_mono_ns() +
							     BACKOFF_MAX_MS * 1000000ull);
			}
		}
		p[0] = (struct pollfd){ s->sigfd, POLLIN, 0 };
		p[1] = (struct pollfd){ s->errfd, POLLIN, 0 };
		p[2] = (struct pollfd){ s->readyfd, POLLIN, 0 };
		if (poll(p, 3, poll_timeout(s)) < 0 && errno != EINTR)
			return 1;
		if (p[1].revents)
			on_stderr(s);
		if (p[2].revents)
			on_ready(s);
		if (p[0].revents && on_signals(s, &rc))
			return rc;
	}
}

int sm_supervise(const char *exe, int status_fd)
{
	struct sup s = { .exe = exe, .status_fd = status_fd, .sigfd = -1,
			 .lockfd = -1, .errfd = -1, .readyfd = -1 };
	sigset_t old;
	int rc = 1;

	openlog("sysmon", LOG_PID | LOG_NDELAY | LOG_PERROR, LOG_DAEMON);
	if (status_fd >= 0)
		fcntl(status_fd, F_SETFD, FD_CLOEXEC); /* not for the service */
	if (access(exe, X_OK)) {
		syslog(LOG_ERR, "Sysmon is not installed (%s: %s); install it "
		       "with 'sysmon -i [config]'", exe, strerror(errno));
		status(&s, "msg Sysmon is not installed (%s missing)\n", exe);
	} else if (!take_lock(&s) && !setup_signals(&s, &old)) {
		s.restart_at_ns = 1; /* start now */
		rc = run(&s, &old);
	}
	finish_status(&s, "failed");
	if (s.lockfd >= 0) {
		unlink(SM_SUPERVISOR_PIDFILE);
		close(s.lockfd);
	}
	closelog();
	return rc;
}

/* --- sysmon -i: start the supervisor in the background ------------------ */

static void detach_and_exec(const char *exe, int statusw)
{
	char fdtext[16];
	int null;

	if (setsid() < 0 || fork() != 0)
		_exit(0); /* the intermediate child: the supervisor is orphaned
			     to init and never gets a controlling terminal */
	null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || chdir("/"))
		_exit(127);
	umask(022);
	sm_close_other_fds(statusw); /* a package manager would wait for
					 EOF on them forever */
	fcntl(statusw, F_SETFD, 0);
	snprintf(fdtext, sizeof(fdtext), "%d", statusw);
	setenv(SM_ENV_STATUS_FD, fdtext, 1);
	execl(exe, exe, "-supervise", (char *)NULL);
	dprintf(statusw, "msg cannot run %s: %s\nfailed\n", exe,
		strerror(errno));
	_exit(127);
}

/* Prints the "msg" lines; returns 0 on "ready". */
static int read_status(int fd)
{
	char buf[8192];
	size_t have = 0;
	ssize_t n;

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		char *line = buf, *nl;

		if (poll(&pfd, 1, START_TIMEOUT_MS) == 0) {
			fprintf(stderr, "Error: the service did not report "
				"within %d s that it monitors\n",
				START_TIMEOUT_MS / 1000);
			return -ETIMEDOUT;
		}
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (!strcmp(line, "ready"))
				return 0;
			if (!strcmp(line, "failed"))
				return -EIO;
			if (!strncmp(line, "msg ", 4))
				fprintf(stderr, "%s\n", line + 4);
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0; /* an endless line: drop it */
	}
	return -EIO; /* the supervisor died before saying anything */
}

int sm_supervisor_start(const char *exe)
{
	int p[2], err, st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		close(p[0]);
		detach_and_exec(exe, p[1]);
	}
	close(p[1]);
	waitpid(pid, &st, 0);
	err = read_status(p[0]);
	close(p[0]);
	return err;
}

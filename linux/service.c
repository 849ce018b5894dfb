#include "service.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config.h"
#include "config_file.h"
#include "daemon.h"
#include "log.h"
#include "output.h"
#include "procfs.h"
#include "reader.h"
#include "sm_fields.h"
#include "sysmon_abi.h"
#include "timefmt.h"

struct service {
	struct sm_daemon d;
	struct sm_bpf *bpf;
	struct sm_reader *reader;
	const struct sm_service_opts *o;
	int sigfd, epfd, lockfd;
	uint64_t lost_reported;
};

/* One instance at a time: an exclusive lock on the pid file. */
static int take_lock(struct service *s)
{
	char buf[32];
	int n;

	s->lockfd = open(SM_PIDFILE, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lockfd < 0) {
		sm_err("cannot open " SM_PIDFILE ": %s", strerror(errno));
		return -errno;
	}
	if (flock(s->lockfd, LOCK_EX | LOCK_NB)) {
		n = (int)read(s->lockfd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		sm_err("sysmon is already running (pid %s); stop it first",
		       buf[0] ? buf : "?");
		return -EBUSY;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", getpid());
	if (ftruncate(s->lockfd, 0) || write(s->lockfd, buf, (size_t)n) != n)
		sm_debug("cannot write " SM_PIDFILE);
	return 0;
}

static int on_record(void *ctx, const void *data, size_t size)
{
	return sm_daemon_record(ctx, data, size);
}

static int setup_fds(struct service *s)
{
	sigset_t set;
	struct epoll_event ev = { .events = EPOLLIN };

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->sigfd < 0 || s->epfd < 0)
		return -errno;
	ev.data.fd = s->sigfd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->sigfd, &ev))
		return -errno;
	ev.data.fd = sm_reader_fd(s->reader);
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		return -errno;
	return 0;
}

/* Error (255) event for records lost since the last report. */
static void report_losses(struct service *s)
{
	uint64_t lost = sm_bpf_stat(s->bpf, SM_STAT_LOST) +
			sm_bpf_stat(s->bpf, SM_STAT_SCRATCH_BUSY) +
			sm_reader_lost(s->reader) + s->d.bad_records;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_ERROR) };
	char utc[32], desc[128];

	if (lost == s->lost_reported || !ev.type)
		return;
	snprintf(desc, sizeof(desc), "%llu kernel records lost (%llu in all)",
		 (unsigned long long)(lost - s->lost_reported),
		 (unsigned long long)lost);
	s->lost_reported = lost;
	sm_fmt_utctime(utc, sm_now_epoch_ns());
	ev.f[SM_ERROR_UTCTIME] = (struct sm_str){ utc, (uint32_t)strlen(utc) };
	ev.f[SM_ERROR_ID] = SM_STR("LostRecords");
	ev.f[SM_ERROR_DESCRIPTION] = (struct sm_str){ desc,
						      (uint32_t)strlen(desc) };
	sm_daemon_log(&s->d, &ev);
}

static void reload(struct service *s)
{
	struct sm_config *cfg = NULL;

	if (!s->o->config_path) {
		if (sm_config_default(&cfg))
			return;
	} else if (sm_config_load_file(s->o->config_path, &cfg)) {
		sm_err("reload: %s rejected; the running configuration stays",
		       s->o->config_path);
		return;
	}
	if (sm_bpf_apply(s->bpf, cfg)) {
		sm_config_free(cfg);
		sm_bpf_apply(s->bpf, s->d.cfg);
		return;
	}
	sm_daemon_set_config(&s->d, cfg);
	sm_info("configuration reloaded");
}

/* Returns 1 when asked to stop. */
static int on_signal(struct service *s)
{
	struct signalfd_siginfo si;

	if (read(s->sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		reload(s);
		return 0;
	}
	return 1;
}

static int loop(struct service *s)
{
	struct epoll_event evs[4];
	uint64_t next_tick = sm_now_mono_ns();
	int stop = 0;

	while (!stop) {
		int n = epoll_wait(s->epfd, evs, 4, 1000);

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == s->sigfd)
				stop |= on_signal(s);
			else
				sm_reader_drain(s->reader);
		}
		if (sm_now_mono_ns() >= next_tick) {
			next_tick = sm_now_mono_ns() + 1000000000ull;
			sm_daemon_tick(&s->d);
			report_losses(s);
		}
	}
	sm_reader_drain(s->reader); /* what the kernel already handed over */
	report_losses(s);
	return 0;
}

static int start(struct service *s, struct sm_config *cfg)
{
	struct sm_load_opts lo = s->o->load;
	int err;

	err = take_lock(s);
	if (err) {
		sm_config_free(cfg);
		return err;
	}
	err = sm_daemon_init(&s->d, cfg);
	if (err)
		return err;
	lo.self_tgid = (uint32_t)getpid();
	err = sm_bpf_start(&lo, s->d.cfg, &s->bpf);
	if (err)
		return err;
	err = sm_reader_new(sm_bpf_events(s->bpf), sm_bpf_uses_ringbuf(s->bpf),
			    sm_bpf_buffer_kib(s->bpf), on_record, &s->d,
			    &s->reader);
	if (!err)
		err = setup_fds(s);
	if (err)
		sm_err("cannot read events from the kernel: %s", strerror(-err));
	return err;
}

int sm_service_run(struct sm_config *cfg, const struct sm_service_opts *o,
		   int ready_fd)
{
	struct service s = { .o = o, .sigfd = -1, .epfd = -1, .lockfd = -1 };
	int err;

	sm_output_open(o->to_stdout);
	err = start(&s, cfg);
	if (!err) {
		int seeded = sm_procfs_seed(s.d.pc, &s.d.si);

		sm_info("sysmon started: %s; %d processes known",
			sm_bpf_describe(s.bpf), seeded);
		if (ready_fd >= 0 && write(ready_fd, "1", 1) != 1)
			sm_debug("cannot signal readiness");
		err = loop(&s);
	}
	sm_reader_free(s.reader);
	sm_bpf_stop(s.bpf);
	sm_daemon_fini(&s.d);
	sm_output_close();
	if (s.sigfd >= 0)
		close(s.sigfd);
	if (s.epfd >= 0)
		close(s.epfd);
	if (s.lockfd >= 0) {
		if (!err)
			unlink(SM_PIDFILE);
		close(s.lockfd);
	}
	return err;
}

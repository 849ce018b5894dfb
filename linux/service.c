/* SPDX-License-Identifier: MIT */
#include "service.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "config_file.h"
#include "control.h"
#include "daemon.h"
#include "fsutil.h"
#include "hashes.h"
#include "jsonsink.h"
#include "log.h"
#include "netconv.h"
#include "output.h"
#include "procfs.h"
#include "reader.h"
#include "recordid.h"
#include "schema.h"
#include "sink.h"
#include "sm_fields.h"
#include "sysmon_abi.h"
#include "timefmt.h"

#define STOP_DRAIN_ROUNDS 64

struct service {
	struct sm_daemon d;
	struct sm_bpf *bpf;
	struct sm_reader *reader;
	const struct sm_service_opts *o;
	int sigfd, epfd, lockfd, ctlfd;
	uint64_t lost_reported;
	const char *cfg_path;      /* the running config's file; NULL: defaults */
	char cfg_name[PATH_MAX];   /* what ConfigChange calls it */
};

/* A monitor from the command line must not take the place of the
 * installed service while its supervisor restarts it. */
static int supervisor_running(void)
{
	char buf[32];

	if (!sm_pidfile_holder(SM_SUPERVISOR_PIDFILE, buf, sizeof(buf)))
		return 0;
	sm_err("sysmon is already running as the installed service "
	       "(supervisor pid %s); 'sysmon -u' removes it",
	       buf[0] ? buf : "?");
	return 1;
}

/* One instance at a time: an exclusive lock on the pid file. */
static int take_lock(struct service *s)
{
	char holder[32] = "";

	if (!s->o->installed && supervisor_running())
		return -EBUSY;
	s->lockfd = sm_pidfile_lock(SM_PIDFILE, holder, sizeof(holder));
	if (s->lockfd == -EBUSY)
		sm_err("sysmon is already running (pid %s); stop it first",
		       holder[0] ? holder : "?");
	else if (s->lockfd < 0)
		sm_err("cannot lock " SM_PIDFILE ": %s; another sysmon "
		       "may be starting: try again",
		       strerror(-s->lockfd));
	return s->lockfd < 0 ? s->lockfd : 0;
}

/* systemd's readiness protocol (Type=notify), without libsystemd. */
static void notify_systemd(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@'))
		return;
	len = strlen(path);
	if (len >= sizeof(a.sun_path))
		return;
	memcpy(a.sun_path, path, len);
	if (a.sun_path[0] == '@')
		a.sun_path[0] = '\0'; /* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&a,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		sm_debug("cannot notify systemd: %s", strerror(errno));
	close(fd);
}

/* --- the service's own events: 4, 16, 255 (never filtered) ------------- */

static void log_own(struct service *s, struct sm_event *ev, unsigned utc_field)
{
	char utc[32];

	if (!ev->type)
		return;
	sm_fmt_utctime(utc, sm_now_epoch_ns());
	ev->f[utc_field] = sm_cstr(utc);
	sm_sink_log(&s->d, ev);
}

static void log_state(struct service *s, const char *state)
{
	struct sm_event ev = {
		.type = sm_schema_event(SM_EV_SERVICE_STATE_CHANGE) };

	ev.f[SM_SERVICESTATECHANGE_STATE] = sm_cstr(state);
	ev.f[SM_SERVICESTATECHANGE_VERSION] = SM_STR(SM_VERSION);
	ev.f[SM_SERVICESTATECHANGE_SCHEMAVERSION] = SM_STR(SM_SCHEMA_VERSION);
	log_own(s, &ev, SM_SERVICESTATECHANGE_UTCTIME);
}

static void log_config_change(struct service *s)
{
	struct sm_event ev = { .type = sm_schema_event(SM_EV_CONFIG_CHANGE) };
	char hashes[256] = "";
	const char *name = "Defaults";

	if (s->cfg_path) {
		name = s->cfg_name[0] ? s->cfg_name : s->cfg_path;
		if (sm_file_hashes(s->d.hash_algs, s->cfg_path, hashes,
				   sizeof(hashes)))
			hashes[0] = '\0';
	}
	ev.f[SM_CONFIGCHANGE_CONFIGURATION] = sm_cstr(name);
	ev.f[SM_CONFIGCHANGE_CONFIGURATIONFILEHASH] =
		hashes[0] ? sm_cstr(hashes) : SM_STR("-");
	log_own(s, &ev, SM_CONFIGCHANGE_UTCTIME);
}

/* Error (255): something the service survived. Also on stderr. */
static void log_error(struct service *s, const char *id, const char *desc)
{
	struct sm_event ev = { .type = sm_schema_event(SM_EV_ERROR) };

	sm_err("%s", desc);
	ev.f[SM_ERROR_ID] = sm_cstr(id);
	ev.f[SM_ERROR_DESCRIPTION] = sm_cstr(desc);
	log_own(s, &ev, SM_ERROR_UTCTIME);
}

/* Error (255) event for the events lost since the last report: kernel
 * records that never reached us, records and events lost here (undecodable,
 * unformattable, no memory), lines the syslog daemon or the JSON file did
 * not take. It goes to every sink, so the ones still working say what the
 * others lost. */
static void report_losses(struct service *s)
{
	uint64_t kernel = sm_bpf_stat(s->bpf, SM_STAT_LOST) +
			  sm_bpf_stat(s->bpf, SM_STAT_SCRATCH_BUSY) +
			  sm_reader_lost(s->reader);
	uint64_t here = s->d.bad_records + s->d.dropped;
	uint64_t lines = sm_output_dropped();
	uint64_t json = sm_jsonsink_lost();
	uint64_t lost = kernel + here + lines + json;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_ERROR) };
	char desc[320];
	int n;

	if (lost == s->lost_reported)
		return;
	n = snprintf(desc, sizeof(desc),
		     "%llu events lost: %llu kernel records not delivered, "
		     "%llu records or events sysmon could not handle, %llu "
		     "lines the syslog daemon did not take",
		     (unsigned long long)(lost - s->lost_reported),
		     (unsigned long long)kernel, (unsigned long long)here,
		     (unsigned long long)lines);
	if (sm_jsonsink_active())
		n += snprintf(desc + n, sizeof(desc) - (size_t)n,
			      ", %llu lines the JSON file did not take",
			      (unsigned long long)json);
	snprintf(desc + n, sizeof(desc) - (size_t)n, " (%llu in all)",
		 (unsigned long long)lost);
	s->lost_reported = lost;
	ev.f[SM_ERROR_ID] = SM_STR("LostRecords");
	ev.f[SM_ERROR_DESCRIPTION] = sm_cstr(desc);
	log_own(s, &ev, SM_ERROR_UTCTIME);
}

/* --- configuration changes ----------------------------------------------- */

/* Makes the configuration in path (NULL: the defaults) the running one:
 * records already in the buffer go through the old rules, the probes the
 * new rules need are attached (and the others detached), then the rules
 * are swapped in one step. Single-threaded: no record is seen by both or by
 * neither. On failure the running configuration stays, an Error event and
 * msg say why. */
static int switch_config(struct service *s, const char *path, char *msg,
			 size_t cap)
{
	struct sm_config *cfg = NULL;
	int err;

	if (path ? sm_config_load_file(path, &cfg) : sm_config_default(&cfg)) {
		snprintf(msg, cap, "configuration %s rejected (the reason is in "
			 "the service's log); the running configuration stays",
			 path ? path : "defaults");
		log_error(s, "ConfigRejected", msg);
		return -EINVAL;
	}
	sm_reader_flush(s->reader);
	err = sm_bpf_apply(s->bpf, cfg);
	if (err) {
		sm_bpf_apply(s->bpf, s->d.cfg);
		sm_config_free(cfg);
		snprintf(msg, cap, "cannot attach the probes configuration %s "
			 "needs (%s); the running configuration stays",
			 path ? path : "defaults", strerror(-err));
		log_error(s, "ConfigApplyFailed", msg);
		return err;
	}
	sm_daemon_set_config(&s->d, cfg);
	return 0;
}

static void set_name(struct service *s, const char *name)
{
	snprintf(s->cfg_name, sizeof(s->cfg_name), "%s", name ? name : "");
}

/* The installed service's stored configuration: its file (or none, for
 * the defaults) and the path the user gave for it. */
static const char *stored_config(struct service *s)
{
	char *src;

	if (access(SM_STORED_CONFIG, F_OK))
		return NULL;
	src = sm_read_file(SM_CONFIG_SOURCE, PATH_MAX, NULL);
	if (src)
		src[strcspn(src, "\n")] = '\0';
	set_name(s, src);
	free(src);
	return SM_STORED_CONFIG;
}

/* SIGHUP (and the "reload" request): the stored configuration again. */
static int reload(struct service *s, char *msg, size_t cap)
{
	const char *path;
	int err;

	if (s->o->installed) {
		char keep[PATH_MAX];

		memcpy(keep, s->cfg_name, sizeof(keep));
		path = stored_config(s);
		err = switch_config(s, path, msg, cap);
		if (err) {
			memcpy(s->cfg_name, keep, sizeof(keep));
			return err;
		}
	} else {
		path = s->o->config_path;
		err = switch_config(s, path, msg, cap);
		if (err)
			return err;
	}
	s->cfg_path = path;
	log_config_change(s);
	sm_info("configuration reloaded");
	return 0;
}

/* `sysmon -c FILE`: the client left the file in SM_PENDING_CONFIG. */
static int apply_pending(struct service *s, const char *name, char *msg,
			 size_t cap)
{
	int err = switch_config(s, SM_PENDING_CONFIG, msg, cap);

	if (err) {
		unlink(SM_PENDING_CONFIG);
		return err;
	}
	if (rename(SM_PENDING_CONFIG, SM_STORED_CONFIG) ||
	    sm_write_file_atomic(SM_CONFIG_SOURCE, name, strlen(name), 0600)) {
		snprintf(msg, cap, "the new configuration runs but could not be "
			 "stored in " SM_INSTALL_DIR ": %s", strerror(errno));
		log_error(s, "ConfigStoreFailed", msg);
	}
	s->cfg_path = SM_STORED_CONFIG;
	set_name(s, name);
	log_config_change(s);
	return 0;
}

/* `sysmon -c --`: back to the defaults. */
static int use_defaults(struct service *s, char *msg, size_t cap)
{
	int err = switch_config(s, NULL, msg, cap);

	if (err)
		return err;
	unlink(SM_STORED_CONFIG);
	unlink(SM_CONFIG_SOURCE);
	s->cfg_path = NULL;
	set_name(s, NULL);
	log_config_change(s);
	return 0;
}

static int on_request(void *ctx, char *req, char **payload, char *msg,
		      size_t cap)
{
	struct service *s = ctx;
	char *arg = strchr(req, '\n');

	if (arg) {
		*arg++ = '\0';
		arg[strcspn(arg, "\n")] = '\0';
	}
	if (!strcmp(req, "dump")) {
		*payload = sm_config_dump(s->d.cfg);
		if (!*payload)
			snprintf(msg, cap, "cannot dump the active configuration");
		return !*payload;
	}
	if (!strcmp(req, "apply") && arg && *arg)
		return apply_pending(s, arg, msg, cap) ? 1 : 0;
	if (!strcmp(req, "defaults"))
		return use_defaults(s, msg, cap) ? 1 : 0;
	if (!strcmp(req, "reload"))
		return reload(s, msg, cap) ? 1 : 0;
	snprintf(msg, cap, "unknown request '%.64s'", req);
	return 1;
}

/* --- the loop -------------------------------------------------------------- */

static int on_record(void *ctx, const void *data, size_t size)
{
	return sm_daemon_record(ctx, data, size);
}

static int watch(struct service *s, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int setup_fds(struct service *s)
{
	sigset_t set;
	int err;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->sigfd < 0 || s->epfd < 0)
		return -errno;
	err = watch(s, s->sigfd);
	if (!err)
		err = watch(s, sm_reader_fd(s->reader));
	if (err || !s->o->installed)
		return err;
	s->ctlfd = sm_ctl_listen(SM_CONTROL_SOCKET);
	if (s->ctlfd < 0) {
		sm_err("cannot listen on " SM_CONTROL_SOCKET " (%s): 'sysmon -c' "
		       "will not reach this service", strerror(-s->ctlfd));
		return 0;
	}
	return watch(s, s->ctlfd);
}

/* Returns 1 when asked to stop. */
static int on_signal(struct service *s)
{
	struct signalfd_siginfo si;
	char msg[512];

	if (read(s->sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		/* logrotate's postrotate: a new file, then the configuration */
		sm_jsonsink_reopen();
		reload(s, msg, sizeof(msg));
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
		/* signals first: a stop leaves the buffer to stopped() */
		for (int i = 0; i < n; i++)
			if (evs[i].data.fd == s->sigfd)
				stop |= on_signal(s);
		for (int i = 0; i < n && !stop; i++) {
			if (evs[i].data.fd == s->ctlfd)
				sm_ctl_serve(s->ctlfd, on_request, s);
			else if (evs[i].data.fd != s->sigfd)
				sm_reader_drain(s->reader);
		}
		sm_daemon_poll(&s->d);
		if (sm_now_mono_ns() >= next_tick) {
			next_tick = sm_now_mono_ns() + 1000000000ull;
			sm_daemon_tick(&s->d);
			report_losses(s);
		}
	}
	return 0;
}

/* Stopping: everything the kernel already handed over is logged. Bounded,
 * so a storm cannot keep a stopping service alive. */
static void flush(struct service *s)
{
	for (int i = 0; i < STOP_DRAIN_ROUNDS; i++)
		if (sm_reader_flush(s->reader) <= 0)
			break;
	sm_daemon_flush(&s->d);
	report_losses(s);
}

static void open_record_ids(struct service *s)
{
	int err = sm_mkdir_mode(SM_STATE_DIR, 0700);

	if (!err)
		err = sm_recid_open(&s->d, SM_RECORD_ID_FILE);
	if (err)
		sm_err("cannot keep EventRecordIDs in " SM_RECORD_ID_FILE
		       " (%s): they start at 0 and may repeat", strerror(-err));
}

static int start(struct service *s, struct sm_config *cfg)
{
	struct sm_load_opts lo = s->o->load;
	struct sm_daemon_opts dopts = { SM_UDP_WINDOW_DEFAULT_SEC };
	int err;

	err = take_lock(s);
	if (!err)
		err = sm_jsonsink_open(&s->o->json);
	if (err) {
		sm_config_free(cfg);
		return err;
	}
	if (s->o->udp_window_set)
		dopts.udp_window_sec = s->o->udp_window_sec;
	err = sm_daemon_init(&s->d, cfg, &dopts);
	if (err)
		return err;
	lo.self_tgid = (uint32_t)getpid();
	err = sm_bpf_start(&lo, &s->bpf);
	if (err)
		return err;
	err = sm_reader_new(sm_bpf_events(s->bpf), sm_bpf_uses_ringbuf(s->bpf),
			    sm_bpf_buffer_kib(s->bpf), on_record, &s->d,
			    &s->reader);
	if (!err)
		err = setup_fds(s);
	if (err) {
		sm_err("cannot read events from the kernel: %s", strerror(-err));
		return err;
	}
	return sm_bpf_apply(s->bpf, s->d.cfg);
}

static void started(struct service *s, int ready_fd)
{
	int seeded = sm_procfs_seed(s->d.pc, &s->d.si);

	open_record_ids(s);
	log_config_change(s);
	log_state(s, "Started");
	if (s->o->restart_note && *s->o->restart_note) {
		char desc[256];

		snprintf(desc, sizeof(desc), "restarted by the supervisor: %s",
			 s->o->restart_note);
		log_error(s, "ServiceRestarted", desc);
	}
	sm_info("sysmon started: %s; %d processes known",
		sm_bpf_describe(s->bpf), seeded);
	if (ready_fd >= 0 && write(ready_fd, "1", 1) != 1)
		sm_debug("cannot signal readiness");
	notify_systemd("READY=1");
}

/* Programs first, then the buffer: every record emitted before the stop
 * is logged, none after. */
static void stopped(struct service *s)
{
	notify_systemd("STOPPING=1");
	sm_bpf_detach(s->bpf);
	flush(s);
	log_state(s, "Stopped");
	sm_recid_close(&s->d);
}

int sm_service_run(struct sm_config *cfg, const struct sm_service_opts *o,
		   int ready_fd)
{
	struct service s = { .o = o, .sigfd = -1, .epfd = -1, .lockfd = -1,
			     .ctlfd = -1, .cfg_path = o->config_path };
	int err;

	signal(SIGPIPE,
	       SIG_IGN); /* stderr may be a pipe to a dead supervisor */
	set_name(&s, o->config_name);
	sm_output_open(o->to_stdout, !o->no_syslog);
	err = start(&s, cfg);
	if (!err) {
		started(&s, ready_fd);
		err = loop(&s);
		stopped(&s);
	}
	sm_reader_free(s.reader);
	sm_bpf_stop(s.bpf);
	sm_daemon_fini(&s.d);
	sm_output_close();
	sm_jsonsink_close();
	if (s.ctlfd >= 0) {
		unlink(SM_CONTROL_SOCKET);
		close(s.ctlfd);
	}
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

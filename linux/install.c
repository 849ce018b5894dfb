/* SPDX-License-Identifier: MIT */
#include "install.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_file.h"
#include "control.h"
#include "fsutil.h"
#include "paths.h"
#include "supervisor.h"
#include "unit.h"

#define STOP_WAIT_MS 10000
#define KILL_WAIT_MS 5000
#define CTL_TIMEOUT_S 60

/* What -i writes; the service definition (switches) first: -u removes
 * only that one, -u purge all of them. */
static const char *const installed_files[] = {
	SM_SWITCHES_FILE,     SM_PENDING_CONFIG, SM_STORED_CONFIG,
	SM_CONFIG_SOURCE,     SM_INSTALLED_BTF,  SM_INSTALLED_EXE,
	SM_INSTALLED_LOGVIEW,
};
#define N_INSTALLED (sizeof(installed_files) / sizeof(installed_files[0]))

static bool have_systemd(void)
{
	return access(SM_SYSTEMD_RUNTIME, F_OK) == 0;
}

static int fail(const char *what, const char *where, int err)
{
	fprintf(stderr, "Error: cannot %s %s: %s\n", what, where,
		strerror(err < 0 ? -err : err));
	return err < 0 ? err : -err;
}

/* --- processes by pid file ----------------------------------------------- */

/* The pid in a pid file whose lock is held (the process is alive), or 0. */
static pid_t locked_pid(const char *pidfile)
{
	pid_t pid = sm_pidfile_holder(pidfile, NULL, 0);

	return pid > 0 ? pid : 0;
}

/* Is pid the installed binary (possibly replaced since it started)? */
static bool runs_installed(pid_t pid)
{
	char link[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	return !strncmp(exe, SM_INSTALLED_EXE, strlen(SM_INSTALLED_EXE)) &&
	       (exe[strlen(SM_INSTALLED_EXE)] == '\0' ||
		exe[strlen(SM_INSTALLED_EXE)] == ' ');
}

/* The installed service's pid when it runs (not a test's own instance). */
static pid_t service_pid(void)
{
	pid_t pid = locked_pid(SM_PIDFILE);

	return pid && runs_installed(pid) ? pid : 0;
}

/* Alive and not a zombie (a container's PID 1 may never reap it). */
static bool alive(pid_t pid)
{
	char path[64], *text, *st;
	bool zombie = false;

	if (kill(pid, 0))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = sm_read_file(path, 4096, NULL);
	st = text ? strrchr(text, ')') : NULL;
	zombie = st && st[1] == ' ' && st[2] == 'Z';
	free(text);
	return !zombie;
}

static bool wait_gone(pid_t pid, int ms)
{
	for (; ms > 0; ms -= 50) {
		if (!alive(pid))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

/* SIGTERM, wait; with force SIGKILL after the wait. 0 when it is gone. */
static int stop_pid(pid_t pid, const char *what, bool force)
{
	if (!pid)
		return 0;
	kill(pid, SIGTERM);
	if (wait_gone(pid, STOP_WAIT_MS))
		return 0;
	if (!force) {
		fprintf(stderr, "Error: the %s (pid %d) did not stop within %d s;"
			" run 'sysmon -u force' to kill it\n", what, (int)pid,
			STOP_WAIT_MS / 1000);
		return -ETIMEDOUT;
	}
	fprintf(stderr, "The %s (pid %d) did not stop within %d s: killing it\n",
		what, (int)pid, STOP_WAIT_MS / 1000);
	kill(pid, SIGKILL);
	return wait_gone(pid, KILL_WAIT_MS) ? 0 : -ETIMEDOUT;
}

/* Installed: -i wrote the service's switches and -u has not removed
 * them, or its service (or supervisor) runs. */
static bool installed(void)
{
	return access(SM_SWITCHES_FILE, F_OK) == 0 ||
	       locked_pid(SM_SUPERVISOR_PIDFILE) || service_pid();
}

/* --- files ------------------------------------------------------------------ */

static void remove_files(void)
{
	for (size_t i = 0; i < N_INSTALLED; i++)
		unlink(installed_files[i]);
	if (rmdir(SM_INSTALL_DIR) && errno != ENOENT)
		fprintf(stderr, "Warning: " SM_INSTALL_DIR " was left: %s (files "
			"not installed by sysmon?)\n", strerror(errno));
}

/* -i keeps the files it replaces as hard links (NAME.old) until the new
 * installation runs, to put them back when it does not. */
struct kept {
	bool had[N_INSTALLED];
};

static void old_name(char *buf, size_t cap, const char *path)
{
	snprintf(buf, cap, "%s.old", path);
}

static void keep_old(struct kept *k)
{
	char old[PATH_MAX];

	for (size_t i = 0; i < N_INSTALLED; i++) {
		old_name(old, sizeof(old), installed_files[i]);
		unlink(old);
		k->had[i] = link(installed_files[i], old) == 0;
	}
}

static void restore_old(const struct kept *k)
{
	char old[PATH_MAX];

	for (size_t i = 0; i < N_INSTALLED; i++) {
		old_name(old, sizeof(old), installed_files[i]);
		if (k->had[i] ? rename(old, installed_files[i])
			      : unlink(installed_files[i]) && errno != ENOENT)
			fail("restore", installed_files[i], -errno);
	}
}

static void drop_old(void)
{
	char old[PATH_MAX];

	for (size_t i = 0; i < N_INSTALLED; i++) {
		old_name(old, sizeof(old), installed_files[i]);
		unlink(old);
	}
}

/* One -i, -c or -u at a time: a lock on the directory (created when
 * create). Returns the fd to close, or -1 having said why. */
static int lock_install_dir(bool create)
{
	int err = create ? sm_mkdir_mode(SM_INSTALL_DIR, 0700) : 0;
	int fd = err ? -1
		     : open(SM_INSTALL_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && !flock(fd, LOCK_EX))
		return fd;
	fail("lock", SM_INSTALL_DIR, err ? err : -errno);
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Are path and the other the same file (e.g. -i run from /opt/sysmon)? */
static bool same_file(const char *path, const char *other)
{
	struct stat a, b;

	return !stat(path, &a) && !stat(other, &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The service switches, one token per line; -btf's file is copied. */
static int write_switches(const struct sm_service_opts *o)
{
	const struct sm_load_opts *lo = &o->load;
	char text[2 * PATH_MAX + 320];
	size_t n = 0;
	int err;

	if (lo->btf_path) {
		err = same_file(lo->btf_path, SM_INSTALLED_BTF)
			      ? 0
			      : sm_copy_file_atomic(lo->btf_path,
						    SM_INSTALLED_BTF, 0600);
		if (err)
			return fail("copy", lo->btf_path, err);
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "-btf\n" SM_INSTALLED_BTF "\n");
	} else {
		unlink(SM_INSTALLED_BTF);
	}
	if (lo->force_variant)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "-ebpfobject\n%.64s\n", lo->force_variant);
	if (lo->force_perfbuf)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "-perfbuffer\n");
	if (lo->buffer_kib)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "-buffer\n%u\n",
				      lo->buffer_kib);
	if (o->udp_window_set)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "-udpwindow\n%u\n", o->udp_window_sec);
	if (o->json.path)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "-jsonfile\n%.*s\n", PATH_MAX - 1,
				      o->json.path);
	if (o->json.path && o->json_rotate)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "-rotate\n%.64s\n", o->json_rotate);
	if (o->json.path && o->no_syslog)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "-nosyslog\n");
	/* written even when empty: it marks the service as installed */
	err = sm_write_file_atomic(SM_SWITCHES_FILE, text, n, 0600);
	return err ? fail("write", SM_SWITCHES_FILE, err) : 0;
}

static int store_config(const char *config, const char *dst)
{
	char source[PATH_MAX];
	int err;

	if (!realpath(config, source))
		return fail("resolve", config, -errno);
	err = sm_copy_file_atomic(config, dst, 0600);
	if (err)
		return fail("copy the configuration to", dst, err);
	if (strcmp(dst, SM_STORED_CONFIG))
		return 0;
	err = sm_write_file_atomic(SM_CONFIG_SOURCE, source, strlen(source),
				   0600);
	return err ? fail("write", SM_CONFIG_SOURCE, err) : 0;
}

/* sysmonLogView from beside the binary running this (the build directory,
 * /usr/bin of the package); without one, the installation goes on
 * without it, saying so. */
static int install_logview(void)
{
	char self[PATH_MAX], src[PATH_MAX + sizeof(SM_LOGVIEW_NAME)], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int err;

	if (n <= 0)
		return fail("read", "/proc/self/exe", -errno);
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		slash[1] = '\0';
	snprintf(src, sizeof(src), "%s" SM_LOGVIEW_NAME, self);
	if (access(src, X_OK)) {
		fprintf(stderr,
			"Warning: %s: %s; " SM_INSTALLED_LOGVIEW " is "
			"not installed (build it beside sysmon)\n",
			src, strerror(errno));
		return 0;
	}
	if (same_file(src, SM_INSTALLED_LOGVIEW))
		return 0;
	err = sm_copy_file_atomic(src, SM_INSTALLED_LOGVIEW, 0700);
	return err ? fail("copy sysmonLogView to", SM_INSTALLED_LOGVIEW, err)
		   : 0;
}

/* The binary running this (and sysmonLogView), the configuration (none:
 * the defaults; the stored one itself: kept with the name the user gave
 * it) and the switches. */
static int write_installation(const char *config,
			      const struct sm_service_opts *o)
{
	int err = 0;

	if (!same_file("/proc/self/exe", SM_INSTALLED_EXE))
		err = sm_copy_file_atomic("/proc/self/exe", SM_INSTALLED_EXE,
					  0700);
	if (err)
		return fail("copy sysmon to", SM_INSTALLED_EXE, err);
	err = install_logview();
	if (err)
		return err;
	if (!config) {
		unlink(SM_STORED_CONFIG);
		unlink(SM_CONFIG_SOURCE);
	} else if (!same_file(config, SM_STORED_CONFIG)) {
		err = store_config(config, SM_STORED_CONFIG);
		if (err)
			return err;
	}
	return write_switches(o);
}

/* --- init systems ------------------------------------------------------------ */

static int write_text(const char *path, mode_t mode,
		      size_t (*gen)(char *, size_t, const char *, const char *))
{
	char text[4096];
	size_t n = gen(text, sizeof(text), SM_INSTALLED_EXE,
		       SM_SUPERVISOR_PIDFILE);
	int err = n < sizeof(text) ? sm_write_file_atomic(path, text, n, mode) :
				     -ENOSPC;

	return err ? fail("write", path, err) : 0;
}

static size_t unit_gen(char *buf, size_t cap, const char *exe, const char *pf)
{
	(void)pf;
	return sm_unit_text(buf, cap, exe);
}

static int systemctl(const char *a, const char *b, const char *c, bool quiet)
{
	const char *argv[] = { "systemctl", a, b, c, NULL };

	return sm_run(argv, quiet);
}

static int start_systemd(void)
{
	int err = 0;

	/* the package ships the same unit in /lib; otherwise write it */
	if (access(SM_PACKAGED_UNIT_PATH, F_OK))
		err = write_text(SM_UNIT_PATH, 0644, unit_gen);
	if (!err)
		systemctl("daemon-reload", NULL, NULL, true);
	if (!err && systemctl("enable", "--now", SM_UNIT_NAME, false)) {
		fprintf(stderr, "Error: systemd could not start " SM_UNIT_NAME
			"; see 'journalctl -u sysmon'\n");
		err = -EIO;
	}
	return err;
}

static void remove_systemd(void)
{
	systemctl("disable", "--now", SM_UNIT_NAME, true);
	unlink(SM_UNIT_PATH);
	systemctl("daemon-reload", NULL, NULL, true);
}

static bool have_update_rcd(void)
{
	return access("/usr/sbin/update-rc.d", X_OK) == 0 &&
	       access("/etc/init.d", F_OK) == 0;
}

/* Boot: an LSB init script where sysvinit-style tools exist. */
static int write_initd(void)
{
	const char *argv[] = { "update-rc.d", "sysmon", "defaults", NULL };
	int err;

	if (!have_update_rcd())
		return 0;
	err = write_text(SM_INITD_PATH, 0755, sm_initd_text);
	if (!err && sm_run(argv, true))
		fprintf(stderr, "Warning: 'update-rc.d sysmon defaults' failed: "
			"sysmon may not start at boot\n");
	return err;
}

static void remove_initd(void)
{
	const char *argv[] = { "update-rc.d", "-f", "sysmon", "remove", NULL };

	if (access(SM_INITD_PATH, F_OK))
		return;
	if (have_update_rcd())
		sm_run(argv, true);
	unlink(SM_INITD_PATH);
}

static int start_supervised(void)
{
	int err = write_initd();

	return err ? err : sm_supervisor_start(SM_INSTALLED_EXE);
}

/* Stops the supervisor (which stops the service), then any installed
 * service left without one. */
static int stop_supervised(bool force)
{
	int err = stop_pid(locked_pid(SM_SUPERVISOR_PIDFILE), "supervisor",
			   force);

	if (err && !force)
		return err;
	return stop_pid(service_pid(), "service", force);
}

static int start_service(bool sd)
{
	return sd ? start_systemd() : start_supervised();
}

/* Stops the service wherever it runs (the unit, a supervisor, or left
 * without one); force: kill what does not stop. */
static int stop_service(bool sd, bool force)
{
	if (sd) {
		systemctl("stop", SM_UNIT_NAME, NULL, true);
		if (force &&
		    systemctl("is-active", "--quiet", SM_UNIT_NAME, true) == 0)
			systemctl("kill", "--signal=SIGKILL", SM_UNIT_NAME,
				  true);
	}
	return stop_supervised(force);
}

/* The new installation did not start: the previous files come back, and
 * the previous service when there was one. */
static void roll_back(bool sd, bool was, const struct kept *k)
{
	stop_service(sd, true);
	restore_old(k);
	if (was && !start_service(sd)) {
		fprintf(stderr,
			"Error: Sysmon was not reinstalled; the previous "
			"installation runs again.\n");
		return;
	}
	if (sd)
		remove_systemd();
	remove_initd();
	rmdir(SM_INSTALL_DIR); /* only when it was not there before */
	fprintf(stderr,
		was ? "Error: Sysmon was not reinstalled, and the "
		      "previous installation did not start again either; its files "
		      "are back in " SM_INSTALL_DIR ".\n"
		    : "Error: Sysmon was not installed (nothing was left behind).\n");
}

/* --- the commands ---------------------------------------------------------- */

/* The configuration is checked before anything is touched. Over an
 * installed service: the files are replaced (binary included), then the
 * service restarts with them; when the new one does not start, the old
 * one comes back. */
int sm_install(const char *config, const struct sm_service_opts *o)
{
	struct sm_config *cfg = NULL;
	bool sd = have_systemd(), was = installed();
	struct kept k;
	int lockfd, err;

	if (config && sm_config_load_file(config, &cfg))
		return 1;
	sm_config_free(cfg);
	lockfd = lock_install_dir(true);
	if (lockfd < 0)
		return 1;
	keep_old(&k);
	err = write_installation(config, o);
	if (!err && was)
		err = stop_service(sd, true);
	if (!err)
		err = start_service(sd);
	if (err)
		roll_back(sd, was, &k);
	else
		drop_old();
	close(lockfd);
	if (err)
		return 1;
	printf("Sysmon %s in " SM_INSTALL_DIR " and %sstarted (%s, service "
	       "pid %d).\n",
	       was ? "reinstalled" : "installed", was ? "re" : "",
	       sd ? "systemd unit " SM_UNIT_NAME : "supervised",
	       (int)service_pid());
	return 0;
}

static int not_running(void)
{
	if (!installed())
		fprintf(stderr, "Error: Sysmon is not installed.\n");
	else
		fprintf(stderr, "Error: Sysmon is installed but its service is "
			"not running; start it with %s.\n",
			have_systemd() ? "'systemctl start sysmon'" :
			access(SM_INITD_PATH, F_OK) ? "'" SM_INSTALLED_EXE
			" -supervise &'" : "'" SM_INITD_PATH " start'");
	return 1;
}

static int call(const char *request)
{
	int rc = sm_ctl_call(SM_CONTROL_SOCKET, request, stdout, CTL_TIMEOUT_S);

	if (rc == -ENOENT || rc == -ECONNREFUSED)
		return not_running();
	if (rc < 0) {
		fprintf(stderr, "Error: no answer from the service on "
			SM_CONTROL_SOCKET ": %s\n", strerror(-rc));
		return 1;
	}
	return rc;
}

/* -c FILE: validated here, stored as pending, applied by the service
 * (which makes it the stored configuration only when it runs it). */
static int apply_file(const char *file)
{
	struct sm_config *cfg = NULL;
	char source[PATH_MAX], req[PATH_MAX + 16];
	int lockfd, rc;

	if (sm_config_load_file(file, &cfg))
		return 1;
	sm_config_free(cfg);
	if (!installed() || !locked_pid(SM_PIDFILE))
		return not_running();
	if (!realpath(file, source)) {
		fail("resolve", file, -errno);
		return 1;
	}
	lockfd = lock_install_dir(false);
	if (lockfd < 0)
		return 1;
	rc = store_config(file, SM_PENDING_CONFIG) ? 1 : 0;
	if (!rc) {
		snprintf(req, sizeof(req), "apply\n%s\n", source);
		rc = call(req);
		unlink(SM_PENDING_CONFIG); /* applied (renamed) or refused */
	}
	close(lockfd);
	if (!rc)
		printf("Configuration updated (%s).\n", source);
	return rc;
}

int sm_configure(const char *arg)
{
	int rc;

	if (!arg)
		return call("dump\n");
	if (strcmp(arg, "--"))
		return apply_file(arg);
	rc = call("defaults\n");
	if (!rc)
		printf("Configuration updated (defaults).\n");
	return rc;
}

/* -u: stopped and disabled (unit or init script removed, supervisor
 * stopped); the binaries and the last configuration stay for -i. purge:
 * force, and every file goes. */
int sm_uninstall(bool force, bool purge)
{
	bool sd = have_systemd();
	bool any = installed() || !access(SM_UNIT_PATH, F_OK) ||
		   !access(SM_INITD_PATH, F_OK);
	int lockfd;

	if (!any && (!purge || access(SM_INSTALL_DIR, F_OK))) {
		fprintf(stderr, "Error: Sysmon is not installed.\n");
		return 1;
	}
	lockfd = access(SM_INSTALL_DIR, F_OK) ? -1 : lock_install_dir(false);
	if (any) {
		if (sd)
			remove_systemd();
		if (stop_service(sd, force || purge)) {
			if (lockfd >= 0)
				close(lockfd);
			return 1;
		}
		remove_initd();
		unlink(SM_SWITCHES_FILE);
		unlink(SM_PENDING_CONFIG);
	}
	if (purge)
		remove_files();
	if (lockfd >= 0)
		close(lockfd);
	if (purge)
		printf("Sysmon %s; " SM_INSTALL_DIR " deleted.\n",
		       any ? "stopped and uninstalled" : "was not installed");
	else
		printf("Sysmon stopped and uninstalled; " SM_INSTALLED_EXE
		       " and its last configuration stay ('" SM_INSTALLED_EXE
		       " -i [config]' installs it again, 'sysmon -u purge' "
		       "deletes them).\n");
	return 0;
}

char **sm_installed_switches(void)
{
	size_t len, n = 2;
	char *text = sm_read_file(SM_SWITCHES_FILE, 2 * PATH_MAX + 512, &len);
	char **argv, *p, *copy;

	if (!text)
		return NULL;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	argv = malloc(n * sizeof(*argv) + len + 1);
	if (!argv) {
		free(text);
		return NULL;
	}
	copy = memcpy((char *)(argv + n), text, len + 1);
	free(text);
	n = 0;
	argv[n++] = "sysmon";
	for (p = strtok(copy, "\n"); p; p = strtok(NULL, "\n"))
		argv[n++] = p;
	argv[n] = NULL;
	return argv;
}

/* SPDX-License-Identifier: MIT */
/* sysmon: the command line. Sysmon's single-dash, case-insensitive
 * switches, looked up in one table; each switch has one handler. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_file.h"
#include "fsutil.h"
#include "install.h"
#include "jsonfmt.h"
#include "log.h"
#include "schema.h"
#include "service.h"
#include "supervisor.h"

struct cli {
	const char *action;      /* the switch that says what to do */
	const char *config;      /* its argument */
	bool has_config;
	struct sm_service_opts svc;
	bool service;            /* -service: foreground, no fork */
};

enum argkind { ARG_NONE, ARG_OPTIONAL, ARG_REQUIRED };

struct sw {
	const char *name;
	enum argkind arg;
	bool action;
	const char *help;
};

static const struct sw switches[] = {
	{ "i", ARG_OPTIONAL, true, "-i [config]     install the service in " SM_INSTALL_DIR " and start it (default: built-in config); over an installed one: replace it and restart" },
	{ "c", ARG_OPTIONAL, true, "-c [config|--]  apply config to the running service; no config: print the active one; --: defaults" },
	{ "u", ARG_OPTIONAL, true, "-u [force|purge] stop and disable the service, keeping " SM_INSTALLED_EXE " (force: kill it if it does not stop; purge: also delete " SM_INSTALL_DIR ")" },
	{ "vc", ARG_REQUIRED, true, "-vc <config>    validate a config file and print its rule dump; touches nothing" },
	{ "s", ARG_OPTIONAL, true, "-s [version|all] print the schema" },
	{ "t", ARG_OPTIONAL, false, "-t [verbose]    with -i: run here in the foreground, events also on stdout, debug and libbpf messages" },
	{ "btf", ARG_REQUIRED, false, "-btf <file>     BTF for kernels without /sys/kernel/btf/vmlinux" },
	{ "service", ARG_NONE, false, "-service        run in the foreground: the installed service, or with -i config a monitor from here" },
	{ "supervise", ARG_NONE, true, "-supervise      run the installed service and restart it if it dies (hosts without systemd)" },
	{ "run", ARG_OPTIONAL, true, "-run [config]   run from here in the background, not installed (tests; stop: SIGTERM to " SM_PIDFILE ")" },
	{ "ebpfobject", ARG_REQUIRED, false, "-ebpfobject <id> use this eBPF object (e.g. v5_6) whatever the kernel" },
	{ "perfbuffer", ARG_NONE, false, "-perfbuffer     use a perf buffer even where a ring buffer exists" },
	{ "buffer", ARG_REQUIRED, false, "-buffer <KiB>   event buffer size (ring: total, default 4096; perf: per CPU, default 1024)" },
	{ "udpwindow", ARG_REQUIRED, false, "-udpwindow <s>  one UDP NetworkConnect per conversation per this many seconds (0-86400, default 60)" },
	{ "jsonfile", ARG_REQUIRED, false,
	  "-jsonfile <path> also write each event as a JSON line to this file (absolute path; root-only)" },
	{ "rotate", ARG_REQUIRED, false,
	  "-rotate <size>[,<n>] with -jsonfile: rotate at size bytes (K, M, G; 0: never), keeping n files (default 100M,5)" },
	{ "nosyslog", ARG_NONE, false,
	  "-nosyslog       with -jsonfile: events to the JSON file only, not to syslog" },
	{ "accepteula", ARG_NONE, false, "-accepteula     accepted, no effect" },
	{ "nologo", ARG_NONE, false, "-nologo         accepted, no effect" },
	{ "?", ARG_NONE, true, "-? | -h | -help this text" },
	{ "h", ARG_NONE, true, NULL },
	{ "help", ARG_NONE, true, NULL },
};
#define NSWITCHES (sizeof(switches) / sizeof(switches[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: sysmon <switches>  (as root; switches are case-insensitive)\n");
	for (size_t i = 0; i < NSWITCHES; i++)
		if (switches[i].help)
			fprintf(f, "  %s\n", switches[i].help);
	fprintf(f, "Events go to syslog (ident sysmon, facility user) and "
		   "with -jsonfile to a file. See sysmon(8).\n");
}

static const struct sw *find_switch(const char *arg)
{
	if (arg[0] != '-' || !arg[1])
		return NULL;
	for (size_t i = 0; i < NSWITCHES; i++)
		if (!strcasecmp(arg + 1, switches[i].name))
			return &switches[i];
	return NULL;
}

/* -jsonfile, -rotate, -nosyslog. */
static int apply_json(struct cli *c, const char *n, const char *val)
{
	struct sm_json_opts *j = &c->svc.json;

	if (!strcmp(n, "jsonfile")) {
		if (val[0] != '/') {
			fprintf(stderr, "Error: -jsonfile %s: %s\n\n", val,
				"give an absolute path");
			return -EINVAL;
		}
		j->path = val;
	} else if (!strcmp(n, "rotate")) {
		if (sm_json_parse_rotate(val, &j->rotate_bytes, &j->keep)) {
			fprintf(stderr, "Error: -rotate %s: %s %u)\n\n", val,
				"give SIZE[,COUNT], e.g. 100M,5 (SIZE in bytes "
				"or with K, M, G; COUNT 0 to",
				SM_JSON_KEEP_MAX);
			return -EINVAL;
		}
		c->svc.json_rotate = val;
	} else if (!strcmp(n, "nosyslog")) {
		c->svc.no_syslog = true;
	}
	return 0;
}

/* -rotate and -nosyslog only mean something with -jsonfile. */
static int check_json(const struct cli *c)
{
	if (c->svc.json.path || (!c->svc.json_rotate && !c->svc.no_syslog))
		return 0;
	fprintf(stderr, "Error: -%s needs -jsonfile <path>\n\n",
		c->svc.no_syslog ? "nosyslog" : "rotate");
	return -EINVAL;
}

static void json_defaults(struct sm_service_opts *o)
{
	if (o->json.path && !o->json_rotate) {
		o->json.rotate_bytes = SM_JSON_ROTATE_DEFAULT;
		o->json.keep = SM_JSON_KEEP_DEFAULT;
	}
}

static int apply(struct cli *c, const struct sw *s, const char *val)
{
	const char *n = s->name;

	if (s->action) {
		c->action = n;
		c->config = val;
		c->has_config = val != NULL;
	} else if (!strcmp(n, "t")) {
		c->svc.to_stdout = true;
		sm_verbose = true;
	} else if (!strcmp(n, "btf")) {
		c->svc.load.btf_path = val;
	} else if (!strcmp(n, "service")) {
		c->service = true;
	} else if (!strcmp(n, "ebpfobject")) {
		c->svc.load.force_variant = val;
	} else if (!strcmp(n, "perfbuffer")) {
		c->svc.load.force_perfbuf = true;
	} else if (!strcmp(n, "buffer")) {
		c->svc.load.buffer_kib = (unsigned)strtoul(val, NULL, 10);
	} else if (!strcmp(n, "udpwindow")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (!*val || *end || v > 86400) {
			fprintf(stderr, "Error: -udpwindow %s: give a number of "
				"seconds from 0 to 86400\n\n", val);
			return -EINVAL;
		}
		c->svc.udp_window_set = true;
		c->svc.udp_window_sec = (unsigned)v;
	} else {
		return apply_json(c, n, val);
	}
	return 0;
}

static int parse(int argc, char **argv, struct cli *c)
{
	for (int i = 1; i < argc; i++) {
		const struct sw *s = find_switch(argv[i]);
		const char *val = NULL;

		if (!s) {
			fprintf(stderr, "Error: unknown switch '%s'\n\n", argv[i]);
			return -EINVAL;
		}
		if (s->arg != ARG_NONE && i + 1 < argc && !find_switch(argv[i + 1]))
			val = argv[++i];
		if (s->arg == ARG_REQUIRED && !val) {
			fprintf(stderr, "Error: -%s needs an argument\n\n", s->name);
			return -EINVAL;
		}
		if (s->action && c->action) {
			fprintf(stderr, "Error: -%s and -%s cannot be combined\n\n",
				c->action, s->name);
			return -EINVAL;
		}
		if (apply(c, s, val))
			return -EINVAL;
	}
	return 0;
}

static int load_config(const struct cli *c, struct sm_config **cfg)
{
	if (c->has_config)
		return sm_config_load_file(c->config, cfg);
	return sm_config_default(cfg);
}

static bool is_root(void)
{
	if (geteuid() == 0)
		return true;
	sm_err("sysmon must run as root");
	return false;
}

static int cmd_validate(const struct cli *c)
{
	struct sm_config *cfg = NULL;
	char *dump;

	if (sm_config_load_file(c->config, &cfg))
		return 1;
	dump = sm_config_dump(cfg);
	if (dump)
		fputs(dump, stdout);
	free(dump);
	sm_config_free(cfg);
	return dump ? 0 : 1;
}

static int cmd_schema(void)
{
	fwrite(sm_schema_xml, 1, sm_schema_xml_len, stdout);
	return 0;
}

/* Run in the background: the parent waits until the child says it is
 * monitoring (or failed, having printed why), so errors are seen here. */
static int daemonize(struct sm_config *cfg, const struct sm_service_opts *o)
{
	int fds[2];
	char ok;
	pid_t pid;

	if (pipe(fds))
		return 1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid > 0) {
		close(fds[1]);
		sm_config_free(cfg);
		if (read(fds[0], &ok, 1) != 1)
			return 1;
		printf("Sysmon started (pid %d).\n", pid);
		return 0;
	}
	close(fds[0]);
	sm_close_other_fds(fds[1]); /* e.g. a caller's lock or pipe */
	setsid();
	umask(022);
	if (chdir("/"))
		_exit(1);
	_exit(sm_service_run(cfg, o, fds[1]) ? 1 : 0);
}

/* A monitor from here, not installed: `-i [config] -service` or `-t` in
 * the foreground (the reference's unit form; debugging), `-run [config]`
 * in the background (tests). */
static int cmd_run_here(struct cli *c, bool background)
{
	struct sm_config *cfg = NULL;

	if (!is_root() || load_config(c, &cfg))
		return 1;
	c->svc.config_path = c->has_config ? c->config : NULL;
	if (!background)
		return sm_service_run(cfg, &c->svc, -1) ? 1 : 0;
	return daemonize(cfg, &c->svc);
}

static int env_fd(const char *name)
{
	const char *v = getenv(name);
	int fd = v && *v ? atoi(v) : -1;

	unsetenv(name);
	return fd;
}

/* Switches stored by -i (e.g. -btf) apply unless the command line says
 * otherwise. */
static void add_installed_switches(struct cli *c)
{
	char **argv = sm_installed_switches();
	struct cli st = { 0 };
	int argc = 0;

	if (!argv)
		return;
	while (argv[argc])
		argc++;
	if (!parse(argc, argv, &st)) {
		struct sm_load_opts *l = &c->svc.load;

		l->btf_path = l->btf_path ? l->btf_path : st.svc.load.btf_path;
		l->force_variant = l->force_variant ? l->force_variant :
						      st.svc.load.force_variant;
		l->force_perfbuf |= st.svc.load.force_perfbuf;
		l->buffer_kib = l->buffer_kib ? l->buffer_kib :
						st.svc.load.buffer_kib;
		if (!c->svc.udp_window_set) {
			c->svc.udp_window_set = st.svc.udp_window_set;
			c->svc.udp_window_sec = st.svc.udp_window_sec;
		}
		if (!c->svc.json.path) {
			c->svc.json = st.svc.json;
			c->svc.json_rotate = st.svc.json_rotate;
			c->svc.no_syslog = st.svc.no_syslog;
		}
	}
	/* argv's strings stay in use by c: freed at exit */
}

/* `-service`: the installed service (run by systemd or the supervisor).
 * Its configuration is the stored one; when that no longer loads (e.g.
 * after an upgrade) it monitors with the defaults rather than not at all,
 * and says so, so that `sysmon -c` can fix it. */
static int cmd_installed_service(struct cli *c)
{
	static char name[4096];
	struct sm_config *cfg = NULL;
	char *src;

	if (!is_root())
		return 1;
	add_installed_switches(c);
	json_defaults(&c->svc);
	c->svc.installed = true;
	c->svc.restart_note = getenv(SM_ENV_RESTART_NOTE);
	if (!access(SM_STORED_CONFIG, F_OK)) {
		c->svc.config_path = SM_STORED_CONFIG;
		src = sm_read_file(SM_CONFIG_SOURCE, sizeof(name) - 1, NULL);
		if (src) {
			snprintf(name, sizeof(name), "%.*s",
				 (int)strcspn(src, "\n"), src);
			c->svc.config_name = name;
			free(src);
		}
		if (sm_config_load_file(SM_STORED_CONFIG, &cfg)) {
			sm_err("the stored configuration " SM_STORED_CONFIG
			       " does not load: monitoring with the defaults");
			c->svc.config_path = NULL;
			c->svc.config_name = NULL;
		}
	}
	if (!cfg && sm_config_default(&cfg))
		return 1;
	return sm_service_run(cfg, &c->svc, env_fd(SM_ENV_READY_FD)) ? 1 : 0;
}

static int cmd_uninstall(const struct cli *c)
{
	bool purge = c->has_config && !strcasecmp(c->config, "purge");

	if (c->has_config && !purge && strcasecmp(c->config, "force")) {
		fprintf(stderr,
			"Error: -u takes 'force' or 'purge', not '%s'\n",
			c->config);
		return 1;
	}
	return is_root() ? sm_uninstall(c->has_config, purge) : 1;
}

static bool is(const struct cli *c, const char *name)
{
	return c->action && !strcmp(c->action, name);
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };

	if (parse(argc, argv, &c) || check_json(&c)) {
		usage(stderr);
		return 1;
	}
	json_defaults(&c.svc);
	if (!c.action && c.service)
		return cmd_installed_service(&c);
	if (!c.action || is(&c, "?") || is(&c, "h") || is(&c, "help")) {
		printf("sysmon " SM_VERSION " - Sysmon-compatible monitor for Linux "
		       "(schema " SM_SCHEMA_VERSION ")\n");
		usage(stdout);
		return c.action ? 0 : 1;
	}
	if (is(&c, "vc"))
		return cmd_validate(&c);
	if (is(&c, "s"))
		return cmd_schema();
	if (is(&c, "run"))
		return cmd_run_here(&c, true);
	if (is(&c, "i") && (c.service || c.svc.to_stdout))
		return cmd_run_here(&c, false);
	if (is(&c, "i"))
		return is_root() ? (sm_install(c.config, &c.svc) ? 1 : 0) : 1;
	if (is(&c, "c"))
		return is_root() ? sm_configure(c.config) : 1;
	if (is(&c, "u"))
		return cmd_uninstall(&c);
	/* -supervise */
	return is_root() ? sm_supervise(SM_INSTALLED_EXE,
					env_fd(SM_ENV_STATUS_FD)) : 1;
}

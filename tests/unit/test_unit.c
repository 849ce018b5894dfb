/* SPDX-License-Identifier: MIT */
/* The init system files sysmon -i writes: the systemd unit (exact text:
 * systemd cannot run here, so this is its test) and the LSB init script. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit.h"

static const char want_unit[] =
	"# Written by 'sysmon -i'; removed by 'sysmon -u'.\n"
	"[Unit]\n"
	"Description=Sysmon for Linux: security event monitor\n"
	"Documentation=man:sysmon(8)\n"
	"After=local-fs.target systemd-journald.socket\n"
	"StartLimitIntervalSec=0\n"
	"\n"
	"[Service]\n"
	"Type=notify\n"
	"NotifyAccess=main\n"
	"ExecStart=/opt/sysmon/sysmon -service\n"
	"ExecReload=/bin/kill -HUP $MAINPID\n"
	"Restart=on-failure\n"
	"RestartSec=1\n"
	"TimeoutStopSec=30\n"
	"\n"
	"[Install]\n"
	"WantedBy=multi-user.target\n";

static void unit_text_exact(void **state)
{
	char buf[4096];
	size_t n = sm_unit_text(buf, sizeof(buf), "/opt/sysmon/sysmon");

	(void)state;
	assert_int_equal(n, strlen(want_unit));
	assert_string_equal(buf, want_unit);
}

/* Every line is blank, a comment, a [Section] or Key=Value, and the keys
 * that make it a restarting, notifying, enabled service are in the right
 * sections. */
static void unit_text_well_formed(void **state)
{
	char buf[4096], section[32] = "", *line, *save;
	int restart = 0, exec = 0, wanted = 0, type = 0;

	(void)state;
	sm_unit_text(buf, sizeof(buf), "/usr/local/x/sysmon");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (line[0] == '[') {
			assert_non_null(strchr(line, ']'));
			snprintf(section, sizeof(section), "%s", line);
			continue;
		}
		assert_non_null(strchr(line, '='));
		if (!strcmp(section, "[Service]")) {
			restart += !strcmp(line, "Restart=on-failure");
			exec += !strcmp(line, "ExecStart=/usr/local/x/sysmon -service");
			type += !strcmp(line, "Type=notify");
		}
		if (!strcmp(section, "[Install]"))
			wanted += !strcmp(line, "WantedBy=multi-user.target");
	}
	assert_int_equal(restart, 1);
	assert_int_equal(exec, 1);
	assert_int_equal(type, 1);
	assert_int_equal(wanted, 1);
}

static void unit_text_truncates_like_snprintf(void **state)
{
	char small[16];
	size_t n = sm_unit_text(small, sizeof(small), "/opt/sysmon/sysmon");

	(void)state;
	assert_int_equal(n, strlen(want_unit));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, want_unit, sizeof(small) - 1);
}

static void initd_script(void **state)
{
	char buf[4096];
	size_t n = sm_initd_text(buf, sizeof(buf), "/opt/sysmon/sysmon",
				 "/run/sysmon-supervisor.pid");

	(void)state;
	assert_int_equal(n, strlen(buf));
	assert_true(!strncmp(buf, "#!/bin/sh\n### BEGIN INIT INFO\n", 30));
	assert_non_null(strstr(buf, "# Provides:          sysmon\n"));
	assert_non_null(strstr(buf, "# Default-Start:     2 3 4 5\n"));
	assert_non_null(strstr(buf, "### END INIT INFO\n"));
	assert_non_null(strstr(buf, "EXE=/opt/sysmon/sysmon\n"));
	assert_non_null(strstr(buf, "PIDFILE=/run/sysmon-supervisor.pid\n"));
	assert_non_null(strstr(buf, "--start --background --startas $EXE -- -supervise"));
	assert_non_null(strstr(buf, "--stop --retry TERM/30/KILL/5"));
	assert_non_null(strstr(buf, "--stop --signal HUP"));
	assert_non_null(strstr(buf, "\nstatus)\n"));
	assert_true(n > 0 && buf[n - 1] == '\n' && !strcmp(buf + n - 5, "esac\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unit_text_exact),
		cmocka_unit_test(unit_text_well_formed),
		cmocka_unit_test(unit_text_truncates_like_snprintf),
		cmocka_unit_test(initd_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
#include "unit.h"

#include <stdio.h>

/* Type=notify: `systemctl start` returns once the service monitors (it
 * sends READY=1), and fails when it cannot start. Restart=on-failure:
 * restarted after a crash or a kill, not after `systemctl stop`. No start
 * limit: a monitor that gives up after a few deaths would let an attacker
 * switch it off by killing it repeatedly. */
size_t sm_unit_text(char *buf, size_t cap, const char *exe)
{
	int n = snprintf(buf, cap,
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
		"ExecStart=%s -service\n"
		"ExecReload=/bin/kill -HUP $MAINPID\n"
		"Restart=on-failure\n"
		"RestartSec=1\n"
		"TimeoutStopSec=30\n"
		"\n"
		"[Install]\n"
		"WantedBy=multi-user.target\n",
		exe);

	return n < 0 ? 0 : (size_t)n;
}

/* start-stop-daemon matches the supervisor by pid file and process name
 * (not by executable: after an upgrade the running binary is a deleted
 * file). The supervisor writes its own pid file. */
size_t sm_initd_text(char *buf, size_t cap, const char *exe,
		     const char *pidfile)
{
	int n = snprintf(buf, cap,
		"#!/bin/sh\n"
		"### BEGIN INIT INFO\n"
		"# Provides:          sysmon\n"
		"# Required-Start:    $local_fs $syslog\n"
		"# Required-Stop:     $local_fs $syslog\n"
		"# Default-Start:     2 3 4 5\n"
		"# Default-Stop:      0 1 6\n"
		"# Short-Description: Sysmon for Linux: security event monitor\n"
		"### END INIT INFO\n"
		"# Written by 'sysmon -i'; removed by 'sysmon -u'. Starts the\n"
		"# supervisor, which runs the service and restarts it if it dies.\n"
		"EXE=%s\n"
		"PIDFILE=%s\n"
		"SSD=\"start-stop-daemon --quiet --pidfile $PIDFILE --name sysmon\"\n"
		"case \"$1\" in\n"
		"start)\n"
		"\t$SSD --start --background --startas $EXE -- -supervise ;;\n"
		"stop)\n"
		"\t$SSD --stop --retry TERM/30/KILL/5 ;;\n"
		"reload|force-reload)\n"
		"\t$SSD --stop --signal HUP ;;\n"
		"restart)\n"
		"\t$SSD --stop --retry TERM/30/KILL/5\n"
		"\t$SSD --start --background --startas $EXE -- -supervise ;;\n"
		"status)\n"
		"\t$SSD --status && echo \"sysmon is running\" && exit 0\n"
		"\techo \"sysmon is not running\"; exit 3 ;;\n"
		"*)\n"
		"\techo \"Usage: $0 {start|stop|restart|reload|status}\" >&2\n"
		"\texit 2 ;;\n"
		"esac\n",
		exe, pidfile);

	return n < 0 ? 0 : (size_t)n;
}

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes sure a syslog daemon is running and accepts sysmon's long lines.
# With none running (containers, hosts without systemd), starts Debian's
# rsyslog with its stock configuration plus sysmon's drop-in.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dropin=/etc/rsyslog.d/00-sysmon.conf

running() { pgrep -x rsyslogd >/dev/null || pgrep -x syslog-ng >/dev/null ||
	    pgrep -x syslogd >/dev/null; }

if [ -d /etc/rsyslog.d ] && ! cmp -s "$here/rsyslog-sysmon.conf" "$dropin"; then
	install -m 0644 "$here/rsyslog-sysmon.conf" "$dropin"
	if pgrep -x rsyslogd >/dev/null; then
		# the message size is read at start: restart to apply it
		if [ -d /run/systemd/system ]; then systemctl restart rsyslog
		else pkill -x rsyslogd; for _ in $(seq 50); do running || break; sleep 0.1; done; fi
	fi
fi
if ! running; then
	command -v rsyslogd >/dev/null || { echo "no syslog daemon: install rsyslog" >&2; exit 1; }
	rm -f /run/rsyslogd.pid
	rsyslogd
	for _ in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
fi
[ -S /dev/log ] || { echo "syslog daemon started but /dev/log is missing" >&2; exit 1; }

# SPDX-License-Identifier: MIT
# Shared by the service lifecycle tests (after lib.sh): installing and
# uninstalling the real service, finding its events.
SYSTEMD=
[ -d /run/systemd/system ] && SYSTEMD=1
INSTALLED=
# How a start fails when another test's monitor holds the slot (or a test
# with an older lib.sh stops every running sysmon): try again.
CONTENDED='already running\|already installed\|killed by signal 15'

# Another test (someone else's run of these tests) may have sysmon
# installed: wait up to 120 s for it to be removed. (`sysmon -u` leaves
# /opt/sysmon/sysmon and the last configuration; the service's switches
# file is what marks it as installed.)
wait_not_installed() {
	for _ in $(seq 1200); do
		[ ! -e /opt/sysmon/switches ] && [ -z "$(service_pid)" ] &&
			! dpkg -s sysmon >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "sysmon stayed installed on this machine for 120 s: 'sysmon -u' first"
}
svc_cleanup() { [ -z "$INSTALLED" ] || "$SYSMON" -u purge >/dev/null 2>&1 || "$SYSMON" -u force >/dev/null 2>&1 || true; }
trap 'svc_cleanup; cleanup' EXIT

# The installed service's pid ("" when it does not run).
service_pid() {
	local pid
	{ ! flock -n -s 9; } 2>/dev/null 9</run/sysmon.pid || return 0
	pid=$(cat /run/sysmon.pid 2>/dev/null || true)
	[ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /opt/sysmon/sysmon ] && echo "$pid"
	return 0
}

# install_sysmon [config]: waits for other tests' instances, then -i.
install_sysmon() {
	local ok=
	for _ in $(seq 10); do # others' tests on this machine may come first
		wait_not_installed
		wait_sysmon_free
		INSTALLED=1
		"$SYSMON" -i "$@" >"$WORK/install.out" 2>&1 && { ok=1; break; }
		INSTALLED=
		grep -q "$CONTENDED" "$WORK/install.out" || break
	done
	[ -n "$ok" ] || { cat "$WORK/install.out"; fail "sysmon -i $* failed"; }
	[ -n "$(service_pid)" ] || { cat "$WORK/install.out"; fail "no installed service running after -i"; }
}

# wait_event <id> <service pid> <string>: the last such event line, within 15 s.
wait_event() {
	local line
	for _ in $(seq 150); do
		line=$(new_log | grep -a ' sysmon' | grep -aF "<EventID>$1</EventID>" |
		       grep -aF "<Execution ProcessID=\"$2\"" | grep -aF -- "$3" | tail -n 1 || true)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.1
	done
	return 1
}

# wait_count <string> <n>: until at least n sysmon lines contain it.
wait_count() {
	for _ in $(seq 150); do
		[ "$(count_lines "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# running <pid>: alive and not a zombie.
running() { ps -o stat= -p "$1" 2>/dev/null | grep -qv Z; }

# The CommandLine of `/bin/echo MARKER` as logged: a needle that this
# script's own greps (whose command lines hold the marker, escaped) never match.
echoed() { printf '<Data Name="CommandLine">/bin/echo %s</Data>' "$1"; }

record_id() { printf '%s' "$1" | sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p'; }

# attached <pid> <tracepoint>: is a program of pid attached to it?
attached() {
	local links
	links=$({ bpftool perf show 2>/dev/null | grep -E "^pid $1 " || true; bpftool link show 2>/dev/null |
	  awk -v p="sysmon($1)" '/^[0-9]+:/ { blk = $0; next } { blk = blk " " $0 } index(blk, p) { print blk }'; })
	grep -qw -- "$2" <<<"$links"
}

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input and misuse: missing, unreadable and malformed configs are
# refused with file:line: reason and leave nothing running; an object
# forced onto a kernel without its attach points fails clearly; SIGTERM and
# SIGINT stop a monitor with exit 0; a background monitor keeps none of
# its starter's fds; a second instance refuses to start;
# -s prints the schema; -? prints usage.
. "$(dirname "$0")/lib.sh"

# The pid file names a live monitor (a background one that failed may take
# a moment to exit; a zombie is not alive).
running_pidfile() {
	local pid
	for _ in $(seq 20); do
		pid=$(cat /run/sysmon.pid 2>/dev/null || true)
		[ -n "$pid" ] && [ -e "/proc/$pid" ] &&
			! awk '{ exit $3 != "Z" }' "/proc/$pid/stat" 2>/dev/null || return 1
		sleep 0.1
	done
	return 0
}
expect_fail() { # expect_fail <what> <needle> <args...>
	local what=$1 needle=$2 rc=0
	shift 2
	"$SYSMON" "$@" >"$WORK/out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "$what: exit 0"
	grep -qF -- "$needle" "$WORK/out" || { cat "$WORK/out"; fail "$what: no '$needle'"; }
	running_pidfile && fail "$what: sysmon left running"
	pass "$what"
}

expect_fail "missing config" "$WORK/nope.xml" -i "$WORK/nope.xml"
printf '<Sysmon schemaversion="4.90">\n<EventFiltering>\n<ProcessCreate onmatch="include">\n</Sysmon>\n' >"$WORK/bad.xml"
expect_fail "malformed config" "$WORK/bad.xml:4: Error: Failed to load or parse xml configuration" -i "$WORK/bad.xml"
sed 's/4.90/4.91/' "$WORK/bad.xml" | head -n 1 >"$WORK/new.xml"
echo '</Sysmon>' >>"$WORK/new.xml"
expect_fail "schema version newer than this sysmon's" \
	"$WORK/new.xml:1: Error: Incorrect or unsupported schema version 4.91. Current Sysmon schema version 4.90" \
	-vc "$WORK/new.xml"
printf '<Sysmon schemaversion="4.90"/>' >"$WORK/unreadable.xml"
chmod 000 "$WORK/unreadable.xml"
# root reads anything: make it a directory instead to get a read error
mkdir "$WORK/dir.xml"
expect_fail "unreadable config" "$WORK/dir.xml" -i "$WORK/dir.xml"
expect_fail "unknown switch" "unknown switch" -bogus
expect_fail "bad -udpwindow" "Error: -udpwindow 1h: give a number of seconds from 0 to 86400" \
	-run -udpwindow 1h
expect_fail "bad -rotate" "Error: -rotate 5X: give SIZE[,COUNT], e.g. 100M,5" \
	-run -jsonfile "$WORK/j/e.json" -rotate 5X
expect_fail "relative -jsonfile" "Error: -jsonfile e.json: give an absolute path" -run -jsonfile e.json
expect_fail "-nosyslog alone" "Error: -nosyslog needs -jsonfile <path>" -run -nosyslog
# a JSON file in a directory others can write to (/tmp) is refused
expect_fail "-jsonfile in /tmp" "/tmp must be a directory owned by root that nobody else can write to" \
	-run -jsonfile "/tmp/sysmon-cli-$$.json"
[ ! -e "/tmp/sysmon-cli-$$.json" ] || fail "-jsonfile in /tmp: the file was created"
# an object forced onto a kernel without its attach points: 4.15's TCP
# state tracepoint (tcp:tcp_set_state) is gone since 4.16
printf '<Sysmon schemaversion="4.90"><EventFiltering><NetworkConnect onmatch="exclude"/></EventFiltering></Sysmon>\n' >"$WORK/net.xml"
expect_fail "4.15's object with NetworkConnect on this kernel" \
	"cannot attach to tracepoint tracepoint/tcp/tcp_set_state: No such file or directory (-ebpfobject chose the object for kernels 4.15" \
	-run "$WORK/net.xml" -ebpfobject v4_15

# SIGTERM and SIGINT: the monitor in the foreground detaches and exits 0
for sig in TERM INT; do
	start_foreground
	fg=$FG_PID
	mine=$(sm_prog_ids) # its programs (other monitors' may be there)
	[ -n "$mine" ] || fail "no eBPF programs while the monitor runs"
	kill -"$sig" "$fg"
	rc=0
	wait "$fg" || rc=$?
	assert_eq "exit status after SIG$sig" "$rc" 0
	grep -q '<Data Name="State">Stopped</Data>' "$WORK/fg.out" || fail "no Stopped event after SIG$sig"
	wait_progs_gone "$mine" "SIG$sig"
	pass "SIG$sig: Stopped logged, programs detached, exit 0"
done

# A monitor started in the background keeps none of its starter's fds
# beyond stdin/stdout/stderr: a lock its starter held (flock's fd) or a
# pipe would otherwise stay held for as long as the monitor runs.
exec 9>"$WORK/held.lock"
flock 9
start_sysmon
exec 9>&-
held=$(find "/proc/$SM_PID/fd" -lname "$WORK/held.lock" 2>/dev/null | wc -l)
assert_eq "the starter's fds the monitor holds" "$held" 0
flock -n "$WORK/held.lock" true || fail "the starter's lock is still held by the monitor"
pass "a background monitor keeps none of its starter's fds"
first=$(cat /run/sysmon.pid)
expect_fail_running() {
	local rc=0
	"$SYSMON" -i >"$WORK/out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "second instance: exit 0"
	grep -q "already running (pid $first)" "$WORK/out" || { cat "$WORK/out"; fail "second instance message"; }
	kill -0 "$first" || fail "first instance died"
	assert_eq "pid file" "$(cat /run/sysmon.pid)" "$first"
	pass "second instance refused"
}
expect_fail_running
stop_sysmon
[ ! -e /run/sysmon.pid ] || fail "pid file left after stop"

"$SYSMON" -s >"$WORK/schema.xml"
xmllint --noout "$WORK/schema.xml" || fail "schema is not XML"
grep -q 'schemaversion="4.90"' "$WORK/schema.xml" || fail "schema version"
pass "-s prints the schema"
"$SYSMON" -? | grep -q -- "-i \[config\]" || fail "usage"
"$SYSMON" -HELP | grep -q -- "-s \[version|all\]" || fail "usage (case-insensitive)"
pass "usage"

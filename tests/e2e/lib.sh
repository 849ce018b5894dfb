# SPDX-License-Identifier: MIT
# Shared by the e2e tests: real kernel, real rsyslog, real /var/log/syslog.
# Needs SYSMON (the binary) and SRC (the source tree) in the environment.
set -euo pipefail

# Exit 77 = skipped, only where the test cannot run (not root); on CI
# (CI=true, root, everything installed) that is a failure.
skip() {
	[ "${CI:-}" != true ] || { echo "FAIL: on CI this test must run, but: $*" >&2; exit 1; }
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "e2e tests need root"
: "${SYSMON:?}" "${SRC:?}"
SYSLOG=/var/log/syslog
# The syslog can be large on a busy machine: wait_line and count_lines read
# only what was written since this test started (new_log).
SYSLOG_FROM=$(stat -c %s "$SYSLOG" 2>/dev/null || echo 0)
new_log() {
	if [ "$(stat -c %s "$SYSLOG" 2>/dev/null || echo 0)" -lt "$SYSLOG_FROM" ]; then
		cat "$SYSLOG" # rotated
	else
		tail -c +$((SYSLOG_FROM + 1)) "$SYSLOG"
	fi
}
SHARED=${SHARED:-$SRC/../shared}
WORK=$(mktemp -d /tmp/sysmon-e2e.XXXXXX)
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

"$SRC/installer/ensure-syslog.sh"

# The sysmon this test started with start_sysmon: stop_sysmon stops only
# that one (other tests may run theirs on this machine). It must still be
# running (a monitor that died mid-test fails the test) and exit cleanly on
# SIGTERM: a clean exit removes its pid file, a crash or an error exit
# leaves the pid file with its pid in it.
SM_PID=
stop_sysmon() {
	local pid=$SM_PID
	SM_PID=
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || {
		cat "$WORK/start.out" >&2
		fail "sysmon (pid $pid) died before the test stopped it"
	}
	kill -TERM "$pid"
	for _ in $(seq 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			[ "$(cat /run/sysmon.pid 2>/dev/null)" != "$pid" ] || {
				cat "$WORK/start.out" >&2
				fail "sysmon (pid $pid) did not exit cleanly on SIGTERM (pid file left:" \
				     "it crashed, or its shutdown failed)"
			}
			no_sanitizer_report
			return 0
		fi
		sleep 0.1
	done
	fail "sysmon (pid $pid) did not stop on SIGTERM"
}
# A sanitizer build's monitor reports on its stderr, which start_sysmon
# keeps in start.out (tests/run-sanitized.sh also collects report files).
no_sanitizer_report() {
	! grep -aE 'runtime error:|ERROR: [A-Za-z]+Sanitizer' "$WORK/start.out" 2>/dev/null ||
		fail "sysmon printed a sanitizer report (above)"
}
# The test's own monitor is checked here too (a test that did not stop it
# fails if it died); the status of the test is kept otherwise.
cleanup() {
	local ok=1
	( stop_sysmon ) || ok=
	SM_PID=
	rm -rf "$WORK"
	[ -n "$ok" ] || exit 1
}
trap cleanup EXIT

# Wait (up to 120 s) until no sysmon holds the /run/sysmon.pid lock (one
# instance at a time per machine) and no installed service's supervisor runs
# (it restarts its service within seconds). One running for over 10 minutes
# is taken as abandoned and stopped.
sysmon_busy() {
	local f
	for f in /run/sysmon.pid /run/sysmon-supervisor.pid; do
		# (flock FILE would create a missing pid file: lock an fd instead)
		{ ! flock -n -s 9; } 2>/dev/null 9<"$f" && return 0
	done
	return 1
}
wait_sysmon_free() {
	local pid age
	for _ in $(seq 1200); do
		sysmon_busy || return 0
		pid=$(cat /run/sysmon.pid 2>/dev/null || true)
		age=$(ps -o etimes= -p "${pid:-0}" 2>/dev/null | tr -d ' ' || true)
		[ "${age:-0}" -gt 600 ] && kill -TERM "$pid" 2>/dev/null
		sleep 0.1
	done
	fail "another sysmon (pid $(cat /run/sysmon.pid 2>/dev/null)) kept running for 120 s"
}
wait_sysmon_free # tests (test_cli) check that nothing they started runs

# A unique marker for this run.
marker() { echo "smk_$1_$$_$RANDOM$RANDOM"; }

# Wait until a sysmon line containing all the given strings reaches the
# syslog file; print it.
wait_line() {
	local line
	for _ in $(seq 150); do
		line=$(new_log | grep -a ' sysmon' | grep -aF -- "$1" |
		       { if [ $# -ge 2 ]; then grep -aF -- "$2"; else cat; fi; } | tail -n 1 || true)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.1
	done
	return 1
}

# Wait until the Stopped event of the monitor with pid $1, its last line,
# is in the syslog file: every line it wrote before is there too.
wait_stopped_line() {
	wait_line "<Execution ProcessID=\"$1\" " '<Data Name="State">Stopped</Data>' >/dev/null ||
		fail "no Stopped event of sysmon (pid $1) in $SYSLOG"
}

# Count sysmon lines containing a string.
count_lines() { new_log | grep -a ' sysmon' | grep -acF -- "$1" || true; }

# Value of <Data Name="$1"> in the line on stdin (XML entities left as is).
field() { sed -n "s/.*<Data Name=\"$1\">\([^<]*\)<\/Data>.*/\1/p"; }

# The event's XML with every value emptied: its shape (elements, field
# names, order), to compare with the reference samples.
shape() { sed -e 's/^.* sysmon[^:]*: //' -e 's/>[^<]*</></g' \
	      -e 's/<Data Name="\([A-Za-z]*\)">/<Data:\1>/g' -e 's/="[^"]*"/=""/g'; }
names() { grep -o '<Data Name="[^"]*">' | tr -d '\n'; }

# Ids of the loaded eBPF programs named sm_* (bpftool is required: a
# check that needs it must not pass without it). Ids are not reused soon.
sm_prog_ids() {
	command -v bpftool >/dev/null || fail "bpftool not found (installer/deps.sh installs it)"
	bpftool prog show | sed -n 's/^\([0-9]*\): .* name \(sm_[a-z0-9_]*\) .*/\1/p' | sort
}
# Wait (30 s) until none of the program ids in $1 is loaded (the kernel frees
# programs after an RCU grace period: seconds on a busy machine); fails
# naming those left.
wait_progs_gone() {
	local left=
	for _ in $(seq 300); do
		left=$(comm -12 <(printf '%s\n' "$1") <(sm_prog_ids))
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	fail "eBPF programs left after $2: $(echo $left)"
}

assert_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

# A wrapper of $SYSMON that runs it in a mount namespace of its own with
# file $1 bound over $2 (e.g. a socket over /dev/log, a resolv.conf over
# /etc/resolv.conf): the host's files are not touched. Prints its path.
sysmon_ns_wrapper() {
	local w=$WORK/sysmon-ns
	cat >"$w" <<SH
#!/bin/sh
exec unshare --mount --propagation private sh -c 'mount --bind "\$0" "\$1" && shift && exec "\$@"' "$1" "$2" "$SYSMON" "\$@"
SH
	chmod +x "$w"
	printf '%s\n' "$w"
}

# Starts a monitor in the foreground mode (`sysmon -i [config] -t ...`) as a
# background job of this shell, to see its exit status: sets FG_PID once
# it has started; its output goes to $WORK/fg.out.
start_foreground() {
	wait_sysmon_free
	"$SYSMON" -i "$@" -t >"$WORK/fg.out" 2>&1 &
	FG_PID=$!
	for _ in $(seq 100); do grep -q "sysmon started" "$WORK/fg.out" && break; sleep 0.1; done
	grep -q "sysmon started" "$WORK/fg.out" || { cat "$WORK/fg.out"; fail "foreground monitor did not start"; }
}

# Starts a monitor from the build tree (not installed) in the background:
# `sysmon -run [config] [switches]`.
start_sysmon() {
	local run=-run ok=
	"$SYSMON" -? 2>/dev/null | grep -q -- '-run \[' || run=-i # older binaries
	for _ in 1 2 3; do
		wait_sysmon_free
		"$SYSMON" $run "$@" >"$WORK/start.out" 2>&1 && { ok=1; break; }
		grep -q "already running" "$WORK/start.out" || break
	done
	[ -n "$ok" ] || { cat "$WORK/start.out"; fail "sysmon $run $* failed"; }
	[ -s /run/sysmon.pid ] || fail "no pid file"
	SM_PID=$(cat /run/sysmon.pid)
}

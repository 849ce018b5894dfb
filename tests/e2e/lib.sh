# Shared by the e2e tests: real kernel, real rsyslog, real /var/log/syslog.
# Needs SYSMON (the binary) and SRC (the source tree) in the environment.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "SKIP: e2e tests need root"; exit 77; }
: "${SYSMON:?}" "${SRC:?}"
SYSLOG=/var/log/syslog
SHARED=${SHARED:-$SRC/../shared}
WORK=$(mktemp -d /tmp/sysmon-e2e.XXXXXX)
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

"$SRC/installer/ensure-syslog.sh"

stop_sysmon() {
	local pid
	pid=$(cat /run/sysmon.pid 2>/dev/null || true)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	fail "sysmon (pid $pid) did not stop on SIGTERM"
}
cleanup() { stop_sysmon || true; rm -rf "$WORK"; }
trap cleanup EXIT
stop_sysmon

# A unique marker for this run.
marker() { echo "smk_$1_$$_$RANDOM$RANDOM"; }

# Wait until a sysmon line containing all the given strings reaches the
# syslog file; print it.
wait_line() {
	local line
	for _ in $(seq 150); do
		line=$(grep -a ' sysmon' "$SYSLOG" | grep -aF -- "$1" |
		       { if [ $# -ge 2 ]; then grep -aF -- "$2"; else cat; fi; } | tail -n 1 || true)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.1
	done
	return 1
}

# Count sysmon lines containing a string.
count_lines() { grep -a ' sysmon' "$SYSLOG" | grep -acF -- "$1" || true; }

# Value of <Data Name="$1"> in the line on stdin (XML entities left as is).
field() { sed -n "s/.*<Data Name=\"$1\">\([^<]*\)<\/Data>.*/\1/p"; }

# The event's XML with every value emptied: its shape (elements, names,
# order), to compare with the reference samples.
shape() { sed -e 's/^.* sysmon[^:]*: //' -e 's/>[^<]*</></g' -e 's/="[^"]*"/=""/g' \
	      -e 's/<Data Name="">/<Data>/g'; }
names() { grep -o '<Data Name="[^"]*">' | tr -d '\n'; }

assert_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

start_sysmon() {
	"$SYSMON" -i "$@" >"$WORK/start.out" 2>&1 || { cat "$WORK/start.out"; fail "sysmon -i $* failed"; }
	[ -s /run/sysmon.pid ] || fail "no pid file"
}

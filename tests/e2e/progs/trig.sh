# SPDX-License-Identifier: MIT
# Shared by test_file_events.sh, test_access_events.sh, test_kernel_events.sh
# (sourced after lib.sh): the trigger program and a few checks.

# The trigger program: built by CMake (SMTRIG in the environment), else
# compiled here.
if [ -z "${SMTRIG:-}" ]; then
	SMTRIG="$WORK/smtrig"
	cc -O1 -pthread -o "$SMTRIG" "$SRC/tests/e2e/progs/smtrig.c" ||
		fail "cannot build the trigger program"
fi
SMTRIG=$(readlink -f "$SMTRIG")
chmod 755 "$WORK"

# Commands run when the test ends, however it ends (before lib.sh's
# cleanup): background processes it started, loop devices, cgroups. A
# background process left behind would also hold the test's output open.
TRIG_EXIT=()
at_exit() { TRIG_EXIT+=("$*"); }
trig_cleanup() {
	local c
	for c in "${TRIG_EXIT[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	cleanup
}
trap trig_cleanup EXIT

# Only the part of the log written since this test began is searched.
LOG0=$(stat -c %s "$SYSLOG")
newlog() { tail -c +$((LOG0 + 1)) "$SYSLOG" | grep -a ' sysmon' || true; }

# pid=N from a trigger's output file
trig_pid() { sed -n 's/^pid=\([0-9]*\).*/\1/p' "$1" | head -n1; }
trig_tid() { sed -n 's/.* tid=\([0-9]*\).*/\1/p' "$1" | tail -n1; }

# The event (XML only) of a syslog line on stdin.
event_of() { sed 's/^.* sysmon[^:]*: //'; }
event_id() { sed -n 's/.*<EventID>\([0-9]*\)<.*/\1/p'; }

# Wait (up to 15 s) for the event with this ID whose line contains the
# given strings (one or two); print its XML.
wait_event() {
	local id=$1 line
	shift
	for _ in $(seq 150); do
		line=$(newlog | grep -aF -- "<EventID>$id</EventID>" |
		       grep -aF -- "$1" | { if [ $# -ge 2 ]; then grep -aF -- "$2"; else cat; fi; } |
		       tail -n 1 || true)
		[ -n "$line" ] && { printf '%s\n' "$line" | event_of; return 0; }
		sleep 0.1
	done
	return 1
}

# UtcTime text of a file timestamp: file_utc SECONDS.NANOSECONDS
file_utc() { TZ=UTC date -d "@$1" '+%Y-%m-%d %H:%M:%S.%3N'; }

# Fails unless UtcTime-format text $2 lies between the epoch times $3 (when
# the action began) and $4 (when it ended; default: now, the event being
# logged already). No fixed window: a busy machine can take any time.
# (UtcTime is cut to milliseconds.)
assert_near() {
	local t1=${4:-$(date +%s.%N)} d
	d=$(python3 -c "import calendar,sys,time; t=time.strptime('$2'[:19],'%Y-%m-%d %H:%M:%S'); print(calendar.timegm(t)+float('0'+'$2'[19:]) - $3)")
	awk -v d="$d" -v t0="$3" -v t1="$t1" 'BEGIN { exit !(d > -0.01 && d <= t1 - t0) }' ||
		fail "$1: $2 is not between $3 and $t1 (it is $d s after the first)"
}

# The GUID's start-time part (bytes 4-7: seconds since the epoch).
guid_time() { printf '%d' "0x$(printf '%s' "$1" | sed -E 's/^\{[0-9a-f]{8}-([0-9a-f]{4})-([0-9a-f]{4})-.*/\2\1/')"; }

# Every sysmon line containing $1 is well-formed XML.
assert_wellformed() {
	newlog | grep -aF -- "$1" | event_of | while IFS= read -r l; do
		printf '%s' "$l" | xmllint --noout - || fail "not well-formed: $l"
	done
}

# How many events with this ID mention the string.
count_events() { newlog | grep -aF -- "<EventID>$1</EventID>" | grep -acF -- "$2" || true; }

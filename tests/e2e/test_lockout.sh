#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An unprivileged user cannot hold the installed service down: `nobody`
# opens, locks and connects to everything of sysmon's it can (under /run,
# /opt/sysmon, /var/lib/sysmon) and keeps it while the service is killed
# with SIGKILL; the service must be back, logging, within seconds. Nothing
# of sysmon's may be lockable or connectable by that user at all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/service_lib.sh"
: "${SMHOLD:?}"

HOLDERS=()
stop_holders() { local h; for h in "${HOLDERS[@]}"; do kill "$h" 2>/dev/null || true; done; HOLDERS=(); }
trap 'stop_holders; svc_cleanup; cleanup' EXIT
chmod 755 "$WORK"
cp "$SMHOLD" "$WORK/smhold"
chmod 755 "$WORK/smhold"

# hold <name> <path>...: smhold as nobody on the paths, until ready
hold() {
	local out=$WORK/$1
	shift
	setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/smhold" "$@" >"$out" 2>&1 &
	HOLDERS+=($!)
	for _ in $(seq 100); do grep -qx ready "$out" && return 0; sleep 0.1; done
	cat "$out"
	fail "the holder ($out) did not get ready"
}

# kill_and_back <what>: SIGKILL the service; it must run and log again
# within 10 s
kill_and_back() {
	local svc new back m t0
	svc=$(service_pid)
	[ -n "$svc" ] || fail "$1: no service running"
	kill -9 "$svc"
	t0=$(date +%s.%N)
	new=
	for _ in $(seq 100); do
		new=$(service_pid)
		[ -n "$new" ] && [ "$new" != "$svc" ] && break
		sleep 0.1
	done
	[ -n "$new" ] && [ "$new" != "$svc" ] ||
		fail "$1: service not back within 10 s after kill -9"
	wait_event 4 "$new" '<Data Name="State">Started</Data>' >/dev/null ||
		fail "$1: the restarted service did not start monitoring"
	back=$(echo "$(date +%s.%N) - $t0" | bc)
	m=$(marker lock)
	/bin/echo "$m" >/dev/null
	wait_event 1 "$new" "$(echoed "$m")" >/dev/null || fail "$1: the restarted service logs no ProcessCreate"
	pass "$1: kill -9, back in $back s and logging"
}

cat >"$WORK/pc.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML

# --- nobody holds what it can of a running service -----------------------------
install_sysmon "$WORK/pc.xml"
[ -n "$SYSTEMD" ] || [ -s /run/sysmon-supervisor.pid ] || fail "no supervisor pid file"
# every file, directory and socket of sysmon's, as root sees them
mapfile -t paths < <({ find /run -maxdepth 1 -name 'sysmon*'
		       find /opt/sysmon /var/lib/sysmon 2>/dev/null; } | sort)
printf '%s\n' "${paths[@]}" | grep -qx /run/sysmon.pid || fail "no /run/sysmon.pid"
printf '%s\n' "${paths[@]}" | grep -qx /run/sysmon.sock || fail "no /run/sysmon.sock"
hold held "${paths[@]}"
if grep -E '^(open|lock|connect) ' "$WORK/held"; then
	fail "nobody can open, lock or connect to the above (of ${#paths[@]} paths)"
fi
pass "nobody can open, lock or connect to any of ${#paths[@]} paths"
kill_and_back "everything held by nobody"
if grep -E '^(lock|connect) ' "$WORK/held"; then
	fail "nobody took the above when the service died"
fi

# the one-instance lock still works for root: a second monitor is refused,
# naming the supervisor (without systemd) or the service that holds it
if [ -n "$SYSTEMD" ]; then
	holder="already running (pid $(service_pid))"
else
	holder="already running as the installed service (supervisor pid $(cat /run/sysmon-supervisor.pid))"
fi
rc=0; "$SYSMON" -run >"$WORK/second" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -qF "$holder" "$WORK/second" || { cat "$WORK/second"; fail "a second monitor started, or no '$holder'"; }
assert_eq "pid file mode" "$(stat -c '%a %U' /run/sysmon.pid)" "600 root"
[ -n "$SYSTEMD" ] || assert_eq "supervisor pid file mode" "$(stat -c '%a %U' /run/sysmon-supervisor.pid)" "600 root"
pass "pid files are root-only and still keep a second instance out"

"$SYSMON" -u purge >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u purge"; }
INSTALLED=
stop_holders

# --- pid files an older version left readable, held since before the start ---
true &
dead=$!
wait "$dead"
for f in /run/sysmon.pid /run/sysmon-supervisor.pid; do
	printf '%s\n' "$dead" >"$f"
	chmod 644 "$f"
done
hold legacy /run/sysmon.pid /run/sysmon-supervisor.pid
assert_eq "readable pid files locked by nobody" "$(grep -c '(flock)$' "$WORK/legacy")" 2
install_sysmon "$WORK/pc.xml"
pass "-i starts though nobody holds the locks of readable pid files left behind"
kill_and_back "legacy pid files held by nobody"
assert_eq "pid file mode (replaced)" "$(stat -c '%a %U' /run/sysmon.pid)" "600 root"

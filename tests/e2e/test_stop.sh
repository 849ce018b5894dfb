#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGTERM logs every record the kernel already emitted. The monitor is
# stopped (SIGSTOP) while an exec storm runs, so the storm's records wait
# in the kernel's buffer; once the storm is over it gets SIGTERM (and
# SIGCONT to see it): all of the storm's processes must be in the log,
# each once, none reported lost, and the monitor must exit 0 with Stopped
# as its last line.
# Arguments: EXECSTORM TINY [sysmon switches, e.g. -perfbuffer]
. "$(dirname "$0")/lib.sh"
STORM=$1 TINY=$2
shift 2
N=600
cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
# in the foreground (-t), to see its exit status
start_foreground "$WORK/cfg.xml" "$@"
fg=$FG_PID
prefix="smstop$$x${RANDOM}_"

"$STORM" -r 1000 -n "$N" -p "$prefix" "$TINY" >"$WORK/storm.out" &
storm=$!
sleep 0.1
kill -STOP "$fg"
wait "$storm" || fail "execstorm: $(cat "$WORK/storm.out")"
kill -TERM "$fg"
kill -CONT "$fg"
rc=0
wait "$fg" || rc=$?
assert_eq "exit status" "$rc" 0

wait_stopped_line "$fg" # rsyslog writes the last lines
lines=$(new_log | grep -a " sysmon" | grep -aF "<Execution ProcessID=\"$fg\" ")
logged=$(printf '%s\n' "$lines" | grep -aoE "${prefix}[0-9]+" | sort | uniq -c)
assert_eq "storm processes logged" "$(printf '%s\n' "$logged" | grep -c .)" "$N"
assert_eq "storm processes logged twice" "$(printf '%s\n' "$logged" | awk '$1 != 1' | grep -c . || true)" 0
assert_eq "losses reported" "$(printf '%s\n' "$lines" | grep -acF '<Data Name="ID">LostRecords</Data>' || true)" 0
printf '%s\n' "$lines" | tail -n 1 | grep -qF '<Data Name="State">Stopped</Data>' ||
	fail "the last line is not ServiceStateChange Stopped"
pass "SIGTERM with $N records waiting: all logged, once each, then Stopped; exit 0"

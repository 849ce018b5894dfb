#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configuration swaps under load: while a storm of marked processes runs,
# the installed service's rules are changed back and forth with -c (each
# change also attaches or detaches the ProcessTerminate probe). Every
# marker must be logged exactly once: nothing lost, nothing doubled.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/service_lib.sh"

N=${STORM:-3000}
SWAPS=6
for v in a b; do
	term=include; [ $v = b ] && term=exclude
	cat >"$WORK/$v.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude">
      <CommandLine condition="contains">smk_never_$v</CommandLine>
    </ProcessCreate>
    <ProcessTerminate onmatch="$term"/>
  </EventFiltering>
</Sysmon>
XML
done
chmod 755 "$WORK"

install_sysmon "$WORK/a.xml"
svc=$(service_pid)
wait_event 4 "$svc" '<Data Name="State">Started</Data>' >/dev/null || fail "no Started event"

p=$(marker storm)
t0=$(date +%s.%N)
( for i in $(seq "$N"); do /bin/true "${p}_$i."; done ) &
storm=$!
sleep 0.3
for k in $(seq "$SWAPS"); do
	v=b; [ $((k % 2)) = 0 ] && v=a
	"$SYSMON" -c "$WORK/$v.xml" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "swap $k to $v.xml"; }
	sleep 0.1
done
kill -0 "$storm" 2>/dev/null || fail "the storm ended before the last swap: raise STORM (now $N)"
wait "$storm"
t1=$(date +%s.%N)
wait_event 1 "$svc" "${p}_$N." >/dev/null || fail "last marker not logged"
# anything doubled would come before a later process's event
/bin/true "${p}_end"
wait_event 1 "$svc" "${p}_end" >/dev/null || fail "no event for the process after the storm"

new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$svc\"" | grep -aF '<EventID>1</EventID>' |
	grep -aF '<Data Name="Image">/usr/bin/true</Data>' | # not this script's greps
	grep -ao "${p}_[0-9]*\." | sort | uniq -c >"$WORK/counts"
assert_eq "distinct markers logged" "$(wc -l <"$WORK/counts")" "$N"
awk '$1 != 1 { print; bad = 1 } END { exit bad }' "$WORK/counts" || fail "markers logged more than once"
assert_eq "ConfigChange events" "$(new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$svc\"" |
	grep -acF '<EventID>16</EventID>')" $((SWAPS + 1))
lost=$(new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$svc\"" | grep -acF "<Data Name=\"ID\">LostRecords</Data>" || true)
assert_eq "LostRecords errors" "$lost" 0
pass "$N processes in $(echo "$t1 - $t0" | bc) s across $SWAPS config swaps: each logged exactly once"

"$SYSMON" -u purge >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u purge"; }
INSTALLED=
pass "uninstalled"

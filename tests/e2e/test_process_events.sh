#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ProcessCreate (1) and ProcessTerminate (5) end to end: eBPF -> daemon ->
# rsyslog -> /var/log/syslog, with exact field values. Extra sysmon
# switches (e.g. -perfbuffer) come as arguments.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"
want=ring; [[ " $* " == *" -perfbuffer "* ]] && want=perf
grep -q "$want buffer" "$WORK/start.out" || { cat "$WORK/start.out"; fail "not using a $want buffer"; }

m=$(marker pc)
dir="$WORK/run dir"
mkdir -p "$dir"
chmod 755 "$WORK" "$dir"
t0=$(date +%s.%N)
cd "$dir"
setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/echo "$m" "a&b<c>" >/dev/null &
child=$!
wait $child
t1=$(date +%s.%N)
cd /

line=$(wait_line "<Data Name=\"Image\">/usr/bin/echo</Data>" "$m") || fail "no ProcessCreate line for $m"
ev=$(printf '%s\n' "$line" | sed 's/^.* sysmon[^:]*: //')
get() { printf '%s\n' "$ev" | field "$1"; }

assert_eq EventID "$(printf '%s' "$ev" | sed -n 's/.*<EventID>\([0-9]*\)<.*/\1/p')" 1
assert_eq Image "$(get Image)" /usr/bin/echo
assert_eq CommandLine "$(get CommandLine)" "/usr/bin/echo $m a&amp;b&lt;c&gt;"
assert_eq CurrentDirectory "$(get CurrentDirectory)" "$dir"
assert_eq ProcessId "$(get ProcessId)" "$child"
assert_eq User "$(get User)" nobody
assert_eq LogonId "$(get LogonId)" 65534
assert_eq ParentProcessId "$(get ParentProcessId)" "$$"
assert_eq ParentImage "$(get ParentImage)" "$(readlink /proc/$$/exe)"
assert_eq ParentCommandLine "$(get ParentCommandLine)" "$(tr '\0' ' ' </proc/$$/cmdline | sed 's/ $//')"
assert_eq ParentUser "$(get ParentUser)" root
assert_eq Hashes "$(get Hashes)" "SHA256=$(sha256sum /usr/bin/echo | cut -d' ' -f1)"
assert_eq IntegrityLevel "$(get IntegrityLevel)" "no level"
assert_eq FileVersion "$(get FileVersion)" "-"
mid=$(cut -c1-8 /etc/machine-id)
guid=$(get ProcessGuid)
[[ "$guid" =~ ^\{$mid-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$ ]] || fail "ProcessGuid $guid"
[[ "$(get ParentProcessGuid)" =~ ^\{$mid- ]] || fail "ParentProcessGuid $(get ParentProcessGuid)"
[ "$(get ParentProcessGuid)" != "{00000000-0000-0000-0000-000000000000}" ] || fail "zero parent GUID"
# GUID time fields: the process start, in seconds since the epoch: between
# the second before it was started and the second after it ended (no fixed
# window: a busy machine can take any time)
start_hex=$(printf '%s' "$guid" | sed -E 's/^\{[0-9a-f]{8}-([0-9a-f]{4})-([0-9a-f]{4})-.*/\2\1/')
gsec=$(printf '%d' "0x$start_hex")
[ "$gsec" -ge $((${t0%.*} - 1)) ] && [ "$gsec" -le $((${t1%.*} + 1)) ] ||
	fail "GUID start time $gsec not within ${t0%.*} - 1 .. ${t1%.*} + 1"
# UtcTime: the process start, between starting it and its end
utc=$(get UtcTime)
u=$(date -u -d "$utc" +%s.%N)
awk -v u="$u" -v t0="$t0" -v t1="$t1" 'BEGIN { exit !(u > t0 - 1 && u <= t1) }' ||
	fail "UtcTime $utc ($u) is not between $t0 - 1 s and $t1"
pass "ProcessCreate fields"

# same elements, same order as the reference line
ref="$SHARED/reference/samples/event_1_ProcessCreate.log"
assert_eq "ProcessCreate shape" "$(printf '%s\n' "$line" | shape)" "$(head -n1 "$ref" | shape)"
pass "ProcessCreate matches the reference layout"

tline=$(wait_line '<EventID>5</EventID>' "<Data Name=\"ProcessGuid\">$guid</Data>") || fail "no ProcessTerminate for $guid"
tev=$(printf '%s\n' "$tline" | sed 's/^.* sysmon[^:]*: //')
assert_eq "terminate ProcessId" "$(printf '%s' "$tev" | field ProcessId)" "$child"
assert_eq "terminate Image" "$(printf '%s' "$tev" | field Image)" /usr/bin/echo
assert_eq "terminate User" "$(printf '%s' "$tev" | field User)" nobody
assert_eq "ProcessTerminate shape" "$(printf '%s\n' "$tline" | shape)" \
	"$(head -n1 "$SHARED/reference/samples/event_5_ProcessTerminate.log" | shape)"
pass "ProcessTerminate carries the same GUID"

# every sysmon line so far is well-formed XML
new_log | grep -a ' sysmon' | grep -aF "$m" | sed 's/^.* sysmon[^:]*: //' | while IFS= read -r l; do
	printf '%s' "$l" | xmllint --noout - || fail "not well-formed: $l"
done
pass "lines are well-formed XML"

mine=$(sm_prog_ids)
[ -n "$mine" ] || fail "no eBPF programs while the monitor runs"
stop_sysmon
wait_progs_gone "$mine" SIGTERM
pass "SIGTERM detaches everything"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scripts written for the reference: `sysmon -i FILE` over an installed
# service checks FILE first (a bad one is refused with the -c message and
# nothing changes: same pid, same rules, same files) and otherwise replaces
# the installation, binary included, and restarts it (Stopped, ConfigChange,
# Started, record IDs consecutive); -i with no file means the defaults, with
# the switches given this time; a replacement that cannot start brings the
# previous one back; `-u force` keeps /opt/sysmon/sysmon, so
# `/opt/sysmon/sysmon -i FILE` installs it again, record IDs going on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/service_lib.sh"

for v in a b; do
	cat >"$WORK/$v.xml" <<XML
<Sysmon schemaversion="4.90">
  <HashAlgorithms>SHA256</HashAlgorithms>
  <EventFiltering>
    <ProcessCreate onmatch="exclude">
      <CommandLine condition="contains">smk_excluded_$v</CommandLine>
    </ProcessCreate>
  </EventFiltering>
</Sysmon>
XML
done
printf '<Sysmon schemaversion="4.90">\n<EventFiltering>\n<ProcessCreate onmatch="include">\n</Sysmon>\n' >"$WORK/bad.xml"
printf '<Sysmon schemaversion="abc">\n<EventFiltering/>\n</Sysmon>\n' >"$WORK/badver.xml"
chmod 755 "$WORK"
sha() { sha256sum "$1" | cut -d' ' -f1; }
snapshot() { (cd /opt/sysmon && sha256sum $(ls -A)); }

# rules_are <v>: smk_excluded_<v> is not logged, the other one is
rules_are() {
	local o=a x y
	[ "$1" = a ] && o=b
	x="smk_excluded_$1_$(marker x)"; y="smk_excluded_${o}_$(marker y)"
	/bin/echo "$x" >/dev/null; /bin/echo "$y" >/dev/null
	wait_event 1 "$svc" "$(echoed "$y")" >/dev/null || fail "rules of $1.xml: no ProcessCreate for $y"
	assert_eq "rules of $1.xml: excluded marker lines" "$(count_lines "$(echoed "$x")")" 0
}
# restarted <old pid>: sets svc to the new service's pid
restarted() {
	svc=$(service_pid)
	[ -n "$svc" ] && [ "$svc" != "$1" ] || fail "no new service after -i (old pid $1, now '$svc')"
	assert_eq "exe of the service" "$(readlink "/proc/$svc/exe")" /opt/sysmon/sysmon
}
last_id() {
	new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$1\"" | tail -n1 |
		sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p'
}

# --- an older build installed ---------------------------------------------
cp "$SYSMON" "$WORK/sysmon-old"
printf 'older build' >>"$WORK/sysmon-old" # same code, other bytes
SYSMON=$WORK/sysmon-old install_sysmon "$WORK/a.xml" -perfbuffer
svc=$(service_pid)
cmp -s "$WORK/sysmon-old" /opt/sysmon/sysmon || fail "the older build is not the one installed"
rules_are a
pass "older build installed with a.xml (pid $svc)"

# --- -i with a bad file: refused, nothing changes ---------------------------
snapshot >"$WORK/files.before"
for bad in bad badver; do
	rc=0; "$SYSMON" -i "$WORK/$bad.xml" >"$WORK/out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "-i $bad.xml over the service: exit 0"
	want="Error: Failed to load or parse xml configuration: $WORK/bad.xml"
	[ $bad = badver ] && want="Error: Invalid schema version number (abc) for configuration: $WORK/badver.xml"
	grep -qF "$WORK/$bad.xml:" "$WORK/out" && grep -qF "$want" "$WORK/out" ||
		{ cat "$WORK/out"; fail "-i $bad.xml: not the -c message ($want)"; }
	"$SYSMON" -c "$WORK/$bad.xml" >"$WORK/out.c" 2>&1 || true
	assert_eq "-i $bad.xml message" "$(cat "$WORK/out")" "$(cat "$WORK/out.c")"
	assert_eq "service after -i $bad.xml" "$(service_pid)" "$svc"
	snapshot | diff "$WORK/files.before" - || fail "-i $bad.xml changed /opt/sysmon"
	rules_are a
done
assert_eq "ConfigChange events after the bad -i" \
	"$(new_log | grep -a " sysmon" | grep -aF "<Execution ProcessID=\"$svc\"" | grep -acF '<EventID>16</EventID>')" 1
pass "-i bad.xml / badver.xml over the service: refused with file:line and the reference's phrase, same pid, files and rules"

# --- -i with a good file: replaced (binary too) and restarted ----------------
old=$svc
"$SYSMON" -i "$WORK/b.xml" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-i b.xml over the service"; }
grep -q "^Sysmon reinstalled in /opt/sysmon and restarted" "$WORK/out" || { cat "$WORK/out"; fail "-i b.xml: message"; }
restarted "$old"
! running "$old" || fail "the old service still runs"
cmp -s "$SYSMON" /opt/sysmon/sysmon || fail "-i did not replace the binary (upgrade)"
cmp -s "$WORK/b.xml" /opt/sysmon/config.xml || fail "-i did not store b.xml"
assert_eq "switches after -i without any" "$(cat /opt/sysmon/switches)" ""
assert_eq "files after -i" "$(ls -A /opt/sysmon | tr '\n' ' ')" "config.source config.xml switches sysmon sysmonLogView "
stopped=$(wait_event 4 "$old" '<Data Name="State">Stopped</Data>') || fail "no Stopped from the old service"
cc=$(wait_event 16 "$svc" "<Data Name=\"Configuration\">$WORK/b.xml</Data>") || fail "no ConfigChange for b.xml"
assert_eq "ConfigChange hash" "$(printf '%s' "$cc" | field ConfigurationFileHash)" "SHA256=$(sha "$WORK/b.xml")"
st=$(wait_event 4 "$svc" '<Data Name="State">Started</Data>') || fail "no Started after -i b.xml"
assert_eq "ConfigChange record ID" "$(record_id "$cc")" $(( $(record_id "$stopped") + 1 ))
assert_eq "Started record ID" "$(record_id "$st")" $(( $(record_id "$cc") + 1 ))
rules_are b
pass "-i b.xml over the service: new binary and rules, Stopped/ConfigChange/Started with consecutive record IDs"

# --- -i without a file, with the other switches: defaults -------------------
old=$svc
"$SYSMON" -accepteula -i -nologo -udpwindow 30 -btf /sys/kernel/btf/vmlinux \
	-jsonfile "$WORK/json/events.json" -rotate 1M,3 >"$WORK/out" 2>&1 ||
	{ cat "$WORK/out"; fail "-i (defaults) over the service"; }
restarted "$old"
wait_event 16 "$svc" '<Data Name="Configuration">Defaults</Data>' >/dev/null || fail "no ConfigChange Defaults"
[ ! -e /opt/sysmon/config.xml ] && [ ! -e /opt/sysmon/config.source ] || fail "-i without a file kept the config"
assert_eq "switches" "$(cat /opt/sysmon/switches | tr '\n' ' ')" \
	"-btf /opt/sysmon/vmlinux.btf -udpwindow 30 -jsonfile $WORK/json/events.json -rotate 1M,3 "
cmp -s /sys/kernel/btf/vmlinux /opt/sysmon/vmlinux.btf || fail "-btf file not copied"
x="smk_excluded_b_$(marker d)"
/bin/echo "$x" >/dev/null
wait_event 1 "$svc" "$(echoed "$x")" >/dev/null || fail "defaults do not log $x"
# the installed service writes the JSON file its stored switches name
grep -qF "\"ExecutionProcessID\":\"$svc\"" "$WORK/json/events.json" ||
	fail "the installed service (pid $svc) wrote nothing to its -jsonfile"
pass "-accepteula -i -nologo -udpwindow 30 -btf FILE -jsonfile FILE -rotate 1M,3: the defaults with these switches"

# --- a replacement that cannot start: the previous one comes back -----------
old=$svc
snapshot >"$WORK/files.before"
printf 'not BTF\n' >"$WORK/bogus.btf"
rc=0; "$SYSMON" -i "$WORK/a.xml" -btf "$WORK/bogus.btf" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || { cat "$WORK/out"; fail "-i with a BTF file that does not load: exit 0"; }
grep -qx "Error: Sysmon was not reinstalled; the previous installation runs again." "$WORK/out" ||
	{ cat "$WORK/out"; fail "-i that cannot start: message"; }
restarted "$old"
snapshot | diff "$WORK/files.before" - || fail "the previous files did not come back"
[ -z "$(ls /opt/sysmon/*.old 2>/dev/null)" ] || fail "kept files left: $(ls /opt/sysmon/*.old)"
wait_event 16 "$svc" '<Data Name="Configuration">Defaults</Data>' >/dev/null || fail "the previous service is not back with its config"
pass "-i whose service cannot start: refused (exit $rc), the previous installation runs again (pid $svc)"

# --- -u force keeps the binary: /opt/sysmon/sysmon -i FILE ------------------
"$SYSMON" -i "$WORK/a.xml" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-i a.xml"; }
svc=$(service_pid)
[ -n "$SYSTEMD" ] || sup=$(cat /run/sysmon-supervisor.pid)
wait_event 4 "$svc" '<Data Name="State">Started</Data>' >/dev/null || fail "no Started after -i a.xml"
"$SYSMON" -u force >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u force"; }
grep -q "/opt/sysmon/sysmon -i \[config\]' installs it again" "$WORK/out" || { cat "$WORK/out"; fail "-u force: message"; }
wait_event 4 "$svc" '<Data Name="State">Stopped</Data>' >/dev/null || fail "no Stopped on -u force"
! running "$svc" || fail "service still running after -u force"
[ -z "${sup:-}" ] || ! running "$sup" || fail "supervisor still running after -u force"
[ -x /opt/sysmon/sysmon ] || fail "-u force removed /opt/sysmon/sysmon"
last=$(last_id "$svc")
/opt/sysmon/sysmon -i "$WORK/b.xml" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "/opt/sysmon/sysmon -i b.xml"; }
grep -q "^Sysmon installed in /opt/sysmon and started" "$WORK/out" || { cat "$WORK/out"; fail "-i after -u: message"; }
old=$svc
restarted "$old"
cc=$(wait_event 16 "$svc" "<Data Name=\"Configuration\">$WORK/b.xml</Data>") || fail "no ConfigChange after /opt/sysmon/sysmon -i"
assert_eq "record ID after -u force / -i" "$(record_id "$cc")" $((last + 1))
rules_are b
pass "-u force, then /opt/sysmon/sysmon -i b.xml: events flow, record IDs go on ($last -> $(record_id "$cc"))"

# the stored configuration given back to -i keeps the name it was given
old=$svc
/opt/sysmon/sysmon -i /opt/sysmon/config.xml >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-i /opt/sysmon/config.xml"; }
restarted "$old"
wait_event 16 "$svc" "<Data Name=\"Configuration\">$WORK/b.xml</Data>" >/dev/null || fail "-i of the stored config renamed it"
pass "-i /opt/sysmon/config.xml restarts with the stored configuration, named as before"

"$SYSMON" -u purge >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u purge"; }
INSTALLED=
grep -qx "Sysmon stopped and uninstalled; /opt/sysmon deleted." "$WORK/out" || { cat "$WORK/out"; fail "-u purge: message"; }
! running "$svc" || fail "service still running after -u purge"
[ ! -e /opt/sysmon ] || fail "/opt/sysmon left after -u purge"
pass "-u purge stops the service and deletes /opt/sysmon"

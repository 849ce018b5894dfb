#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The service's lifecycle as a user drives it: -i installs and starts a
# service that survives kill -9, -c changes its rules (bad files refused,
# old rules kept), -c alone prints them, SIGHUP reloads, -u stops and
# disables it (the binary stays), -u purge removes every trace. Events 4,
# 16 and 255 with exact values; EventRecordIDs that never repeat. Works
# with systemd as PID 1 (the unit) and without (supervisor). -i over an
# installed service: test_service_reinstall.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/service_lib.sh"

# --- configurations ------------------------------------------------------
cat >"$WORK/all.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <HashAlgorithms>SHA1,MD5,SHA256</HashAlgorithms>
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="include"/>
  </EventFiltering>
</Sysmon>
XML
cat >"$WORK/excl.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <HashAlgorithms>SHA256</HashAlgorithms>
  <EventFiltering>
    <ProcessCreate onmatch="exclude">
      <CommandLine condition="contains">smk_excluded</CommandLine>
    </ProcessCreate>
    <ProcessTerminate onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
printf '<Sysmon schemaversion="4.90">\n<EventFiltering>\n<ProcessCreate onmatch="include">\n</Sysmon>\n' >"$WORK/bad.xml"
chmod 755 "$WORK"
hashes() { echo "SHA1=$(sha1sum "$1" | cut -d' ' -f1),MD5=$(md5sum "$1" | cut -d' ' -f1),SHA256=$(sha256sum "$1" | cut -d' ' -f1)"; }
version=$("$SYSMON" -? | sed -n '1s/^sysmon \([^ ]*\) .*/\1/p')

# --- not installed ---------------------------------------------------------
wait_not_installed
rc=0; "$SYSMON" -c "$WORK/all.xml" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "-c without a service: exit 0"
grep -qx "Error: Sysmon is not installed." "$WORK/out" || { cat "$WORK/out"; fail "-c without a service: message"; }
[ ! -e /opt/sysmon/switches ] && [ ! -e /opt/sysmon/config.xml.new ] || fail "-c without a service installed something"
rc=0; "$SYSMON" -u >"$WORK/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "not installed" "$WORK/out" || fail "-u when not installed"
pass "-c and -u refuse when nothing is installed"

# --- install ---------------------------------------------------------------
install_sysmon "$WORK/all.xml" -perfbuffer
svc=$(service_pid)
assert_eq "dir mode" "$(stat -c %a /opt/sysmon)" 700
assert_eq "binary mode" "$(stat -c %a /opt/sysmon/sysmon)" 700
assert_eq "config mode" "$(stat -c %a /opt/sysmon/config.xml)" 600
cmp -s "$WORK/all.xml" /opt/sysmon/config.xml || fail "stored config differs"
cmp -s "$SYSMON" /opt/sysmon/sysmon || fail "installed binary differs"
cmp -s "$(dirname "$SYSMON")/sysmonLogView" /opt/sysmon/sysmonLogView ||
	fail "/opt/sysmon/sysmonLogView is not the one built beside sysmon"
assert_eq "sysmonLogView mode" "$(stat -c %a /opt/sysmon/sysmonLogView)" 700
assert_eq "stored switches" "$(cat /opt/sysmon/switches)" -perfbuffer
assert_eq "exe of the service" "$(readlink /proc/$svc/exe)" /opt/sysmon/sysmon
if [ -z "$SYSTEMD" ]; then
	sup=$(cat /run/sysmon-supervisor.pid)
	assert_eq "supervisor is the service's parent" "$(ps -o ppid= -p "$svc" | tr -d ' ')" "$sup"
	new_log | grep -a " sysmon\[$sup\]: " | grep -a "sysmon started: " | tail -n1 | grep -q "perf buffer" ||
		fail "the service does not use the -perfbuffer given to -i"
	[ ! -d /etc/init.d ] || { [ -x /etc/init.d/sysmon ] && sh -n /etc/init.d/sysmon; } || fail "no valid init script for boot"
fi
pass "-i installs root-only files and starts the service (pid $svc)"

# ConfigChange then ServiceStateChange Started, consecutive record IDs
cc=$(wait_event 16 "$svc" "<Data Name=\"Configuration\">$WORK/all.xml</Data>") || fail "no ConfigChange at start"
assert_eq "ConfigChange hash" "$(printf '%s' "$cc" | field ConfigurationFileHash)" "$(hashes "$WORK/all.xml")"
st=$(wait_event 4 "$svc" '<Data Name="State">Started</Data>') || fail "no Started event"
assert_eq "Started Version" "$(printf '%s' "$st" | field Version)" "$version"
assert_eq "Started SchemaVersion" "$(printf '%s' "$st" | field SchemaVersion)" 4.90
assert_eq "Started record ID" "$(record_id "$st")" $(( $(record_id "$cc") + 1 ))
assert_eq "ServiceStateChange shape" "$(printf '%s\n' "$st" | shape)" \
	"$(head -n1 "$SHARED/reference/samples/event_4_ServiceStateChange.log" | shape)"
assert_eq "ConfigChange shape" "$(printf '%s\n' "$cc" | shape)" \
	"$(head -n1 "$SHARED/reference/samples/event_16_ConfigChange.log" | shape)"
pass "ConfigChange and Started logged at start"

m1=$(marker on)
/bin/echo "$m1" >/dev/null
wait_event 1 "$svc" "$(echoed "$m1")" >/dev/null || fail "no ProcessCreate for $m1"
pass "events flow"

# --- -c: print, change, refuse ----------------------------------------------
"$SYSMON" -c >"$WORK/dump" 2>&1 || { cat "$WORK/dump"; fail "-c (print)"; }
"$SYSMON" -vc "$WORK/all.xml" >"$WORK/dump.want"
cmp -s "$WORK/dump" "$WORK/dump.want" || { diff "$WORK/dump.want" "$WORK/dump"; fail "-c dump differs from -vc"; }
pass "-c alone prints the active configuration"

attached "$svc" sched_process_exit && fail "ProcessTerminate probe attached though not configured"
"$SYSMON" -c "$WORK/excl.xml" >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-c excl.xml"; }
cc2=$(wait_event 16 "$svc" "<Data Name=\"Configuration\">$WORK/excl.xml</Data>") || fail "no ConfigChange for -c"
assert_eq "ConfigChange hash (SHA256 only)" "$(printf '%s' "$cc2" | field ConfigurationFileHash)" \
	"SHA256=$(sha256sum "$WORK/excl.xml" | cut -d' ' -f1)"
cmp -s "$WORK/excl.xml" /opt/sysmon/config.xml || fail "-c did not store the config"
assert_eq "config mode after -c" "$(stat -c %a /opt/sysmon/config.xml)" 600
attached "$svc" sched_process_exit || fail "ProcessTerminate probe not attached after -c"
"$SYSMON" -c >"$WORK/dump" 2>&1
"$SYSMON" -vc "$WORK/excl.xml" >"$WORK/dump.want"
cmp -s "$WORK/dump" "$WORK/dump.want" || fail "-c dump after the change"
excluded_now() { # excluded_now <what>: a smk_excluded process is not logged
	local x y
	x="smk_excluded_$(marker x)"; y=$(marker y)
	/bin/echo "$x" >/dev/null; /bin/echo "$y" >/dev/null
	wait_event 1 "$svc" "$(echoed "$y")" >/dev/null || fail "$1: no ProcessCreate for $y"
	assert_eq "$1: excluded marker lines" "$(count_lines "$(echoed "$x")")" 0
}
excluded_now "after -c"
pass "-c FILE swaps the rules and attaches the probes they need"

ncc=$(count_lines "<EventID>16</EventID>")
rc=0; "$SYSMON" -c "$WORK/bad.xml" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "bad -c: exit 0"
grep -q "$WORK/bad.xml:[0-9]*:" "$WORK/out" || { cat "$WORK/out"; fail "bad -c: no file:line"; }
cmp -s "$WORK/excl.xml" /opt/sysmon/config.xml || fail "bad -c changed the stored config"
[ ! -e /opt/sysmon/config.xml.new ] || fail "bad -c left a pending file"
excluded_now "after a bad -c"
assert_eq "ConfigChange after a bad -c" "$(count_lines "<EventID>16</EventID>")" "$ncc"
pass "a bad -c is refused with file:line and the old rules stay"

kill -HUP "$svc"
wait_count "<EventID>16</EventID>" $((ncc + 1)) || fail "no ConfigChange after SIGHUP"
excluded_now "after SIGHUP"
pass "SIGHUP reloads the stored configuration"

# --- crash: kill -9 ------------------------------------------------------------
last_id=$(new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$svc\"" | tail -n1 |
	sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p')
kill -9 "$svc"
t0=$(date +%s.%N)
new=
for _ in $(seq 100); do
	new=$(service_pid)
	[ -n "$new" ] && [ "$new" != "$svc" ] && break
	sleep 0.1
done
[ -n "$new" ] && [ "$new" != "$svc" ] || fail "service not back within 10 s after kill -9"
back=$(echo "$(date +%s.%N) - $t0" | bc)
st2=$(wait_event 4 "$new" '<Data Name="State">Started</Data>') || fail "no Started after the restart"
cc3=$(wait_event 16 "$new" "<Data Name=\"Configuration\">$WORK/excl.xml</Data>") || fail "restart lost the config"
[ "$(record_id "$cc3")" -gt "$last_id" ] || fail "record IDs repeat after a crash: $(record_id "$cc3") <= $last_id"
if [ -z "$SYSTEMD" ]; then
	er=$(wait_event 255 "$new" '<Data Name="ID">ServiceRestarted</Data>') || fail "no Error event for the restart"
	printf '%s' "$er" | field Description | grep -q "killed by signal 9" || fail "restart reason: $er"
fi
svc=$new
excluded_now "after the restart"
pass "kill -9: back in $back s with the same rules, record IDs moved on"

# --- restart on request (what the package's postinst does after an upgrade)
if [ -z "$SYSTEMD" ]; then
	kill -USR2 "$sup"
	for _ in $(seq 100); do
		new=$(service_pid)
		[ -n "$new" ] && [ "$new" != "$svc" ] && break
		sleep 0.1
	done
	[ -n "$new" ] && [ "$new" != "$svc" ] || fail "SIGUSR2 did not restart the service"
	stopped=$(wait_event 4 "$svc" '<Data Name="State">Stopped</Data>') || fail "no Stopped before the restart"
	wait_event 4 "$new" '<Data Name="State">Started</Data>' >/dev/null || fail "no Started after SIGUSR2"
	first=$(wait_event 16 "$new" '<Data Name="Configuration">') || fail "no ConfigChange after SIGUSR2"
	assert_eq "record ID after a clean restart" "$(record_id "$first")" $(( $(record_id "$stopped") + 1 ))
	# an Error would follow Started at once: before a later process's event
	y=$(marker y); /bin/echo "$y" >/dev/null
	wait_event 1 "$new" "$(echoed "$y")" >/dev/null || fail "no ProcessCreate for $y after SIGUSR2"
	n=$(new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$new\"" |
		grep -acF '<Data Name="ID">ServiceRestarted</Data>' || true)
	assert_eq "Error events after a requested restart" "$n" 0
	svc=$new
	pass "SIGUSR2 to the supervisor restarts the service cleanly"
fi

# --- back to defaults ------------------------------------------------------------
"$SYSMON" -c -- >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-c --"; }
wait_event 16 "$svc" '<Data Name="Configuration">Defaults</Data>' >/dev/null || fail "no ConfigChange for -c --"
[ ! -e /opt/sysmon/config.xml ] || fail "-c -- kept the stored config"
x="smk_excluded_$(marker d)"
/bin/echo "$x" >/dev/null
wait_event 1 "$svc" "$(echoed "$x")" >/dev/null || fail "defaults do not log $x"
pass "-c -- returns to the defaults"

# --- uninstall ---------------------------------------------------------------------
"$SYSMON" -u >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u"; }
INSTALLED=
wait_event 4 "$svc" '<Data Name="State">Stopped</Data>' >/dev/null || fail "no Stopped event"
! running "$svc" || fail "service still running after -u"
[ -z "${sup:-}" ] || ! running "$sup" || fail "supervisor still running after -u"
pgrep -f /opt/sysmon/sysmon >/dev/null && fail "an installed sysmon process is left"
cmp -s "$SYSMON" /opt/sysmon/sysmon || fail "-u did not keep /opt/sysmon/sysmon"
assert_eq "files kept by -u" "$(ls -A /opt/sysmon | tr '\n' ' ')" "sysmon sysmonLogView "
[ ! -e /etc/init.d/sysmon ] || fail "init script left"
[ ! -e /etc/systemd/system/sysmon.service ] || fail "unit left"
[ -z "$SYSTEMD" ] || ! systemctl is-enabled --quiet sysmon 2>/dev/null || fail "unit still enabled"
[ ! -e /run/sysmon.sock ] || fail "control socket left"
rc=0; "$SYSMON" -c >"$WORK/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -qx "Error: Sysmon is not installed." "$WORK/out" || { cat "$WORK/out"; fail "-c after -u"; }
pass "-u stops the service (Stopped logged) and disables it; /opt/sysmon/sysmon stays"

# --- reinstall: EventRecordIDs go on ---------------------------------------------
last_id=$(new_log | grep -a ' sysmon' | grep -aF "<Execution ProcessID=\"$svc\"" | tail -n1 |
	sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p')
install_sysmon "$WORK/all.xml"
svc=$(service_pid)
[ -n "$SYSTEMD" ] || sup=$(cat /run/sysmon-supervisor.pid)
cc4=$(wait_event 16 "$svc" "<Data Name=\"Configuration\">$WORK/all.xml</Data>") || fail "no ConfigChange after reinstalling"
[ "$(record_id "$cc4")" -gt "$last_id" ] || fail "record IDs repeat after a reinstall: $(record_id "$cc4") <= $last_id"
pass "reinstalled: record IDs go on ($last_id -> $(record_id "$cc4"))"

# --- -u force: a service that does not stop is killed -----------------------------
kill -STOP "$svc" # it cannot act on SIGTERM now
t0=$(date +%s)
"$SYSMON" -u force >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u force"; }
INSTALLED=
grep -q "did not stop within 10 s: killing it" "$WORK/out" || { cat "$WORK/out"; fail "-u force: no word of the kill"; }
! running "$svc" || fail "service still running after -u force"
[ -z "${sup:-}" ] || ! running "$sup" || fail "supervisor still running after -u force"
pgrep -f /opt/sysmon/sysmon >/dev/null && fail "an installed sysmon process is left after -u force"
assert_eq "files kept by -u force" "$(ls -A /opt/sysmon | tr '\n' ' ')" "config.source config.xml sysmon sysmonLogView "
pass "-u force kills a service that does not stop ($(( $(date +%s) - t0 )) s)"

# --- -u purge: every file goes ------------------------------------------------------
"$SYSMON" -u purge >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u purge"; }
grep -qx "Sysmon was not installed; /opt/sysmon deleted." "$WORK/out" || { cat "$WORK/out"; fail "-u purge: message"; }
[ ! -e /opt/sysmon ] || fail "/opt/sysmon left after -u purge: $(ls -A /opt/sysmon)"
rc=0; "$SYSMON" -u purge >"$WORK/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -qx "Error: Sysmon is not installed." "$WORK/out" || { cat "$WORK/out"; fail "-u purge twice"; }
pass "-u purge after -u deletes /opt/sysmon; nothing to purge: 'not installed', exit $rc"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fleet forwarding over RELP (installer/rsyslog-sysmon-forward.conf and
# installer/rsyslog-sysmon-collector.conf). The machine's rsyslog gets the
# sender drop-in in /etc/rsyslog.d as a user installs it (the collector's
# address, its port and the queue's name changed); a second rsyslog on
# loopback is the collector (its own configuration, pid file, work
# directory and port). 20,000 events are made while the collector is down
# for 30 s (they wait in the sender's queue on disk); once the collector
# is back, every EventRecordID of the monitor's run is in the collector's
# file exactly once, each event's XML as in /var/log/syslog; nothing but
# sysmon's lines is forwarded; sysmonLogView reads the whole file. When
# the test ends, however it ends, the collector is stopped, the drop-in
# and its queue files removed and the machine's rsyslog restarted as it
# was. FORWARD_CONF (default: the installer's drop-in) runs the test with
# another sender configuration: with a queue in memory only, the host's
# own syslog lost most events; with a disk-assisted queue, one event
# arrived twice.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/progs/trig.sh"
: "${LOGVIEW:?}"
ls /usr/lib/*/rsyslog/omrelp.so /usr/lib/*/rsyslog/imrelp.so >/dev/null 2>&1 ||
	fail "rsyslog's RELP modules are missing: apt-get install rsyslog-relp (installer/deps.sh)"

N=20000 DOWN=30
FORWARD_CONF=${FORWARD_CONF:-$SRC/installer/rsyslog-sysmon-forward.conf}
DROPIN=/etc/rsyslog.d/99-sysmon-e2e-forward.conf
QNAME=sysmon-e2e-forward
SPOOL=$(sed -n 's/^\$WorkDirectory[[:space:]]*//p' /etc/rsyslog.conf 2>/dev/null | tail -n1)
SPOOL=${SPOOL:-/var/spool/rsyslog}
CW=$WORK/collector
FLEET=$CW/fleet.log
m=$(marker fwd)
D=$WORK/d
mkdir -p "$D" "$CW"

# --- the machine's rsyslog -----------------------------------------------
syslog_stop() {
	if [ -d /run/systemd/system ]; then systemctl stop rsyslog; return; fi
	local pid
	pid=$(cat /run/rsyslogd.pid 2>/dev/null || true)
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	fail "the machine's rsyslogd (pid $pid) did not stop in 30 s"
}
syslog_start() {
	local up
	if [ -d /run/systemd/system ]; then systemctl start rsyslog
	else rm -f /run/rsyslogd.pid; rsyslogd </dev/null >/dev/null 2>&1; fi
	up="smk_syslog_up_$$_$RANDOM"
	for _ in $(seq 100); do
		logger -t smk "$up" 2>/dev/null || true
		new_log | grep -qaF "$up" && return 0
		sleep 0.1
	done
	fail "the machine's rsyslogd did not start"
}
# A stale drop-in of a run that was killed goes first.
[ ! -e "$DROPIN" ] || { rm -f "$DROPIN"; syslog_stop; rm -f "$SPOOL/$QNAME".*; syslog_start; }

# --- the collector ---------------------------------------------------------
PORT=
for _ in $(seq 50); do
	PORT=$((20000 + RANDOM % 20000))
	[ -z "$(ss -Hltn "sport = :$PORT")" ] && break
done
sed -e "s/port=\"2514\"/port=\"$PORT\"/" -e "s|/var/log/sysmon-fleet.log|$FLEET|" \
	"$SRC/installer/rsyslog-sysmon-collector.conf" >"$CW/sysmon-collector.conf"
grep -q "port=\"$PORT\"" "$CW/sysmon-collector.conf" && grep -qF "$FLEET" "$CW/sysmon-collector.conf" ||
	fail "the collector's port or file is not where this test expects it in rsyslog-sysmon-collector.conf"
cat >"$CW/rsyslog.conf" <<EOF
global(workDirectory="$CW")
include(file="$SRC/installer/rsyslog-sysmon.conf")
include(file="$CW/sysmon-collector.conf")
EOF
rsyslogd -N1 -f "$CW/rsyslog.conf" >"$CW/check.out" 2>&1 || { cat "$CW/check.out"; fail "the collector's configuration is invalid"; }
COLL_PID=
collector_start() {
	rm -f "$CW/pid"
	rsyslogd -f "$CW/rsyslog.conf" -i "$CW/pid" </dev/null >"$CW/out" 2>&1 || fail "the collector did not start"
	for _ in $(seq 100); do
		[ -s "$CW/pid" ] && [ -n "$(ss -Hltn "sport = :$PORT")" ] && break
		sleep 0.1
	done
	[ -n "$(ss -Hltn "sport = :$PORT")" ] || fail "the collector does not listen on port $PORT"
	COLL_PID=$(cat "$CW/pid")
}
collector_stop() {
	local pid=$COLL_PID
	COLL_PID=
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	fail "the collector (pid $pid) did not stop in 30 s"
}
# (in this order: the machine's rsyslog is stopped while it can still hand
# its queue to the collector; the queue files left are removed)
forward_cleanup() {
	rm -f "$DROPIN"
	syslog_stop
	collector_stop
	rm -f "$SPOOL/$QNAME".*
	syslog_start
}
at_exit forward_cleanup

# --- the sender: the drop-in, as installed by a user ------------------------
sed -e 's/target="[^"]*"/target="127.0.0.1"/' -e "s/port=\"2514\"/port=\"$PORT\"/" \
	-e "s/queue.filename=\"sysmon-forward\"/queue.filename=\"$QNAME\"/" \
	"$FORWARD_CONF" >"$DROPIN"
grep -q "port=\"$PORT\"" "$DROPIN" && { ! grep -q 'queue.filename=' "$DROPIN" || grep -q "queue.filename=\"$QNAME\"" "$DROPIN"; } ||
	fail "the target's port or the queue's name is not where this test expects it in rsyslog-sysmon-forward.conf"
rsyslogd -N1 >"$CW/check.out" 2>&1 || { cat "$CW/check.out"; fail "rsyslog does not accept the sender drop-in"; }
collector_start
syslog_stop
syslog_start

cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include"><Image condition="is">/nothing</Image></ProcessCreate>
    <FileCreate onmatch="include"><TargetFilename condition="begin with">$D/</TargetFilename></FileCreate>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml"
pid=$SM_PID
mine="<Execution ProcessID=\"$pid\" "
fleet_count() { grep -acF -- "$1" "$FLEET" 2>/dev/null || true; }
wait_fleet() { # string count seconds
	for _ in $(seq $(($3 * 10))); do
		[ "$(fleet_count "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_fleet "$mine" 1 15 || fail "sysmon's first events did not reach the collector"
logger -t "not${m}" "a line of another program: $m"
pass "forwarding through the drop-in to the collector on port $PORT"

# --- the collector down, 20,000 events --------------------------------------
collector_stop
t_down=$SECONDS
for _ in 1 2 3 4; do # (each batch logged before the next: the kernel's buffer)
	"$SMTRIG" creat-many "$D/$m" $((N / 4)) >/dev/null
	made=$(( ${made:-0} + N / 4 ))
	for _ in $(seq 300); do [ "$(count_lines "$D/$m")" -ge "$made" ] && break; sleep 0.1; done
done
assert_eq "FileCreate lines in $SYSLOG" "$(count_lines "$D/$m")" "$N"
stop_sysmon
wait_stopped_line "$pid"
echo "$N events made and logged in $((SECONDS - t_down)) s"
queued=$(cat "$SPOOL/$QNAME".0* 2>/dev/null | wc -c)
echo "waiting on disk: $queued bytes"
sleep $((DOWN - (SECONDS - t_down) > 0 ? DOWN - (SECONDS - t_down) : 0))
assert_eq "FileCreate lines at the stopped collector" "$(fleet_count "$D/$m")" 0
collector_start
t_up=$SECONDS
wait_fleet '<Data Name="State">Stopped</Data>' 1 60 && wait_fleet "$D/$m" "$N" 30 ||
	fail "after $((SECONDS - t_up)) s the collector has $(fleet_count "$D/$m") of $N events"
echo "the collector was down $((t_up - t_down)) s; all had arrived $((SECONDS - t_up)) s after it came back"
sleep 2 # (a repeat would come now)

# --- every event once, as logged here --------------------------------------
xml() { grep -aF -- "$mine" | sed 's/^[^<]* sysmon[^:]*: //'; }
ids() { sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p'; }
new_log | xml >"$WORK/local.xml"
xml <"$FLEET" >"$WORK/fleet.xml"
ids <"$WORK/local.xml" | sort -n >"$WORK/local.ids"
ids <"$WORK/fleet.xml" | sort -n >"$WORK/fleet.ids"
n_local=$(wc -l <"$WORK/local.ids")
first=$(head -n1 "$WORK/local.ids") last=$(tail -n1 "$WORK/local.ids")
assert_eq "EventRecordIDs in $SYSLOG" "$(sort -nu "$WORK/local.ids" | wc -l)" "$((last - first + 1))"
lost=$(comm -23 "$WORK/local.ids" <(sort -nu "$WORK/fleet.ids") | wc -l)
extra=$(comm -13 "$WORK/local.ids" <(sort -nu "$WORK/fleet.ids") | wc -l)
dups=$(uniq -d "$WORK/fleet.ids" | tr '\n' ' ')
if [ "$lost" != 0 ]; then
	comm -23 "$WORK/local.ids" <(sort -nu "$WORK/fleet.ids") | head -n 20 | while read -r id; do
		grep -aF "<EventRecordID>$id<" "$WORK/local.xml" | cut -c 1-300
	done
	fail "$lost events lost on the way (above, the first 20)"
fi
assert_eq "events at the collector not in $SYSLOG" "$extra" 0
diff <(sort -u "$WORK/local.xml") <(sort -u "$WORK/fleet.xml") >/dev/null ||
	fail "the collector's events differ from those in $SYSLOG"
n_fleet=$(wc -l <"$WORK/fleet.ids")
[ -z "$dups" ] || fail "$((n_fleet - n_local)) events repeated at the collector: EventRecordIDs $dups"
assert_eq "lines at the collector" "$(grep -ac . "$FLEET")" "$n_fleet"
[ "$queued" -gt 0 ] || fail "nothing waited on disk in $SPOOL while the collector was down"
assert_eq "lines of another program forwarded" "$(grep -acF "not${m}" "$FLEET")" 0
pass "$n_local events ($first-$last), each once at the collector, as logged here"

# --- the collector's file, read by sysmonLogView ---------------------------
"$LOGVIEW" <"$FLEET" >"$WORK/view" 2>"$WORK/view.err"
[ ! -s "$WORK/view.err" ] || { cat "$WORK/view.err"; fail "sysmonLogView reported malformed lines"; }
assert_eq "sysmonLogView's events" "$(grep -c '^Event ' "$WORK/view")" "$n_fleet"
assert_eq "sysmonLogView's FileCreate events" \
	"$("$LOGVIEW" -e 11 <"$FLEET" | grep -c '^Event FileCreate: EventID 11,')" "$(grep -ac '<EventID>11<' "$WORK/fleet.xml")"
pass "sysmonLogView shows the collector's $n_fleet events"

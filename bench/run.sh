#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark: the same exec storm under (a) no monitor, (b) sysmon with a
# ProcessCreate-only config writing through rsyslog, (c) Debian's auditd
# with one execve rule and the raw log format; at several rates, repeated.
#
#   bench/run.sh            (as root; takes ~20 minutes with the defaults)
#
# Environment (defaults in brackets):
#   RATES     processes per second, "max" = as fast as the machine can
#             ["400 800 1600 max"]
#   REPS      repetitions of each (stack, rate) [3]
#   DURATION  seconds of storm per run [15]
#   STACKS    ["none sysmon auditd"]; also "sysmonjson": sysmon writing
#             JSON lines to a file of its own (-jsonfile -rotate 0
#             -nosyslog) instead of syslog, to compare with "sysmon"
#   BUILD_DIR where sysmon, execstorm, tailstamp and tiny are built [build]
#   OUT       results directory [bench/results]
#
# Per run it measures, for the monitor's own processes (sysmon + rsyslogd,
# auditd + kauditd): CPU time (utime+stime from /proc/PID/stat) per logged
# event; for sysmon the in-kernel eBPF time per exec (kernel.bpf_stats_enabled
# and each sm_* program's run_time_ns/run_cnt); the CPU time per exec of the
# storm's own processes (execstorm reaps them and reads RUSAGE_CHILDREN)
# above the no-monitor run, i.e. what each stack adds to the exec path in
# the kernel (eBPF programs; audit's syscall-exit work), unaffected by other
# load; the whole machine's busy time per exec (/proc/stat, CSV only: other
# load on the machine shows up there); events expected vs
# logged (markers counted in /var/log/syslog resp. /var/log/audit/audit.log);
# the delay from process start to the line reaching the log file (p50, p99,
# max: bench/tailstamp stamps each marker line as it arrives); peak RSS
# (VmHWM) of the daemon.
#
# Writes $OUT/latest.csv (every run), $OUT/latest.md (medians, the
# sysmon/auditd ratio, the targets) and $OUT/latest.png (gnuplot).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out=${OUT:-$root/bench/results}
RATES=${RATES:-"400 800 1600 max"}
REPS=${REPS:-3}
DURATION=${DURATION:-15}
STACKS=${STACKS:-"none sysmon auditd"}
SYSLOG=/var/log/syslog
JSONLOG= # the sysmonjson stack's file, under $work
AUDITLOG=/var/log/audit/audit.log
HZ=$(getconf CLK_TCK)

[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run as root" >&2; exit 1; }
for t in auditd auditctl gnuplot bpftool rsyslogd; do
	command -v "$t" >/dev/null || "$root/installer/deps.sh"
done
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" --target sysmon execstorm tailstamp tiny -j"$(nproc)" >/dev/null
SYSMON=$(find "$build" -name sysmon -type f -perm -u+x | head -n1)
STORM=$build/bench/execstorm
TAIL=$build/bench/tailstamp
[ -x "$SYSMON" ] || { echo "bench/run.sh: no sysmon binary under $build" >&2; exit 1; }
"$root/installer/ensure-syslog.sh"

work=$(mktemp -d /tmp/smbench.XXXXXX)
chmod 755 "$work"
JSONLOG=$work/json/events.json
cp "$build/bench/tiny" "$work/tiny"
mkdir -p "$out"

# --- the stacks ----------------------------------------------------------

. "$root/bench/lib.sh"

cat >"$work/pc-only.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="include"/>
  </EventFiltering>
</Sysmon>
XML

TAIL_PID= # tailstamp of the run in progress (it holds the lock fd too)
cleanup() {
	[ -n "$TAIL_PID" ] && kill -TERM "$TAIL_PID" 2>/dev/null
	stacks_cleanup
}
trap cleanup EXIT

# --- measurements --------------------------------------------------------

# The monitor's processes for a stack: "daemon_pid helper_pid".
monitor_pids() {
	case $1 in
	none) echo "0 $(pgrep -xo rsyslogd)" ;;
	sysmon) echo "$(sysmon_pid) $(pgrep -xo rsyslogd)" ;;
	sysmonjson) echo "$(sysmon_pid) 0" ;; # no helper: sysmon writes the file
	auditd) echo "$(pgrep -xo auditd) $(pgrep -xo kauditd)" ;;
	esac
}

# Percentiles of delays (ms) from the start times and the arrival times.
delays() { # times arrivals -> "p50 p99 max"
	awk 'NR == FNR { t[$1] = $2; next } ($1 in t) { printf "%.3f\n", ($2 - t[$1]) / 1e6 }' \
		"$1" "$2" | sort -n | awk '{ v[NR] = $1 } END {
			if (!NR) { print "- - -"; exit }
			i50 = int(NR * 0.50); if (i50 < 1) i50 = 1
			i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR
			printf "%.1f %.1f %.1f\n", v[i50], v[i99], v[NR] }'
}

# Wait until the tailer has seen `want` marker lines, or nothing new came
# for 3 s (bounded by 120 s).
wait_drain() { # count_file want
	local last=-1 same=0 n
	for _ in $(seq 1200); do
		n=$(cat "$1" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge "$2" ] && return 0
		if [ "$n" = "$last" ]; then same=$((same + 1)); else same=0; last=$n; fi
		[ $same -ge 30 ] && return 0
		sleep 0.1
	done
}

# The same from the JSON file of the sysmonjson stack.
json_lost() {
	{ grep -a '"ID":"LostRecords"' "$JSONLOG" || true; } |
		sed -n 's/.*"Description":"\([0-9]*\) .*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

csv=$out/latest.csv
echo "stack,rate,rep,started,achieved_per_s,logged,lost_reported,missing,duplicates,mon_cpu_us_per_event,daemon_cpu_us_per_event,helper_cpu_us_per_event,bpf_ns_per_exec,bpf_runs_per_exec,sys_cpu_us_per_exec,exec_cpu_us_per_exec,p50_ms,p99_ms,max_ms,daemon_hwm_kib,helper_rss_kib,storm_late_ms" >"$csv"

run_one() { # stack rate rep
	local stack=$1 rate=$2 rep=$3 prefix log must storm_args pids d h
	prefix="smb$(date +%s%N | tail -c 8)${stack:0:1}_"
	case $stack in
	sysmon) start_sysmon "$work/pc-only.xml"; log=$SYSLOG; must=" sysmon: " ;;
	auditd) hold_sysmon_lock; start_auditd "-a always,exit -F arch=b64 -S execve -k smbench"; log=$AUDITLOG; must="type=EXECVE" ;;
	sysmonjson)
		rm -rf "$work/json"
		start_sysmon "$work/pc-only.xml" -jsonfile "$JSONLOG" -rotate 0 -nosyslog
		log=$JSONLOG; must='"Channel":"Linux-Sysmon/Operational"' ;;
	none) hold_sysmon_lock; log=$SYSLOG; must="no-monitor" ;;
	esac
	sleep 2
	read -r d h <<<"$(monitor_pids "$stack")"
	local off; off=$(stat -c %s "$log" 2>/dev/null || echo 0)
	"$TAIL" -m "$must" -s "$off" -c "$work/count" "$log" "$prefix" "$work/arrivals" \
		>"$work/tail.out" &
	local tail_pid=$!
	TAIL_PID=$tail_pid
	local d0 h0 s0 b0 a0
	d0=$( [ "$d" != 0 ] && ticks "$d" || echo 0); h0=$(ticks "$h"); s0=$(sys_ticks)
	sysctl -q kernel.bpf_stats_enabled=1 # (another test may have turned it off)
	b0=$(bpf_sums); a0=$(audit_lost || echo 0)

	if [ "$rate" = max ]; then storm_args=(-r 0 -w "$(nproc)" -d "$DURATION")
	else storm_args=(-r "$rate" -d "$DURATION" -w 2); fi
	local res; res=$("$STORM" "${storm_args[@]}" -p "$prefix" -o "$work/times" "$work/tiny")
	local started achieved late xcpu
	started=$(sed -n 's/.*started=\([0-9]*\).*/\1/p' <<<"$res")
	xcpu=$(sed -n 's/.*cpu_us=\([0-9.]*\).*/\1/p' <<<"$res")
	achieved=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' <<<"$res")
	late=$(sed -n 's/.*late_ms=\([0-9.]*\).*/\1/p' <<<"$res")
	[ "$stack" = none ] || wait_drain "$work/count" "$started"

	local d1 h1 s1 b1 a1 hwm hrss
	d1=$( [ "$d" != 0 ] && ticks "$d" || echo 0); h1=$(ticks "$h"); s1=$(sys_ticks)
	b1=$(bpf_sums); a1=$(audit_lost || echo 0)
	hwm=$( [ "$d" != 0 ] && status_kib "$d" VmHWM || echo 0)
	hrss=$(status_kib "$h" VmRSS)
	kill -TERM "$tail_pid"; wait "$tail_pid" || true
	TAIL_PID=

	local lost=0 logged=0 dups=0 lines
	case $stack in
	sysmon)
		stop_sysmon
		lost=$(sysmon_lost "$SYSLOG" "$d" "$off") ;;
	sysmonjson)
		stop_sysmon
		lost=$(json_lost) ;;
	auditd)
		stop_auditd
		lost=$((a1 - a0)) ;;
	esac
	release_sysmon_lock
	if [ "$stack" != none ]; then
		logged=$(awk 'END { print NR }' "$work/arrivals")
		lines=$(sed -n 's/.*lines=[0-9]* markers=\([0-9]*\) duplicates=\([0-9]*\).*/\2/p' "$work/tail.out")
		dups=${lines:-0}
	fi
	local p50 p99 pmax
	read -r p50 p99 pmax <<<"$(delays "$work/times" "$work/arrivals")"
	[ "$stack" = none ] && { p50=-; p99=-; pmax=-; }
	awk -v st="$stack" -v rate="$rate" -v rep="$rep" -v n="$started" \
	    -v ach="$achieved" -v logged="$logged" -v lost="$lost" -v dups="$dups" \
	    -v dd=$((d1 - d0)) -v hd=$((h1 - h0)) -v sd=$((s1 - s0)) -v hz="$HZ" \
	    -v b0="$b0" -v b1="$b1" -v p50="$p50" -v p99="$p99" -v pmax="$pmax" \
	    -v hwm="$hwm" -v hrss="$hrss" -v late="$late" -v xcpu="$xcpu" 'BEGIN {
		split(b0, x, " "); split(b1, y, " ")
		ev = st == "none" ? n : logged; if (ev < 1) ev = 1
		us = 1e6 / hz
		bt = y[1] - x[1]; bc = y[2] - x[2]
		printf "%s,%s,%d,%d,%.1f,%d,%d,%d,%d,%.2f,%.2f,%.2f,%s,%s,%.2f,%.1f,%s,%s,%s,%d,%d,%s\n",
			st, rate, rep, n, ach, logged, lost, (st == "none" ? 0 : n - logged), dups,
			(dd + hd) * us / ev, dd * us / ev, hd * us / ev,
			(st == "sysmon" && bc >= 0.9 * n ? sprintf("%.0f", bt / (n ? n : 1)) : "-"),
			(st == "sysmon" && bc >= 0.9 * n ? sprintf("%.2f", bc / (n ? n : 1)) : "-"),
			sd * us / (n ? n : 1), xcpu, p50, p99, pmax, hwm, hrss, late }' >>"$csv"
	tail -n1 "$csv"
}

sysctl -q kernel.bpf_stats_enabled=1
setup_auditd_conf
stop_auditd
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo -) (plus working tree)"
	echo "machine: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n1)), kernel $(uname -r), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "sysmon: ${SYSMON#"$root"/} ($("$SYSMON" -? 2>/dev/null | head -n1 | sed 's/ - .*//')); rsyslog $(rsyslogd -v | head -n1 | awk '{print $2}'); auditd $(dpkg-query -W -f='${Version}' auditd)"
	echo "settings: RATES=\"$RATES\" REPS=$REPS DURATION=${DURATION}s STACKS=\"$STACKS\""
} >"$out/latest.meta"
cat "$out/latest.meta"
for rep in $(seq "$REPS"); do
	for rate in $RATES; do
		for stack in $STACKS; do
			run_one "$stack" "$rate" "$rep"
		done
	done
done

"$root/bench/report.sh" "$csv" "$out"

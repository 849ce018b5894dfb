#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The workload benchmark: real jobs (not an exec storm) under (a) no
# monitor, (b) sysmon with every event on, through rsyslog, (c) Debian's
# auditd with equivalent rules and the raw log format; same run, stacks in
# turn, repeated.
#
#   bench/workloads.sh      (as root; about 10 minutes with the defaults)
#
# Jobs (JOBS, default "untar build tcp"):
#   untar  extract a tar of FILES files (20,000, in directories of 100) and
#          delete the tree: FILES FileCreate + FILES FileDelete events (and
#          one FileDelete per directory)
#   build  a parallel build (-j NPROC) of this project's own sources, from
#          a fresh build directory (configured before the clock starts)
#   tcp    CONNS (5,000) loopback TCP connections, one after the other
#          (bench/connstorm): a NetworkConnect for each side of each
#
# Environment: REPS [3], FILES [20000], CONNS [5000], JOBS, STACKS
# ["none sysmon auditd"], BUILD_DIR [build], OUT [bench/results].
#
# Per run: the job's wall time; the monitor's CPU time (sysmon + rsyslogd,
# auditd + kauditd: utime+stime from /proc/PID/stat) from the job's start
# until its last event is in the log; events expected and logged (sysmon's
# lines naming the job's files or port, counted in /var/log/syslog) and
# reported lost; sysmon's in-kernel eBPF time (kernel.bpf_stats_enabled).
# Writes $OUT/workloads.csv (every run) and $OUT/workloads.md (medians).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out=${OUT:-$root/bench/results}
REPS=${REPS:-3}
FILES=${FILES:-20000}
CONNS=${CONNS:-5000}
JOBS=${JOBS:-"untar build tcp"}
STACKS=${STACKS:-"none sysmon auditd"}
SYSLOG=/var/log/syslog
AUDITLOG=/var/log/audit/audit.log
HZ=$(getconf CLK_TCK)

[ "$(id -u)" = 0 ] || { echo "bench/workloads.sh: run as root" >&2; exit 1; }
for t in auditd auditctl bpftool rsyslogd clang; do
	command -v "$t" >/dev/null || "$root/installer/deps.sh"
done
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" --target sysmon connstorm -j"$(nproc)" >/dev/null
SYSMON=$(find "$build" -name sysmon -type f -perm -u+x | head -n1)
CONNSTORM=$build/bench/connstorm
[ -x "$SYSMON" ] || { echo "bench/workloads.sh: no sysmon binary under $build" >&2; exit 1; }
"$root/installer/ensure-syslog.sh"

work=$(mktemp -d /tmp/smwork.XXXXXX)
chmod 755 "$work"
mkdir -p "$out"
. "$root/bench/lib.sh"

# Every event this sysmon has, everything logged. FileDeleteDetected (26)
# is left out: it is FileDelete (23) again without archiving, and a config
# with both would log each delete twice.
cat >"$work/all.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <HashAlgorithms>sha256</HashAlgorithms>
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <FileCreateTime onmatch="exclude"/>
    <NetworkConnect onmatch="exclude"/>
    <ProcessTerminate onmatch="exclude"/>
    <DriverLoad onmatch="exclude"/>
    <RawAccessRead onmatch="exclude"/>
    <ProcessAccess onmatch="exclude"/>
    <FileCreate onmatch="exclude"/>
    <DnsQuery onmatch="exclude"/>
    <FileDelete onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
# auditd's nearest equivalent: execs, opens that may create (O_CREAT is
# 0100), deletes, TCP connects and accepts.
AUDIT_RULES=(
	"-a always,exit -F arch=b64 -S execve,execveat -k smw"
	"-a always,exit -F arch=b64 -S openat -F a2&0100 -k smw"
	"-a always,exit -F arch=b64 -S open -F a1&0100 -k smw"
	"-a always,exit -F arch=b64 -S creat,unlink,unlinkat,rmdir,rename,renameat,renameat2 -k smw"
	"-a always,exit -F arch=b64 -S connect,accept,accept4 -k smw"
)

trap stacks_cleanup EXIT

# --- the jobs ------------------------------------------------------------

# The tar: FILES files of 1 KiB in directories of 100.
make_tar() {
	mkdir "$work/tree"
	awk -v n="$FILES" -v top="$work/tree" 'BEGIN {
		s = sprintf("%1024s", "")
		for (i = 0; i < n; i++) {
			if (i % 100 == 0) { d = top "/d" int(i / 100); system("mkdir " d) }
			f = d "/f" i; printf "%s", s > f; close(f) } }'
	tar -C "$work/tree" -cf "$work/files.tar" .
	rm -rf "$work/tree"
}

# The sources: this tree without build output or git data.
copy_sources() {
	mkdir "$work/src"
	tar -C "$root" --exclude='./build*' --exclude=./.git -cf - . |
		tar -C "$work/src" -xf -
}

# Before the clock: whatever the job needs that is not its work.
job_prepare() { # job run_id
	case $1 in
	build)
		rm -rf "$work/bld"
		cmake -S "$work/src" -B "$work/bld" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ;;
	untar) rm -rf "$work/job"; mkdir "$work/job" ;;
	esac
}

job_run() { # job
	case $1 in
	untar)
		tar -C "$work/job" -xf "$work/files.tar"
		rm -rf "$work/job" ;;
	build) cmake --build "$work/bld" -j"$(nproc)" >/dev/null ;;
	tcp) "$CONNSTORM" "$CONNS" >"$work/tcp.out" ;;
	esac
}

# Events the job must give sysmon (- when the count is not known).
job_expected() { # job
	case $1 in
	untar) echo $((2 * FILES + (FILES + 99) / 100 + 1)) ;;
	tcp) echo $((2 * CONNS)) ;;
	*) echo - ;;
	esac
}

# Sysmon's events of the job since byte offset $2, by the daemon $1.
job_logged() { # job pid offset
	local port
	tail -c +"$(($3 + 1))" "$SYSLOG" | grep -aF "<Execution ProcessID=\"$2\" " >"$work/lines" || true
	case $1 in
	untar)
		grep -aE '<EventID>(11|23)</EventID>' "$work/lines" |
			grep -acF "<Data Name=\"TargetFilename\">$work/job" || true ;;
	tcp)
		port=$(sed -n 's/^port=\([0-9]*\).*/\1/p' "$work/tcp.out")
		grep -a '<EventID>3</EventID>' "$work/lines" |
			grep -acE "Port\">$port<" || true ;;
	*) grep -ac '<EventID>' "$work/lines" || true ;;
	esac
}

# A marker exec after the job: its event is the last one the job caused,
# so the monitor has logged the job once the marker is in the log.
wait_marker() { # log offset marker
	# grep -c reads to the end: with -q, tail could take SIGPIPE and
	# the pipeline fail under pipefail although the marker was there
	for _ in $(seq 600); do
		[ "$(tail -c +"$(($2 + 1))" "$1" | grep -acF "$3")" -gt 0 ] && return 0
		sleep 0.3
	done
	echo "bench/workloads.sh: marker $3 not logged in 180 s" >&2
	return 1
}

# --- one run -------------------------------------------------------------

csv=$out/workloads.csv
echo "job,stack,rep,wall_s,mon_cpu_s,daemon_cpu_s,helper_cpu_s,expected,logged,lost_reported,bpf_ms,bpf_runs,mon_us_per_event" >"$csv"

stack_start() { # stack -> sets d h log
	case $1 in
	sysmon) start_sysmon "$work/all.xml"; log=$SYSLOG
		d=$(sysmon_pid); h=$(pgrep -xo rsyslogd) ;;
	auditd) hold_sysmon_lock; start_auditd "${AUDIT_RULES[@]}"; log=$AUDITLOG
		d=$(pgrep -xo auditd); h=$(pgrep -xo kauditd) ;;
	none) hold_sysmon_lock; log=$SYSLOG; d=0; h=$(pgrep -xo rsyslogd) ;;
	esac
}

run_one() { # job stack rep
	local job=$1 stack=$2 rep=$3 d h log off t0 t1 d0 h0 d1 h1 b0 b1
	local marker="smwmark$(date +%s%N)"
	job_prepare "$job"
	stack_start "$stack"
	sleep 1
	off=$(stat -c %s "$log" 2>/dev/null || echo 0)
	sysctl -q kernel.bpf_stats_enabled=1
	d0=$(ticks "$d"); h0=$(ticks "$h"); b0=$(bpf_sums)
	t0=$(date +%s%N)
	job_run "$job"
	t1=$(date +%s%N)
	/bin/true "$marker"
	[ "$stack" = none ] || wait_marker "$log" "$off" "$marker"
	d1=$(ticks "$d"); h1=$(ticks "$h"); b1=$(bpf_sums)
	local expected logged=- lost=0
	expected=$(job_expected "$job")
	case $stack in
	sysmon) stop_sysmon
		logged=$(job_logged "$job" "$d" "$off")
		lost=$(sysmon_lost "$SYSLOG" "$d" "$off") ;;
	auditd) stop_auditd
		logged=$(tail -c +"$((off + 1))" "$AUDITLOG" | grep -ac 'type=SYSCALL.*key="smw"' || true) ;;
	esac
	release_sysmon_lock
	[ "$stack" = sysmon ] || expected=-
	awk -v j="$job" -v st="$stack" -v rep="$rep" -v t0="$t0" -v t1="$t1" \
	    -v dd=$((d1 - d0)) -v hd=$((h1 - h0)) -v hz="$HZ" -v expd="$expected" \
	    -v logged="$logged" -v lost="$lost" -v b0="$b0" -v b1="$b1" 'BEGIN {
		split(b0, x, " "); split(b1, y, " ")
		ev = logged + 0; cpu = (dd + hd) / hz
		bms = st == "sysmon" ? sprintf("%.1f", (y[1] - x[1]) / 1e6) : "-"
		bruns = st == "sysmon" ? y[2] - x[2] : "-"
		per = (st != "none" && ev > 0) ? sprintf("%.1f", cpu * 1e6 / ev) : "-"
		printf("%s,%s,%d,%.2f,%.2f,%.2f,%.2f,%s,%s,%d,%s,%s,%s\n", j, st, rep,
			(t1 - t0) / 1e9, cpu, dd / hz, hd / hz, expd, logged, lost,
			bms, bruns, per) }' >>"$csv"
	tail -n1 "$csv"
}

# --- main ----------------------------------------------------------------

sysctl -q kernel.bpf_stats_enabled=1
setup_auditd_conf
stop_auditd
case " $JOBS " in *" untar "*) make_tar ;; esac
case " $JOBS " in *" build "*) copy_sources ;; esac
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo -) (plus working tree)"
	echo "machine: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n1)), kernel $(uname -r), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "settings: REPS=$REPS FILES=$FILES CONNS=$CONNS JOBS=\"$JOBS\" STACKS=\"$STACKS\""
} >"$out/workloads.meta"
cat "$out/workloads.meta"
for rep in $(seq "$REPS"); do
	for job in $JOBS; do
		for stack in $STACKS; do
			run_one "$job" "$stack" "$rep"
		done
	done
done
"$root/bench/workloads-report.sh" "$csv" "$out"

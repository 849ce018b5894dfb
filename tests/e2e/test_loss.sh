#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Loss is never silent. sysmon runs with an 8 KiB event buffer (-buffer 8)
# under an exec storm (bench/execstorm at the machine's maximum rate) and is
# stopped (SIGSTOP) for a moment so the buffer overflows. Every record the
# kernel could not deliver must be reported in an Error (255) event
# "LostRecords" (at most one a second), and
#     reported lost + logged storm processes = storm processes started
# exactly. Other processes on the machine exec too (this script's own
# commands, other work on the machine); their records can be lost as well, so
# they are accounted for exactly: a tracefs instance records every exec
# (sched_process_exec) while the storm runs, and each one that sysmon did
# not log (matched by pid) is a lost one that is not ours.
#
# With --syslog-down: the lines the syslog daemon cannot take are counted
# and reported too. sysmon runs in a mount namespace where /dev/log is a
# socket this test serves; the server is stopped while a storm runs and a
# new one is bound in its place afterwards. The next Error event must
# report exactly the lines that could not be delivered: the gap in
# EventRecordIDs between the last line before and the first line after.
#
# Arguments: [--syslog-down] [EXECSTORM TINY] [sysmon switches, e.g.
# -perfbuffer]; without EXECSTORM and TINY they are built from bench/ into
# the work directory.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

MODE=kernel
if [ "${1:-}" = --syslog-down ]; then
	MODE=syslog
	shift
fi
STORM=
TINY=
if [ $# -ge 2 ] && [ -x "$1" ] && [ -x "$2" ]; then
	STORM=$1
	TINY=$2
	shift 2
fi
if [ -z "$STORM" ]; then
	cc -O2 -D_GNU_SOURCE -o "$WORK/execstorm" "$SRC/bench/execstorm.c"
	cc -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie \
	   -o "$WORK/tiny" "$SRC/bench/tiny.c"
	STORM=$WORK/execstorm
	TINY=$WORK/tiny
fi
N=${LOSS_STORM:-4000}
TR=/sys/kernel/tracing
INST=$TR/instances/smloss_$$

cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="include"/>
  </EventFiltering>
</Sysmon>
XML
mkfifo "$WORK/nap"
exec 9<>"$WORK/nap"
nap() { read -r -t "$1" -u 9 || true; } # sleep without exec'ing

# --- --syslog-down ---------------------------------------------------------
# A minimal syslog daemon: datagrams on socket $1, one line each on stdout.
# SIGTERM makes it go away without losing what it accepted: it stops
# receiving (senders get EPIPE from then on, so sysmon counts every later
# line), writes out what is queued, and exits.
syslog_server() {
	cat >"$WORK/smrecv.c" <<'C'
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }
int main(int argc, char **argv)
{
	static char buf[1 << 17];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct sigaction sa;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), rcv = 4 << 20;

	if (argc != 2 || fd < 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term; /* no SA_RESTART: recv returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[1]);
	unlink(argv[1]);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	for (;;) {
		ssize_t n;

		if (stop)
			shutdown(fd, SHUT_RD);
		n = recv(fd, buf, sizeof(buf) - 1, stop ? MSG_DONTWAIT : 0);
		if (n <= 0 && stop)
			return 0;
		if (n <= 0)
			continue;
		buf[n] = '\n';
		fwrite(buf, 1, (size_t)n + 1, stdout);
		fflush(stdout);
	}
}
C
	cc -O2 -o "$WORK/smrecv" "$WORK/smrecv.c"
}

# The Error events reporting losses (not a command line that names them).
LOST_ID='<Data Name="ID">LostRecords</Data>'
# EventRecordIDs of the lines in file $1, in order.
record_ids() { sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p' "$1"; }
# Lines of file $1 carrying storm markers of prefix $2 (unique).
markers_in() { grep -aoE "${2}[0-9]+" "$1" | sort -u | wc -l; }

syslog_down() {
	local real=$SYSMON sock1=$WORK/log1.sock sock2=$WORK/log2.sock r1 r2
	local N=${LOSS_STORM_SYSLOG:-1000}
	syslog_server
	"$WORK/smrecv" "$sock1" >"$WORK/out1" & r1=$!
	for _ in $(seq 50); do [ -S "$sock1" ] && break; nap 0.1; done
	# sysmon in its own mount namespace, /dev/log bound to our socket
	SYSMON=$(sysmon_ns_wrapper "$sock1" /dev/log)
	start_sysmon "$WORK/cfg.xml" "$@"
	SYSMON=$real
	local pa="smsla$$x${RANDOM}_" pb="smslb$$x${RANDOM}_" pc="smslc$$x${RANDOM}_"

	"$STORM" -r 500 -n 200 -p "$pa" "$TINY" >/dev/null
	for _ in $(seq 50); do [ "$(markers_in "$WORK/out1" "$pa")" -ge 200 ] && break; nap 0.2; done
	assert_eq "lines before the outage" "$(markers_in "$WORK/out1" "$pa")" 200

	kill -TERM $r1; wait $r1 2>/dev/null || true # the syslog daemon is gone
	"$STORM" -r 500 -n "$N" -p "$pb" "$TINY" >/dev/null
	nap 2.5 # reports of the loss are due (and get lost too)

	"$WORK/smrecv" "$sock2" >"$WORK/out2" & r2=$!
	for _ in $(seq 50); do [ -S "$sock2" ] && break; nap 0.1; done
	# mounted over the first one: /dev/log never points anywhere else
	nsenter -t "$SM_PID" -m mount --bind "$sock2" /dev/log
	"$STORM" -r 500 -n 200 -p "$pc" "$TINY" >/dev/null
	for _ in $(seq 50); do
		[ "$(markers_in "$WORK/out2" "$pc")" -ge 200 ] && grep -qF "$LOST_ID" "$WORK/out2" && break
		nap 0.2
	done
	nap 1.5
	stop_sysmon
	kill -KILL $r2; wait $r2 2>/dev/null || true

	# None reached the daemon that was gone; on a loaded machine sysmon may
	# still be behind when the new one appears, and lines it delivers late
	# are not lost: every storm line is delivered or counted, no other way.
	assert_eq "storm lines to the daemon that was gone" "$(markers_in "$WORK/out1" "$pb")" 0
	assert_eq "lines after the outage" "$(markers_in "$WORK/out2" "$pc")" 200
	local last first gap total late
	late=$(markers_in "$WORK/out2" "$pb" || true) # grep finds none: status 1
	last=$(record_ids "$WORK/out1" | tail -n1)
	record_ids "$WORK/out2" | sort -nu >"$WORK/ids2"
	first=$(awk 'NR == 1' "$WORK/ids2")
	gap=$(awk -v last="$last" '{ n++; max = $1 } END { print max - last - n }' "$WORK/ids2")
	[ "$((gap + late))" -ge "$N" ] || fail "EventRecordIDs after $last: only $gap lines missing and $late late for $N processes"
	grep -aF "$LOST_ID" "$WORK/out2" >"$WORK/lost" || fail "no LostRecords Error event after the outage"
	total=$(tail -n1 "$WORK/lost" | sed -n 's/.*(\([0-9]*\) in all.*/\1/p')
	assert_eq "lines reported lost (EventRecordIDs missing after $last, first after the outage $first)" "$total" "$gap"
	pass "syslog daemon down: the $gap lines it could not take are reported, exactly"
}

if [ "$MODE" = syslog ]; then
	syslog_down "$@"
	exit 0
fi

mountpoint -q "$TR" || mount -t tracefs nodev "$TR"
cleanup_trace() { [ -d "$INST" ] && rmdir "$INST" 2>/dev/null || true; }
trap '[ -n "$SM_PID" ] && kill -CONT "$SM_PID" 2>/dev/null; cleanup_trace; cleanup' EXIT
mkdir "$INST"
echo 4096 >"$INST/buffer_size_kb"
echo 1 >"$INST/events/sched/sched_process_exec/enable"
echo 0 >"$INST/tracing_on"

off=$(stat -c %s "$SYSLOG")
start_sysmon "$WORK/cfg.xml" -buffer 8 "$@"
prefix="smloss$$x${RANDOM}_"

# --- the storm, with the monitor stopped for 0.7 s in the middle ---------
echo 1 >"$INST/tracing_on"
"$STORM" -r 0 -n "$N" -p "$prefix" "$TINY" >"$WORK/storm.out" &
storm=$!
nap 0.3
kill -STOP "$SM_PID"
nap 0.7
kill -CONT "$SM_PID"
wait $storm || fail "execstorm: $(cat "$WORK/storm.out")"
started=$(sed -n 's/^started=\([0-9]*\).*/\1/p' "$WORK/storm.out")
assert_eq "processes started" "$started" "$N"
# drained: no new storm line for 2 s
last=-1
for _ in $(seq 60); do
	n=$(tail -c +"$((off + 1))" "$SYSLOG" | grep -ac "$prefix" || true)
	[ "$n" = "$last" ] && break
	last=$n
	nap 2
done
echo 0 >"$INST/tracing_on"
spid=$SM_PID
stop_sysmon # flushes and reports the last losses

# --- what the log says ----------------------------------------------------
lines() { tail -c +"$((off + 1))" "$SYSLOG" | grep -a " sysmon: " |
	  grep -aF "<Execution ProcessID=\"$spid\" " || true; }
wait_stopped_line "$spid" # rsyslog writes the last lines
lines >"$WORK/lines"
grep -a '<EventID>1</EventID>' "$WORK/lines" >"$WORK/pc" || true
grep -aoE "${prefix}[0-9]+" "$WORK/pc" | sort >"$WORK/markers" || true
logged=$(sort -u "$WORK/markers" | wc -l)
assert_eq "duplicate lines" "$(wc -l <"$WORK/markers")" "$logged"
grep -a '<EventID>255</EventID>' "$WORK/lines" | grep -a 'LostRecords' >"$WORK/lost" || true
lost=$(sed -n 's/.*<Data Name="Description">\([0-9]*\) .*/\1/p' "$WORK/lost" |
       awk '{ s += $1 } END { print s + 0 }')
[ "$lost" -gt 0 ] || fail "no loss was reported although the monitor was stopped with an 8 KiB buffer (logged $logged of $N)"

# --- other processes' execs during the storm, and which of them are lost --
grep -a 'sched_process_exec:' "$INST/trace" >"$WORK/trace" || true
written=$(sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' "$INST/trace")
read -r inbuf total <<<"$written"
assert_eq "trace entries kept" "$inbuf" "$total"
traced_storm=$(grep -acF "filename=$TINY " "$WORK/trace" || true)
assert_eq "storm execs seen by the kernel" "$traced_storm" "$N"
grep -avF "filename=$TINY " "$WORK/trace" | sed -n 's/.* pid=\([0-9]*\) .*/\1/p' | sort >"$WORK/other_pids" || true
grep -avE "${prefix}[0-9]" "$WORK/pc" | sed -n 's/.*<Data Name="ProcessId">\([0-9]*\)<.*/\1/p' | sort >"$WORK/logged_pids" || true
other_lost=$(join -v1 <(uniq -c "$WORK/other_pids" | awk '{ print $2, $1 }') \
		      <(uniq -c "$WORK/logged_pids" | awk '{ print $2, $1 }') | awk '{ s += $2 } END { print s + 0 }')
other_short=$(join <(uniq -c "$WORK/other_pids" | awk '{ print $2, $1 }') \
		   <(uniq -c "$WORK/logged_pids" | awk '{ print $2, $1 }') |
	      awk '$2 > $3 { s += $2 - $3 } END { print s + 0 }')
others=$(wc -l <"$WORK/other_pids")
echo "started $N, logged $logged, reported lost $lost; other execs during the storm: $others, of them not logged: $((other_lost + other_short))"
assert_eq "reported lost + logged (minus other processes' lost records)" \
	"$((lost + logged - other_lost - other_short))" "$N"
pass "every storm process was logged or reported lost: $logged + $((lost - other_lost - other_short)) = $N"

# --- Error events: well-formed, at most one a second ------------------------
while IFS= read -r l; do
	ev=${l#* sysmon: }
	printf '%s' "$ev" | xmllint --noout - || fail "not well-formed: $ev"
	assert_eq "Error level" "$(printf '%s' "$ev" | sed -n 's/.*<Level>\([0-9]*\)<.*/\1/p')" 2
	printf '%s\n' "$ev" | sed -n 's/.*SystemTime="\([^"]*\)".*/\1/p' |
		xargs -I{} date -u -d {} +%s.%N
done <"$WORK/lost" >"$WORK/times"
# every report but the last one (written when stopping) is a tick apart
head -n -1 "$WORK/times" | awk 'NR > 1 && $1 - p < 0.9 { print "too close: " p " " $1; bad = 1 }
	{ p = $1 } END { exit bad }' || fail "LostRecords reported more than once a second"
total_in_all=$(tail -n1 "$WORK/lost" | sed -n 's/.*(\([0-9]*\) in all.*/\1/p')
assert_eq "the last report's running total" "$total_in_all" "$lost"
pass "losses reported in $(wc -l <"$WORK/lost") Error events, at most one a second"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Operations submitted through io_uring (raw io_uring_setup and
# io_uring_enter, no watched syscall), each run by the submitter, by an
# io-wq worker (IOSQE_ASYNC) and by the ring's SQPOLL thread, logged with
# the submitting process's ProcessId, Image, User and ProcessGuid (the one
# of its ProcessCreate), like the syscalls:
# IORING_OP_OPENAT/OPENAT2 creating a file give FileCreate (11),
# IORING_OP_UNLINKAT FileDelete (23) and FileDeleteDetected (26) with
# IsExecutable from the file's mode, IORING_OP_OPENAT of a block device
# for reading RawAccessRead (9), IORING_OP_CONNECT and IORING_OP_ACCEPT
# NetworkConnect (3) both ways (a multishot accept too),
# IORING_OP_SEND/SENDMSG of UDP NetworkConnect, and of a DNS query DNSQuery
# (22); ProcessTerminate (5) names the process also when the SQPOLL thread
# ends it after its leader.
# Nothing goes silently: an unlink submitted with IOSQE_CQE_SKIP_SUCCESS
# (no completion to trace) and unlinks pushed out of the kernel's waiting
# map by a flood of 600 in flight are counted in the LostRecords Error
# event: logged + counted = submitted. On a kernel without
# io_uring:io_uring_submit_req (before 6.3) only sysmon's notice that these
# operations go unseen is checked, and the output says so.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/net_lib.sh" # and trig.sh

[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
if [ ! -d /sys/kernel/tracing/events/io_uring/io_uring_submit_req ]; then
	# (FileCreate enabled: the io_uring programs are attached for it)
	cat >"$WORK/fc.xml" <<-XML
	<Sysmon schemaversion="4.90"><EventFiltering><FileCreate onmatch="include">
	  <TargetFilename condition="is">$WORK/none</TargetFilename>
	</FileCreate></EventFiltering></Sysmon>
	XML
	start_sysmon "$WORK/fc.xml" "$@"
	grep -q "no tracepoint io_uring:io_uring_submit_req (6.3+): operations submitted through io_uring go unseen" \
		"$WORK/start.out" || { cat "$WORK/start.out"; fail "sysmon did not say that io_uring's operations go unseen"; }
	stop_sysmon
	pass "io_uring: ran only the check that sysmon says io_uring's operations go" \
	     "unseen (this kernel has no io_uring:io_uring_submit_req); NOT run here: the" \
	     "operations themselves (they need 6.3+)"
	exit 0
fi
if [ -z "${URING:-}" ]; then
	URING="$WORK/uring"
	cc -O1 -o "$URING" "$SRC/tests/e2e/progs/uring.c" || fail "cannot build uring"
fi
URING=$(readlink -f "$URING")

m=$(marker uring)
D="$WORK/d_$m"
mkdir -p "$D" "$D/fl"
chmod 755 "$D"
DNS_IP=127.0.0.13
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include">
      <Image condition="is">$URING</Image>
      <Image condition="is">$NETPEER</Image>
    </ProcessCreate>
    <ProcessTerminate onmatch="exclude"/>
    <FileCreate onmatch="include">
      <TargetFilename name="fc_uring" condition="contains">/$m.</TargetFilename>
    </FileCreate>
    <FileDelete onmatch="include">
      <TargetFilename name="fd_uring" condition="contains">$m</TargetFilename>
    </FileDelete>
    <FileDeleteDetected onmatch="include">
      <TargetFilename name="fdd_uring" condition="contains">$m</TargetFilename>
    </FileDeleteDetected>
    <RawAccessRead onmatch="include">
      <Image condition="is">$URING</Image>
    </RawAccessRead>
    <NetworkConnect onmatch="include">
      <Image condition="is">$URING</Image>
      <Image condition="is">$NETPEER</Image>
    </NetworkConnect>
    <DnsQuery onmatch="include">
      <Image condition="is">$URING</Image>
    </DnsQuery>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"
get() { printf '%s\n' "$ev" | field "$1"; }

# Everything is done first, then checked: the events of all the actions
# arrive while the first ones are looked for.
# act NAME ARGS...: runs uring ARGS, its output and start time kept as NAME
act() {
	local n=$1
	shift
	date +%s.%N >"$WORK/$n.t0"
	"$URING" "$@" >"$WORK/$n.out" 2>&1 || { cat "$WORK/$n.out"; fail "uring $* failed"; }
}

# use NAME: sets OUT (its output), PID, t0 and GUID (its ProcessCreate's
# ProcessGuid)
use() {
	local pc
	OUT=$(cat "$WORK/$1.out")
	t0=$(cat "$WORK/$1.t0")
	PID=$(trig_pid "$WORK/$1.out")
	pc=$(wait_event 1 "<Data Name=\"ProcessId\">$PID</Data>") ||
		fail "no ProcessCreate for uring (pid $PID)"
	GUID=$(printf '%s\n' "$pc" | field ProcessGuid)
	[ -n "$GUID" ] || fail "no ProcessGuid in $pc"
}

# A value printed by the last run used: out_val NAME
out_val() { printf '%s\n' "$OUT" | sed -n "s/.*$1=\([0-9-]*\).*/\1/p" | head -n1; }

# The kernel records counted lost so far, as the last LostRecords event
# says (0 before the first)
lost_kernel() {
	newlog | grep -aF '<Data Name="ID">LostRecords</Data>' | tail -n1 |
		sed -n 's/.* \([0-9]*\) kernel records not delivered.*/\1/p' | grep . || echo 0
}

dd if=/dev/zero of="$WORK/disk.img" bs=1k count=64 status=none
loop=$(losetup -f --show "$WORK/disk.img") || fail "no loop device"
at_exit losetup -d "$loop"
for mode in inline async sqpoll; do
	# DNS first: each query is logged when it times out (10 s, no answer)
	op=send
	[ "$mode" = async ] && op=sendmsg
	act "dns.$mode" "$mode" "$op" "$DNS_IP" 53 "$mode.$m.example"
	for op in openat openat2; do
		act "$op.$mode" "$mode" "$op" "$D" "$m.$op.$mode"
		[ -f "$D/$m.$op.$mode" ] || fail "uring $mode $op did not create $D/$m.$op.$mode"
		stat -c %.9Z "$D/$m.$op.$mode" >"$WORK/$op.$mode.ctime"
	done
	act "unlink.$mode" "$mode" unlinkat "$D" "$m.openat.$mode"
	chmod 755 "$D/$m.openat2.$mode"
	act "unlinkx.$mode" "$mode" unlinkat "$D" "$m.openat2.$mode"
	act "raw.$mode" "$mode" openread "$loop"
	netpeer_server tcp-server 127.0.0.1
	echo "$SPORT" >"$WORK/connect.$mode.port"
	act "connect.$mode" "$mode" connect 127.0.0.1 "$SPORT"
	wait "$SPID" || fail "netpeer tcp-server failed"
	act "accept.$mode" "$mode" accept
	op=sendmsg
	[ "$mode" = async ] && op=send
	act "udp.$mode" "$mode" "$op" 127.0.0.1 9 "udp.$m"
done
act multi inline multiaccept
# a failed unlink (no such file) and an open of an existing file log
# nothing; a last unlink, logged after them, shows they were processed
"$URING" inline unlinkat "$D" "$m.none" >"$WORK/none.out" 2>&1 &&
	fail "unlink of a missing file succeeded"
: >"$D/$m.exists"
act exists inline openat "$D" "$m.exists"
: >"$D/$m.last"
act last inline unlinkat "$D" "$m.last"

# The event in $ev is the uring process's action on $1 ($2: what).
assert_actor() {
	assert_eq "TargetFilename ($2)" "$(get TargetFilename)" "$1"
	assert_eq "ProcessId ($2)" "$(get ProcessId)" "$PID"
	assert_eq "ProcessGuid ($2)" "$(get ProcessGuid)" "$GUID"
	assert_eq "Image ($2)" "$(get Image)" "$URING"
	assert_eq "User ($2)" "$(get User)" root
}

for mode in inline async sqpoll; do
	for op in openat openat2; do
		f="$D/$m.$op.$mode"
		use "$op.$mode"
		ev=$(wait_event 11 "$f<") || fail "no FileCreate for io_uring $op ($mode)"
		assert_actor "$f" "$op $mode"
		assert_eq "RuleName ($op $mode)" "$(get RuleName)" fc_uring
		assert_eq "CreationUtcTime ($op $mode)" "$(get CreationUtcTime)" \
			"$(file_utc "$(cat "$WORK/$op.$mode.ctime")")"
		assert_eq "FileCreate shape ($op $mode)" "$(printf '%s\n' "$ev" | shape)" \
			"$(head -n1 "$SHARED/reference/samples/event_11_FileCreate.log" | shape)"
	done
	pass "FileCreate: io_uring openat and openat2 ($mode)"

	f="$D/$m.openat.$mode"
	use "unlink.$mode"
	[ ! -e "$f" ] || fail "uring $mode unlinkat left $f"
	ev=$(wait_event 23 "$f<") || fail "no FileDelete for io_uring unlinkat ($mode)"
	assert_actor "$f" "unlinkat $mode"
	assert_eq "RuleName (23 $mode)" "$(get RuleName)" fd_uring
	assert_eq "Hashes (23 $mode)" "$(get Hashes)" "-"
	assert_eq "IsExecutable (23 $mode)" "$(get IsExecutable)" false
	assert_eq "Archived (23 $mode)" "$(get Archived)" false
	assert_eq "FileDelete shape ($mode)" "$(printf '%s\n' "$ev" | shape)" \
		"$(head -n1 "$SHARED/reference/samples/event_23_FileDelete.log" | shape)"
	ev=$(wait_event 26 "$f<") || fail "no FileDeleteDetected for io_uring unlinkat ($mode)"
	assert_actor "$f" "unlinkat 26 $mode"
	assert_eq "RuleName (26 $mode)" "$(get RuleName)" fdd_uring
	assert_eq "IsExecutable (26 $mode)" "$(get IsExecutable)" false
	# an executable file: its mode, seen inside the unlink (ext4)
	f="$D/$m.openat2.$mode"
	use "unlinkx.$mode"
	ev=$(wait_event 23 "$f<") || fail "no FileDelete for io_uring unlinkat of $f"
	assert_actor "$f" "unlinkat exec $mode"
	assert_eq "IsExecutable (23 exec $mode)" "$(get IsExecutable)" true
	ev=$(wait_event 26 "$f<") || fail "no FileDeleteDetected for io_uring unlinkat of $f"
	assert_eq "IsExecutable (26 exec $mode)" "$(get IsExecutable)" true
	pass "FileDelete and FileDeleteDetected: io_uring unlinkat, IsExecutable ($mode)"
done

wait_event 23 "$D/$m.last<" >/dev/null || fail "no FileDelete for $D/$m.last"
assert_eq "FileDelete of a missing file" "$(count_events 23 "$D/$m.none<")" 0
assert_eq "FileCreate of an existing file" "$(count_events 11 "$D/$m.exists<")" 1
pass "no event for a failed unlink or an open that created nothing"

# RawAccessRead: a block device opened for reading
for mode in inline async sqpoll; do
	use "raw.$mode"
	ev=$(wait_event 9 "<Data Name=\"ProcessId\">$PID</Data>") ||
		fail "no RawAccessRead for io_uring openat of $loop ($mode)"
	assert_eq "Device ($mode)" "$(get Device)" "$loop"
	assert_eq "ProcessGuid (9 $mode)" "$(get ProcessGuid)" "$GUID"
	assert_eq "Image (9 $mode)" "$(get Image)" "$URING"
	assert_eq "User (9 $mode)" "$(get User)" root
done
pass "RawAccessRead: io_uring openat of a block device (inline, async, sqpoll)"

# NetworkConnect: TCP both ways, UDP and DNS; one marker connection, later
# than all of them, lets each be counted
net_marker
MARKED=1
for mode in inline async sqpoll; do
	use "connect.$mode"
	lp=$(out_val lport)
	net_event "$PID" "$lp"
	NETPEER=$URING check_net "connect $mode" "$PID" tcp true false 127.0.0.1 "$lp" 127.0.0.1 \
		"$(cat "$WORK/connect.$mode.port")"
	use "accept.$mode"
	lp=$(out_val lport) rp=$(out_val rport)
	net_event "$PID" "$rp"
	NETPEER=$URING check_net "accept $mode" "$PID" tcp false false 127.0.0.1 "$rp" 127.0.0.1 "$lp"
	use "udp.$mode"
	lp=$(out_val lport)
	net_event "$PID" "$lp"
	NETPEER=$URING check_net "udp $mode" "$PID" udp true false 127.0.0.1 "$lp" 127.0.0.1 9
done
pass "NetworkConnect: io_uring connect, accept, UDP send/sendmsg (inline, async, sqpoll)"
use multi
lp=$(out_val lport)
rps=$(printf '%s\n' "$OUT" | sed -n 's/.*rport=\([0-9]*\).*/\1/p')
assert_eq "multishot accepts" "$(printf '%s\n' "$rps" | wc -l)" 2
for rp in $rps; do
	net_event "$PID" "$rp"
	NETPEER=$URING check_net "multishot accept" "$PID" tcp false false 127.0.0.1 "$rp" 127.0.0.1 "$lp"
done
pass "NetworkConnect: each connection of a multishot io_uring accept"

# No silent loss: an unlink whose success makes no completion is counted
assert_eq "kernel records lost before" "$(lost_kernel)" 0
: >"$D/$m.skip"
act skip skip unlinkat "$D" "$m.skip"
[ ! -e "$D/$m.skip" ] || fail "uring skip unlinkat left $D/$m.skip"
for _ in $(seq 50); do [ "$(lost_kernel)" = 1 ] && break; sleep 0.1; done
assert_eq "kernel records lost: the CQE-less unlink" "$(lost_kernel)" 1
pass "an unlink without completion (IOSQE_CQE_SKIP_SUCCESS) is counted as lost"

# ... and so is each of 600 unlinks in flight at once that the kernel side
# could not keep: FileDelete + FileDeleteDetected + counted = 2 x 600
for i in $(seq 0 599); do : >"$D/fl/$i"; done
act flood inline flood "$D/fl" 600
use flood
assert_eq "flood failures" "$(out_val failed)" 0
for _ in $(seq 100); do
	n=$(($(count_events 23 "$D/fl/") + $(count_events 26 "$D/fl/") + $(lost_kernel) - 1))
	[ "$n" -ge 1200 ] && break
	sleep 0.1
done
assert_eq "logged + counted of 1200 (23: $(count_events 23 "$D/fl/"), 26: $(count_events 26 "$D/fl/"))" "$n" 1200
pass "600 unlinks in flight: each logged or counted ($(($(lost_kernel) - 1)) counted)"

# the DNS queries, timed out by now, and each process's ProcessTerminate
# (an SQPOLL ring's thread can end the process after its leader: still
# this process's Image and ProcessGuid, and the DNSQuery logged after it
# too)
for mode in inline async sqpoll; do
	use "dns.$mode"
	ev=$(wait_event 22 "<Data Name=\"ProcessId\">$PID</Data>") ||
		fail "no DNSQuery for the io_uring query ($mode, pid $PID)"
	assert_eq "$mode DNSQuery QueryName" "$(get QueryName)" "$mode.$m.example"
	assert_eq "$mode DNSQuery Image" "$(get Image)" "$URING"
	assert_eq "$mode DNSQuery QueryStatus" "$(get QueryStatus)" 1460
	assert_eq "$mode DNSQuery ProcessGuid" "$(get ProcessGuid)" "$GUID"
	assert_eq "DNSQuery events of pid $PID" "$(count_events 22 "<Data Name=\"ProcessId\">$PID</Data>")" 1
	ev=$(wait_event 5 "<Data Name=\"ProcessId\">$PID</Data>") ||
		fail "no ProcessTerminate for uring ($mode, pid $PID)"
	assert_eq "$mode ProcessTerminate Image" "$(get Image)" "$URING"
	assert_eq "$mode ProcessTerminate ProcessGuid" "$(get ProcessGuid)" "$GUID"
done
pass "DNSQuery and ProcessTerminate: io_uring send/sendmsg of a DNS query (inline, async, sqpoll)"

assert_wellformed "$m." # not the flood's 1,200 lines
pass "lines are well-formed XML"

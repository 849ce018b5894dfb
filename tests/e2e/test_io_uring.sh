#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# File operations submitted through io_uring (raw io_uring_setup and
# io_uring_enter, no watched syscall): IORING_OP_OPENAT/OPENAT2 creating a
# file give FileCreate (11), IORING_OP_UNLINKAT FileDelete (23) and
# FileDeleteDetected (26), like the syscalls; run by the submitter, by an
# io-wq worker (IOSQE_ASYNC) and by the ring's SQPOLL thread, each logged
# with the submitting process's ProcessId, Image, User and ProcessGuid (the
# one of its ProcessCreate). Kernels without io_uring:io_uring_submit_req
# (before 6.3) skip.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/progs/trig.sh"

[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
[ -d /sys/kernel/tracing/events/io_uring/io_uring_submit_req ] || {
	echo "skip: this kernel has no io_uring:io_uring_submit_req"
	exit 77
}
if [ -z "${URING:-}" ]; then
	URING="$WORK/uring"
	cc -O1 -o "$URING" "$SRC/tests/e2e/progs/uring.c" || fail "cannot build uring"
fi
URING=$(readlink -f "$URING")

m=$(marker uring)
D="$WORK/d_$m"
mkdir -p "$D"
chmod 755 "$D"
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include">
      <Image condition="is">$URING</Image>
    </ProcessCreate>
    <ProcessTerminate onmatch="exclude"/>
    <FileCreate onmatch="include">
      <TargetFilename name="fc_uring" condition="contains">$m</TargetFilename>
    </FileCreate>
    <FileDelete onmatch="include">
      <TargetFilename name="fd_uring" condition="contains">$m</TargetFilename>
    </FileDelete>
    <FileDeleteDetected onmatch="include">
      <TargetFilename name="fdd_uring" condition="contains">$m</TargetFilename>
    </FileDeleteDetected>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"
get() { printf '%s\n' "$ev" | field "$1"; }

# Runs uring with $@; sets PID and GUID (its ProcessCreate's ProcessGuid).
run_uring() {
	local out="$WORK/run.out" pc
	"$URING" "$@" >"$out" 2>&1 || { cat "$out"; fail "uring $* failed"; }
	PID=$(trig_pid "$out")
	pc=$(wait_event 1 "<Data Name=\"ProcessId\">$PID</Data>") ||
		fail "no ProcessCreate for uring (pid $PID)"
	GUID=$(printf '%s\n' "$pc" | field ProcessGuid)
	[ -n "$GUID" ] || fail "no ProcessGuid in $pc"
}

# The event on stdin is the uring process's action on $1 ($2: what).
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
		run_uring "$mode" "$op" "$D" "$(basename "$f")"
		[ -f "$f" ] || fail "uring $mode $op did not create $f"
		ev=$(wait_event 11 "$f<") || fail "no FileCreate for io_uring $op ($mode)"
		assert_actor "$f" "$op $mode"
		assert_eq "RuleName ($op $mode)" "$(get RuleName)" fc_uring
		assert_eq "CreationUtcTime ($op $mode)" "$(get CreationUtcTime)" \
			"$(file_utc "$(stat -c %.9Z "$f")")"
		assert_eq "FileCreate shape ($op $mode)" "$(printf '%s\n' "$ev" | shape)" \
			"$(head -n1 "$SHARED/reference/samples/event_11_FileCreate.log" | shape)"
	done
	pass "FileCreate: io_uring openat and openat2 ($mode)"

	f="$D/$m.openat.$mode"
	run_uring "$mode" unlinkat "$D" "$(basename "$f")"
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
	pass "FileDelete and FileDeleteDetected: io_uring unlinkat ($mode)"
done

# a failed unlink (no such file) and an open of an existing file log
# nothing; a last unlink, logged after them, shows they were processed
"$URING" inline unlinkat "$D" "$m.none" >"$WORK/none.out" 2>&1 &&
	fail "unlink of a missing file succeeded"
f="$D/$m.openat2.inline"
run_uring inline openat "$D" "$(basename "$f")"
: >"$D/$m.last"
run_uring inline unlinkat "$D" "$m.last"
wait_event 23 "$D/$m.last<" >/dev/null || fail "no FileDelete for $D/$m.last"
assert_eq "FileDelete of a missing file" "$(count_events 23 "$D/$m.none<")" 0
assert_eq "FileCreate of an existing file" "$(count_events 11 "$f<")" 1
pass "no event for a failed unlink or an open that created nothing"

assert_wellformed "$m"
pass "lines are well-formed XML"

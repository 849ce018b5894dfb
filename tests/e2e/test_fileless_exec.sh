#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fileless and indirect exec (tests/e2e/progs/smexec.c, raw syscalls): the
# ProcessCreate (1) names what the kernel executed, as /proc/PID/exe shows
# it, and its Hashes are of the bytes that ran:
#  - a memfd run with execveat(fd, "", AT_EMPTY_PATH), with execve of
#    /proc/self/fd/N, with libc's fexecve: "/memfd:NAME (deleted)";
#  - a file unlinked before the exec, run through its fd: "PATH (deleted)";
#    an O_TMPFILE file never linked: "DIR/#INO (deleted)";
#  - a file that unlinks itself once running: PATH (it had its name at the
#    exec), still hashed;
#  - execveat with a directory fd and a relative name: the full path; a
#    symlink: its target; a hard link: the link run;
#  - a memfd or unlinked program that exits at once: its hash, or
#    Skipped=Gone when it was gone before sysmon could open it; never a
#    wrong hash.
# Each copy run carries its own marker at its end, so its hash is of no
# other file; the test computes it from smexec's bytes and the marker.
# Arguments: SMEXEC [sysmon switches]
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

SMEXEC=$1
shift
M=$(marker fl)
dir=$WORK/bin
mkdir -p "$dir"
chmod 755 "$WORK" "$dir"
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include">
      <CommandLine condition="contains">$M</CommandLine>
    </ProcessCreate>
    <ProcessTerminate onmatch="include">
      <Image condition="begin with">/memfd:$M</Image>
    </ProcessTerminate>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"

# SHA256 of the copy smexec runs for marker $1: its bytes, then the marker
copy_hash() {
	printf 'SHA256=%s' "$({ cat "$SMEXEC"; printf '\n%s\n' "$1"; } | sha256sum | cut -d' ' -f1)"
}
# The ProcessCreate whose CommandLine is exactly "smexec ... $1"
event_of() {
	wait_line "<Data Name=\"CommandLine\">smexec " " $1</Data>" ||
		fail "no ProcessCreate for $1"
}

# Runs smexec "$@" (its last argument the marker) holding, checks its
# ProcessCreate: Image is $IMAGE (%i: the file's inode) and what
# /proc/PID/exe says ($EXE when the process changes it: unlinks its file),
# CommandLine "smexec hold MARKER" ($CMD), Hashes of /proc/PID/exe and of
# the copy made with marker $COPY (default: the marker). Sets PID (killed
# by then).
held() {
	local mk=${*: -1} line ino
	"$SMEXEC" "$@" &
	PID=$!
	line=$(event_of "$mk")
	ino=$(stat -L -c %i "/proc/$PID/exe")
	IMAGE=${IMAGE//%i/$ino}
	assert_eq "/proc/PID/exe ($1)" "$(readlink "/proc/$PID/exe")" "${EXE:-$IMAGE}"
	assert_eq "Image ($1)" "$(printf '%s\n' "$line" | field Image)" "$IMAGE"
	assert_eq "ProcessId ($1)" "$(printf '%s\n' "$line" | field ProcessId)" "$PID"
	assert_eq "CommandLine ($1)" "$(printf '%s\n' "$line" | field CommandLine)" \
		"${CMD:-smexec hold $mk}"
	assert_eq "Hashes ($1, of /proc/PID/exe)" "$(printf '%s\n' "$line" | field Hashes)" \
		"SHA256=$(sha256sum <"/proc/$PID/exe" | cut -d' ' -f1)"
	assert_eq "Hashes ($1, of the copy)" "$(printf '%s\n' "$line" | field Hashes)" "$(copy_hash "${COPY:-$mk}")"
	kill "$PID"
	wait "$PID" 2>/dev/null || true
}

# --- memfds ------------------------------------------------------------------
for how in memfd-at memfd-proc memfd-fexecve; do
	mk=${M}_$how
	IMAGE="/memfd:$mk (deleted)" held "$how" "$mk" hold "$mk"
	pass "$how: Image, Hashes and CommandLine of what ran"
done
# the process cache has the same Image: ProcessTerminate says it too
line=$(wait_line '<EventID>5<' "<Data Name=\"ProcessId\">$PID<") ||
	fail "no ProcessTerminate for the memfd-fexecve process $PID"
assert_eq "ProcessTerminate Image" "$(printf '%s\n' "$line" | field Image)" \
	"/memfd:${M}_memfd-fexecve (deleted)"
pass "ProcessTerminate names the memfd too"

# --- files without a name ----------------------------------------------------
IMAGE="$dir/del_$M (deleted)" held deleted "$dir/del_$M" hold "${M}_del"
pass "a file unlinked before its exec: PATH (deleted), its hash"
IMAGE="$dir/#%i (deleted)" held tmpfile "$dir" hold "${M}_tmp"
pass "an O_TMPFILE file never linked: DIR/#INO (deleted), its hash"
# unlinked by itself once running: it had its name at the exec
"$SMEXEC" copy "$dir/late_$M" "${M}_late"
IMAGE="$dir/late_$M" EXE="$dir/late_$M (deleted)" \
	CMD="smexec unlink $dir/late_$M ${M}_late" held path "$dir/late_$M" unlink "$dir/late_$M" "${M}_late"
[ ! -e "$dir/late_$M" ] || fail "late_$M was not unlinked"
pass "a file unlinked once running: its path at the exec, its hash"
# its ctime moved while sysmon read it (a chmod): the bytes of a running
# file cannot change (its exec shut out writers), so its hash, not
# Skipped=Changed. 512 MiB (sparse) keep sysmon reading long enough to
# see its fd on the file and chmod it then (smexec holds 60 s at most).
"$SMEXEC" copy "$dir/big_$M" "${M}_big"
truncate -s 512M "$dir/big_$M"
"$SMEXEC" path "$dir/big_$M" hold "${M}_big" &
PID=$!
reading=
for _ in $(seq 200); do
	[ -n "$(find "/proc/$SM_PID/fd" -lname "$dir/big_$M" 2>/dev/null)" ] && { reading=1; break; }
	sleep 0.02
done
[ -n "$reading" ] || fail "sysmon never had big_$M open (hashed too fast to race?)"
chmod 700 "$dir/big_$M"
line=$(event_of "${M}_big")
assert_eq "Hashes (ctime moved during the read)" "$(printf '%s\n' "$line" | field Hashes)" \
	"SHA256=$(sha256sum <"$dir/big_$M" | cut -d' ' -f1)"
kill "$PID"
wait "$PID" 2>/dev/null || true
pass "a running file chmod'ed while hashed: its hash"

# --- names -------------------------------------------------------------------
"$SMEXEC" copy "$dir/rel_$M" "${M}_rel"
IMAGE="$dir/rel_$M" held dirfd "$dir" "rel_$M" hold "${M}_rel"
pass "execveat(dirfd, relative name): the full path"
ln -s "rel_$M" "$dir/sym_$M"
IMAGE="$dir/rel_$M" COPY=${M}_rel held path "$dir/sym_$M" hold "${M}_sym"
pass "a symlink: the file it names"
ln "$dir/rel_$M" "$dir/hard_$M"
IMAGE="$dir/hard_$M" COPY=${M}_rel held path "$dir/hard_$M" hold "${M}_hard"
pass "a hard link: the link run"

# --- gone before sysmon looks ------------------------------------------------
# A process that exits at once may be gone before its file is opened: then
# only its hash or Skipped=Gone are right.
gone=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	for how in memfd-at deleted; do
		mk=${M}_x$how$i
		arg=$mk
		[ $how = memfd-at ] || arg=$dir/x_$mk
		"$SMEXEC" "$how" "$arg" exit "$mk"
		line=$(event_of "$mk")
		want="/memfd:$mk (deleted)"
		[ $how = memfd-at ] || want="$dir/x_$mk (deleted)"
		assert_eq "Image ($how, exited)" "$(printf '%s\n' "$line" | field Image)" "$want"
		h=$(printf '%s\n' "$line" | field Hashes)
		[ "$h" = Skipped=Gone ] && gone=$((gone + 1)) && continue
		assert_eq "Hashes ($how, exited)" "$h" "$(copy_hash "$mk")"
	done
done
pass "20 programs exiting at once: their hash or Skipped=Gone ($gone gone)"

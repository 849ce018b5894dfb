#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# FileCreate (11) for regular files made without an open(O_CREAT), with raw
# syscalls (tests/e2e/progs/filedoors.c): mknod(S_IFREG), mknodat (file
# type 0), an O_TMPFILE file linked into place with linkat(AT_EMPTY_PATH)
# and with linkat("/proc/self/fd/N", AT_SYMLINK_FOLLOW). Each event is
# checked against the file on disk; a hard link of a named file (by name
# and through /proc/self/fd) makes no file and no event. Extra sysmon
# switches (e.g. -ebpfobject v4_15 -perfbuffer) come as arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/progs/trig.sh"
if [ -z "${FILEDOORS:-}" ]; then
	FILEDOORS="$WORK/filedoors"
	cc -O1 -o "$FILEDOORS" "$SRC/tests/e2e/progs/filedoors.c" ||
		fail "cannot build filedoors"
fi
FD=$(readlink -f "$FILEDOORS")

m=$(marker doors)
D="$WORK/d_$m"
mkdir -p "$D/sub" "$D/open"
chmod 755 "$D" "$D/sub"
chmod 777 "$D/open"
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="exclude"/>
    <FileCreate onmatch="include">
      <TargetFilename name="doors" condition="contains">$m</TargetFilename>
    </FileCreate>
  </EventFiltering>
</Sysmon>
XML
: >"$D/$m.named" # before the monitor: its own creation is not logged
start_sysmon "$WORK/cfg.xml" "$@"
get() { printf '%s\n' "$ev" | field "$1"; }
mid=$(cut -c1-8 /etc/machine-id)

# check_made OUT PATH USER: the event for PATH names the file on disk (a
# regular file), the program's process and USER
check_made() {
	local out=$1 path=$2 user=$3
	[ -f "$path" ] || fail "$path was not made"
	ev=$(wait_event 11 "$path<") || fail "no FileCreate for $path"
	assert_eq "TargetFilename" "$(get TargetFilename)" "$(readlink -f "$path")"
	assert_eq "ProcessId ($path)" "$(get ProcessId)" "$(trig_pid "$out")"
	assert_eq "Image ($path)" "$(get Image)" "$FD"
	assert_eq "User ($path)" "$(get User)" "$user"
	assert_eq "RuleName ($path)" "$(get RuleName)" doors
	[[ "$(get ProcessGuid)" =~ ^\{$mid-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$ ]] ||
		fail "ProcessGuid $(get ProcessGuid)"
	assert_eq "FileCreate shape" "$(printf '%s\n' "$ev" | shape)" \
		"$(head -n1 "$SHARED/reference/samples/event_11_FileCreate.log" | shape)"
	[ "$(count_events 11 "$path<")" = 1 ] || fail "more than one FileCreate for $path"
}

# a hard link of a named file first: no event, checked after the others
"$FD" hardlink "$D/$m.named" "$D/$m.hard" >/dev/null
[ -f "$D/$m.hard" ] && [ -f "$D/$m.hard.fd" ] || fail "hard links not made"

# mknod(S_IFREG), by absolute path, as root
t0=$(date +%s.%N)
"$FD" mknod "$D/$m.mknod" >"$WORK/a.out"
check_made "$WORK/a.out" "$D/$m.mknod" root
assert_near "UtcTime (mknod)" "$(get UtcTime)" "$t0"
assert_eq "CreationUtcTime (mknod: the event time)" "$(get CreationUtcTime)" "$(get UtcTime)"
pass "FileCreate: mknod(S_IFREG)"

# mknodat, file type 0, relative to a directory fd, as nobody
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$FD" mknodat "$D/open" "./../open/$m.mknodat" >"$WORK/b.out"
check_made "$WORK/b.out" "$D/open/$m.mknodat" nobody
pass "FileCreate: mknodat (type 0) relative to a directory fd, as nobody"

# O_TMPFILE + linkat(fd, "", dfd, name, AT_EMPTY_PATH)
"$FD" tmpfile-empty-path "$D" "sub/$m.tmp1" >"$WORK/c.out"
check_made "$WORK/c.out" "$D/sub/$m.tmp1" root
assert_eq "CreationUtcTime (linked O_TMPFILE)" "$(get CreationUtcTime)" \
	"$(file_utc "$(stat -c %.9Z "$D/sub/$m.tmp1")")"
assert_eq "content" "$(cat "$D/sub/$m.tmp1")" made
pass "FileCreate: O_TMPFILE linked with linkat(AT_EMPTY_PATH)"

# O_TMPFILE + linkat("/proc/self/fd/N", AT_SYMLINK_FOLLOW), as nobody,
# relative to the working directory
(cd "$D/open" && setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$FD" tmpfile-proc-fd . "$m.tmp2") >"$WORK/d.out"
check_made "$WORK/d.out" "$D/open/$m.tmp2" nobody
pass "FileCreate: O_TMPFILE linked through /proc/self/fd/N, as nobody"

# the hard links (made before all of the above) logged nothing
assert_eq "FileCreate for hard links" "$(count_events 11 "$m.hard")" 0
assert_eq "FileCreate for the named file" "$(count_events 11 "$m.named")" 0
pass "hard links of a named file (by name, through /proc/self/fd): no FileCreate"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A second thread flips the name in the caller's buffer between two
# existing files while unlink / unlinkat / rmdir runs
# (tests/e2e/progs/unlinkrace.c): each call removes one of them, and the
# name in memory afterwards may be the other. Over at least 1,000 races per
# way, the TargetFilename of every FileDelete (23) and FileDeleteDetected
# (26) of the racing process is exactly the file that disappeared from
# disk. Ways: the last component flipped (name: unlink of an absolute
# name), the directory flipped under the same name (dir: unlinkat relative
# to the working directory), and rmdir of one of two empty directories.
# Places: ext4 (the test's directory; the kernel's dentry is read there for
# unlink), a tmpfs and an overlayfs whose upper layer is on ext4 (both
# mounted here; the kernel's own copy of the name is read there, and for
# rmdir everywhere). The flipper runs at the lowest real-time priority, so
# a busy machine still races each call. Extra sysmon switches come as
# arguments. SM_RACE_WAYS (default: every PLACE:WAY below) picks some.
. "$(dirname "$0")/lib.sh"

export LC_ALL=C
N=${SM_RACES:-1000}
WAYS=${SM_RACE_WAYS:-"ext4:name ext4:dir ext4:rmdir tmpfs:name tmpfs:dir tmpfs:rmdir ovl:name"}
if [ -z "${UNLINKRACE:-}" ]; then
	UNLINKRACE="$WORK/unlinkrace"
	cc -O1 -pthread -o "$UNLINKRACE" "$SRC/tests/e2e/progs/unlinkrace.c" ||
		fail "cannot build unlinkrace"
fi
UNLINKRACE=$(readlink -f "$UNLINKRACE")
D="$WORK/ur"
mkdir -p "$D/ext4" "$D/tmpfs" "$D/ovl" "$WORK/ovl/upper" "$WORK/ovl/work" \
	"$WORK/ovl/lower"
fstype=$(stat -f -c %T "$D/ext4")
[ "$fstype" = ext2/ext3 ] ||
	fail "$D is on $fstype: this test needs its directory on ext4"
# unmounted before lib.sh's cleanup removes $WORK
trap 'umount "$D/ovl" "$D/tmpfs" 2>/dev/null; cleanup' EXIT
mount -t tmpfs -o size=64m,mode=0700 sysmon-race "$D/tmpfs" ||
	fail "cannot mount a tmpfs on $D/tmpfs"
mount -t overlay -o "lowerdir=$WORK/ovl/lower,upperdir=$WORK/ovl/upper,workdir=$WORK/ovl/work" \
	sysmon-race "$D/ovl" || fail "cannot mount an overlayfs on $D/ovl"
assert_eq "tmpfs type" "$(stat -f -c %T "$D/tmpfs")" tmpfs
assert_eq "overlay type" "$(stat -f -c %T "$D/ovl")" overlayfs

cat >"$WORK/race.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <FileDelete onmatch="include">
      <TargetFilename condition="begin with">$D/</TargetFilename>
    </FileDelete>
    <FileDeleteDetected onmatch="include">
      <TargetFilename condition="begin with">$D/</TargetFilename>
    </FileDeleteDetected>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/race.xml" "$@"

# TargetFilenames of event $1 by pid $2, sorted, into $3; waits until there
# are $4 (or 30 s)
log_names() {
	for _ in $(seq 300); do
		new_log | grep -a ' sysmon' | grep -aF "<EventID>$1</EventID>" |
			grep -aF "<Data Name=\"ProcessId\">$2</Data>" |
			field TargetFilename | sort >"$3" || true
		[ "$(wc -l <"$3")" -ge "$4" ] && break
		sleep 0.1
	done
}

# race PLACE:WAY: at least N races; the disk's answer against the log's
BAD=0
race() {
	local place=${1%%:*} way=${1#*:} dir out pid rounds id extra missing
	dir="$D/$place/$way"
	out="$WORK/$place.$way.out"
	mkdir -p "$dir/a" "$dir/b"
	"$UNLINKRACE" "$way" "$dir" "$N" $((N * 20)) >"$out" ||
		fail "unlinkrace $1 failed"
	echo "$1: $(tail -n1 "$out")"
	pid=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$out")
	rounds=$(sed -n 's/^pid=.* rounds=\([0-9]*\) .*/\1/p' "$out")
	grep -q " races=$N " "$out" || fail "$1: fewer than $N races in $rounds rounds"
	! grep -Eq ' a=0 | b=0$' "$out" ||
		fail "$1: the race did not happen (every call removed the same one)"
	sed -n 's/^gone //p' "$out" | sort >"$out.disk"
	for id in 23 26; do
		log_names "$id" "$pid" "$out.$id" "$rounds"
		extra=$(comm -13 "$out.disk" "$out.$id" | wc -l)
		missing=$(comm -23 "$out.disk" "$out.$id" | wc -l)
		if [ "$extra" != 0 ] || [ "$missing" != 0 ]; then
			comm -3 "$out.disk" "$out.$id" | sed -n 1,6p >&2
			echo "FAIL: $1, event $id: $extra logged that were not removed, $missing removed not logged (of $rounds)" >&2
			BAD=1
		else
			pass "$1, event $id: $rounds deletes, $N of them raced; the log names exactly the removed files"
		fi
	done
}
for w in $WAYS; do race "$w"; done
[ "$BAD" = 0 ] || fail "the log named files that were not removed (above)"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A second thread flips the name in the caller's buffer between two
# existing files while unlink / unlinkat runs (tests/e2e/progs/unlinkrace.c):
# each call removes one of them, and the name in memory afterwards may be
# the other. Over at least 1,000 races per way, the TargetFilename of every
# FileDelete (23) and FileDeleteDetected (26) of the racing process is
# exactly the file that disappeared from disk: the last component flipped
# (unlink of an absolute name), and the directory flipped under the same
# name (unlinkat relative to the working directory); the flipper runs at
# the lowest real-time priority, so a busy machine still races each call.
# The test directory
# must be on ext4 (the kernel's dentry is read there); extra sysmon switches
# come as arguments. To measure elsewhere: SM_RACE_DIR (a directory on
# another file system; no ext4 check then) and SM_RACE_WAYS (default
# "name dir"; "rmdir" races rmdir of two empty directories).
. "$(dirname "$0")/lib.sh"

export LC_ALL=C
N=${SM_RACES:-1000}
if [ -z "${UNLINKRACE:-}" ]; then
	UNLINKRACE="$WORK/unlinkrace"
	cc -O1 -pthread -o "$UNLINKRACE" "$SRC/tests/e2e/progs/unlinkrace.c" ||
		fail "cannot build unlinkrace"
fi
UNLINKRACE=$(readlink -f "$UNLINKRACE")
D="$WORK/ur"
if [ -n "${SM_RACE_DIR:-}" ]; then
	D=$(mktemp -d "$SM_RACE_DIR/sysmon-ur.XXXXXX")
	trap 'rm -rf "$D"; cleanup' EXIT
fi
mkdir -p "$D/name" "$D/dir/a" "$D/dir/b" "$D/rmdir"
fstype=$(stat -f -c %T "$D")
[ -n "${SM_RACE_DIR:-}" ] || [ "$fstype" = ext2/ext3 ] ||
	fail "$D is on $fstype: this test needs its directory on ext4"

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

# race WAY: at least N races; the disk's answer against the log's
BAD=0
race() {
	local out="$WORK/$1.out" pid rounds id extra missing
	"$UNLINKRACE" "$1" "$D/$1" "$N" $((N * 20)) >"$out" || fail "unlinkrace $1 failed"
	tail -n1 "$out"
	pid=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$out")
	rounds=$(sed -n 's/^pid=.* rounds=\([0-9]*\) .*/\1/p' "$out")
	grep -q " races=$N " "$out" || fail "$1: fewer than $N races in $rounds rounds"
	! grep -Eq ' a=0 | b=0$' "$out" ||
		fail "$1: the race did not happen (every call removed the same one)"
	sed -n 's/^gone //p' "$out" | sort >"$WORK/$1.disk"
	for id in 23 26; do
		log_names "$id" "$pid" "$WORK/$1.$id" "$rounds"
		extra=$(comm -13 "$WORK/$1.disk" "$WORK/$1.$id" | wc -l)
		missing=$(comm -23 "$WORK/$1.disk" "$WORK/$1.$id" | wc -l)
		if [ "$extra" != 0 ] || [ "$missing" != 0 ]; then
			comm -3 "$WORK/$1.disk" "$WORK/$1.$id" | sed -n 1,6p >&2
			echo "FAIL: $1, event $id: $extra logged that were not removed, $missing removed not logged (of $rounds)" >&2
			BAD=1
		else
			pass "$1, event $id: $rounds deletes, $N of them raced; the log names exactly the removed files"
		fi
	done
}
for way in ${SM_RACE_WAYS:-name dir}; do race "$way"; done
[ "$BAD" = 0 ] || fail "the log named files that were not removed (above)"

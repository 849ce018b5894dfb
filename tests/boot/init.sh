#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the boot test's initramfs (busybox sh). Starts sysmon, runs the
# marker program, and reports on the console in lines starting "SMBOOT ",
# which boot_test.sh reads from the serial log. tracefs is NOT mounted
# here: sysmon must mount it itself. /etc/smboot.env sets MARKER,
# SYSMON_ARGS, START_WAIT and EVENT_WAIT.
export PATH=/bin
# shellcheck disable=SC1091 # made by boot_test.sh
. /etc/smboot.env

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run /tmp

# each report on a line of its own: a fresh line first, since the firmware
# leaves its last line (SeaBIOS "Booting from ROM...") without a newline
say() { printf '\nSMBOOT %s\n' "$*"; }
finish() {
	say "result $1"
	sync
	poweroff -f
	sleep 10
}
dump() { # name file: the file's lines, each prefixed, for the host's log
	while IFS= read -r l; do say "$1: $l"; done <"$2"
}

say "kernel $(uname -r)"
if [ -r /sys/kernel/btf/vmlinux ]; then
	say "btf /sys/kernel/btf/vmlinux present ($(wc -c </sys/kernel/btf/vmlinux) bytes)"
else
	say "btf /sys/kernel/btf/vmlinux missing"
fi
grep -q ' /sys/kernel/tracing ' /proc/mounts && say "note: tracefs already mounted"

# shellcheck disable=SC2086 # SYSMON_ARGS is a list of switches
/bin/sysmon -i /etc/smboot.xml -t $SYSMON_ARGS >/tmp/out 2>/tmp/err &
pid=$!
t0=$(date +%s)
started=
while [ $(($(date +%s) - t0)) -lt "$START_WAIT" ]; do
	started=$(grep -m1 '^sysmon started: ' /tmp/err)
	[ -n "$started" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
if [ -z "$started" ]; then
	kill -0 "$pid" 2>/dev/null && say "sysmon did not start within ${START_WAIT}s"
	kill -0 "$pid" 2>/dev/null || { wait "$pid"; say "sysmon exited with status $?"; }
	dump stderr /tmp/err
	finish FAIL
fi
say "started $started"
say "start-seconds $(($(date +%s) - t0))"
grep -q ' /sys/kernel/tracing ' /proc/mounts && say "tracefs mounted by sysmon"

/bin/smmark "$MARKER" &
mpid=$!
say "marker-pid $mpid"
t0=$(date +%s)
line=
while [ $(($(date +%s) - t0)) -lt "$EVENT_WAIT" ]; do
	# by pid: this loop's own greps name the marker too, and their events
	# may be logged first (an exec's event waits for its hash)
	line=$(grep -F '<EventID>1</EventID>' /tmp/out |
		grep -F "<Data Name=\"ProcessId\">$mpid</Data>" | grep -F -m1 "$MARKER")
	[ -n "$line" ] && break
	sleep 1
done
if [ -z "$line" ]; then
	kill "$pid"
	say "no ProcessCreate event with $MARKER within ${EVENT_WAIT}s"
	dump stderr /tmp/err
	say "events seen: $(grep -c '<Event>' /tmp/out)"
	finish FAIL
fi
say "event $line"

# the same program run from a memfd: its ProcessCreate names the memfd
/bin/smmark -memfd "$MARKER" &
fpid=$!
t0=$(date +%s)
fline=
while [ $(($(date +%s) - t0)) -lt "$EVENT_WAIT" ]; do
	fline=$(grep -F '<EventID>1</EventID>' /tmp/out |
		grep -F "<Data Name=\"ProcessId\">$fpid</Data>" |
		grep -F -m1 "<Data Name=\"CommandLine\">smmark $MARKER</Data>")
	[ -n "$fline" ] && break
	sleep 1
done
if [ -z "$fline" ]; then
	kill "$pid"
	say "no ProcessCreate event of the memfd run within ${EVENT_WAIT}s"
	dump stderr /tmp/err
	finish FAIL
fi
say "memfd-event $fline"

insmod /lib/modules/dummy.ko 2>/tmp/insmod.err
say "insmod $?"
dump insmod /tmp/insmod.err
t0=$(date +%s)
mline=
while [ $(($(date +%s) - t0)) -lt "$EVENT_WAIT" ]; do
	mline=$(grep -F -m1 '<EventID>6</EventID>' /tmp/out)
	[ -n "$mline" ] && break
	sleep 1
done
kill "$pid"
if [ -z "$mline" ]; then
	say "no DriverLoad event within ${EVENT_WAIT}s"
	dump stderr /tmp/err
	finish FAIL
fi
say "module-event $mline"
# once it has exited: a sanitized build's reports (leaks come at exit)
for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
grep -qE 'runtime error:|ERROR: [A-Za-z]+Sanitizer' /tmp/err && dump stderr /tmp/err
finish PASS

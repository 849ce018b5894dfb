#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The JSON-lines file (-jsonfile), end to end. One part per run:
#   same    every event type this suite can trigger (1 2 3 4 5 9 10 11 16
#           22 23 100 255), hostile bytes included: each JSON line equals
#           its XML event in syslog member by member (jsoncheck reads both
#           with code of its own, libxml2 for the XML)
#   rotate  100,000 FileCreate events, -nosyslog, rotated at 2 MiB: over
#           5 rotations, every line whole, every EventRecordID once, in order
#   full    the file on a small tmpfs that fills up: lines lost are counted
#           in LostRecords (through syslog), the monitor keeps running, and
#           writing resumes when space returns
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/progs/trig.sh"
part=${1:?usage: test_jsonsink.sh same|rotate|full}
shift
CHECK=${JSONCHECK:-}
if [ -z "$CHECK" ]; then
	CHECK=$WORK/jsoncheck
	cc -O1 -o "$CHECK" "$SRC/tests/e2e/progs/jsoncheck.c" \
		$(pkg-config --cflags --libs libxml-2.0) || fail "cannot build jsoncheck"
fi
m=$(marker json)
D=$WORK/d
mkdir -p "$D"

# JSON lines of the file(s) containing $1
json_count() { cat "$J" 2>/dev/null | grep -acF -- "$1" || true; }
wait_json() { # string count
	for _ in $(seq 150); do
		[ "$(json_count "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "the JSON file has $(json_count "$1") lines with $1, expected $2"
}

part_same() {
	local n loop port=53 out
	n="smj$(printf '%05d%05d%02d' $RANDOM $RANDOM $((RANDOM % 100)))"
	local label=${m//_/-}
	J=$WORK/json/events.json
	cp /bin/true "$D/true_$m"
	cp "$(command -v dd)" "$D/dd_$m"
	cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include"><Image condition="contains">$m</Image></ProcessCreate>
    <ProcessTerminate onmatch="include"><Image condition="contains">$m</Image></ProcessTerminate>
    <FileCreate onmatch="include"><TargetFilename condition="begin with">$D/</TargetFilename></FileCreate>
    <FileCreateTime onmatch="include"><TargetFilename condition="begin with">$D/</TargetFilename></FileCreateTime>
    <FileDelete onmatch="include"><TargetFilename condition="begin with">$D/</TargetFilename></FileDelete>
    <NetworkConnect onmatch="include"><Image condition="is">$(readlink -f "$BASH")</Image></NetworkConnect>
    <DnsQuery onmatch="include"><QueryName condition="contains">$label</QueryName></DnsQuery>
    <ProcessAccess onmatch="include"><SourceImage condition="is">$SMTRIG</SourceImage></ProcessAccess>
    <RawAccessRead onmatch="include"><Image condition="contains">$m</Image></RawAccessRead>
    <eBPFEvent onmatch="include"><BpfProgramName condition="is">$n</BpfProgramName></eBPFEvent>
  </EventFiltering>
</Sysmon>
XML
	start_sysmon "$WORK/cfg.xml" -jsonfile "$J" "$@"
	assert_eq "JSON directory mode" "$(stat -c %a "$WORK/json")" 700
	assert_eq "JSON file mode" "$(stat -c %a "$J")" 600
	"$D/true_$m" # 1, 5
	# 11, 2, 23: a name with every byte JSON and XML escape differently
	local hostile
	hostile="$D/$m"$'"\\<>&\t\n\r'$'\x01'$'\xff'"é"
	"$SMTRIG" open-creat "$hostile" >/dev/null
	"$SMTRIG" utime "$hostile" 1000000000 >/dev/null
	"$SMTRIG" unlink "$hostile" >/dev/null
	# 3 and 22: a DNS query to 127.0.0.1 (nobody answers: logged at stop)
	printf "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x$(printf %02x ${#label})%s\x07example\x00\x00\x01\x00\x01" \
		"$label" >/dev/udp/127.0.0.1/$port
	# 9
	dd if=/dev/zero of="$WORK/disk.img" bs=1k count=64 status=none
	loop=$(losetup -f --show "$WORK/disk.img") || fail "no loop device"
	at_exit losetup -d "$loop"
	"$D/dd_$m" if="$loop" of=/dev/null bs=512 count=1 status=none
	# 10
	# (its output elsewhere and SIGKILL at exit: a target that the
	# ptrace attach left stopped would ignore SIGTERM and hold the test's
	# output open, and ctest waited for it until the test timed out)
	sleep 30 >/dev/null 2>&1 &
	local victim=$!
	at_exit kill -KILL $victim
	"$SMTRIG" ptrace-attach "$victim" >/dev/null
	# 100
	"$SMTRIG" bpf-load "$n" >/dev/null
	# 255 (the configuration rejected on SIGHUP) and 16 (at start)
	echo '<Sysmon schemaversion="4.90"><Bogus/></Sysmon>' >"$WORK/cfg.xml"
	kill -HUP "$SM_PID"
	wait_event 255 ConfigRejected >/dev/null || fail "no Error event for the rejected configuration"
	wait_event 100 "$n" >/dev/null || fail "no eBPFEvent"
	local pid=$SM_PID
	stop_sysmon
	wait_stopped_line "$pid"
	newlog >"$WORK/syslog.part"
	out=$("$CHECK" same "$pid" "$WORK/syslog.part" "$J") || fail "JSON and XML differ (above)"
	[ -z "${JSON_SAMPLES:-}" ] || cp "$J" "$JSON_SAMPLES"
	echo "$out"
	assert_eq "event types compared" "${out#*ids=}" "1 2 3 4 5 9 10 11 16 22 23 100 255 "
	grep -aF '"EventID":"11"' "$J" | grep -qF '\"\\<>&\t\n\r' ||
		fail "the hostile file name is not escaped as expected in: $(grep -aF '"EventID":"11"' "$J")"
	pass "JSON = XML, field by field, for ${out%% ids=*} events of every type"
}

part_rotate() {
	local files=() out k
	J=$WORK/json/events.json
	cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include"/>
    <ProcessTerminate onmatch="include"/>
    <FileCreate onmatch="include"><TargetFilename condition="begin with">$D/</TargetFilename></FileCreate>
  </EventFiltering>
</Sysmon>
XML
	: >"$WORK/syslog.mark"
	start_sysmon "$WORK/cfg.xml" -jsonfile "$J" -rotate 2M,99 -nosyslog -buffer 65536 "$@"
	local t0=$SECONDS b
	# in steps of 10,000, each logged before the next: never more in the
	# kernel's buffer than it holds, on a slow (sanitized) build too
	for b in 1 2 3 4 5 6 7 8 9 10; do
		"$SMTRIG" creat-many "$D/$m" 10000 >/dev/null
		for _ in $(seq 300); do
			[ "$(cat "$J"* | grep -acF "\"TargetFilename\":\"$D/$m\"")" -ge $((b * 10000)) ] && break
			sleep 0.2
		done
	done
	local pid=$SM_PID
	stop_sysmon
	echo "100,000 events made and logged in $((SECONDS - t0)) s"
	for k in $(seq 99 -1 1); do [ -e "$J.$k" ] && files+=("$J.$k"); done
	files+=("$J")
	[ "${#files[@]}" -ge 6 ] || fail "only ${#files[@]} files: fewer than 5 rotations"
	out=$("$CHECK" seq "${files[@]}") || fail "the rotated files do not hold whole lines with consecutive EventRecordIDs (above)"
	echo "$out (${#files[@]} files)"
	assert_eq "FileCreate lines" "$(cat "${files[@]}" | grep -acF "\"TargetFilename\":\"$D/$m\"")" 100000
	assert_eq "Stopped is the last line" "$(tail -n1 "$J" | grep -c '"State":"Stopped"')" 1
	for k in "${files[@]}"; do
		[ "$(stat -c %a "$k")" = 600 ] || fail "$k is not 0600"
		[ "$(stat -c %s "$k")" -le $((2 << 20)) ] || fail "$k is over 2 MiB"
	done
	assert_eq "-nosyslog: sysmon lines in syslog" "$(newlog | grep -acF "<Execution ProcessID=\"$pid\" ")" 0
	pass "100,000 events in ${#files[@]} files: each EventRecordID once, in order"
}

part_full() {
	local fs=$WORK/full pid lost
	J=$fs/events.json
	mkdir "$fs"
	mount -t tmpfs -o size=512k,mode=0700 smjsonfull "$fs" || fail "cannot mount a tmpfs"
	at_exit umount -l "$fs" # (lazily: sysmon may still hold the file)
	cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include"><Image condition="is">/nothing</Image></ProcessCreate>
    <FileCreate onmatch="include"><TargetFilename condition="begin with">$D/</TargetFilename></FileCreate>
  </EventFiltering>
</Sysmon>
XML
	start_sysmon "$WORK/cfg.xml" -jsonfile "$J" "$@"
	pid=$SM_PID
	"$SMTRIG" creat-many "$D/${m}_a" 20 >/dev/null
	wait_json "${m}_a" 20
	dd if=/dev/zero of="$fs/filler" bs=4k status=none 2>/dev/null || true
	# (the file's last page may still take a few lines: tmpfs allocates
	# whole pages)
	"$SMTRIG" creat-many "$D/${m}_b" 50 >/dev/null
	wait_event 11 "${m}_b" >/dev/null || fail "no FileCreate in syslog while the disk is full"
	local written want
	written=$(json_count "${m}_b")
	[ "$written" -le 8 ] || fail "$written of 50 lines written to a full file system"
	want=$((50 - written))
	for _ in $(seq 50); do
		lost=$(newlog | grep -aF "<Execution ProcessID=\"$pid\" " | grep -aF LostRecords |
			sed -n 's/.*, \([0-9]*\) lines the JSON file did not take.*/\1/p' | tail -n1 || true)
		[ "${lost:-0}" -ge "$want" ] && break
		sleep 0.1
	done
	[ "${lost:-0}" -ge "$want" ] || fail "LostRecords in syslog counts ${lost:-no} JSON lines lost, expected $want or more"
	kill -0 "$pid" || fail "sysmon died on a full disk"
	rm -f "$fs/filler"
	"$SMTRIG" creat-many "$D/${m}_c" 10 >/dev/null
	wait_json "${m}_c" 10
	wait_json LostRecords 1
	"$CHECK" valid "$J" >/dev/null || fail "a line in the JSON file is not whole"
	stop_sysmon
	pass "full disk: $lost lines counted lost, sysmon kept running, writing resumed"
}

case $part in
same) part_same "$@" ;;
rotate) part_rotate "$@" ;;
full) part_full "$@" ;;
*) fail "unknown part $part" ;;
esac

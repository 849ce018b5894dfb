#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ProcessGuid names one process. A shell started before sysmon (so it is
# seeded from /proc) starts bench/execstorm, which runs one static binary
# N times (10,000) as fast as it can. Expected:
#  - N ProcessCreate events, N distinct ProcessGuids (same image, same
#    seconds: only pid and start tick tell them apart);
#  - each one's ParentProcessGuid is the GUID of its parent as logged: an
#    execstorm worker (fork child, never exec'd: its ProcessTerminate) or
#    execstorm itself (its ProcessCreate), with the parent's pid inside it;
#  - execstorm's ParentProcessGuid is the seeded shell's GUID, which this
#    test computes itself from /proc (the layout of sysmonCommon/guid.h).
# Arguments: EXECSTORM TINY [sysmon switches]
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

STORM=$1
TINY=$2
shift 2
N=${GUID_STORM:-10000}
M=$(marker guid)
cp "$TINY" "$WORK/tiny_$M"
TINY=$WORK/tiny_$M

cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="include">
      <Image condition="is">$STORM</Image>
    </ProcessTerminate>
  </EventFiltering>
</Sysmon>
XML

# The expected GUID of a live process, from /proc (machine id; start second
# low/high 16 bits; ticks into that second; pid; 16-bit fold of end_code).
proc_guid() {
	local pid=$1 st btime hz ticks ec sec fold mid
	st=$(sed 's/^.*) //' "/proc/$pid/stat")
	read -r -a f <<<"$st"
	ticks=${f[19]} # field 22: starttime
	ec=${f[24]}    # field 27: endcode
	btime=$(awk '/^btime/ {print $2}' /proc/stat)
	hz=$(getconf CLK_TCK)
	sec=$((btime + ticks / hz))
	fold=$(((ec ^ ec >> 16 ^ ec >> 32 ^ ec >> 48) & 0xffff))
	mid=$(head -c 8 /etc/machine-id | tr 'A-F' 'a-f')
	printf '{%s-%04x-%04x-%04x-%08x%04x}\n' "$mid" $((sec & 0xffff)) \
		$((sec >> 16)) $((ticks % hz)) "$pid" "$fold"
}

mkfifo "$WORK/go"
# the seeded parent: waits for sysmon, then starts the storm as its child
# (not its last command: bash would exec it in its own place)
bash -c 'read -r _ <"$1"; shift; "$@" >"'"$WORK"'/storm.out"; exit $?' _ "$WORK/go" \
	"$STORM" -r 0 -n "$N" -d 600 -p "$M" "$TINY" &
SHELL_PID=$!
for _ in $(seq 100); do # until it has exec'd bash (its own end_code)
	tr '\0' ' ' <"/proc/$SHELL_PID/cmdline" | grep -q 'read -r' && break
	sleep 0.1
done
want_parent=$(proc_guid "$SHELL_PID")

start_sysmon "$WORK/cfg.xml" "$@"
echo go >"$WORK/go"
wait "$SHELL_PID" || { cat "$WORK/storm.out"; fail "execstorm failed"; }
grep -q "started=$N failed=0" "$WORK/storm.out" || fail "storm: $(cat "$WORK/storm.out")"

# every tiny ProcessCreate (its argv[1] is $M<seq>) and the storm's own
for _ in $(seq 120); do
	[ "$(count_lines "<Data Name=\"Image\">$TINY<")" -ge "$N" ] && break
	sleep 1
done
new_log | grep -a ' sysmon' >"$WORK/all"
grep -aF "$M" "$WORK/all" >"$WORK/log"
grep -aF '<EventID>1<' "$WORK/log" | grep -aF "<Data Name=\"Image\">$TINY<" |
	sed -n 's/.*"ProcessGuid">\([^<]*\)<.*"ParentProcessGuid">\([^<]*\)<.*"ParentProcessId">\([^<]*\)<.*/\1 \2 \3/p' \
	>"$WORK/children"
assert_eq "ProcessCreate events of the storm" "$(wc -l <"$WORK/children")" "$N"
distinct=$(cut -d' ' -f1 "$WORK/children" | sort -u | wc -l)
assert_eq "distinct ProcessGuids" "$distinct" "$N"
pass "$N execs of one static binary: $N distinct ProcessGuids"

storm_create=$(grep -aF '<EventID>1<' "$WORK/log" | grep -aF "<Data Name=\"Image\">$STORM<") ||
	fail "no ProcessCreate for execstorm"
assert_eq "execstorm's ParentProcessGuid (the seeded shell)" \
	"$(printf '%s\n' "$storm_create" | field ParentProcessGuid)" "$want_parent"
pass "ParentProcessGuid of a child of a seeded process: $want_parent"

# the parents: execstorm (ProcessCreate) and its workers (ProcessTerminate)
{
	printf '%s %s\n' "$(printf '%s\n' "$storm_create" | field ProcessGuid)" \
		"$(printf '%s\n' "$storm_create" | field ProcessId)"
	grep -aF '<EventID>5<' "$WORK/all" | grep -aF "<Data Name=\"Image\">$STORM<" |
		sed -n 's/.*"ProcessGuid">\([^<]*\)<.*"ProcessId">\([^<]*\)<.*/\1 \2/p'
} | sort -u >"$WORK/parents"
cut -d' ' -f2,3 "$WORK/children" | sort -u >"$WORK/child_parents"
missing=$(join -v1 -j1 <(sort "$WORK/child_parents") <(sort "$WORK/parents") | head -n 3)
[ -z "$missing" ] || fail "ParentProcessGuid not among the logged parents: $missing (parents: $(cat "$WORK/parents"))"
# same GUID, same pid
while read -r g p; do
	grep -qxF "$g $p" "$WORK/parents" || fail "ParentProcessGuid $g with ParentProcessId $p"
done <"$WORK/child_parents"
pass "every ParentProcessGuid is its parent's logged ProcessGuid ($(wc -l <"$WORK/child_parents") parents)"

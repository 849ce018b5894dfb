#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ProcessAccess (10) end to end: ptrace ATTACH and SEIZE, process_vm_readv
# and process_vm_writev from a real program, exact values. Extra sysmon
# switches come as arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/progs/trig.sh"

m=$(marker pa)
text="t$RANDOM$RANDOM"
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <FieldSizes>TargetImage:10</FieldSizes>
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="exclude"/>
    <RuleGroup name="" groupRelation="or">
      <ProcessAccess onmatch="include">
        <Rule name="pa_attach" groupRelation="and">
          <GrantedAccess condition="is">0x1fffff</GrantedAccess>
          <TargetImage condition="end with">sleep</TargetImage>
        </Rule>
        <GrantedAccess name="pa_read" condition="is">0x10</GrantedAccess>
        <GrantedAccess name="pa_write" condition="is">0x20</GrantedAccess>
      </ProcessAccess>
    </RuleGroup>
  </EventFiltering>
</Sysmon>
XML

# a target older than the monitor
sleep 300 >/dev/null 2>&1 &
old=$!
at_exit kill "$old"
start_sysmon "$WORK/cfg.xml" "$@"
get() { printf '%s\n' "$ev" | field "$1"; }

# ---- ptrace attach to a process that started before sysmon ----
t0=$(date +%s.%N)
"$SMTRIG" ptrace-attach "$old" >"$WORK/a.out"
src=$(trig_pid "$WORK/a.out")
ev=$(wait_event 10 "<Data Name=\"SourceProcessId\">$src</Data>") || fail "no ProcessAccess for ptrace attach"
assert_eq SourceProcessId "$(get SourceProcessId)" "$src"
assert_eq SourceThreadId "$(get SourceThreadId)" "$(trig_tid "$WORK/a.out")"
assert_eq SourceImage "$(get SourceImage)" "$SMTRIG"
assert_eq TargetProcessId "$(get TargetProcessId)" "$old"
assert_eq "TargetImage (FieldSizes 10)" "$(get TargetImage)" "/usr/bi..."
assert_eq GrantedAccess "$(get GrantedAccess)" 0x1fffff
assert_eq CallTrace "$(get CallTrace)" "-"
assert_eq SourceUser "$(get SourceUser)" root
assert_eq TargetUser "$(get TargetUser)" root
assert_eq RuleName "$(get RuleName)" pa_attach
assert_near UtcTime "$(get UtcTime)" "$t0"
tguid=$(get TargetProcessGUID)
sguid=$(get SourceProcessGUID)
mid=$(cut -c1-8 /etc/machine-id)
[[ "$tguid" =~ ^\{$mid- ]] && [ "$tguid" != "$sguid" ] || fail "TargetProcessGUID $tguid"
started=$(( $(date +%s) - $(ps -o etimes= -p "$old") ))
gdiff=$(( $(guid_time "$tguid") - started ))
[ "${gdiff#-}" -le 2 ] || fail "TargetProcessGUID start time off by ${gdiff}s"
pc=$(wait_event 1 "<Data Name=\"ProcessId\">$src</Data>") || fail "no ProcessCreate for the tracer"
assert_eq "SourceProcessGUID" "$sguid" "$(printf '%s' "$pc" | field ProcessGuid)"
assert_eq "ProcessAccess shape" "$(printf '%s\n' "$ev" | shape)" \
	"$(head -n1 "$SHARED/reference/samples/event_10_ProcessAccess.log" | shape)"
pass "ProcessAccess: ptrace attach to a process older than sysmon"

# ---- ptrace seize, both sides nobody ----
setpriv --reuid=65534 --regid=65534 --clear-groups sleep 300 >/dev/null 2>&1 &
young=$!
at_exit kill "$young"
# the target is sleep once its ProcessCreate (setpriv's exec of it) is logged
pc=$(wait_event 1 "<Data Name=\"ProcessId\">$young</Data>" "<Data Name=\"Image\">$(readlink -f "$(command -v sleep)")</Data>") ||
	fail "no ProcessCreate for the target"
setpriv --reuid=65534 --regid=65534 --clear-groups "$SMTRIG" ptrace-seize "$young" >"$WORK/s.out"
src=$(trig_pid "$WORK/s.out")
ev=$(wait_event 10 "<Data Name=\"SourceProcessId\">$src</Data>") || fail "no ProcessAccess for ptrace seize"
assert_eq "TargetProcessId (seize)" "$(get TargetProcessId)" "$young"
assert_eq "SourceUser (seize)" "$(get SourceUser)" nobody
assert_eq "TargetUser (seize)" "$(get TargetUser)" nobody
assert_eq "GrantedAccess (seize)" "$(get GrantedAccess)" 0x1fffff
assert_eq "TargetProcessGUID (seize)" "$(get TargetProcessGUID)" "$(printf '%s' "$pc" | field ProcessGuid)"
kill "$young" "$old" 2>/dev/null || true
pass "ProcessAccess: ptrace seize as nobody"

# ---- process_vm_readv / process_vm_writev ----
"$SMTRIG" serve "$text" >"$WORK/serve.out" 2>&1 &
srv=$!
at_exit kill "$srv"
for _ in $(seq 50); do grep -q addr= "$WORK/serve.out" && break; sleep 0.1; done
addr=$(sed -n 's/.*addr=0x\([0-9a-f]*\).*/\1/p' "$WORK/serve.out")
"$SMTRIG" vm-read "$srv" "$addr" >"$WORK/r.out"
grep -q "text=$text" "$WORK/r.out" || fail "process_vm_readv did not read the text"
src=$(trig_pid "$WORK/r.out")
ev=$(wait_event 10 "<Data Name=\"SourceProcessId\">$src</Data>") || fail "no ProcessAccess for process_vm_readv"
assert_eq "GrantedAccess (read)" "$(get GrantedAccess)" 0x10
assert_eq "TargetProcessId (read)" "$(get TargetProcessId)" "$srv"
assert_eq "TargetImage (read)" "$(get TargetImage)" "$(printf '%s' "$SMTRIG" | cut -c1-7)..."
assert_eq "RuleName (read)" "$(get RuleName)" pa_read
"$SMTRIG" vm-write "$srv" "$addr" "w$text" >"$WORK/w.out"
src=$(trig_pid "$WORK/w.out")
ev=$(wait_event 10 "<Data Name=\"SourceProcessId\">$src</Data>") || fail "no ProcessAccess for process_vm_writev"
assert_eq "GrantedAccess (write)" "$(get GrantedAccess)" 0x20
assert_eq "RuleName (write)" "$(get RuleName)" pa_write
pc=$(wait_event 1 "<Data Name=\"ProcessId\">$srv</Data>") || fail "no ProcessCreate for the served process"
assert_eq "TargetProcessGUID (write)" "$(get TargetProcessGUID)" "$(printf '%s' "$pc" | field ProcessGuid)"
"$SMTRIG" vm-read "$srv" "$addr" | grep -q "text=w$text" || fail "process_vm_writev did not write"
kill "$srv"
pass "ProcessAccess: process_vm_readv and process_vm_writev"

# ---- a thread of the target's fork child, the target named by one of its
# thread ids, everyone gone at once (none of them exec'd) ----
"$SMTRIG" vm-family >"$WORK/f.out"
val() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" "$WORK/f.out"; }
grep -qx "written=w-family-secret" "$WORK/f.out" || fail "vm-family: $(cat "$WORK/f.out")"
[ "$(val read)" = family-secret ] || fail "vm-family read $(val read)"
tp=$(val target)
[ "$(val target_thread)" != "$tp" ] || fail "the target thread is the target's main thread"
pe=$(wait_event 5 "<Data Name=\"ProcessId\">$tp</Data>") || fail "no ProcessTerminate for the target"
ce=$(wait_event 5 "<Data Name=\"ProcessId\">$(val source)</Data>") || fail "no ProcessTerminate for the source"
for acc in 0x10 0x20; do
	ev=$(wait_event 10 "<Data Name=\"SourceThreadId\">$(val source_thread)</Data>" \
		"<Data Name=\"GrantedAccess\">$acc</Data>") || fail "no ProcessAccess $acc by the fork child's thread"
	assert_eq "SourceProcessId ($acc)" "$(get SourceProcessId)" "$(val source)"
	assert_eq "SourceImage ($acc)" "$(get SourceImage)" "$SMTRIG"
	assert_eq "SourceProcessGUID ($acc)" "$(get SourceProcessGUID)" "$(printf '%s' "$ce" | field ProcessGuid)"
	assert_eq "TargetProcessId ($acc: the process of the thread id)" "$(get TargetProcessId)" "$tp"
	assert_eq "TargetImage ($acc)" "$(get TargetImage)" "$(printf '%s' "$SMTRIG" | cut -c1-7)..."
	assert_eq "TargetProcessGUID ($acc)" "$(get TargetProcessGUID)" "$(printf '%s' "$pe" | field ProcessGuid)"
	assert_eq "SourceUser ($acc)" "$(get SourceUser)" root
	assert_eq "TargetUser ($acc)" "$(get TargetUser)" root
done
[ "$(printf '%s' "$pe" | field ProcessGuid)" != "$(printf '%s' "$ce" | field ProcessGuid)" ] ||
	fail "the target and the source have one ProcessGuid"
pass "ProcessAccess: by a thread of a fork child, through a thread id, all gone at once"

assert_wellformed "<EventID>10</EventID>"
pass "lines are well-formed XML"

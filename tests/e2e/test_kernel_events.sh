#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# eBPFEvent (100) and DriverLoad (6) end to end. eBPF: BPF_PROG_LOAD,
# BPF_PROG_ATTACH and BPF_LINK_CREATE from a real program, exact values.
# DriverLoad: a module load is attempted; on a kernel without module
# support (no init_module/finit_module at all) only sysmon's notice that it
# cannot watch module loads is checked, and the output says so: a real
# module load is the boot tests' (ctest -L boot), the decoding the unit
# test test_ev_kernel's.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/progs/trig.sh"

# program names: 15 characters (the kernel keeps 15), unique per run
n1="smk$(printf '%05d%05d%02d' $RANDOM $RANDOM $((RANDOM % 100)))"
n2="sma${n1:3}"
n3="sml${n1:3}"
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <FieldSizes>BpfProgramName:10</FieldSizes>
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <RuleGroup name="" groupRelation="or">
      <eBPFEvent onmatch="include">
        <BpfProgramName name="bpf_load" condition="is">$n1</BpfProgramName>
        <Rule name="bpf_attach" groupRelation="and">
          <BpfCommand condition="is">BPF_PROG_ATTACH</BpfCommand>
          <BpfProgramType condition="is">CGROUP_SKB</BpfProgramType>
        </Rule>
        <BpfCommand name="bpf_link" condition="is">BPF_LINK_CREATE</BpfCommand>
        <BpfProgramName name="bpf_other" condition="begin with">sm</BpfProgramName>
      </eBPFEvent>
    </RuleGroup>
    <DriverLoad onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"
get() { printf '%s\n' "$ev" | field "$1"; }

# ---- BPF_PROG_LOAD ----
t0=$(date +%s.%N)
"$SMTRIG" bpf-load "$n1" >"$WORK/l.out"
pid=$(trig_pid "$WORK/l.out")
id=$(sed -n 's/^id=//p' "$WORK/l.out")
ev=$(wait_event 100 "<Data Name=\"BpfProgramId\">$id</Data>") || fail "no eBPFEvent for BPF_PROG_LOAD"
assert_eq BpfCommand "$(get BpfCommand)" BPF_PROG_LOAD
assert_eq BpfProgramType "$(get BpfProgramType)" SOCKET_FILTER
assert_eq "BpfProgramName (FieldSizes 10)" "$(get BpfProgramName)" "${n1:0:7}..."
assert_eq ProcessId "$(get ProcessId)" "$pid"
assert_eq Image "$(get Image)" "$SMTRIG"
assert_eq User "$(get User)" root
assert_eq RuleName "$(get RuleName)" bpf_load
assert_near UtcTime "$(get UtcTime)" "$t0"
pc=$(wait_event 1 "<Data Name=\"ProcessId\">$pid</Data>") || fail "no ProcessCreate for $pid"
assert_eq ProcessGuid "$(get ProcessGuid)" "$(printf '%s' "$pc" | field ProcessGuid)"
assert_eq "eBPFEvent fields" "$(printf '%s' "$ev" | names)" \
	"$(head -n1 "$SHARED/reference/samples/event_100_eBPFProgramLoaded.log" | names)"
pass "eBPFEvent: BPF_PROG_LOAD"

# ---- BPF_PROG_ATTACH and BPF_LINK_CREATE, to an empty cgroup ----
cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg" ] || fail "no cgroup2 mount to attach to"
mkdir "$cg/$n1"
at_exit rmdir "$cg/$n1"
"$SMTRIG" bpf-attach "$cg/$n1" "$n2" >"$WORK/a.out"
id=$(sed -n 's/^id=//p' "$WORK/a.out")
ev=$(wait_event 100 "<Data Name=\"BpfProgramId\">$id</Data>" BPF_PROG_ATTACH) || fail "no eBPFEvent for BPF_PROG_ATTACH"
assert_eq "BpfProgramType (attach)" "$(get BpfProgramType)" CGROUP_SKB
assert_eq "RuleName (attach)" "$(get RuleName)" bpf_attach
assert_eq "ProcessId (attach)" "$(get ProcessId)" "$(trig_pid "$WORK/a.out")"
ev=$(wait_event 100 "<Data Name=\"BpfProgramId\">$id</Data>" BPF_PROG_LOAD) || fail "no eBPFEvent for the load before the attach"
assert_eq "RuleName (load of $n2)" "$(get RuleName)" bpf_other
"$SMTRIG" bpf-link "$cg/$n1" "$n3" >"$WORK/k.out"
id=$(sed -n 's/^id=//p' "$WORK/k.out")
ev=$(wait_event 100 "<Data Name=\"BpfProgramId\">$id</Data>" BPF_LINK_CREATE) || fail "no eBPFEvent for BPF_LINK_CREATE"
assert_eq "BpfProgramType (link)" "$(get BpfProgramType)" CGROUP_SKB
assert_eq "BpfProgramName (link)" "$(get BpfProgramName)" "${n3:0:7}..."
assert_eq "RuleName (link)" "$(get RuleName)" bpf_link
pass "eBPFEvent: BPF_PROG_ATTACH and BPF_LINK_CREATE"

# the monitor's own programs are never reported
assert_eq "sysmon's own loads" "$(newlog | grep -aF '<EventID>100</EventID>' | grep -acF "<Data Name=\"ProcessId\">$SM_PID</Data>" || true)" 0

# ---- DriverLoad (6) ----
if [ ! -e /proc/modules ]; then
	grep -q "no tracepoint sys_enter_finit_module" "$WORK/start.out" ||
		fail "sysmon did not say that module loads cannot be watched"
	pass "DriverLoad: ran only the check that sysmon says it cannot watch module" \
	     "loads (this kernel has no module support); NOT run here: a module load" \
	     "(boot tests: ctest -L boot; decoding: unit test test_ev_kernel)"
else
	mod=$(find "/lib/modules/$(uname -r)" -name 'dummy.ko*' 2>/dev/null | head -n1)
	if [ -z "$mod" ] || ! modprobe -n dummy 2>/dev/null; then
		[ "${CI:-}" != true ] || fail "DriverLoad: no loadable test module (dummy) on CI: install this kernel's modules"
		echo "NOT RUN: DriverLoad module load: no loadable test module (dummy) on this" \
		     "machine (boot tests: ctest -L boot; decoding: unit test test_ev_kernel)"
	else
		lsmod | grep -q '^dummy ' && modprobe -r dummy
		modprobe dummy
		ev=$(wait_event 6 "dummy") || fail "no DriverLoad for dummy"
		case "$mod" in
		*.ko) assert_eq "Hashes (module)" "$(get Hashes)" "SHA256=$(sha256sum "$mod" | cut -d' ' -f1)" ;;
		esac
		modprobe -r dummy
		pass "DriverLoad: modprobe dummy"
	fi
fi

assert_wellformed "<EventID>100</EventID>"
pass "lines are well-formed XML"

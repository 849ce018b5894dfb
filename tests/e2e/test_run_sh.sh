#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# README's two commands in a newcomer's order: with a service installed
# (as installer/quickstart.sh leaves it), tests/run.sh says it stops it,
# runs the tests (here e2e_service_reinstall, which installs its own
# service and ends by deleting /opt/sysmon) and installs it again: same
# binary, configuration (and its name), switches; record IDs go on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/service_lib.sh"

BUILD=${BUILD:-$(cd "$(dirname "$SYSMON")/.." && pwd)}
cat >"$WORK/a.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude">
      <CommandLine condition="contains">smk_excluded_a</CommandLine>
    </ProcessCreate>
  </EventFiltering>
</Sysmon>
XML
chmod 755 "$WORK"

install_sysmon "$WORK/a.xml" -udpwindow 30
svc=$(service_pid)
wait_event 4 "$svc" '<Data Name="State">Started</Data>' >/dev/null || fail "no Started event"
(cd /opt/sysmon && sha256sum $(ls -A)) >"$WORK/files.before"

BUILD_DIR=$BUILD CTEST_ARGS="-R ^e2e_service_reinstall$" "$SRC/tests/run.sh" >"$WORK/run.out" 2>&1 ||
	{ cat "$WORK/run.out"; fail "tests/run.sh with a service installed"; }
grep -q "^tests/run.sh: stopping the installed sysmon service" "$WORK/run.out" || { cat "$WORK/run.out"; fail "run.sh did not say it stops the service"; }
grep -q "100% tests passed, 0 tests failed out of 1" "$WORK/run.out" || { cat "$WORK/run.out"; fail "the tests did not pass"; }
stopped=$(wait_event 4 "$svc" '<Data Name="State">Stopped</Data>') || fail "the service was not stopped"

new=$(service_pid)
[ -n "$new" ] && [ "$new" != "$svc" ] || fail "no service again after tests/run.sh"
(cd /opt/sysmon && sha256sum $(ls -A)) | diff "$WORK/files.before" - || fail "/opt/sysmon is not as it was"
cc=$(wait_event 16 "$new" "<Data Name=\"Configuration\">$WORK/a.xml</Data>") || fail "no ConfigChange naming a.xml after the run"
[ "$(record_id "$cc")" -gt "$(record_id "$stopped")" ] || fail "record IDs repeat: $(record_id "$cc") <= $(record_id "$stopped")"
x="smk_excluded_a_$(marker x)"; y=$(marker y)
/bin/echo "$x" >/dev/null; /bin/echo "$y" >/dev/null
wait_event 1 "$new" "$(echoed "$y")" >/dev/null || fail "no ProcessCreate for $y"
assert_eq "excluded marker lines" "$(count_lines "$(echoed "$x")")" 0
pass "tests/run.sh stopped the installed service and installed it again as it was (pid $svc -> $new, record IDs $(record_id "$stopped") -> $(record_id "$cc"))"

"$SYSMON" -u purge >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "-u purge"; }
INSTALLED=

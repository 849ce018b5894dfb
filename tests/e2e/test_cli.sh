#!/usr/bin/env bash
# Bad input and misuse: missing, unreadable and malformed configs are
# refused with file:line: reason and leave nothing running; a second
# instance refuses to start; -s prints the schema; -? prints usage.
. "$(dirname "$0")/lib.sh"

expect_fail() { # expect_fail <what> <needle> <args...>
	local what=$1 needle=$2 rc=0
	shift 2
	"$SYSMON" "$@" >"$WORK/out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "$what: exit 0"
	grep -qF -- "$needle" "$WORK/out" || { cat "$WORK/out"; fail "$what: no '$needle'"; }
	[ ! -s /run/sysmon.pid ] || ! kill -0 "$(cat /run/sysmon.pid)" 2>/dev/null ||
		fail "$what: sysmon left running"
	pass "$what"
}

expect_fail "missing config" "$WORK/nope.xml" -i "$WORK/nope.xml"
printf '<Sysmon schemaversion="4.90">\n<EventFiltering>\n<ProcessCreate onmatch="include">\n</Sysmon>\n' >"$WORK/bad.xml"
expect_fail "malformed config" "$WORK/bad.xml:" -i "$WORK/bad.xml"
printf '<Sysmon schemaversion="4.90"/>' >"$WORK/unreadable.xml"
chmod 000 "$WORK/unreadable.xml"
# root reads anything: make it a directory instead to get a read error
mkdir "$WORK/dir.xml"
expect_fail "unreadable config" "$WORK/dir.xml" -i "$WORK/dir.xml"
expect_fail "unknown switch" "unknown switch" -bogus

start_sysmon
first=$(cat /run/sysmon.pid)
expect_fail_running() {
	local rc=0
	"$SYSMON" -i >"$WORK/out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "second instance: exit 0"
	grep -q "already running (pid $first)" "$WORK/out" || { cat "$WORK/out"; fail "second instance message"; }
	kill -0 "$first" || fail "first instance died"
	assert_eq "pid file" "$(cat /run/sysmon.pid)" "$first"
	pass "second instance refused"
}
expect_fail_running
stop_sysmon
[ ! -e /run/sysmon.pid ] || fail "pid file left after stop"

"$SYSMON" -s >"$WORK/schema.xml"
xmllint --noout "$WORK/schema.xml" || fail "schema is not XML"
grep -q 'schemaversion="4.90"' "$WORK/schema.xml" || fail "schema version"
pass "-s prints the schema"
"$SYSMON" -? | grep -q -- "-i \[config\]" || fail "usage"
"$SYSMON" -HELP | grep -q -- "-s \[version|all\]" || fail "usage (case-insensitive)"
pass "usage"

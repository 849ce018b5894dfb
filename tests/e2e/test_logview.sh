#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sysmonLogView on the real log: a monitor logs a process with a hostile
# command line (a newline followed by a fake event header, an ESC
# sequence, XML's special characters); sysmonLogView, following the syslog
# as `tail -f` does, shows its ProcessCreate as it comes, and, over the
# whole new log, shows exactly its ProcessCreate and ProcessTerminate:
# every field as in the XML line, the command line with its newline
# escaped.
. "$(dirname "$0")/lib.sh"
: "${LOGVIEW:?}"

start_sysmon

# follow the log, as `tail -f /var/log/syslog | sysmonLogView ...` does
mkfifo "$WORK/fifo"
tail -n0 -F "$SYSLOG" >"$WORK/fifo" 2>/dev/null &
tpid=$!
trap 'kill $tpid 2>/dev/null || true; cleanup' EXIT
"$LOGVIEW" -e 1 -f Image=/usr/bin/echo -E 1=ProcessId,CommandLine \
	<"$WORK/fifo" >"$WORK/follow" 2>"$WORK/follow.err" &
vpid=$!
# (tail reads the log once it has it open: a line logged before is missed)
for _ in $(seq 100); do
	ls -l "/proc/$tpid/fd" 2>/dev/null | grep -q " -> $SYSLOG\$" && break
	sleep 0.1
done

m=$(marker lv)
/usr/bin/echo "$m" "a&b<c>" $'x\nEvent ProcessCreate: EventID 1' $'\e[2J' >/dev/null &
child=$!
wait $child
# what the command line must look like: the newline as \n, ESC (which the
# XML carries as U+FFFD) as that character
cmd="/usr/bin/echo $m a&b<c> x\\nEvent ProcessCreate: EventID 1 "$'\xef\xbf\xbd'"[2J"

pc=$(wait_line "<Data Name=\"ProcessId\">$child</Data>" "<EventID>1<") || fail "no ProcessCreate of $child"
wait_line "<Data Name=\"ProcessId\">$child</Data>" "<EventID>5<" >/dev/null ||
	fail "no ProcessTerminate of $child"
pt=$(new_log | grep -a "<EventID>5<" | grep -aF "<Data Name=\"ProcessId\">$child</Data>")

# The blocks the lines must give: the System values, then each Data
# element as TAB Name: value, entities decoded, the newline escaped.
model() { # < one syslog line
	local line id rec time name
	line=$(cat)
	id=$(sed -n 's/.*<EventID>\([0-9]*\)<.*/\1/p' <<<"$line")
	rec=$(sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p' <<<"$line")
	time=$(sed -n 's/.*<TimeCreated SystemTime="\([^"]*\)".*/\1/p' <<<"$line")
	name=$([ "$id" = 1 ] && echo ProcessCreate || echo ProcessTerminate)
	printf 'Event %s: EventID %s, EventRecordID %s, TimeCreated %s\n' "$name" "$id" "$rec" "$time"
	grep -o '<Data Name="[^"]*">[^<]*</Data>' <<<"$line" |
		sed -E -e 's/<Data Name="([^"]*)">([^<]*)<\/Data>/\t\1: \2/' \
		       -e 's/&lt;/</g; s/&gt;/>/g; s/&#10;/\\n/g; s/&amp;/\&/g'
}
{ model <<<"$pc"; model <<<"$pt"; } >"$WORK/want"
grep -qxF "	CommandLine: $cmd" "$WORK/want" || fail "the XML line's CommandLine is not what was run"

new_log | "$LOGVIEW" -e 1,5 -f "ProcessId=$child" >"$WORK/got" 2>"$WORK/err"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "sysmonLogView reported malformed lines"; }
diff -u "$WORK/want" "$WORK/got" || fail "sysmonLogView's blocks differ from the log's lines"
assert_eq "lines" "$(wc -l <"$WORK/got")" "$(($(grep -o '<Data ' <<<"$pc$pt" | wc -l) + 2))"
pass "ProcessCreate and ProcessTerminate of $child shown exactly, the hostile command line escaped"

# the follower showed the ProcessCreate as it came (no buffering)
for _ in $(seq 100); do
	grep -qxF "	ProcessId: $child" "$WORK/follow" && break
	sleep 0.1
done
grep -A1 -xF "	ProcessId: $child" "$WORK/follow" >"$WORK/follow.pc" ||
	{ cat "$WORK/follow"; fail "the follower did not show the ProcessCreate"; }
assert_eq "followed" "$(cat "$WORK/follow.pc")" "	ProcessId: $child
	CommandLine: $cmd"
kill $tpid # the end of its input for sysmonLogView
wait $vpid || fail "sysmonLogView exited $? at the end of its input"
[ ! -s "$WORK/follow.err" ] || { cat "$WORK/follow.err"; fail "the follower reported malformed lines"; }
pass "tail -F | sysmonLogView -e 1 -f Image=... -E 1=...: shown as it came"
stop_sysmon

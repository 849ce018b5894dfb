#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sysmonLogView against the reference's own syslog lines (the shared
# samples): every event shown exactly (compared with a model of the lines
# made here with sed), and each usage example of the reference's
# sysmonLogView README, unchanged, selects exactly the events it should.
# Usage: check_logview.sh SYSMONLOGVIEW SAMPLES_DIR SCHEMA_XML
set -euo pipefail
view=$1
samples=$2
SCHEMA=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat "$samples"/*.log >"$work/in"
# a few lines that are not events, as in a real syslog
{ echo "2026-11-22T16:40:30.000000+00:00 vm systemd[1]: Started sysmon.service"
  cat "$work/in"
  echo "2026-11-22T16:40:31.000000+00:00 vm CRON[77]: (root) CMD (true)"
} >"$work/syslog"
n=$(wc -l <"$work/in")

# The model: the header from the System part, a line per Data element.
model() { # < syslog lines
	sed -E 's/.*<EventID>([0-9]+)<.*<TimeCreated SystemTime="([^"]*)".*<EventRecordID>([0-9]+)<.*/\1 \3 \2\t&/' |
	while IFS=$'\t' read -r head line; do
		read -r id rec time <<<"$head"
		name=$(sed -n "s/.*<event name=\"\([A-Za-z]*\)\" value=\"$id\".*/\1/p" "$SCHEMA")
		printf 'Event %s: EventID %s, EventRecordID %s, TimeCreated %s\n' "$name" "$id" "$rec" "$time"
		grep -o '<Data Name="[^"]*">[^<]*</Data>' <<<"$line" |
			sed -E 's/<Data Name="([^"]*)">([^<]*)<\/Data>/\t\1: \2/'
	done
}
model <"$work/in" >"$work/want"
"$view" <"$work/syslog" >"$work/got" 2>"$work/err"
[ ! -s "$work/err" ] || { cat "$work/err"; fail "messages on standard error"; }
diff -u "$work/want" "$work/got" || fail "the samples are not shown as the model says"
[ "$(grep -c '^Event ' "$work/got")" = "$n" ] || fail "not $n events"
echo "ok: the $n sample events, field by field"

headers() { grep '^Event ' | sed -E 's/.*EventRecordID ([0-9]+),.*/\1/' | sort -n | tr '\n' ' '; }
records() { # grep pattern < lines: the EventRecordIDs of the matching lines
	grep -E "$1" | sed -E 's/.*<EventRecordID>([0-9]+)<.*/\1/' | sort -n | tr '\n' ' '
}
check() { # description want got
	[ "$2" = "$3" ] || fail "$1: records [$3], want [$2]"
	echo "ok: $1: [$3]"
}

# the README's examples, unchanged
check "-e 1,5" "$(records '<EventID>(1|5)</EventID>' <"$work/in")" \
	"$("$view" -e 1,5 <"$work/syslog" | headers)"
check "-r 25,30 (no sample record in range)" "" "$("$view" -r 25,30 <"$work/syslog" | headers)"
check "-t \"2021-01-01 09:00,2021-01-02 09:00\" (none then)" "" \
	"$("$view" -t "2021-01-01 09:00,2021-01-02 09:00" <"$work/syslog" | headers)"
check "-f Image=/bin/touch (events without Image pass)" \
	"$(grep -v 'Data Name="Image"' "$work/in" | records .)" \
	"$("$view" -f Image=/bin/touch <"$work/syslog" | headers)"
"$view" -E Image,SourceIp <"$work/syslog" >"$work/E"
[ "$(grep -c '^Event ' "$work/E")" = "$n" ] || fail "-E Image,SourceIp: not every event"
[ -z "$(grep -v '^Event ' "$work/E" | grep -vE $'^\t(Image|SourceIp): ')" ] ||
	fail "-E Image,SourceIp shows other fields"
[ "$(grep -c $'^\tSourceIp: ' "$work/E")" = "$(grep -c 'Name="SourceIp"' "$work/in")" ] ||
	fail "-E Image,SourceIp: a SourceIp is missing"
echo "ok: -E Image,SourceIp"
"$view" -X <"$work/syslog" >"$work/X"
[ "$(grep -c '^$' "$work/X")" = "$n" ] || fail "-X: not one blank line per event"
echo "ok: -X"
for h in -h '-?'; do
	"$view" "$h" | grep -q '^Usage: sysmonLogView' || fail "$h prints no usage"
done
echo "ok: -h, -?"

# and ranges that select some of the samples
check "-r 2025,2029" "$(records '<EventRecordID>(2025|2026|2029)<' <"$work/in")" \
	"$("$view" -r 2025,2029 <"$work/syslog" | headers)"
check "-t \"2026-11-22 16:41,\"" \
	"$(records 'SystemTime="2026-11-22T16:4[1-9]' <"$work/in")" \
	"$("$view" -t "2026-11-22 16:41," <"$work/syslog" | headers)"
check "-f Image=/usr/bin/echo -e 1" \
	"$(grep '<EventID>1</EventID>' "$work/in" | records 'Name="Image">/usr/bin/echo<')" \
	"$("$view" -f Image=/usr/bin/echo -e 1 <"$work/syslog" | headers)"
# JSON lines out and back in: the same blocks
"$view" -o json <"$work/syslog" | "$view" -j >"$work/json"
diff -u "$work/got" "$work/json" || fail "-o json | -j differs"
echo "ok: -o json | -j shows the same"

#!/bin/sh
# SPDX-License-Identifier: MIT
# Build and run the events fuzzers (clang, libFuzzer + ASan + UBSan):
#   fuzz_record  kernel-record decoder, CommandLine join, process cache,
#                ProcessCreate/ProcessTerminate lines
#   fuzz_xmlfmt  the XML formatter with arbitrary values and FieldSizes
#   fuzz_dns     the DNS wire-format parser, QueryResults and the pairing
#                of responses with queries
#   fuzz_kfacts  kernel module images (signature trailer, .modinfo name),
#                bpf() names, file times
#   fuzz_logview sysmonLogView: syslog and JSON lines in, text and JSON out
# each for FUZZ_SECONDS (default 60; fuzz_logview at most 30), starting
# from the committed seeds.
# Exits non-zero on a crash, a failed check, a sanitizer report, a leak or
# a timeout; the failing input is kept as $build/fuzz-<target>-crash-*.
#
#   tests/fuzz/run_fuzz_events.sh  (FUZZ_BUILD_DIR, FUZZ_SECONDS to change)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
secs=${FUZZ_SECONDS:-60}

cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DSYSMON_FUZZ=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_record fuzz_xmlfmt fuzz_dns fuzz_kfacts \
	fuzz_logview -j"$(nproc)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# XML-relevant tokens for the formatter
cat >"$work/xml.dict" <<'DICT'
"&"
"<"
">"
"\""
"</Data>"
"<Data Name=\"User\">"
"\x09"
"\x0a"
"\x0d"
"\x00"
"\x1b"
"\x7f"
"\xc0\xaf"
"\xed\xa0\x80"
"\xef\xbf\xbe"
"\xef\xbf\xbf"
"\xf4\x90\x80\x80"
"\xe2\x82\xac"
DICT

# ... and for sysmonLogView's input lines
cat "$work/xml.dict" - >"$work/logview.dict" <<'DICT'
" sysmon: "
" sysmon[1]: "
"<Event>"
"</Event>"
"<System>"
"<EventID>"
"<EventRecordID>"
"<TimeCreated SystemTime=\"2026-11-22T16:40:30.513162000Z\"/>"
"<EventData>"
"</EventData>"
"<Data Name=\""
"&#x"
"&#"
";"
"{\"EventID\":\""
"\",\""
"\":\""
"\\u"
"\\ud83d\\ude00"
DICT

run() { # target corpus max_len [seconds dictionary]
	mkdir -p "$work/$1"
	"$build/tests/fuzz/$1" "$work/$1" "$root/tests/fuzz/corpus/$2" \
		-dict="$work/${5:-xml}.dict" -max_total_time="${4:-$secs}" \
		-max_len="$3" \
		-timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
		-print_final_stats=1 -artifact_prefix="$build/fuzz-$1-"
}
run fuzz_record record 60000
run fuzz_xmlfmt xmlfmt 4096
run fuzz_dns dns 4096
run fuzz_kfacts kfacts 65536
run fuzz_logview logview 8192 $((secs < 30 ? secs : 30)) logview

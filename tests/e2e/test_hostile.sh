#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile input cannot break or forge a log line. Processes whose argv,
# executable name or working directory carry XML syntax, quotes, newlines,
# control bytes, invalid UTF-8, a megabyte of arguments or a 300-level deep
# path are logged as one well-formed line each, and every value decodes
# (xmllint --xpath) to exactly the original text, or to its documented
# replacement (sysmonCommon/xmlfmt.h):
#   - tab, LF, CR travel as &#9; &#10; &#13; and decode to themselves;
#   - other bytes below 0x20, invalid UTF-8, surrogates, U+FFFE/U+FFFF
#     become U+FFFD, byte by byte;
# or its documented truncation:
#   - the kernel copies at most 48 KiB of argv (SM_ARGS_MAX): CommandLine
#     is the first 49152 bytes of the argv block, NULs as spaces, then
#     "..." (test_cmdline_cut.sh checks the limit exactly);
#   - a line over 64 KiB (SM_EVENT_MAX) is cut: ParentCommandLine first,
#     then CommandLine, each ending in "...";
#   - a path deeper than the kernel's walk (128 components in the objects
#     with bounded loops, 64 in v5_2, 16 before) is its last components
#     after a "+" (the reference's mark).
# One Linux limit shapes the megabyte case: a single argument can be at most
# 128 KiB (MAX_ARG_STRLEN), so 1 MiB of arguments is 8 arguments of
# 128 KiB - 1 bytes.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
LIMIT=$(sed -n 's/^#define SM_ARGS_MAX \([0-9]*\).*/\1/p' "$SRC/sysmonCommon/sysmon_abi.h")
[ -n "$LIMIT" ] || fail "no SM_ARGS_MAX in sysmon_abi.h"

cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <ProcessTerminate onmatch="include"/>
    <FileCreate onmatch="include">
      <TargetFilename condition="contains">smk_fc</TargetFilename>
    </FileCreate>
  </EventFiltering>
</Sysmon>
XML
chmod 755 "$WORK"
mkdir -m 755 "$WORK/bin"
T=$WORK/bin/tiny
if [ -n "${TINY:-}" ]; then cp "$TINY" "$T"; else
	cc -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie -o "$T" "$SRC/bench/tiny.c"
fi
FFFD=$'\xef\xbf\xbd'
start_sysmon "$WORK/cfg.xml"
# the components the kernel's path walk goes up, in the object in use
case "$(sed -n 's/.*eBPF object \(v[0-9_]*\).*/\1/p' "$WORK/start.out")" in
v4_15 | v4_16 | v4_17) walk=16 ;;
v5_2) walk=64 ;;
v5_3 | v5_6) walk=128 ;;
*) cat "$WORK/start.out"; fail "which eBPF object runs: not in sysmon's start message" ;;
esac

# sysmon lines carrying marker $1. The marker goes to grep in a file, not
# on its command line: grep's own ProcessCreate line would carry it too.
marked_lines() {
	printf '%s\n' "$1" >"$WORK/pat"
	new_log | grep -a ' sysmon: ' | grep -aF -f "$WORK/pat" || true
}

# The event line (XML only) of the process started with marker $1 (the
# last one: with RUN_AS, setpriv's own exec carries the marker too), and
# that the marker is in $2 lines (default 1): all $2 are waited for before
# the last is taken. EVENT: another event ID (its FIELDS Data elements).
event_of() {
	local line=
	for _ in $(seq 100); do
		if [ "$(marked_lines "$1" | grep -c '')" -ge "${2:-1}" ]; then
			line=$(marked_lines "$1" | grep -a "<EventID>${EVENT:-1}</EventID>" | tail -n 1 || true)
			[ -n "$line" ] && break
		fi
		sleep 0.1
	done
	[ -n "$line" ] || fail "no event ${EVENT:-1} line for $1"
	printf '%s' "${line#* sysmon: }" >"$WORK/ev.xml"
	xmllint --noout "$WORK/ev.xml" 2>"$WORK/xmllint.err" ||
		fail "line for $1 is not well-formed XML: $(cat "$WORK/xmllint.err")"
	[ "$(grep -c '' "$WORK/ev.xml")" = 1 ] || fail "event for $1 spans lines"
	assert_eq "Data elements of $1" "$(xmllint --xpath 'count(/Event/EventData/Data)' "$WORK/ev.xml")" "${FIELDS:-23}"
	assert_eq "lines carrying $1" "$(marked_lines "$1" | grep -c '')" "${2:-1}"
}

# Decoded value of field $1 in the current event equals $2 (exact bytes).
expect() {
	xmllint --xpath "string(/Event/EventData/Data[@Name='$1'])" "$WORK/ev.xml" >"$WORK/got"
	printf '%s\n' "$2" >"$WORK/want"
	cmp -s "$WORK/got" "$WORK/want" || {
		echo "--- $1: expected"; od -c "$WORK/want" | head -n 8
		echo "--- got"; od -c "$WORK/got" | head -n 8
		fail "$1 does not decode to the original value ($3)"
	}
}

# Runs "$T" with the marker and the given arguments (as $RUN_AS when set,
# in $RUN_IN when set, with $EXE instead of $T when set). The subshell
# execs it, so its parent is this script (known to sysmon from the start).
run() {
	local m=$1 exe=${EXE:-$T}
	shift
	( cd "${RUN_IN:-/}" || exit 1
	  if [ -n "${RUN_AS:-}" ]; then
		exec setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --clear-groups "$exe" "$m" "$@"
	  fi
	  exec "$exe" "$m" "$@" )
}

# --- 1. argv that tries to close the Data element and forge a field -------
m=$(marker forge)
forge='</Data><Data Name="User">root</Data><Data Name="Evil">1'
RUN_AS=65534 run "$m" "$forge"
event_of "$m" 2 # setpriv's line, then tiny's
expect CommandLine "$T $m $forge" "XML syntax in argv"
expect User nobody "the forged User"
assert_eq "forged field" "$(xmllint --xpath "count(//Data[@Name='Evil'])" "$WORK/ev.xml")" 0
pass "argv cannot close a Data element or add a field"

# --- 2. ampersands, entities as text, quotes ------------------------------
m=$(marker amp)
run "$m" 'a&b' '&amp;' '&#10;' '"dq"' "'sq'" '<>' ']]>'
event_of "$m"
expect CommandLine "$T $m a&b &amp; &#10; \"dq\" 'sq' <> ]]>" "entities and quotes"
pass "& < > \" ' ]]> round-trip exactly"

# --- 3. newlines, tab, CR: one line in the log, exact values --------------
m=$(marker nl)
tok=smk_forged_line_$$_$RANDOM
run "$m" $'first\n'"$tok"' sysmon: <Event>' $'t\tt' $'c\rr'
event_of "$m"
expect CommandLine "$T $m first"$'\n'"$tok sysmon: <Event> t"$'\t'"t c"$'\r'"r" "LF, tab, CR"
printf '%s\n' "$tok" >"$WORK/pat"
assert_eq "syslog lines starting with the injected text" \
	"$(new_log | grep -a -f "$WORK/pat" | grep -ac -v ' sysmon: ' || true)" 0
pass "newlines cannot start a log line; tab/LF/CR decode exactly"

# --- 4. control bytes -------------------------------------------------------
m=$(marker ctl)
run "$m" $'\x01\x02\x1b[31mred\x7f' $'\x1f'
event_of "$m"
expect CommandLine "$T $m ${FFFD}${FFFD}${FFFD}[31mred"$'\x7f'" ${FFFD}" "control bytes"
pass "control bytes become U+FFFD (DEL, a valid XML character, stays)"

# --- 5. invalid UTF-8 -------------------------------------------------------
m=$(marker utf)
run "$m" $'\xff\xfe' $'\xc3\x28' $'\xed\xa0\x80' $'\xef\xbf\xbf' $'\xc0\xaf' \
	$'\xf4\x90\x80\x80' $'ok\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80' $'\xe2\x82'
event_of "$m"
expect CommandLine "$T $m ${FFFD}${FFFD} ${FFFD}( ${FFFD}${FFFD}${FFFD} ${FFFD}${FFFD}${FFFD} ${FFFD}${FFFD} ${FFFD}${FFFD}${FFFD}${FFFD} ok"$'\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80'" ${FFFD}${FFFD}" "invalid UTF-8"
pass "invalid UTF-8, surrogates and U+FFFF become U+FFFD byte by byte; valid text stays"

# --- 6. a megabyte of arguments ---------------------------------------------
big=$(head -c 131071 /dev/zero | tr '\0' A)
m=$(marker big)
run "$m" "$big" "$big" "$big" "$big" "$big" "$big" "$big" "$big"
event_of "$m"
head_len=$(( ${#T} + 1 + ${#m} + 1 ))
expect CommandLine "$T $m ${big:0:$((LIMIT - head_len))}..." "argv over $LIMIT bytes"
pass "1 MiB of argv: CommandLine is the first $LIMIT bytes of the argv block, then '...'"

# ... of ampersands: the escaped line would be ~240 KiB; it is cut to 64 KiB
amps=$(head -c 131071 /dev/zero | tr '\0' '&')
m=$(marker amps)
run "$m" "$amps" "$amps" "$amps" "$amps" "$amps" "$amps" "$amps" "$amps"
event_of "$m"
len=$(wc -c <"$WORK/ev.xml")
[ "$len" -le 65535 ] && [ "$len" -ge 65500 ] || fail "cut line is $len bytes, not just under 64 KiB"
expect ParentCommandLine "..." "the parent's command line goes first"
xmllint --xpath "string(/Event/EventData/Data[@Name='CommandLine'])" "$WORK/ev.xml" >"$WORK/got"
want="$T $m ${amps:0:$((LIMIT - head_len))}"
glen=$(($(wc -c <"$WORK/got") - 1))
[ "$(tail -c 4 "$WORK/got")" = "..." ] || fail "cut CommandLine does not end in ..."
[ "$(head -c $((glen - 3)) "$WORK/got")" = "${want:0:$((glen - 3))}" ] ||
	fail "cut CommandLine is not a prefix of the command line"
[ "$glen" -gt 10000 ] || fail "CommandLine cut to $glen bytes: more was room"
pass "a line over 64 KiB is cut ($len bytes): ParentCommandLine '...', CommandLine a prefix + '...'"

# --- 7. a 300-level deep working directory ----------------------------------
deep=$WORK/deep
mkdir -p "$deep"
d=$deep
for _ in $(seq 300); do d=$d/d; done
mkdir -p "$d"
m=$(marker deep)
RUN_IN=$d run "$m"
event_of "$m"
tail=$(printf '/d%.0s' $(seq "$walk"))
expect CurrentDirectory "+$tail" "300 levels (kernel walk: $walk components)"
pass "300-level deep cwd: '+' and its last $walk components"

# --- 8. executables and directories named with XML characters ---------------
# (no '/' in a file name: "<Data ...>" and "]]>" instead of "</Data>")
xdir="$WORK/c]]><Data Name=\"User\">&\"'<x>"
mkdir -m 755 "$xdir"
EXE="$WORK/bin/e<Data Name=\"Image\">&amp;\"'>"
cp "$T" "$EXE"
m=$(marker exe)
EXE=$EXE RUN_IN=$xdir run "$m"
event_of "$m"
expect Image "$EXE" "executable named with XML characters"
expect CurrentDirectory "$xdir" "directory named with XML characters"
expect CommandLine "$EXE $m" "argv[0] with XML characters"
EXE2=$WORK/bin/$'n\nl\tt\x01\xff'
cp "$T" "$EXE2"
m=$(marker exe2)
EXE=$EXE2 run "$m"
event_of "$m"
expect Image "$WORK/bin/n"$'\n'"l"$'\t'"t${FFFD}${FFFD}" "executable named with LF, tab, control, invalid UTF-8"
pass "Image and CurrentDirectory with XML characters, LF, tab, bad bytes decode exactly"

# --- 9. files created with such names, and 300 levels deep ------------------
# (the marker is in the name; touch's own command line carries it too, in
# its ProcessCreate line)
m=$(marker fc)
f="$xdir/f]]><Data Name=\"User\">root&amp;"$'\n\t\x01\xff'"$m"
touch "$f"
EVENT=11 FIELDS=8 event_of "$m" 2
expect TargetFilename "$xdir/f]]><Data Name=\"User\">root&amp;"$'\n\t'"${FFFD}${FFFD}$m" \
	"file named with XML syntax, LF, tab, control, invalid UTF-8"
expect User root "the forged User"
m=$(marker fc)
touch "$d/$m"
EVENT=11 FIELDS=8 event_of "$m" 2
expect TargetFilename "+${tail#/d}/$m" "a file 301 levels deep (kernel walk: $walk components)"
pass "FileCreate: hostile file names decode exactly; deep paths are '+' and their last $walk components"

# --- every line of this run is well-formed --------------------------------
printf '_%s_\n' "$$" >"$WORK/pat"
new_log | grep -a ' sysmon: ' | grep -aF -f "$WORK/pat" | sed 's/^[^ ]* [^ ]* sysmon: //' >"$WORK/all" || true
while IFS= read -r l; do
	printf '%s' "$l" | xmllint --noout - 2>/dev/null || fail "not well-formed: ${l:0:300}"
done <"$WORK/all"
pass "all $(wc -l <"$WORK/all") lines of this run are well-formed XML"

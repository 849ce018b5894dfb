#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A command line longer than the kernel side copies is cut visibly: the
# logged CommandLine is its first SM_ARGS_MAX characters plus "...", so
# padding cannot push a tail out of the log unseen; one of exactly
# SM_ARGS_MAX characters is logged whole, with no marker. The same for a
# ParentCommandLine read from /proc (a parent that ran before sysmon).
# Extra sysmon switches (e.g. -ebpfobject v4_15 -perfbuffer) as arguments.
. "$(dirname "$0")/lib.sh"

LIMIT=$(sed -n 's/^#define SM_ARGS_MAX \([0-9]*\).*/\1/p' "$SRC/sysmonCommon/sysmon_abi.h")
[ -n "$LIMIT" ] || fail "no SM_ARGS_MAX in sysmon_abi.h"

cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML

# argv_of <length> <head> <tail>: words for `/bin/echo <head> pad... <tail>`
# whose command line ("/bin/echo" and the words, joined by spaces) is
# exactly <length> characters; padding words of up to 1,000 'p's.
argv_of() {
	local want=$1 head=$2 tail=$3 words=() left n
	left=$((want - ${#head} - ${#tail} - 11)) # "/bin/echo " + 2 spaces
	while [ "$left" -gt 0 ]; do
		n=$((left > 1001 ? 1000 : left - 1))
		[ "$n" -ge 1 ] || { words[-1]+=p; break; } # 1 left: lengthen the last
		words+=("$(head -c "$n" /dev/zero | tr '\0' p)")
		left=$((left - n - 1))
	done
	printf '%s\n' "$head" "${words[@]}" "$tail"
}

# A parent with a command line over the limit, started before sysmon: it
# runs `/bin/echo <its first argument>` once told to, after sysmon has
# seeded it from /proc.
mp=$(marker parent)
mapfile -t pwords < <(argv_of $((LIMIT + 5000)) "$mp" "${mp}_tail")
mkfifo "$WORK/go"
# (no quotes or XML-special characters in its script: the expected value
# below is its command line as it is)
sh -c 'head -n1 $0; /bin/echo $1; :' "$WORK/go" "${pwords[@]}" >/dev/null &
parent=$!
# (on failure: let it go, so no process of this test is left waiting)
trap 'echo go 1<>"$WORK/go"; cleanup' EXIT

start_sysmon "$WORK/cfg.xml" "$@"

# logged <marker>: the CommandLine of the ProcessCreate whose command line
# starts with "/bin/echo <marker>"
logged() {
	local line
	line=$(wait_line "<Data Name=\"CommandLine\">/bin/echo $1 ") || fail "no ProcessCreate for $1"
	printf '%s\n' "$line"
}

# --- one character over: the first LIMIT characters, then "..." -----------
m=$(marker over)
mapfile -t words < <(argv_of $((LIMIT + 1)) "$m" "${m}_tail")
/bin/echo "${words[@]}" >/dev/null
full="/bin/echo ${words[*]}"
assert_eq "test's own command line length" "${#full}" $((LIMIT + 1))
cl=$(logged "$m" | field CommandLine)
assert_eq "CommandLine one over the limit" "$cl" "${full:0:LIMIT}..."
pass "a command line of $((LIMIT + 1)) characters ends in '...'"

# --- padding, then a tail: the tail is not logged, the cut is marked --------
m=$(marker pad)
mapfile -t words < <(argv_of $((LIMIT + 40960)) "$m" "${m}_tail")
/bin/echo "${words[@]}" >/dev/null
full="/bin/echo ${words[*]}"
cl=$(logged "$m" | field CommandLine)
want=${full:0:LIMIT}
want=${want% } # (a cut right after a word: its NUL is not a character)
assert_eq "CommandLine after 40 KiB of padding" "$cl" "$want..."
[[ "$cl" != *"${m}_tail"* ]] || fail "the tail is logged though it is past the limit"
pass "40 KiB of padding over the limit: CommandLine is cut and ends in '...'"

# --- exactly the limit: whole, no marker ------------------------------------
m=$(marker whole)
mapfile -t words < <(argv_of "$LIMIT" "$m" "${m}_tail")
/bin/echo "${words[@]}" >/dev/null
full="/bin/echo ${words[*]}"
assert_eq "test's own command line length" "${#full}" "$LIMIT"
cl=$(logged "$m" | field CommandLine)
assert_eq "CommandLine at the limit" "$cl" "$full"
pass "a command line of exactly $LIMIT characters is logged whole"

# --- a parent seeded from /proc ---------------------------------------------
pfull=$(tr '\0' ' ' </proc/$parent/cmdline | sed 's/ $//')
echo go >"$WORK/go"
line=$(wait_line "<Data Name=\"CommandLine\">/bin/echo $mp</Data>") || fail "no ProcessCreate for the parent's child"
pcl=$(printf '%s\n' "$line" | field ParentCommandLine)
want=${pfull:0:LIMIT}
want=${want% }
assert_eq "ParentCommandLine (from /proc) over the limit" "$pcl" "$want..."
[[ "$pcl" == *"${mp}"* && "$pcl" != *"${mp}_tail"* ]] || fail "ParentCommandLine: $pcl"
wait "$parent"
pass "a parent's command line from /proc is cut the same way"

stop_sysmon

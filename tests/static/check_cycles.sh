#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Dependencies in linux/ and sysmonCommon/ run one way. Fails when
#  (a) a source file's quoted #include chain comes back to itself, or
#  (b) two object files of the given static libraries need each other,
#      directly or through others (A calls a function that B defines and
#      B, in turn, one that A defines).
#
#   check_cycles.sh SRC_DIRS... -- LIBS...
set -euo pipefail
dirs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do dirs+=("$1"); shift; done
[ $# -gt 0 ] && shift
[ ${#dirs[@]} -gt 0 ] && [ $# -gt 0 ] ||
	{ echo "usage: check_cycles.sh SRC_DIRS... -- LIBS..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# tsort prints the members of each loop it finds on stderr
loops() { # edges_file what
	if ! tsort "$1" >/dev/null 2>"$work/loop"; then
		echo "FAIL: $2 form a cycle:"
		awk '/contains a loop/ { print "  loop:"; next }
		     { sub(/^tsort: /, ""); print "    " $0 }' "$work/loop"
		fail=1
	fi
}

# (a) file -> included file, for the includes found in the given dirs
ls "${dirs[@]/%//}" | grep -E '\.[ch]$' | sort -u >"$work/files"
for d in "${dirs[@]}"; do ls "$d"/*.[ch]; done |
	xargs awk -v files="$work/files" '
		BEGIN { while ((getline f <files) > 0) have[f] = 1 }
		FNR == 1 { n = split(FILENAME, p, "/"); me = p[n]; print me, me }
		/^[ \t]*#[ \t]*include[ \t]*"/ {
			split($0, q, "\""); if (q[2] in have) print me, q[2] }' >"$work/includes"
loops "$work/includes" "these files' #includes"

# (b) object -> object that defines a symbol it uses
nm -A "$@" | awk '
	{ n = split($1, p, ":"); o = p[n - 1] }
	$2 == "U" { uses[o] = uses[o] " " $3; next }
	$2 ~ /^[TDBRC]$/ { def[$3] = o }
	END {
		for (o in uses) {
			m = split(uses[o], s, " ")
			for (i = 1; i <= m; i++)
				if ((s[i] in def) && def[s[i]] != o)
					print o, def[s[i]]
			print o, o
		}
	}' | sort -u >"$work/objects"
[ -s "$work/objects" ] || { echo "FAIL: no symbols read from $*"; exit 1; }
loops "$work/objects" "these objects (one calls into the next)"

[ $fail = 1 ] || echo "no cycles among $(wc -l <"$work/files") files' includes and $(awk '$1 != $2' "$work/objects" | wc -l) calls between objects"
exit $fail

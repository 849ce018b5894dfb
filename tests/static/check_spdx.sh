#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file names its licence in an SPDX-License-Identifier line
# among its first three lines, and it is the licence of its place (LICENSE):
#   ebpfKern/ and any *.bpf.c / *.bpf.h      GPL-2.0-only
#   the record ABI both sides include        GPL-2.0-only OR MIT
#     (sysmonCommon/sysmon_abi.h, records.def, rec_*.h)
#   everything else                          MIT
# Source files: C (.c .h .def .inc), shell (.sh and any file starting with
# #!), CMake (CMakeLists.txt, .cmake), Python, the rsyslog drop-in and the
# man page. Data (XML configurations, corpora, results, Markdown) is not.
# It reads only the tree in front of it, so a fresh clone checks the same.
#
# Usage: check_spdx.sh [--add] [ROOT]
#   --add  write the missing lines (after a #! line, else as line 1)
set -euo pipefail

add=0
if [ "${1:-}" = --add ]; then
	add=1
	shift
fi
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)

list_files() {
	if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" = "$root" ]; then
		git -C "$root" ls-files -co --exclude-standard
	else
		(cd "$root" && find . -path './build*' -prune -o -path ./.git -prune \
			-o -type f -print | sed 's|^\./||')
	fi | LC_ALL=C sort -u
}

# The comment syntax of a source file ("c", "hash", "roff"), or nothing.
kind_of() {
	case $1 in
	tests/fuzz/corpus/*) return ;;
	*.c | *.h | *.def | *.inc) echo c ;;
	*.sh | *.cmake | */CMakeLists.txt | CMakeLists.txt | *.py | *.conf) echo hash ;;
	*.8) echo roff ;;
	*) head -c2 "$root/$1" 2>/dev/null | grep -q '^#!' && echo hash ;;
	esac
	return 0
}

licence_of() {
	case $1 in
	sysmonCommon/sysmon_abi.h | sysmonCommon/records.def | sysmonCommon/rec_*.h)
		echo "GPL-2.0-only OR MIT" ;;
	ebpfKern/* | *.bpf.c | *.bpf.h) echo "GPL-2.0-only" ;;
	*) echo "MIT" ;;
	esac
}

add_line() { # add_line FILE KIND LICENCE
	local f=$root/$1 line
	case $2 in
	c) line="/* SPDX-License-Identifier: $3 */" ;;
	hash) line="# SPDX-License-Identifier: $3" ;;
	roff) line=".\\\" SPDX-License-Identifier: $3" ;;
	esac
	if head -c2 "$f" | grep -q '^#!'; then
		awk -v l="$line" 'NR == 1 { print; print l; next } { print }' "$f" >"$f.spdx"
	else
		{ printf '%s\n' "$line"; cat "$f"; } >"$f.spdx"
	fi
	cat "$f.spdx" >"$f" # keeps the file's mode
	rm -f "$f.spdx"
}

fail=0
checked=0
added=0
while IFS= read -r f; do
	[ -f "$root/$f" ] || continue
	kind=$(kind_of "$f")
	[ -n "$kind" ] || continue
	want=$(licence_of "$f")
	checked=$((checked + 1))
	have=$(head -n 3 "$root/$f" | grep -o 'SPDX-License-Identifier: .*' |
		sed 's/ *\(\*\/\)\? *$//' | head -n 1 || true)
	[ "$have" = "SPDX-License-Identifier: $want" ] && continue
	if ((add)) && [ -z "$have" ]; then
		add_line "$f" "$kind" "$want"
		added=$((added + 1))
		continue
	fi
	fail=1
	if [ -z "$have" ]; then
		echo "FAIL: $f: no SPDX-License-Identifier line (want: $want)"
	else
		echo "FAIL: $f: '$have', want 'SPDX-License-Identifier: $want'"
	fi
done < <(list_files)

((add)) && echo "added the SPDX line to $added files"
if ((fail)); then
	echo "Each source file starts with its licence (see LICENSE), e.g."
	echo "'/* SPDX-License-Identifier: MIT */' or, after a #! line,"
	echo "'# SPDX-License-Identifier: MIT'; tests/static/check_spdx.sh --add"
	echo "writes the missing ones."
	exit 1
fi
echo "ok: $checked source files name their licence"

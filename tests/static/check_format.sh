#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# House style check: every C source and header must be as clang-format 14
# leaves it (the .clang-format at the top of the tree), except for the lines
# an old file was allowed when the style was set: format_debt.txt beside
# this script holds, per file, how many of its lines clang-format would
# change, and that number may only go down. So a new file must be clean,
# and a change that adds a badly formatted line to an old file raises the
# file's count and fails.
#
# It reads only the tree in front of it (no git history, no base commit),
# so a fresh clone checks the same thing as a developer's tree.
#
# Usage: check_format.sh [--update] [ROOT]
#   --update  rewrite format_debt.txt from the tree: after changing
#             .clang-format, or to record a clean-up (counts that went down)
set -euo pipefail

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
debt=$root/tests/static/format_debt.txt
cf=${CLANG_FORMAT:-clang-format-14}

if ! command -v "$cf" >/dev/null; then
	echo "FAIL: $cf not found; installer/deps.sh installs it (Debian: clang-format-14)"
	exit 1
fi
if ! "$cf" --version | grep -q 'version 14\.'; then
	echo "FAIL: $cf is not clang-format 14 (other versions format differently); set CLANG_FORMAT"
	exit 1
fi

# Every C file of the tree: tracked or new, never the build directories.
list_sources() {
	if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" = "$root" ]; then
		git -C "$root" ls-files -co --exclude-standard -- '*.c' '*.h'
	else
		(cd "$root" && find . -path './build*' -prune -o \
			-type f \( -name '*.c' -o -name '*.h' \) -print |
			sed 's|^\./||')
	fi | LC_ALL=C sort -u
}

# "N FILE": the number of the file's lines clang-format would change.
count_file() {
	[ -f "$root/$1" ] || return 0
	printf '%s %s\n' "$("$cf" --style=file "$root/$1" | {
		diff --old-line-format=$'-\n' --new-line-format= \
			--unchanged-line-format= "$root/$1" - || true
	} | wc -l)" "$1"
}
export -f count_file
export root cf

declare -A allowed=()
if [ -f "$debt" ]; then
	while read -r n f; do
		case $n in '#'* | '') continue ;; esac
		allowed[$f]=$n
	done <"$debt"
fi

fail=0
checked=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while read -r n f; do
	checked=$((checked + 1))
	if ((update)); then
		((n == 0)) || echo "$n $f" >>"$tmp"
		continue
	fi
	max=${allowed[$f]:-0}
	if ((n > max)); then
		fail=1
		echo "FAIL: $f: $n lines not in the house style (allowed: $max)"
		"$cf" --style=file "$root/$f" |
			{ diff -u "$root/$f" - || true; } | sed -n '3,60p'
		echo
	fi
done < <(list_sources | xargs -d '\n' -r -P "$(nproc)" -I{} bash -c 'count_file "$1"' _ {} |
	LC_ALL=C sort -k2)

if ((update)); then
	{
		echo "# Lines per file that clang-format-14 would change, as allowed"
		echo "# (tests/static/check_format.sh); a count may only go down."
		echo "# Written by check_format.sh --update."
		cat "$tmp"
	} >"$debt"
	echo "wrote $debt ($(grep -vc '^#' "$debt") files with old formatting)"
	exit 0
fi
if ((fail)); then
	echo "Format the lines you changed: 'git clang-format-14 <base commit>'"
	echo "(only your lines), or a whole file: 'clang-format-14 -i FILE'."
	exit 1
fi
echo "ok: $checked C files in the house style (old lines in format_debt.txt)"

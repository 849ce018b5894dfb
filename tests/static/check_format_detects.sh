#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_format.sh must pass a tree in the house style and fail a badly
# formatted change: a new file that is not clean, and an old file whose
# count of badly formatted lines goes up. Run on a scratch copy of
# .clang-format and of two real sources.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
check=$src/tests/static/check_format.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/tests/static" "$t/sysmonCommon"
cp "$src/.clang-format" "$t/"
cp "$src/sysmonCommon/guid.c" "$src/sysmonCommon/guid.h" "$t/sysmonCommon/"
: >"$t/tests/static/format_debt.txt"

expect() { # expect pass|fail WHAT [grep-pattern]
	out=$(bash "$check" "$t" 2>&1)
	rc=$?
	if { [ "$1" = pass ] && [ $rc -ne 0 ]; } || { [ "$1" = fail ] && [ $rc -eq 0 ]; }; then
		echo "$out"
		echo "FAIL: $2: expected $1, exit $rc"
		exit 1
	fi
	if [ -n "${3:-}" ] && ! grep -qF -- "$3" <<<"$out"; then
		echo "$out"
		echo "FAIL: $2: no '$3' in the output"
		exit 1
	fi
	echo "ok: $2 ($1)"
}

# The two real files as they are, with their counts recorded.
bash "$check" --update "$t" >/dev/null || { echo "FAIL: --update"; exit 1; }
expect pass "real files with their recorded counts"

# A badly formatted line added to an old file raises its count.
cp "$t/sysmonCommon/guid.c" "$t/guid.c.orig"
printf 'int sm_badly_formatted( int a,int b ) { return a+b; }\n' \
	>>"$t/sysmonCommon/guid.c"
expect fail "a bad line added to an old file" \
	"FAIL: sysmonCommon/guid.c"
cp "$t/guid.c.orig" "$t/sysmonCommon/guid.c"

# The same line formatted as clang-format would is accepted.
printf 'int sm_well_formatted(int a, int b)\n{\n\treturn a + b;\n}\n' \
	>>"$t/sysmonCommon/guid.c"
expect pass "a well formatted function added to an old file"
cp "$t/guid.c.orig" "$t/sysmonCommon/guid.c"

# A new file must be clean, whatever the old files are allowed.
printf '#include "guid.h"\n\nint f(void)\n{\n\treturn 0;\n}\n' \
	>"$t/sysmonCommon/new.c"
expect pass "a clean new file"
printf 'int g(void) {\n    return 1;\n}\n' >>"$t/sysmonCommon/new.c"
expect fail "a new file with badly formatted lines" \
	"FAIL: sysmonCommon/new.c: 2 lines not in the house style (allowed: 0)"
echo "ok: every badly formatted change reported"

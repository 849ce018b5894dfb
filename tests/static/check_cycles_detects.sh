#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_cycles.sh must fail on each kind of cycle it claims to find, and
# pass on a tree without one.
#   check_cycles_detects.sh CHECK_CYCLES CC AR
set -euo pipefail
check=$1 cc=$2 ar=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir src
echo 'int a_fn(void);' >src/a.h
printf '#include "a.h"\nint b_fn(void);\n' >src/b.h
printf '#include "b.h"\nint a_fn(void) { return 1; }\n' >src/a.c
printf '#include "b.h"\nint b_fn(void) { return a_fn(); }\n' >src/b.c
"$cc" -c src/a.c -o a.o && "$cc" -c src/b.c -o b.o && "$ar" rc ok.a a.o b.o
"$check" src -- ok.a >out 2>&1 || { cat out; echo "FAIL: a tree without cycles was refused"; exit 1; }

# a.c calls into b.c and b.c into a.c
printf '#include "b.h"\nint a_fn(void) { return b_fn() + 1; }\n' >src/a.c
"$cc" -c src/a.c -o a.o && "$ar" rc calls.a a.o b.o
if "$check" src -- calls.a >out 2>&1; then
	cat out; echo "FAIL: objects calling each other were not found"; exit 1
fi
grep -q 'a.o' out && grep -q 'b.o' out || { cat out; echo "FAIL: the cycle's objects not named"; exit 1; }

# a.h includes b.h, which includes a.h
printf '#include "b.h"\nint a_fn(void);\n' >src/a.h
if "$check" src -- ok.a >out 2>&1; then
	cat out; echo "FAIL: headers including each other were not found"; exit 1
fi
grep -q 'a.h' out && grep -q 'b.h' out || { cat out; echo "FAIL: the cycle's headers not named"; exit 1; }
echo "3 passed, 0 failed"

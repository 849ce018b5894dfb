#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_file_state.sh must refuse each kind of state it claims to find
# (a file-scope static, a function-local static, a thread-local, an
# initialised global) in events.c and in an ev_*.c, and pass constant
# tables and objects it does not check.
#   check_file_state_detects.sh CHECK_FILE_STATE CC AR OBJDUMP
set -euo pipefail
check=$1 cc=$2 ar=$3 objdump=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0

# a library of events.c.o, ev_ok.c.o and other.c.o (other.c may keep state)
build() { # build EVENTS_C EV_OK_C
	printf '%s\n' "$1" >events.c
	printf '%s\n' "$2" >ev_ok.c
	printf 'static int n; int other(void) { return ++n; }\n' >other.c
	for f in events ev_ok other; do
		"$cc" -fPIC -O2 -c $f.c -o $f.c.o
	done
	rm -f lib.a
	"$ar" rc lib.a events.c.o ev_ok.c.o other.c.o
}

good_events='struct row { const char *name; int (*fn)(void); };
static int one(void) { return 1; }
static const struct row rows[] = { { "one", one } };
const char *const names[] = { "a", "b" };
int first(int i) { return rows[i].fn() + names[i][0]; }'
good_ev='const int table[] = { 1, 2, 3 }; int get(int i) { return table[i]; }'

build "$good_events" "$good_ev"
bash "$check" "$objdump" lib.a >out 2>&1 ||
	{ cat out; echo "FAIL: constant tables were refused"; exit 1; }
passed=$((passed + 1))

expect_fail() { # expect_fail WHAT MEMBER NAME EVENTS_C EV_OK_C
	build "$4" "$5"
	if bash "$check" "$objdump" lib.a >out 2>&1; then
		cat out; echo "FAIL: $1 was not found"; exit 1
	fi
	grep -q "$2.*'$3'" out || { cat out; echo "FAIL: $1: $2's $3 not named"; exit 1; }
	passed=$((passed + 1))
}
expect_fail "a file-scope static buffer" ev_ok x "$good_events" \
	'static char x[64]; char *get(int i) { return &x[i]; }'
expect_fail "an initialised file-scope static" events w \
	'static int w = 60; int first(int i) { w += i; return w; }' "$good_ev"
# (gcc names it r.0, clang get.r)
expect_fail "a function-local static" ev_ok '\(r\.0\|get\.r\)' "$good_events" \
	'int get(int i) { static int r; r += i; return r; }'
expect_fail "a thread-local" events t \
	'static _Thread_local int t; int first(int i) { t += i; return t; }' "$good_ev"
expect_fail "a global variable" ev_ok g "$good_events" \
	'int g[4]; int get(int i) { return g[i]++; }'

# an archive without the objects it checks is no pass
"$cc" -c other.c -o other.c.o && rm -f empty.a && "$ar" rc empty.a other.c.o
if bash "$check" "$objdump" empty.a >out 2>&1; then
	cat out; echo "FAIL: an archive without events.c.o passed"; exit 1
fi
passed=$((passed + 1))
echo "$passed passed, 0 failed"

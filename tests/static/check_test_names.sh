#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test of a module is found by its name: tests/unit/test_<m>.c and
# tests/fuzz/fuzz_<m>.c test <m>.c, or the files <m>_*.c that make one
# module (test_rules.c: rules_*.c), in sysmonCommon/ or linux/.
# Usage: check_test_names.sh [ROOT]
set -uo pipefail
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
fail=0
n=0
for t in "$root"/tests/unit/test_*.c "$root"/tests/fuzz/fuzz_*.c; do
	[ -f "$t" ] || continue
	n=$((n + 1))
	m=$(basename "$t" .c)
	m=${m#test_}
	m=${m#fuzz_}
	found=0
	for d in sysmonCommon linux; do
		if [ -f "$root/$d/$m.c" ] || compgen -G "$root/$d/${m}_*.c" >/dev/null; then
			found=1
		fi
	done
	if ((!found)); then
		echo "FAIL: ${t#"$root"/}: no module $m.c (or ${m}_*.c) in sysmonCommon/ or linux/"
		fail=1
	fi
done
if ((fail)); then
	echo "Name a test after the module it tests (tests/unit/test_<module>.c);"
	echo "a test of two modules is two tests."
	exit 1
fi
echo "ok: $n unit and fuzz tests named after their modules"

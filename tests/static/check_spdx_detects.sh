#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_spdx.sh must fail a source file without its licence line or with
# the wrong licence for its place, and check_test_names.sh a unit test not
# named after a module; both pass the fixed tree. On a scratch tree.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/ebpfKern" "$t/sysmonCommon" "$t/tests/unit"

expect() { # expect pass|fail SCRIPT WHAT [grep-pattern]
	out=$(bash "$src/tests/static/$2" "$t" 2>&1)
	rc=$?
	if { [ "$1" = pass ] && [ $rc -ne 0 ]; } || { [ "$1" = fail ] && [ $rc -eq 0 ]; }; then
		echo "$out"
		echo "FAIL: $3: expected $1, exit $rc"
		exit 1
	fi
	if [ -n "${4:-}" ] && ! grep -qF -- "$4" <<<"$out"; then
		echo "$out"
		echo "FAIL: $3: no '$4' in the output"
		exit 1
	fi
	echo "ok: $3 ($1)"
}

printf '/* SPDX-License-Identifier: MIT */\nint f(void);\n' >"$t/sysmonCommon/f.c"
printf '#!/bin/sh\n# SPDX-License-Identifier: MIT\ntrue\n' >"$t/run"
printf '/* SPDX-License-Identifier: GPL-2.0-only */\n' >"$t/ebpfKern/p.bpf.c"
printf '<a/>\n' >"$t/data.xml"
expect pass check_spdx.sh "every source file with its licence, data without"

printf 'int g(void);\n' >"$t/sysmonCommon/g.c"
expect fail check_spdx.sh "a C file without the line" \
	"FAIL: sysmonCommon/g.c: no SPDX-License-Identifier line (want: MIT)"
rm "$t/sysmonCommon/g.c"
printf '#!/bin/sh\ntrue\n' >"$t/tool"
expect fail check_spdx.sh "a script without the line" "FAIL: tool: no SPDX"
rm "$t/tool"
printf '/* SPDX-License-Identifier: MIT */\n' >"$t/ebpfKern/q.bpf.c"
expect fail check_spdx.sh "an eBPF program under MIT" \
	"FAIL: ebpfKern/q.bpf.c: 'SPDX-License-Identifier: MIT', want 'SPDX-License-Identifier: GPL-2.0-only'"
rm "$t/ebpfKern/q.bpf.c"
expect pass check_spdx.sh "the tree fixed again"

cp "$t/sysmonCommon/f.c" "$t/tests/unit/test_f.c"
expect pass check_test_names.sh "test_f.c for f.c"
cp "$t/sysmonCommon/f.c" "$t/tests/unit/test_f_g.c"
expect fail check_test_names.sh "a test named after no module" \
	"FAIL: tests/unit/test_f_g.c: no module f_g.c"
echo "ok: every missing or wrong licence and misnamed test reported"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# makeEvent.sh must produce a tree that builds: in a copy of the sources,
# scaffold an event, build sysmon (every range's eBPF object included) and
# run the static checks on the new objects.
set -euo pipefail
src=$1
work=$(mktemp -d /tmp/sysmon-scaffold.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar --exclude=./build --exclude='./build-*' --exclude=./.git -C "$src" -cf - . |
	tar -C "$work" -xf -
cd "$work"
./makeEvent.sh FileBlockShredding fsync 99
# the files it created name their licence
bash tests/static/check_spdx.sh . >/dev/null ||
	{ bash tests/static/check_spdx.sh .; echo "FAIL: makeEvent.sh's files lack their SPDX line"; exit 1; }
grep -q 'sm_file_block_shredding_exit' linux/loader.c
grep -q 'SM_REC_FILE_BLOCK_SHREDDING, sm_on_file_block_shredding' linux/events.c
# refuses to scaffold the same event twice
if ./makeEvent.sh FileBlockShredding fsync 98 2>/dev/null; then
	echo "FAIL: scaffolded twice"; exit 1
fi
# the copy has no shared/ beside it: name the real one (CI requires it)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DSM_CONFORMANCE_DIR="$(cd "$src" && pwd)/../shared/conformance" >/dev/null
cmake --build build -j"$(nproc)" --target sysmon check_bpf_objects >build.log 2>&1 ||
	{ tail -40 build.log; echo "FAIL: the scaffolded tree does not build"; exit 1; }
mapfile -t objs <build/ebpfKern/objects.txt
out=$(build/tests/static/check_bpf_objects -n 6 "${objs[@]}") ||
	{ echo "$out"; echo "FAIL: the static check rejects the scaffolded objects"; exit 1; }
# the scaffolded program itself was checked, in every range's object
for spec in "${objs[@]}"; do
	obj=${spec%%:*}
	grep -q "^ok $obj sm_file_block_shredding_exit: " <<<"$out" ||
		{ echo "$out"; echo "FAIL: sm_file_block_shredding_exit not checked in $obj"; exit 1; }
done
build/linux/sysmon -vc /dev/stdin <<<'<Sysmon schemaversion="4.90"><EventFiltering><FileBlockShredding onmatch="exclude"/></EventFiltering></Sysmon>' >/dev/null
# its e2e test is registered
ctest --test-dir build -N -R '^e2e_file_block_shredding$' | grep -q 'Total Tests: 1$' ||
	{ echo "FAIL: e2e_file_block_shredding is not a ctest test"; exit 1; }
echo "ok: FileBlockShredding scaffolded, built, checked in ${#objs[@]} objects"

#!/usr/bin/env bash
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
grep -q 'sm_file_block_shredding_exit' linux/loader.c
grep -q 'SM_REC_FILE_BLOCK_SHREDDING, sm_on_file_block_shredding' linux/events.c
# refuses to scaffold the same event twice
if ./makeEvent.sh FileBlockShredding fsync 98 2>/dev/null; then
	echo "FAIL: scaffolded twice"; exit 1
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target sysmon check_bpf_objects >build.log 2>&1 ||
	{ tail -40 build.log; echo "FAIL: the scaffolded tree does not build"; exit 1; }
mapfile -t objs <build/ebpfKern/objects.txt
build/tests/static/check_bpf_objects "${objs[@]}" | grep -E 'file_block_shredding|passed'
build/linux/sysmon -vc /dev/stdin <<<'<Sysmon schemaversion="4.90"><EventFiltering><FileBlockShredding onmatch="exclude"/></EventFiltering></Sysmon>' >/dev/null
echo "1 passed, 0 failed"

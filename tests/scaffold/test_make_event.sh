#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# makeEvent.sh in a copy of the sources: it must create only its files and
# add one line (records.def), and the scaffolded event must then be
#   decoded   its decode test (test_record: decode_<name>) ran and passed
#   fuzzed    its seed decodes as its record type and passes the fuzz
#             target (record_seeds: "ok <name>:")
#   in every object, which loads on its range's oldest kernel (the static
#             check: "ok OBJ sm_<name>_exit" for each object)
#   attached and handled
#             its own e2e test (e2e_<name>: the syscall, then the event
#             with the caller's ProcessId, Image and User) ran and passed
# The e2e part needs root: without it the rest is checked and the test
# skips (77).
set -euo pipefail
src=$1
work=$(mktemp -d /tmp/sysmon-scaffold.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
copy() {
	mkdir "$1"
	tar --exclude=./build --exclude='./build-*' --exclude=./.git -C "$src" -cf - . |
		tar -C "$1" -xf -
}
copy "$work/orig"
copy "$work/tree"
cd "$work/tree"
name=file_block_shredding
./makeEvent.sh FileBlockShredding fsync 40 >/dev/null

# only its own files, and one line
(cd "$work" && diff -rq orig tree) | sort >"$work/changes" || true
sort >"$work/expected" <<EOF
Files orig/sysmonCommon/records.def and tree/sysmonCommon/records.def differ
Only in tree/ebpfKern: $name.bpf.c
Only in tree/linux: ev_$name.c
Only in tree/sysmonCommon: rec_$name.h
Only in tree/tests/e2e: test_$name.sh
Only in tree/tests/fuzz/corpus/record: $name
EOF
diff -u "$work/expected" "$work/changes" ||
	fail "makeEvent.sh changed other files than its own and records.def"
diff "$work/orig/sysmonCommon/records.def" sysmonCommon/records.def |
	grep '^[<>]' >"$work/lines" || true
[ "$(cat "$work/lines")" = "> SM_RECORD(FILE_BLOCK_SHREDDING, 40, $name, 0, (), rec_$name, $name, ev_$name)" ] ||
	fail "records.def: not the one line expected: $(cat "$work/lines")"
echo "ok: makeEvent.sh created 5 files and added one line"

# the files it created name their licence
bash tests/static/check_spdx.sh . >"$work/spdx.out" 2>&1 ||
	{ cat "$work/spdx.out"; fail "makeEvent.sh's files lack their SPDX line"; }

# its C files in the house style
tests/static/check_format.sh . >"$work/format.out" 2>&1 ||
	{ cat "$work/format.out"; fail "makeEvent.sh's files are not in the house style"; }

# refuses the same event, record type or files twice
for args in "FileBlockShredding fsync 41" "FileBlockExecutable fsync 40"; do
	if ./makeEvent.sh $args 2>/dev/null; then
		fail "makeEvent.sh $args: scaffolded over an existing record"
	fi
done

# the copy has no shared/ beside it: name the real one (CI requires it)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DSM_CONFORMANCE_DIR="$(cd "$src" && pwd)/../shared/conformance" >/dev/null
cmake --build build -j"${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
	--target sysmon check_bpf_objects test_record record_seeds >build.log 2>&1 ||
	{ tail -40 build.log; fail "the scaffolded tree does not build"; }

# decoded: its own decode test ran and passed
build/tests/unit/test_record >"$work/unit.out" 2>&1 || { cat "$work/unit.out"; fail "test_record"; }
grep -qx "\[       OK \] decode_$name" "$work/unit.out" ||
	{ cat "$work/unit.out"; fail "no passed decode_$name in test_record"; }
echo "ok: decode_$name passed"

# fuzzed: its seed through the fuzz target
build/tests/record_seeds tests/fuzz/corpus/record >"$work/seeds.out" ||
	{ cat "$work/seeds.out"; fail "record_seeds"; }
grep -q "^ok $name: seed decodes as record type 40," "$work/seeds.out" ||
	{ cat "$work/seeds.out"; fail "the fuzz target has no good seed of $name"; }
echo "ok: the fuzz target decodes the seed of $name"

# in every range's object, each passing the static check
mapfile -t objs <build/ebpfKern/objects.txt
build/tests/static/check_bpf_objects -n 6 "${objs[@]}" >"$work/static.out" ||
	{ cat "$work/static.out"; fail "check_bpf_objects"; }
n=$(grep -c "^ok [^ ]* sm_${name}_exit: " "$work/static.out" || true)
[ "$n" = "${#objs[@]}" ] ||
	{ cat "$work/static.out"; fail "sm_${name}_exit in $n of ${#objs[@]} objects"; }
echo "ok: sm_${name}_exit passes the static check in all $n objects"
build/linux/sysmon -vc /dev/stdin <<<'<Sysmon schemaversion="4.90"><EventFiltering><FileBlockShredding onmatch="exclude"/></EventFiltering></Sysmon>' >/dev/null

# attached and handled: its own e2e test
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the e2e part (e2e_$name) needs root"
	exit 77
fi
ctest --test-dir build -R "^e2e_${name}\$" --output-on-failure >"$work/e2e.out" 2>&1 ||
	{ cat "$work/e2e.out"; fail "e2e_$name"; }
grep -qE "^1/1 Test +#[0-9]+: e2e_$name \.+ +Passed" "$work/e2e.out" ||
	{ cat "$work/e2e.out"; fail "e2e_$name did not run and pass"; }
echo "ok: e2e_$name passed"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the config fuzzer (clang, libFuzzer + ASan + UBSan) and run it for
# FUZZ_SECONDS (default 60). Exits non-zero on a crash, a sanitizer report,
# a leak or a timeout; the failing input is kept as $build/fuzz-crash-*.
#
#   tests/fuzz/run_fuzz.sh            (FUZZ_BUILD_DIR, FUZZ_SECONDS to change)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
secs=${FUZZ_SECONDS:-60}
seeds=$root/tests/fuzz/corpus/config

cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DSYSMON_FUZZ=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_config -j"$(nproc)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"

# Dictionary: element and attribute names of the schema and the language.
{
	sed -n 's/.*name="\([A-Za-z0-9]*\)".*/"\1"/p' "$root/schema/sysmonschema.xml"
	sed -n 's/.*<filters[^>]*>\(.*\)<\/filters>.*/\1/p' "$root/schema/sysmonschema.xml" |
		tr ',' '\n' | sed 's/.*/"&"/'
	for t in '<Sysmon schemaversion="4.90">' '</Sysmon>' '<EventFiltering>' \
		 '</EventFiltering>' '<RuleGroup' '</RuleGroup>' '<Rule' '</Rule>' \
		 'onmatch="include"' 'onmatch="exclude"' 'groupRelation="and"' \
		 'groupRelation="or"' 'condition=' 'name=' ';' '/>' '<HashAlgorithms>' \
		 '<FieldSizes>' '<![CDATA[' '&amp;' '<?xml version="1.0" encoding="UTF-16"?>'; do
		printf '"%s"\n' "$(printf '%s' "$t" | sed 's/\\/\\\\/g; s/"/\\"/g')"
	done
} | sort -u >"$work/config.dict"

bin=$build/tests/fuzz_config
[ -x "$bin" ] || bin=$build/tests/fuzz/fuzz_config
# seeds: the committed ones, and every real config of the shared
# conformance corpus when it is there (beside the repository)
extra=()
for d in "$root/../shared/conformance/rulestest/configs" \
	 "$root/../shared/conformance/modular/configs" \
	 "$root/../shared/conformance/modular/rejected"; do
	[ -d "$d" ] && extra+=("$d")
done
"$bin" "$work/corpus" "$seeds" "${extra[@]}" \
	-dict="$work/config.dict" \
	-max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	-detect_leaks=1 -print_final_stats=1 \
	-artifact_prefix="$build/fuzz-"

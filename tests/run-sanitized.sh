#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole ctest suite (unit + conformance + e2e) with everything built
# under AddressSanitizer + UndefinedBehaviorSanitizer, leak checking on.
#
#   tests/run-sanitized.sh [ctest arguments, e.g. -L unit]
#   (ASAN_BUILD_DIR to change the build directory, default build-asan)
#
# The monitor runs in the background in the e2e tests (its exit status is
# nobody's), so every sanitizer report is written to a file under
# $build/sanitizer/ instead of only to stderr; the run fails when any
# report appears there, even if every test passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ASAN_BUILD_DIR:-$root/build-asan}
if [ "$(id -u)" = 0 ]; then "$root/installer/deps.sh"; fi
# clang: gcc's UBSan ignores log_path and reports only on stderr, which
# nobody reads for a monitor in the background
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DSYSMON_SANITIZE=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

reports=$build/sanitizer
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="log_path=$reports/lsan"

status=0
"$root/tests/ctest-ci.sh" --test-dir "$build" --output-on-failure "$@" || status=$?
if compgen -G "$reports/*" >/dev/null; then
	echo "sanitizer reports:" >&2
	for f in "$reports"/*; do
		echo "=== $f" >&2
		cat "$f" >&2
	done
	status=1
fi
exit $status

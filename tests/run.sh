#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: dependencies, build, unit + conformance + e2e tests.
# e2e tests need root and the real kernel; as non-root they are skipped,
# except on CI (CI=true), where a skipped test or an empty run fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
if [ "$(id -u)" = 0 ]; then "$root/installer/deps.sh"; fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
"$root/tests/ctest-ci.sh" --test-dir "$build" --output-on-failure

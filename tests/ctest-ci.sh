#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest with the given arguments. On CI (CI=true) a run that selects no test
# fails (--no-tests=error), and so does a test that skipped (exit 77): CI
# runs as root with everything installed, so a skip there hides a failure.
set -uo pipefail
[ "${CI:-}" = true ] || exec ctest "$@"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
ctest --no-tests=error "$@" | tee "$out"
status=${PIPESTATUS[0]}
if grep -q '^The following tests did not run:' "$out"; then
	echo "FAIL: on CI every test must run; these skipped:" >&2
	sed -n '/^The following tests did not run:/,/^$/p' "$out" | tail -n +2 >&2
	status=1
fi
exit "$status"

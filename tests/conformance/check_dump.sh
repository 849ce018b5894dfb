#!/bin/sh
# SPDX-License-Identifier: MIT
# Conformance check of one config dump against the reference's.
#
#   check_dump.sh exact    BASELINE COMMAND...   stdout must equal BASELINE
#   check_dump.sh stripped BASELINE COMMAND...   same, BASELINE lacks the
#                                                final newline (see below)
#   check_dump.sh reject   PHRASE   COMMAND...   must fail, saying PHRASE
#
# `stripped`: the rulestest baselines were captured without the trailing
# newline (as a shell $(...) capture does), while the reference ends every
# line it prints with "\n", the last one included - the modular baselines,
# captured as files, show it. The real output is compared with the baseline
# plus that one newline; nothing else is normalised.
set -u
mode=$1
ref=$2
shift 2
out=$(mktemp)
exp=$(mktemp)
trap 'rm -f "$out" "$exp"' EXIT

case $mode in
reject)
	if "$@" >"$out" 2>&1; then
		echo "accepted, expected a failure with: $ref"
		exit 1
	fi
	if ! grep -qF -- "$ref" "$out"; then
		echo "failed without '$ref':"
		cat "$out"
		exit 1
	fi
	exit 0
	;;
exact)
	cp "$ref" "$exp"
	;;
stripped)
	cp "$ref" "$exp"
	[ -z "$(tail -c 1 "$ref")" ] || echo >>"$exp"
	;;
*)
	echo "unknown mode $mode"
	exit 2
	;;
esac
"$@" >"$out" || { echo "exit status $?"; exit 1; }
if ! cmp "$out" "$exp"; then
	diff "$exp" "$out" | head -20
	exit 1
fi

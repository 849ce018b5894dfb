#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_kmembers against a minimized BTF of every object's relocations.
# Arguments: the checker, then OBJ:... specs (the objects' paths first).
set -euo pipefail
checker=$1; shift
objs=()
for spec in "$@"; do objs+=("${spec%%:*}"); done
work=$(mktemp -d /tmp/sysmon-kmembers.XXXXXX)
trap 'rm -rf "$work"' EXIT
bpftool gen min_core_btf /sys/kernel/btf/vmlinux "$work/min.btf" "${objs[@]}"
"$checker" "$work/min.btf" "$work/synth.btf"

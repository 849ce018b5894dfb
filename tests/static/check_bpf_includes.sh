#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every kernel-side source and header compiles on its own, with the oldest
# and the newest range's switches: each includes what it uses, so none
# depends on what sysmon.bpf.c happens to include before it.
# Usage: check_bpf_includes.sh CLANG MULTIARCH EBPFKERN_DIR ABI_DIR GENERATED_DIR
# (GENERATED_DIR: the build's generated headers, e.g. sm_event_ids.h)
set -u
clang=$1 multiarch=$2 kern=$3 abi=$4 gen=$5
old="-DSM_HAVE_RINGBUF=0 -DSM_HAVE_PROBE_READ_KERNEL=0 -DSM_HAVE_GLOBALS=0
     -DSM_HAVE_LOOPS=0 -DSM_HAVE_RAW_TP=0 -DSM_HAVE_INET_SOCK_SET_STATE=0
     -DSM_WALK_DEPTH=16"
new="-DSM_HAVE_RINGBUF=1 -DSM_HAVE_PROBE_READ_KERNEL=1 -DSM_HAVE_GLOBALS=1
     -DSM_HAVE_LOOPS=1 -DSM_HAVE_RAW_TP=1"
bad=0 n=0
for f in "$kern"/*.bpf.c "$kern"/*.bpf.h; do
	for flags in "$old" "$new"; do
		# shellcheck disable=SC2086 # the switches are words
		if ! out=$("$clang" -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
			-Wno-unused-function $flags -I"$kern" -I"$abi" -I"$gen" \
			-idirafter "/usr/include/$multiarch" -fsyntax-only -x c "$f" 2>&1); then
			echo "FAIL $(basename "$f") does not compile on its own:"
			echo "$out" | head -n 5
			bad=$((bad + 1))
		fi
	done
	n=$((n + 1))
done
echo "$n files, $bad failures"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]

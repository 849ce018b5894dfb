#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The static check must reject a bad object, naming each fault.
set -u
out=$("$1" "$2:4.15" 2>&1)
rc=$?
echo "$out"
[ "$rc" -ne 0 ] || { echo "FAIL: bad object accepted"; exit 1; }
for want in "back-edge" "raw tracepoint before 4.17" "bpf_ringbuf_output needs 5.8" "global data" \
	    "instructions (max 4096 before 5.2)" "a BPF-to-BPF call needs 4.16" \
	    "tracepoint sock/inet_sock_set_state does not exist in 4.15"; do
	grep -qF "$want" <<<"$out" || { echo "FAIL: no '$want'"; exit 1; }
done
# claims: a feature the table does not claim, one it claims and the
# object lacks; and two objects alike
out=$("$1" "$2:5.8:probe_read_kernel" "$2:5.8:probe_read_kernel" 2>&1)
rc=$?
echo "$out"
[ "$rc" -ne 0 ] || { echo "FAIL: wrong claims and a duplicate accepted"; exit 1; }
for want in "shows loops, the variant table says it has not" \
	    "does not show probe_read_kernel, the variant table says it has" \
	    "the same bytes"; do
	grep -qF "$want" <<<"$out" || { echo "FAIL: no '$want'"; exit 1; }
done
echo "ok: every fault reported"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -btf FILE: CO-RE relocations from a BTF file instead of the kernel's, as
# on kernels without /sys/kernel/btf/vmlinux. The file is a minimized BTF
# (bpftool gen min_core_btf), the kind shipped for such kernels.
# Arguments: the eBPF object files.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then # (lib.sh's skip: this test does not use lib.sh)
	[ "${CI:-}" != true ] || { echo "FAIL: on CI this test must run, but it is not root"; exit 1; }
	echo "SKIP: e2e tests need root"; exit 77
fi
work=$(mktemp -d /tmp/sysmon-btf.XXXXXX)
trap 'rm -rf "$work"' EXIT
bpftool gen min_core_btf /sys/kernel/btf/vmlinux "$work/min.btf" "$@"
full=$(stat -c %s /sys/kernel/btf/vmlinux)
small=$(stat -c %s "$work/min.btf")
[ "$small" -lt $((full / 10)) ] || { echo "FAIL: min BTF is not minimal ($small bytes)"; exit 1; }
echo "ok: minimized BTF $small bytes (kernel's: $full)"

# a missing file is refused with a clear message (retried while another
# test's sysmon holds the one-instance lock)
for _ in $(seq 120); do
	if "$SYSMON" -run -btf "$work/none.btf" >"$work/out" 2>&1; then
		echo "FAIL: missing BTF file accepted"; exit 1
	fi
	grep -q "already running" "$work/out" || break
	sleep 1
done
grep -q "cannot read BTF file $work/none.btf" "$work/out" || { cat "$work/out"; exit 1; }
echo "ok: missing BTF file refused"

for obj in v5_6 v4_15; do
	bash "$(dirname "$0")/test_process_events.sh" -btf "$work/min.btf" -ebpfobject "$obj" -perfbuffer
done

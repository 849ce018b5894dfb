#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kernels without BTF: sysmon discovers the layout of the kernel members
# its eBPF objects read. Here, where the kernel has BTF, -btfdiscover
# discovers it anyway and compares every offset with the kernel BTF's (all
# equal, in a few seconds at most); then -btf discover starts the monitor
# the way a kernel without BTF does: discovered now, then from the cache
# of this kernel build, the start line naming the source each time.
. "$(dirname "$0")/lib.sh"

cache=(/var/lib/sysmon/btf/"$(uname -r)"-*.btf)
rm -f "${cache[@]}"
"$SYSMON" -btfdiscover "$WORK/found.btf" >"$WORK/cmp.out" 2>&1 ||
	{ cat "$WORK/cmp.out"; fail "discovery failed or differs from the kernel's BTF"; }
grep -E '^(ok|FAIL) ' "$WORK/cmp.out" | sed 's/^/  /'
n=$(grep -c '(kernel BTF: ' "$WORK/cmp.out")
[ "$n" -ge 80 ] || fail "only $n members compared"
grep -q "^0 of $n members wrong or missing" "$WORK/cmp.out" || fail "members differ"
secs=$(sed -n 's/^discovery: \([0-9.]*\) s$/\1/p' "$WORK/cmp.out")
awk -v s="$secs" 'BEGIN { exit !(s != "" && s < 3) }' || fail "discovery took ${secs:-?} s"
echo "ok: $n members discovered in $secs s, each equal to the kernel BTF's"

cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
for want in "BTF discovered now, kept in /var/lib/sysmon/btf/$(uname -r)-" \
	"BTF discovered earlier, /var/lib/sysmon/btf/$(uname -r)-"; do
	start_sysmon "$WORK/cfg.xml" -btf discover
	grep -qF "$want" "$WORK/start.out" || { cat "$WORK/start.out"; fail "start line lacks: $want"; }
	stop_sysmon
	echo "ok: started with: ${want%%,*}"
done
start_sysmon "$WORK/cfg.xml"
grep -q "the kernel's BTF" "$WORK/start.out" || { cat "$WORK/start.out"; fail "start line lacks the kernel's BTF"; }
stop_sysmon
rm -f /var/lib/sysmon/btf/"$(uname -r)"-*.btf
echo "PASS"

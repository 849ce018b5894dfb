#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: the same sysmon binary on another Debian kernel, under qemu
# (TCG). Boots linux-image-<ver>-cloud-amd64 with an initramfs holding
# busybox, sysmon (+ its shared libraries), a marker program and the
# kernel's own dummy.ko, and checks that sysmon logs the marker's
# ProcessCreate event, the marker's run from a memfd (Image
# /memfd:smmark (deleted), its hash) and the module's DriverLoad (a real module load on a
# real kernel: this test machine's kernel has no module support).
#
# Usage: boot_test.sh SERIES|VERSION|PACKAGE [sysmon switches...]
#   6.1 / 6.12                       newest cloud kernel of that series
#   6.1.0-56-cloud-amd64, linux-image-6.1.0-56-cloud-amd64   that one
#   extra switches go to sysmon, e.g. -ebpfobject v5_2 or -perfbuffer
# Environment: SYSMON (the binary, required), BOOT_CACHE (kernel cache dir,
# default /tmp/sysmon-boot-cache), BOOT_TIMEOUT (seconds, default 300),
# BOOT_EXPECT_OBJECT / BOOT_EXPECT_BUFFER (e.g. v5_6 / ring: the object and
# buffer sysmon must choose), BOOT_KEEP=1 keeps the work dir.
# Exit: 0 PASS, 1 FAIL, 77 skip (not root, or the kernel cannot be had);
# on CI (CI=true) those are failures: this is the only test of a real
# module load (DriverLoad), which CI must not lose to a skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
skip() {
	[ "${CI:-}" != true ] || { echo "FAIL: on CI the boot test must run, but: $*"; exit 1; }
	echo "SKIP: $*"
	exit 77
}
die() { echo "FAIL: $*"; exit 1; }

[ $# -ge 1 ] || die "usage: $0 SERIES|VERSION|PACKAGE [sysmon switches...]"
[ "$(id -u)" = 0 ] || skip "the boot test needs root (apt-get download, dpkg-deb)"
: "${SYSMON:?set SYSMON to the sysmon binary under test}"
[ -x "$SYSMON" ] || die "SYSMON=$SYSMON is not an executable"
want=$1
shift
sysmon_args="$*"
cache=${BOOT_CACHE:-/tmp/sysmon-boot-cache}
timeout_s=${BOOT_TIMEOUT:-300}
for tool in qemu-system-x86_64 cpio gzip dpkg-deb apt-get apt-cache ldd cc xz openssl; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing: run installer/deps.sh (qemu-system-x86, cpio, build-essential)"
done
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	die "a static busybox is missing: run installer/deps.sh (busybox-static)"
fi

work=$(mktemp -d /tmp/sysmon-boot.XXXXXX)
cleanup() {
	if [ "${BOOT_KEEP:-0}" = 1 ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$cache"

# --- the kernel -------------------------------------------------------------

# Newest linux-image-<series>.*-cloud-amd64 package known to apt.
newest_in_series() {
	local re="^linux-image-${1//./\\.}\\.[0-9][^ ]*-cloud-amd64\$"
	apt-cache search --names-only "$re" | cut -d' ' -f1 | grep -E "$re" |
		sort -V | tail -n 1
}

# The package name for the argument; empty when apt knows none.
package_for() {
	if [[ "$1" =~ ^[0-9]+\.[0-9]+$ ]]; then
		local p
		p=$(newest_in_series "$1")
		if [ -z "$p" ]; then # lists never fetched on this machine?
			apt-get update -qq >/dev/null 2>&1 || true
			p=$(newest_in_series "$1")
		fi
		echo "$p"
	else
		local v=${1#linux-image-}
		[[ "$v" == *-amd64 ]] || v=$v-cloud-amd64
		echo "linux-image-$v"
	fi
}

# Download and unpack the package once; the cache keeps vmlinuz, config
# and dummy.ko (a module without dependencies; decompressed).
fetch_kernel() {
	local pkg=$1 dir=$cache/$1 tmp mod
	[ -s "$dir/vmlinuz" ] && [ -s "$dir/dummy.ko" ] && return 0
	tmp=$(mktemp -d "$cache/dl.XXXXXX")
	chmod 755 "$tmp" # apt's download sandbox user must write here
	if ! (cd "$tmp" && apt-get download -q "$pkg") >"$tmp/apt.log" 2>&1; then
		cat "$tmp/apt.log"
		rm -rf "$tmp"
		return 1
	fi
	mkdir -p "$dir"
	if ! dpkg-deb -x "$tmp"/*.deb "$tmp/x" || ! cp "$tmp"/x/boot/vmlinuz-* "$dir/vmlinuz"; then
		die "cannot unpack /boot/vmlinuz-* from $pkg's package"
	fi
	cp "$tmp"/x/boot/config-* "$dir/config" 2>/dev/null || true
	mod=$(find "$tmp/x/lib/modules" -name 'dummy.ko*' | head -n 1)
	case $mod in
	*.ko) cp "$mod" "$dir/dummy.ko" ;;
	*.ko.xz) xz -dc "$mod" >"$dir/dummy.ko" ;;
	*.ko.zst) zstd -qdc "$mod" >"$dir/dummy.ko" ;;
	*) die "no dummy.ko in $pkg's package" ;;
	esac
	rm -rf "$tmp"
}

pkg=$(package_for "$want")
if [ -z "$pkg" ]; then
	cached=$(find "$cache" -maxdepth 1 -name "linux-image-$want.[0-9]*-cloud-amd64" | sort -V | tail -n 1)
	[ -n "$cached" ] || skip "apt knows no linux-image-$want.*-cloud-amd64 package (apt-get update?) and none is cached in $cache"
	pkg=$(basename "$cached")
	echo "apt knows no $want kernel; using the cached $pkg"
fi
kver=${pkg#linux-image-}
echo "kernel package: $pkg"
fetch_kernel "$pkg" || skip "cannot download $pkg with apt-get download (no network or no such package?)"

# --- the initramfs ------------------------------------------------------------

root=$work/root
marker="smboot_${RANDOM}${RANDOM}_$$"

copy_with_libs() { # copy a binary and every shared library it needs, by path
	local f
	install -D -m 755 "$1" "$root$2"
	for f in $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$root$f" ] || install -D -m 755 "$(readlink -f "$f")" "$root$f"
	done
}

build_initramfs() {
	mkdir -p "$root"/{bin,etc,proc,sys,dev,run,tmp,root}
	install -m 755 "$busybox" "$root/bin/busybox"
	local a
	for a in $("$busybox" --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	copy_with_libs "$SYSMON" /bin/sysmon
	cc -static -O2 -Wall -Wextra -Werror -o "$root/bin/smmark" "$here/smmark.c"
	install -D -m 644 "$cache/$pkg/dummy.ko" "$root/lib/modules/dummy.ko"
	install -m 755 "$here/init.sh" "$root/init"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	printf 'passwd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
	echo 5b00700ebb0140d4a1f6b5d0f1c2e3a4 >"$root/etc/machine-id"
	cat >"$root/etc/smboot.xml" <<-'XML'
		<Sysmon schemaversion="4.90">
		  <EventFiltering>
		    <ProcessCreate onmatch="exclude"/>
		    <DriverLoad onmatch="exclude"/>
		  </EventFiltering>
		</Sysmon>
	XML
	cat >"$root/etc/smboot.env" <<-EOF
		MARKER='$marker'
		SYSMON_ARGS='$sysmon_args'
		START_WAIT=$((timeout_s * 2 / 3))
		EVENT_WAIT=60
	EOF
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"
}

build_initramfs
echo "initramfs: $(du -h "$work/initramfs.gz" | cut -f1), marker $marker"

# --- boot -----------------------------------------------------------------------

log=$work/serial.log
echo "booting $kver under qemu (TCG, timeout ${timeout_s}s)..."
t0=$(date +%s)
rc=0
timeout "$timeout_s" qemu-system-x86_64 -m 1024 -smp 2 -cpu max -nographic \
	-no-reboot -kernel "$cache/$pkg/vmlinuz" -initrd "$work/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1" </dev/null >"$log" 2>&1 || rc=$?
secs=$(($(date +%s) - t0))
# the serial log without CRs and terminal escapes (SeaBIOS clears the screen),
# and with each report starting a line: firmware or kernel text without a
# newline may sit before it on the console
tr -d '\r' <"$log" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[A-Za-z]//g' \
	-e 's/\(.\)SMBOOT /\1\nSMBOOT /g' >"$log.txt"
mkdir -p "$cache/logs"
cp "$log.txt" "$cache/logs/$kver.log"

smline() { sed -n "s/^SMBOOT $1 //p" "$log.txt" | head -n 1; }
failed() {
	echo "FAIL [$kver]: $*"
	echo "--- serial log tail ($cache/logs/$kver.log) ---"
	tail -n 80 "$log.txt"
	exit 1
}
[ "$rc" = 124 ] && failed "qemu did not finish within ${timeout_s}s"
echo "boot took ${secs}s (qemu exit $rc)"

# --- verdict --------------------------------------------------------------------

gkernel=$(smline kernel)
[ -n "$gkernel" ] || failed "the guest never ran /init"
[ "$gkernel" = "$kver" ] || failed "guest kernel is '$gkernel', expected '$kver'"
echo "guest kernel: $gkernel"
echo "BTF: $(smline btf)"
result=$(smline result)
[ "$result" = PASS ] || failed "guest reported '${result:-nothing}'"
# a sanitized build (tests/run-sanitized.sh) reports on the guest's console
! grep -aE 'runtime error:|ERROR: [A-Za-z]+Sanitizer' "$log.txt" ||
	failed "sysmon printed a sanitizer report in the guest (above)"

started=$(smline started)
echo "sysmon: $started (after $(smline start-seconds)s)"
[[ "$started" =~ ^sysmon\ started:\ eBPF\ object\ (v[0-9]+_[0-9]+)\ \(.*(ring|perf)\ buffer ]] ||
	failed "the startup message names no eBPF object: '$started'"
object=${BASH_REMATCH[1]} buffer=${BASH_REMATCH[2]}
check() { [ "$2" = "$3" ] || failed "$1: expected '$3', got '$2'"; }
[ -z "${BOOT_EXPECT_OBJECT:-}" ] || check "eBPF object" "$object" "$BOOT_EXPECT_OBJECT"
[ -z "${BOOT_EXPECT_BUFFER:-}" ] || check "event buffer" "$buffer" "$BOOT_EXPECT_BUFFER"
if [[ " $sysmon_args " != *" -ebpfobject "* ]]; then
	[[ "$started" == *"kernel ${kver%%.*}.$(cut -d. -f2 <<<"$kver"))"* ]] ||
		failed "the startup message does not name kernel $kver as the reason for the object"
fi
grep -q '^SMBOOT tracefs mounted by sysmon' "$log.txt" ||
	failed "tracefs was not mounted after sysmon started"

ev=$(smline event)
field() { printf '%s\n' "$ev" | sed -n "s/.*<Data Name=\"$1\">\([^<]*\)<\/Data>.*/\1/p"; }
check EventID "$(printf '%s' "$ev" | sed -n 's/.*<EventID>\([0-9]*\)<.*/\1/p')" 1
check Image "$(field Image)" /bin/smmark
check CommandLine "$(field CommandLine)" "/bin/smmark $marker"
check ProcessId "$(field ProcessId)" "$(smline marker-pid)"
check ParentProcessId "$(field ParentProcessId)" 1
check ParentImage "$(field ParentImage)" /bin/busybox
check ParentCommandLine "$(field ParentCommandLine)" "/bin/sh /init"
check User "$(field User)" root
check "ProcessGuid prefix (machine-id)" "$(field ProcessGuid | cut -c1-10)" "{5b00700e-"
check Hashes "$(field Hashes)" "SHA256=$(sha256sum "$root/bin/smmark" | cut -d' ' -f1)"
echo "event: $ev"
# the same program run from a memfd (execveat with AT_EMPTY_PATH)
ev=$(smline memfd-event)
check "memfd Image" "$(field Image)" "/memfd:smmark (deleted)"
check "memfd CommandLine" "$(field CommandLine)" "smmark $marker"
check "memfd Hashes" "$(field Hashes)" "SHA256=$(sha256sum "$root/bin/smmark" | cut -d' ' -f1)"

# DriverLoad: busybox's insmod hands the file over (finit_module), or its
# bytes (init_module, ImageLoaded = the module's name)
check "insmod status" "$(smline insmod)" 0
ev=$(smline module-event)
[ -n "$ev" ] || failed "no DriverLoad event"
mod=$root/lib/modules/dummy.ko
signed=false
[ "$(tail -c 28 "$mod")" = "~Module signature appended~" ] && signed=true
check "DriverLoad EventID" "$(printf '%s' "$ev" | sed -n 's/.*<EventID>\([0-9]*\)<.*/\1/p')" 6
case $(field ImageLoaded) in
/lib/modules/dummy.ko)
	check "DriverLoad Hashes" "$(field Hashes)" "SHA256=$(sha256sum "$mod" | cut -d' ' -f1)" ;;
dummy) check "DriverLoad Hashes (from memory)" "$(field Hashes)" - ;;
*) failed "DriverLoad ImageLoaded: '$(field ImageLoaded)'" ;;
esac
check "DriverLoad Signed" "$(field Signed)" "$signed"
if [ "$signed" = true ]; then
	# the signer, as openssl reads the PKCS#7 blob before the trailer
	# (its length: big-endian, the last 4 bytes of module_signature)
	siglen=$(tail -c 32 "$mod" | head -c 4 | od -An -tu1 |
		 awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	tail -c $((28 + 12 + siglen)) "$mod" | head -c "$siglen" >"$work/sig.der"
	signer=$(openssl pkcs7 -inform DER -in "$work/sig.der" -print |
		 sed -n 's/^ *issuer: .*CN=\([^,]*\).*/\1/p' | head -n 1)
	check "DriverLoad Signature" "$(field Signature)" "$signer"
	check "DriverLoad SignatureStatus" "$(field SignatureStatus)" Valid
fi
echo "module event: $ev"
echo "PASS [$kver]: object $object, $buffer buffer, ProcessCreate of /bin/smmark $marker and of it from a memfd, DriverLoad of $(field ImageLoaded) (signed: $signed), boot ${secs}s"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building, running and testing sysmon needs (Debian 12 packages).
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang llvm clang-format-14 libclang-rt-14-dev bpftool libbpf-dev libelf-dev openssl
      zlib1g-dev libxml2-dev libxml2-utils libssl-dev libcmocka-dev rsyslog
      util-linux procps iproute2
      qemu-system-x86 busybox-static cpio xz-utils zstd
      auditd gnuplot-nox
      dpkg-dev man-db groff-base bc
      dnsmasq-base rsyslog-relp)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# another apt or dpkg at work: wait for its lock (up to 5 minutes)
	apt-get -o DPkg::Lock::Timeout=300 update -qq
	apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

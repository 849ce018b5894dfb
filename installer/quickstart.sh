#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# From a fresh Debian 12 (as root): dependencies, build, syslog, and sysmon
# installed as a service (/opt/sysmon; systemd unit or, without systemd, a
# supervised daemon) with the given config or the built-in one
# (ProcessCreate + ProcessTerminate). Run again, it replaces the
# installation (new build, given config) and restarts the service.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j"$(nproc)"
"$root/installer/ensure-syslog.sh"
s="$root/build/linux/sysmon"
"$s" -i "$@"
echo "events: tail -f /var/log/syslog | grep sysmon    rules: $s -c [FILE]    stop: $s -u    remove: $s -u purge"

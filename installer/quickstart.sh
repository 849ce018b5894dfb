#!/usr/bin/env bash
# From a fresh Debian 12 (as root): dependencies, build, syslog, and sysmon
# started with its built-in configuration (ProcessCreate + ProcessTerminate).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j"$(nproc)"
"$root/installer/ensure-syslog.sh"
"$root/build/linux/sysmon" -i "$@"
echo "events: tail -f /var/log/syslog | grep sysmon    stop: kill \$(cat /run/sysmon.pid)"

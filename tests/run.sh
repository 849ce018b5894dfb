#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: dependencies, build, unit + conformance + e2e tests.
# e2e tests need root and the real kernel; as non-root they are skipped,
# except on CI (CI=true), where a skipped test or an empty run fails.
#
# A machine has one monitor slot and the e2e tests install a service of
# their own, so an installed sysmon service (installer/quickstart.sh
# installs one) is stopped for the run (`sysmon -u force`) and installed
# again afterwards, whatever the tests did: /opt/sysmon as it was (the same
# binary, configuration and its name, switches), EventRecordIDs going on
# from the highest one reached. An /opt/sysmon without a service (left by
# `sysmon -u`) is put back as it was too, and stays uninstalled.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
keep=     # a copy of /opt/sysmon (and the record ID state) while the tests run
service=  # it was installed as a service

# /opt/sysmon as it was before the run; the service started again if there was one.
restore_sysmon() {
	local cfg=() sw=() saved now
	[ -n "$keep" ] || return 0
	echo "tests/run.sh: putting /opt/sysmon back as it was${service:+ and starting its service again}"
	# a test that failed may have left its own installation
	[ ! -e /opt/sysmon/switches ] || /opt/sysmon/sysmon -u purge >/dev/null 2>&1 || true
	rm -rf /opt/sysmon
	cp -a "$keep/opt" /opt/sysmon
	saved=$(cat "$keep/eventId" 2>/dev/null || echo 0)
	now=$(cat /var/lib/sysmon/eventId 2>/dev/null || echo 0)
	if [ "${saved:-0}" -gt "${now:-0}" ]; then # a test purged the package
		mkdir -p -m 0700 /var/lib/sysmon
		cp -p "$keep/eventId" /var/lib/sysmon/eventId
	fi
	if [ -n "$service" ]; then
		rm -f /opt/sysmon/switches # (what marks it installed: -i writes it again)
		[ ! -e /opt/sysmon/config.xml ] || cfg=(/opt/sysmon/config.xml)
		mapfile -t sw <"$keep/opt/switches"
		/opt/sysmon/sysmon -i "${cfg[@]}" "${sw[@]}" || {
			echo "tests/run.sh: the sysmon service did not start again: install it by hand" \
			     "(/opt/sysmon/sysmon -i [config], the switches in $keep/opt/switches)" >&2
			return 1
		}
	fi
	rm -rf "$keep"
}

# Keeps a copy of /opt/sysmon for restore_sysmon and stops an installed service.
set_sysmon_aside() {
	[ -d /opt/sysmon ] || return 0
	[ ! -e /opt/sysmon/switches ] || service=1
	keep=$(mktemp -d /tmp/sysmon-keep.XXXXXX)
	cp -a /opt/sysmon "$keep/opt"
	rm -f "$keep/opt/config.xml.new" # (a -c not applied yet)
	trap 'rc=$?; restore_sysmon || rc=1; exit $rc' EXIT
	trap 'exit 130' INT TERM
	if [ -n "$service" ]; then
		echo "tests/run.sh: stopping the installed sysmon service for the tests (they install their own);" \
		     "it is installed again afterwards with the same binary, configuration and switches"
		/opt/sysmon/sysmon -u force
	fi
	# (written by the service as it stopped)
	[ ! -f /var/lib/sysmon/eventId ] || cp -p /var/lib/sysmon/eventId "$keep/eventId"
}

if [ "$(id -u)" = 0 ]; then
	"$root/installer/deps.sh"
	set_sysmon_aside
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
# CTEST_ARGS: e.g. "-L unit" or "-R e2e_service" for part of the suite
# shellcheck disable=SC2086 # (split on purpose)
"$root/tests/ctest-ci.sh" --test-dir "$build" --output-on-failure ${CTEST_ARGS:-}

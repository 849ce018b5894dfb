#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package: cpack builds it from this build tree; dpkg installs
# it (postinst installs and starts the service: systemd unit or supervisor),
# a ProcessCreate event arrives from the installed service, the man page
# and unit are in place; dpkg --remove stops it (Stopped logged) and
# deletes /opt/sysmon (the EventRecordID state stays); dpkg --purge leaves
# nothing: no process, no state, no package files. Another apt or dpkg at
# work on this machine is waited for (up to 5 minutes), not a failure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/service_lib.sh"

BUILD=${BUILD:-$(cd "$(dirname "$SYSMON")/.." && pwd)}
[ -f "$BUILD/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $BUILD (set BUILD to the CMake build directory)"
command -v dpkg >/dev/null || fail "dpkg is missing"

dropin=/etc/rsyslog.d/00-sysmon.conf
[ -e $dropin ] && cp -p $dropin "$WORK/dropin.keep"
PKG=
deb_cleanup() {
	[ -z "$PKG" ] || dpkg --purge sysmon >/dev/null 2>&1 || true
	# purge removes the conffile that ensure-syslog.sh installed for all
	[ ! -e "$WORK/dropin.keep" ] || [ -e $dropin ] || cp -p "$WORK/dropin.keep" $dropin
}
trap 'deb_cleanup; svc_cleanup; cleanup' EXIT

# dpkg ARGS: output in $WORK/dpkg.out; while another dpkg or apt holds
# dpkg's lock, try again every second (up to 5 minutes)
dpkg_wait() {
	for _ in $(seq 300); do
		dpkg "$@" >"$WORK/dpkg.out" 2>&1 && return 0
		grep -qi 'lock.*another process\|locked by another' "$WORK/dpkg.out" || return 1
		sleep 1
	done
	return 1
}

(cd "$BUILD" && cpack -G DEB -B "$WORK/pkg" >"$WORK/cpack.out" 2>&1) || { cat "$WORK/cpack.out"; fail "cpack -G DEB"; }
deb=$(ls "$WORK"/pkg/sysmon_*.deb)
[[ "$(dpkg-deb -f "$deb" Depends)" == *libbpf1* ]] || fail "package does not depend on libbpf1"
dpkg-deb -c "$deb" | awk '{ print $NF }' >"$WORK/contents"
for f in /usr/bin/sysmon /lib/systemd/system/sysmon.service /usr/share/man/man8/sysmon.8.gz $dropin \
	 /usr/bin/sysmonLogView /usr/share/man/man1/sysmonLogView.1.gz \
	 /usr/share/doc/sysmon/examples/rsyslog-sysmon-forward.conf \
	 /usr/share/doc/sysmon/examples/rsyslog-sysmon-collector.conf; do
	grep -qx "\.$f" "$WORK/contents" || fail "$f not in the package"
done
pass "cpack -G DEB builds $(basename "$deb")"

# postinst starts the service; another test's monitor may hold the slot,
# so unpack first and configure (postinst) the moment it is free
for _ in $(seq 10); do
	wait_not_installed
	PKG=1
	INSTALLED=1
	dpkg_wait --unpack "$deb" || { cat "$WORK/dpkg.out"; fail "dpkg --unpack"; }
	wait_sysmon_free
	dpkg_wait --configure sysmon || { cat "$WORK/dpkg.out"; fail "dpkg --configure"; }
	[ -n "$(service_pid)" ] && break
	grep -q "$CONTENDED" "$WORK/dpkg.out" || { cat "$WORK/dpkg.out"; fail "postinst did not start the service"; }
	echo "postinst: the slot was taken ($(grep -m1 "$CONTENDED" "$WORK/dpkg.out")); again"
	dpkg_wait --purge sysmon || true
	PKG=
done
svc=$(service_pid)
[ -n "$svc" ] || fail "no service after dpkg -i"
assert_eq "installed binary" "$(readlink /proc/$svc/exe)" /opt/sysmon/sysmon
cmp -s /usr/bin/sysmon /opt/sysmon/sysmon || fail "/opt/sysmon/sysmon is not the packaged binary"
cmp -s /usr/bin/sysmonLogView /opt/sysmon/sysmonLogView ||
	fail "/opt/sysmon/sysmonLogView is not the packaged one"
[ "$(man -w sysmonLogView 2>/dev/null)" = /usr/share/man/man1/sysmonLogView.1.gz ] ||
	fail "sysmonLogView's man page not found by man"
grep -qx "ExecStart=/opt/sysmon/sysmon -service" /lib/systemd/system/sysmon.service || fail "unit ExecStart"
grep -qx "Restart=on-failure" /lib/systemd/system/sysmon.service || fail "unit Restart"
[ "$(man -w sysmon 2>/dev/null)" = /usr/share/man/man8/sysmon.8.gz ] || fail "man page not found by man"
zcat /usr/share/man/man8/sysmon.8.gz | groff -man -ww -z 2>"$WORK/groff.out"; [ ! -s "$WORK/groff.out" ] || { cat "$WORK/groff.out"; fail "man page warnings"; }
zcat /usr/share/man/man8/sysmon.8.gz >"$WORK/sysmon.8"
sws=$(/usr/bin/sysmon -? | sed -n 's/^  -\([a-zA-Z]\{1,\}\).*/\1/p')
[ "$(echo "$sws" | wc -w)" -ge 10 ] || fail "cannot read the switches from the usage"
for sw in $sws; do
	grep -qE "\\\\-$sw([^a-z]|\$)" "$WORK/sysmon.8" || fail "man page does not document -$sw"
done
grep -q '^\.SH CONFIGURATION' "$WORK/sysmon.8" || fail "man page does not document the config format"
pass "dpkg (unpack + configure) installs and starts the service (pid $svc), unit and man page in place"

m=$(marker deb)
/bin/echo "$m" >/dev/null
line=$(wait_event 1 "$svc" "$(echoed "$m")") || fail "no ProcessCreate from the packaged service"
assert_eq "Image" "$(printf '%s' "$line" | field Image)" /usr/bin/echo
assert_eq "CommandLine" "$(printf '%s' "$line" | field CommandLine)" "/bin/echo $m"
pass "ProcessCreate from the packaged service"

# (other tests' monitors may write a new /var/lib/sysmon/eventId at once)
touch /var/lib/sysmon/purge-check
dpkg_wait --remove sysmon || { cat "$WORK/dpkg.out"; fail "dpkg --remove"; }
INSTALLED=
wait_event 4 "$svc" '<Data Name="State">Stopped</Data>' >/dev/null || fail "no Stopped event on removal"
! running "$svc" || fail "service still running after removal"
[ -z "$(pgrep -f '/opt/sysmon/sysmon' || true)" ] || fail "an installed sysmon process is left"
for f in /opt/sysmon /usr/bin/sysmon /lib/systemd/system/sysmon.service /etc/init.d/sysmon \
	 /usr/share/man/man8/sysmon.8.gz /run/sysmon.sock /usr/bin/sysmonLogView; do
	[ ! -e $f ] || fail "$f left after dpkg --remove"
done
[ -e /var/lib/sysmon/purge-check ] || fail "dpkg --remove deleted the EventRecordID state"
pass "dpkg --remove stops the service (Stopped logged) and deletes /opt/sysmon"

dpkg_wait --purge sysmon || { cat "$WORK/dpkg.out"; fail "dpkg --purge"; }
PKG=
[ ! -e /var/lib/sysmon/purge-check ] || fail "/var/lib/sysmon left after purge"
pass "dpkg --purge leaves nothing"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# DNSQuery (22) end to end against a dnsmasq this test starts on
# 127.0.0.1:53 with known records: exact QueryName, QueryStatus and
# QueryResults, over UDP in each calling style and over TCP; glibc's own
# resolver (A and AAAA sent together, one event); NXDOMAIN; a query nobody
# answers (the timeout status); the UDP NetworkConnect of a lookup; then a
# QueryName rule. Extra sysmon switches come as arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/net_lib.sh"

DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
[ -x "$DNSMASQ" ] || fail "dnsmasq is not installed (apt-get install dnsmasq-base)"
Z=sm-test.example
if ss -Hlnu 'sport = :53' | grep -q '127\.0\.0\.1:53'; then
	fail "something already listens on 127.0.0.1:53: $(ss -Hlnup 'sport = :53')"
fi
"$DNSMASQ" --keep-in-foreground --log-facility=- --conf-file=/dev/null \
	--port=53 --listen-address=127.0.0.1 --bind-interfaces --no-resolv \
	--no-hosts --pid-file= --local=/$Z/ \
	--host-record=known.$Z,192.0.2.1,2001:db8::1 \
	--cname=alias.$Z,known.$Z 2>"$WORK/dnsmasq.log" &
DNSMASQ_PID=$!
trap 'kill "$DNSMASQ_PID" 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do
	ss -Hlnu 'sport = :53' | grep -q '127\.0\.0\.1:53' && break
	sleep 0.1
done
ss -Hlnu 'sport = :53' | grep -q '127\.0\.0\.1:53' || { cat "$WORK/dnsmasq.log"; fail "dnsmasq did not start"; }

cat >"$WORK/all.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <DnsQuery onmatch="exclude"/>
    <NetworkConnect onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/all.xml" "$@"

# A DNSQuery event later than those of every lookup made so far (a lookup
# of known.$Z, which every config here logs), waited for: events are logged
# in the order of their kernel time, so earlier lookups' can be counted.
dns_marker() {
	local CPID CPORT
	netpeer_client dns 127.0.0.1 known.$Z 1 plain
	wait_event 22 "<Data Name=\"ProcessId\">$CPID</Data>" >/dev/null ||
		fail "no DNSQuery event for the marker lookup (pid $CPID)"
}

# The one DNSQuery event of process $1; fails unless there is exactly one.
dns_event() {
	local pid=$1 n
	ev=$(wait_event 22 "<Data Name=\"ProcessId\">$pid</Data>") ||
		fail "no DNSQuery event of pid $pid"
	dns_marker # a duplicate would come before it
	n=$(count_events 22 "<Data Name=\"ProcessId\">$pid</Data>")
	assert_eq "DNSQuery events of pid $pid" "$n" 1
}

# check_dns WHAT PID IMAGE NAME STATUS RESULTS
check_dns() {
	local what=$1
	get() { printf '%s\n' "$ev" | field "$1"; }
	assert_eq "$what ProcessId" "$(get ProcessId)" "$2"
	assert_eq "$what Image" "$(get Image)" "$3"
	assert_eq "$what User" "$(get User)" root
	assert_eq "$what QueryName" "$(get QueryName)" "$4"
	assert_eq "$what QueryStatus" "$(get QueryStatus)" "$5"
	assert_eq "$what QueryResults" "$(get QueryResults)" "$6"
	assert_eq "$what ProcessGuid" "$(get ProcessGuid)" "$(create_guid "$2")"
	assert_near "$what UtcTime" "$(get UtcTime)" "$t0"
	pass "$what"
}

# dns_case WHAT NAME TYPE MODE STATUS RESULTS
dns_case() {
	t0=$(date +%s.%N)
	netpeer_client dns 127.0.0.1 "$2" "$3" "$4"
	dns_event "$CPID"
	check_dns "$1" "$CPID" "$NETPEER" "$2" "$5" "$6"
}
dns_case "A over UDP (sendto/recvfrom)" known.$Z 1 plain 0 "::ffff:192.0.2.1;"
dns_case "NXDOMAIN (sendmsg/recvmsg)" missing.$Z 1 msg 9003 "-"
dns_case "CNAME (sendmmsg/recvmmsg)" alias.$Z 1 mmsg 0 "type:  5 known.$Z;::ffff:192.0.2.1;"
dns_case "AAAA over TCP" known.$Z 28 tcp 0 "2001:db8::1;"
dns_case "no record of the type (NODATA)" known.$Z 16 plain 9501 "-"

# the UDP conversation of the first lookup: to the domain port
netpeer_client dns 127.0.0.1 known.$Z 1 plain
net_event "$CPID" 53
assert_eq "DNS NetworkConnect Protocol" "$(printf '%s\n' "$ev" | field Protocol)" udp
assert_eq "DNS NetworkConnect DestinationIp" "$(printf '%s\n' "$ev" | field DestinationIp)" 127.0.0.1
assert_eq "DNS NetworkConnect DestinationPortName" "$(printf '%s\n' "$ev" | field DestinationPortName)" domain
assert_eq "DNS NetworkConnect Initiated" "$(printf '%s\n' "$ev" | field Initiated)" true
pass "the lookup's UDP conversation: NetworkConnect to port 53 (domain)"

# glibc's resolver with a resolv.conf naming the test server, in a mount
# namespace of its own (the host's /etc/resolv.conf is not touched)
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n' >"$WORK/resolv.conf"
glibc_case() {
	t0=$(date +%s.%N)
	unshare -m sh -c "mount --bind '$WORK/resolv.conf' /etc/resolv.conf && exec getent ahosts $2" \
		>"$WORK/getent.out" &
	local pid=$!
	wait "$pid" || true
	dns_event "$pid"
	check_dns "$1" "$pid" "$(readlink -f "$(command -v getent)")" "$2" "$3" "$4"
}
glibc_case "glibc getaddrinfo: A and AAAA in one event" known.$Z 0 "::ffff:192.0.2.1;2001:db8::1;"
glibc_case "glibc getaddrinfo: NXDOMAIN" missing.$Z 9003 "-"

# nobody answers on 127.0.0.9:53: reported with the timeout status
t0=$(date +%s.%N)
netpeer_client dns 127.0.0.9 unanswered.$Z 1 plain
ev=$(wait_event 22 "<Data Name=\"ProcessId\">$CPID</Data>") || fail "no event for the unanswered query"
check_dns "unanswered query: timeout status" "$CPID" "$NETPEER" unanswered.$Z 1460 "-"

# one still unanswered when the monitor stops (before its timeout): logged
# as the monitor stops, with the same status
t0=$(date +%s.%N)
netpeer_client dns 127.0.0.9 pending.$Z 1 plain
stop_sysmon
ev=$(wait_event 22 "<Data Name=\"ProcessId\">$CPID</Data>") || fail "no event for the query pending at stop"
check_dns "query pending at stop: logged, timeout status" "$CPID" "$NETPEER" pending.$Z 1460 "-"

assert_wellformed '<EventID>22</EventID>'

# ---- rules: QueryName ----
cat >"$WORK/rules.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <DnsQuery onmatch="include">
      <QueryName name="known_name" condition="end with">known.$Z</QueryName>
    </DnsQuery>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/rules.xml" "$@"
t0=$(date +%s.%N)
netpeer_client dns 127.0.0.1 known.$Z 1 plain
dns_event "$CPID"
assert_eq "RuleName" "$(printf '%s\n' "$ev" | field RuleName)" known_name
netpeer_client dns 127.0.0.1 missing.$Z 1 plain
dns_marker
assert_eq "events for another name" "$(count_events 22 "<Data Name=\"ProcessId\">$CPID</Data>")" 0
pass "QueryName rule keeps only its name"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# NetworkConnect (3) end to end on loopback: TCP client/server pairs over
# IPv4, IPv6 and IPv4-mapped IPv6 (one Initiated=true event for the
# client, one Initiated=false for the server, exact addresses and ports),
# UDP exchanges in each calling style (one event per side however many
# datagrams), then rules on DestinationPort and DnsLookup host names.
# Extra sysmon switches (e.g. -ebpfobject v4_17 -perfbuffer) come as
# arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/net_lib.sh"

cat >"$WORK/all.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <NetworkConnect onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/all.xml" "$@"

# ---- TCP: server address, client's target, address in the events, v6 ----
tcp_case() {
	local saddr=$1 caddr=$2 ip=$3 v6=$4
	t0=$(date +%s.%N)
	netpeer_server tcp-server "$saddr"
	netpeer_client tcp-client "$caddr" "$SPORT"
	wait "$SPID" || fail "tcp-server on $saddr failed"
	net_event "$CPID" "$CPORT"
	check_net "tcp $caddr client" "$CPID" tcp true "$v6" "$ip" "$CPORT" "$ip" "$SPORT"
	MARKED=1 net_event "$SPID" "$CPORT"
	check_net "tcp $caddr server" "$SPID" tcp false "$v6" "$ip" "$CPORT" "$ip" "$SPORT"
	pass "TCP $caddr: client and server events"
}
tcp_case 127.0.0.1 127.0.0.1 127.0.0.1 false
tcp_case ::1 ::1 ::1 true
# a dual-stack server and an IPv6 client socket talking IPv4: IPv4 events
tcp_case :: ::ffff:127.0.0.1 127.0.0.1 false

# ---- UDP: one event per side per conversation, in each calling style ----
udp_case() {
	local saddr=$1 caddr=$2 ip=$3 v6=$4 mode=$5
	t0=$(date +%s.%N)
	netpeer_server udp-server "$saddr" 5 "$mode"
	netpeer_client udp-client "$caddr" "$SPORT" 5 "$mode"  # 5 each way
	wait "$SPID" || fail "udp-server on $saddr failed"
	net_event "$CPID" "$CPORT"
	check_net "udp $mode client" "$CPID" udp true "$v6" "$ip" "$CPORT" "$ip" "$SPORT"
	MARKED=1 net_event "$SPID" "$CPORT"
	check_net "udp $mode server" "$SPID" udp false "$v6" "$ip" "$CPORT" "$ip" "$SPORT"
	pass "UDP $mode, server on $saddr, client to $caddr${NETPEER_GAP_MS:+, ${NETPEER_GAP_MS} ms apart}: one event per side for 5 datagrams each way"
}
udp_case 127.0.0.1 127.0.0.1 127.0.0.1 false plain
# spread over more than the kernel's 1 s rate cap: the window of user
# space (60 s) still makes it one event
NETPEER_GAP_MS=400 udp_case 127.0.0.1 127.0.0.1 127.0.0.1 false msg
# a server on the wildcard address: its local address is the route's
udp_case 0.0.0.0 127.0.0.1 127.0.0.1 false msg
udp_case ::1 ::1 ::1 true mmsg
udp_case :: ::ffff:127.0.0.1 127.0.0.1 false plain

assert_wellformed '<EventID>3</EventID>'
ref="$SHARED/reference/samples/event_3_NetworkConnect.log"
assert_eq "NetworkConnect shape" "$(printf '%s\n' "<x> sysmon: $ev" | shape)" "$(head -n1 "$ref" | shape)"
pass "NetworkConnect matches the reference layout"
stop_sysmon

# ---- rules: DestinationPort filters; DnsLookup names the addresses ----
NETPEER_PORT_A=$((20000 + RANDOM % 20000))
cat >"$WORK/rules.xml" <<XML
<Sysmon schemaversion="4.90">
  <DnsLookup>true</DnsLookup>
  <EventFiltering>
    <NetworkConnect onmatch="include">
      <DestinationPort name="the_port" condition="is">$NETPEER_PORT_A</DestinationPort>
    </NetworkConnect>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/rules.xml" "$@"
NETPEER_PORT=$NETPEER_PORT_A netpeer_server tcp-server 127.0.0.1
netpeer_client tcp-client 127.0.0.1 "$SPORT"
wait "$SPID"
NET_MARKER_PORT=$NETPEER_PORT_A net_event "$CPID" "$CPORT"
assert_eq "RuleName" "$(printf '%s\n' "$ev" | field RuleName)" the_port
other_client=$CPID
netpeer_server tcp-server 127.0.0.1
netpeer_client tcp-client 127.0.0.1 "$SPORT"
wait "$SPID"
NET_MARKER_PORT=$NETPEER_PORT_A net_marker
assert_eq "events for another port" "$(count_events 3 "<Data Name=\"ProcessId\">$CPID</Data>")" 0
pass "DestinationPort rule keeps only its port"

# the first event of an address cannot wait for the resolver; a later one
# carries the name (127.0.0.1 is localhost in /etc/hosts)
for _ in $(seq 20); do
	t0=$(date +%s.%N)
	NETPEER_PORT=$NETPEER_PORT_A netpeer_server tcp-server 127.0.0.1
	netpeer_client tcp-client 127.0.0.1 "$SPORT"
	wait "$SPID"
	ev=$(wait_event 3 "<Data Name=\"ProcessId\">$CPID</Data>") || fail "no event for pid $CPID"
	[ "$(printf '%s\n' "$ev" | field DestinationHostname)" = localhost ] && break
	sleep 0.2
done
SRC_HOST=localhost DST_HOST=localhost check_net "DnsLookup" "$CPID" tcp true false \
	127.0.0.1 "$CPORT" 127.0.0.1 "$NETPEER_PORT_A"
[ "$other_client" != "$CPID" ] || fail "same client twice"
pass "DnsLookup: host names from the reverse lookup"
stop_sysmon

# ---- -udpwindow: the window is a setting ----
# 5 datagrams each way, 400 ms apart (0 .. 1.6 s): the kernel passes at most
# one record a second per conversation (0 s, 1.2 s), and with a 1 s window
# user space logs both: two events for the client instead of one
start_sysmon "$WORK/all.xml" -udpwindow 1 "$@"
NETPEER_GAP_MS=400 netpeer_server udp-server 127.0.0.1 5 msg
NETPEER_GAP_MS=400 netpeer_client udp-client 127.0.0.1 "$SPORT" 5 msg
wait "$SPID" || fail "udp-server failed"
net_marker
assert_eq "UDP events of the client with -udpwindow 1" \
	"$(count_events 3 "<Data Name=\"ProcessId\">$CPID</Data>")" 2
pass "-udpwindow 1: a conversation over 1.6 s is logged twice"

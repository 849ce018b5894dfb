#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# UDP and DNS sent without any send* call: write, writev, sendfile and
# splice on a connected UDP socket (tests/e2e/progs/smudp.c). Each must give
# the NetworkConnect (3) event sendto gives, with the addresses and ports
# that a listener saw on the wire, and a DNS query sent by write or writev
# the DNSQuery (22) event with the name the server received. Extra sysmon
# switches come as arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/net_lib.sh"

if [ -z "${SMUDP:-}" ]; then
	SMUDP="$WORK/smudp"
	cc -O1 -pthread -o "$SMUDP" "$SRC/tests/e2e/progs/smudp.c" || fail "cannot build smudp"
fi
SMUDP=$(readlink -f "$SMUDP")
DNS_IP=127.0.0.13
if ss -Hlnu 'sport = :53' | grep -qE "(0\.0\.0\.0|\*|$DNS_IP):53 "; then
	fail "something already listens on $DNS_IP:53: $(ss -Hlnup 'sport = :53')"
fi

# listener IP PORT NAME: sets LPID, LPORT; what it received goes to $WORK/NAME
listener() {
	local pf="$WORK/$3.port"
	"$SMUDP" listen "$1" "$2" "$pf" "$WORK/$3" &
	LPID=$!
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
	[ -s "$pf" ] || fail "listener on $1:$2 did not start"
	LPORT=$(cat "$pf")
}
listener 127.0.0.1 0 plain.rx
PLAIN_PID=$LPID PLAIN_PORT=$LPORT
listener "$DNS_IP" 53 dns.rx
DNS_PID=$LPID
trap 'kill "$PLAIN_PID" "$DNS_PID" 2>/dev/null || true; cleanup' EXIT

cat >"$WORK/all.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <NetworkConnect onmatch="exclude"/>
    <DnsQuery onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/all.xml" "$@"

# send MODE IP PORT NAME: sets PID and LP (the client's port)
send() {
	local out
	out=$("$SMUDP" send "$@") || fail "smudp send $* failed"
	PID=$(printf '%s\n' "$out" | sed -n 's/^pid=\([0-9]*\).*/\1/p')
	LP=$(printf '%s\n' "$out" | sed -n 's/.*lport=\([0-9]*\).*/\1/p')
}

# on_wire FILE SPORT DPORT NAME: the listener received exactly that
on_wire() {
	local n
	for _ in $(seq 50); do grep -qxF "$2 $3 $4" "$WORK/$1" && break; sleep 0.1; done
	n=$(grep -cxF "$2 $3 $4" "$WORK/$1" || true)
	assert_eq "datagrams $2 -> $3 ($4) on the wire" "$n" 1
}

declare -A DNS_PIDS
for mode in write writev sendfile splice; do
	t0=$(date +%s.%N)
	send "$mode" 127.0.0.1 "$PLAIN_PORT" "$mode.doors.example"
	on_wire plain.rx "$LP" "$PLAIN_PORT" "$mode.doors.example"
	net_event "$PID" "$LP"
	NETPEER=$SMUDP check_net "udp by $mode" "$PID" udp true false 127.0.0.1 "$LP" 127.0.0.1 "$PLAIN_PORT"
	pass "UDP by $mode on a connected socket: NetworkConnect as on the wire"
	send "$mode" "$DNS_IP" 53 "$mode.doors.example"
	on_wire dns.rx "$LP" 53 "$mode.doors.example"
	DNS_PIDS[$mode]=$PID
	net_event "$PID" "$LP"
	NETPEER=$SMUDP check_net "dns by $mode" "$PID" udp true false 127.0.0.1 "$LP" "$DNS_IP" 53
	pass "DNS by $mode: NetworkConnect to port 53 as on the wire"
done

# DNSQuery: nobody answers, so each is logged with the timeout status,
# 10 s after its query (write and writev: sendfile and splice hand the
# kernel pages that are not read; README says so)
for mode in write writev; do
	pid=${DNS_PIDS[$mode]}
	ev=$(wait_event 22 "<Data Name=\"ProcessId\">$pid</Data>") ||
		ev=$(wait_event 22 "<Data Name=\"ProcessId\">$pid</Data>") ||
		fail "no DNSQuery event of the query sent by $mode (pid $pid)"
	assert_eq "$mode DNSQuery QueryName" "$(printf '%s\n' "$ev" | field QueryName)" "$mode.doors.example"
	assert_eq "$mode DNSQuery Image" "$(printf '%s\n' "$ev" | field Image)" "$SMUDP"
	assert_eq "$mode DNSQuery QueryStatus" "$(printf '%s\n' "$ev" | field QueryStatus)" 1460
	assert_eq "$mode DNSQuery ProcessGuid" "$(printf '%s\n' "$ev" | field ProcessGuid)" "$(create_guid "$pid")"
	assert_eq "DNSQuery events of pid $pid" "$(count_events 22 "<Data Name=\"ProcessId\">$pid</Data>")" 1
	pass "DNS query by $mode: DNSQuery with the name sent"
done
"$SMUDP" end 127.0.0.1 "$PLAIN_PORT"
"$SMUDP" end "$DNS_IP" 53
wait "$PLAIN_PID" "$DNS_PID" || true
assert_wellformed '<EventID>22</EventID>'

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A second thread rewrites the caller's buffer while the call runs
# (tests/e2e/progs/smudp.c): the destination port of sendto, the address
# given to connect() before write(), the name in a DNS query. The log must
# name what went on the wire, as listeners recorded it: over 1,000 races
# each, the (source port, destination port) pairs of the NetworkConnect
# events (3) and the names of the DNSQuery events (22) are exactly those
# the listeners received. Extra sysmon switches come as arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/net_lib.sh"

N=${SM_RACES:-1000}
if [ -z "${SMUDP:-}" ]; then
	SMUDP="$WORK/smudp"
	cc -O1 -pthread -o "$SMUDP" "$SRC/tests/e2e/progs/smudp.c" || fail "cannot build smudp"
fi
SMUDP=$(readlink -f "$SMUDP")
DNS_IP=127.0.0.13
if ss -Hlnu 'sport = :53' | grep -qE "(0\.0\.0\.0|\*|$DNS_IP):53 "; then
	fail "something already listens on $DNS_IP:53: $(ss -Hlnup 'sport = :53')"
fi

LPIDS=()
trap 'kill "${LPIDS[@]}" 2>/dev/null || true; cleanup' EXIT
# listener IP PORT NAME: sets LPORT; what it received goes to $WORK/NAME
listener() {
	local pf="$WORK/$3.port"
	"$SMUDP" listen "$1" "$2" "$pf" "$WORK/$3" &
	LPIDS+=($!)
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
	[ -s "$pf" ] || fail "listener on $1:$2 did not start"
	LPORT=$(cat "$pf")
}

# only what the racing processes initiate (not the listeners' receipts)
cat >"$WORK/races.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <NetworkConnect onmatch="include">
      <Initiated condition="is">true</Initiated>
    </NetworkConnect>
    <DnsQuery onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/races.xml" "$@"

# run_race NAME CMD...: runs smudp CMD, sets RPID (its pid)
run_race() {
	local name=$1
	shift
	"$SMUDP" "$@" >"$WORK/$name.out" || fail "smudp $* failed"
	RPID=$(sed -n 's/^pid=\([0-9]*\).*/\1/p' "$WORK/$name.out")
}

# compare WHAT WIRE LOG: the two sorted sets are equal; a difference is
# reported and fails the test at its end (every race is measured)
BAD=0
compare() {
	local extra missing
	extra=$(comm -13 "$2" "$3" | wc -l)
	missing=$(comm -23 "$2" "$3" | wc -l)
	if [ "$extra" != 0 ] || [ "$missing" != 0 ]; then
		comm -3 "$2" "$3" | head -n 10 >&2
		echo "FAIL: $1: $extra logged that never went on the wire, $missing on the wire not logged (of $(wc -l <"$2"))" >&2
		BAD=1
		return 1
	fi
}

# NetworkConnect pairs "SPORT DPORT" of pid $1, sorted, into $2 (called once
# a marker event later than them is in the log: net_marker)
log_pairs() {
	newlog | grep -aF '<EventID>3</EventID>' | grep -aF "<Data Name=\"ProcessId\">$1</Data>" |
		sed -n 's/.*"SourcePort">\([0-9]*\)<.*"DestinationPort">\([0-9]*\)<.*/\1 \2/p' |
		sort -u >"$2" || true # none
}

# port_race NAME COMMAND: N datagrams whose destination port flips between
# two listeners' ports under COMMAND (race-dst, race-connect)
port_race() {
	local a b
	listener 127.0.0.1 0 "$1.a.rx"
	a=$LPORT
	listener 127.0.0.1 0 "$1.b.rx"
	b=$LPORT
	run_race "$1" "$2" 127.0.0.1 "$a" "$b" "$N"
	"$SMUDP" end 127.0.0.1 "$a"
	"$SMUDP" end 127.0.0.1 "$b"
	wait "${LPIDS[@]}" 2>/dev/null || true
	LPIDS=()
	cut -d' ' -f1,2 "$WORK/$1.a.rx" "$WORK/$1.b.rx" | sort -u >"$WORK/$1.wire"
	[ "$(wc -l <"$WORK/$1.a.rx")" -gt 0 ] && [ "$(wc -l <"$WORK/$1.b.rx")" -gt 0 ] ||
		fail "$1: the race did not happen (every datagram went to one port)"
	net_marker # every event of the race is in the log before it
	log_pairs "$RPID" "$WORK/$1.log"
	compare "$1" "$WORK/$1.wire" "$WORK/$1.log" || return 0
	pass "$1: $N datagrams, $(wc -l <"$WORK/$1.a.rx") to one port and $(wc -l <"$WORK/$1.b.rx") to the other; the log names exactly those"
}
port_race sendto-port race-dst
port_race connect-port race-connect

# DNS: the names the server received; the log's names once every query is
# logged (nobody answers: the monitor logs the waiting ones as it stops)
listener "$DNS_IP" 53 dns.rx
run_race dns race-dns "$DNS_IP" "$N"
"$SMUDP" end "$DNS_IP" 53
wait "${LPIDS[@]}" 2>/dev/null || true
cut -d' ' -f3 "$WORK/dns.rx" | sort -u >"$WORK/dns.wire"
assert_eq "queries on the wire" "$(wc -l <"$WORK/dns.wire")" "$N"
grep -q '^b' "$WORK/dns.wire" && grep -q '^a' "$WORK/dns.wire" ||
	fail "dns: the race did not happen (every name has one first letter)"
spid=$SM_PID
stop_sysmon
wait_stopped_line "$spid" # every query is logged before the Stopped line
newlog | grep -aF '<EventID>22</EventID>' | grep -aF "<Data Name=\"ProcessId\">$RPID</Data>" |
	field QueryName | sort -u >"$WORK/dns.log" || true
compare "dns names" "$WORK/dns.wire" "$WORK/dns.log" &&
	pass "dns: $N queries, $(grep -c '^b' "$WORK/dns.wire") of them with the flipped letter; the log names exactly those"
[ "$BAD" = 0 ] || fail "the log named what did not happen (above)"

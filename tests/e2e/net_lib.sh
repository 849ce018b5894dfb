# SPDX-License-Identifier: MIT
# Shared by test_network.sh and test_dns.sh (sourced after lib.sh): the
# test peer program and checks of NetworkConnect (3) events. Loopback
# addresses only.
. "$SRC/tests/e2e/progs/trig.sh" # newlog, wait_event, count_events, ...

NETPEER="$WORK/netpeer"
cc -O1 -Wall -o "$NETPEER" "$SRC/tests/e2e/netpeer.c" || fail "cannot build netpeer"

# Start a server in the background: netpeer_server KIND ADDR [ARGS...];
# sets SPID and SPORT once it listens.
netpeer_server() {
	local kind=$1 addr=$2 pf="$WORK/port.$RANDOM$RANDOM"
	shift 2
	"$NETPEER" "$kind" "$addr" "$pf" "$@" &
	SPID=$!
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
	[ -s "$pf" ] || fail "$kind on $addr did not start"
	SPORT=$(cat "$pf")
}

# Run a client: netpeer_client KIND ARGS...; sets CPID and CPORT (what it
# printed first).
netpeer_client() {
	local out="$WORK/client.$RANDOM$RANDOM"
	"$NETPEER" "$@" >"$out" &
	CPID=$!
	wait "$CPID" || fail "netpeer $* failed"
	CPORT=$(head -n1 "$out")
}

# The service name of a port, as the services database says, or "-".
port_name() { getent services "$1/$2" | awk '{print $1; exit}' | grep . || echo -; }

# Check a NetworkConnect event ($ev) field by field (UtcTime: at most 1 s
# after $t0; ProcessGuid: the one of the process's ProcessCreate):
# check_net WHAT PID PROTO INITIATED V6 SRCIP SRCPORT DSTIP DSTPORT
check_net() {
	local what=$1 pid=$2 proto=$3 init=$4 v6=$5 sip=$6 sport=$7 dip=$8 dport=$9
	get() { printf '%s\n' "$ev" | field "$1"; }
	assert_eq "$what ProcessId" "$(get ProcessId)" "$pid"
	assert_eq "$what Image" "$(get Image)" "$NETPEER"
	assert_eq "$what User" "$(get User)" root
	assert_eq "$what Protocol" "$(get Protocol)" "$proto"
	assert_eq "$what Initiated" "$(get Initiated)" "$init"
	assert_eq "$what SourceIsIpv6" "$(get SourceIsIpv6)" "$v6"
	assert_eq "$what SourceIp" "$(get SourceIp)" "$sip"
	assert_eq "$what SourceHostname" "$(get SourceHostname)" "${SRC_HOST:--}"
	assert_eq "$what SourcePort" "$(get SourcePort)" "$sport"
	assert_eq "$what SourcePortName" "$(get SourcePortName)" "$(port_name "$sport" "$proto")"
	assert_eq "$what DestinationIsIpv6" "$(get DestinationIsIpv6)" "$v6"
	assert_eq "$what DestinationIp" "$(get DestinationIp)" "$dip"
	assert_eq "$what DestinationHostname" "$(get DestinationHostname)" "${DST_HOST:--}"
	assert_eq "$what DestinationPort" "$(get DestinationPort)" "$dport"
	assert_eq "$what DestinationPortName" "$(get DestinationPortName)" "$(port_name "$dport" "$proto")"
	assert_eq "$what ProcessGuid" "$(get ProcessGuid)" "$(create_guid "$pid")"
	assert_near "$what UtcTime" "$(get UtcTime)" "$t0"
}

# The ProcessGuid of the ProcessCreate event of pid (the config must log
# ProcessCreate).
create_guid() {
	local pev
	pev=$(wait_event 1 "<Data Name=\"ProcessId\">$1</Data>") || fail "no ProcessCreate for pid $1"
	printf '%s\n' "$pev" | field ProcessGuid
}

# A NetworkConnect event later than those of every connection made so far:
# one process connecting to its own listener on loopback (port
# $NET_MARKER_PORT when set, for a config that logs only that port), its
# event waited for. Events are logged in the order of their kernel time:
# once this one is in the log, any earlier connection's are too, so they
# can be counted.
net_marker() {
	local pid
	NETPEER_PORT=${NET_MARKER_PORT:-} "$NETPEER" tcp-loop 127.0.0.1 1 &
	pid=$!
	wait "$pid" || fail "marker connection (netpeer tcp-loop) failed"
	wait_event 3 "<Data Name=\"ProcessId\">$pid</Data>" >/dev/null ||
		fail "no NetworkConnect event for the marker connection (pid $pid)"
}

# The one NetworkConnect event of process $1 that names port $2; fails
# unless there is exactly one. MARKED=1: a marker later than the
# connection is in the log already.
net_event() {
	local pid=$1 port=$2 n
	ev=$(wait_event 3 "<Data Name=\"ProcessId\">$pid</Data>" "Port\">$port</Data>") ||
		fail "no NetworkConnect event of pid $pid with port $port"
	[ -n "${MARKED:-}" ] || net_marker # a duplicate would come before it
	n=$(newlog | grep -aF '<EventID>3</EventID>' | grep -aF "<Data Name=\"ProcessId\">$pid</Data>" |
	    grep -acF "Port\">$port</Data>" || true)
	assert_eq "NetworkConnect events of pid $pid with port $port" "$n" 1
}

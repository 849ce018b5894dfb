#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A slow reverse-DNS resolver never holds back NetworkConnect (3) events
# (<DnsLookup>true</DnsLookup>). sysmon runs in a mount namespace of its own
# whose resolv.conf names a dnsmasq this test starts, with a 60 s timeout.
# The test stops dnsmasq (SIGSTOP) so the first lookup hangs, then makes
# TCP connections (from 127.0.0.1) to 20 addresses only that dnsmasq can
# name: every event must be logged, with "-" for the names not yet known,
# while the query sits unanswered in dnsmasq's socket. After SIGCONT the
# answers arrive and a later event to one of those addresses carries its
# name.
# Extra sysmon switches come as arguments.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/e2e/net_lib.sh"

DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
[ -x "$DNSMASQ" ] || fail "dnsmasq is not installed (apt-get install dnsmasq-base)"
NS=127.0.0.54 Z=slow.sm-test.example N=20
listening() { ss -Hlnu 'sport = :53' | grep -qF "$NS:53"; }
# bytes waiting in dnsmasq's socket: the queries it has not read
queued() { ss -Hlnu 'sport = :53' | awk -v a="$NS:53" '$4 == a { print $2; exit }'; }
listening && fail "something already listens on $NS:53: $(ss -Hlnup 'sport = :53')"

# 127.0.0.(100+i) is host$i.$Z for dnsmasq (A and PTR); /etc/hosts does
# not know these addresses, so glibc asks dnsmasq
records=()
for i in $(seq $((N + 1))); do records+=(--host-record="host$i.$Z,127.0.0.$((100 + i))"); done
"$DNSMASQ" --keep-in-foreground --log-facility=- --conf-file=/dev/null \
	--port=53 --listen-address="$NS" --bind-interfaces --no-resolv \
	--no-hosts --pid-file= "${records[@]}" 2>"$WORK/dnsmasq.log" &
DNSMASQ_PID=$!
at_exit kill -CONT "$DNSMASQ_PID"
at_exit kill "$DNSMASQ_PID"
for _ in $(seq 50); do listening && break; sleep 0.1; done
listening || { cat "$WORK/dnsmasq.log"; fail "dnsmasq did not start"; }
assert_eq "dnsmasq names 127.0.0.101" "$(unshare -m sh -c "printf 'nameserver $NS\n' >'$WORK/probe.conf' &&
		mount --bind '$WORK/probe.conf' /etc/resolv.conf &&
		exec getent hosts 127.0.0.101" | awk '{ print $2 }')" "host1.$Z"

# sysmon, with its resolver pointed at dnsmasq: one try, 60 s to answer
printf 'nameserver %s\noptions timeout:60 attempts:1\n' "$NS" >"$WORK/resolv.conf"
real=$SYSMON
cat >"$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90">
  <DnsLookup>true</DnsLookup>
  <EventFiltering>
    <ProcessCreate onmatch="exclude"/>
    <NetworkConnect onmatch="exclude"/>
  </EventFiltering>
</Sysmon>
XML
SYSMON=$(sysmon_ns_wrapper "$WORK/resolv.conf" /etc/resolv.conf)
start_sysmon "$WORK/cfg.xml" "$@"
SYSMON=$real

# one TCP connection to 127.0.0.(100+i); sets CPID, CPORT, SPORT
connect_to() {
	netpeer_server tcp-server "127.0.0.$((100 + $1))"
	netpeer_client tcp-client "127.0.0.$((100 + $1))" "$SPORT"
	wait "$SPID" || fail "tcp-server on 127.0.0.$((100 + $1)) failed"
}

# ---- the resolver hangs: every event is logged all the same ----
kill -STOP "$DNSMASQ_PID"
pids=() cports=() sports=() t0s=()
for i in $(seq "$N"); do
	t0s+=("$(date +%s.%N)")
	connect_to "$i"
	pids+=("$CPID") cports+=("$CPORT") sports+=("$SPORT")
done
for i in $(seq "$N"); do
	ip=127.0.0.$((100 + i)) t0=${t0s[i - 1]}
	ev=$(wait_event 3 "<Data Name=\"ProcessId\">${pids[i - 1]}</Data>") ||
		fail "no NetworkConnect event for connection $i while the resolver hangs"
	# from 127.0.0.1, which /etc/hosts names: named or not, depending on
	# whether its lookup was queued before or after the hanging one
	src=$(printf '%s\n' "$ev" | field SourceHostname)
	case $src in -|localhost) ;; *) fail "connection $i SourceHostname: '$src'" ;; esac
	SRC_HOST=$src check_net "connection $i" "${pids[i - 1]}" tcp true false \
		127.0.0.1 "${cports[i - 1]}" "$ip" "${sports[i - 1]}"
done
# the lookup really is waiting: its query is still unread in dnsmasq's socket
q=$(queued)
[ "${q:-0}" -gt 0 ] || fail "no query is waiting at the stopped dnsmasq (Recv-Q '${q:-}'): the lookup did not hang"
pass "$N connections logged while the first reverse lookup waits ($q bytes of queries unread at the resolver)"

# ---- the resolver answers: later events carry the names ----
kill -CONT "$DNSMASQ_PID"
named=
for _ in $(seq 40); do
	t0=$(date +%s.%N)
	connect_to "$N"
	ev=$(wait_event 3 "<Data Name=\"ProcessId\">$CPID</Data>") || fail "no event for pid $CPID"
	[ "$(printf '%s\n' "$ev" | field DestinationHostname)" = "host$N.$Z" ] && { named=1; break; }
	sleep 0.5
done
[ -n "$named" ] || fail "DestinationHostname never became host$N.$Z after the resolver answered"
ip=127.0.0.$((100 + N))
DST_HOST=host$N.$Z SRC_HOST=localhost check_net "named" "$CPID" tcp true false 127.0.0.1 "$CPORT" "$ip" "$SPORT"
pass "after the resolver answers, events carry the names it gives (host$N.$Z)"

# ---- a lookup that hangs at stop time does not hold up the stop ----
kill -STOP "$DNSMASQ_PID"
connect_to $((N + 1)) # an address not looked up yet
wait_event 3 "<Data Name=\"ProcessId\">$CPID</Data>" >/dev/null || fail "no event for pid $CPID"
q=$(queued)
[ "${q:-0}" -gt 0 ] || fail "no query waiting at the stopped dnsmasq before the stop"
stop_sysmon # fails unless it exits within 10 s
pass "the service stops at once while a reverse lookup hangs"

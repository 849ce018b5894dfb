# SPDX-License-Identifier: MIT
# Shared by the benchmarks (bench/run.sh, bench/workloads.sh): starting and
# stopping the stacks (sysmon, auditd) and reading what they cost. Source it
# after setting $SYSMON (the binary) and $work (a scratch directory).

SM_PID= # the sysmon this script started (never stop another one)
bpf_stats_was=$(sysctl -n kernel.bpf_stats_enabled)
sysmon_pid() { echo "$SM_PID"; }

# one sysmon per machine: wait (up to 10 min) for another one to finish
wait_sysmon_free() {
	for _ in $(seq 6000); do
		{ [ -e /run/sysmon.pid ] && ! flock -n -s /run/sysmon.pid true; } 2>/dev/null || return 0
		sleep 0.1
	done
	echo "another sysmon kept running for 10 minutes" >&2
	return 1
}

# During the runs without sysmon, hold its lock so that no other sysmon
# (another test) monitors the load; released after each run.
LOCKFD=
hold_sysmon_lock() {
	for _ in 1 2 3 4 5; do
		wait_sysmon_free
		exec {LOCKFD}<>/run/sysmon.pid
		flock -n -x "$LOCKFD" && return 0
		exec {LOCKFD}>&-
	done
	echo "cannot hold the sysmon lock" >&2
	return 1
}
release_sysmon_lock() { [ -n "$LOCKFD" ] && exec {LOCKFD}>&- || true; LOCKFD=; }

start_sysmon() { # config.xml [switches]
	local run=-run
	"$SYSMON" -? 2>/dev/null | grep -q -- '-run \[' || run=-i # older binaries
	for _ in 1 2 3; do
		wait_sysmon_free
		if "$SYSMON" $run "$@" >"$work/sysmon.out" 2>&1; then
			SM_PID=$(cat /run/sysmon.pid)
			return 0
		fi
		grep -q "already running" "$work/sysmon.out" || break
	done
	cat "$work/sysmon.out" >&2
	return 1
}

stop_sysmon() {
	local p=$SM_PID
	SM_PID=
	[ -n "$p" ] && kill -TERM "$p" 2>/dev/null || return 0
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	echo "sysmon $p did not stop" >&2
}

setup_auditd_conf() {
	mkdir -p "$work/audit/plugins.d" /var/log/audit
	sed -e 's/^log_format.*/log_format = RAW/' \
	    -e 's/^max_log_file_action.*/max_log_file_action = IGNORE/' \
	    -e 's/^max_log_file .*/max_log_file = 4096/' \
	    -e "s|^plugin_dir.*|plugin_dir = $work/audit/plugins.d|" \
	    /etc/audit/auditd.conf >"$work/audit/auditd.conf"
	chmod 640 "$work/audit/auditd.conf"
}

# auditd with a backlog of 8192 and the given rules (each one auditctl
# argument list, e.g. "-a always,exit -F arch=b64 -S execve -k smbench")
start_auditd() { # rule...
	pgrep -x auditd >/dev/null && { echo "auditd is already running: stop it first" >&2; return 1; }
	auditd -c "$work/audit"
	for _ in $(seq 50); do
		[ "$(auditctl -s | awk '$1 == "pid" { print $2 }')" != 0 ] && break
		sleep 0.1
	done
	auditctl -b 8192 >/dev/null
	local r
	for r in "$@"; do
		# shellcheck disable=SC2086 # a rule is a list of arguments
		auditctl $r >/dev/null
	done
}

stop_auditd() {
	auditctl -D >/dev/null 2>&1 || true
	auditctl -e 0 >/dev/null 2>&1 || true
	local p; p=$(pgrep -x auditd || true)
	[ -n "$p" ] && kill -TERM $p 2>/dev/null || true
	for _ in $(seq 100); do pgrep -x auditd >/dev/null || return 0; sleep 0.1; done
}

# utime+stime of a process, in clock ticks (0 when it is gone)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# busy ticks of the whole machine
sys_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# run time (ns) and run count summed over sysmon's programs
bpf_sums() {
	bpftool prog show 2>/dev/null | awk '
		/name sm_/ { for (i = 1; i < NF; i++) {
			if ($i == "run_time_ns") t += $(i + 1)
			if ($i == "run_cnt") c += $(i + 1) } }
		END { printf "%d %d\n", t, c }'
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
audit_lost() { auditctl -s 2>/dev/null | awk '$1 == "lost" { print $2 }'; }

# Lost records sysmon reported in Error events since byte offset $3 of
# syslog file $1.
sysmon_lost() { # syslog pid offset
	{ tail -c +"$(($3 + 1))" "$1" | grep -a " sysmon: " |
		grep -aF "<Execution ProcessID=\"$2\" " | grep -a 'LostRecords' || true; } |
		sed -n 's/.*<Data Name="Description">\([0-9]*\) .*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

# At exit: nothing the benchmark started keeps running, the eBPF statistics
# switch is as it was, the scratch directory goes (KEEP_WORK keeps it).
stacks_cleanup() {
	release_sysmon_lock
	stop_sysmon || true
	stop_auditd || true
	sysctl -q kernel.bpf_stats_enabled="$bpf_stats_was" || true
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}

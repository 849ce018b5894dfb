#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Summarises a bench/run.sh CSV: medians per (stack, rate), the
# sysmon/auditd ratios, the targets; writes OUT/latest.md and a chart
# OUT/latest.png (gnuplot).   bench/report.sh CSV OUT
set -euo pipefail
csv=$1
out=$2
md=$out/latest.md
meta=$out/latest.meta
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Median of every numeric column per (stack, rate): "stack rate col value".
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
	{ for (i = 4; i <= NF; i++) if ($i != "-") print $1, $2, name[i], $i }' "$csv" |
	sort -k1,1 -k2,2 -k3,3 -k4,4g |
	awk '{ k = $1 " " $2 " " $3; v[k, ++n[k]] = $4; if (!(k in seen)) { seen[k]; o[++m] = k } }
	     END { for (j = 1; j <= m; j++) { k = o[j]; c = n[k]
		   med = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
		   print k, med } }' >"$tmp/med"
get() { awk -v s="$1" -v r="$2" -v c="$3" '$1 == s && $2 == r && $3 == c { print $4; f = 1 }
	END { if (!f) print "-" }' "$tmp/med"; }
reps=$(awk -F, 'NR > 1 && $3 > m { m = $3 } END { print m + 0 }' "$csv")
rates=$(awk -F, 'NR > 1 && !s[$2]++ { print $2 }' "$csv")
stacks=$(awk -F, 'NR > 1 && !s[$1]++ { print $1 }' "$csv")
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "-" || v == "") print "-"; else printf "%.*f\n", d, v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.1f\n", a - b }'; }

{
	echo "# sysmon vs auditd: exec storm benchmark"
	echo
	[ -f "$meta" ] && sed 's/^/    /' "$meta" && echo
	echo "Same storm (bench/execstorm: evenly paced processes, each exec'ing the static"
	echo "bench/tiny with a unique marker argument), one stack at a time, interleaved;"
	echo "medians of $reps repetitions. \"max\" = as fast as the machine execs (2 spawners)."
	echo "Monitor CPU = utime+stime of sysmon + rsyslogd, resp. auditd + kauditd, per logged"
	echo "event. Exec-path CPU = CPU time per exec of the storm's own processes (execstorm and"
	echo "every process it started, kernel time included) minus the no-monitor run at the same"
	echo "rate: what the stack adds in the kernel to each exec (eBPF programs; audit's rule and"
	echo "record work at syscall exit)."
	echo "Delay: process start to its line arriving in /var/log/syslog resp. audit.log."
	echo
	echo "| rate/s | stack | achieved/s | started | logged | lost (reported) | monitor CPU µs/event | daemon µs | rsyslogd/kauditd µs | eBPF ns/exec | exec-path CPU µs/exec over no monitor | p50 ms | p99 ms | max ms | daemon peak RSS MiB |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for r in $rates; do
		base=$(get none "$r" exec_cpu_us_per_exec)
		for s in $stacks; do
			[ "$(get "$s" "$r" started)" = - ] && continue
			over=-; [ "$s" != none ] && over=$(minus "$(get "$s" "$r" exec_cpu_us_per_exec)" "$base")
			hwm=$(get "$s" "$r" daemon_hwm_kib); [ "$hwm" != - ] && hwm=$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')
			[ "$s" = none ] && hwm=-
			lg=$(get "$s" "$r" logged); [ "$s" = none ] && lg=-
			ls=$(get "$s" "$r" lost_reported); [ "$s" = none ] && ls=-
			echo "| $r | $s | $(fmt "$(get "$s" "$r" achieved_per_s)" 0) | $(fmt "$(get "$s" "$r" started)" 0) | $(fmt "$lg" 0) | $(fmt "$ls" 0) | $(fmt "$(get "$s" "$r" mon_cpu_us_per_event)") | $(fmt "$(get "$s" "$r" daemon_cpu_us_per_event)") | $(fmt "$(get "$s" "$r" helper_cpu_us_per_event)") | $(fmt "$(get "$s" "$r" bpf_ns_per_exec)" 0) | $over | $(fmt "$(get "$s" "$r" p50_ms)") | $(fmt "$(get "$s" "$r" p99_ms)") | $(fmt "$(get "$s" "$r" max_ms)") | $hwm |"
		done
	done
	echo
	echo "## sysmon / auditd"
	echo
	echo "| rate/s | sysmon µs/event | auditd µs/event | ratio (target ≤ 0.50) | sysmon exec-path µs/exec | auditd exec-path µs/exec | ratio |"
	echo "|---|---|---|---|---|---|---|"
	for r in $rates; do
		base=$(get none "$r" exec_cpu_us_per_exec)
		a=$(get sysmon "$r" mon_cpu_us_per_event); b=$(get auditd "$r" mon_cpu_us_per_event)
		ma=$(minus "$(get sysmon "$r" exec_cpu_us_per_exec)" "$base")
		mb=$(minus "$(get auditd "$r" exec_cpu_us_per_exec)" "$base")
		echo "| $r | $(fmt "$a") | $(fmt "$b") | $(ratio "$a" "$b") | $ma | $mb | $(ratio "$ma" "$mb") |"
	done
	echo
	echo "## Targets"
	echo
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == "sysmon" {
			if ($c["bpf_ns_per_exec"] > bpf) bpf = $c["bpf_ns_per_exec"]
			if ($c["p99_ms"] > p99) p99 = $c["p99_ms"]
			if ($c["daemon_hwm_kib"] > hwm) hwm = $c["daemon_hwm_kib"]
			if ($2 == "max") { maxruns++; if ($c["missing"] != 0 || $c["lost_reported"] != 0) lossy++
				started += $c["started"]; logged += $c["logged"]; if ($c["achieved_per_s"] > rate) rate = $c["achieved_per_s"] }
			if ($c["missing"] != 0) anymiss++
		}
		function v(ok) { return ok ? "**met**" : "**missed**" }
		END {
			printf "- in-kernel eBPF time per exec ≤ 5 µs: worst run %.1f µs: %s\n", bpf / 1000, v(bpf <= 5000)
			printf "- zero events lost at the machine'"'"'s maximum exec rate (up to %.0f/s): %d of %d started processes logged in %d runs: %s\n", rate, logged, started, maxruns, v(maxruns && !lossy)
			printf "- p99 delay ≤ 50 ms: worst single run %.1f ms: %s (medians per rate below)\n", p99, v(p99 <= 50)
			printf "- peak RSS ≤ 20 MB: worst run %.1f MiB (VmHWM): %s\n", hwm / 1024, v(hwm <= 20 * 1024)
			printf "- runs with a storm process missing from the log: %d\n", anymiss
		}' "$csv"
	for r in $rates; do
		p=$(get sysmon "$r" p99_ms)
		echo "- p99 delay ≤ 50 ms at $r/s (median of runs): $(fmt "$p") ms: $(awk -v q="$p" 'BEGIN { print (q != "-" && q <= 50) ? "**met**" : "**missed**" }')"
	done
	for r in $rates; do
		a=$(get sysmon "$r" mon_cpu_us_per_event); b=$(get auditd "$r" mon_cpu_us_per_event)
		echo "- sysmon + rsyslogd CPU per event ≤ half of auditd + kauditd at $r/s: ratio $(ratio "$a" "$b"): $(awk -v q="$(ratio "$a" "$b")" 'BEGIN { print (q != "-" && q <= 0.5) ? "**met**" : "**missed**" }')"
	done
	echo
	echo "## Every run"
	echo
	echo '```'
	column -s, -t <"$csv"
	echo '```'
} >"$md"

# chart: monitor CPU per event and p99 delay, per rate
for r in $rates; do
	printf '%s %s %s %s %s\n' "$r" \
		"$(get sysmon "$r" mon_cpu_us_per_event)" "$(get auditd "$r" mon_cpu_us_per_event)" \
		"$(get sysmon "$r" p99_ms)" "$(get auditd "$r" p99_ms)"
done | sed 's/ - / NaN /g; s/ -$/ NaN/' >"$tmp/chart.dat"
gnuplot <<EOF
set terminal pngcairo size 1100,450 font ",10"
set output "$out/latest.png"
set multiplot layout 1,2 title "exec storm: sysmon (+rsyslogd) vs auditd (+kauditd), medians of $reps runs"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top left
set xlabel "processes per second"
set ylabel "monitor CPU µs per logged event"
set yrange [0:*]
plot "$tmp/chart.dat" using 2:xtic(1) title "sysmon + rsyslogd" lc rgb "#2b7bba", \
     "" using 3 title "auditd + kauditd" lc rgb "#d95f02"
set ylabel "p99 delay to the log file (ms)"
set logscale y
set yrange [*:*]
plot "$tmp/chart.dat" using 4:xtic(1) title "sysmon" lc rgb "#2b7bba", \
     "" using 5 title "auditd" lc rgb "#d95f02"
unset multiplot
EOF
echo "wrote $md and $out/latest.png"

# The repository's README shows the summary of the committed results:
# between its bench markers, when this report is of bench/results.
here=$(cd "$(dirname "$0")" && pwd)
readme=$here/../README.md
if [ "$out" -ef "$here/results" ] && grep -q '^<!-- bench:begin -->$' "$readme"; then
	{
		sed -n '1,/^<!-- bench:begin -->$/p' "$readme"
		echo
		sed -n 's/^ *date: \(.*\); commit: \([0-9a-f]*\).*/Measured \1 at commit \2 (`bench\/results\/latest.md` has every number):/p' "$meta" 2>/dev/null
		echo
		echo '![monitor CPU per event and p99 delay](bench/results/latest.png)'
		echo
		sed -n '/^## sysmon \/ auditd/,/^## Every run/p' "$md" | sed '$d' | sed 's/^## /#### /'
		sed -n '/^<!-- bench:end -->$/,$p' "$readme"
	} >"$tmp/readme"
	cp "$tmp/readme" "$readme"
	echo "updated the benchmark summary in $readme"
fi

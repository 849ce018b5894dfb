#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Summarise bench/workloads.sh's CSV: medians per job and stack, the
# overhead against no monitor, and the untar job's targets.
#
#   bench/workloads-report.sh results/workloads.csv results
set -euo pipefail
csv=$1
out=$2
meta=$out/workloads.meta

median() { sort -g | awk '{ v[NR] = $1 } END {
	if (!NR) { print "-"; exit }
	print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { # job stack column
	awk -F, -v j="$1" -v s="$2" -v c="$3" 'NR > 1 && $1 == j && $2 == s && $c != "-" { print $c }' "$csv"
}
med() { col "$@" | median; }
sum() { col "$@" | awk '{ s += $1 } END { print s + 0 }'; }

{
	echo "# Workloads: nothing, sysmon (every event), auditd (equivalent rules)"
	echo
	[ -f "$meta" ] && sed 's/^/* /' "$meta" && echo
	echo "Medians of the runs; monitor CPU is sysmon + rsyslogd resp. auditd +"
	echo "kauditd, from the job's start until its last event was in the log;"
	echo "µs/event is that CPU per event logged; logged/expected counts"
	echo "sysmon's events naming the job's files (untar: FileCreate and"
	echo "FileDelete) or port (tcp: NetworkConnect), every event for build;"
	echo "auditd's column counts its SYSCALL records."
	echo
	echo "| job | stack | wall s | wall vs none | monitor CPU s | µs/event | logged (expected) | lost reported | eBPF ms |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	for job in $(awk -F, 'NR > 1 { print $1 }' "$csv" | awk '!s[$0]++'); do
		base=$(med "$job" none 4)
		for st in none sysmon auditd; do
			[ -n "$(col "$job" "$st" 4)" ] || continue
			w=$(med "$job" "$st" 4)
			over=$(awk -v w="$w" -v b="$base" 'BEGIN { if (b == "-" || b <= 0) print "-"; else printf "%+.0f%%", (w / b - 1) * 100 }')
			printf '| %s | %s | %.2f | %s | %s | %s | %s (%s) | %s | %s |\n' "$job" "$st" "$w" "$over" \
				"$(med "$job" "$st" 5)" "$(med "$job" "$st" 13)" "$(med "$job" "$st" 9)" \
				"$(med "$job" "$st" 8)" "$(sum "$job" "$st" 10)" "$(med "$job" "$st" 11)"
		done
	done
	if [ -n "$(col untar sysmon 4)" ] && [ -n "$(col untar none 4)" ]; then
		echo
		echo "## Targets (untar + delete)"
		echo
		awk -v w="$(med untar sysmon 4)" -v b="$(med untar none 4)" \
		    -v us="$(med untar sysmon 13)" -v lost="$(sum untar sysmon 10)" \
		    -v miss="$(awk -F, 'NR > 1 && $1 == "untar" && $2 == "sysmon" && $8 != $9 { n++ } END { print n + 0 }' "$csv")" 'BEGIN {
			o = (w / b - 1) * 100
			printf "- wall time with sysmon ≤ +50%% of none: %+.0f%%: **%s**\n", o, o <= 50 ? "met" : "not met"
			printf "- monitor CPU per file event ≤ 10 µs: %s µs: **%s**\n", us, us + 0 <= 10 ? "met" : "not met"
			printf "- nothing lost: %d reported lost, %d runs with logged ≠ expected: **%s**\n", lost, miss,
				lost == 0 && miss == 0 ? "met" : "not met" }'
	fi
	echo
	echo "Every run: \`$(basename "$csv")\`."
} >"$out/workloads.md"
cat "$out/workloads.md"

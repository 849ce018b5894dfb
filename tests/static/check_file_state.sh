#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The daemon owns its state: the dispatch (events.c) and the handlers and
# stages of linux/ev_*.c keep none of their own. Their objects in the
# library may define no writable variable: nothing in .data, .bss, their
# thread-local twins or common (file-scope statics and function-local
# statics alike). Constant tables (.rodata, .data.rel.ro) are fine.
#
# Usage: check_file_state.sh OBJDUMP ARCHIVE
#   ARCHIVE  the library holding events.c.o and the ev_*.c.o objects
set -euo pipefail
objdump=$1 archive=$2

# One pass over the archive's symbol tables. binutils names a member
# "m.o:", llvm-objdump "lib.a(m.o):". Each variable (objects and
# thread-locals; not functions, files or section symbols) of a checked
# member in a writable section is a failure; what the sanitizers add is
# not the code's (UBSan's source locations are __unnamed_N).
"$objdump" -t "$archive" | awk -v archive="$archive" '
	/file format/ {
		member = $1
		sub(/:$/, "", member); sub(/^.*\(/, "", member); sub(/\)$/, "", member)
		checked = member ~ /^(events|ev_[a-z0-9_]+)\.c\.o$/
		if (checked)
			n++
		if (member == "events.c.o")
			events = 1
		next
	}
	checked && /^[0-9a-f]+ / {
		if (substr($0, 18, 7) ~ /[dfF]/)
			next
		split(substr($0, 26), rest, /[ \t]+/)
		sec = rest[1]
		name = $NF
		if (name ~ /^(__asan|___asan|__ubsan|__sancov|__odr_asan|__unnamed_)/)
			next
		if (sec ~ /^\.data\.rel\.ro/)
			next
		if (sec ~ /^\.t?(data|bss)(\.|$)/ || sec == "*COM*") {
			m = member; sub(/\.o$/, "", m)
			printf "FAIL: %s: '"'"'%s'"'"' is mutable file-scope state (%s); it belongs to struct sm_daemon\n", m, name, sec
			bad = 1
		}
	}
	END {
		if (!events || n < 2) {
			printf "FAIL: %s has no events.c.o or no ev_*.c.o: nothing checked\n", archive
			exit 1
		}
		if (bad)
			exit 1
		printf "ok: %d objects (events.c, ev_*.c) keep no mutable state of their own\n", n
	}'

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

# "member symbol section" for each variable of the archive (objects and
# thread-locals; not functions, files or section symbols)
objects() {
	"$objdump" -t "$archive" | awk '
		/^In archive/ { next }
		/file format/ { member = $1; sub(/:$/, "", member); next }
		/^[0-9a-f]+ / {
			flags = substr($0, 18, 7)
			if (flags ~ /[dfF]/)
				next
			split(substr($0, 26), rest, /[ \t]+/)
			print member, $NF, rest[1]
		}'
}

all=$(objects)
members=$("$objdump" -t "$archive" | awk '/file format/ { sub(/:$/, "", $1); print $1 }' |
	grep -E '^(events|ev_[a-z0-9_]+)\.c\.o$' || true)
if ! grep -qx 'events.c.o' <<<"$members" || ! grep -q '^ev_' <<<"$members"; then
	echo "FAIL: $archive has no events.c.o or no ev_*.c.o: nothing checked"
	exit 1
fi

fail=0
while read -r member name sec; do
	grep -qx -- "$member" <<<"$members" || continue
	# what the sanitizers add (UBSan's source locations are __unnamed_N)
	case $name in __asan* | ___asan* | __ubsan* | __sancov* | __odr_asan* | __unnamed_*) continue ;; esac
	case $sec in
	.data.rel.ro | .data.rel.ro.*) ;;
	.data | .data.* | .bss | .bss.* | .tdata | .tdata.* | .tbss | .tbss.* | '*COM*')
		echo "FAIL: ${member%.o}: '$name' is mutable file-scope state ($sec); it belongs to struct sm_daemon"
		fail=1
		;;
	esac
done <<<"$all"
[ "$fail" = 0 ] || exit 1
echo "ok: $(wc -l <<<"$members") objects (events.c, ev_*.c) keep no mutable state of their own"

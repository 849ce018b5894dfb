#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hashes are never stale and never hold the log back.
#  1. A binary rewritten in place (same inode, same size, mtime put back
#     with touch -d) is hashed again: its next ProcessCreate carries the
#     new content's hash.
#  2. A 2 GiB sparse executable run as nobody while another process keeps
#     making ProcessCreate events (the markers): no marker is logged more
#     than 100 ms later than the markers before it were (TimeCreated, when
#     sysmon wrote the event, minus UtcTime, when the process started), and
#     the big one is logged with its real hash once that is done.
# Arguments: TINY EXECSTORM [sysmon switches]
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

TINY=$1
STORM=$2
shift 2
M=$(marker hash)
dir=$WORK/bin
mkdir -p "$dir"
chmod 755 "$WORK" "$dir"
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <EventFiltering>
    <ProcessCreate onmatch="include">
      <Image condition="begin with">$dir/</Image>
    </ProcessCreate>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"

hash_of() { printf 'SHA256=%s' "$(sha256sum "$1" | cut -d' ' -f1)"; }
# Hashes of the ProcessCreate of $1 whose command line has $2
logged_hash() {
	local line=
	for _ in $(seq 60); do # a 2 GiB file takes seconds to hash
		line=$(wait_line "<Data Name=\"Image\">$1<" "$2") && break
	done
	[ -n "$line" ] || fail "no ProcessCreate for $1 $2"
	printf '%s\n' "$line" | field Hashes
}

# --- 1. rewritten in place ---------------------------------------------------
# (HASH_PARTS=2: only part 2, e.g. to show it alone against an older build)
rewrite() {
	local bin=$dir/rw_$M
	cp "$TINY" "$bin"
	chmod 755 "$bin"
	"$bin" "${M}_first"
	assert_eq "Hashes (first version)" "$(logged_hash "$bin" "${M}_first")" "$(hash_of "$bin")"
	local before mtime size
	before=$(stat -c '%i %s %y' "$bin")
	mtime=$(stat -c '%y' "$bin")
	# the last byte is in the section headers, which exec does not read
	size=$(stat -c %s "$bin")
	printf '\x5a' | dd of="$bin" bs=1 seek=$((size - 1)) conv=notrunc status=none
	touch -d "$mtime" "$bin"
	assert_eq "inode, size, mtime after the rewrite" "$(stat -c '%i %s %y' "$bin")" "$before"
	"$bin" "${M}_second"
	assert_eq "Hashes (rewritten in place)" "$(logged_hash "$bin" "${M}_second")" "$(hash_of "$bin")"
	pass "a binary rewritten in place (inode, size, mtime kept) gets its new hash"
}
[ "${HASH_PARTS:-12}" = 2 ] || rewrite

# --- 2. a 2 GiB sparse executable -------------------------------------------
big=$dir/big_$M
cp "$TINY" "$big"
truncate -s 2G "$big"
chmod 755 "$big"
want_big=$(hash_of "$big")
cp "$TINY" "$dir/mark_$M"
# (15 s: the big exec must come while it runs, on a slow sanitized build too)
"$STORM" -r 100 -d 15 -p "${M}_mk" "$dir/mark_$M" >"$WORK/storm.out" &
storm=$!
for _ in $(seq 300); do
	[ "$(count_lines "${M}_mk")" -ge 100 ] && break
	sleep 0.1
done
setpriv --reuid=65534 --regid=65534 --clear-groups "$big" "${M}_big"
wait "$storm" || fail "marker storm: $(cat "$WORK/storm.out")"
got=$(logged_hash "$big" "${M}_big")
assert_eq "Hashes of the 2 GiB file" "$got" "$want_big"
count=$(sed -n 's/.*started=\([0-9]*\).*/\1/p' "$WORK/storm.out")
for _ in $(seq 100); do
	[ "$(count_lines "${M}_mk")" -ge "$count" ] && break
	sleep 0.1
done
assert_eq "markers logged" "$(count_lines "${M}_mk")" "$count"

# Per event: kind (B: the big one, m: a marker), start (UtcTime) and write
# (TimeCreated) in ms of the day, in log order.
new_log | grep -a ' sysmon' | grep -aF "$M" | grep -aF -e "${M}_mk" -e "${M}_big" |
	sed -n 's/.*SystemTime="[^T]*T\([0-9:.]*\)Z".*"UtcTime">[^ ]* \([0-9:.]*\)<.*"CommandLine">[^ ]* \([^<]*\)<.*/\3 \2 \1/p' |
	awk -v big="${M}_big" '
	function ms(t,  a) { split(t, a, ":"); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 }
	{
		s = ms($2); w = ms($3); if (w < s - 43200000) w += 86400000
		if ($1 == big) { bs = s; bw = w; next }
		if (bs == "") { if (w - s > pre) pre = w - s; n1++ }
		else if (s >= bs) { if (w - s > post) post = w - s; n2++ }
	}
	END { printf "%d %d %d %d %d\n", pre, post, n1, n2, bw - bs }' >"$WORK/delays"
read -r pre post n1 n2 hashing <"$WORK/delays"
echo "markers before the big exec: $n1, worst delay $pre ms; after it: $n2, worst delay $post ms; the big ProcessCreate waited $hashing ms for its hash"
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || fail "markers on both sides of the big exec ($n1, $n2)"
[ "$post" -le $((pre + 100)) ] ||
	fail "a marker waited $post ms (before the big exec: $pre ms): held back by hashing"
pass "a 2 GiB executable run as nobody holds no other event back ($post ms worst, $pre ms before); its hash is right"

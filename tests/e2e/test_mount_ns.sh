#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A binary mounted over a host path in a private namespace: an unprivileged
# user bind-mounts its own program over /usr/bin/true in its own user and
# mount namespace (unshare -Urm) and runs it; the program exits at once.
# Its ProcessCreate's Image is marked " (not the host's file)" and its
# Hashes are of the bytes that ran (the program's own, not the host's
# /usr/bin/true); a host binary run in that namespace, and the host's own
# /usr/bin/true, are logged as ever.
# Arguments: TINY (a program that exits at once) [sysmon switches]
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

TINY=$1
shift
M=$(marker ns)
dir=$WORK/u
mkdir -p "$dir"
chmod 755 "$WORK" "$dir"
# its own copy: a hash no other file has (ELF ignores the bytes at its end)
own=$dir/own
{ cat "$TINY"; printf '\n%s\n' "$M"; } >"$own"
chmod 755 "$own"
sum() { printf 'SHA256=%s' "$(sha256sum <"$1" | cut -d' ' -f1)"; }
cat >"$WORK/cfg.xml" <<XML
<Sysmon schemaversion="4.90">
  <HashAlgorithms>sha256</HashAlgorithms>
  <EventFiltering>
    <ProcessCreate onmatch="include">
      <CommandLine condition="contains">$M</CommandLine>
    </ProcessCreate>
  </EventFiltering>
</Sysmon>
XML
start_sysmon "$WORK/cfg.xml" "$@"
get() { printf '%s\n' "$ev" | field "$1"; }
created() {
	ev=$(wait_line "<Data Name=\"CommandLine\">$1</Data>") ||
		fail "no ProcessCreate for '$1'"
}

setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urm sh -c \
	"mount --bind '$own' /usr/bin/true && /usr/bin/true $M.over &&
	 exec /bin/echo $M.ns >/dev/null" ||
	fail "cannot mount over /usr/bin/true in a user namespace"

created "/usr/bin/true $M.over"
assert_eq "Image (mounted over)" "$(get Image)" "/usr/bin/true (not the host's file)"
assert_eq "Hashes (mounted over)" "$(get Hashes)" "$(sum "$own")"
assert_eq "User (mounted over)" "$(get User)" nobody
pass "a binary mounted over /usr/bin/true: marked, hashed from its own bytes"

created "/bin/echo $M.ns"
assert_eq "Image (host binary in the namespace)" "$(get Image)" "$(readlink -f /bin/echo)"
assert_eq "Hashes (host binary in the namespace)" "$(get Hashes)" "$(sum /bin/echo)"
pass "a host binary run in the private namespace is not marked"

/usr/bin/true "$M.host"
created "/usr/bin/true $M.host"
assert_eq "Image (the host's)" "$(get Image)" /usr/bin/true
assert_eq "Hashes (the host's)" "$(get Hashes)" "$(sum /usr/bin/true)"
pass "the host's /usr/bin/true is itself"

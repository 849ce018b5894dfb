#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scaffolds a new syscall-based event. It creates five files and adds one
# line to sysmonCommon/records.def, from which the build derives the rest
# (record enum, decoder layout, kernel include list, handler table and
# sources, attach rows, fuzzer sizes, the e2e test's registration):
#   sysmonCommon/rec_<name>.h       the record struct (kernel and user space)
#   ebpfKern/<name>.bpf.c           exit program (in every range's object)
#   linux/ev_<name>.c               handler filling the event's fields, and
#                                   the attach rows (generic entry + exit)
#   tests/e2e/test_<name>.sh        e2e test: the syscall, the event's
#                                   ProcessId, Image and User
#   tests/fuzz/corpus/record/<name> the fuzz target's seed of the record
#
# Usage: ./makeEvent.sh <EventName> <syscall> <record-type-number>
#   EventName: the event's name in schema/sysmonschema.xml (e.g. FileBlockShredding)
#   syscall:   the syscall whose successful exit is the event (e.g. fsync)
#   record-type-number: unused in records.def (new records: 40 and up)
# Then: fill the record in the kernel program and the struct, the fields in
# the handler, the test's trigger and assertions, the seed (when the struct
# grows); build; run ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
defs=$root/sysmonCommon/records.def

die() { echo "makeEvent.sh: $*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: $0 <EventName> <syscall> <record-type-number>"
name=$1 sc=$2 rec=$3
[[ $name =~ ^[A-Z][A-Za-z0-9]+$ ]] || die "EventName must be CamelCase: $name"
[[ $sc =~ ^[a-z0-9_]+$ ]] || die "bad syscall name: $sc"
[[ $rec =~ ^[0-9]+$ ]] && [ "$rec" -gt 0 ] && [ "$rec" -lt 65536 ] ||
	die "bad record type: $rec"
line=$(grep -E "<event name=\"$name\" value=\"[0-9]+\"" "$root/schema/sysmonschema.xml" | head -n1) ||
	die "no event named $name in schema/sysmonschema.xml"
id=$(sed -E 's/.*value="([0-9]+)".*/\1/' <<<"$line")
# FileBlockShredding -> file_block_shredding, as the schema generator
# names the event ID (SM_EV_FILE_BLOCK_SHREDDING)
snake=$(sed -E 's/([a-z0-9])([A-Z])/\1_\2/g; s/([A-Z])([A-Z][a-z])/\1_\2/g' <<<"$name" | tr 'A-Z' 'a-z')
upper=$(tr 'a-z' 'A-Z' <<<"$snake")
evup=$(tr 'a-z' 'A-Z' <<<"$name")
! grep -qE "^SM_RECORD\([A-Z0-9_]+, *$rec," "$defs" || die "record type $rec is taken (records.def)"
! grep -qE "^SM_RECORD\($upper," "$defs" || die "$name has a record already (records.def)"
for f in sysmonCommon/rec_$snake.h ebpfKern/$snake.bpf.c linux/ev_$snake.c \
	 tests/e2e/test_$snake.sh tests/fuzz/corpus/record/$snake; do
	[ ! -e "$root/$f" ] || die "$f exists already"
done

cat >"$root/sysmonCommon/rec_$snake.h" <<EOF
/* $name ($id): the record a successful $sc() emits. When it grows, grow
 * the fuzz seed tests/fuzz/corpus/record/$snake to match. */
#ifndef SM_REC_${upper}_H
#define SM_REC_${upper}_H

#include "sysmon_abi.h"

struct sm_rec_$snake {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_s64 ret;  /* the syscall's return value */
	sm_u64 arg0; /* its first argument */
};

#endif
EOF

cat >"$root/ebpfKern/$snake.bpf.c" <<EOF
/* $name ($id): a successful $sc(). The generic entry program saved the
 * arguments (sm_args_take); the event is emitted at exit. */
#include "rec_$snake.h"
#include "sm_args.bpf.h"
#include "sm_common.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

SEC("tracepoint/syscalls/sys_exit_$sc")
int sm_${snake}_exit(struct sm_sys_exit *ctx)
{
	struct sm_rec_$snake r = {};
	struct sm_args args;

	if (sm_args_take(&args) || ctx->ret < 0 || sm_is_self())
		return 0;
	sm_rec_start(&r.h, SM_REC_$upper);
	sm_fill_task_ids(&r.t, (struct task_struct *)bpf_get_current_task());
	r.ret = ctx->ret;
	r.arg0 = args.args[0];
	sm_rec_send(ctx, &r.h, sizeof(r));
	return 0;
}
EOF

cat >"$root/linux/ev_$snake.c" <<EOF
/* $name ($id) from SM_REC_$upper records. */
#include <stdio.h>

#include "daemon.h"
#include "events.h"
#include "guid.h"
#include "loader.h"
#include "procfs.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"
#include "timefmt.h"
#include "users.h"

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_$upper). */
const struct sm_attach sm_attach_$snake[] = {
	{ "sm_sys_enter", "syscalls", "sys_enter_$sc", SM_EV_$upper },
	{ "sm_${snake}_exit", "syscalls", "sys_exit_$sc", SM_EV_$upper },
	{ 0 } /* end */
};

void sm_on_$snake(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_$snake *rec = SM_REC(r, struct sm_rec_$snake);
	const struct sm_task *t = &rec->t;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_$upper) };
	const struct sm_proc *p = sm_pc_get(d->pc, t->pid, t->start);
	char utc[SM_UTCTIME_LEN + 1], guid[SM_GUID_TEXT_LEN + 1], pid[12];
	char user[64];

	if (!ev.type)
		return;
	if (!p)
		p = sm_procfs_load(d->pc, &d->si, t->pid);
	sm_fmt_utctime(utc, d->si.mono_epoch_ns + rec->h.ktime);
	snprintf(pid, sizeof(pid), "%u", t->pid);
	snprintf(user, sizeof(user), "%s", sm_user_name(t->uid));
	ev.f[SM_${evup}_UTCTIME] = sm_cstr(utc);
	ev.f[SM_${evup}_PROCESSID] = sm_cstr(pid);
	ev.f[SM_${evup}_USER] = sm_cstr(user);
	if (p) {
		sm_guid_fmt(guid, &p->guid);
		ev.f[SM_${evup}_PROCESSGUID] = sm_cstr(guid);
		ev.f[SM_${evup}_IMAGE] = p->image;
	}
	/* the event's own fields from rec->ret and rec->arg0 go here */
	sm_filter_and_log(d, &ev);
}
EOF

cat >"$root/tests/e2e/test_$snake.sh" <<EOF
#!/usr/bin/env bash
# $name ($id) end to end: a successful $sc() is one event with the
# caller's ProcessId, Image and User. The trigger calls
# $sc(fd of a new file, 0, 0, 0, 0, 0): give it the arguments $sc takes,
# and assert the exact value of each field the handler fills.
. "\$(dirname "\$0")/lib.sh"
cat >"\$WORK/trig.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc == 2 ? open(argv[1], O_RDWR | O_CREAT, 0600) : -1;

	if (fd < 0)
		return 2;
	printf("%d\n", getpid());
	fflush(stdout);
	return syscall(SYS_$sc, fd, 0, 0, 0, 0, 0) < 0;
}
C
trig=\$WORK/trig_$snake
cc -o "\$trig" "\$WORK/trig.c" || fail "cannot build the trigger"
cat >"\$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90"><EventFiltering><$name onmatch="exclude"/></EventFiltering></Sysmon>
XML
start_sysmon "\$WORK/cfg.xml" "\$@"
pid=\$("\$trig" "\$WORK/target") || fail "the trigger's $sc() failed"
ev=\$(wait_line "<EventID>$id</EventID>" "<Data Name=\"ProcessId\">\$pid</Data>") ||
	fail "no $name event of pid \$pid"
get() { printf '%s\n' "\$ev" | field "\$1"; }
assert_eq Image "\$(get Image)" "\$trig"
assert_eq User "\$(get User)" root
pass "$name: $sc() by pid \$pid"
EOF
chmod +x "$root/tests/e2e/test_$snake.sh"

# the seed: header (type, size, ktime), task (pid 4242, tid 4242), ret 0,
# arg0 3; all little-endian, 88 bytes as struct sm_rec_$snake is
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
zeros() { head -c "$1" /dev/zero; }
{
	printf "$(le32 "$rec")$(le32 88)"; zeros 8
	printf "$(le32 4242)$(le32 4242)"; zeros 48
	zeros 8; printf "$(le32 3)"; zeros 4
} >"$root/tests/fuzz/corpus/record/$snake"

# the C files in the house style (.clang-format)
cf=${CLANG_FORMAT:-clang-format-14}
if command -v "$cf" >/dev/null; then
	"$cf" -i "$root/sysmonCommon/rec_$snake.h" "$root/ebpfKern/$snake.bpf.c" \
		"$root/linux/ev_$snake.c"
else
	echo "makeEvent.sh: no $cf (installer/deps.sh installs it): format the new C files with it" >&2
fi

# the one line: before records.def's closing #undef
awk -v row="SM_RECORD($upper, $rec, $snake, 0, (), rec_$snake, $snake, ev_$snake)" \
	'/^#undef SM_RECORD/ && !done { print row; done = 1 } { print }' "$defs" >"$defs.new" &&
	mv "$defs.new" "$defs"

# the new files name their licence (the SPDX line of their place)
bash "$root/tests/static/check_spdx.sh" --add "$root" >/dev/null

echo "scaffolded $name ($id) on $sc(), record type $rec ($snake): edit"
echo "  sysmonCommon/rec_$snake.h, ebpfKern/$snake.bpf.c, linux/ev_$snake.c,"
echo "  tests/e2e/test_$snake.sh (and the seed tests/fuzz/corpus/record/$snake"
echo "  when the struct grows)"

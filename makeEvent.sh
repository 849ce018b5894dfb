#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scaffolds a new syscall-based event in every place it must touch:
#   ebpfKern/<name>.bpf.c        exit program (compiled into every range's object)
#   ebpfKern/sysmon.bpf.c        its include
#   sysmonCommon/sysmon_abi.h    record type + struct
#   sysmonCommon/record.c        layout row
#   linux/loader.c               attach rows (generic entry + exit)
#   linux/ev_<name>.c            handler filling the event's fields
#   linux/events.c, events.h     handler row + declaration
#   linux/CMakeLists.txt         build list
#   tests/e2e/test_<name>.sh     e2e test to complete (+ its ctest line)
#
# Usage: ./makeEvent.sh <EventName> <syscall> <record-type-number>
#   EventName: the event's name in schema/sysmonschema.xml (e.g. FileBlockShredding)
#   syscall:   the syscall whose successful exit is the event (e.g. fsync)
# Then: fill the record in the kernel program, the fields in the handler,
# and the test; build; run ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)

die() { echo "makeEvent.sh: $*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: $0 <EventName> <syscall> <record-type-number>"
name=$1 sc=$2 rec=$3
[[ $name =~ ^[A-Z][A-Za-z0-9]+$ ]] || die "EventName must be CamelCase: $name"
[[ $sc =~ ^[a-z0-9_]+$ ]] || die "bad syscall name: $sc"
[[ $rec =~ ^[0-9]+$ ]] || die "bad record type: $rec"
line=$(grep -E "<event name=\"$name\" value=\"[0-9]+\"" "$root/schema/sysmonschema.xml" | head -n1) ||
	die "no event named $name in schema/sysmonschema.xml"
id=$(sed -E 's/.*value="([0-9]+)".*/\1/' <<<"$line")
snake=$(sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' <<<"$name" | tr 'A-Z' 'a-z')
upper=$(tr 'a-z' 'A-Z' <<<"$snake")
evup=$(tr 'a-z' 'A-Z' <<<"$name")
[ ! -e "$root/ebpfKern/$snake.bpf.c" ] || die "ebpfKern/$snake.bpf.c exists already"
grep -q "= $rec,\|= $rec " "$root/sysmonCommon/sysmon_abi.h" && die "record type $rec is taken"

# insert TEXT (a file) before the first "};" after the first line matching RE
insert_before_close() {
	local file=$1 re=$2 text=$3
	awk -v re="$re" -v tf="$text" '
		!done && $0 ~ re { armed = 1 }
		armed && !done && /^};/ { while ((getline l < tf) > 0) print l; done = 1 }
		{ print }
		END { if (!done) exit 1 }' "$file" >"$file.new" || die "no table /$re/ in $file"
	mv "$file.new" "$file"
}
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT

cat >"$root/ebpfKern/$snake.bpf.c" <<EOF
/* $name ($id): a successful $sc(). The generic entry program saved the
 * arguments (sm_args_take); the event is emitted at exit. */
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
echo "#include \"$snake.bpf.c\"" >>"$root/ebpfKern/sysmon.bpf.c"

printf '\tSM_REC_%s = %s, /* %s (%s) */\n' "$upper" "$rec" "$name" "$id" >"$tmp"
insert_before_close "$root/sysmonCommon/sysmon_abi.h" '^enum sm_rec_type' "$tmp"
cat >"$tmp" <<EOF
/* $name ($id) */
struct sm_rec_$snake {
	struct sm_rec_hdr h;
	struct sm_task t;
	sm_s64 ret;   /* the syscall's return value */
	sm_u64 arg0;  /* its first argument */
};

EOF
awk -v tf="$tmp" '/^\/\* Largest record the kernel ever emits/ { while ((getline l < tf) > 0) print l } { print }' \
	"$root/sysmonCommon/sysmon_abi.h" >"$tmp.h" && mv "$tmp.h" "$root/sysmonCommon/sysmon_abi.h"

printf '\t{ SM_REC_%s, sizeof(struct sm_rec_%s), 0, { 0 } },\n' "$upper" "$snake" >"$tmp"
insert_before_close "$root/sysmonCommon/record.c" 'layouts\[\] = \{' "$tmp"

cat >"$tmp" <<EOF
	/* $name ($id) */
	{ "sm_sys_enter", "syscalls", "sys_enter_$sc", $id },
	{ "sm_${snake}_exit", "syscalls", "sys_exit_$sc", $id },
EOF
insert_before_close "$root/linux/loader.c" 'attach_points\[\] = \{' "$tmp"

cat >"$root/linux/ev_$snake.c" <<EOF
/* $name ($id) from SM_REC_$upper records. */
#include <stdio.h>

#include "daemon.h"
#include "events.h"
#include "guid.h"
#include "procfs.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"
#include "timefmt.h"
#include "users.h"

void sm_on_$snake(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_$snake *rec = SM_REC(r, struct sm_rec_$snake);
	const struct sm_task *t = &rec->t;
	struct sm_event ev = { .type = sm_schema_event($id) };
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
printf '\t{ SM_REC_%s, sm_on_%s },\n' "$upper" "$snake" >"$tmp"
insert_before_close "$root/linux/events.c" 'handlers\[\] = \{' "$tmp"
awk -v decl="void sm_on_$snake(struct sm_daemon *d, const struct sm_record *r);" \
	'{ lines[NR] = $0 } END { for (i = 1; i <= NR; i++) { if (i == NR) print decl "\n"; print lines[i] } }' \
	"$root/linux/events.h" >"$tmp.h" && mv "$tmp.h" "$root/linux/events.h"
sed -i "s/^  ev_process.c\$/  ev_process.c\n  ev_$snake.c/" "$root/linux/CMakeLists.txt"

cat >"$root/tests/e2e/test_$snake.sh" <<EOF
#!/usr/bin/env bash
# $name ($id) end to end. Complete it: trigger $sc() with a unique marker
# and assert the exact values of every field.
. "\$(dirname "\$0")/lib.sh"
cat >"\$WORK/cfg.xml" <<'XML'
<Sysmon schemaversion="4.90"><EventFiltering><$name onmatch="exclude"/></EventFiltering></Sysmon>
XML
start_sysmon "\$WORK/cfg.xml"
fail "test_$snake.sh: trigger $sc() and assert the event's fields"
EOF
chmod +x "$root/tests/e2e/test_$snake.sh"
echo "sm_e2e_test(e2e_$snake test_$snake.sh)" >>"$root/tests/e2e/CMakeLists.txt"

# the new files name their licence (the SPDX line of their place)
bash "$root/tests/static/check_spdx.sh" --add "$root" >/dev/null

echo "scaffolded $name ($id) on $sc(), record type $rec ($snake): edit"
echo "  ebpfKern/$snake.bpf.c, sysmonCommon/sysmon_abi.h (struct sm_rec_$snake),"
echo "  linux/ev_$snake.c, tests/e2e/test_$snake.sh"

/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the kernel-record decoder (sm_record_decode) and the
 * pure steps the process handlers take with what it returns: CommandLine
 * from the argv block (sm_cmdline_join), the process cache (put, get, exit,
 * expire, eviction in a deliberately tiny cache), GUIDs, times, and the
 * ProcessCreate / ProcessTerminate lines; for the records of every other
 * kind, their strings and the path join of the file records.
 *
 * The handlers themselves (linux/ev_process.c) also ask NSS for user names
 * and read /proc and the executable for hashes, so they cannot run here;
 * this target feeds the same values through the same pure functions.
 *
 * Checks: decoding never reads outside the input; strings of a decoded
 * record lie inside its data area; errors are -EBADMSG or -ENOTSUP; the
 * cache returns exactly what was stored; every line is
 * well-formed XML of at most SM_EVENT_MAX bytes with no control byte; a
 * joined absolute path is normalized (no "//", "/./", "/../", trailing
 * '/').
 *
 * Every record type of records.def has a seed named after its tag in
 * corpus/record/ (record_seeds.c, ctest fuzz_seeds_record_types). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "guid.h"
#include "pathjoin.h"
#include "proccache.h"
#include "record.h"
#include "sm_fields.h"
#include "timefmt.h"
#include "xmlfmt.h"
#include "fuzz_check.h"

static struct sm_proccache *pc;
static char *line;
static char cmd[SM_ARGS_MAX + 3];
static uint64_t fake_now;

static const struct sm_sys_header hdr = {
	.record_id = 7, .time_ns = 1795365630513162000ull,
	.computer = "fuzz-host", .pid = 1, .tid = 1, .uid = 0,
};

static struct sm_str cstr(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

static void check_line(size_t len)
{
	xmlDocPtr doc;

	CHECK(len > 0 && len <= SM_EVENT_MAX && len == strlen(line));
	for (size_t i = 0; i < len; i++)
		CHECK((unsigned char)line[i] >= 0x20);
	doc = xmlReadMemory(line, (int)len, "event.xml", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
}

static void check_strings(const struct sm_record *r, const uint8_t *data,
			  size_t size, size_t fixed)
{
	for (int i = 0; i < SM_REC_STRS; i++) {
		const char *p = r->s[i].p;

		if (!p) {
			CHECK(r->s[i].len == 0);
			continue;
		}
		CHECK(p >= (const char *)data + fixed);
		CHECK(p + r->s[i].len <= (const char *)data + size);
		CHECK(p + r->s[i].len <= (const char *)data + r->fixed.h.size);
	}
}

/* The cache must give back what it was given (within its size caps). */
static void check_cached(const struct sm_proc *p, const struct sm_task *t,
			 struct sm_str image, struct sm_str cmdline)
{
	const struct sm_proc *g = sm_pc_get(pc, t->pid, t->start);

	CHECK(p && g == p && p->pid == t->pid && p->uid == t->uid);
	CHECK(p->image.len <= image.len && p->cmdline.len <= cmdline.len);
	CHECK(!p->image.len || !memcmp(p->image.p, image.p, p->image.len));
	CHECK(!p->cmdline.len ||
	      !memcmp(p->cmdline.p, cmdline.p, p->cmdline.len));
	CHECK(p->image.len == image.len || p->image.len == 65536);
}

static void on_exec(const struct sm_record *r)
{
	const struct sm_rec_exec *e = SM_REC(r, struct sm_rec_exec);
	const struct sm_task *t = &e->t;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_CREATE) };
	struct sm_guid_base b = { 0x3d1219c7, 1700000000, 10000000 };
	struct sm_guid g = sm_process_guid(&b, t->pid, t->start, t->tag);
	char utc[SM_UTCTIME_LEN + 1], guid[SM_GUID_TEXT_LEN + 1], pid[12];
	const struct sm_proc *p;
	int cut = (e->flags & SM_RF_ARGS_TRUNC) != 0;
	size_t n =
		sm_cmdline_join(cmd, sizeof(cmd), r->s[1].p, r->s[1].len, cut);
	struct sm_str cl = { cmd, (uint32_t)n };
	int marked = n >= 3 && !memcmp(cmd + n - 3, "...", 3);

	CHECK(!memchr(cmd, '\0', n));
	CHECK(n <= sizeof(cmd));
	CHECK(cut || r->s[1].len > sizeof(cmd) ? marked : n <= r->s[1].len);
	p = sm_pc_put(pc, t->pid, t->start, t->uid, &g, r->s[0], cl);
	check_cached(p, t, r->s[0], cl);
	sm_fmt_utctime(utc, t->start);
	sm_guid_fmt(guid, &g);
	snprintf(pid, sizeof(pid), "%u", t->pid);
	ev.f[SM_PROCESSCREATE_RULENAME] = SM_STR("-");
	ev.f[SM_PROCESSCREATE_UTCTIME] = cstr(utc);
	ev.f[SM_PROCESSCREATE_PROCESSGUID] = cstr(guid);
	ev.f[SM_PROCESSCREATE_PROCESSID] = cstr(pid);
	ev.f[SM_PROCESSCREATE_IMAGE] = r->s[0];
	ev.f[SM_PROCESSCREATE_COMMANDLINE] = cl;
	ev.f[SM_PROCESSCREATE_CURRENTDIRECTORY] = r->s[2];
	/* the parent from the cache when it is there, as the handler does */
	p = sm_pc_get(pc, t->ppid, t->pstart);
	if (p) {
		ev.f[SM_PROCESSCREATE_PARENTIMAGE] = p->image;
		ev.f[SM_PROCESSCREATE_PARENTCOMMANDLINE] = p->cmdline;
	}
	check_line(sm_format_event(line, SM_FMT_BUF, &hdr, &ev, NULL));
}

static void on_exit_rec(const struct sm_record *r)
{
	const struct sm_rec_exit *x = SM_REC(r, struct sm_rec_exit);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_TERMINATE) };
	const struct sm_proc *p = sm_pc_get(pc, x->t.pid, x->t.start);
	char utc[SM_UTCTIME_LEN + 1], guid[SM_GUID_TEXT_LEN + 1];

	sm_fmt_utctime(utc, x->h.ktime);
	ev.f[SM_PROCESSTERMINATE_UTCTIME] = cstr(utc);
	if (p) {
		sm_guid_fmt(guid, &p->guid);
		ev.f[SM_PROCESSTERMINATE_PROCESSGUID] = cstr(guid);
		ev.f[SM_PROCESSTERMINATE_IMAGE] = p->image;
	}
	check_line(sm_format_event(line, SM_FMT_BUF, &hdr, &ev, NULL));
	fake_now += 1000000000ull;
	sm_pc_exited(pc, x->t.pid, fake_now);
	sm_pc_expire(pc, fake_now, 3000000000ull);
}

/* The fixed size of every record type records.def lists. */
static size_t fixed_size(uint32_t type)
{
	switch (type) {
#define SM_RECORD(NAME, type, tag, ...) \
	case SM_REC_##NAME: \
		return sizeof(struct sm_rec_##tag);
#include "records.def"
	}
	abort(); /* decoded a type the decoder does not know */
}

/* File records: dir + name joined as the handlers do. */
static void on_dir_and_name(const struct sm_record *r)
{
	static char path[2 * SM_PATH_MAX + 2];
	size_t n = sm_path_join(path, sizeof(path), r->s[0].p, r->s[0].len,
				r->s[1].p, r->s[1].len);

	CHECK(n < sizeof(path) && path[n] == '\0');
	if (!n || path[0] != '/' || memchr(path, '\0', n))
		return;
	CHECK(!strstr(path, "//") && !strstr(path, "/./") &&
	      !strstr(path, "/../"));
	CHECK(n == 1 || path[n - 1] != '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sm_record r;
	uint8_t *copy;
	int err;

	if (!pc && !(pc = sm_pc_new(8)))
		abort();
	if (!line && !(line = malloc(SM_FMT_BUF)))
		abort();
	/* an exact-size heap copy, so any read past the end is caught */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	err = sm_record_decode(copy, size, &r);
	if (err) {
		CHECK(err == -EBADMSG || err == -ENOTSUP);
	} else {
		check_strings(&r, copy, size, fixed_size(r.type));
		if (r.type == SM_REC_EXEC)
			on_exec(&r);
		else if (r.type == SM_REC_EXIT)
			on_exit_rec(&r);
		else if (r.type == SM_REC_FILE_DELETE ||
			 r.type == SM_REC_FILE_TIME)
			on_dir_and_name(&r);
	}
	free(copy);
	return 0;
}

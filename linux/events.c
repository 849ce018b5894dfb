/* From kernel record to log line: decode, enrich from the process cache,
 * filter through the rules, format, write. One pass, no allocation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "guid.h"
#include "hashes.h"
#include "log.h"
#include "output.h"
#include "procfs.h"
#include "record.h"
#include "sm_fields.h"
#include "timefmt.h"
#include "users.h"
#include "xmlfmt.h"

#define EXIT_GRACE_NS (30ull * 1000000000ull)
#define CACHE_SIZE 32768

struct text {
	char utc[SM_UTCTIME_LEN + 1];
	char guid[SM_GUID_TEXT_LEN + 1];
	char pguid[SM_GUID_TEXT_LEN + 1];
	char logon[SM_GUID_TEXT_LEN + 1];
	char pid[12], ppid[12], uid[12], ses[12];
	char user[64], puser[64];
};

static struct sm_str str(const char *s)
{
	return (struct sm_str){ s, (uint32_t)strlen(s) };
}

static void set_limits(struct sm_daemon *d)
{
	static const unsigned ids[2] = { SM_EV_PROCESS_CREATE,
					 SM_EV_PROCESS_TERMINATE };

	for (int e = 0; e < 2; e++)
		for (unsigned f = 0; f < SM_MAX_FIELDS; f++)
			d->limits[e][f] = sm_config_field_size(d->cfg, ids[e], f);
	d->hash_algs = sm_config_hash_algorithms(d->cfg);
}

int sm_daemon_init(struct sm_daemon *d, struct sm_config *cfg)
{
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	sm_sysinfo_init(&d->si);
	d->fmt = malloc(SM_FMT_BUF);
	d->pc = sm_pc_new(CACHE_SIZE);
	if (!d->fmt || !d->pc) {
		sm_daemon_fini(d);
		return -ENOMEM;
	}
	set_limits(d);
	return 0;
}

void sm_daemon_fini(struct sm_daemon *d)
{
	sm_pc_free(d->pc);
	free(d->fmt);
	sm_config_free(d->cfg);
	d->pc = NULL;
	d->fmt = NULL;
	d->cfg = NULL;
}

void sm_daemon_set_config(struct sm_daemon *d, struct sm_config *cfg)
{
	sm_config_free(d->cfg);
	d->cfg = cfg;
	set_limits(d);
}

void sm_daemon_log(struct sm_daemon *d, struct sm_event *ev)
{
	struct sm_sys_header h = {
		.record_id = d->record_id,
		.time_ns = sm_now_epoch_ns(),
		.computer = d->si.hostname,
		.pid = d->si.pid, .tid = d->si.tid, .uid = d->si.euid,
	};
	const unsigned *limits = NULL;
	size_t len;

	if (ev->type->id == SM_EV_PROCESS_CREATE)
		limits = d->limits[0];
	else if (ev->type->id == SM_EV_PROCESS_TERMINATE)
		limits = d->limits[1];
	len = sm_format_event(d->fmt, SM_FMT_BUF, &h, ev, limits);
	if (!len) {
		sm_err("event %u could not be formatted", ev->type->id);
		return;
	}
	d->record_id++;
	sm_output_line(d->fmt, len);
}

/* Filter, then log with the deciding rule's name. */
static void filter_and_log(struct sm_daemon *d, struct sm_event *ev)
{
	const char *rule = NULL;

	if (!sm_config_match(d->cfg, ev, &rule))
		return;
	ev->f[0] = rule && *rule ? str(rule) : SM_STR("-");
	sm_daemon_log(d, ev);
}

/* The parent: from the cache, else from /proc (once), else only what the
 * kernel record says (its GUID and pid). */
static const struct sm_proc *parent_of(struct sm_daemon *d,
				       const struct sm_task *t)
{
	const struct sm_proc *p = sm_pc_get(d->pc, t->ppid, t->pstart);

	if (!p && t->ppid)
		p = sm_procfs_load(d->pc, &d->si, t->ppid);
	if (p && p->start && t->pstart &&
	    p->start / 10000000ull != t->pstart / 10000000ull)
		return NULL;
	return p;
}

static void fill_parent(struct sm_daemon *d, struct sm_event *ev,
			struct text *x, const struct sm_task *t)
{
	const struct sm_proc *p = parent_of(d, t);
	struct sm_guid pg;

	if (p)
		pg = p->guid;
	else
		pg = sm_process_guid(d->si.machine, sm_start_sec(&d->si, t->pstart),
				     t->ptag);
	sm_guid_fmt(x->pguid, &pg);
	snprintf(x->ppid, sizeof(x->ppid), "%u", t->ppid);
	ev->f[SM_PROCESSCREATE_PARENTPROCESSGUID] = str(x->pguid);
	ev->f[SM_PROCESSCREATE_PARENTPROCESSID] = str(x->ppid);
	if (!p)
		return;
	snprintf(x->puser, sizeof(x->puser), "%s", sm_user_name(p->uid));
	ev->f[SM_PROCESSCREATE_PARENTIMAGE] = p->image;
	ev->f[SM_PROCESSCREATE_PARENTCOMMANDLINE] = p->cmdline;
	ev->f[SM_PROCESSCREATE_PARENTUSER] = str(x->puser);
}

static void on_exec(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_exec *e = &r->u.exec;
	const struct sm_task *t = &e->t;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_CREATE) };
	struct text x;
	struct sm_guid g = sm_process_guid(d->si.machine,
					   sm_start_sec(&d->si, t->start), t->tag);
	struct sm_guid lg = sm_logon_guid(d->si.machine, t->uid);
	struct sm_str cmd = { d->cmd, (uint32_t)sm_args_join(
			d->cmd, sizeof(d->cmd), r->args.p, r->args.len) };
	const char *hashes;

	if (!ev.type)
		return;
	fill_parent(d, &ev, &x, t);
	sm_pc_put(d->pc, t->pid, t->start, t->uid, &g, r->image, cmd);
	sm_fmt_utctime(x.utc, d->si.boot_epoch_ns + t->start);
	sm_guid_fmt(x.guid, &g);
	sm_guid_fmt(x.logon, &lg);
	snprintf(x.pid, sizeof(x.pid), "%u", t->pid);
	snprintf(x.uid, sizeof(x.uid), "%u", t->uid);
	snprintf(x.ses, sizeof(x.ses), "%u", t->ses);
	snprintf(x.user, sizeof(x.user), "%s", sm_user_name(t->uid));
	ev.f[SM_PROCESSCREATE_UTCTIME] = str(x.utc);
	ev.f[SM_PROCESSCREATE_PROCESSGUID] = str(x.guid);
	ev.f[SM_PROCESSCREATE_PROCESSID] = str(x.pid);
	ev.f[SM_PROCESSCREATE_IMAGE] = r->image;
	ev.f[SM_PROCESSCREATE_COMMANDLINE] = cmd;
	ev.f[SM_PROCESSCREATE_CURRENTDIRECTORY] = r->cwd;
	ev.f[SM_PROCESSCREATE_USER] = str(x.user);
	ev.f[SM_PROCESSCREATE_LOGONGUID] = str(x.logon);
	ev.f[SM_PROCESSCREATE_LOGONID] = str(x.uid);
	ev.f[SM_PROCESSCREATE_TERMINALSESSIONID] = str(x.ses);
	ev.f[SM_PROCESSCREATE_INTEGRITYLEVEL] = SM_STR("no level");
	hashes = sm_exe_hashes(d->hash_algs, &e->exe, t->pid, NULL);
	if (hashes)
		ev.f[SM_PROCESSCREATE_HASHES] = str(hashes);
	filter_and_log(d, &ev);
}

/* A process that never exec'd (a fork child) runs its parent's image. */
static const struct sm_proc *exited_proc(struct sm_daemon *d,
					 const struct sm_task *t)
{
	const struct sm_proc *p = sm_pc_get(d->pc, t->pid, t->start);
	const struct sm_proc *pp;

	if (p)
		return p;
	pp = sm_pc_get(d->pc, t->ppid, t->pstart);
	if (!pp)
		return NULL;
	struct sm_guid g = sm_process_guid(d->si.machine,
					   sm_start_sec(&d->si, t->start), 0);

	memcpy(g.d4, pp->guid.d4, sizeof(g.d4));
	return sm_pc_put(d->pc, t->pid, t->start, t->uid, &g, pp->image,
			 pp->cmdline);
}

static void on_exit_(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_task *t = &r->u.exit.t;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_TERMINATE) };
	const struct sm_proc *p = exited_proc(d, t);
	struct text x;
	struct sm_guid g;

	if (!ev.type)
		return;
	if (p)
		g = p->guid;
	else
		g = sm_process_guid(d->si.machine, sm_start_sec(&d->si, t->start),
				    t->tag);
	sm_fmt_utctime(x.utc, d->si.mono_epoch_ns + r->u.h.ktime);
	sm_guid_fmt(x.guid, &g);
	snprintf(x.pid, sizeof(x.pid), "%u", t->pid);
	snprintf(x.user, sizeof(x.user), "%s", sm_user_name(t->uid));
	ev.f[SM_PROCESSTERMINATE_UTCTIME] = str(x.utc);
	ev.f[SM_PROCESSTERMINATE_PROCESSGUID] = str(x.guid);
	ev.f[SM_PROCESSTERMINATE_PROCESSID] = str(x.pid);
	if (p)
		ev.f[SM_PROCESSTERMINATE_IMAGE] = p->image;
	ev.f[SM_PROCESSTERMINATE_USER] = str(x.user);
	filter_and_log(d, &ev);
	sm_pc_exited(d->pc, t->pid, r->u.h.ktime);
}

int sm_daemon_record(struct sm_daemon *d, const void *data, size_t size)
{
	static struct sm_record r;
	int err = sm_record_decode(data, size, &r);

	if (err) {
		d->bad_records++;
		return 0;
	}
	if (r.type == SM_REC_EXEC)
		on_exec(d, &r);
	else if (r.type == SM_REC_EXIT)
		on_exit_(d, &r);
	return 0;
}

void sm_daemon_tick(struct sm_daemon *d)
{
	sm_pc_expire(d->pc, sm_now_mono_ns(), EXIT_GRACE_NS);
}

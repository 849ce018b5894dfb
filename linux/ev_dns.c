/* SPDX-License-Identifier: MIT */
/* DNSQuery (22) from DNS records: each message is parsed (dns.c); queries
 * wait in the pairing table (dnspair.c) for their responses; a finished
 * lookup becomes one event. Timeouts are checked by sm_net_tick. */
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "dnspair.h"
#include "ev_who.h"
#include "events.h"
#include "loader.h"
#include "log.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"

#define PENDING_LOOKUPS 256

static struct sm_dnspair *pairs;
static char results[SM_DNS_RESULTS_MAX];

static void on_done(void *ctx, const struct sm_dns_done *done)
{
	struct sm_daemon *d = ctx;
	struct sm_event ev = { .type = sm_schema_event(SM_EV_DNS_QUERY) };
	char utc[SM_UTCTIME_LEN + 1], status[12];
	struct sm_who who;

	if (!ev.type)
		return;
	sm_who_of_pid(d, done->who->pid, done->who->start, done->who->tag,
		      done->who->uid, 1, &who);
	sm_record_utctime(d, done->time, utc);
	snprintf(status, sizeof(status), "%u", done->status);
	ev.f[SM_DNSQUERY_UTCTIME] = sm_cstr(utc);
	ev.f[SM_DNSQUERY_PROCESSGUID] = sm_cstr(who.guid);
	ev.f[SM_DNSQUERY_PROCESSID] = sm_cstr(who.pid);
	ev.f[SM_DNSQUERY_QUERYNAME] = sm_cstr(done->name);
	ev.f[SM_DNSQUERY_QUERYSTATUS] = sm_cstr(status);
	ev.f[SM_DNSQUERY_QUERYRESULTS] = sm_cstr(done->results);
	ev.f[SM_DNSQUERY_IMAGE] = sm_who_image(&who);
	ev.f[SM_DNSQUERY_USER] = sm_who_user(&who);
	sm_filter_and_log(d, &ev);
}

static struct sm_dnspair *table(struct sm_daemon *d)
{
	if (!pairs) {
		pairs = sm_dnspair_new(PENDING_LOOKUPS, SM_DNS_TIMEOUT_NS, on_done, d);
		if (!pairs)
			sm_err("out of memory for the DNS lookup table; DNS "
			       "queries are not logged");
	}
	return pairs;
}

/* A message as the process handed it over; over TCP it may carry the
 * 2-byte length in front (or not, when that was sent separately). */
static int parse(const struct sm_rec_dns *rec, struct sm_str msg,
		 struct sm_dns_msg *m)
{
	const uint8_t *p = (const uint8_t *)msg.p;
	size_t len = msg.len;

	if (rec->proto == SM_IPPROTO_TCP) {
		sm_dns_strip_tcp(&p, &len);
		if (sm_dns_parse(p, len, m) && len == msg.len && len > 2)
			return sm_dns_parse(p + 2, len - 2, m);
	}
	return sm_dns_parse(p, len, m);
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_DNS). */
const struct sm_attach sm_attach_dns[] = {
	/* DNSQuery (22): messages to and from port 53 */
	{ "sm_dns_enter", "syscalls", "sys_enter_sendto", SM_EV_DNS_QUERY },
	{ "sm_dns_sendto_exit", "syscalls", "sys_exit_sendto",
	  SM_EV_DNS_QUERY },
	{ "sm_dns_enter", "syscalls", "sys_enter_sendmsg", SM_EV_DNS_QUERY },
	{ "sm_dns_sendmsg_exit", "syscalls", "sys_exit_sendmsg",
	  SM_EV_DNS_QUERY },
	{ "sm_dns_enter", "syscalls", "sys_enter_sendmmsg", SM_EV_DNS_QUERY },
	{ "sm_dns_sendmmsg_exit", "syscalls", "sys_exit_sendmmsg",
	  SM_EV_DNS_QUERY },
	{ "sm_dns_enter", "syscalls", "sys_enter_recvfrom", SM_EV_DNS_QUERY },
	{ "sm_dns_recvfrom_exit", "syscalls", "sys_exit_recvfrom",
	  SM_EV_DNS_QUERY },
	{ "sm_dns_enter", "syscalls", "sys_enter_recvmsg", SM_EV_DNS_QUERY },
	{ "sm_dns_recvmsg_exit", "syscalls", "sys_exit_recvmsg",
	  SM_EV_DNS_QUERY },
	{ "sm_dns_enter", "syscalls", "sys_enter_recvmmsg", SM_EV_DNS_QUERY },
	{ "sm_dns_recvmmsg_exit", "syscalls", "sys_exit_recvmmsg",
	  SM_EV_DNS_QUERY },
	{ 0 } /* end */
};

void sm_on_dns(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_dns *rec = SM_REC(r, struct sm_rec_dns);
	struct sm_dnspair *t = table(d);
	static struct sm_dns_msg m;
	unsigned answers = 0;

	if (!t) {
		d->dropped++;
		return;
	}
	if (parse(rec, r->s[0], &m) || m.opcode != 0)
		return; /* not a DNS query or response: no event */
	if (!m.response) {
		if (rec->dir == SM_DNS_QUERY)
			sm_dnspair_query(t, &rec->a, rec->h.ktime, &m);
		return;
	}
	if (rec->dir != SM_DNS_RESPONSE)
		return;
	sm_dns_results(&m, results, sizeof(results), &answers);
	sm_dnspair_response(t, &rec->a, rec->h.ktime, &m, results, answers);
}

void sm_net_tick(struct sm_daemon *d, uint64_t now)
{
	(void)d;
	if (pairs)
		sm_dnspair_tick(pairs, now);
}

void sm_net_flush(struct sm_daemon *d)
{
	(void)d;
	if (pairs)
		sm_dnspair_tick(pairs, UINT64_MAX);
}

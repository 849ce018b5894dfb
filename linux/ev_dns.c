/* SPDX-License-Identifier: MIT */
/* DNSQuery (22) from DNS records: each message is parsed (dns.c); queries
 * wait in the daemon's pairing table (dnspair.c) for their responses; a
 * finished lookup becomes one event. Timeouts are checked by
 * sm_daemon_tick. */
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "dnspair.h"
#include "ev_who.h"
#include "events.h"
#include "loader.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"

/* the handler's working room (d->scratch) */
struct dns_work {
	struct sm_dns_msg m;
	char results[SM_DNS_RESULTS_MAX];
};
_Static_assert(sizeof(struct dns_work) <= SM_SCRATCH_SIZE,
	       "the DNS handler's work fits the daemon's scratch");

void sm_dns_done(void *ctx, const struct sm_dns_done *done)
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
	/* DNSQuery (22): messages to and from port 53; UDP queries as they
	 * leave (the socket's owner noted as for NetworkConnect) */
	{ "sm_dns_xmit", "net", "net_dev_queue", SM_EV_DNS_QUERY },
	{ "sm_sys_enter", "syscalls", "sys_enter_connect", SM_EV_DNS_QUERY },
	{ "sm_udp_connect_exit", "syscalls", "sys_exit_connect",
	  SM_EV_DNS_QUERY },
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
	struct dns_work *w = d->scratch;
	unsigned answers = 0;

	if (parse(rec, r->s[0], &w->m) || w->m.opcode != 0)
		return; /* not a DNS query or response: no event */
	if (!w->m.response) {
		if (rec->dir == SM_DNS_QUERY)
			sm_dnspair_query(d->dns, &rec->a, rec->h.ktime, &w->m);
		return;
	}
	if (rec->dir != SM_DNS_RESPONSE)
		return;
	sm_dns_results(&w->m, w->results, sizeof(w->results), &answers);
	sm_dnspair_response(d->dns, &rec->a, rec->h.ktime, &w->m, w->results,
			    answers);
}

/* SPDX-License-Identifier: MIT */
/* The query/response pairing (dnspair.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "dnspair.h"

/* ---- pairing ---- */
#define S (1000000000ull)

struct seen {
	int n;
	uint32_t pid;
	uint64_t time;
	unsigned status;
	char name[64], results[256];
};

static void on_done(void *ctx, const struct sm_dns_done *d)
{
	struct seen *s = ctx;

	s->n++;
	s->pid = d->who->pid;
	s->time = d->time;
	s->status = d->status;
	strcpy(s->name, d->name);
	strcpy(s->results, d->results);
}

static struct sm_dns_msg dmsg(unsigned id, unsigned type, const char *name,
			      unsigned rcode)
{
	struct sm_dns_msg d = { .id = (uint16_t)id, .qtype = (uint16_t)type,
				.rcode = (uint8_t)rcode };

	strcpy(d.qname, name);
	return d;
}

static const struct sm_actor P1 = { .pid = 100, .start = 5 * S, .uid = 0 };

static const struct sm_actor P2 = { .pid = 200, .start = 6 * S, .uid = 0 };

static void pair_simple(void **st)
{
	struct seen s = { 0 };
	struct sm_dnspair *t = sm_dnspair_new(8, 10 * S, on_done, &s);
	struct sm_dns_msg q = dmsg(1, 1, "a.example", 0);

	(void)st;
	sm_dnspair_query(t, &P1, 1 * S, &q);
	sm_dnspair_query(t, &P1, 2 * S, &q); /* sent again: same lookup */
	assert_int_equal(sm_dnspair_pending(t), 1);
	sm_dnspair_response(t, &P1, 3 * S, &q, "::ffff:192.0.2.1;", 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.pid, 100);
	assert_int_equal(s.time, 1 * S);
	assert_int_equal(s.status, 0);
	assert_string_equal(s.name, "a.example");
	assert_string_equal(s.results, "::ffff:192.0.2.1;");
	assert_int_equal(sm_dnspair_pending(t), 0);
	sm_dnspair_free(t);
}

/* A and AAAA together are one lookup, reported once both are back. */
static void pair_merge(void **st)
{
	struct seen s = { 0 };
	struct sm_dnspair *t = sm_dnspair_new(8, 10 * S, on_done, &s);
	struct sm_dns_msg a = dmsg(1, 1, "m.example", 0);
	struct sm_dns_msg aaaa = dmsg(2, 28, "m.example", 0);
	struct sm_dns_msg nx4 = dmsg(3, 1, "nx.example", 3);
	struct sm_dns_msg nx6 = dmsg(4, 28, "nx.example", 3);

	(void)st;
	sm_dnspair_query(t, &P1, 1 * S, &a);
	sm_dnspair_query(t, &P1, 1 * S + 1, &aaaa);
	/* the AAAA answer first: the order of the text is the order sent */
	sm_dnspair_response(t, &P1, 2 * S, &aaaa, "2001:db8::1;", 1);
	assert_int_equal(s.n, 0);
	sm_dnspair_response(t, &P1, 2 * S, &a, "::ffff:192.0.2.1;", 1);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.results, "::ffff:192.0.2.1;2001:db8::1;");
	assert_int_equal(s.status, 0);
	/* a name with only an A record: NODATA for AAAA, still success */
	sm_dnspair_query(t, &P1, 3 * S, &a);
	sm_dnspair_query(t, &P1, 3 * S, &aaaa);
	sm_dnspair_response(t, &P1, 4 * S, &a, "::ffff:192.0.2.1;", 1);
	sm_dnspair_response(t, &P1, 4 * S, &aaaa, "", 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.status, 0);
	assert_string_equal(s.results, "::ffff:192.0.2.1;");
	/* both NXDOMAIN */
	sm_dnspair_query(t, &P1, 5 * S, &nx4);
	sm_dnspair_query(t, &P1, 5 * S, &nx6);
	sm_dnspair_response(t, &P1, 6 * S, &nx4, "", 0);
	sm_dnspair_response(t, &P1, 6 * S, &nx6, "", 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.status, 9003);
	assert_string_equal(s.results, "");
	sm_dnspair_free(t);
}

static void pair_timeout(void **st)
{
	struct seen s = { 0 };
	struct sm_dnspair *t = sm_dnspair_new(8, 10 * S, on_done, &s);
	struct sm_dns_msg a = dmsg(1, 1, "t.example", 0);
	struct sm_dns_msg aaaa = dmsg(2, 28, "t.example", 0);

	(void)st;
	sm_dnspair_query(t, &P1, 1 * S, &a);
	sm_dnspair_tick(t, 10 * S);
	assert_int_equal(s.n, 0);
	sm_dnspair_tick(t, 11 * S);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.status, SM_DNS_STATUS_TIMEOUT);
	assert_string_equal(s.results, "");
	assert_int_equal(s.time, 1 * S);
	/* A answered, AAAA never: the answer, once the AAAA times out */
	sm_dnspair_query(t, &P1, 20 * S, &a);
	sm_dnspair_query(t, &P1, 20 * S, &aaaa);
	sm_dnspair_response(t, &P1, 21 * S, &a, "::ffff:192.0.2.1;", 1);
	assert_int_equal(s.n, 1);
	sm_dnspair_tick(t, 30 * S);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.status, 0);
	assert_string_equal(s.results, "::ffff:192.0.2.1;");
	assert_int_equal(sm_dnspair_pending(t), 0);
	/* stopping (now = UINT64_MAX): every waiting lookup is reported */
	sm_dnspair_query(t, &P1, 40 * S, &a);
	sm_dnspair_query(t, &P2, 40 * S + 1, &aaaa);
	sm_dnspair_tick(t, UINT64_MAX);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.status, SM_DNS_STATUS_TIMEOUT);
	assert_int_equal(sm_dnspair_pending(t), 0);
	sm_dnspair_free(t);
}

/* Responses pair only with the same process, id, type and name (any
 * case); one with no query is reported alone. */
static void pair_keys(void **st)
{
	struct seen s = { 0 };
	struct sm_dnspair *t = sm_dnspair_new(8, 10 * S, on_done, &s);
	struct sm_dns_msg q = dmsg(1, 1, "k.example", 0);
	struct sm_dns_msg upper = dmsg(1, 1, "K.EXAMPLE", 0);
	struct sm_dns_msg other_id = dmsg(2, 1, "k.example", 0);

	(void)st;
	sm_dnspair_query(t, &P1, 1 * S, &q);
	sm_dnspair_response(t, &P2, 2 * S, &q, "x;", 1);   /* another process */
	assert_int_equal(s.n, 1);
	assert_int_equal(s.pid, 200);
	assert_int_equal(s.time, 2 * S);
	sm_dnspair_response(t, &P1, 2 * S, &other_id, "y;", 1);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.results, "y;");
	assert_int_equal(sm_dnspair_pending(t), 1);
	sm_dnspair_response(t, &P1, 3 * S, &upper, "z;", 1);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.time, 1 * S);
	assert_string_equal(s.name, "k.example");
	assert_int_equal(sm_dnspair_pending(t), 0);
	sm_dnspair_free(t);
}

static void pair_full(void **st)
{
	struct seen s = { 0 };
	struct sm_dnspair *t = sm_dnspair_new(2, 10 * S, on_done, &s);
	struct sm_dns_msg q1 = dmsg(1, 1, "one.example", 0);
	struct sm_dns_msg q2 = dmsg(2, 1, "two.example", 0);
	struct sm_dns_msg q3 = dmsg(3, 1, "three.example", 0);

	(void)st;
	sm_dnspair_query(t, &P1, 1 * S, &q1);
	sm_dnspair_query(t, &P1, 2 * S, &q2);
	sm_dnspair_query(t, &P1, 3 * S, &q3);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.name, "one.example");
	assert_int_equal(s.status, SM_DNS_STATUS_TIMEOUT);
	assert_int_equal(sm_dnspair_pending(t), 2);
	sm_dnspair_response(t, &P1, 4 * S, &q3, "", 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.name, "three.example");
	assert_int_equal(s.status, SM_DNS_STATUS_NO_RECORDS);
	sm_dnspair_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pair_simple),
		cmocka_unit_test(pair_merge),
		cmocka_unit_test(pair_timeout),
		cmocka_unit_test(pair_keys),
		cmocka_unit_test(pair_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

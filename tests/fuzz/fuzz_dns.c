/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the DNS parser and QueryResults formatter (dns.c) and
 * the query/response pairing (dnspair.c), with hostile bytes: malformed,
 * truncated, compression pointer loops, lying counts.
 *
 * The whole input is parsed as one message (bare, and as a TCP message
 * with its length prefix); then it is cut into chunks (2-byte big-endian
 * length + bytes) fed to the pairing table as the queries and responses of
 * two processes, with the clock moving on and timeouts checked.
 *
 * Checks: no read outside the input (ASan: the input is libFuzzer's exact
 * buffer); the name and the results are NUL-terminated text of the
 * returned length, without control bytes; no more answers than the
 * header's count; every finished lookup has a QueryStatus Windows uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "dnspair.h"
#include "fuzz_check.h"

static void check_text(const char *s, size_t len, size_t cap)
{
	CHECK(len < cap);
	CHECK(strlen(s) == len);
	for (size_t i = 0; i < len; i++)
		CHECK((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f);
}

static void check_message(const uint8_t *p, size_t len)
{
	static struct sm_dns_msg m;
	static char out[SM_DNS_RESULTS_MAX];
	unsigned n = 0;
	size_t olen;

	if (sm_dns_parse(p, len, &m))
		return;
	check_text(m.qname, strlen(m.qname), sizeof(m.qname));
	CHECK(m.an_off <= len);
	olen = sm_dns_results(&m, out, sizeof(out), &n);
	check_text(out, olen, sizeof(out));
	CHECK(n <= m.ancount);
	/* a tiny buffer: whole records only, same count */
	{
		char small[20];
		unsigned n2 = 0;
		size_t l2 = sm_dns_results(&m, small, sizeof(small), &n2);

		check_text(small, l2, sizeof(small));
		CHECK(n2 == n);
		CHECK(!memcmp(small, out, l2));
	}
}

static void on_done(void *ctx, const struct sm_dns_done *d)
{
	unsigned s = d->status;

	(void)ctx;
	CHECK(s == SM_DNS_STATUS_OK || s == SM_DNS_STATUS_NO_RECORDS ||
	      s == SM_DNS_STATUS_TIMEOUT ||
	      (s > SM_DNS_STATUS_RCODE_BASE && s <= SM_DNS_STATUS_RCODE_BASE + 15));
	check_text(d->name, strlen(d->name), SM_DNS_NAME_TEXT);
	check_text(d->results, strlen(d->results), SM_DNS_RESULTS_MAX);
	CHECK(d->who->pid == 1 || d->who->pid == 2);
}

static void pairing(const uint8_t *data, size_t size)
{
	static const struct sm_actor who[2] = { { .pid = 1, .start = 10 },
						{ .pid = 2, .start = 20 } };
	static struct sm_dns_msg m;
	static char results[SM_DNS_RESULTS_MAX];
	struct sm_dnspair *t = sm_dnspair_new(4, 10, on_done, NULL);
	uint64_t now = 0;
	unsigned k = 0;

	CHECK(t);
	while (size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1];
		const struct sm_actor *a = &who[k++ & 1];
		unsigned n = 0;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		now += 3;
		if (!sm_dns_parse(data, len, &m)) {
			if (!m.response) {
				sm_dnspair_query(t, a, now, &m);
			} else {
				sm_dns_results(&m, results, sizeof(results), &n);
				sm_dnspair_response(t, a, now, &m, results, n);
			}
		}
		sm_dnspair_tick(t, now);
		CHECK(sm_dnspair_pending(t) <= 4);
		data += len;
		size -= len;
	}
	sm_dnspair_tick(t, now + 100);
	CHECK(sm_dnspair_pending(t) == 0);
	sm_dnspair_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t len = size;

	check_message(data, size);
	sm_dns_strip_tcp(&p, &len);
	if (p != data)
		check_message(p, len);
	pairing(data, size);
	return 0;
}

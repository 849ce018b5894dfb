/* SPDX-License-Identifier: MIT */
/* The DNS parser (dns.c) on hand-built messages, good and hostile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

/* ---- a small message builder ---- */
struct msg {
	uint8_t b[1024];
	size_t n;
};

static void put16(struct msg *m, unsigned v)
{
	m->b[m->n++] = (uint8_t)(v >> 8);
	m->b[m->n++] = (uint8_t)v;
}

static void put_bytes(struct msg *m, const void *p, size_t n)
{
	if (n)
		memcpy(m->b + m->n, p, n);
	m->n += n;
}

/* "a.b.c" as labels, ending with a pointer to ptr when ptr >= 0. */
static void put_name(struct msg *m, const char *name, int ptr)
{
	while (*name) {
		size_t l = strcspn(name, ".");

		m->b[m->n++] = (uint8_t)l;
		put_bytes(m, name, l);
		name += l;
		name += *name == '.';
	}
	if (ptr >= 0)
		put16(m, 0xc000u | (unsigned)ptr);
	else
		m->b[m->n++] = 0;
}

static void header(struct msg *m, unsigned id, int response, unsigned rcode,
		   unsigned qd, unsigned an)
{
	m->n = 0;
	put16(m, id);
	put16(m, (response ? 0x8180u : 0x0100u) | rcode);
	put16(m, qd);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
}

static void question(struct msg *m, const char *name, unsigned type)
{
	put_name(m, name, -1);
	put16(m, type);
	put16(m, 1);
}

/* An answer record whose owner is a pointer to the question name. */
static void rr(struct msg *m, unsigned type, const void *rdata, size_t len)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 300);
	put16(m, (unsigned)len);
	put_bytes(m, rdata, len);
}

/* An answer record holding a name (written out, no compression). */
static void rr_name(struct msg *m, unsigned type, const void *prefix,
		    size_t plen, const char *target)
{
	struct msg t = { .n = 0 };

	put_bytes(&t, prefix, plen);
	put_name(&t, target, -1);
	rr(m, type, t.b, t.n);
}

static const uint8_t A1[4] = { 192, 0, 2, 1 };

static const uint8_t AAAA1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* Parse m from a heap copy of exactly its size (ASan sees overreads). */
static int parse_exact(const struct msg *m, size_t len, struct sm_dns_msg *out,
		       uint8_t **copy)
{
	*copy = malloc(len ? len : 1);
	memcpy(*copy, m->b, len);
	return sm_dns_parse(*copy, len, out);
}

static void query_fields(void **st)
{
	struct sm_dns_msg d;
	struct msg m;
	uint8_t *c;

	(void)st;
	header(&m, 0x1234, 0, 0, 1, 0);
	question(&m, "www.Example.com", SM_DNS_TYPE_AAAA);
	assert_int_equal(parse_exact(&m, m.n, &d, &c), 0);
	assert_int_equal(d.id, 0x1234);
	assert_false(d.response);
	assert_int_equal(d.opcode, 0);
	assert_int_equal(d.qtype, SM_DNS_TYPE_AAAA);
	assert_int_equal(d.qclass, 1);
	assert_string_equal(d.qname, "www.Example.com");
	assert_int_equal(d.an_off, m.n);
	free(c);
}

static void results_of(const struct msg *m, const char *want_name,
		       const char *want, unsigned want_count, unsigned status)
{
	struct sm_dns_msg d;
	char out[512];
	unsigned n = 99;
	uint8_t *c;

	assert_int_equal(parse_exact(m, m->n, &d, &c), 0);
	assert_true(d.response);
	assert_string_equal(d.qname, want_name);
	assert_int_equal(sm_dns_results(&d, out, sizeof(out), &n), strlen(want));
	assert_string_equal(out, want);
	assert_int_equal(n, want_count);
	assert_int_equal(sm_dns_status(d.rcode, n), status);
	free(c);
}

static void answer_a(void **st)
{
	struct msg m;

	(void)st;
	header(&m, 7, 1, 0, 1, 1);
	question(&m, "host.example", SM_DNS_TYPE_A);
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	results_of(&m, "host.example", "::ffff:192.0.2.1;", 1, 0);
}

static void answer_cname_chain(void **st)
{
	struct msg m;

	(void)st;
	header(&m, 7, 1, 0, 1, 3);
	question(&m, "alias.example", SM_DNS_TYPE_A);
	/* the CNAME target ends with a pointer into the question name */
	put16(&m, 0xc00c);
	put16(&m, SM_DNS_TYPE_CNAME);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 60);
	put16(&m, 7);
	put_name(&m, "real", 18); /* "example" of the question */
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	rr(&m, SM_DNS_TYPE_AAAA, AAAA1, 16);
	results_of(&m, "alias.example",
		   "type:  5 real.example;::ffff:192.0.2.1;2001:db8::1;", 3, 0);
}

static void answer_other_types(void **st)
{
	static const uint8_t pref[2] = { 0, 10 }, srv[6] = { 0, 1, 0, 2, 0x13, 0xc4 };
	static const uint8_t txt[4] = { 3, 'a', 'b', 'c' };
	struct msg m;

	(void)st;
	header(&m, 9, 1, 0, 1, 5);
	question(&m, "x.example", SM_DNS_TYPE_MX);
	rr_name(&m, SM_DNS_TYPE_MX, pref, 2, "mail.example");
	rr_name(&m, SM_DNS_TYPE_SRV, srv, 6, "sip.example");
	rr_name(&m, SM_DNS_TYPE_PTR, NULL, 0, "ptr.example");
	rr_name(&m, SM_DNS_TYPE_NS, NULL, 0, "ns1.example");
	rr(&m, 16, txt, 4);
	results_of(&m, "x.example",
		   "type:  15 mail.example;type:  33 sip.example;"
		   "type:  12 ptr.example;type:  2 ns1.example;type:  16;", 5, 0);
}

static void statuses(void **st)
{
	struct msg m;

	(void)st;
	header(&m, 1, 1, 3, 1, 0);
	question(&m, "missing.example", SM_DNS_TYPE_A);
	results_of(&m, "missing.example", "", 0, 9003);
	header(&m, 1, 1, 0, 1, 0);
	question(&m, "nodata.example", SM_DNS_TYPE_AAAA);
	results_of(&m, "nodata.example", "", 0, SM_DNS_STATUS_NO_RECORDS);
	assert_int_equal(sm_dns_status(2, 0), 9002);
	assert_int_equal(sm_dns_status(5, 3), 9005);
	assert_int_equal(sm_dns_status(0, 1), 0);
}

/* Malformed records end the list; what came before stays. */
static void bad_rdata(void **st)
{
	struct msg m;

	(void)st;
	header(&m, 1, 1, 0, 1, 3);
	question(&m, "h.example", SM_DNS_TYPE_A);
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	rr(&m, SM_DNS_TYPE_A, A1, 3);  /* A with 3 bytes */
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	results_of(&m, "h.example", "::ffff:192.0.2.1;", 1, 0);
	/* ancount says more records than there are */
	header(&m, 1, 1, 0, 1, 9);
	question(&m, "h.example", SM_DNS_TYPE_A);
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	results_of(&m, "h.example", "::ffff:192.0.2.1;", 1, 0);
}

/* Every prefix of a good message: no read past it, never more answers. */
static void truncations(void **st)
{
	struct msg m;

	(void)st;
	header(&m, 7, 1, 0, 1, 3);
	question(&m, "alias.example", SM_DNS_TYPE_A);
	rr_name(&m, SM_DNS_TYPE_CNAME, NULL, 0, "real.example");
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	rr(&m, SM_DNS_TYPE_AAAA, AAAA1, 16);
	for (size_t len = 0; len <= m.n; len++) {
		struct sm_dns_msg d;
		char out[256];
		unsigned n = 0;
		uint8_t *c;
		int r = parse_exact(&m, len, &d, &c);

		if (len < 12 + 15 + 4) {
			assert_int_equal(r, -EBADMSG);
		} else {
			assert_int_equal(r, 0);
			sm_dns_results(&d, out, sizeof(out), &n);
			assert_true(n <= 3);
			assert_true(len == m.n ? n == 3 : n < 3);
		}
		free(c);
	}
}

static int parse_name_bytes(const uint8_t *name, size_t nlen, char *out)
{
	struct msg m;
	struct sm_dns_msg d;
	uint8_t *c;
	int r;

	header(&m, 1, 0, 0, 1, 0);
	put_bytes(&m, name, nlen);
	put16(&m, 1);
	put16(&m, 1);
	r = parse_exact(&m, m.n, &d, &c);
	strcpy(out, d.qname);
	free(c);
	return r;
}

static void hostile_names(void **st)
{
	static const uint8_t self[] = { 0xc0, 12 };             /* points at itself */
	static const uint8_t fwd[] = { 0xc0, 14, 0 };           /* points forward */
	static const uint8_t loop[] = { 1, 'a', 0xc0, 12 };     /* back to its start */
	static const uint8_t ext[] = { 0x41, 'a', 0 };          /* label type 01 */
	static const uint8_t rsv[] = { 0x81, 'a', 0 };          /* label type 10 */
	static const uint8_t cut[] = { 5, 'a', 'b' };           /* label past the end */
	uint8_t big[300];
	char out[SM_DNS_NAME_TEXT];
	size_t n = 0;

	(void)st;
	assert_int_equal(parse_name_bytes(self, sizeof(self), out), -EBADMSG);
	assert_int_equal(parse_name_bytes(fwd, sizeof(fwd), out), -EBADMSG);
	assert_int_equal(parse_name_bytes(loop, sizeof(loop), out), -EBADMSG);
	assert_int_equal(parse_name_bytes(ext, sizeof(ext), out), -EBADMSG);
	assert_int_equal(parse_name_bytes(rsv, sizeof(rsv), out), -EBADMSG);
	assert_int_equal(parse_name_bytes(cut, sizeof(cut), out), -EBADMSG);
	/* 4 labels of 63: 257 bytes on the wire, over the 255 limit */
	for (int l = 0; l < 4; l++) {
		big[n++] = 63;
		memset(big + n, 'x', 63);
		n += 63;
	}
	big[n++] = 0;
	assert_int_equal(parse_name_bytes(big, n, out), -EBADMSG);
	/* 3 of 63 + 1 of 61: 255, the most allowed */
	big[3 * 64] = 61;
	big[3 * 64 + 62] = 0;
	assert_int_equal(parse_name_bytes(big, 3 * 64 + 63, out), 0);
	assert_int_equal(strlen(out), 3 * 64 + 61);
}

/* A pointer chain that goes backwards every time is followed. */
static void pointer_chain(void **st)
{
	struct msg m;
	struct sm_dns_msg d;
	char out[64];
	unsigned n;
	size_t b;
	uint8_t *c;

	(void)st;
	header(&m, 1, 1, 0, 2, 1);
	question(&m, "example", SM_DNS_TYPE_PTR);          /* name at 12 */
	b = m.n;
	put_name(&m, "b", 12);                             /* "b.example" */
	put16(&m, SM_DNS_TYPE_PTR);
	put16(&m, 1);
	put16(&m, 0xc00c);
	put16(&m, SM_DNS_TYPE_PTR);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 1);
	put16(&m, 4);
	put_name(&m, "a", (int)b);                         /* "a" -> "b" -> 12 */
	assert_int_equal(parse_exact(&m, m.n, &d, &c), 0);
	assert_string_equal(d.qname, "example");
	sm_dns_results(&d, out, sizeof(out), &n);
	assert_int_equal(n, 1);
	assert_string_equal(out, "type:  12 a.b.example;");
	free(c);
}

static void escapes_and_root(void **st)
{
	static const uint8_t odd[] = { 5, 'a', '.', ' ', 1, '\\', 2, 'o', 'k', 0 };
	static const uint8_t root[] = { 0 };
	char out[SM_DNS_NAME_TEXT];

	(void)st;
	assert_int_equal(parse_name_bytes(odd, sizeof(odd), out), 0);
	assert_string_equal(out, "a\\.\\032\\001\\\\.ok");
	assert_int_equal(parse_name_bytes(root, sizeof(root), out), 0);
	assert_string_equal(out, ".");
}

static void no_question(void **st)
{
	struct sm_dns_msg d;
	struct msg m;
	uint8_t *c;

	(void)st;
	header(&m, 1, 1, 0, 0, 0);
	assert_int_equal(parse_exact(&m, m.n, &d, &c), -EBADMSG);
	free(c);
	assert_int_equal(sm_dns_parse(NULL, 0, &d), -EBADMSG);
}

static void tcp_prefix(void **st)
{
	struct msg m;
	uint8_t buf[600];
	const uint8_t *p = buf;
	size_t len;

	(void)st;
	header(&m, 1, 0, 0, 1, 0);
	question(&m, "t.example", 1);
	buf[0] = (uint8_t)(m.n >> 8);
	buf[1] = (uint8_t)m.n;
	memcpy(buf + 2, m.b, m.n);
	len = m.n + 2;
	sm_dns_strip_tcp(&p, &len);
	assert_ptr_equal(p, buf + 2);
	assert_int_equal(len, m.n);
	/* a bare message stays as it is */
	p = m.b;
	len = m.n;
	sm_dns_strip_tcp(&p, &len);
	assert_ptr_equal(p, m.b);
	assert_int_equal(len, m.n);
}

static void results_capacity(void **st)
{
	struct sm_dns_msg d;
	struct msg m;
	char out[24];
	unsigned n;
	uint8_t *c;

	(void)st;
	header(&m, 7, 1, 0, 1, 2);
	question(&m, "h.example", SM_DNS_TYPE_A);
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	rr(&m, SM_DNS_TYPE_A, A1, 4);
	assert_int_equal(parse_exact(&m, m.n, &d, &c), 0);
	assert_int_equal(sm_dns_results(&d, out, sizeof(out), &n), 17);
	assert_string_equal(out, "::ffff:192.0.2.1;");
	assert_int_equal(n, 2);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_fields),
		cmocka_unit_test(answer_a),
		cmocka_unit_test(answer_cname_chain),
		cmocka_unit_test(answer_other_types),
		cmocka_unit_test(statuses),
		cmocka_unit_test(bad_rdata),
		cmocka_unit_test(truncations),
		cmocka_unit_test(hostile_names),
		cmocka_unit_test(pointer_chain),
		cmocka_unit_test(escapes_and_root),
		cmocka_unit_test(no_question),
		cmocka_unit_test(tcp_prefix),
		cmocka_unit_test(results_capacity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

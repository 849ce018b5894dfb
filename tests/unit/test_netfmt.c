/* SPDX-License-Identifier: MIT */
/* Connection normalisation and text (netfmt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "netfmt.h"

static struct sm_rec_net rec4(const char *l, uint16_t lport, const char *r,
			      uint16_t rport, uint8_t proto, uint8_t initiated)
{
	struct sm_rec_net n = { .lport = lport, .rport = rport,
				.family = SM_AF_INET, .proto = proto,
				.initiated = initiated };

	memcpy(n.laddr, l, 4);
	memcpy(n.raddr, r, 4);
	return n;
}

static void ip(const struct sm_endpoint *e, const char *want)
{
	char buf[SM_IP_TEXT_MAX];

	assert_int_equal(sm_ep_ip_text(e, buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);
}

static void normalise_v4(void **st)
{
	struct sm_rec_net n = rec4("\x0a\0\0\x05", 40000, "\xc0\x00\x02\x01", 443,
				   SM_IPPROTO_TCP, 1);
	struct sm_conn c;

	(void)st;
	sm_conn_from_rec(&c, &n);
	assert_int_equal(c.proto, SM_IPPROTO_TCP);
	assert_true(c.initiated);
	assert_int_equal(c.local.v6, 0);
	ip(&c.local, "10.0.0.5");
	ip(&c.remote, "192.0.2.1");
	assert_int_equal(c.local.port, 40000);
	assert_int_equal(c.remote.port, 443);
	/* initiated: the process is the source */
	assert_ptr_equal(sm_conn_source(&c), &c.local);
	assert_ptr_equal(sm_conn_destination(&c), &c.remote);
	/* accepted: the peer is the source */
	n.initiated = 0;
	sm_conn_from_rec(&c, &n);
	assert_ptr_equal(sm_conn_source(&c), &c.remote);
	assert_ptr_equal(sm_conn_destination(&c), &c.local);
	assert_false(sm_ep_unspecified(&c.local));
}

static void normalise_v6(void **st)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	static const uint8_t db8[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
	static const uint8_t m1[16] = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 };
	static const uint8_t m2[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 7 };
	static const uint8_t any6[16] = { 0 };
	struct sm_rec_net n = { .family = SM_AF_INET6, .proto = SM_IPPROTO_UDP,
				.lport = 1, .rport = 2 };
	struct sm_conn c;

	(void)st;
	memcpy(n.laddr, lo6, 16);
	memcpy(n.raddr, db8, 16);
	sm_conn_from_rec(&c, &n);
	assert_int_equal(c.local.v6, 1);
	assert_int_equal(c.remote.v6, 1);
	ip(&c.local, "::1");
	ip(&c.remote, "2001:db8::10");
	/* a dual-stack socket talking IPv4 */
	memcpy(n.laddr, m1, 16);
	memcpy(n.raddr, m2, 16);
	sm_conn_from_rec(&c, &n);
	assert_int_equal(c.local.v6, 0);
	assert_int_equal(c.remote.v6, 0);
	ip(&c.local, "127.0.0.1");
	ip(&c.remote, "192.0.2.7");
	assert_int_equal(c.local.port, 1);
	assert_int_equal(c.remote.port, 2);
	/* ... bound to ::, its local address is the IPv4 wildcard */
	memcpy(n.laddr, any6, 16);
	sm_conn_from_rec(&c, &n);
	assert_int_equal(c.local.v6, 0);
	assert_true(sm_ep_unspecified(&c.local));
	ip(&c.local, "0.0.0.0");
	/* a v6 wildcard stays v6 when the peer is v6 */
	memcpy(n.raddr, db8, 16);
	sm_conn_from_rec(&c, &n);
	assert_int_equal(c.local.v6, 1);
	assert_true(sm_ep_unspecified(&c.local));
	ip(&c.local, "::");
}

static void proto_names(void **st)
{
	(void)st;
	assert_string_equal(sm_proto_name(SM_IPPROTO_TCP), "tcp");
	assert_string_equal(sm_proto_name(SM_IPPROTO_UDP), "udp");
	assert_string_equal(sm_proto_name(1), "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalise_v4),
		cmocka_unit_test(normalise_v6),
		cmocka_unit_test(proto_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* UDP conversation dedupe (netconv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "netconv.h"
#include "netfmt.h"

#define S (1000000000ull)

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

static struct sm_conn conn(uint16_t lport, uint16_t rport)
{
	struct sm_rec_net n = rec4("\x7f\0\0\x01", lport, "\x7f\0\0\x01", rport,
				   SM_IPPROTO_UDP, 1);
	struct sm_conn c;

	sm_conn_from_rec(&c, &n);
	return c;
}

static bool admit(struct sm_netconv *t, uint32_t pid, uint16_t lport,
		  uint16_t rport, uint64_t now)
{
	struct sm_conn c = conn(lport, rport);
	struct sm_conv_key k;

	sm_conv_key_make(&k, &c, pid, 1000);
	return sm_netconv_admit(t, &k, now);
}

static void once_per_window(void **st)
{
	struct sm_netconv *t = sm_netconv_new(64, 60 * S);

	(void)st;
	assert_true(admit(t, 1, 5000, 53, 1 * S));
	assert_false(admit(t, 1, 5000, 53, 2 * S));
	assert_false(admit(t, 1, 5000, 53, 60 * S));
	assert_true(admit(t, 1, 5000, 53, 61 * S));   /* window over */
	assert_false(admit(t, 1, 5000, 53, 62 * S));  /* counts from 61 s */
	sm_netconv_free(t);
}

/* Any part of the key makes another conversation. */
static void keys(void **st)
{
	struct sm_netconv *t = sm_netconv_new(64, 60 * S);
	struct sm_conn c = conn(5000, 53);
	struct sm_conv_key k;

	(void)st;
	assert_true(admit(t, 1, 5000, 53, 1 * S));
	assert_true(admit(t, 2, 5000, 53, 1 * S));    /* another process */
	assert_true(admit(t, 1, 5001, 53, 1 * S));    /* another local port */
	assert_true(admit(t, 1, 5000, 54, 1 * S));    /* another remote port */
	sm_conv_key_make(&k, &c, 1, 2000);             /* pid reused */
	assert_true(sm_netconv_admit(t, &k, 1 * S));
	c.remote.addr[3] = 2;                          /* another address */
	sm_conv_key_make(&k, &c, 1, 1000);
	assert_true(sm_netconv_admit(t, &k, 1 * S));
	c.local.v6 = 1;                                /* another family */
	sm_conv_key_make(&k, &c, 1, 1000);
	assert_true(sm_netconv_admit(t, &k, 1 * S));
	assert_false(sm_netconv_admit(t, &k, 2 * S));
	sm_netconv_free(t);
}

static void window_setting(void **st)
{
	struct sm_netconv *t = sm_netconv_new(64, 60 * S);

	(void)st;
	assert_int_equal(sm_netconv_window(t), 60 * S);
	assert_true(admit(t, 1, 5000, 53, 1 * S));
	sm_netconv_set_window(t, 5 * S);
	assert_false(admit(t, 1, 5000, 53, 5 * S));
	assert_true(admit(t, 1, 5000, 53, 6 * S));
	sm_netconv_set_window(t, 0);                   /* 0: every batch */
	assert_true(admit(t, 1, 5000, 53, 6 * S));
	sm_netconv_free(t);
}

/* A full set gives up the conversation logged longest ago: it may be
 * logged again early, the others stay deduplicated. */
static void eviction(void **st)
{
	struct sm_netconv *t = sm_netconv_new(4, 60 * S); /* one set of 4 */

	(void)st;
	for (uint16_t p = 1; p <= 4; p++)
		assert_true(admit(t, 1, p, 53, p * S));
	assert_true(admit(t, 1, 5, 53, 10 * S));      /* evicts port 1 */
	for (uint16_t p = 2; p <= 5; p++)
		assert_false(admit(t, 1, p, 53, 11 * S));
	assert_true(admit(t, 1, 1, 53, 12 * S));      /* evicts port 2 */
	assert_true(admit(t, 1, 2, 53, 13 * S));
	sm_netconv_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_per_window),
		cmocka_unit_test(keys),
		cmocka_unit_test(window_setting),
		cmocka_unit_test(eviction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

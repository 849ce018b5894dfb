/* SPDX-License-Identifier: MIT */
#include "guid.h"

#include "numfmt.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint32_t sm_machine_prefix(const char *machine_id, size_t len)
{
	uint32_t v = 0;

	if (len < 8)
		return 0;
	for (int i = 0; i < 8; i++) {
		int h = hexval(machine_id[i]);

		if (h < 0)
			return 0;
		v = v << 4 | (uint32_t)h;
	}
	return v;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

struct sm_guid sm_process_guid(const struct sm_guid_base *b, uint32_t pid,
			       uint64_t start_ns, uint64_t end_code)
{
	uint64_t tick = b->tick_ns ? b->tick_ns : 10000000ull;
	uint64_t ticks = start_ns / tick; /* what /proc shows */
	uint64_t per_sec = 1000000000ull / tick;
	uint32_t sec = (uint32_t)(b->btime + ticks / per_sec);
	uint64_t fold =
		end_code ^ end_code >> 16 ^ end_code >> 32 ^ end_code >> 48;
	struct sm_guid g = { .d1 = b->machine,
			     .d2 = (uint16_t)sec,
			     .d3 = (uint16_t)(sec >> 16) };

	put_be(g.d4, ticks % per_sec, 2);
	put_be(g.d4 + 2, pid, 4);
	put_be(g.d4 + 6, fold, 2);
	return g;
}

void sm_guid_copy_image(struct sm_guid *g, const struct sm_guid *from)
{
	g->d4[6] = from->d4[6];
	g->d4[7] = from->d4[7];
}

struct sm_guid sm_logon_guid(uint32_t machine, uint32_t uid)
{
	return (struct sm_guid){ .d1 = machine,
				 .d2 = (uint16_t)uid,
				 .d3 = (uint16_t)(uid >> 16) };
}

size_t sm_guid_fmt(char *out, const struct sm_guid *g)
{
	char *p = out;

	*p++ = '{';
	p = sm_put_hex0(p, g->d1, 8);
	*p++ = '-';
	p = sm_put_hex0(p, g->d2, 4);
	*p++ = '-';
	p = sm_put_hex0(p, g->d3, 4);
	*p++ = '-';
	for (int i = 0; i < 8; i++) {
		if (i == 2)
			*p++ = '-';
		p = sm_put_hex0(p, g->d4[i], 2);
	}
	*p++ = '}';
	*p = '\0';
	return (size_t)(p - out);
}

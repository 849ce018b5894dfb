#include "guid.h"

#include <stdio.h>

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

struct sm_guid sm_process_guid(uint32_t machine, uint32_t start_sec,
			       uint64_t tag)
{
	struct sm_guid g = { .d1 = machine,
			     .d2 = (uint16_t)start_sec,
			     .d3 = (uint16_t)(start_sec >> 16) };

	for (int i = 0; i < 8; i++)
		g.d4[i] = (uint8_t)(tag >> (8 * i));
	return g;
}

struct sm_guid sm_logon_guid(uint32_t machine, uint32_t uid)
{
	return sm_process_guid(machine, uid, 0);
}

size_t sm_guid_fmt(char *out, const struct sm_guid *g)
{
	return (size_t)snprintf(out, SM_GUID_TEXT_LEN + 1,
		"{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
		g->d1, g->d2, g->d3, g->d4[0], g->d4[1], g->d4[2], g->d4[3],
		g->d4[4], g->d4[5], g->d4[6], g->d4[7]);
}

/* SPDX-License-Identifier: MIT */
/* Known-value searches in copies of kernel memory. */
#include "kscan.h"

#include <string.h>

int sm_scan(const uint8_t *buf, size_t len, size_t from, const void *pat,
	    size_t plen, size_t align, long *hits, int max)
{
	int n = 0;

	if (!align)
		align = 1;
	from = (from + align - 1) / align * align;
	for (size_t at = from; at + plen <= len; at += align) {
		if (memcmp(buf + at, pat, plen))
			continue;
		if (n < max)
			hits[n] = (long)at;
		n++;
	}
	return n;
}

long sm_scan_one(const uint8_t *buf, size_t len, size_t from, const void *pat,
		 size_t plen, size_t align)
{
	long hit = -1;

	return sm_scan(buf, len, from, pat, plen, align, &hit, 1) == 1 ? hit
								       : -1;
}

uint64_t sm_u64_at(const uint8_t *buf, long off)
{
	uint64_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

uint32_t sm_u32_at(const uint8_t *buf, long off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

uint16_t sm_u16_at(const uint8_t *buf, long off)
{
	uint16_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

int sm_is_kptr(uint64_t v)
{
	return v >= 0xffff800000000000ull && v != ~0ull;
}

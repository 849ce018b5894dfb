/* SPDX-License-Identifier: MIT */
/* UTF-8 decoding, simple case folding and UTF-16 transcoding. */
#include <string.h>
#include "utf8.h"

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t sm_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, min = 0x80, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, min = 0x800, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, min = 0x10000, c &= 0x07;
	} else {
		goto bad;
	}
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if (!is_cont(s[i]))
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = SM_UTF8_BAD(s[0]);
	return 1;
}

size_t sm_utf8_decode_back(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t start = len - 1, back = 0;
	uint32_t c;

	while (back < 3 && start > 0 && is_cont(s[start])) {
		start--;
		back++;
	}
	if (sm_utf8_decode(str + start, len - start, &c) == len - start) {
		*cp = c;
		return len - start;
	}
	*cp = SM_UTF8_BAD(s[len - 1]);
	return 1;
}

size_t sm_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80 || cp >= SM_UTF8_BAD(0)) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

bool sm_utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		i += sm_utf8_decode(s + i, len - i, &cp);
		if (cp >= SM_UTF8_BAD(0)) {
			if (bad)
				*bad = i - 1;
			return false;
		}
	}
	return true;
}

/* Folding ranges: DELTA adds `delta` to every code point of [lo, hi];
 * EVEN (ODD) maps each even (odd) code point of the range to the next one,
 * the usual layout of upper/lower case pairs. Sorted, not overlapping. */
enum { DELTA, EVEN, ODD };

struct fold_range {
	uint32_t lo, hi;
	uint8_t kind;
	int32_t delta;
};

static const struct fold_range fold_ranges[] = {
	{ 0x00b5, 0x00b5, DELTA, 0x03bc - 0x00b5 },
	{ 0x00c0, 0x00d6, DELTA, 32 },
	{ 0x00d8, 0x00de, DELTA, 32 },
	{ 0x0100, 0x012f, EVEN, 0 },
	{ 0x0132, 0x0137, EVEN, 0 },
	{ 0x0139, 0x0148, ODD, 0 },
	{ 0x014a, 0x0177, EVEN, 0 },
	{ 0x0178, 0x0178, DELTA, 0x00ff - 0x0178 },
	{ 0x0179, 0x017e, ODD, 0 },
	{ 0x0181, 0x0181, DELTA, 0x0253 - 0x0181 },
	{ 0x0182, 0x0185, EVEN, 0 },
	{ 0x0186, 0x0186, DELTA, 0x0254 - 0x0186 },
	{ 0x0187, 0x0188, ODD, 0 },
	{ 0x0189, 0x018a, DELTA, 0x0256 - 0x0189 },
	{ 0x018b, 0x018c, ODD, 0 },
	{ 0x018e, 0x018e, DELTA, 0x01dd - 0x018e },
	{ 0x018f, 0x018f, DELTA, 0x0259 - 0x018f },
	{ 0x0190, 0x0190, DELTA, 0x025b - 0x0190 },
	{ 0x0191, 0x0192, ODD, 0 },
	{ 0x0193, 0x0193, DELTA, 0x0260 - 0x0193 },
	{ 0x0194, 0x0194, DELTA, 0x0263 - 0x0194 },
	{ 0x0196, 0x0196, DELTA, 0x0269 - 0x0196 },
	{ 0x0197, 0x0197, DELTA, 0x0268 - 0x0197 },
	{ 0x0198, 0x0199, EVEN, 0 },
	{ 0x019c, 0x019c, DELTA, 0x026f - 0x019c },
	{ 0x019d, 0x019d, DELTA, 0x0272 - 0x019d },
	{ 0x019f, 0x019f, DELTA, 0x0275 - 0x019f },
	{ 0x01a0, 0x01a5, EVEN, 0 },
	{ 0x01a7, 0x01a8, ODD, 0 },
	{ 0x01a9, 0x01a9, DELTA, 0x0283 - 0x01a9 },
	{ 0x01ac, 0x01ad, EVEN, 0 },
	{ 0x01ae, 0x01ae, DELTA, 0x0288 - 0x01ae },
	{ 0x01af, 0x01b0, ODD, 0 },
	{ 0x01b1, 0x01b2, DELTA, 0x028a - 0x01b1 },
	{ 0x01b3, 0x01b6, ODD, 0 },
	{ 0x01b7, 0x01b7, DELTA, 0x0292 - 0x01b7 },
	{ 0x01b8, 0x01b9, EVEN, 0 },
	{ 0x01bc, 0x01bd, EVEN, 0 },
	{ 0x01c4, 0x01c4, DELTA, 2 },
	{ 0x01c5, 0x01c5, DELTA, 1 },
	{ 0x01c7, 0x01c7, DELTA, 2 },
	{ 0x01c8, 0x01c8, DELTA, 1 },
	{ 0x01ca, 0x01ca, DELTA, 2 },
	{ 0x01cb, 0x01dc, ODD, 0 },
	{ 0x01de, 0x01ef, EVEN, 0 },
	{ 0x01f1, 0x01f1, DELTA, 2 },
	{ 0x01f2, 0x01f2, DELTA, 1 },
	{ 0x01f4, 0x01f5, EVEN, 0 },
	{ 0x01f6, 0x01f6, DELTA, 0x0195 - 0x01f6 },
	{ 0x01f7, 0x01f7, DELTA, 0x01bf - 0x01f7 },
	{ 0x01f8, 0x021f, EVEN, 0 },
	{ 0x0220, 0x0220, DELTA, 0x019e - 0x0220 },
	{ 0x0222, 0x0233, EVEN, 0 },
	{ 0x023b, 0x023c, ODD, 0 },
	{ 0x023d, 0x023d, DELTA, 0x019a - 0x023d },
	{ 0x0241, 0x0242, ODD, 0 },
	{ 0x0243, 0x0243, DELTA, 0x0180 - 0x0243 },
	{ 0x0244, 0x0244, DELTA, 0x0289 - 0x0244 },
	{ 0x0245, 0x0245, DELTA, 0x028c - 0x0245 },
	{ 0x0246, 0x024f, EVEN, 0 },
	{ 0x0370, 0x0373, EVEN, 0 },
	{ 0x0376, 0x0377, EVEN, 0 },
	{ 0x037f, 0x037f, DELTA, 0x03f3 - 0x037f },
	{ 0x0386, 0x0386, DELTA, 0x03ac - 0x0386 },
	{ 0x0388, 0x038a, DELTA, 37 },
	{ 0x038c, 0x038c, DELTA, 64 },
	{ 0x038e, 0x038f, DELTA, 63 },
	{ 0x0391, 0x03a1, DELTA, 32 },
	{ 0x03a3, 0x03ab, DELTA, 32 },
	{ 0x03c2, 0x03c2, DELTA, 1 },
	{ 0x03cf, 0x03cf, DELTA, 8 },
	{ 0x03d0, 0x03d0, DELTA, 0x03b2 - 0x03d0 },
	{ 0x03d1, 0x03d1, DELTA, 0x03b8 - 0x03d1 },
	{ 0x03d5, 0x03d5, DELTA, 0x03c6 - 0x03d5 },
	{ 0x03d6, 0x03d6, DELTA, 0x03c0 - 0x03d6 },
	{ 0x03d8, 0x03ef, EVEN, 0 },
	{ 0x03f0, 0x03f0, DELTA, 0x03ba - 0x03f0 },
	{ 0x03f1, 0x03f1, DELTA, 0x03c1 - 0x03f1 },
	{ 0x03f4, 0x03f4, DELTA, 0x03b8 - 0x03f4 },
	{ 0x03f5, 0x03f5, DELTA, 0x03b5 - 0x03f5 },
	{ 0x03f7, 0x03f8, ODD, 0 },
	{ 0x03f9, 0x03f9, DELTA, 0x03f2 - 0x03f9 },
	{ 0x03fa, 0x03fb, EVEN, 0 },
	{ 0x03fd, 0x03ff, DELTA, 0x037b - 0x03fd },
	{ 0x0400, 0x040f, DELTA, 80 },
	{ 0x0410, 0x042f, DELTA, 32 },
	{ 0x0460, 0x0481, EVEN, 0 },
	{ 0x048a, 0x04bf, EVEN, 0 },
	{ 0x04c0, 0x04c0, DELTA, 15 },
	{ 0x04c1, 0x04ce, ODD, 0 },
	{ 0x04d0, 0x052f, EVEN, 0 },
	{ 0x0531, 0x0556, DELTA, 48 },
	{ 0x10a0, 0x10c5, DELTA, 0x2d00 - 0x10a0 },
	{ 0x10c7, 0x10c7, DELTA, 0x2d27 - 0x10c7 },
	{ 0x10cd, 0x10cd, DELTA, 0x2d2d - 0x10cd },
	{ 0x1c90, 0x1cba, DELTA, 0x10d0 - 0x1c90 },
	{ 0x1cbd, 0x1cbf, DELTA, 0x10fd - 0x1cbd },
	{ 0x1e00, 0x1e95, EVEN, 0 },
	{ 0x1e9b, 0x1e9b, DELTA, 0x1e61 - 0x1e9b },
	{ 0x1e9e, 0x1e9e, DELTA, 0x00df - 0x1e9e },
	{ 0x1ea0, 0x1eff, EVEN, 0 },
	{ 0x1f08, 0x1f0f, DELTA, -8 },
	{ 0x1f18, 0x1f1d, DELTA, -8 },
	{ 0x1f28, 0x1f2f, DELTA, -8 },
	{ 0x1f38, 0x1f3f, DELTA, -8 },
	{ 0x1f48, 0x1f4d, DELTA, -8 },
	{ 0x1f59, 0x1f59, DELTA, -8 },
	{ 0x1f5b, 0x1f5b, DELTA, -8 },
	{ 0x1f5d, 0x1f5d, DELTA, -8 },
	{ 0x1f5f, 0x1f5f, DELTA, -8 },
	{ 0x1f68, 0x1f6f, DELTA, -8 },
	{ 0x1f88, 0x1f8f, DELTA, -8 },
	{ 0x1f98, 0x1f9f, DELTA, -8 },
	{ 0x1fa8, 0x1faf, DELTA, -8 },
	{ 0x1fb8, 0x1fb9, DELTA, -8 },
	{ 0x1fba, 0x1fbb, DELTA, -74 },
	{ 0x1fbc, 0x1fbc, DELTA, -9 },
	{ 0x1fc8, 0x1fcb, DELTA, -86 },
	{ 0x1fcc, 0x1fcc, DELTA, -9 },
	{ 0x1fd8, 0x1fd9, DELTA, -8 },
	{ 0x1fda, 0x1fdb, DELTA, -100 },
	{ 0x1fe8, 0x1fe9, DELTA, -8 },
	{ 0x1fea, 0x1feb, DELTA, -112 },
	{ 0x1fec, 0x1fec, DELTA, -7 },
	{ 0x1ff8, 0x1ff9, DELTA, -128 },
	{ 0x1ffa, 0x1ffb, DELTA, -126 },
	{ 0x1ffc, 0x1ffc, DELTA, -9 },
	{ 0x2126, 0x2126, DELTA, 0x03c9 - 0x2126 },
	{ 0x212b, 0x212b, DELTA, 0x00e5 - 0x212b },
	{ 0x2132, 0x2132, DELTA, 0x214e - 0x2132 },
	{ 0x2160, 0x216f, DELTA, 16 },
	{ 0x2183, 0x2183, DELTA, 1 },
	{ 0x24b6, 0x24cf, DELTA, 26 },
	{ 0x2c00, 0x2c2f, DELTA, 48 },
	{ 0x2c60, 0x2c60, DELTA, 1 },
	{ 0x2c67, 0x2c6c, ODD, 0 },
	{ 0x2c72, 0x2c72, DELTA, 1 },
	{ 0x2c75, 0x2c75, DELTA, 1 },
	{ 0x2c80, 0x2ce3, EVEN, 0 },
	{ 0x2ceb, 0x2cee, ODD, 0 },
	{ 0x2cf2, 0x2cf2, DELTA, 1 },
	{ 0xa640, 0xa66d, EVEN, 0 },
	{ 0xa680, 0xa69b, EVEN, 0 },
	{ 0xa722, 0xa72f, EVEN, 0 },
	{ 0xa732, 0xa76f, EVEN, 0 },
	{ 0xa779, 0xa77c, ODD, 0 },
	{ 0xa77e, 0xa787, EVEN, 0 },
	{ 0xa78b, 0xa78b, DELTA, 1 },
	{ 0xa790, 0xa793, EVEN, 0 },
	{ 0xa796, 0xa7a9, EVEN, 0 },
	{ 0xff21, 0xff3a, DELTA, 32 },
	{ 0x10400, 0x10427, DELTA, 40 },
	{ 0x104b0, 0x104d3, DELTA, 40 },
	{ 0x10c80, 0x10cb2, DELTA, 64 },
	{ 0x118a0, 0x118bf, DELTA, 32 },
	{ 0x1e900, 0x1e921, DELTA, 34 },
};

uint32_t sm_fold(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(fold_ranges) / sizeof(fold_ranges[0]);

	if (cp < 0x80)
		return sm_fold_ascii((unsigned char)cp);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct fold_range *r = &fold_ranges[mid];

		if (cp < r->lo) {
			hi = mid;
		} else if (cp > r->hi) {
			lo = mid + 1;
		} else {
			if (r->kind == DELTA)
				return (uint32_t)((int32_t)cp + r->delta);
			if ((cp & 1) == (r->kind == ODD ? 1u : 0u))
				return cp + 1;
			return cp;
		}
	}
	return cp;
}

size_t sm_utf8_fold(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	uint32_t cp;

	while (i < len) {
		/* ASCII runs: the common case, kept tight */
		while (i < len && !((unsigned char)s[i] & 0x80)) {
			unsigned char c = (unsigned char)s[i++];

			out[o++] = (char)(c + (unsigned char)((unsigned)(c - 'A') < 26u) * 32);
		}
		if (i == len)
			break;
		i += sm_utf8_decode(s + i, len - i, &cp);
		o += sm_utf8_encode(sm_fold(cp), out + o);
	}
	return o;
}

static uint32_t unit16(const unsigned char *p, bool be)
{
	return be ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]);
}

size_t sm_utf16_to_utf8(const unsigned char *in, size_t len, bool big_endian,
			char *out, size_t *bad)
{
	size_t i = 0, o = 0;

	while (i + 1 < len) {
		uint32_t cp = unit16(in + i, big_endian);

		if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < len) {
			uint32_t lo = unit16(in + i + 2, big_endian);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		if (cp >= 0xd800 && cp <= 0xdfff) {
			*bad = i;
			return (size_t)-1;
		}
		o += sm_utf8_encode(cp, out + o);
		i += 2;
	}
	if (i != len) {
		*bad = i;
		return (size_t)-1;
	}
	return o;
}

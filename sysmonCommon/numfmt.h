/* SPDX-License-Identifier: MIT */
/* Numbers to text without printf: the formatter writes several per event
 * (times, GUIDs, ids), and snprintf's parsing of its format string cost
 * more than the rest of an event's formatting together. */
#ifndef SM_NUMFMT_H
#define SM_NUMFMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The low `width` decimal digits of v, zero-padded, at p; returns the end. */
static inline char *sm_put_dec0(char *p, uint64_t v, unsigned width)
{
	for (unsigned i = width; i-- > 0; v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

/* The low `width` hex digits (lower case) of v, zero-padded, at p. */
static inline char *sm_put_hex0(char *p, uint64_t v, unsigned width)
{
	for (unsigned i = width; i-- > 0; v >>= 4)
		p[i] = "0123456789abcdef"[v & 15];
	return p + width;
}

#define SM_DEC_MAX 20 /* digits of UINT64_MAX */

/* v in decimal at out (no NUL; room for SM_DEC_MAX): its length. */
static inline size_t sm_put_dec(char *out, uint64_t v)
{
	char tmp[SM_DEC_MAX];
	size_t n = 0;

	do {
		tmp[SM_DEC_MAX - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(out, tmp + SM_DEC_MAX - n, n);
	return n;
}

/* "YYYY-MM-DD" + sep + "HH:MM:SS" at p (year 0-9999): returns the end. */
static inline char *sm_put_datetime(char *p, unsigned year, unsigned mon,
				    unsigned day, char sep, unsigned hour,
				    unsigned min, unsigned sec)
{
	p = sm_put_dec0(p, year, 4);
	*p++ = '-';
	p = sm_put_dec0(p, mon, 2);
	*p++ = '-';
	p = sm_put_dec0(p, day, 2);
	*p++ = sep;
	p = sm_put_dec0(p, hour, 2);
	*p++ = ':';
	p = sm_put_dec0(p, min, 2);
	*p++ = ':';
	return sm_put_dec0(p, sec, 2);
}

#endif

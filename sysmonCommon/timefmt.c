/* SPDX-License-Identifier: MIT */
#include "timefmt.h"

#include "numfmt.h"

struct civil {
	int64_t year;
	unsigned month, day, hour, min, sec;
};

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * well-known civil-from-days arithmetic, restated). */
static void civil_from_epoch(uint64_t secs, struct civil *c)
{
	int64_t days = (int64_t)(secs / 86400);
	unsigned rem = (unsigned)(secs % 86400);
	int64_t z = days + 719468;
	int64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	c->day = doy - (153 * mp + 2) / 5 + 1;
	c->month = mp < 10 ? mp + 3 : mp - 9;
	c->year = (int64_t)yoe + era * 400 + (c->month <= 2);
	c->hour = rem / 3600;
	c->min = rem / 60 % 60;
	c->sec = rem % 60;
}

size_t sm_fmt_utctime(char *out, uint64_t epoch_ns)
{
	struct civil c;
	char *p;

	civil_from_epoch(epoch_ns / 1000000000ull, &c);
	/* years up to 2554 (UINT64_MAX ns): always four digits */
	p = sm_put_datetime(out, (unsigned)c.year, c.month, c.day, ' ', c.hour,
			    c.min, c.sec);
	*p++ = '.';
	p = sm_put_dec0(p, epoch_ns / 1000000ull % 1000, 3);
	*p = '\0';
	return (size_t)(p - out);
}

size_t sm_fmt_systemtime(char *out, uint64_t epoch_ns)
{
	struct civil c;
	char *p;

	civil_from_epoch(epoch_ns / 1000000000ull, &c);
	p = sm_put_datetime(out, (unsigned)c.year, c.month, c.day, 'T', c.hour,
			    c.min, c.sec);
	*p++ = '.';
	p = sm_put_dec0(p, epoch_ns % 1000000000ull, 9);
	*p++ = 'Z';
	*p = '\0';
	return (size_t)(p - out);
}

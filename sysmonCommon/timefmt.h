/* SPDX-License-Identifier: MIT */
/* Sysmon time formats from nanoseconds since the Unix epoch (UTC). */
#ifndef SM_TIMEFMT_H
#define SM_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define SM_UTCTIME_LEN 23    /* "YYYY-MM-DD HH:MM:SS.mmm" */
#define SM_SYSTEMTIME_LEN 30 /* "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" */

/* UtcTime: writes SM_UTCTIME_LEN bytes plus a NUL into out. */
size_t sm_fmt_utctime(char *out, uint64_t epoch_ns);
/* TimeCreated SystemTime: writes SM_SYSTEMTIME_LEN bytes plus a NUL. */
size_t sm_fmt_systemtime(char *out, uint64_t epoch_ns);

#endif

/* SPDX-License-Identifier: MIT */
/* The Sysmon event as one line of XML (no declaration, no whitespace).
 * Every line is well-formed XML 1.0:
 *  - & < > are escaped (and " inside attributes);
 *  - tab, LF and CR become &#9; &#10; &#13; so one event stays one line;
 *  - other control bytes, invalid UTF-8 and the non-characters U+FFFE and
 *    U+FFFF become U+FFFD (the Unicode replacement character), byte by byte.
 * Values over their FieldSizes limit become their first N-3 characters plus
 * "..." ("-" when N < 3); a line over SM_EVENT_MAX bytes is cut down by
 * shortening ParentCommandLine first, then CommandLine, each ending in "...". */
#ifndef SM_XMLFMT_H
#define SM_XMLFMT_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"

#define SM_EVENT_MAX 65535u     /* a whole event line, bytes */
#define SM_FMT_BUF (512u << 10) /* work buffer the caller provides */

struct sm_sys_header {
	uint64_t record_id;  /* EventRecordID */
	uint64_t time_ns;    /* TimeCreated, ns since the epoch */
	const char *computer;
	uint32_t pid, tid;   /* Execution: the monitor's own */
	uint32_t uid;        /* Security UserId: the monitor's euid */
};

/* Formats ev into buf (capacity cap, at least SM_FMT_BUF). limits[i] is the
 * FieldSizes limit of field i (0: none); limits may be NULL. Returns the
 * line's length (NUL-terminated), or 0 when cap is too small. */
size_t sm_format_event(char *buf, size_t cap, const struct sm_sys_header *h,
		       const struct sm_event *ev, const unsigned *limits);

/* Escaped copy of text (rules above) into out; returns bytes written, at
 * most cap - 1, NUL-terminated. For tests and for non-event text. */
size_t sm_xml_escape(char *out, size_t cap, const char *text, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/* The JSON line of an event (the shape of jsonline.h, shared with
 * sysmonLogView), made from the XML line itself (the output of
 * sm_format_event), so the two can never say different things: the
 * System values jsonline.h names (EventID, EventRecordID, TimeCreated from
 * SystemTime, Computer, ExecutionProcessID, ExecutionThreadID,
 * SecurityUserId), then every <Data Name="N">v</Data> as "N":"v" in the
 * XML's order; each value the XML's text with its entities decoded,
 * escaped by sm_json_escape (always valid UTF-8, no control character).
 * The line ends with a newline. */
#ifndef SM_JSONFMT_H
#define SM_JSONFMT_H

#include <stddef.h>
#include <stdint.h>

#include "jsonline.h"
#include "schema.h"
#include "xmlfmt.h"

/* Room that always suffices for the JSON of an XML line of at most
 * SM_EVENT_MAX bytes, and for its decoded values (scratch). */
#define SM_JSON_BUF \
	(SM_JSON_LINE_MAX(SM_EVENT_MAX, SM_JSON_NSYS + SM_MAX_FIELDS) + 1u)
#define SM_JSON_TMP (SM_EVENT_MAX + 1u)

/* The JSON line of xml[0..len) into out (capacity cap), with its newline,
 * NUL-terminated; tmp (tmp_cap bytes, at least len) holds the decoded
 * values meanwhile. Returns its length (newline included), or 0 when a
 * buffer is too small or xml is not an event line of sm_format_event's
 * shape. */
size_t sm_json_from_xml(char *out, size_t cap, char *tmp, size_t tmp_cap,
			const char *xml, size_t len);

/* -rotate's argument, "SIZE[,COUNT]": SIZE in bytes, or with a K, M or G
 * suffix (1024-based), 0 for no rotation by size; COUNT rotated files kept,
 * 0..SM_JSON_KEEP_MAX (default SM_JSON_KEEP_DEFAULT). 0 or -1 when
 * malformed or out of range. */
#define SM_JSON_ROTATE_DEFAULT (100ull << 20)
#define SM_JSON_KEEP_DEFAULT 5u
#define SM_JSON_KEEP_MAX 999u
int sm_json_parse_rotate(const char *s, uint64_t *bytes, unsigned *keep);

#endif

/* SPDX-License-Identifier: MIT */
/* One event as one JSON object on one line: the shape shared by every
 * writer and reader of sysmon's JSON lines (the JSON-lines file sink writes
 * it, `sysmonLogView -o json` prints it, `sysmonLogView -j` reads it).
 *
 *   {"EventID":"1","EventRecordID":"1930",
 *    "TimeCreated":"2026-11-22T16:40:30.513162000Z","Computer":"vm",
 *    "ExecutionProcessID":"30050","ExecutionThreadID":"30050",
 *    "SecurityUserId":"0","RuleName":"-","UtcTime":"2026-11-22 ...", ...}
 *
 * - First the System keys below, in this order (each one when known), then
 *   every Data field of the event by its Sysmon name, in schema order.
 * - Every value is a JSON string holding exactly the text of the XML
 *   element or attribute (after XML unescaping), so one maps to the other.
 * - The System values that follow from EventID (Provider, Version, Level,
 *   Task, Opcode, Keywords, Channel: see `sysmon -s`) are not repeated; the
 *   System keys differ from every Data field name, also ignoring case
 *   (Execution's ProcessID would clash with ProcessId in case-insensitive
 *   consumers, Version with ServiceStateChange's Version).
 * - A key appears at most once. The line is UTF-8 and holds no control
 *   character: see sm_json_escape. */
#ifndef SM_JSONLINE_H
#define SM_JSONLINE_H

#include <stddef.h>

enum sm_json_sys {
	SM_JSON_EVENT_ID,     /* <EventID> */
	SM_JSON_RECORD_ID,    /* <EventRecordID> */
	SM_JSON_TIME_CREATED, /* <TimeCreated SystemTime=""> */
	SM_JSON_COMPUTER,     /* <Computer> */
	SM_JSON_EXEC_PID,     /* <Execution ProcessID=""> */
	SM_JSON_EXEC_TID,     /* <Execution ThreadID=""> */
	SM_JSON_USER_ID,      /* <Security UserId=""> */
	SM_JSON_NSYS
};

/* The key of each System value ("EventID", ... "SecurityUserId"). */
extern const char *const sm_json_sys_keys[SM_JSON_NSYS];

/* The System value key names (exact case), or -1. */
int sm_json_sys_key(const char *name, size_t len);

/* The escaped contents of a JSON string (no quotes) for s[0..len):
 * `"` and `\` escaped; \b \f \n \r \t; other C0 controls, DEL, the C1
 * controls (U+0080-U+009F) and U+2028/U+2029 as \u00XX / \u20XX; invalid
 * UTF-8 becomes U+FFFD byte by byte. Needs at most SM_JSON_ESC_MAX(len)
 * bytes; returns the length written, or 0 with nothing useful when cap is
 * too small (a non-empty s never escapes to nothing). No NUL is added. */
#define SM_JSON_ESC_MAX(len) ((len)*6)
size_t sm_json_escape(char *out, size_t cap, const char *s, size_t len);

struct sm_json_kv {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
};

/* {"k":"v",...} for kv[0..n), then a newline and a NUL. Returns the
 * length (without the NUL), or 0 when cap is too small; room enough:
 * SM_JSON_LINE_MAX(total key and value bytes, n). */
#define SM_JSON_LINE_MAX(bytes, n) (SM_JSON_ESC_MAX(bytes) + 6 * (n) + 4)
size_t sm_json_line(char *out, size_t cap, const struct sm_json_kv *kv,
		    size_t n);

#endif

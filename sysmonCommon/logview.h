/* SPDX-License-Identifier: MIT */
/* sysmonLogView's pure part: one input line (a syslog line holding a
 * sysmon XML event, or a JSON line of jsonline.h) into an event
 * (logview_parse.c); the switches that select events and fields
 * (logview_filter.c); the event as a readable block or a JSON line
 * (logview_fmt.c). No allocation: the caller gives the buffers. */
#ifndef SM_LOGVIEW_H
#define SM_LOGVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "jsonline.h"

#define SM_LV_MAX_FIELDS 64 /* Data fields of one event; more: malformed */

struct sm_lv_str {
	const char *p; /* NULL: absent */
	size_t len;
};

struct sm_lv_event {
	unsigned id;        /* EventID */
	uint64_t record_id; /* EventRecordID */
	bool has_time;
	int64_t time_ms; /* TimeCreated, ms since the epoch (UTC) */
	struct sm_lv_str sys[SM_JSON_NSYS]; /* the System values, as text */
	unsigned nfields;
	struct sm_lv_str name[SM_LV_MAX_FIELDS], value[SM_LV_MAX_FIELDS];
};

/* What a line is. */
enum sm_lv_kind {
	SM_LV_EVENT,     /* an event: *ev filled */
	SM_LV_OTHER,     /* not a sysmon event line: skip it */
	SM_LV_MALFORMED, /* a sysmon event line that cannot be read: *why */
};

/* A syslog line (no newline) whose tag (the text before the line's first
 * ": ") is `sysmon` or `sysmon[PID]` and whose message starts with
 * `<Event`. The event's text is decoded into buf (cap >= len); ev points
 * into it. */
enum sm_lv_kind sm_lv_parse_syslog(const char *line, size_t len, char *buf,
				   size_t cap, struct sm_lv_event *ev,
				   const char **why);
/* A JSON line (jsonline.h). Lines not starting with `{` (after blanks)
 * are SM_LV_OTHER. */
enum sm_lv_kind sm_lv_parse_json(const char *line, size_t len, char *buf,
				 size_t cap, struct sm_lv_event *ev,
				 const char **why);

/* "YYYY-MM-DD HH:MM[:SS[.nnn]]" (or with a T, and a final Z; more than
 * three fraction digits are cut to milliseconds) in UTC to milliseconds
 * since the epoch. 0, or -EINVAL. */
int sm_lv_parse_time(const char *s, size_t len, int64_t *ms);

/* --- selection (the switches) ---------------------------------------- */

#define SM_LV_MAX_IDS 256
#define SM_LV_MAX_ARGS 64
#define SM_LV_ALL_EVENTS UINT32_MAX /* -E without `ID=`: every event */

struct sm_lv_list {  /* a switch's argument: a name and comma-separated items */
	uint32_t id; /* -E: the event, or SM_LV_ALL_EVENTS */
	const char *name; /* -f: the field */
	size_t name_len;
	const char *items; /* the comma-separated values (-f) or fields (-E) */
};

struct sm_lv_filter {
	unsigned nids;
	uint32_t ids[SM_LV_MAX_IDS]; /* -e; none: every event */
	bool has_rec_min, has_rec_max, has_time_min, has_time_max;
	uint64_t rec_min, rec_max;  /* -r, inclusive */
	int64_t time_min, time_max; /* -t, ms, inclusive */
	unsigned nvalues, nshow;
	struct sm_lv_list values[SM_LV_MAX_ARGS]; /* -f */
	struct sm_lv_list show[SM_LV_MAX_ARGS];   /* -E */
};

/* Adds the switch opt ('e', 'r', 't', 'f' or 'E') with its argument (kept
 * by pointer: it must outlive the filter). 0, or -EINVAL with *why set to
 * what is wrong with it. */
int sm_lv_filter_add(struct sm_lv_filter *f, char opt, const char *arg,
		     const char **why);
/* Does the event pass -e, -r, -t and -f? */
bool sm_lv_selected(const struct sm_lv_filter *f, const struct sm_lv_event *ev);
/* Is Data field i of the event shown (-E)? */
bool sm_lv_shown(const struct sm_lv_filter *f, const struct sm_lv_event *ev,
		 unsigned i);

/* --- output ------------------------------------------------------------ */

/* Room enough for the output of an event parsed from a line of len bytes. */
#define SM_LV_OUT_MAX(len) (6 * (size_t)(len) + 4096)

/* The readable block, NUL-terminated; returns its length, 0 when cap is too
 * small:
 *   Event ProcessCreate: EventID 1, EventRecordID 1930, TimeCreated ...
 *   <TAB>RuleName: -
 *   ...
 * Names and values are shown with sm_lv_escape; an empty value as
 * --NULL--; blank: an empty line after the block (-X). */
size_t sm_lv_format_text(char *out, size_t cap, const struct sm_lv_filter *f,
			 const struct sm_lv_event *ev, bool blank);
/* The event as a JSON line (jsonline.h), the shown Data fields only. */
size_t sm_lv_format_json(char *out, size_t cap, const struct sm_lv_filter *f,
			 const struct sm_lv_event *ev, bool blank);

/* Text safe on a terminal: `\` as \\, tab, LF and CR as \t \n \r, other
 * control bytes and DEL as \xNN, invalid UTF-8 as \xNN per byte, and the
 * C1 controls, U+2028/U+2029 and the bidirectional controls (U+061C,
 * U+200E/F, U+202A-E, U+2066-9) as \uXXXX. At most 6 * len bytes; returns
 * the length (no NUL), 0 when cap is too small. */
size_t sm_lv_escape(char *out, size_t cap, const char *s, size_t len);

#endif

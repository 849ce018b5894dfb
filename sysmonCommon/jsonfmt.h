/* SPDX-License-Identifier: MIT */
/* The JSON form of an event line, made from the XML line itself (the
 * output of sm_format_event), so the two can never say different things.
 *
 * One object per line, in this shape and key order:
 *
 *   {"System":{"Name":"Linux-Sysmon","Guid":"{ff03...}","EventID":"1",
 *    "Version":"5","Level":"4","Task":"1","Opcode":"0",
 *    "Keywords":"0x8000000000000000",
 *    "SystemTime":"2026-11-22T16:40:30.513162000Z","EventRecordID":"1930",
 *    "ProcessID":"30050","ThreadID":"30050",
 *    "Channel":"Linux-Sysmon/Operational","Computer":"vm","UserId":"0"},
 *   "EventData":{"RuleName":"-","UtcTime":"2026-11-22 16:40:30.510",...}}
 *
 * (without the line breaks). The rule: in the System section every
 * attribute goes under its attribute name and every element's text under
 * the element's name (elements with neither, like <Correlation/>, are
 * left out); in EventData every <Data Name="N">v</Data> becomes "N":"v",
 * in the XML's order. Every value is a string: the XML's text with its
 * entities decoded, then escaped for JSON (" \ and the control characters
 * U+0000-U+001F as \" \\ \b \f \n \r \t or \u00XX; nothing else). Bytes
 * that are not valid UTF-8 (the XML formatter never writes them) become
 * U+FFFD, so a line is always valid UTF-8. Keys are the XML names as they
 * are (ASCII letters and digits). No whitespace; the line has no newline,
 * the file sink adds one. */
#ifndef SM_JSONFMT_H
#define SM_JSONFMT_H

#include <stddef.h>
#include <stdint.h>

#include "xmlfmt.h"

#define SM_JSON_SYSTEM "System"
#define SM_JSON_EVENTDATA "EventData"

/* Room that always suffices for the JSON of an XML line of at most
 * SM_EVENT_MAX bytes (a byte of XML text becomes at most 3 bytes). */
#define SM_JSON_BUF (3u * SM_EVENT_MAX + 256u)

/* The JSON of xml[0..len) into out (capacity cap), NUL-terminated.
 * Returns its length, or 0 when cap is too small or xml is not an event
 * line of sm_format_event's shape. */
size_t sm_json_from_xml(char *out, size_t cap, const char *xml, size_t len);

/* Escaped copy of text[0..len) for a JSON string (rules above, no quotes
 * added) into out; returns its length, NUL-terminated, or 0 when cap is
 * too small (and len > 0). */
size_t sm_json_escape(char *out, size_t cap, const char *text, size_t len);

/* -rotate's argument, "SIZE[,COUNT]": SIZE in bytes, or with a K, M or G
 * suffix (1024-based), 0 for no rotation by size; COUNT rotated files kept,
 * 0..SM_JSON_KEEP_MAX (default SM_JSON_KEEP_DEFAULT). 0 or -1 when
 * malformed or out of range. */
#define SM_JSON_ROTATE_DEFAULT (100ull << 20)
#define SM_JSON_KEEP_DEFAULT 5u
#define SM_JSON_KEEP_MAX 999u
int sm_json_parse_rotate(const char *s, uint64_t *bytes, unsigned *keep);

#endif

/* SPDX-License-Identifier: MIT */
/* UTF-8 / UTF-16 helpers and Unicode simple case folding for the rule
 * engine. Pure functions, no allocation. */
#ifndef SM_UTF8_H
#define SM_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code unit returned for a byte that does not start a valid UTF-8
 * sequence: above the Unicode range, so it equals nothing but itself. */
#define SM_UTF8_BAD(byte) (0x110000u + (uint8_t)(byte))

/* Decode the sequence at s[0..len), len > 0. Returns its length (1-4) and
 * the code point in *cp; invalid, overlong, surrogate or truncated input
 * gives length 1 and *cp = SM_UTF8_BAD(s[0]). */
size_t sm_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Same for the sequence that ends at s[len - 1], len > 0. */
size_t sm_utf8_decode_back(const char *s, size_t len, uint32_t *cp);
/* Encode cp into out (4 bytes room); a SM_UTF8_BAD value gives back its
 * raw byte. Returns the length. */
size_t sm_utf8_encode(uint32_t cp, char *out);
/* True when s[0..len) is valid UTF-8; else *bad receives the offset of
 * the first invalid byte. */
bool sm_utf8_valid(const char *s, size_t len, size_t *bad);

/* Unicode simple case folding (the single-character mappings) for
 * Latin, Greek, Cyrillic, Armenian, Georgian, Glagolitic, Coptic,
 * fullwidth and a few other scripts. Never maps a non-ASCII character to
 * an ASCII one (U+212A KELVIN SIGN and U+017F LONG S stay as they are),
 * so an ASCII byte can only ever equal an ASCII byte after folding. */
uint32_t sm_fold(uint32_t cp);
/* ASCII-only folding, for hot loops. */
static inline unsigned char sm_fold_ascii(unsigned char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}
/* Fold s[0..len) into out, which must have room for 2 * len bytes.
 * Returns the folded length. Invalid bytes are copied unchanged. */
size_t sm_utf8_fold(const char *s, size_t len, char *out);

/* Transcode UTF-16 (no BOM) into out, which must have room for
 * len / 2 * 3 bytes. Returns the UTF-8 length, or (size_t)-1 with *bad
 * set to the byte offset of an unpaired surrogate or a trailing odd byte. */
size_t sm_utf16_to_utf8(const unsigned char *in, size_t len, bool big_endian,
			char *out, size_t *bad);

#endif

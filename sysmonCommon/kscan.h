/* SPDX-License-Identifier: MIT */
/* Known-value searches in copies of kernel memory (offset discovery). */
#ifndef SM_KSCAN_H
#define SM_KSCAN_H

#include <stddef.h>
#include <stdint.h>

/* Offsets (multiples of align) in buf[from, len) where pat[0, plen)
 * occurs; up to max of them in hits. Returns how many there are. */
int sm_scan(const uint8_t *buf, size_t len, size_t from, const void *pat,
	    size_t plen, size_t align, long *hits, int max);

/* The one offset where pat occurs, or -1 (none or several). */
long sm_scan_one(const uint8_t *buf, size_t len, size_t from, const void *pat,
		 size_t plen, size_t align);

/* Little-endian values at an offset of a copy. */
uint64_t sm_u64_at(const uint8_t *buf, long off);
uint32_t sm_u32_at(const uint8_t *buf, long off);
uint16_t sm_u16_at(const uint8_t *buf, long off);

/* A canonical x86-64 kernel address. */
int sm_is_kptr(uint64_t v);

#endif

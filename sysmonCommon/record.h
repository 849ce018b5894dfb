/* SPDX-License-Identifier: MIT */
/* Decoding a record from the kernel. The raw bytes are read-only and may
 * be unaligned (perf buffer): the fixed part is copied out, strings are
 * views into the raw bytes. Every offset and length is bounds-checked.
 * Record types are the lines of records.def. */
#ifndef SM_RECORD_H
#define SM_RECORD_H

#include <stddef.h>
#include "event.h"
#include "sysmon_abi.h"
#include "sm_record_abi.h" /* generated: structs outside sysmon_abi.h */

#define SM_REC_FIXED_MAX 512 /* largest fixed part of any record */
#define SM_REC_STRS 4        /* most strings in one record */

struct sm_record {
	uint32_t type; /* enum sm_rec_type */
	union {
		struct sm_rec_hdr h;
		uint64_t align;
		unsigned char bytes[SM_REC_FIXED_MAX];
	} fixed;
	/* the record's strings, in the order of its sm_strref members */
	struct sm_str s[SM_REC_STRS];
};

/* The fixed part as its ABI struct. */
#define SM_REC(r, T) ((const T *)(const void *)(r)->fixed.bytes)

/* 0, or -EBADMSG when the bytes are not a well-formed record,
 * -ENOTSUP for a record type this build does not know. */
int sm_record_decode(const void *data, size_t size, struct sm_record *out);

/* CommandLine from an argv block: NUL separators become single spaces,
 * trailing NULs are dropped. Writes at most cap bytes; returns the length. */
size_t sm_args_join(char *dst, size_t cap, const char *src, size_t len);
/* The same, for a block that may have been cut (cut != 0: the kernel
 * copied only its start; or len > cap): the result then ends in "..."
 * (FieldSizes' marker), so a cut command line never passes for whole.
 * cap >= 3; cap = len + 3 keeps every byte of src. */
size_t sm_cmdline_join(char *dst, size_t cap, const char *src, size_t len,
		       int cut);

#endif

/* SPDX-License-Identifier: MIT */
/* Absolute path text from what a syscall tracepoint can know: the
 * directory a name starts from (dfd or the working directory, resolved by
 * the kernel) and the name as the caller gave it. */
#ifndef SM_PATHJOIN_H
#define SM_PATHJOIN_H

#include <stddef.h>

/* Joins dir and name (name alone when it is absolute or dir is empty; dir
 * alone when name is empty), then normalizes lexically: repeated '/' and
 * "." components go, ".." drops the component before it (never above "/"),
 * and a trailing '/' goes. A dir starting with '+' (a walk the kernel cut
 * short) is kept as it is. ".." after a symbolic link is resolved as if the
 * link were a directory: the kernel gives no more than the text.
 * Writes at most cap - 1 bytes plus a NUL (cap >= 2); returns the length,
 * or 0 when the result does not fit (out then holds a NUL). */
size_t sm_path_join(char *out, size_t cap, const char *dir, size_t dlen,
		    const char *name, size_t nlen);

#endif

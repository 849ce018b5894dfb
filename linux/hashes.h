/* Hashes of executables ("SHA1=..,MD5=..,SHA256=.."), cached by the file's
 * identity (device, inode, size, mtime) so a binary is read once. */
#ifndef SM_HASHES_H
#define SM_HASHES_H

#include <stddef.h>
#include <stdint.h>
#include "sysmon_abi.h"

/* The Hashes text for the executable of pid: read through /proc/pid/exe,
 * or by path (NUL-terminated, may be NULL) once the process is gone; only
 * when the file still has the identity the kernel recorded. algs: enum
 * sm_hash_alg bits. NULL when that file cannot be read. Valid until the
 * next call. */
const char *sm_exe_hashes(unsigned algs, const struct sm_file_id *id,
			  uint32_t pid, const char *path);
/* The same text for a file by path, uncached (config file hashes). */
int sm_file_hashes(unsigned algs, const char *path, char *out, size_t cap);

#endif

/* SPDX-License-Identifier: MIT */
/* Hashes of executables ("SHA1=..,MD5=..,SHA256=.."), cached by the file's
 * identity and version (device, inode, size, mtime, ctime) so a binary is
 * read once, and read again once it can have changed. */
#ifndef SM_HASHES_H
#define SM_HASHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sysmon_abi.h"

/* Hashes text of a file that is not hashed (README: "What an attacker
 * cannot hide"): larger than SM_HASH_MAX_SIZE; every hashing slot taken;
 * the file changed while it was read or since the exec; the monitor
 * stopped first; the process exited before its file was opened and no
 * path names that file any more (a memfd, an unlinked file). */
#define SM_HASH_MAX_SIZE (4ull << 30)
#define SM_HASH_TOO_LARGE "Skipped=TooLarge"
#define SM_HASH_BUSY "Skipped=Busy"
#define SM_HASH_CHANGED "Skipped=Changed"
#define SM_HASH_STOPPED "Skipped=Stopped"
#define SM_HASH_GONE "Skipped=Gone"

/* The Hashes of the executable of pid, opened through /proc/pid/exe, or by
 * path (NUL-terminated; NULL when no path names it) once the process is
 * gone; only when the file still has the identity the kernel recorded, but
 * for its ctime when no_writers (the exec shut writers out: the bytes of
 * the running process's file cannot have changed; an unlink or chmod after
 * the exec moves the ctime). algs: enum sm_hash_alg bits. Never reads the file on this thread: a
 * cached text or a Skipped= marker goes to *text (NULL: none, no hashes
 * asked for) and a negative number is returned; else, when may_queue, the
 * file is queued for the worker thread and the job's number is returned. */
int sm_exe_hashes(unsigned algs, const struct sm_file_id *id, uint32_t pid,
		  const char *path, bool no_writers, bool may_queue,
		  const char **text);
/* Is the job done? Then its text (valid until release: hashes, a
 * Skipped= marker, or NULL when the file could not be read), and
 * sm_hash_release (caches the hashes, frees the job). */
bool sm_hash_finished(int job);
const char *sm_hash_text(int job);
void sm_hash_release(int job);
/* Stops the worker; jobs not done are done now (SM_HASH_STOPPED). */
void sm_hash_stop(void);
/* The same text for a file by path, uncached (config file hashes). */
int sm_file_hashes(unsigned algs, const char *path, char *out, size_t cap);
/* The same text for bytes in memory (kernel module images). */
int sm_buf_hashes(unsigned algs, const void *buf, size_t len, char *out,
		  size_t cap);

#endif

/* SPDX-License-Identifier: MIT */
/* Small file helpers for the installation and the service's state:
 * every write is atomic (temporary file, fsync, rename, fsync of the
 * directory), so a crash leaves the old file or the new one, never half. */
#ifndef SM_FSUTIL_H
#define SM_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Returns 0 or a negative errno. */
int sm_write_file_atomic(const char *path, const void *data, size_t len,
			 mode_t mode);
int sm_copy_file_atomic(const char *src, const char *dst, mode_t mode);
/* A whole file, NUL-terminated, malloc'd; NULL with errno set on failure
 * or when it is longer than max. *len (optional) gets its length. */
char *sm_read_file(const char *path, size_t max, size_t *len);
/* The same from an open file (regular file, pipe or fifo), to its end. */
char *sm_read_fd(int fd, size_t max, size_t *len);
/* Creates the directory with mode, or sets mode when it exists. */
int sm_mkdir_mode(const char *path, mode_t mode);
/* Opens path as a pid file and takes its exclusive lock (one instance at
 * a time): root-only (0600, owned by this user), so nobody else can open
 * it to hold a lock and keep the service from starting; a file left with
 * other modes or owners is replaced. Writes this process's pid into it.
 * Returns the locked fd (keep it open), -EBUSY with the holder's pid text
 * in holder (cap bytes, "" when unknown), or another negative errno. */
int sm_pidfile_lock(const char *path, char *holder, size_t cap);
/* The pid written in the pid file at path while its lock is held (its
 * process runs); -1 when held but no pid is written (yet); 0 when there
 * is no file or nobody holds it. The file's text in holder (cap bytes;
 * "" when free or empty) when cap > 0. */
pid_t sm_pidfile_holder(const char *path, char *holder, size_t cap);
/* Runs argv (argv[0] found in PATH), output to stderr hidden unless quiet
 * is false; returns its exit status, or a negative errno when it could
 * not run. */
int sm_run(const char *const argv[], int quiet);
/* Closes every fd from 3 up except keep (-1: none): a monitor started in
 * the background must not hold its starter's files, pipes or locks. */
void sm_close_other_fds(int keep);

#endif

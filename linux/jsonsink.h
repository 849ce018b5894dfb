/* SPDX-License-Identifier: MIT */
/* The JSON-lines file (-jsonfile): each event line, as JSON (jsonfmt.h),
 * appended to a root-only file with one write per line, rotated by size
 * by the service itself, reopened on request (SIGHUP) after an external
 * rotation. A line that cannot be written whole (disk full, file gone) is
 * taken back out of the file and counted as lost; the next line tries
 * again, so writing resumes by itself when space returns. */
#ifndef SM_JSONSINK_H
#define SM_JSONSINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sm_json_opts {
	const char *path; /* absolute; NULL: no JSON file */
	uint64_t
		rotate_bytes; /* rotate before a line would pass this; 0: never */
	unsigned keep;        /* PATH.1 .. PATH.keep kept */
};

/* Opens (creates) the file: its directory is made 0700 when missing, and
 * an existing one must be a directory (not a symlink) owned by this user
 * and writable by nobody else; the file is opened without following a
 * symlink, must be a regular file of this user with one link, and is made
 * 0600. 0 or a negative errno, with the reason on stderr. */
int sm_jsonsink_open(const struct sm_json_opts *o);
bool sm_jsonsink_active(void);
/* The JSON of one XML event line, appended (with its newline). */
void sm_jsonsink_line(const char *xml, size_t len);
/* Closes and opens the path again (after logrotate moved the file). */
int sm_jsonsink_reopen(void);
/* Lines not written (disk full, I/O error, file not open), since start. */
uint64_t sm_jsonsink_lost(void);
void sm_jsonsink_close(void);

#endif

/* SPDX-License-Identifier: MIT */
/* The init system files `sysmon -i` writes, as text (pure functions, unit
 * tested): the systemd unit, and the LSB init script that starts the
 * supervisor at boot on hosts without systemd. */
#ifndef SM_UNIT_H
#define SM_UNIT_H

#include <stddef.h>

/* Like snprintf: writes at most cap bytes (NUL included) and returns the
 * length of the whole text. exe: the installed binary. */
size_t sm_unit_text(char *buf, size_t cap, const char *exe);
size_t sm_initd_text(char *buf, size_t cap, const char *exe,
		     const char *supervisor_pidfile);

#endif

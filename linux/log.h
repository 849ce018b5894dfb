/* SPDX-License-Identifier: MIT */
/* Messages for the person running sysmon: one function, stderr. */
#ifndef SM_LOG_H
#define SM_LOG_H

#include <stdbool.h>

extern bool sm_verbose; /* -t: also libbpf's messages and debug lines */

void sm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sm_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

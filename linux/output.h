/* SPDX-License-Identifier: MIT */
/* Where event lines go: syslog (ident "sysmon", facility user, level
 * info) unless turned off, the JSON file when one is open (jsonsink.h),
 * and stdout too with -t. */
#ifndef SM_OUTPUT_H
#define SM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void sm_output_open(bool to_stdout, bool to_syslog);
void sm_output_line(const char *line, size_t len);
/* Lines the syslog daemon could not be given (not running, socket gone),
 * since start. */
uint64_t sm_output_dropped(void);
void sm_output_close(void);

#endif

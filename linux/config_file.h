/* SPDX-License-Identifier: MIT */
/* Load a Sysmon configuration file from disk. */
#ifndef SM_CONFIG_FILE_H
#define SM_CONFIG_FILE_H

#include "config.h"

/* Read `path` (any size), parse and compile it. On failure prints
 * "PATH:LINE: Error: <reason>" (reference wording) to stderr and returns a
 * negative errno; *out is then NULL. */
int sm_config_load_file(const char *path, struct sm_config **out);

#endif

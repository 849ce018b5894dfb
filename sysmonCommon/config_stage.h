/* SPDX-License-Identifier: MIT */
/* What every stage of reading a configuration (input, parse, options,
 * compile) shares: the parse in progress and the way it fails. */
#ifndef SM_CONFIG_STAGE_H
#define SM_CONFIG_STAGE_H

#include "config.h"

struct sm_parse {
	struct sm_config *cfg;
	struct sm_config_error *err;
	const char *file;
	int line_offset;      /* leading blank lines removed by the loader */
	int unsupported_line; /* first Windows-only option seen, 0 none */
	const char *unsupported;
};

/* Fill err (line, printf-style reason) and return errnum (negative). */
int sm_fail(struct sm_parse *ps, int line, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif

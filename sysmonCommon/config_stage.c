/* SPDX-License-Identifier: MIT */
/* The way every stage of reading a configuration reports what failed. */
#include <stdarg.h>
#include <stdio.h>
#include "config_stage.h"

int sm_fail(struct sm_parse *ps, int line, int errnum, const char *fmt, ...)
{
	va_list ap;

	ps->err->line = line;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return errnum;
}

/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

bool sm_verbose;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void sm_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("Error: ", fmt, ap);
	va_end(ap);
}

void sm_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void sm_debug(const char *fmt, ...)
{
	va_list ap;

	if (!sm_verbose)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

#include "output.h"

#include <stdio.h>
#include <syslog.h>

static bool echo;

void sm_output_open(bool to_stdout)
{
	echo = to_stdout;
	openlog("sysmon", LOG_NOWAIT, LOG_USER);
}

void sm_output_line(const char *line, size_t len)
{
	syslog(LOG_USER | LOG_INFO, "%s", line);
	if (echo) {
		fwrite(line, 1, len, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
}

void sm_output_close(void)
{
	closelog();
}

/* SPDX-License-Identifier: MIT */
/* The marker process of the boot test: a tiny static program whose exec
 * sysmon must report (Image /bin/smmark, CommandLine with the marker).
 * It prints its arguments, then stays alive a few seconds so that sysmon,
 * slow under emulation, can still hash it through /proc/PID/exe. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s%c", argv[i], i + 1 < argc ? ' ' : '\n');
	fflush(stdout);
	sleep(5);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* dumpconfig FILE: load a Sysmon config and print what `sysmon -c`
 * prints for it (the dump, exactly, on stdout). Errors go to stderr and
 * the exit status is 1. The conformance tests compare its output with the
 * reference's. */
#include <stdio.h>
#include <stdlib.h>
#include "config_file.h"

int main(int argc, char **argv)
{
	struct sm_config *cfg = NULL;
	char *dump;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CONFIG.xml\n", argv[0]);
		return 2;
	}
	if (sm_config_load_file(argv[1], &cfg))
		return 1;
	dump = sm_config_dump(cfg);
	sm_config_free(cfg);
	if (!dump) {
		fprintf(stderr, "Error: out of memory\n");
		return 1;
	}
	fputs(dump, stdout);
	free(dump);
	return fflush(stdout) ? 1 : 0;
}

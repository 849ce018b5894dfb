/* SPDX-License-Identifier: MIT */
/* Build-time helper: prints the systemd unit `sysmon -i` writes, so the
 * package ships exactly the same text. Usage: sm_gen_unit EXE */
#include <stdio.h>

#include "unit.h"

int main(int argc, char **argv)
{
	char buf[4096];
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s /path/of/installed/sysmon\n", argv[0]);
		return 2;
	}
	n = sm_unit_text(buf, sizeof(buf), argv[1]);
	if (n >= sizeof(buf))
		return 1;
	return fwrite(buf, 1, n, stdout) == n ? 0 : 1;
}

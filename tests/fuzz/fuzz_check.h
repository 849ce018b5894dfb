/* SPDX-License-Identifier: MIT */
/* The fuzz targets' invariant check: a failed one aborts, which libFuzzer
 * reports as a crash with the input that caused it. */
#ifndef SM_FUZZ_CHECK_H
#define SM_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "check failed: %s (%s:%d)\n", #c,      \
				__FILE__, __LINE__);                           \
			abort();                                               \
		}                                                              \
	} while (0)

#endif

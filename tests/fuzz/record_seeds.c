/* SPDX-License-Identifier: MIT */
/* The record fuzz target's seeds cover every record type: each type of
 * records.def has a seed named after its tag (corpus/record/<tag>) that
 * decodes as that type and passes the target's checks (a failed check
 * aborts). fuzz_seeds_record (replay.c) runs every seed; this says none
 * is missing. Usage: record_seeds CORPUS_DIR; one line per record type. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[SM_REC_MAX + 4096];

/* The file's bytes in buf; its size, or -1 when it cannot be read. */
static long load(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return (long)n;
}

/* The seed of one record type decodes as that type. */
static int check_type(const char *dir, const char *tag, uint32_t type)
{
	static struct sm_record r;
	long n = load(dir, tag);
	int err;

	if (n < 0) {
		printf("FAIL %s: no seed %s/%s\n", tag, dir, tag);
		return 1;
	}
	err = sm_record_decode(buf, (size_t)n, &r);
	if (err || r.type != type) {
		printf("FAIL %s: seed decodes as type %u (error %d), not %u\n",
		       tag, err ? 0 : r.type, err, type);
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	printf("ok %s: seed decodes as record type %u, passes the target\n",
	       tag, type);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
#define SM_RECORD(NAME, type, tag, ...) \
	failed += check_type(argv[1], #tag, SM_REC_##NAME);
#include "records.def"
	printf("%d record types without a good seed\n", failed);
	return failed != 0;
}

/* The record fuzz target's seeds, run through the target on every build
 * (no libFuzzer needed): every record type of records.def has a seed named
 * after its tag (corpus/record/<tag>) that decodes as that type, and every
 * seed passes the target's checks (a failed check aborts).
 * Usage: record_seeds CORPUS_DIR; prints one line per record type. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Every seed through the target: a failed check aborts. */
static int run_all(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d) {
		printf("FAIL %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		long len = e->d_name[0] == '.' ? -1 : load(dir, e->d_name);

		if (len >= 0) {
			LLVMFuzzerTestOneInput(buf, (size_t)len);
			n++;
		}
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	int failed = 0, n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
#define SM_RECORD(NAME, type, tag, ...) \
	failed += check_type(argv[1], #tag, SM_REC_##NAME);
#include "records.def"
	n = run_all(argv[1]);
	if (n < 0)
		return 1;
	printf("%d seeds through the target; %d record types without a good seed\n",
	       n, failed);
	return failed != 0;
}

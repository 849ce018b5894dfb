/* SPDX-License-Identifier: MIT */
/* Runs a fuzz target's LLVMFuzzerTestOneInput once on each file named on
 * the command line (or in a directory named there), without libFuzzer: the
 * normal test suite replays the committed seeds with it, so a crash found
 * and fixed once stays fixed. Each input is in a buffer of exactly its
 * size (a sanitized build sees any read past it). Exit 0 when every input
 * ran (a failed check aborts), 1 when an input cannot be read or there is
 * none. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t n;

	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!buf || n != (size_t)st.st_size) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 1;
}

/* Returns the number of inputs run, or -1. */
static int run_path(const char *path)
{
	struct stat st;
	struct dirent **ents;
	int n, ran = 0;

	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s\n", path);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.' && ran >= 0) {
			int r;

			snprintf(sub, sizeof(sub), "%s/%s", path,
				 ents[i]->d_name);
			r = run_file(sub);
			ran = r < 0 ? -1 : ran + r;
		}
		free(ents[i]);
	}
	free(ents);
	return ran;
}

int main(int argc, char **argv)
{
	int total = 0;

	for (int i = 1; i < argc; i++) {
		int r = run_path(argv[i]);

		if (r < 0)
			return 1;
		total += r;
	}
	printf("%d inputs replayed\n", total);
	return total ? 0 : 1;
}

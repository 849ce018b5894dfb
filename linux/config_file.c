/* SPDX-License-Identifier: MIT */
/* Config file -> struct sm_config, with the errors printed for the user. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config_file.h"

#define READ_CHUNK (64 * 1024)

/* The whole file in a malloc'd buffer (regular file, pipe or fifo). */
static int read_all(int fd, char **out, size_t *out_len)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		if (cap - len < READ_CHUNK) {
			char *p = realloc(buf, cap + READ_CHUNK * 4);

			if (!p)
				goto fail_nomem;
			buf = p;
			cap += READ_CHUNK * 4;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*out_len = len;
	return 0;
fail_nomem:
	errno = ENOMEM;
fail:
	free(buf);
	return -errno;
}

static void print_error(const char *path, const struct sm_config_error *e)
{
	if (e->line > 0)
		fprintf(stderr, "%s:%d: Error: %s\n", path, e->line, e->msg);
	else
		fprintf(stderr, "%s: Error: %s\n", path, e->msg);
}

int sm_config_load_file(const char *path, struct sm_config **out)
{
	struct sm_config_error err;
	char *buf = NULL;
	size_t len = 0;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		fprintf(stderr, "Error: Failed to open configuration file %s: %s\n",
			path, strerror(-ret));
		return ret;
	}
	ret = read_all(fd, &buf, &len);
	close(fd);
	if (ret) {
		fprintf(stderr, "Error: Failed to read configuration file %s: %s\n",
			path, strerror(-ret));
		return ret;
	}
	ret = sm_config_parse(buf, len, path, out, &err);
	free(buf);
	if (ret)
		print_error(path, &err);
	return ret;
}

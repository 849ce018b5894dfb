/* SPDX-License-Identifier: MIT */
/* Config file -> struct sm_config, with the errors printed for the user. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config_file.h"
#include "fsutil.h"

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
	buf = sm_read_fd(fd, SIZE_MAX - 1, &len);
	ret = buf ? 0 : -errno;
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

/* SPDX-License-Identifier: MIT */
/* The JSON-lines file. Only this process writes it (root-only directory
 * and file), so the size it keeps is the file's size and a line is
 * written with one write(2) at the end (O_APPEND). Rotation happens
 * between two lines: fsync, close, rename PATH.(n-1) -> PATH.n ... PATH ->
 * PATH.1 in the directory held open, fsync of the directory, open a new
 * PATH. Everything is set up at open; a line costs the conversion and one
 * write, no allocation. */
#include "jsonsink.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonfmt.h"
#include "log.h"

static struct {
	char dir[PATH_MAX];
	char base[NAME_MAX + 1];
	uint64_t rotate_bytes;
	unsigned keep;
	int dirfd, fd;
	uint64_t size; /* of the open file */
	uint64_t lost;
	bool failing; /* the last line was lost: say so once */
	char line[SM_JSON_BUF];
	char tmp[SM_JSON_TMP];
} js = { .dirfd = -1, .fd = -1 };

bool sm_jsonsink_active(void)
{
	return js.base[0] != '\0';
}

static int split_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dl;

	if (path[0] != '/' || !slash[1] || strlen(slash + 1) > NAME_MAX ||
	    !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return -EINVAL;
	dl = slash == path ? 1 : (size_t)(slash - path);
	if (dl >= sizeof(js.dir))
		return -ENAMETOOLONG;
	memcpy(js.dir, path, dl);
	js.dir[dl] = '\0';
	snprintf(js.base, sizeof(js.base), "%s", slash + 1);
	return 0;
}

/* The directory: made 0700 when missing; else it must be a real
 * directory of ours that nobody else can write to. */
static int open_dir(void)
{
	struct stat st;
	int fd;

	if (mkdir(js.dir, 0700) && errno != EEXIST)
		return -errno;
	fd = open(js.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -EPERM;
	}
	js.dirfd = fd;
	return 0;
}

/* PATH itself: no symlink, a regular file of ours with one link, 0600. */
static int open_file(void)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO put there would not block the service (and
	 * is refused below) */
	int fd = openat(js.dirfd, js.base,
			O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
				O_NONBLOCK | O_CLOEXEC,
			0600);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_nlink != 1 ||
	    ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600))) {
		close(fd);
		return -EPERM;
	}
	js.fd = fd;
	js.size = (uint64_t)st.st_size;
	return 0;
}

static void close_all(void)
{
	if (js.fd >= 0)
		close(js.fd);
	if (js.dirfd >= 0)
		close(js.dirfd);
	js.fd = js.dirfd = -1;
}

static int open_all(void)
{
	int err = open_dir();

	if (!err)
		err = open_file();
	if (err)
		close_all();
	return err;
}

int sm_jsonsink_open(const struct sm_json_opts *o)
{
	int err;

	if (!o->path)
		return 0;
	err = split_path(o->path);
	if (err) {
		sm_err("-jsonfile %s: give an absolute path to a file",
		       o->path);
		return err;
	}
	js.rotate_bytes = o->rotate_bytes;
	js.keep = o->keep;
	err = open_all();
	if (err == -EPERM || err == -ELOOP || err == -ENOTDIR || err == -ENXIO)
		sm_err("-jsonfile %s: %s must be a directory owned by root that "
		       "nobody else can write to, and the file a regular file "
		       "of root's (not a link): choose another path or fix its "
		       "owner and mode",
		       o->path, js.dir);
	else if (err)
		sm_err("cannot open the JSON file %s: %s", o->path,
		       strerror(-err));
	if (err)
		js.base[0] = '\0';
	return err;
}

int sm_jsonsink_reopen(void)
{
	int err;

	if (!sm_jsonsink_active())
		return 0;
	close_all();
	err = open_all();
	if (err)
		sm_err("cannot reopen the JSON file %s/%s: %s (tried again "
		       "with the next event)",
		       js.dir, js.base, strerror(-err));
	return err;
}

/* PATH.n's name (n > 0) or PATH's (n == 0). */
static const char *rotated_name(char *buf, size_t cap, unsigned n)
{
	if (n == 0)
		return js.base;
	snprintf(buf, cap, "%s.%u", js.base, n);
	return buf;
}

/* Between two lines: PATH becomes PATH.1 (PATH.1 PATH.2, ...; the oldest
 * goes), then a new PATH. */
static void rotate(void)
{
	char from[NAME_MAX + 16], to[NAME_MAX + 16];
	int err;

	if (fsync(js.fd))
		sm_debug("fsync of the JSON file: %s", strerror(errno));
	close(js.fd);
	js.fd = -1;
	if (js.keep == 0)
		unlinkat(js.dirfd, js.base, 0);
	for (unsigned n = js.keep; n > 0; n--)
		if (renameat(js.dirfd, rotated_name(from, sizeof(from), n - 1),
			     js.dirfd, rotated_name(to, sizeof(to), n)) &&
		    errno != ENOENT)
			sm_err("JSON file rotation: cannot rename %s to %s: %s",
			       from, to, strerror(errno));
	err = open_file();
	if (fsync(js.dirfd))
		sm_debug("fsync of the JSON file's directory: %s",
			 strerror(errno));
	if (err)
		sm_err("JSON file rotation: cannot create %s/%s: %s", js.dir,
		       js.base, strerror(-err));
}

/* One whole line, or none: a part already written is cut off again. */
static int write_line(const char *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(js.fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int err = w < 0 ? -errno : -ENOSPC;
			struct stat st;

			if (done && !fstat(js.fd, &st) &&
			    (uint64_t)st.st_size >= done &&
			    ftruncate(js.fd, st.st_size - (off_t)done))
				sm_debug("cannot cut a partial JSON line");
			return err;
		}
		done += (size_t)w;
	}
	return 0;
}

static void count_lost(int err)
{
	js.lost++;
	if (!js.failing)
		sm_err("JSON file %s/%s: %s: lines are lost (counted in the "
		       "LostRecords events) until it can be written again",
		       js.dir, js.base, strerror(-err));
	js.failing = true;
}

/* 0, or the line is lost: a negative errno. */
static int put_line(const char *xml, size_t len)
{
	size_t n = sm_json_from_xml(js.line, sizeof(js.line), js.tmp,
				    sizeof(js.tmp), xml, len);
	int err;

	if (!n)
		return -EINVAL;
	if (js.fd < 0) {
		err = js.dirfd >= 0 ? open_file() : open_all();
		if (err)
			return err;
	}
	if (js.rotate_bytes && js.size && js.size + n > js.rotate_bytes) {
		rotate();
		if (js.fd < 0)
			return -ENOENT;
	}
	err = write_line(js.line, n);
	if (!err)
		js.size += n;
	return err;
}

void sm_jsonsink_line(const char *xml, size_t len)
{
	int err;

	if (!sm_jsonsink_active())
		return;
	err = put_line(xml, len);
	if (err) {
		count_lost(err);
		return;
	}
	if (js.failing)
		sm_info("JSON file %s/%s: writing again", js.dir, js.base);
	js.failing = false;
}

uint64_t sm_jsonsink_lost(void)
{
	return js.lost;
}

void sm_jsonsink_close(void)
{
	if (js.fd >= 0 && fsync(js.fd))
		sm_debug("fsync of the JSON file: %s", strerror(errno));
	close_all();
	js.base[0] = '\0';
}

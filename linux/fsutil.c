/* SPDX-License-Identifier: MIT */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	int fd, err = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

/* Creates path.tmp (mode), lets fill() write into it, then fsync + rename. */
static int replace_with(const char *path, mode_t mode,
			int (*fill)(int fd, const void *arg), const void *arg)
{
	char tmp[PATH_MAX];
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	err = fill(fd, arg);
	if (!err && fchmod(fd, mode))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return sync_dir_of(path);
}

struct buf {
	const void *data;
	size_t len;
};

static int fill_buf(int fd, const void *arg)
{
	const struct buf *b = arg;

	return write_all(fd, b->data, b->len);
}

int sm_write_file_atomic(const char *path, const void *data, size_t len,
			 mode_t mode)
{
	struct buf b = { data, len };

	return replace_with(path, mode, fill_buf, &b);
}

static int fill_copy(int fd, const void *arg)
{
	int in = open(arg, O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	ssize_t n;
	int err = 0;

	if (in < 0)
		return -errno;
	while (!err && (n = read(in, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		err = n < 0 ? -errno : write_all(fd, chunk, (size_t)n);
	}
	close(in);
	return err;
}

int sm_copy_file_atomic(const char *src, const char *dst, mode_t mode)
{
	return replace_with(dst, mode, fill_copy, src);
}

char *sm_read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	int err;

	if (fd < 0)
		return NULL;
	buf = sm_read_fd(fd, max, len);
	err = errno;
	close(fd);
	errno = err;
	return buf;
}

char *sm_read_fd(int fd, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL;
	ssize_t r;

	for (;;) {
		if (!buf || n + 1 >= cap) {
			char *nb = realloc(buf, buf ? cap *= 2 : cap);

			if (!nb)
				goto fail;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	r = errno;
	free(buf);
	errno = (int)r;
	return NULL;
}

int sm_mkdir_mode(const char *path, mode_t mode)
{
	if (mkdir(path, mode) && errno != EEXIST)
		return -errno;
	if (chmod(path, mode))
		return -errno;
	return 0;
}

/* The locked fd still names path, a root-only file of ours: 1; a file
 * someone else could open (replaced, then 0): 0; path gone or another
 * file now (unlinked by the instance that held it): 0. */
static int pidfile_is_ours(int fd, const char *path)
{
	struct stat fs, ps;

	if (fstat(fd, &fs) || lstat(path, &ps) || fs.st_dev != ps.st_dev ||
	    fs.st_ino != ps.st_ino)
		return 0;
	if (fs.st_uid == geteuid() && (fs.st_mode & 07777) == 0600 &&
	    fs.st_nlink == 1)
		return 1;
	unlink(path); /* any fd opened on it before stays on the old file */
	return 0;
}

/* A pid file others could open (left so by an older version) whose lock
 * is held though the pid written in it is not a live process of this
 * user: someone opened it and holds the lock to keep sysmon down. */
static int held_by_impostor(int fd, const char *path, const char *holder)
{
	char proc[32];
	struct stat fs, ps;
	long pid = strtol(holder, NULL, 10);

	if (fstat(fd, &fs) || lstat(path, &ps) || fs.st_ino != ps.st_ino ||
	    fs.st_dev != ps.st_dev)
		return 0;
	if (fs.st_uid == geteuid() && (fs.st_mode & 07777) == 0600)
		return 0; /* only we can open it: a real instance */
	snprintf(proc, sizeof(proc), "/proc/%ld", pid);
	return pid <= 0 || stat(proc, &ps) || ps.st_uid != geteuid();
}

static void read_holder(int fd, char *holder, size_t cap)
{
	ssize_t n = cap > 1 ? read(fd, holder, cap - 1) : 0;

	if (cap == 0)
		return;
	holder[n > 0 ? n : 0] = '\0';
	holder[strcspn(holder, "\n")] = '\0';
}

pid_t sm_pidfile_holder(const char *path, char *holder, size_t cap)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	long pid;

	if (cap)
		holder[0] = '\0';
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd); /* free: nobody runs */
		return 0;
	}
	read_holder(fd, buf, sizeof(buf));
	close(fd);
	if (cap)
		snprintf(holder, cap, "%s", buf);
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid <= INT_MAX ? (pid_t)pid : -1;
}

int sm_pidfile_lock(const char *path, char *holder, size_t cap)
{
	char buf[32];
	int fd, n, err;

	for (int tries = 0; tries < 8; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			  0600);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			read_holder(fd, holder, cap);
			if (!held_by_impostor(fd, path, holder)) {
				close(fd);
				return -EBUSY;
			}
			unlink(path); /* the holder keeps a file nobody uses */
			close(fd);
			continue;
		}
		if (pidfile_is_ours(fd, path))
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return -EAGAIN;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	err = ftruncate(fd, 0) ? -errno : write_all(fd, buf, (size_t)n);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int sm_run(const char *const argv[], int quiet)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (quiet) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	} else {
		posix_spawn_file_actions_adddup2(&fa, 2, 1);
	}
	err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			   environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return -err;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void sm_close_other_fds(int keep)
{
	long max = sysconf(_SC_OPEN_MAX);

	for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
		if (fd != keep)
			close(fd);
}

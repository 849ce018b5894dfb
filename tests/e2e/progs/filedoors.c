/* SPDX-License-Identifier: MIT */
/* filedoors: makes a regular file without an open(O_CREAT), with raw
 * syscalls, the way someone hiding from FileCreate would; or makes a hard
 * link of a named file (no new file). Prints pid=N tid=N first.
 * Usage: filedoors <command> ARGS; see the table at the end. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "filedoors: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void ids(void)
{
	printf("pid=%d tid=%ld\n", getpid(), (long)syscall(SYS_gettid));
	fflush(stdout);
}

static int dir_fd(const char *dir)
{
	int fd =
		(int)syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY);

	return fd < 0 ? die(dir) : fd;
}

/* An O_TMPFILE file in dir, with a few bytes in it: its fd. */
static int tmpfile_in(const char *dir)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, dir, O_TMPFILE | O_RDWR,
			      0644);

	if (fd < 0)
		die("open(O_TMPFILE)");
	if (syscall(SYS_write, fd, "made\n", 5) != 5)
		die("write");
	return fd;
}

static int c_mknod(char **a) /* PATH: mknod(S_IFREG) */
{
	ids();
	if (syscall(SYS_mknod, a[0], S_IFREG | 0644, 0) != 0)
		die("mknod");
	return 0;
}

static int c_mknodat(char **a) /* DIR RELNAME: mknodat, file type 0 */
{
	int dfd = dir_fd(a[0]);

	ids();
	if (syscall(SYS_mknodat, dfd, a[1], 0600, 0) != 0)
		die("mknodat");
	return 0;
}

/* DIR RELNAME: O_TMPFILE, then linkat(fd, "", dfd, name, AT_EMPTY_PATH) */
static int c_tmp_empty(char **a)
{
	int dfd = dir_fd(a[0]), fd = tmpfile_in(a[0]);

	ids();
	if (syscall(SYS_linkat, fd, "", dfd, a[1], AT_EMPTY_PATH) != 0)
		die("linkat(AT_EMPTY_PATH)");
	return 0;
}

/* DIR PATH: O_TMPFILE, then linkat(AT_FDCWD, "/proc/self/fd/N",
 * AT_FDCWD, PATH, AT_SYMLINK_FOLLOW) */
static int c_tmp_proc(char **a)
{
	int fd = tmpfile_in(a[0]);
	char src[64];

	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	ids();
	if (syscall(SYS_linkat, AT_FDCWD, src, AT_FDCWD, a[1],
		    AT_SYMLINK_FOLLOW) != 0)
		die("linkat(/proc/self/fd)");
	return 0;
}

/* OLD NEW: a hard link of a named file, by name and then through
 * /proc/self/fd (NEW.fd): no file is created */
static int c_hardlink(char **a)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, a[0], O_RDONLY);
	char src[64], dst[4096];

	if (fd < 0)
		die(a[0]);
	ids();
	if (syscall(SYS_linkat, AT_FDCWD, a[0], AT_FDCWD, a[1], 0) != 0)
		die("linkat");
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	snprintf(dst, sizeof(dst), "%s.fd", a[1]);
	if (syscall(SYS_linkat, AT_FDCWD, src, AT_FDCWD, dst,
		    AT_SYMLINK_FOLLOW) != 0)
		die("linkat(/proc/self/fd)");
	return 0;
}

static const struct {
	const char *name;
	int nargs;
	int (*run)(char **a);
} cmds[] = {
	{ "mknod", 1, c_mknod },
	{ "mknodat", 2, c_mknodat },
	{ "tmpfile-empty-path", 2, c_tmp_empty },
	{ "tmpfile-proc-fd", 2, c_tmp_proc },
	{ "hardlink", 2, c_hardlink },
};

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc == 2 + cmds[i].nargs)
			return cmds[i].run(argv + 2);
	fprintf(stderr,
		"usage: filedoors mknod PATH | mknodat DIR NAME |"
		" tmpfile-empty-path DIR NAME | tmpfile-proc-fd DIR PATH |"
		" hardlink OLD NEW\n");
	return 2;
}

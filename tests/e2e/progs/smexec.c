/* SPDX-License-Identifier: MIT */
/* smexec: runs a program the ways that hide its file, with raw syscalls:
 * from a memfd (execveat with AT_EMPTY_PATH, execve of /proc/self/fd/N,
 * libc's fexecve), from a file unlinked before the exec, from a directory
 * fd and a relative name. What runs is a copy of this program with a
 * marker appended (so its hash is of no other file), in payload mode.
 * Usage: smexec <launch> <launch args> <payload> MARK
 *   launch:  memfd-at NAME | memfd-proc NAME | memfd-fexecve NAME |
 *            deleted PATH | tmpfile DIR | dirfd DIR REL | path PATH
 *   payload: hold (waits until killed, 60 s at most) | exit |
 *            unlink PATH (unlinks PATH, then holds)
 * The memfd, deleted and tmpfile launches write the copy; dirfd and path run a
 * file the caller made (smexec copy PATH MARK writes one). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

extern char **environ;

static void die(const char *what)
{
	fprintf(stderr, "smexec: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = syscall(SYS_write, fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p += w;
		n -= (size_t)w;
	}
}

/* This program's bytes, then "\n" MARK "\n", into fd. */
static void copy_self(int fd, const char *mark)
{
	char buf[65536];
	int in = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/exe",
			      O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (in < 0)
		die("/proc/self/exe");
	while ((n = syscall(SYS_read, in, buf, sizeof(buf))) > 0)
		write_all(fd, buf, (size_t)n);
	if (n < 0)
		die("read /proc/self/exe");
	close(in);
	write_all(fd, "\n", 1);
	write_all(fd, mark, strlen(mark));
	write_all(fd, "\n", 1);
}

static int memfd_copy(const char *name, const char *mark)
{
	int fd = (int)syscall(SYS_memfd_create, name, 0);

	if (fd < 0)
		die("memfd_create");
	copy_self(fd, mark);
	return fd;
}

/* A copy at path, executable, closed. */
static void file_copy(const char *path, const char *mark)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path,
			      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);

	if (fd < 0)
		die(path);
	copy_self(fd, mark);
	close(fd);
}

static void exec_at(int dfd, const char *name, char **argv, int flags)
{
	syscall(SYS_execveat, dfd, name, argv, environ, flags);
	die("execveat");
}

static int payload(char **a)
{
	if (!strcmp(a[0], "exit"))
		return 0;
	if (!strcmp(a[0], "unlink") && syscall(SYS_unlinkat, AT_FDCWD, a[1], 0))
		die("unlink");
	alarm(60);
	for (;;)
		pause();
}

/* argv of the payload: "smexec" then the payload's own arguments (a[-1],
 * the launch's last argument, is overwritten). */
static char **payload_argv(char **a)
{
	a[-1] = "smexec";
	return a - 1;
}

/* The marker: the last argument. */
static const char *mark_of(char **a)
{
	while (a[1])
		a++;
	return a[0];
}

static int launch(const char *how, char **a)
{
	char proc[64];
	int fd;

	if (!strcmp(how, "memfd-at") || !strcmp(how, "memfd-proc") ||
	    !strcmp(how, "memfd-fexecve")) {
		fd = memfd_copy(a[0], mark_of(a));
		char **pa = payload_argv(a + 1);

		if (!strcmp(how, "memfd-at"))
			exec_at(fd, "", pa, AT_EMPTY_PATH);
		if (!strcmp(how, "memfd-fexecve")) {
			fexecve(fd, pa, environ);
			die("fexecve");
		}
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		syscall(SYS_execve, proc, pa, environ);
		die("execve /proc/self/fd");
	}
	if (!strcmp(how, "deleted")) {
		file_copy(a[0], mark_of(a));
		fd = (int)syscall(SYS_openat, AT_FDCWD, a[0], O_RDONLY);
		if (fd < 0 || syscall(SYS_unlinkat, AT_FDCWD, a[0], 0))
			die(a[0]);
		exec_at(fd, "", payload_argv(a + 1), AT_EMPTY_PATH);
	}
	if (!strcmp(how, "tmpfile")) { /* a file that never had a name */
		fd = (int)syscall(SYS_openat, AT_FDCWD, a[0],
				  O_RDWR | O_TMPFILE, 0755);
		if (fd < 0)
			die(a[0]);
		copy_self(fd, mark_of(a));
		/* a writer makes exec fail (ETXTBSY): reopen read-only */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		int ro = (int)syscall(SYS_openat, AT_FDCWD, proc, O_RDONLY);

		if (ro < 0)
			die(proc);
		close(fd);
		exec_at(ro, "", payload_argv(a + 1), AT_EMPTY_PATH);
	}
	if (!strcmp(how, "dirfd")) {
		const char *rel = a[1];

		fd = (int)syscall(SYS_openat, AT_FDCWD, a[0],
				  O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			die(a[0]);
		exec_at(fd, rel, payload_argv(a + 2), 0);
	}
	if (!strcmp(how, "path")) {
		const char *path = a[0];

		exec_at(AT_FDCWD, path, payload_argv(a + 1), 0);
	}
	if (!strcmp(how, "copy")) {
		file_copy(a[0], a[1]);
		return 0;
	}
	fprintf(stderr, "smexec: unknown launch %s\n", how);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr,
			"usage: smexec <launch> <args> <payload> MARK\n");
		return 2;
	}
	if (!strcmp(argv[1], "hold") || !strcmp(argv[1], "exit") ||
	    !strcmp(argv[1], "unlink"))
		return payload(argv + 1);
	return launch(argv[1], argv + 2);
}

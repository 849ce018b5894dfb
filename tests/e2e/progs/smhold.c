/* SPDX-License-Identifier: MIT */
/* smhold: what an unprivileged user can hold of sysmon's files. For each
 * path given: a socket is connected to; anything else is opened (read,
 * else write) and locked every way it can be (flock shared, else
 * exclusive; a POSIX lock); a flock held by someone else is waited for by
 * a child process, which takes it the moment its holder dies. Prints one
 * line per thing it got ("open P", "lock P ...", "connect P"), "ready"
 * when all is tried, and holds it all until killed (its children die
 * with it). Usage (as the unprivileged user): smhold PATH... */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void hold_socket(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };

	if (strlen(path) >= sizeof(a.sun_path))
		return;
	strcpy(a.sun_path, path);
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = socket(AF_UNIX, types[i], 0);

		if (fd >= 0 &&
		    connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			printf("connect %s\n", path);
			return; /* kept open */
		}
		if (fd >= 0)
			close(fd);
	}
}

/* A child waits for the lock on fd (the same open file) and holds it. */
static void wait_for_flock(int fd, const char *path)
{
	fflush(stdout);
	if (fork() != 0)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (flock(fd, LOCK_SH) == 0) {
		printf("lock %s (flock, waited for)\n", path);
		fflush(stdout);
	}
	for (;;)
		pause();
}

static void hold_file(const char *path)
{
	struct flock fl = { .l_whence = SEEK_SET };
	int rd = 1, fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		rd = 0;
		fd = open(path, O_WRONLY | O_NONBLOCK);
	}
	if (fd < 0)
		return;
	printf("open %s\n", path);
	if (flock(fd, LOCK_SH | LOCK_NB) == 0 ||
	    flock(fd, LOCK_EX | LOCK_NB) == 0)
		printf("lock %s (flock)\n", path);
	else
		wait_for_flock(fd, path);
	fl.l_type = rd ? F_RDLCK : F_WRLCK;
	if (fcntl(fd, F_SETLK, &fl) == 0)
		printf("lock %s (posix)\n", path);
}

int main(int argc, char **argv)
{
	struct stat st;

	for (int i = 1; i < argc; i++) {
		if (lstat(argv[i], &st))
			continue;
		if (S_ISSOCK(st.st_mode))
			hold_socket(argv[i]);
		else
			hold_file(argv[i]);
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

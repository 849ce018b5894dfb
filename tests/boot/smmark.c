/* SPDX-License-Identifier: MIT */
/* The marker process of the boot test: a tiny static program whose exec
 * sysmon must report (Image /bin/smmark, CommandLine with the marker).
 * It prints its arguments, then stays alive a few seconds so that sysmon,
 * slow under emulation, can still hash it through /proc/PID/exe.
 * smmark -memfd ARGS: runs a copy of itself from a memfd named "smmark"
 * (execveat with AT_EMPTY_PATH), as "smmark ARGS". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

extern char **environ;

static int from_memfd(char **argv)
{
	char buf[65536];
	int fd = (int)syscall(SYS_memfd_create, "smmark", 0);
	int in = open("/proc/self/exe", O_RDONLY);
	ssize_t n;

	if (fd < 0 || in < 0)
		return 1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	argv[1] = "smmark";
	syscall(SYS_execveat, fd, "", argv + 1, environ, AT_EMPTY_PATH);
	perror("smmark: execveat");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-memfd"))
		return from_memfd(argv);
	for (int i = 1; i < argc; i++)
		printf("%s%c", argv[i], i + 1 < argc ? ' ' : '\n');
	fflush(stdout);
	sleep(5);
	return 0;
}

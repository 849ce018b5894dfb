/* SPDX-License-Identifier: MIT */
/* smtrig: makes exactly one kind of syscall the e2e tests watch for, and
 * prints what the test needs to check the event (pid, tid, ids).
 * Usage: smtrig <command> [args]; see the table at the end. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static int die(const char *what)
{
	fprintf(stderr, "smtrig: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void ids(void)
{
	printf("pid=%d tid=%ld\n", getpid(), (long)syscall(SYS_gettid));
	fflush(stdout);
}

static int opendir_fd(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	return fd < 0 ? die(dir) : fd;
}

/* ---- FileCreate ---- */

static int c_openat_rel(char **a) /* DIR RELNAME */
{
	int dfd = opendir_fd(a[0]);

	ids();
	if (openat(dfd, a[1], O_CREAT | O_EXCL | O_WRONLY, 0644) < 0)
		die("openat");
	return 0;
}

static int c_creat(char **a) /* PATH */
{
	ids();
	return syscall(SYS_creat, a[0], 0644) < 0 ? die("creat") : 0;
}

static int c_open_creat(char **a) /* PATH: O_CREAT open, new or existing */
{
	ids();
	return syscall(SYS_open, a[0], O_CREAT | O_WRONLY, 0644) < 0 ? die("open")
								    : 0;
}

/* PATH N: N FileCreate events, cheaply: create PATH, unlink it, again */
static int c_creat_many(char **a)
{
	long n = atol(a[1]);

	ids();
	for (long i = 0; i < n; i++) {
		int fd = open(a[0], O_CREAT | O_EXCL | O_WRONLY, 0600);

		if (fd < 0)
			return die("open");
		close(fd);
		if (unlink(a[0]))
			return die("unlink");
	}
	return 0;
}

static int c_openat2(char **a) /* DIR NAME */
{
	struct open_how how = { .flags = O_CREAT | O_WRONLY, .mode = 0600 };
	int dfd = opendir_fd(a[0]);

	ids();
	return syscall(SYS_openat2, dfd, a[1], &how, sizeof(how)) < 0
		       ? die("openat2")
		       : 0;
}

static void *creat_thread(void *path)
{
	ids();
	if (open(path, O_CREAT | O_WRONLY, 0644) < 0)
		die("open in thread");
	return NULL;
}

static int c_thread_creat(char **a) /* PATH: from a second thread */
{
	pthread_t t;

	ids();
	if (pthread_create(&t, NULL, creat_thread, a[0]))
		die("pthread_create");
	pthread_join(t, NULL);
	return 0;
}

static int c_wait_creat(char **a) /* PATH: once a line arrives on stdin */
{
	char line[64];

	ids();
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	return open(a[0], O_CREAT | O_WRONLY, 0644) < 0 ? die("open") : 0;
}

/* ---- FileDelete ---- */

static int c_unlinkat_rel(char **a) /* DIR NAME */
{
	int dfd = opendir_fd(a[0]);

	ids();
	return unlinkat(dfd, a[1], 0) ? die("unlinkat") : 0;
}

static int c_unlink(char **a) /* PATH (relative to the cwd, or not) */
{
	ids();
	return syscall(SYS_unlink, a[0]) ? die("unlink") : 0;
}

static int c_rmdir(char **a) /* PATH */
{
	ids();
	return syscall(SYS_rmdir, a[0]) ? die("rmdir") : 0;
}

/* ---- FileCreateTime ---- */

static int c_utimensat(char **a) /* PATH SEC NSEC: name form */
{
	struct timespec ts[2] = { { 0, UTIME_OMIT },
				  { atoll(a[1]), atol(a[2]) } };

	ids();
	return utimensat(AT_FDCWD, a[0], ts, 0) ? die("utimensat") : 0;
}

static int c_futimens(char **a) /* PATH SEC NSEC: fd form */
{
	struct timespec ts[2] = { { 0, UTIME_OMIT },
				  { atoll(a[1]), atol(a[2]) } };
	int fd = open(a[0], O_RDONLY);

	ids();
	if (fd < 0)
		die(a[0]);
	return futimens(fd, ts) ? die("futimens") : 0;
}

static int c_omit(char **a) /* PATH: atime only, mtime left alone */
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 0, UTIME_OMIT } };

	ids();
	return utimensat(AT_FDCWD, a[0], ts, 0) ? die("utimensat") : 0;
}

static int c_utimes(char **a) /* PATH SEC USEC */
{
	struct timeval tv[2] = { { 0, 0 }, { atoll(a[1]), atol(a[2]) } };

	ids();
	return syscall(SYS_utimes, a[0], tv) ? die("utimes") : 0;
}

static int c_utime(char **a) /* PATH SEC */
{
	struct utimbuf u = { 0, atoll(a[1]) };

	ids();
	return syscall(SYS_utime, a[0], &u) ? die("utime") : 0;
}

static int c_futimesat(char **a) /* DIR NAME SEC */
{
	struct timeval tv[2] = { { 0, 0 }, { atoll(a[2]), 0 } };
	int dfd = opendir_fd(a[0]);

	ids();
	return syscall(SYS_futimesat, dfd, a[1], tv) ? die("futimesat") : 0;
}

/* ---- ProcessAccess ---- */

static char served[64];

static int c_serve(char **a) /* TEXT: keep TEXT in memory until killed */
{
	snprintf(served, sizeof(served), "%s", a[0]);
	printf("pid=%d addr=%p\n", getpid(), (void *)served);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

static int c_ptrace(char **a, long req) /* PID */
{
	pid_t pid = atoi(a[0]);

	ids();
	if (ptrace(req, pid, 0, 0))
		die("ptrace");
	if (req == PTRACE_ATTACH) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
	}
	return 0;
}

static int c_ptrace_attach(char **a) { return c_ptrace(a, PTRACE_ATTACH); }
static int c_ptrace_seize(char **a) { return c_ptrace(a, PTRACE_SEIZE); }

static int c_vm(char **a, int write) /* PID ADDR TEXT */
{
	char buf[64] = "";
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)strtoull(a[1], NULL, 16), sizeof(buf) };
	ssize_t n;

	ids();
	if (write) {
		snprintf(buf, sizeof(buf), "%s", a[2]);
		n = process_vm_writev(atoi(a[0]), &local, 1, &remote, 1, 0);
	} else {
		n = process_vm_readv(atoi(a[0]), &local, 1, &remote, 1, 0);
	}
	if (n < 0)
		die("process_vm");
	printf("text=%s\n", buf);
	return 0;
}

static int c_vm_read(char **a) { return c_vm(a, 0); }
static int c_vm_write(char **a) { return c_vm(a, 1); }

/* vm-family: process_vm_readv and process_vm_writev by a thread of a fork
 * child of the target, naming the target by the id of one of its threads,
 * and every process gone at once (none of them exec'd: this program is
 * what they run). The target P is forked from here; it starts a thread T
 * 30 ms later (so T's start is not P's), then forks C; a thread of C reads
 * and writes P's text through T's id; C and P exit as soon as it is done.
 * Prints target=P target_thread=T source=C source_thread=CT and what was
 * read and written back. */
static char vm_text[32] = "family-secret";
static int vm_pipe[2];
static pid_t vm_target_thread;

static void *vm_sleeper(void *arg)
{
	(void)arg;
	vm_target_thread = (pid_t)syscall(SYS_gettid);
	if (write(vm_pipe[1], "t", 1) != 1)
		die("write");
	for (;;)
		pause();
	return NULL;
}

static void *vm_reader(void *arg)
{
	pid_t target = *(pid_t *)arg;
	char buf[sizeof(vm_text)] = "";
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { vm_text, sizeof(vm_text) };

	long n;

	n = syscall(SYS_process_vm_readv, target, &local, 1, &remote, 1, 0);
	if (n < 0)
		die("process_vm_readv");
	memmove(buf + 2, buf, sizeof(buf) - 3);
	memcpy(buf, "w-", 2);
	n = syscall(SYS_process_vm_writev, target, &local, 1, &remote, 1, 0);
	if (n < 0)
		die("process_vm_writev");
	dprintf(1, "source=%d source_thread=%ld read=%s\n", getpid(),
		(long)syscall(SYS_gettid), buf + 2);
	return NULL;
}

static void vm_child(pid_t thread)
{
	pthread_t th;

	if (pthread_create(&th, NULL, vm_reader, &thread))
		die("pthread_create");
	pthread_join(th, NULL);
	_exit(0);
}

static void vm_target(void)
{
	struct timespec ms30 = { 0, 30000000 };
	pthread_t th;
	pid_t c;
	char t;

	nanosleep(&ms30, NULL);
	if (pipe(vm_pipe) || pthread_create(&th, NULL, vm_sleeper, NULL))
		die("thread");
	if (read(vm_pipe[0], &t, 1) != 1)
		die("read");
	dprintf(1, "target=%d target_thread=%d\n", getpid(), vm_target_thread);
	c = fork();
	if (c < 0)
		die("fork");
	if (c == 0)
		vm_child(vm_target_thread);
	waitpid(c, NULL, 0);
	dprintf(1, "written=%s\n", vm_text);
	_exit(0);
}

static int c_vm_family(char **a)
{
	pid_t p;

	(void)a;
	fflush(stdout);
	p = fork();
	if (p < 0)
		die("fork");
	if (p == 0)
		vm_target();
	waitpid(p, NULL, 0);
	return 0;
}

/* ---- eBPFEvent ---- */

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* A program that returns 1 ("allow" for cgroup skb, "keep 1 byte" for a
 * socket filter). */
static int load(enum bpf_prog_type type, const char *name)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	struct bpf_prog_info info;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	if (type == BPF_PROG_TYPE_CGROUP_SKB)
		attr.expected_attach_type = BPF_CGROUP_INET_EGRESS;
	snprintf(attr.prog_name, sizeof(attr.prog_name), "%s", name);
	fd = (int)bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0)
		die("BPF_PROG_LOAD");
	memset(&attr, 0, sizeof(attr));
	memset(&info, 0, sizeof(info));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (bpf(BPF_OBJ_GET_INFO_BY_FD, &attr))
		die("BPF_OBJ_GET_INFO_BY_FD");
	printf("id=%u\n", info.id);
	fflush(stdout);
	return fd;
}

static int c_bpf_load(char **a) /* NAME */
{
	ids();
	load(BPF_PROG_TYPE_SOCKET_FILTER, a[0]);
	return 0;
}

static int c_bpf_attach(char **a) /* CGROUPDIR NAME */
{
	int cg = opendir_fd(a[0]);
	int fd;
	union bpf_attr attr;

	ids();
	fd = load(BPF_PROG_TYPE_CGROUP_SKB, a[1]);
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = cg;
	attr.attach_bpf_fd = fd;
	attr.attach_type = BPF_CGROUP_INET_EGRESS;
	if (bpf(BPF_PROG_ATTACH, &attr))
		die("BPF_PROG_ATTACH");
	if (bpf(BPF_PROG_DETACH, &attr))
		die("BPF_PROG_DETACH");
	return 0;
}

static int c_bpf_link(char **a) /* CGROUPDIR NAME */
{
	int cg = opendir_fd(a[0]);
	union bpf_attr attr;
	int fd;

	ids();
	fd = load(BPF_PROG_TYPE_CGROUP_SKB, a[1]);
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = fd;
	attr.link_create.target_fd = cg;
	attr.link_create.attach_type = BPF_CGROUP_INET_EGRESS;
	if (bpf(BPF_LINK_CREATE, &attr) < 0)
		die("BPF_LINK_CREATE");
	return 0;
}

/* ---- DriverLoad ---- */

static int c_finit_module(char **a) /* FILE: prints the errno name */
{
	int fd = open(a[0], O_RDONLY | O_CLOEXEC);

	ids();
	if (fd < 0)
		die(a[0]);
	if (syscall(SYS_finit_module, fd, "", 0)) {
		printf("errno=%s\n", strerrorname_np(errno));
		return 2;
	}
	printf("loaded\n");
	return 0;
}

static const struct {
	const char *name;
	int nargs;
	int (*fn)(char **a);
} cmds[] = {
	{ "openat-rel", 2, c_openat_rel },
	{ "creat", 1, c_creat },
	{ "open-creat", 1, c_open_creat },
	{ "openat2", 2, c_openat2 },
	{ "creat-many", 2, c_creat_many },
	{ "thread-creat", 1, c_thread_creat },
	{ "wait-creat", 1, c_wait_creat },
	{ "unlinkat-rel", 2, c_unlinkat_rel },
	{ "unlink", 1, c_unlink },
	{ "rmdir", 1, c_rmdir },
	{ "utimensat", 3, c_utimensat },
	{ "futimens", 3, c_futimens },
	{ "omit", 1, c_omit },
	{ "utimes", 3, c_utimes },
	{ "utime", 2, c_utime },
	{ "futimesat", 3, c_futimesat },
	{ "serve", 1, c_serve },
	{ "ptrace-attach", 1, c_ptrace_attach },
	{ "ptrace-seize", 1, c_ptrace_seize },
	{ "vm-read", 2, c_vm_read },
	{ "vm-write", 3, c_vm_write },
	{ "vm-family", 0, c_vm_family },
	{ "bpf-load", 1, c_bpf_load },
	{ "bpf-attach", 2, c_bpf_attach },
	{ "bpf-link", 2, c_bpf_link },
	{ "finit-module", 1, c_finit_module },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 >= cmds[i].nargs)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: smtrig <command> [args] (see smtrig.c)\n");
	return 64;
}

/* SPDX-License-Identifier: MIT */
/* Offset discovery, and its first step: the task. A helper thread gives
 * a task whose pid differs from its tgid, whose group leader is this
 * thread, whose start times fall in known windows and whose credentials
 * it sets to values nothing else has. */
#include "kdiscover.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kdisc_int.h"
#include "kmembers.h"
#include "kscan.h"
#include "log.h"
#include "fsutil.h"

/* the helper's credentials: uid gid suid sgid euid egid, in cred's order */
static const uint32_t helper_ids[6] = {
	40101, 50101, 40103, 50103, 40102, 50102
};

#define STACK_END_MAGIC 0x57AC6E9D

struct helper {
	struct sm_kread *rd;
	int go[2], done[2];
	uint64_t task;
	pid_t tid;
};

static void *helper_main(void *arg)
{
	struct helper *h = arg;
	char c = 0;

	h->tid = (pid_t)syscall(SYS_gettid);
	h->task = sm_kread_self(h->rd);
	/* this thread only: the raw calls, not glibc's process-wide ones */
	syscall(SYS_setresgid, helper_ids[1], helper_ids[5], helper_ids[3]);
	syscall(SYS_setresuid, helper_ids[0], helper_ids[4], helper_ids[2]);
	if (write(h->done[1], &c, 1) != 1 || read(h->go[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* pid and tgid: the helper's pair, once, and this thread's there too */
static int task_ids(struct kd *k)
{
	uint32_t h[2] = { (uint32_t)k->htid, (uint32_t)getpid() };
	uint32_t m[2] = { h[1], h[1] };
	long at = sm_scan_one(k->h, KD_TASK_BYTES, 0, h, 8, 4);

	if (at >= 0 && memcmp(k->m + at, m, 8))
		at = -1;
	if (kd_set(k, "task_struct", "pid", at))
		return -ENOENT;
	return kd_set(k, "task_struct", "tgid", at + 4);
}

/* group_leader: the helper's pointer to this thread, which points to
 * itself; before it real_parent, parent, children, sibling (the layout
 * of every kernel since 2.6), real_parent's task having our parent's pid;
 * after it the lists ptraced and ptrace_entry, empty (pointing to
 * themselves) in an untraced task that traces nothing. */
static int task_links(struct kd *k)
{
	long hits[8], gl = -1, rp, pt;
	int n = sm_scan(k->h, KD_TASK_BYTES, 0, &k->tm, 8, 8, hits, 8);
	uint32_t ppid = 0;

	for (int i = 0; i < n && i < 8; i++)
		if (sm_u64_at(k->m, hits[i]) == k->tm)
			gl = gl < 0 ? hits[i] : -2;
	if (kd_set(k, "task_struct", "group_leader", gl))
		return -ENOENT;
	rp = gl - 48;
	kd_read(k,
		sm_u64_at(k->m, rp) +
			(uint64_t)kd_get(k, "task_struct", "tgid"),
		&ppid, sizeof(ppid));
	/* parent (the tracer's when traced) follows it, equal to it here */
	if (sm_u64_at(k->m, rp + 8) != sm_u64_at(k->m, rp) ||
	    sm_u64_at(k->m, rp - 8) == sm_u64_at(k->m, rp))
		ppid = 0;
	if (kd_set(k, "task_struct", "real_parent",
		   ppid == (uint32_t)getppid() ? rp : -1))
		return -ENOENT;
	for (pt = gl + 8; pt <= gl + 24; pt += 16) {
		uint64_t self = k->tm + (uint64_t)pt;

		if (sm_u64_at(k->m, pt) != self ||
		    sm_u64_at(k->m, pt + 8) != self)
			break;
	}
	if (kd_set(k, "task_struct", "ptraced", pt == gl + 40 ? gl + 8 : -1))
		return -ENOENT;
	return kd_set(k, "task_struct", "ptrace_entry", gl + 24);
}

/* stack: the pointer to the kernel stack, whose lowest word holds the
 * end-of-stack magic */
static int task_stack(struct kd *k)
{
	long at = -1;

	for (long o = 0; o < 256 && at < 0; o += 8) {
		uint64_t v = sm_u64_at(k->m, o);
		uint32_t magic = 0;

		if ((v & 4095) || !kd_read(k, v, &magic, sizeof(magic)))
			continue;
		if (magic == STACK_END_MAGIC)
			at = o;
	}
	return kd_set(k, "task_struct", "stack", at);
}

/* start_time then the boot-based start time, in the helper's windows */
static int task_start(struct kd *k)
{
	long at = -1;

	for (long o = 0; o + 16 <= KD_TASK_BYTES; o += 8) {
		uint64_t mono = sm_u64_at(k->h, o),
			 boot = sm_u64_at(k->h, o + 8);

		if (mono >= k->mono[0] && mono <= k->mono[1] &&
		    boot >= k->boot[0] && boot <= k->boot[1])
			at = at < 0 ? o + 8 : -2;
	}
	return kd_set(k, "task_struct", "start_boottime", at);
}

/* /proc/self/stat's fields from the 3rd (after the command), by number */
static int self_stat(unsigned long long *v, int first, int count)
{
	char *text = sm_read_file("/proc/self/stat", 4096, NULL), *p;
	int field = 2, got = 0;

	p = text ? strrchr(text, ')') : NULL;
	while (p && *p && got < count) {
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
		if (++field >= first)
			v[got++] = strtoull(p, NULL, 10);
	}
	free(text);
	return got == count ? 0 : -EINVAL;
}

/* mm (shared by the two tasks, active_mm right after it): the one whose
 * code and argument bounds are those /proc/self/stat gives */
static int task_mm(struct kd *k)
{
	unsigned long long code[2], data[7];
	uint64_t c[4], a[4];
	long at = -1, ec = -1, as = -1;
	uint8_t mm[1024];

	if (self_stat(code, 26, 2) || self_stat(data, 45, 7))
		return kd_set(k, "task_struct", "mm", -1);
	c[0] = code[0], c[1] = code[1], c[2] = data[0], c[3] = data[1];
	a[0] = data[3], a[1] = data[4], a[2] = data[5], a[3] = data[6];
	for (long o = 0; o + 16 <= KD_TASK_BYTES && at < 0; o += 8) {
		uint64_t q = sm_u64_at(k->m, o);

		if (q != sm_u64_at(k->h, o) || q != sm_u64_at(k->m, o + 8) ||
		    !kd_read(k, q, mm, sizeof(mm)))
			continue;
		ec = sm_scan_one(mm, sizeof(mm), 0, c, sizeof(c), 8);
		as = sm_scan_one(mm, sizeof(mm), 0, a, sizeof(a), 8);
		if (ec >= 0 && as >= 0)
			at = o;
	}
	if (kd_set(k, "task_struct", "mm", at) ||
	    kd_set(k, "mm_struct", "end_code", ec + 8) ||
	    kd_set(k, "mm_struct", "arg_start", as))
		return -ENOENT;
	return kd_set(k, "mm_struct", "arg_end", as + 8);
}

/* cred: the helper's credentials (real_cred and cred, one after the
 * other, both point to them) */
static int task_cred(struct kd *k)
{
	long at = -1, uid = -1, prev = -16;

	for (long o = 0; o + 8 <= KD_TASK_BYTES; o += 8) {
		uint64_t q = sm_u64_at(k->h, o);
		uint8_t cred[128];
		long u;

		if (q == sm_u64_at(k->m, o) ||
		    !kd_read(k, q, cred, sizeof(cred)))
			continue;
		u = sm_scan_one(cred, sizeof(cred), 0, helper_ids,
				sizeof(helper_ids), 4);
		if (u < 0)
			continue;
		if (prev == o - 8 && sm_u64_at(k->h, prev) == q)
			at = at == -1 ? o : -2;
		prev = o;
		uid = u;
	}
	if (kd_set(k, "task_struct", "cred", at))
		return -ENOENT;
	return kd_set(k, "cred", "uid", uid);
}

/* signal (shared, sighand right after it): live and nr_threads, the
 * process's thread count, follow sigcnt */
static int task_signal(struct kd *k)
{
	unsigned long long threads;
	long at = -1;

	if (self_stat(&threads, 20, 1))
		return kd_set(k, "task_struct", "signal", -1);
	for (long o = 0; o + 16 <= KD_TASK_BYTES && at < 0; o += 8) {
		uint64_t q = sm_u64_at(k->m, o);
		uint32_t v[3];

		if (q != sm_u64_at(k->h, o) || !kd_read(k, q, v, sizeof(v)))
			continue;
		if (v[1] == threads && v[2] == threads)
			at = o;
	}
	if (kd_set(k, "task_struct", "signal", at))
		return -ENOENT;
	return kd_set(k, "signal_struct", "live", 4);
}

/* A child sets its loginuid (the audit ids, loginuid then sessionid, are
 * found in its task); without audit support, or not allowed to set it,
 * they stay unknown and the programs leave them unset. */
static void child_audit(int arm, int ready)
{
	char c = 0;
	int fd = open("/proc/self/loginuid", O_WRONLY);

	if (fd < 0 || write(fd, "43210", 5) != 5)
		_exit(1);
	close(fd);
	if (write(ready, &c, 1) != 1 || read(arm, &c, 1) != 1)
		_exit(1);
	sm_kread_poke();
	_exit(0);
}

static uint32_t proc_u32(pid_t pid, const char *what)
{
	char path[64], *text;
	uint32_t v;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	text = sm_read_file(path, 32, NULL);
	v = text ? (uint32_t)strtoul(text, NULL, 10) : 0;
	free(text);
	return v;
}

static void task_audit(struct kd *k)
{
	int arm[2], ready[2];
	uint32_t ids[2] = { 0, 0 };
	uint8_t t[KD_TASK_BYTES];
	uint64_t task = 0;
	char c = 0;
	long at = -1;
	pid_t pid;

	if (access("/proc/self/loginuid", W_OK) || pipe(arm))
		return;
	if (pipe(ready) == 0 && (pid = fork()) >= 0) {
		if (pid == 0)
			child_audit(arm[0], ready[1]);
		if (read(ready[0], &c, 1) == 1) {
			ids[0] = proc_u32(pid, "loginuid");
			ids[1] = proc_u32(pid, "sessionid");
			if (!sm_kread_arm(k->rd, (uint32_t)pid, 0) &&
			    write(arm[1], &c, 1) == 1 &&
			    waitpid(pid, NULL, 0) == pid)
				pid = 0;
			sm_kread_result(k->rd, &task, NULL);
		}
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		close(ready[0]);
		close(ready[1]);
	}
	close(arm[0]);
	close(arm[1]);
	if (ids[0] == 43210 && kd_read(k, task, t, sizeof(t)))
		at = sm_scan_one(t, sizeof(t), 0, ids, sizeof(ids), 4);
	if (at < 0) {
		sm_debug(
			"offset discovery: the audit ids (loginuid) not found");
		return;
	}
	kd_set(k, "task_struct", "loginuid", at);
	kd_set(k, "task_struct", "sessionid", at + 4);
}

int kd_task(struct kd *k)
{
	int err = task_ids(k);

	if (!err)
		err = task_links(k);
	if (!err)
		err = task_stack(k);
	if (!err)
		err = task_start(k);
	if (!err)
		err = task_mm(k);
	if (!err)
		err = task_cred(k);
	if (!err)
		err = task_signal(k);
	if (!err)
		task_audit(k);
	return err;
}

/* Runs the steps with the helper thread alive (its credentials set). */
static int discover_with_helper(struct kd *k)
{
	struct helper h = { .rd = k->rd, .go = { -1, -1 }, .done = { -1, -1 } };
	pthread_t th;
	char c = 0;
	int err = -EIO;

	if (pipe(h.go) || pipe(h.done))
		goto out;
	k->mono[0] = now_ns(CLOCK_MONOTONIC);
	k->boot[0] = now_ns(CLOCK_BOOTTIME);
	if (pthread_create(&th, NULL, helper_main, &h))
		goto out;
	k->mono[1] = now_ns(CLOCK_MONOTONIC);
	k->boot[1] = now_ns(CLOCK_BOOTTIME);
	if (read(h.done[0], &c, 1) == 1 && h.task) {
		k->th = h.task;
		k->htid = h.tid;
		err = kd_read(k, k->tm, k->m, KD_TASK_BYTES) &&
				      kd_read(k, k->th, k->h, KD_TASK_BYTES)
			      ? kd_task(k)
			      : -EIO;
		if (!err)
			err = kd_files(k);
		if (!err)
			err = kd_net(k);
	}
	if (write(h.go[1], &c, 1) != 1)
		err = err ? err : -EIO;
	pthread_join(th, NULL);
out:
	for (int i = 0; i < 2; i++) {
		if (h.go[i] >= 0)
			close(h.go[i]);
		if (h.done[i] >= 0)
			close(h.done[i]);
	}
	return err;
}

int sm_kdiscover(int32_t *off, const char **missing)
{
	struct kd *k = calloc(1, sizeof(*k));
	int err;

	if (!k)
		return -ENOMEM;
	k->off = off;
	for (size_t i = 0; i < sm_n_kmembers; i++)
		off[i] = sm_kmembers[i].fixed >= 0 ? sm_kmembers[i].fixed : -1;
	err = sm_kread_open("syscalls", "sys_enter_getppid", -1, &k->rd);
	if (!err) {
		k->tm = sm_kread_self(k->rd);
		err = k->tm ? discover_with_helper(k) : -EIO;
	}
	if (err && !k->missing)
		k->missing = "the eBPF reader";
	*missing = k->missing;
	sm_kread_close(k->rd);
	free(k);
	return err;
}

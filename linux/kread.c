/* SPDX-License-Identifier: MIT */
/* The discovery reader: a hand-assembled eBPF program (it must load
 * where no BTF exists, on 4.15 too: no CO-RE, only bpf_probe_read and
 * the oldest helpers). */
#include "kread.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"

/* the map's one value: written by user space (tid, addr), by the program
 * (seq, task, err, buf) */
struct kr_val {
	uint32_t tid;
	uint32_t seq;
	uint64_t task;
	uint64_t addr;
	int64_t err;
	uint8_t buf[SM_KREAD_CHUNK];
};

struct sm_kread {
	int map, prog, perf;
	uint32_t seq;
};

#define INSN(c, d, s, o, i) ((struct bpf_insn){ c, d, s, o, i })
#define MOV64(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV32(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOVI(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADDI(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ADD64(d, s) INSN(BPF_ALU64 | BPF_ADD | BPF_X, d, s, 0, 0)
#define LDX(sz, d, s, o) INSN(BPF_LDX | BPF_MEM | sz, d, s, o, 0)
#define STX(sz, d, s, o) INSN(BPF_STX | BPF_MEM | sz, d, s, o, 0)
#define STI(sz, d, o, i) INSN(BPF_ST | BPF_MEM | sz, d, 0, o, i)
#define CALL(f) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define JEQI(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define JNE(d, s, o) INSN(BPF_JMP | BPF_JNE | BPF_X, d, s, o, 0)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* r6 ctx, r7 pid_tgid, r8 the map value */
static int load_prog(int map, int ctx_off)
{
	struct bpf_insn p[40];
	int n = 0, jexit1, jexit2;

	p[n++] = MOV64(6, 1);
	p[n++] = CALL(BPF_FUNC_get_current_pid_tgid);
	p[n++] = MOV64(7, 0);
	p[n++] = STI(BPF_W, 10, -4, 0);
	p[n++] = MOV64(2, 10);
	p[n++] = ADDI(2, -4);
	p[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map);
	p[n++] = INSN(0, 0, 0, 0, 0);
	p[n++] = CALL(BPF_FUNC_map_lookup_elem);
	jexit1 = n;
	p[n++] = JEQI(0, 0, 0);
	p[n++] = MOV64(8, 0);
	p[n++] = LDX(BPF_W, 1, 8, offsetof(struct kr_val, tid));
	p[n++] = MOV32(7, 7);
	jexit2 = n;
	p[n++] = JNE(1, 7, 0);
	p[n++] = CALL(BPF_FUNC_get_current_task);
	p[n++] = STX(BPF_DW, 8, 0, offsetof(struct kr_val, task));
	p[n++] = MOV64(1, 8);
	p[n++] = ADDI(1, offsetof(struct kr_val, buf));
	p[n++] = MOVI(2, SM_KREAD_CHUNK);
	p[n++] = LDX(BPF_DW, 3, 8, offsetof(struct kr_val, addr));
	if (ctx_off >= 0) {
		p[n++] = LDX(BPF_DW, 4, 6, ctx_off);
		p[n++] = ADD64(3, 4);
	}
	p[n++] = CALL(BPF_FUNC_probe_read);
	p[n++] = STX(BPF_DW, 8, 0, offsetof(struct kr_val, err));
	p[n++] = LDX(BPF_W, 1, 8, offsetof(struct kr_val, seq));
	p[n++] = ADDI(1, 1);
	p[n++] = STX(BPF_W, 8, 1, offsetof(struct kr_val, seq));
	p[jexit1].off = (int16_t)(n - jexit1 - 1);
	p[jexit2].off = (int16_t)(n - jexit2 - 1);
	p[n++] = MOVI(0, 0);
	p[n++] = EXIT();
	return bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "sm_kread", "GPL", p,
			     (size_t)n, NULL);
}

static int tracepoint_id(const char *cat, const char *name)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events"
	};
	char path[256], *text;
	int id = -ENOENT;

	/* tracefs where nothing mounted it yet (the loader does the same) */
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	for (size_t i = 0; i < 2 && id < 0; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/id", roots[i], cat,
			 name);
		text = sm_read_file(path, 32, NULL);
		if (text)
			id = atoi(text);
		free(text);
	}
	return id;
}

static int attach(int prog, const char *cat, const char *name)
{
	struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT,
				     .size = sizeof(a),
				     .sample_period = 1,
				     .wakeup_events = 1 };
	int id = tracepoint_id(cat, name), fd;

	if (id < 0)
		return id;
	a.config = (uint64_t)id;
	fd = (int)syscall(__NR_perf_event_open, &a, -1, 0, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog) ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int sm_kread_open(const char *cat, const char *name, int ctx_off,
		  struct sm_kread **out)
{
	struct sm_kread *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	r->prog = r->perf = -1;
	r->map = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4,
				sizeof(struct kr_val), 1, NULL);
	err = r->map < 0 ? r->map : load_prog(r->map, ctx_off);
	if (err >= 0) {
		r->prog = err;
		err = attach(r->prog, cat, name);
	}
	if (err < 0) {
		sm_err("offset discovery: cannot run its eBPF reader on "
		       "tracepoint %s:%s: %s",
		       cat, name, strerror(-err));
		sm_kread_close(r);
		return err;
	}
	r->perf = err;
	*out = r;
	return 0;
}

void sm_kread_close(struct sm_kread *r)
{
	if (!r)
		return;
	if (r->perf >= 0)
		close(r->perf);
	if (r->prog >= 0)
		close(r->prog);
	if (r->map >= 0)
		close(r->map);
	free(r);
}

int sm_kread_arm(struct sm_kread *r, uint32_t tid, uint64_t addr)
{
	struct kr_val v = { .tid = tid, .seq = r->seq, .addr = addr };
	uint32_t zero = 0;

	return bpf_map_update_elem(r->map, &zero, &v, BPF_ANY) ? -errno : 0;
}

int sm_kread_result(struct sm_kread *r, uint64_t *task,
		    uint8_t buf[SM_KREAD_CHUNK])
{
	static struct kr_val v;
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(r->map, &zero, &v))
		return -errno;
	if (v.seq == r->seq)
		return -EAGAIN;
	r->seq = v.seq;
	if (task)
		*task = v.task;
	if (buf)
		memcpy(buf, v.buf, SM_KREAD_CHUNK);
	return v.err ? (int)v.err : 0;
}

void sm_kread_poke(void)
{
	syscall(SYS_getppid);
}

int sm_kread_mem(struct sm_kread *r, uint64_t addr, void *buf, size_t len)
{
	uint8_t chunk[SM_KREAD_CHUNK];
	uint32_t tid = (uint32_t)syscall(SYS_gettid);

	for (size_t at = 0; at < len; at += SM_KREAD_CHUNK) {
		size_t n =
			len - at < SM_KREAD_CHUNK ? len - at : SM_KREAD_CHUNK;
		int err = sm_kread_arm(r, tid, addr + at);

		if (err)
			return err;
		sm_kread_poke();
		err = sm_kread_result(r, NULL, chunk);
		if (err)
			return err;
		memcpy((uint8_t *)buf + at, chunk, n);
	}
	return 0;
}

uint64_t sm_kread_self(struct sm_kread *r)
{
	uint64_t task = 0;
	uint32_t tid = (uint32_t)syscall(SYS_gettid);

	if (sm_kread_arm(r, tid, 0) == 0) {
		sm_kread_poke();
		sm_kread_result(r, &task, NULL);
	}
	return task;
}

int sm_kread_prog_fd(const struct sm_kread *r)
{
	return r->prog;
}

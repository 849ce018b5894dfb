/* SPDX-License-Identifier: GPL-2.0-only */
/* eBPFEvent (100): a successful bpf() BPF_PROG_LOAD, BPF_PROG_ATTACH or
 * BPF_LINK_CREATE (how programs are attached today). The program's type,
 * id and name are read from the kernel's struct bpf_prog behind its fd
 * (the new fd for a load, attr's program fd for the others), not from the
 * caller's attr. The daemon's own calls are skipped at entry. */

#include "sm_args.bpf.h"
#include "sm_record.bpf.h"
#include "sm_task.bpf.h"

#define SM_BPF_PROG_LOAD 5
#define SM_BPF_PROG_ATTACH 8
#define SM_BPF_LINK_CREATE 28
#define SM_BPF_STRUCT_OPS 44 /* link_create of a map, not a program */

SEC("tracepoint")
int sm_bpf_enter(struct sm_sys_enter *ctx)
{
	u64 cmd = ctx->args[0];
	struct sm_args a = {};

	if (cmd != SM_BPF_PROG_LOAD && cmd != SM_BPF_PROG_ATTACH &&
	    cmd != SM_BPF_LINK_CREATE)
		return 0;
	a.nr = ctx->nr;
	a.args[0] = cmd;
	a.args[1] = ctx->args[1];
	return sm_entry_save(&sm_syscall_args, &a);
}

/* The fd of the program the call was about, or -1. */
static __always_inline long sm_bpf_prog_fd(const struct sm_args *a, long ret)
{
	u32 v[3] = {};

	if (a->args[0] == SM_BPF_PROG_LOAD)
		return ret;
	/* prog_attach: { target_fd, attach_bpf_fd, attach_type };
	 * link_create: { prog_fd, target_fd, attach_type } */
	bpf_probe_read_user(v, sizeof(v), (void *)a->args[1]);
	if (a->args[0] == SM_BPF_PROG_ATTACH)
		return v[1];
	return v[2] == SM_BPF_STRUCT_OPS ? -1 : v[0];
}

SEC("tracepoint")
int sm_bpf_exit(struct sm_sys_exit *ctx)
{
	struct task_struct *task;
	struct sm_rec_bpf_prog *r;
	struct sm_scratch *s;
	struct bpf_prog_aux *aux;
	struct bpf_prog *prog;
	struct file *f;
	struct sm_args a;
	u32 off;
	long n;

	if (sm_args_take(&a) || a.nr != ctx->nr || ctx->ret < 0)
		return 0;
	task = (void *)bpf_get_current_task();
	f = sm_fd_file(task, sm_bpf_prog_fd(&a, ctx->ret));
	if (!f)
		return 0;
	prog = BPF_CORE_READ(f, private_data);
	if (!prog)
		return 0;
	s = sm_rec_begin(SM_REC_BPF_PROG, task);
	if (!s)
		return 0;
	r = (void *)s->rec;
	r->cmd = (u32)a.args[0];
	r->prog_type = BPF_CORE_READ(prog, type);
	aux = BPF_CORE_READ(prog, aux);
	r->prog_id = BPF_CORE_READ(aux, id);
	r->pad = 0;
	off = sizeof(*r);
	n = bpf_probe_read_kernel_str(&s->rec[off], 16, &aux->name);
	r->name.off = off;
	r->name.len = n > 1 ? (u32)(n - 1) & 15 : 0;
	sm_rec_end(ctx, s, off + r->name.len);
	return 0;
}

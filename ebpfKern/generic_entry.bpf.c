/* Generic syscall entry: saves the arguments of a syscall keyed by
 * pid_tgid, for the exit program of the same syscall. The loader attaches
 * it only to the sys_enter_* tracepoints the active configuration needs. */

SEC("tracepoint")
int sm_sys_enter(struct sm_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	struct sm_args a = {};

	if (sm_is_self())
		return 0;
	a.nr = ctx->nr;
	/* a direct read of args[5] would make the kernel refuse to attach to
	 * syscalls with fewer arguments (their records are shorter) */
	bpf_probe_read_kernel(a.args, sizeof(a.args), ctx->args);
	bpf_map_update_elem(&sm_syscall_args, &id, &a, BPF_ANY);
	return 0;
}

/* Take (and forget) the arguments saved for this thread's syscall. */
static __always_inline int sm_args_take(struct sm_args *out)
{
	u64 id = bpf_get_current_pid_tgid();
	struct sm_args *a = bpf_map_lookup_elem(&sm_syscall_args, &id);

	if (!a)
		return -1;
	*out = *a;
	bpf_map_delete_elem(&sm_syscall_args, &id);
	return 0;
}

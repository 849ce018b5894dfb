/* SPDX-License-Identifier: GPL-2.0-only */
/* Generic syscall entry: saves the arguments of a syscall keyed by
 * pid_tgid, for the exit program of the same syscall. The loader attaches
 * it only to the sys_enter_* tracepoints the active configuration needs. */
#include "sm_args.bpf.h"

SEC("tracepoint")
int sm_sys_enter(struct sm_sys_enter *ctx)
{
	return sm_args_save_all(ctx);
}

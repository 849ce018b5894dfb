/* SPDX-License-Identifier: MIT */
/* eBPF helper -> first kernel release that has it, for the tracing
 * program types sysmon uses. From the kernel's documented history of BPF
 * features (the per-helper "kernel version" list kept with bcc's and the
 * kernel's documentation). A helper missing here makes the static check
 * fail: look its version up and add it. */
#ifndef SM_BPF_HELPER_HISTORY_H
#define SM_BPF_HELPER_HISTORY_H

#include <linux/bpf.h>

struct sm_helper_since {
	int id;
	const char *name;
	int maj, min;
};

#define H(n, a, b) { BPF_FUNC_##n, #n, a, b }
static const struct sm_helper_since sm_helper_history[] = {
	H(map_lookup_elem, 3, 19),
	H(map_update_elem, 3, 19),
	H(map_delete_elem, 3, 19),
	H(probe_read, 4, 1),
	H(ktime_get_ns, 4, 1),
	H(trace_printk, 4, 1),
	H(get_prandom_u32, 4, 1),
	H(get_smp_processor_id, 4, 1),
	H(tail_call, 4, 2),
	H(get_current_pid_tgid, 4, 2),
	H(get_current_uid_gid, 4, 2),
	H(get_current_comm, 4, 2),
	H(perf_event_read, 4, 3),
	H(perf_event_output, 4, 4),
	H(get_stackid, 4, 6),
	H(get_current_task, 4, 8),
	H(probe_write_user, 4, 8),
	H(current_task_under_cgroup, 4, 9),
	H(get_numa_node_id, 4, 10),
	H(probe_read_str, 4, 11),
	H(get_socket_cookie, 4, 12),
	H(perf_event_read_value, 4, 15),
	H(get_stack, 4, 18),
	H(get_current_cgroup_id, 4, 18),
	H(map_push_elem, 4, 20),
	H(map_pop_elem, 4, 20),
	H(map_peek_elem, 4, 20),
	H(spin_lock, 5, 1),
	H(spin_unlock, 5, 1),
	H(send_signal, 5, 3),
	H(probe_read_user, 5, 5),
	H(probe_read_kernel, 5, 5),
	H(probe_read_user_str, 5, 5),
	H(probe_read_kernel_str, 5, 5),
	H(jiffies64, 5, 5),
	H(get_current_ancestor_cgroup_id, 5, 6),
	H(get_ns_current_pid_tgid, 5, 7),
	H(ktime_get_boot_ns, 5, 8),
	H(ringbuf_output, 5, 8),
	H(ringbuf_reserve, 5, 8),
	H(ringbuf_submit, 5, 8),
	H(ringbuf_discard, 5, 8),
	H(ringbuf_query, 5, 8),
	H(get_task_stack, 5, 9),
	H(d_path, 5, 10),
	H(copy_from_user, 5, 10),
	H(per_cpu_ptr, 5, 10),
	H(this_cpu_ptr, 5, 10),
	H(get_current_task_btf, 5, 11),
	H(ktime_get_coarse_ns, 5, 11),
	H(task_storage_get, 5, 11),
	H(task_storage_delete, 5, 11),
	H(get_func_ip, 5, 15),
	H(get_attach_cookie, 5, 15),
	H(find_vma, 5, 17),
	H(loop, 5, 17),
	H(strncmp, 5, 17),
};
#undef H

#endif

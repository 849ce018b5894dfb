/* SPDX-License-Identifier: GPL-2.0-only */
/* Deliberately wrong for a 4.15 kernel: the static check must catch each
 * fault (a loop, a raw tracepoint, a 5.8 helper, global data, too many
 * instructions, a BPF-to-BPF call, a tracepoint of a later kernel). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";
volatile int sm_bad_global = 1;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} bad_rb SEC(".maps");

SEC("raw_tracepoint/sched_process_exit")
int bad_loop(void *ctx)
{
	int sum = 0;

	for (int i = 0; i < sm_bad_global * 100; i++)
		sum += i;
	bpf_ringbuf_output(&bad_rb, &sum, sizeof(sum), 0);
	return 0;
}

/* Over 4,096 instructions: the pre-5.2 verifier's cap. */
SEC("tracepoint/sched/sched_process_exit")
int bad_big(void *ctx)
{
	volatile int x = 0;

#pragma clang loop unroll(full)
	for (int i = 0; i < 2100; i++)
		x += i;
	return x;
}

/* A BPF-to-BPF call (4.16), on a tracepoint 4.15 does not have. */
static __attribute__((noinline)) int bad_sub(long a)
{
	return (int)(a * 3);
}

SEC("tracepoint/sock/inet_sock_set_state")
int bad_call(void *ctx)
{
	return bad_sub((long)ctx & 7);
}

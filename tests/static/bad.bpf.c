/* Deliberately wrong for a 4.15 kernel: the static check must catch each
 * fault (a loop, a raw tracepoint, a 5.8 helper, global data). */
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

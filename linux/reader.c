#include "reader.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>

#define PERF_PAGES 256 /* per CPU: 1 MiB */

struct sm_reader {
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	sm_record_fn fn;
	void *ctx;
	uint64_t lost;
};

static int on_ring(void *ctx, void *data, size_t size)
{
	struct sm_reader *r = ctx;

	return r->fn(r->ctx, data, size);
}

static void on_perf(void *ctx, int cpu, void *data, __u32 size)
{
	struct sm_reader *r = ctx;

	(void)cpu;
	r->fn(r->ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 count)
{
	struct sm_reader *r = ctx;

	(void)cpu;
	r->lost += count;
}

/* perf buffers take a power-of-two number of pages */
static size_t perf_pages(unsigned kib)
{
	size_t pages = 1;

	if (!kib)
		return PERF_PAGES;
	while (pages * 4 < kib && pages < 65536)
		pages <<= 1;
	return pages;
}

int sm_reader_new(struct bpf_map *events, bool ringbuf, unsigned perf_kib,
		  sm_record_fn fn, void *ctx, struct sm_reader **out)
{
	struct sm_reader *r = calloc(1, sizeof(*r));
	int fd = bpf_map__fd(events);

	if (!r)
		return -ENOMEM;
	r->fn = fn;
	r->ctx = ctx;
	if (ringbuf)
		r->rb = ring_buffer__new(fd, on_ring, r, NULL);
	else
		r->pb = perf_buffer__new(fd, perf_pages(perf_kib), on_perf,
					 on_perf_lost, r, NULL);
	if (!r->rb && !r->pb) {
		int err = -errno;

		free(r);
		return err ? err : -EINVAL;
	}
	*out = r;
	return 0;
}

void sm_reader_free(struct sm_reader *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	perf_buffer__free(r->pb);
	free(r);
}

int sm_reader_fd(const struct sm_reader *r)
{
	return r->rb ? ring_buffer__epoll_fd(r->rb)
		     : perf_buffer__epoll_fd(r->pb);
}

int sm_reader_drain(struct sm_reader *r)
{
	if (r->rb)
		return ring_buffer__consume(r->rb);
	return perf_buffer__consume(r->pb);
}

uint64_t sm_reader_lost(const struct sm_reader *r)
{
	return r->lost;
}

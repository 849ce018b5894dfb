/* SPDX-License-Identifier: MIT */
/* Reading records from the kernel. The kernel side does not wake the
 * reader per record (an inter-processor interrupt each, see sm_emit), so
 * the reader drains on a short timer and is woken early only when a buffer
 * fills up: at most SM_DRAIN_MS of delay, no wakeup cost per event.
 * A ring buffer hands records over in the order they were written. A perf
 * buffer has one ring per CPU, read in turn: its records go through a
 * reorder stage (sysmonCommon/reorder.h) and are handed on in kernel-time
 * order once every CPU's earlier records must be in, i.e. those stamped
 * more than SM_HOLD_NS before the drain began. */
#include "reader.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "reorder.h"
#include "sysmon_abi.h"

#define PERF_PAGES 256 /* per CPU: 1 MiB */
/* 20 ms: half the wakeups of 10 ms, a quarter less CPU for sysmon and
 * rsyslogd at 400 events/s (measured), well within a 50 ms p99 delay */
#define SM_DRAIN_MS 20
/* Between a program reading the clock and its record being in the buffer:
 * microseconds (programs run with preemption off); 1 ms leaves margin. */
#define SM_HOLD_NS 1000000ull

struct sm_reader {
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	sm_record_fn fn;
	void *ctx;
	struct sm_reorder order; /* perf buffer records not yet handed on */
	uint64_t lost;      /* lost records the kernel's stats map misses */
	int epfd;  /* the buffer's fd + the drain timer */
	int timerfd;
};

static int on_ring(void *ctx, void *data, size_t size)
{
	struct sm_reader *r = ctx;

	return r->fn(r->ctx, data, size);
}

static enum bpf_perf_event_ret on_perf_event(void *ctx, int cpu,
					     struct perf_event_header *e)
{
	struct sm_reader *r = ctx;
	struct { struct perf_event_header h; uint32_t size; char data[]; } *s =
		(void *)e;
	struct sm_rec_hdr h; /* copied: samples are only 4-byte aligned */

	(void)cpu;
	/* PERF_RECORD_LOST reports the samples the buffer could not take;
	 * sm_emit already counted each of them (SM_STAT_LOST) when its
	 * bpf_perf_event_output failed: not added again */
	if (e->type != PERF_RECORD_SAMPLE)
		return LIBBPF_PERF_EVENT_CONT;
	if (s->size < sizeof(h)) { /* the decoder counts it as bad */
		r->fn(r->ctx, s->data, s->size);
		return LIBBPF_PERF_EVENT_CONT;
	}
	memcpy(&h, s->data, sizeof(h));
	if (sm_reorder_add(&r->order, s->data, s->size, h.ktime))
		r->lost++;
	return LIBBPF_PERF_EVENT_CONT;
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

/* Wake the reader when a CPU's buffer is a quarter full, not per sample. */
static struct perf_buffer *open_perf(int fd, size_t pages, struct sm_reader *r)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
		.wakeup_watermark = (uint32_t)(pages * 4096 / 4),
	};

	return perf_buffer__new_raw(fd, pages, &attr, on_perf_event, r, NULL);
}

static int add_fd(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int setup_wakeups(struct sm_reader *r)
{
	struct itimerspec its = {
		.it_interval = { 0, SM_DRAIN_MS * 1000000L },
		.it_value = { 0, SM_DRAIN_MS * 1000000L },
	};
	int err;

	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	r->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->epfd < 0 || r->timerfd < 0)
		return -errno;
	if (timerfd_settime(r->timerfd, 0, &its, NULL))
		return -errno;
	err = add_fd(r->epfd, r->timerfd);
	if (!err)
		err = add_fd(r->epfd, r->rb ? ring_buffer__epoll_fd(r->rb)
					    : perf_buffer__epoll_fd(r->pb));
	return err;
}

int sm_reader_new(struct bpf_map *events, bool ringbuf, unsigned perf_kib,
		  sm_record_fn fn, void *ctx, struct sm_reader **out)
{
	struct sm_reader *r = calloc(1, sizeof(*r));
	int fd = bpf_map__fd(events);
	int err;

	if (!r)
		return -ENOMEM;
	r->fn = fn;
	r->ctx = ctx;
	sm_reorder_init(&r->order);
	r->epfd = r->timerfd = -1;
	if (ringbuf)
		r->rb = ring_buffer__new(fd, on_ring, r, NULL);
	else
		r->pb = open_perf(fd, perf_pages(perf_kib), r);
	if (!r->rb && !r->pb) {
		err = -errno;
		free(r);
		return err ? err : -EINVAL;
	}
	err = setup_wakeups(r);
	if (err) {
		sm_reader_free(r);
		return err;
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
	sm_reorder_fini(&r->order);
	if (r->epfd >= 0)
		close(r->epfd);
	if (r->timerfd >= 0)
		close(r->timerfd);
	free(r);
}

int sm_reader_fd(const struct sm_reader *r)
{
	return r->epfd;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* bpf_ktime_get_ns's clock */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Consume what the buffer holds; with a perf buffer, hand on what is
 * stamped up to `upto` (UINT64_MAX: everything) in time order. */
static int consume(struct sm_reader *r, uint64_t upto)
{
	int n;

	if (r->rb)
		return ring_buffer__consume(r->rb);
	n = perf_buffer__consume(r->pb);
	sm_reorder_release(&r->order, upto, r->fn, r->ctx);
	return n;
}

int sm_reader_drain(struct sm_reader *r)
{
	uint64_t ticks, t0 = now_ns();

	if (read(r->timerfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return -errno;
	return consume(r, t0 > SM_HOLD_NS ? t0 - SM_HOLD_NS : 0);
}

int sm_reader_flush(struct sm_reader *r)
{
	return consume(r, UINT64_MAX);
}

uint64_t sm_reader_lost(const struct sm_reader *r)
{
	return r->lost;
}

/* SPDX-License-Identifier: MIT */
/* Reading records from the kernel: ring buffer or perf buffer, the same
 * interface either way. */
#ifndef SM_READER_H
#define SM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_map;
struct sm_reader;

typedef int (*sm_record_fn)(void *ctx, const void *data, size_t size);

/* perf_kib: perf buffer size per CPU (0: default 1 MiB). */
int sm_reader_new(struct bpf_map *events, bool ringbuf, unsigned perf_kib,
		  sm_record_fn fn, void *ctx, struct sm_reader **out);
void sm_reader_free(struct sm_reader *r);
/* An fd that becomes readable when records are to be drained (for epoll):
 * every 20 ms, or earlier when a buffer fills up. */
int sm_reader_fd(const struct sm_reader *r);
/* Handle the records waiting now (with a perf buffer, the newest are held
 * back until the next drain, see reader.c); returns how many were read
 * from the kernel, or a negative errno. */
int sm_reader_drain(struct sm_reader *r);
/* Handle every record read and waiting now, none held back (stopping,
 * switching configurations). */
int sm_reader_flush(struct sm_reader *r);
/* Records lost on the way that the kernel's stats map does not count:
 * perf buffer records the reorder stage had no memory to keep. (sm_emit
 * counts every failed output, ring or perf buffer; the perf buffer's own
 * PERF_RECORD_LOST reports the same records again and is not added, or
 * losses would be reported twice.) */
uint64_t sm_reader_lost(const struct sm_reader *r);

#endif

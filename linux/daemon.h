/* SPDX-License-Identifier: MIT */
/* The running monitor: its state and what it does with each record. */
#ifndef SM_DAEMON_H
#define SM_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "proccache.h"
#include "record.h"
#include "sysinfo.h"
#include "sysmon_abi.h"

struct sm_config;
struct sm_dnspair;
struct sm_hold;
struct sm_netconv;

#define SM_MAX_EVENT_ID 256
/* Working room of the handler at work (one record at a time), too big for
 * the stack: each handler views it as its own struct and checks at build
 * time that the struct fits. */
#define SM_SCRATCH_SIZE 16384

/* What the daemon is told when it starts. */
struct sm_daemon_opts {
	unsigned udp_window_sec; /* one NetworkConnect per UDP conversation
				  * per this many seconds (-udpwindow) */
};

struct sm_daemon {
	struct sm_config *cfg;
	unsigned hash_algs;
	unsigned limits[SM_MAX_EVENT_ID][SM_MAX_FIELDS]; /* FieldSizes */
	struct sm_proccache *pc;
	struct sm_sysinfo si;
	uint64_t record_id;
	uint64_t record_id_limit; /* recordid.c reserves more IDs here */
	uint64_t bad_records;   /* records that failed to decode */
	uint64_t dropped;       /* events that could not be made or written
				 * here (no memory, could not format) */
	char *fmt;              /* SM_FMT_BUF bytes */
	char cmd[SM_ARGS_MAX + 3]; /* CommandLine being built (+ "...") */
	char hashes[256];
	char path[SM_PATH_MAX + 1]; /* a path as a C string */
	struct sm_record rec;       /* the record being handled */
	void *scratch;              /* SM_SCRATCH_SIZE bytes, see above */
	struct sm_dnspair *dns; /* DNS queries waiting for their responses */
	struct sm_netconv *udp; /* UDP conversations seen in the window */
	struct sm_hold *hold; /* events waiting for a ProcessCreate's hashes */
	/* an Image as a C string, with room for " (deleted)" or " (not the
	 * host's file)" */
	char image[SM_PATH_MAX + 32];
};

/* o: NULL for the defaults. The daemon owns cfg from now on. */
int sm_daemon_init(struct sm_daemon *d, struct sm_config *cfg,
		   const struct sm_daemon_opts *o);
void sm_daemon_fini(struct sm_daemon *d);
/* Take a new configuration (the daemon owns it from now on). */
void sm_daemon_set_config(struct sm_daemon *d, struct sm_config *cfg);
/* One record from the kernel: decode, then its handler (events.c) enriches,
 * filters, formats and logs it. */
int sm_daemon_record(struct sm_daemon *d, const void *data, size_t size);
/* Once a second: drop cache entries of processes long gone. */
void sm_daemon_tick(struct sm_daemon *d);
/* After each drain: log events that waited for hashes now done. */
void sm_daemon_poll(struct sm_daemon *d);
/* Stopping: log what still waits (events held for hashes, DNS lookups). */
void sm_daemon_flush(struct sm_daemon *d);

#endif

/* SPDX-License-Identifier: MIT */
/* UDP conversations already logged: one NetworkConnect event per
 * conversation (process + local endpoint + remote endpoint) per window.
 * A fixed-size, set-associative table: no allocation after creation; when
 * a set is full, its entry logged longest ago goes (that conversation may
 * then be logged again before its window ends, never lost). Pure code:
 * the caller passes the time. */
#ifndef SM_NETCONV_H
#define SM_NETCONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netfmt.h"

#define SM_UDP_WINDOW_DEFAULT_SEC 60

struct sm_conv_key {
	uint32_t pid;
	uint8_t proto;
	uint8_t local_v6, remote_v6;
	uint8_t pad;
	uint64_t start;        /* process start: pids are reused */
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	uint32_t pad2;
};

struct sm_netconv;

/* At least `capacity` entries (rounded up to a power of two). */
struct sm_netconv *sm_netconv_new(size_t capacity, uint64_t window_ns);
void sm_netconv_free(struct sm_netconv *t);
void sm_netconv_set_window(struct sm_netconv *t, uint64_t window_ns);
uint64_t sm_netconv_window(const struct sm_netconv *t);

/* Key of a connection of process (pid, start). */
void sm_conv_key_make(struct sm_conv_key *k, const struct sm_conn *c,
		      uint32_t pid, uint64_t start);
/* True when the conversation is to be logged now: not seen, or last
 * logged `window` or more before `now` (ns, any monotonic clock). It then
 * counts as logged at `now`. */
bool sm_netconv_admit(struct sm_netconv *t, const struct sm_conv_key *k,
		      uint64_t now);

#endif

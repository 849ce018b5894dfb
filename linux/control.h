/* SPDX-License-Identifier: MIT */
/* The control socket between `sysmon -c` and the running service: a Unix
 * stream socket in /run, mode 0600, root peers only. One request per
 * connection: the client writes one request and shuts down its side; the
 * service answers "ok\n" + payload or "error\n" + message and closes.
 *
 * Requests: "apply\n<source path>\n" (load SM_PENDING_CONFIG and make it the
 * stored, running configuration), "defaults\n", "reload\n" (the stored
 * configuration again, as SIGHUP) and "dump\n" (the active configuration's
 * dump). A socket rather than a signal so `-c` learns whether the service
 * accepted the change, and gets the dump of what is really running. */
#ifndef SM_CONTROL_H
#define SM_CONTROL_H

#include <stddef.h>
#include <stdio.h>

#define SM_CTL_MAX_REQUEST 4096

/* Handles one request. Returns 0 (reply "ok" + *payload, malloc'd or NULL)
 * or non-zero (reply "error" + msg). */
typedef int (*sm_ctl_handler)(void *ctx, char *request, char **payload,
			      char *msg, size_t msgcap);

/* The listening socket (non-blocking, close-on-exec) or a negative errno. */
int sm_ctl_listen(const char *path);
/* Accepts and answers one waiting client; never blocks the service for
 * more than a second on a client that does not send its request. */
void sm_ctl_serve(int lfd, sm_ctl_handler fn, void *ctx);

/* Client: sends request, waits up to timeout_s for the answer. The payload
 * of "ok" goes to out; the message of "error" goes to stderr prefixed with
 * "Error: ". Returns 0 on "ok", 1 on "error", a negative errno when no
 * service answers (-ENOENT / -ECONNREFUSED: none is listening). */
int sm_ctl_call(const char *path, const char *request, FILE *out,
		int timeout_s);

#endif

/* SPDX-License-Identifier: MIT */
/* The supervisor: the installed service's keeper on hosts and containers
 * without systemd (`sysmon -supervise`, started by `sysmon -i`, by the
 * init script at boot, or as a container's entrypoint). */
#ifndef SM_SUPERVISOR_H
#define SM_SUPERVISOR_H

/* Environment variable carrying the fd `sysmon -i` reads the first start's
 * outcome from (lines "msg TEXT", then "ready" or "failed"). */
#define SM_ENV_STATUS_FD "SYSMON_STATUS_FD"

/* Runs `exe -service` and keeps it running until SIGTERM; returns the exit
 * code for main(). status_fd < 0: nobody waits for the first start. */
int sm_supervise(const char *exe, int status_fd);

/* For `sysmon -i`: starts `exe -supervise` detached from this session and
 * waits until its service monitors (0) or failed to start (-EIO, having
 * printed why). */
int sm_supervisor_start(const char *exe);

#endif

/* The service: load, attach, read and log until told to stop. */
#ifndef SM_SERVICE_H
#define SM_SERVICE_H

#include <stdbool.h>
#include "loader.h"

struct sm_config;

#define SM_PIDFILE "/run/sysmon.pid"

struct sm_service_opts {
	const char *config_path;   /* NULL: built-in default */
	bool to_stdout;            /* -t */
	struct sm_load_opts load;
};

/* Runs in this process until SIGTERM/SIGINT; takes ownership of cfg.
 * ready_fd >= 0 gets one byte once monitoring has started. Returns 0 on a
 * clean stop, a negative errno when it could not start. */
int sm_service_run(struct sm_config *cfg, const struct sm_service_opts *o,
		   int ready_fd);

#endif

/* SPDX-License-Identifier: MIT */
/* The service: load, attach, read and log until told to stop. */
#ifndef SM_SERVICE_H
#define SM_SERVICE_H

#include <stdbool.h>
#include "jsonsink.h"
#include "loader.h"
#include "paths.h"

struct sm_config;

#ifndef SM_VERSION
#define SM_VERSION "1.0.0" /* keep equal to project(VERSION) in CMakeLists */
#endif

struct sm_service_opts {
	const char *config_path;   /* NULL: built-in default */
	const char *config_name;   /* ConfigChange's Configuration; NULL:
				      config_path */
	bool installed;            /* the installed service: configuration
				      in SM_INSTALL_DIR, control socket */
	bool to_stdout;            /* -t */
	const char *restart_note;  /* set by the supervisor after a death */
	bool udp_window_set;       /* -udpwindow: */
	unsigned udp_window_sec;   /* one UDP NetworkConnect per conversation
				      per this many seconds */
	/* -jsonfile and -rotate; -rotate's text as -i stores it; -nosyslog:
	 * the JSON file only */
	struct sm_json_opts json;
	const char *json_rotate;
	bool no_syslog;
	struct sm_load_opts load;
};

/* Runs in this process until SIGTERM/SIGINT; takes ownership of cfg.
 * ready_fd >= 0 gets one byte once monitoring has started (systemd's
 * NOTIFY_SOCKET gets READY=1 too). Logs ConfigChange and
 * ServiceStateChange "Started" at start and "Stopped" at the end. SIGHUP
 * reloads the configuration. Returns 0 on a clean stop, a negative errno
 * when it could not start. */
int sm_service_run(struct sm_config *cfg, const struct sm_service_opts *o,
		   int ready_fd);

#endif

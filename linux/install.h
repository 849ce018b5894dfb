/* SPDX-License-Identifier: MIT */
/* The service's lifecycle as the user drives it: -i installs (or
 * replaces) and starts, -c changes or prints the running configuration,
 * -u stops and disables (purge: and deletes the files).
 * Each returns main()'s exit code and prints what failed and what to do. */
#ifndef SM_INSTALL_H
#define SM_INSTALL_H

#include <stdbool.h>
#include "service.h"

/* config: NULL for the defaults. o: switches the service keeps (-btf,
 * -ebpfobject, -perfbuffer, -buffer, -udpwindow, -jsonfile, -rotate,
 * -nosyslog), stored with the
 * installation. Over an installed service: replaces it (config checked
 * first, nothing touched when it is bad) and restarts it. */
int sm_install(const char *config, const struct sm_service_opts *o);
/* arg: NULL prints the active configuration, "--" returns to the
 * defaults, otherwise a file to validate and apply. */
int sm_configure(const char *arg);
/* force: kill a service that does not stop; purge: force, and delete
 * SM_INSTALL_DIR (otherwise the binary and configuration stay). */
int sm_uninstall(bool force, bool purge);

/* For the installed service (`sysmon -service`): the switches stored by
 * -i, one per line, as a NULL-terminated argv (malloc'd, free with free()),
 * or NULL when there are none. */
char **sm_installed_switches(void);

#endif

/* The service's lifecycle as the user drives it: -i installs and starts,
 * -c changes or prints the running configuration, -u stops and removes.
 * Each returns main()'s exit code and prints what failed and what to do. */
#ifndef SM_INSTALL_H
#define SM_INSTALL_H

#include <stdbool.h>
#include "service.h"

/* config: NULL for the defaults. o: switches the service keeps (-btf,
 * -ebpfobject, -perfbuffer, -buffer, -udpwindow), stored with the
 * installation. */
int sm_install(const char *config, const struct sm_service_opts *o);
/* arg: NULL prints the active configuration, "--" returns to the
 * defaults, otherwise a file to validate and apply. */
int sm_configure(const char *arg);
int sm_uninstall(bool force);

/* For the installed service (`sysmon -service`): the switches stored by
 * -i, one per line, as a NULL-terminated argv (malloc'd, free with free()),
 * or NULL when there are none. */
char **sm_installed_switches(void);

#endif

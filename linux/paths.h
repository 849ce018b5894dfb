/* SPDX-License-Identifier: MIT */
/* Where the installed service and its state live. One place for every
 * path the lifecycle code (install, supervisor, service, -c, -u) shares. */
#ifndef SM_PATHS_H
#define SM_PATHS_H

/* The installation: root-only (0700 directory, 0700 binary, 0600 files). */
#define SM_INSTALL_DIR "/opt/sysmon"
#define SM_INSTALLED_EXE SM_INSTALL_DIR "/sysmon"
#define SM_STORED_CONFIG SM_INSTALL_DIR "/config.xml"      /* absent: defaults */
#define SM_PENDING_CONFIG SM_INSTALL_DIR "/config.xml.new" /* -c, until applied */
#define SM_CONFIG_SOURCE SM_INSTALL_DIR "/config.source"   /* path the user gave */
#define SM_SWITCHES_FILE SM_INSTALL_DIR "/switches"        /* service switches */
#define SM_INSTALLED_BTF SM_INSTALL_DIR "/vmlinux.btf"     /* copy of -btf FILE */
#define SM_LOGVIEW_NAME "sysmonLogView" /* the viewer, found beside sysmon */
#define SM_INSTALLED_LOGVIEW SM_INSTALL_DIR "/" SM_LOGVIEW_NAME

/* Run time: the service's pid file (also its one-instance lock), the
 * supervisor's, and the control socket `-c` talks to. */
#define SM_PIDFILE "/run/sysmon.pid"
#define SM_SUPERVISOR_PIDFILE "/run/sysmon-supervisor.pid"
#define SM_CONTROL_SOCKET "/run/sysmon.sock"

/* Kept across uninstall and reinstall (removed by dpkg --purge): the
 * EventRecordID high-water mark, so record IDs never repeat on a host. */
#define SM_STATE_DIR "/var/lib/sysmon"
#define SM_RECORD_ID_FILE SM_STATE_DIR "/eventId"

/* Init system integration. */
#define SM_SYSTEMD_RUNTIME "/run/systemd/system" /* present: systemd is PID 1 */
#define SM_UNIT_NAME "sysmon.service"
#define SM_UNIT_PATH "/etc/systemd/system/" SM_UNIT_NAME
#define SM_PACKAGED_UNIT_PATH "/lib/systemd/system/" SM_UNIT_NAME
#define SM_INITD_PATH "/etc/init.d/sysmon"

/* Environment the supervisor passes to the service it starts. */
#define SM_ENV_READY_FD "SYSMON_READY_FD"     /* write one byte when monitoring */
#define SM_ENV_RESTART_NOTE "SYSMON_RESTARTED" /* why it was restarted */

#endif

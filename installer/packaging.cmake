# SPDX-License-Identifier: MIT
# Packaging: `cpack -G DEB` in the build directory builds sysmon_VERSION_ARCH.deb
# with the binaries (/usr/bin/sysmon, /usr/bin/sysmonLogView), the systemd
# unit (the same text `sysmon -i` writes, generated from linux/unit.c), the
# man pages sysmon(8) and sysmonLogView(1),
# the rsyslog drop-in, the fleet forwarding examples (sender and collector
# rsyslog configurations, /usr/share/doc/sysmon/examples), and maintainer
# scripts that install, upgrade and remove the service with or without
# systemd (installer/debian/).
set(SM_INST ${CMAKE_CURRENT_LIST_DIR})

add_executable(sm_gen_unit ${SM_INST}/gen_unit.c)
target_link_libraries(sm_gen_unit PRIVATE sysmonlinux)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/sysmon.service
  COMMAND sm_gen_unit /opt/sysmon/sysmon > ${CMAKE_BINARY_DIR}/sysmon.service
  DEPENDS sm_gen_unit VERBATIM)

set(SM_VERSION ${PROJECT_VERSION})
configure_file(${SM_INST}/sysmon.8 ${CMAKE_BINARY_DIR}/sysmon.8 @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/sysmon.8.gz
  COMMAND gzip -9nf -k ${CMAKE_BINARY_DIR}/sysmon.8
  DEPENDS ${CMAKE_BINARY_DIR}/sysmon.8 VERBATIM)
configure_file(${SM_INST}/sysmonLogView.1 ${CMAKE_BINARY_DIR}/sysmonLogView.1 @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/sysmonLogView.1.gz
  COMMAND gzip -9nf -k ${CMAKE_BINARY_DIR}/sysmonLogView.1
  DEPENDS ${CMAKE_BINARY_DIR}/sysmonLogView.1 VERBATIM)
add_custom_target(sm_package_files ALL
  DEPENDS ${CMAKE_BINARY_DIR}/sysmon.service ${CMAKE_BINARY_DIR}/sysmon.8.gz
          ${CMAKE_BINARY_DIR}/sysmonLogView.1.gz)

install(FILES ${CMAKE_BINARY_DIR}/sysmon.service DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_BINARY_DIR}/sysmon.8.gz DESTINATION share/man/man8)
install(FILES ${CMAKE_BINARY_DIR}/sysmonLogView.1.gz DESTINATION share/man/man1)
install(FILES ${SM_INST}/rsyslog-sysmon-forward.conf ${SM_INST}/rsyslog-sysmon-collector.conf
  DESTINATION share/doc/sysmon/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sysmon)
set(CPACK_PACKAGE_VENDOR "sysmon for Linux")
set(CPACK_PACKAGE_CONTACT "sysmon maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Sysmon-compatible security event monitor for Linux (eBPF)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "rsyslog | system-log-daemon")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${SM_INST}/debian/postinst ${SM_INST}/debian/prerm
  ${SM_INST}/debian/postrm ${SM_INST}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)

# SPDX-License-Identifier: MIT
# The file columns of sysmonCommon/records.def (see its header), for the
# build:
#   SM_REC_TAGS            every record's tag, in order
#   SM_REC_KERNEL_SOURCES  ebpfKern/<kernel>.bpf.c, each once, in order
#   SM_REC_USER_SOURCES    linux/<user>.c, each once, in order
# and two generated headers:
#   sm_record_abi.h        includes the headers of the record structs that
#                          are not in sysmon_abi.h (record.h includes it)
#   sm_records.bpf.inc     includes every record's kernel source
#                          (sysmon.bpf.c includes it)
set(SM_RECORDS_DEF ${CMAKE_SOURCE_DIR}/sysmonCommon/records.def)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SM_RECORDS_DEF})

file(STRINGS ${SM_RECORDS_DEF} sm_rec_lines REGEX "^SM_RECORD\\(")
set(SM_REC_TAGS)
set(SM_REC_KERNEL_SOURCES)
set(SM_REC_USER_SOURCES)
set(sm_rec_abis)
foreach(line ${sm_rec_lines})
  if(NOT line MATCHES "^SM_RECORD\\([A-Z0-9_]+, *[0-9]+, *([a-z0-9_]+),")
    message(FATAL_ERROR "records.def: cannot read the tag of: ${line}")
  endif()
  list(APPEND SM_REC_TAGS ${CMAKE_MATCH_1})
  # the last three columns: abi, kernel, user
  if(NOT line MATCHES "\\), *([a-z0-9_]+), *([a-z0-9_ ]+), *([a-z0-9_]+)\\)$")
    message(FATAL_ERROR "records.def: cannot read the file columns of: ${line}")
  endif()
  set(abi ${CMAKE_MATCH_1})
  string(REPLACE " " ";" kernel "${CMAKE_MATCH_2}")
  set(user ${CMAKE_MATCH_3})
  if(NOT abi STREQUAL "sysmon_abi")
    list(APPEND sm_rec_abis ${abi})
  endif()
  foreach(k ${kernel})
    list(APPEND SM_REC_KERNEL_SOURCES ${CMAKE_SOURCE_DIR}/ebpfKern/${k}.bpf.c)
  endforeach()
  list(APPEND SM_REC_USER_SOURCES ${CMAKE_SOURCE_DIR}/linux/${user}.c)
endforeach()
list(REMOVE_DUPLICATES SM_REC_KERNEL_SOURCES)
list(REMOVE_DUPLICATES SM_REC_USER_SOURCES)
list(REMOVE_DUPLICATES sm_rec_abis)

# written only when they change, so that a reconfigure rebuilds nothing
function(sm_write_generated name text)
  file(WRITE ${SM_GENERATED_DIR}/${name}.tmp "${text}")
  configure_file(${SM_GENERATED_DIR}/${name}.tmp ${SM_GENERATED_DIR}/${name}
                 COPYONLY)
endfunction()
set(text "/* Generated from sysmonCommon/records.def. Do not edit. */\n")
foreach(abi ${sm_rec_abis})
  string(APPEND text "#include \"${abi}.h\"\n")
endforeach()
sm_write_generated(sm_record_abi.h "${text}")
set(text "/* Generated from sysmonCommon/records.def. Do not edit. */\n")
foreach(src ${SM_REC_KERNEL_SOURCES})
  get_filename_component(name ${src} NAME)
  string(APPEND text "#include \"${name}\"\n")
endforeach()
sm_write_generated(sm_records.bpf.inc "${text}")

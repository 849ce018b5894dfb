/* SPDX-License-Identifier: GPL-2.0-only */
/* One object per kernel range: this file is compiled once per row of the
 * variant table (ebpfKern/CMakeLists.txt) with that row's switches, and
 * pulls in the generic entry program, then each record's programs (the
 * kernel column of sysmonCommon/records.def, generated into
 * sm_records.bpf.inc). */
#include "sm_common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#include "generic_entry.bpf.c"
#include "sm_records.bpf.inc"

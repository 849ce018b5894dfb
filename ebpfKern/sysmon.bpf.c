/* SPDX-License-Identifier: GPL-2.0-only */
/* One object per kernel range: this file is compiled once per row of the
 * variant table (ebpfKern/CMakeLists.txt) with that row's switches, and
 * pulls in one source per event. */
#include "sm_common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#include "generic_entry.bpf.c"
#include "process_create.bpf.c"
#include "process_terminate.bpf.c"
#include "file_create.bpf.c"
#include "file_delete.bpf.c"
#include "file_time.bpf.c"
#include "access.bpf.c"
#include "bpf_event.bpf.c"
#include "module_load.bpf.c"
#include "network_tcp.bpf.c"
#include "network_udp.bpf.c"
#include "dns.bpf.c"

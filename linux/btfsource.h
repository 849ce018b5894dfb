/* SPDX-License-Identifier: MIT */
/* Which BTF libbpf relocates the eBPF objects against: the kernel's, a
 * -btf FILE, or one written from discovered offsets (cached per kernel
 * build). */
#ifndef SM_BTFSOURCE_H
#define SM_BTFSOURCE_H

#include <stddef.h>

/* -btf's argument that makes sysmon discover the offsets even where the
 * kernel has BTF (tests, and to check discovery on a kernel). */
#define SM_BTF_DISCOVER "discover"

/* arg: -btf's argument or NULL. On success, path holds the file for
 * libbpf ("" for the kernel's own) and what the start line says of it.
 * Prints what failed and what to do; a negative errno. */
int sm_btf_choose(const char *arg, char *path, size_t pathlen, char *what,
		  size_t whatlen);

/* -btfdiscover [FILE]: discover every offset ignoring the kernel's BTF,
 * print each beside the kernel BTF's (when there is one), write the BTF
 * to FILE. 0 when all were found and none differs. */
int sm_btf_discover_cmd(const char *out);

#endif

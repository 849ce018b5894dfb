/* SPDX-License-Identifier: MIT */
/* A minimal BTF for a kernel without one: the members of sm_kmembers at
 * the offsets found for this kernel, for libbpf's CO-RE relocations. */
#ifndef SM_BTFSYNTH_H
#define SM_BTFSYNTH_H

#include <stdint.h>

struct btf;

/* off[i]: sm_kmembers[i]'s byte offset, -1 when the kernel lacks it (the
 * member is left out; fixed rows are written at their fixed offset).
 * Writes the raw BTF to path; a negative errno on failure. */
int sm_btf_write(const int32_t *off, const char *path);

/* Every row's offset as the kernel BTF kbtf gives it (-1: not there). */
void sm_btf_offsets(const struct btf *kbtf, int32_t *off);

#endif

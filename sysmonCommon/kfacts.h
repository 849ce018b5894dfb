/* SPDX-License-Identifier: MIT */
/* Kernel facts as event text: bpf() commands and program types, kernel
 * module images (name, appended signature), file timestamps. Pure code:
 * bytes in, text out. */
#ifndef SM_KFACTS_H
#define SM_KFACTS_H

#include <stddef.h>
#include <stdint.h>

/* "BPF_PROG_LOAD", ...; NULL for a command this table does not name. */
const char *sm_bpf_cmd_name(uint32_t cmd);
/* "SOCKET_FILTER", "KPROBE", ... (enum bpf_prog_type without its
 * BPF_PROG_TYPE_ prefix); NULL for a type this table does not name. */
const char *sm_bpf_prog_type_name(uint32_t type);

/* The signature appended to a module image: "~Module signature appended~\n"
 * at the very end, a 12-byte struct module_signature before it, and the
 * signature (sig_len bytes, PKCS#7 when id_type is 2) before that. */
struct sm_modsig {
	int present;        /* the trailer is there */
	int pkcs7;          /* id_type == PKEY_ID_PKCS7 */
	size_t sig_off;     /* the signature blob within the image */
	size_t sig_len;
};
/* 0 and *out filled (present 0 when there is no trailer); -EBADMSG when
 * the trailer is there but its lengths do not fit the image. */
int sm_modsig_parse(const uint8_t *img, size_t len, struct sm_modsig *out);

/* Compressed module files (xz, zstd, gzip) hide their ELF and signature. */
int sm_module_compressed(const uint8_t *img, size_t len);

/* The module name: "name=" in the ELF's .modinfo section. 0 and out
 * filled, or -ENOENT / -EBADMSG (not a well-formed 64-bit ELF). */
int sm_modinfo_name(const uint8_t *img, size_t len, char *out, size_t cap);

/* A file timestamp as UtcTime ("YYYY-MM-DD HH:MM:SS.mmm", UTC), for any
 * time a file may carry, before 1970 included. out: at least 32 bytes. */
size_t sm_fmt_filetime(char *out, size_t cap, int64_t sec, uint32_t nsec);

#endif

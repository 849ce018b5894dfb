/* SPDX-License-Identifier: MIT */
/* The kernel struct members the eBPF objects read (their CO-RE
 * relocations), as a BTF built for a kernel without one must hold them:
 * each member flattened to its byte offset in the named struct (members
 * of anonymous unions and of embedded structs the programs reach through
 * a name sit directly in the outer struct). */
#ifndef SM_KMEMBERS_H
#define SM_KMEMBERS_H

#include <stddef.h>
#include <stdint.h>

enum sm_km_kind {
	SM_KM_INT,    /* unsigned integer of size bytes */
	SM_KM_PTR,    /* a pointer (its target type does not matter) */
	SM_KM_STRUCT, /* an embedded struct, named by of */
	SM_KM_CHARS,  /* char[size] */
	SM_KM_ENUM,   /* an enum named by of, size bytes */
};

struct sm_kmember {
	const char *type; /* the struct */
	const char *name; /* the member */
	enum sm_km_kind kind;
	uint16_t size;  /* bytes */
	const char *of; /* SM_KM_STRUCT, SM_KM_ENUM: the type's name */
	int32_t fixed;  /* the offset on every kernel, or -1: per kernel */
	/* where the kernel's BTF has it when not as type.name: other member
	 * paths in type, '|' between them, '.' into embedded members */
	const char *alias;
	uint8_t optional; /* a kernel may lack it (the programs check) */
};

extern const struct sm_kmember sm_kmembers[];
extern const size_t sm_n_kmembers;

/* The row of type.name, matching name or one of its aliases; -1 if none. */
int sm_kmember_find(const char *type, const char *name);

#endif

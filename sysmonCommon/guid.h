/* Sysmon GUIDs. A process GUID is: the first 8 hex digits of the machine
 * id, the process start time in seconds (low 16 bits, then high 16 bits),
 * then 8 bytes of a per-process value (mm->end_code, little-endian). */
#ifndef SM_GUID_H
#define SM_GUID_H

#include <stddef.h>
#include <stdint.h>

#define SM_GUID_TEXT_LEN 38 /* {8-4-4-4-12} with braces */

struct sm_guid {
	uint32_t d1;
	uint16_t d2;
	uint16_t d3;
	uint8_t d4[8];
};

/* First 8 hex digits of /etc/machine-id's text; 0 when not hex. */
uint32_t sm_machine_prefix(const char *machine_id, size_t len);
struct sm_guid sm_process_guid(uint32_t machine, uint32_t start_sec,
			       uint64_t tag);
/* Logon GUID of a user: machine prefix, then the uid. */
struct sm_guid sm_logon_guid(uint32_t machine, uint32_t uid);
/* Writes SM_GUID_TEXT_LEN bytes plus a NUL. */
size_t sm_guid_fmt(char *out, const struct sm_guid *g);

#endif

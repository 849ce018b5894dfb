/* SPDX-License-Identifier: MIT */
/* A parsed and compiled Sysmon configuration: parsing (libxml2), the rule
 * engine and the `sysmon -c` dump. Pure code: bytes in, verdicts/strings out.
 * A config is immutable once built; the daemon swaps whole configs. */
#ifndef SM_CONFIG_H
#define SM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "event.h"

struct sm_config;

struct sm_config_error {
	int line;       /* 1-based line in the file, 0 when not tied to a line */
	char msg[512];  /* the reason, reference wording first */
};

enum sm_hash_alg {
	SM_HASH_SHA1 = 1u << 0,
	SM_HASH_MD5 = 1u << 1,
	SM_HASH_SHA256 = 1u << 2,
	SM_HASH_IMPHASH = 1u << 3,
};

/* Parse and compile a config file's bytes (UTF-8 or UTF-16 with BOM).
 * `filename` is used only in messages. Returns 0 or a negative errno with
 * *err filled (line + reason). */
int sm_config_parse(const char *buf, size_t len, const char *filename,
		    struct sm_config **out, struct sm_config_error *err);
/* The built-in default configuration (ProcessCreate and ProcessTerminate). */
int sm_config_default(struct sm_config **out);
void sm_config_free(struct sm_config *cfg);

/* Rule verdict for an event. Returns true when the event is to be logged;
 * *rule_name receives the name of the rule that decided it, or NULL.
 * Events 4, 16 and 255 are always logged. Allocates nothing. */
bool sm_config_match(const struct sm_config *cfg, const struct sm_event *ev,
		     const char **rule_name);
/* Can any event with this ID be logged under this config? (probe choice) */
bool sm_config_event_enabled(const struct sm_config *cfg, unsigned event_id);
/* Bit set of enum sm_hash_alg; SHA256 when the config says nothing. */
unsigned sm_config_hash_algorithms(const struct sm_config *cfg);
/* FieldSizes limit for a field of an event type, 0 when unlimited. */
unsigned sm_config_field_size(const struct sm_config *cfg, unsigned event_id,
			      unsigned field_index);
/* <DnsLookup>: reverse-resolve NetworkConnect's Source/DestinationHostname
 * (false when the config does not say true). Declared by the network
 * events; implemented by the config engine. */
bool sm_config_dns_lookup(const struct sm_config *cfg);
/* The config's schemaversion as written, e.g. "4.90". */
const char *sm_config_schema_version(const struct sm_config *cfg);
/* The `sysmon -c` dump, byte for byte as the reference prints it.
 * Returns a malloc'd NUL-terminated string (caller frees) or NULL. */
char *sm_config_dump(const struct sm_config *cfg);

#endif

/* libFuzzer target: the config parser, the rule compiler, the dump and the
 * matcher, on arbitrary bytes. Built with SYSMON_FUZZ=ON (clang,
 * -fsanitize=fuzzer,address,undefined); run by run_fuzz.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

/* Every field of an event of type t gets a value cut from the input, so
 * the conditions see varied, not always valid UTF-8, text. */
static void match_all_types(const struct sm_config *cfg, const uint8_t *data,
			    size_t size)
{
	size_t n;
	const struct sm_event_type *t = sm_schema_events(&n);

	for (size_t i = 0; i < n; i++) {
		struct sm_event ev = { .type = &t[i] };
		const char *rule = NULL;

		for (unsigned k = 0; k < t[i].nfields; k++) {
			size_t off = size ? (k * 7) % size : 0;

			ev.f[k].p = (const char *)data + off;
			ev.f[k].len = (uint32_t)((size - off) < 40 ? size - off : 40);
		}
		(void)sm_config_match(cfg, &ev, &rule);
		if (rule && !*rule)
			__builtin_trap(); /* names are NULL or non-empty */
		(void)sm_config_event_enabled(cfg, t[i].id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	char *dump;

	if (sm_config_parse((const char *)data, size, "fuzz.xml", &cfg, &err)) {
		if (cfg || err.line < 0 || !memchr(err.msg, 0, sizeof(err.msg)) ||
		    !err.msg[0])
			__builtin_trap();
		return 0;
	}
	dump = sm_config_dump(cfg);
	if (!dump)
		__builtin_trap();
	free(dump);
	match_all_types(cfg, data, size);
	(void)sm_config_hash_algorithms(cfg);
	(void)sm_config_field_size(cfg, 1, 4);
	sm_config_free(cfg);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the config parser, the rule compiler, the dump and the
 * matcher, on arbitrary bytes. Built with SYSMON_FUZZ=ON (clang,
 * -fsanitize=fuzzer,address,undefined); run by run_fuzz.sh; its committed
 * seeds are replayed by the normal suite (replay.c).
 *
 * Checks, besides no crash: a refused config says where and why; the dump
 * (the reference's text listing, not XML) is stable: the same on the same
 * config after matching, and the same for a second parse of the same bytes
 * (no state kept between parses); a rule name is NULL or non-empty; an
 * event type that is not enabled never matches. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "fuzz_check.h"

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
		bool match;

		for (unsigned k = 0; k < t[i].nfields; k++) {
			size_t off = size ? (k * 7) % size : 0;

			ev.f[k].p = (const char *)data + off;
			ev.f[k].len =
				(uint32_t)((size - off) < 40 ? size - off : 40);
		}
		match = sm_config_match(cfg, &ev, &rule);
		CHECK(!rule || *rule); /* names are NULL or non-empty */
		CHECK(!match || sm_config_event_enabled(cfg, t[i].id));
	}
}

static char *parse_and_dump(const uint8_t *data, size_t size)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	char *dump;

	CHECK(!sm_config_parse((const char *)data, size, "fuzz.xml", &cfg,
			       &err));
	dump = sm_config_dump(cfg);
	CHECK(dump);
	sm_config_free(cfg);
	return dump;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	char *dump, *again;

	if (sm_config_parse((const char *)data, size, "fuzz.xml", &cfg, &err)) {
		CHECK(!cfg && err.line >= 0 &&
		      memchr(err.msg, 0, sizeof(err.msg)) && err.msg[0]);
		return 0;
	}
	dump = sm_config_dump(cfg);
	CHECK(dump);
	match_all_types(cfg, data, size);
	(void)sm_config_hash_algorithms(cfg);
	(void)sm_config_field_size(cfg, 1, 4);
	again = sm_config_dump(cfg);
	CHECK(again && !strcmp(dump, again));
	free(again);
	sm_config_free(cfg);
	again = parse_and_dump(data, size);
	CHECK(!strcmp(dump, again));
	free(again);
	free(dump);
	return 0;
}

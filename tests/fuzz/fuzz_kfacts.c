/* SPDX-License-Identifier: MIT */
/* libFuzzer target: what sysmon reads out of kernel module images that any
 * root process can hand to init_module/finit_module (kfacts.c): the
 * compression magic, the appended signature trailer, the module name from
 * the ELF's .modinfo; and, from the first bytes, the bpf() command and
 * program type names and a file timestamp as UtcTime.
 *
 * Checks: no read outside the image (ASan: the input is libFuzzer's exact
 * buffer); a signature found lies inside the image, before its trailer; a
 * name is NUL-terminated text shorter than its buffer; UtcTime text is
 * "YYYY-MM-DD HH:MM:SS.mmm" (a year of 4 or more digits, maybe signed), or
 * nothing for a time whose year does not fit an int. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfacts.h"
#include "fuzz_check.h"

static void check_filetime(const uint8_t *data, size_t size)
{
	char out[32];
	int64_t sec = 0;
	uint32_t nsec = 0;
	size_t n;

	memcpy(&sec, data, size < 8 ? size : 8);
	if (size > 8)
		memcpy(&nsec, data + 8, size - 8 < 4 ? size - 8 : 4);
	n = sm_fmt_filetime(out, sizeof(out), sec, nsec % 1000000000u);
	if (!n)
		return;
	CHECK(n >= 23 && n < sizeof(out) && out[n] == '\0');
	CHECK(out[n - 4] == '.' && out[n - 7] == ':' && out[n - 10] == ':' &&
	      out[n - 13] == ' ');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_modsig sig;
	char name[64];
	uint32_t word = 0;
	int err;

	sm_module_compressed(data, size);
	err = sm_modsig_parse(data, size, &sig);
	CHECK(!err || err == -EBADMSG);
	if (!err && sig.present)
		CHECK(sig.sig_off <= size && sig.sig_len <= size - sig.sig_off);
	err = sm_modinfo_name(data, size, name, sizeof(name));
	CHECK(!err || err == -ENOENT || err == -EBADMSG);
	if (!err)
		CHECK(memchr(name, '\0', sizeof(name)) != NULL);
	memcpy(&word, data, size < 4 ? size : 4);
	sm_bpf_cmd_name(word);
	sm_bpf_prog_type_name(word);
	check_filetime(data, size);
	return 0;
}

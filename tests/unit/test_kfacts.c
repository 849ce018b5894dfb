/* SPDX-License-Identifier: MIT */
/* The pure helpers of the file and kernel events (kfacts.c): bpf() names,
 * module images (modinfo name, appended signature, compression), file
 * timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "kfacts.h"

static void bpf_names(void **st)
{
	(void)st;
	assert_string_equal(sm_bpf_cmd_name(5), "BPF_PROG_LOAD");
	assert_string_equal(sm_bpf_cmd_name(8), "BPF_PROG_ATTACH");
	assert_string_equal(sm_bpf_cmd_name(28), "BPF_LINK_CREATE");
	assert_null(sm_bpf_cmd_name(0));
	assert_null(sm_bpf_cmd_name(1000));
	assert_string_equal(sm_bpf_prog_type_name(1), "SOCKET_FILTER");
	assert_string_equal(sm_bpf_prog_type_name(2), "KPROBE");
	assert_string_equal(sm_bpf_prog_type_name(8), "CGROUP_SKB");
	assert_string_equal(sm_bpf_prog_type_name(26), "TRACING");
	assert_string_equal(sm_bpf_prog_type_name(29), "LSM");
	assert_string_equal(sm_bpf_prog_type_name(32), "NETFILTER");
	assert_null(sm_bpf_prog_type_name(33));
}

#define MAGIC "~Module signature appended~\n"

/* body + signature blob + module_signature + magic */
static size_t signed_image(uint8_t *buf, const char *body, const char *sig,
			   uint8_t id_type)
{
	size_t n = strlen(body), s = strlen(sig);
	uint8_t info[12] = { 0, 0, id_type, 0, 0, 0, 0, 0,
			     (uint8_t)(s >> 24), (uint8_t)(s >> 16),
			     (uint8_t)(s >> 8), (uint8_t)s };

	memcpy(buf, body, n);
	memcpy(buf + n, sig, s);
	memcpy(buf + n + s, info, sizeof(info));
	memcpy(buf + n + s + sizeof(info), MAGIC, sizeof(MAGIC) - 1);
	return n + s + sizeof(info) + sizeof(MAGIC) - 1;
}

static void module_signature(void **st)
{
	uint8_t img[256];
	struct sm_modsig sig;
	size_t n = signed_image(img, "\177ELF-module-body", "SIGNATURE", 2);

	(void)st;
	assert_int_equal(sm_modsig_parse(img, n, &sig), 0);
	assert_true(sig.present);
	assert_true(sig.pkcs7);
	assert_int_equal(sig.sig_len, 9);
	assert_memory_equal(img + sig.sig_off, "SIGNATURE", 9);
	/* not signed */
	assert_int_equal(sm_modsig_parse(img, 16, &sig), 0);
	assert_false(sig.present);
	/* a signature length larger than the image */
	img[n - 28 - 1] = 200;
	assert_int_equal(sm_modsig_parse(img, n, &sig), -EBADMSG);
	assert_true(sig.present);
	/* only the magic */
	assert_int_equal(sm_modsig_parse((const uint8_t *)MAGIC,
					 sizeof(MAGIC) - 1, &sig), -EBADMSG);
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A minimal 64-bit ELF: sections null, .shstrtab, .modinfo. */
static size_t tiny_elf(uint8_t *buf, size_t cap, const char *modinfo,
		       size_t milen)
{
	static const char strtab[] = "\0.shstrtab\0.modinfo";
	size_t str_off = 64, mi_off = str_off + sizeof(strtab);
	size_t sh_off = (mi_off + milen + 7) & ~(size_t)7;
	size_t end = sh_off + 3 * 64;

	assert_true(end <= cap);
	memset(buf, 0, end);
	memcpy(buf, "\177ELF\2\1\1", 7);
	put_le(buf + 0x28, sh_off, 8);
	put_le(buf + 0x3a, 64, 2);
	put_le(buf + 0x3c, 3, 2);
	put_le(buf + 0x3e, 1, 2);
	memcpy(buf + str_off, strtab, sizeof(strtab));
	memcpy(buf + mi_off, modinfo, milen);
	/* [1] .shstrtab */
	put_le(buf + sh_off + 64 + 0, 1, 4);
	put_le(buf + sh_off + 64 + 24, str_off, 8);
	put_le(buf + sh_off + 64 + 32, sizeof(strtab), 8);
	/* [2] .modinfo */
	put_le(buf + sh_off + 128 + 0, 11, 4);
	put_le(buf + sh_off + 128 + 24, mi_off, 8);
	put_le(buf + sh_off + 128 + 32, milen, 8);
	return end;
}

static void module_name(void **st)
{
	static const char mi[] = "license=GPL\0depends=\0name=sm_dummy\0vermagic=6.18";
	uint8_t img[1024];
	char name[64];
	size_t n = tiny_elf(img, sizeof(img), mi, sizeof(mi));

	(void)st;
	assert_int_equal(sm_modinfo_name(img, n, name, sizeof(name)), 0);
	assert_string_equal(name, "sm_dummy");
	/* too small a buffer for the name */
	assert_int_equal(sm_modinfo_name(img, n, name, 5), -ENOENT);
	/* no name= */
	n = tiny_elf(img, sizeof(img), "license=GPL", 12);
	assert_int_equal(sm_modinfo_name(img, n, name, sizeof(name)), -ENOENT);
	/* the section table beyond the end of the image */
	assert_int_equal(sm_modinfo_name(img, n - 1, name, sizeof(name)), -ENOENT);
	/* .modinfo data beyond the end */
	n = tiny_elf(img, sizeof(img), mi, sizeof(mi));
	put_le(img + (n - 64) + 32, 100000, 8);
	assert_int_equal(sm_modinfo_name(img, n, name, sizeof(name)), -ENOENT);
	/* not ELF, 32-bit ELF */
	assert_int_equal(sm_modinfo_name((const uint8_t *)"hello", 5, name,
					 sizeof(name)), -EBADMSG);
	img[4] = 1;
	assert_int_equal(sm_modinfo_name(img, n, name, sizeof(name)), -EBADMSG);
}

static void compressed(void **st)
{
	(void)st;
	assert_true(sm_module_compressed((const uint8_t *)"\xfd" "7zXZ\0..", 8));
	assert_true(sm_module_compressed((const uint8_t *)"\x28\xb5\x2f\xfd", 4));
	assert_true(sm_module_compressed((const uint8_t *)"\x1f\x8b\x08", 3));
	assert_false(sm_module_compressed((const uint8_t *)"\177ELF", 4));
	assert_false(sm_module_compressed((const uint8_t *)"\x1f", 1));
}

static void file_times(void **st)
{
	char t[40];

	(void)st;
	assert_int_equal(sm_fmt_filetime(t, sizeof(t), 978307200, 0), 23);
	assert_string_equal(t, "2001-01-01 00:00:00.000");
	sm_fmt_filetime(t, sizeof(t), 1580608922, 123456789);
	assert_string_equal(t, "2020-02-02 02:02:02.123");
	sm_fmt_filetime(t, sizeof(t), -86400, 5000000);
	assert_string_equal(t, "1969-12-31 00:00:00.005");
	sm_fmt_filetime(t, sizeof(t), 253402300799, 999999999);
	assert_string_equal(t, "9999-12-31 23:59:59.999");
	assert_int_equal(sm_fmt_filetime(t, 10, 0, 0), 0);
	/* the last second whose year fits an int (tm_year + 1900 does not) */
	sm_fmt_filetime(t, sizeof(t), 67768036191676799ll, 0);
	assert_string_equal(t, "2147485547-12-31 23:59:59.000");
	assert_int_equal(sm_fmt_filetime(t, sizeof(t), 67768036191676800ll, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bpf_names),
		cmocka_unit_test(module_signature),
		cmocka_unit_test(module_name),
		cmocka_unit_test(compressed),
		cmocka_unit_test(file_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* The record -> event path of the file, process-access and kernel events,
 * fed with hand-made kernel records (as the eBPF programs lay them out):
 * the decoder, the handler, the rules and the formatter, up to the line
 * that would go to syslog (sm_output_line is wrapped: -Wl,--wrap).
 * DriverLoad is covered here in full because module loading cannot be
 * exercised on a kernel without module support: a module file and an
 * in-memory module image, signed (a real PKCS#7 signature made here with
 * OpenSSL), unsigned and compressed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"

static char line[65536];
static size_t nlines;

void __wrap_sm_output_line(const char *l, size_t len);
void __wrap_sm_output_line(const char *l, size_t len)
{
	snprintf(line, sizeof(line), "%.*s", (int)len, l);
	nlines++;
}

static struct sm_daemon d;
static char field_buf[4096];

/* Value of <Data Name="name"> in the last line. */
static const char *field(const char *name)
{
	char key[128];
	const char *p, *e;

	snprintf(key, sizeof(key), "<Data Name=\"%s\">", name);
	p = strstr(line, key);
	if (!p)
		return NULL;
	p += strlen(key);
	e = strstr(p, "</Data>");
	snprintf(field_buf, sizeof(field_buf), "%.*s", (int)(e - p), p);
	return field_buf;
}

static const char cfg_xml[] =
	"<Sysmon schemaversion=\"4.90\"><HashAlgorithms>SHA256,MD5</HashAlgorithms>"
	"<EventFiltering>"
	"<DriverLoad onmatch=\"exclude\"/>"
	"<eBPFEvent onmatch=\"include\"><BpfProgramType name=\"sf\" condition=\"is\">"
	"SOCKET_FILTER</BpfProgramType></eBPFEvent>"
	"<FileDelete onmatch=\"include\"><IsExecutable name=\"exe\" condition=\"is\">"
	"true</IsExecutable></FileDelete>"
	"<FileDeleteDetected onmatch=\"exclude\"/>"
	"<FileCreateTime onmatch=\"exclude\"/>"
	"<ProcessAccess onmatch=\"exclude\"/>"
	"</EventFiltering></Sysmon>";

static int setup(void **st)
{
	struct sm_config *cfg;
	struct sm_config_error err;

	(void)st;
	if (sm_config_parse(cfg_xml, sizeof(cfg_xml) - 1, "test", &cfg, &err)) {
		fprintf(stderr, "config: %d: %s\n", err.line, err.msg);
		return -1;
	}
	return sm_daemon_init(&d, cfg, NULL);
}

static int teardown(void **st)
{
	(void)st;
	sm_daemon_fini(&d);
	return 0;
}

/* ---- a record in the kernel's layout ---- */

static uint8_t rec[16384];
static size_t rec_len;

static void rec_begin(const void *fixed, size_t size)
{
	memcpy(rec, fixed, size);
	rec_len = size;
}

static struct sm_strref rec_str(const void *s, size_t n)
{
	struct sm_strref r = { (uint32_t)rec_len, (uint32_t)n };

	memcpy(rec + rec_len, s, n);
	rec_len += n;
	return r;
}

/* The header must be written last: its size covers the strings. */
static void rec_feed(uint32_t type)
{
	struct sm_rec_hdr h = { type, (uint32_t)rec_len, 1000000000ull };

	memcpy(rec, &h, sizeof(h));
	nlines = 0;
	line[0] = '\0';
	sm_daemon_record(&d, rec, rec_len);
}

static struct sm_task me(void)
{
	return (struct sm_task){ .pid = (uint32_t)getpid(), .tid = (uint32_t)getpid(),
				 .ppid = (uint32_t)getppid(), .uid = 0,
				 .auid = 0xffffffffu, .ses = 0xffffffffu };
}

/* ---- eBPFEvent ---- */

static void bpf_event(void **st)
{
	struct sm_rec_bpf_prog b = { .t = me(), .cmd = 5, .prog_type = 1,
				     .prog_id = 42 };
	char pid[16];

	(void)st;
	rec_begin(&b, sizeof(b));
	b.name = rec_str("anchor_bpf", 10);
	memcpy(rec, &b, sizeof(b));
	rec_feed(SM_REC_BPF_PROG);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(line, "<EventID>100</EventID>"));
	assert_string_equal(field("BpfCommand"), "BPF_PROG_LOAD");
	assert_string_equal(field("BpfProgramType"), "SOCKET_FILTER");
	assert_string_equal(field("BpfProgramId"), "42");
	assert_string_equal(field("BpfProgramName"), "anchor_bpf");
	assert_string_equal(field("RuleName"), "sf");
	assert_string_equal(field("User"), "root");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	assert_string_equal(field("ProcessId"), pid);
}

static void bpf_event_filtered(void **st)
{
	/* bpf_event's record but for the program type */
	struct sm_rec_bpf_prog b = { .t = me(), .cmd = 5, .prog_type = 99,
				     .prog_id = 42 };

	(void)st;
	rec_begin(&b, sizeof(b));
	b.name = rec_str("anchor_bpf", 10);
	memcpy(rec, &b, sizeof(b));
	rec_feed(SM_REC_BPF_PROG);
	assert_int_equal(nlines, 0); /* type 99 is not SOCKET_FILTER */
}

/* ---- FileDelete: the strings, the mode ---- */

static void file_delete(void **st)
{
	struct sm_rec_file_delete f = { .t = me(), .event = 23,
					.flags = SM_RF_MODE_KNOWN,
					.mode = 0100755 };

	(void)st;
	rec_begin(&f, sizeof(f));
	f.dir = rec_str("/tmp/d/sub", 10);
	f.name = rec_str("../x.elf", 8);
	memcpy(rec, &f, sizeof(f));
	rec_feed(SM_REC_FILE_DELETE);
	assert_int_equal(nlines, 1);
	assert_string_equal(field("TargetFilename"), "/tmp/d/x.elf");
	assert_string_equal(field("IsExecutable"), "true");
	assert_string_equal(field("Archived"), "false");
	assert_string_equal(field("Hashes"), "-");
	assert_string_equal(field("RuleName"), "exe");
	/* without the mode: IsExecutable false, the include rule drops it */
	f.flags = 0;
	memcpy(rec, &f, sizeof(f));
	rec_feed(SM_REC_FILE_DELETE);
	assert_int_equal(nlines, 0);
	/* a lying string offset: not decoded, not logged */
	f.flags = SM_RF_MODE_KNOWN;
	f.name.off = (uint32_t)rec_len;
	memcpy(rec, &f, sizeof(f));
	rec_feed(SM_REC_FILE_DELETE);
	assert_int_equal(nlines, 0);
}

/* ---- DriverLoad ---- */

#define MODINFO "license=GPL\0name=sm_dummy\0vermagic=6.18"
#define MAGIC "~Module signature appended~\n"

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A minimal 64-bit ELF with .shstrtab and .modinfo. */
static size_t module_elf(uint8_t *buf)
{
	static const char strtab[] = "\0.shstrtab\0.modinfo";
	size_t mi = 64 + sizeof(strtab), sh = (mi + sizeof(MODINFO) + 7) & ~7ul;

	memset(buf, 0, sh + 192);
	memcpy(buf, "\177ELF\2\1\1", 7);
	put_le(buf + 0x28, sh, 8);
	put_le(buf + 0x3a, 64, 2);
	put_le(buf + 0x3c, 3, 2);
	put_le(buf + 0x3e, 1, 2);
	memcpy(buf + 64, strtab, sizeof(strtab));
	memcpy(buf + mi, MODINFO, sizeof(MODINFO));
	put_le(buf + sh + 64, 1, 4);
	put_le(buf + sh + 64 + 24, 64, 8);
	put_le(buf + sh + 64 + 32, sizeof(strtab), 8);
	put_le(buf + sh + 128, 11, 4);
	put_le(buf + sh + 128 + 24, mi, 8);
	put_le(buf + sh + 128 + 32, sizeof(MODINFO), 8);
	return sh + 192;
}

/* A detached PKCS#7 signature of body by a fresh key whose certificate
 * names "sm test signing key", as sign-file makes them. */
static int pkcs7_sign(const uint8_t *body, size_t n, uint8_t **der)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIO *in = BIO_new_mem_buf(body, (int)n);
	PKCS7 *p7;
	int len;

	assert_non_null(key);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"sm test signing key",
				   -1, -1, 0);
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
	X509_set_subject_name(cert, name);
	X509_set_issuer_name(cert, name);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_set_pubkey(cert, key);
	assert_true(X509_sign(cert, key, EVP_sha256()) > 0);
	p7 = PKCS7_sign(cert, key, NULL, in,
			PKCS7_DETACHED | PKCS7_BINARY | PKCS7_NOATTR |
				PKCS7_NOCERTS);
	assert_non_null(p7);
	*der = NULL;
	len = i2d_PKCS7(p7, der);
	PKCS7_free(p7);
	BIO_free(in);
	X509_NAME_free(name);
	X509_free(cert);
	EVP_PKEY_free(key);
	return len;
}

static uint8_t img[8192];

/* The module ELF, signed or not: its length. */
static size_t module_image(int sign)
{
	size_t n = module_elf(img);
	uint8_t *der = NULL;
	int dlen;

	if (!sign)
		return n;
	dlen = pkcs7_sign(img, n, &der);
	assert_true(dlen > 0 && n + (size_t)dlen + 40 <= sizeof(img));
	memcpy(img + n, der, (size_t)dlen);
	n += (size_t)dlen;
	memcpy(img + n, (uint8_t[12]){ 0, 0, 2, 0, 0, 0, 0, 0,
				       (uint8_t)(dlen >> 24), (uint8_t)(dlen >> 16),
				       (uint8_t)(dlen >> 8), (uint8_t)dlen }, 12);
	n += 12;
	memcpy(img + n, MAGIC, sizeof(MAGIC) - 1);
	OPENSSL_free(der);
	return n + sizeof(MAGIC) - 1;
}

static void hex_hash(const EVP_MD *md, const uint8_t *b, size_t n, char *out)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_Digest(b, n, h, &len, md, NULL);
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

static char expect[512];

static const char *hashes_of(const uint8_t *b, size_t n)
{
	char md5[64], sha256[128];

	hex_hash(EVP_md5(), b, n, md5);
	hex_hash(EVP_sha256(), b, n, sha256);
	snprintf(expect, sizeof(expect), "MD5=%s,SHA256=%s", md5, sha256);
	return expect;
}

static char path[64];

static void feed_finit(size_t n)
{
	struct sm_rec_module m = { .t = me(), .syscall = SM_MOD_FINIT };
	int fd;

	snprintf(path, sizeof(path), "/tmp/sm_dummy.%d.ko", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, n), (ssize_t)n);
	close(fd);
	m.file.size = n;
	rec_begin(&m, sizeof(m));
	m.path = rec_str(path, strlen(path));
	memcpy(rec, &m, sizeof(m));
	rec_feed(SM_REC_MODULE);
	unlink(path);
}

static void module_file_signed(void **st)
{
	size_t n = module_image(1);

	(void)st;
	feed_finit(n);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(line, "<EventID>6</EventID>"));
	assert_string_equal(field("ImageLoaded"), path);
	assert_string_equal(field("Hashes"), hashes_of(img, n));
	assert_string_equal(field("Signed"), "true");
	assert_string_equal(field("Signature"), "sm test signing key");
	/* this kernel checks no module signature, or sm_dummy is not loaded:
	 * the kernel's verdict is not known */
	assert_string_equal(field("SignatureStatus"), "-");
}

static void module_file_unsigned(void **st)
{
	size_t n = module_image(0);

	(void)st;
	feed_finit(n);
	assert_int_equal(nlines, 1);
	assert_string_equal(field("Hashes"), hashes_of(img, n));
	assert_string_equal(field("Signed"), "false");
	assert_string_equal(field("Signature"), "-");
	assert_string_equal(field("SignatureStatus"), "Unavailable");
}

static void module_file_compressed(void **st)
{
	size_t n = module_image(1);

	(void)st;
	memcpy(img, "\x28\xb5\x2f\xfd", 4); /* a zstd frame */
	feed_finit(n);
	assert_int_equal(nlines, 1);
	assert_string_equal(field("Signed"), "-");
	assert_string_equal(field("Signature"), "-");
	assert_string_equal(field("Hashes"), hashes_of(img, n));
}

static void module_in_memory(void **st)
{
	size_t n = module_image(1);
	struct sm_rec_module m = { .t = me(), .syscall = SM_MOD_INIT,
				   .image = (uintptr_t)img, .image_len = n };

	(void)st;
	rec_begin(&m, sizeof(m));
	rec_feed(SM_REC_MODULE);
	assert_int_equal(nlines, 1);
	assert_string_equal(field("ImageLoaded"), "sm_dummy");
	assert_string_equal(field("Hashes"), hashes_of(img, n));
	assert_string_equal(field("Signed"), "true");
	assert_string_equal(field("Signature"), "sm test signing key");
	/* the image is gone (the loader exited): nothing made up */
	m.t.pid = 0x7ffffff0;
	memcpy(rec, &m, sizeof(m));
	rec_feed(SM_REC_MODULE);
	assert_int_equal(nlines, 1);
	assert_string_equal(field("ImageLoaded"), "-");
	assert_string_equal(field("Hashes"), "-");
	assert_string_equal(field("Signed"), "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bpf_event),
		cmocka_unit_test(bpf_event_filtered),
		cmocka_unit_test(file_delete),
		cmocka_unit_test(module_file_signed),
		cmocka_unit_test(module_file_unsigned),
		cmocka_unit_test(module_file_compressed),
		cmocka_unit_test(module_in_memory),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
#include "kfacts.h"
#include "numfmt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const bpf_cmds[] = {
	[5] = "BPF_PROG_LOAD",
	[8] = "BPF_PROG_ATTACH",
	[28] = "BPF_LINK_CREATE",
};

/* enum bpf_prog_type, in its order (include/uapi/linux/bpf.h) */
static const char *const prog_types[] = {
	"UNSPEC", "SOCKET_FILTER", "KPROBE", "SCHED_CLS", "SCHED_ACT",
	"TRACEPOINT", "XDP", "PERF_EVENT", "CGROUP_SKB", "CGROUP_SOCK",
	"LWT_IN", "LWT_OUT", "LWT_XMIT", "SOCK_OPS", "SK_SKB",
	"CGROUP_DEVICE", "SK_MSG", "RAW_TRACEPOINT", "CGROUP_SOCK_ADDR",
	"LWT_SEG6LOCAL", "LIRC_MODE2", "SK_REUSEPORT", "FLOW_DISSECTOR",
	"CGROUP_SYSCTL", "RAW_TRACEPOINT_WRITABLE", "CGROUP_SOCKOPT",
	"TRACING", "STRUCT_OPS", "EXT", "LSM", "SK_LOOKUP", "SYSCALL",
	"NETFILTER",
};

const char *sm_bpf_cmd_name(uint32_t cmd)
{
	return cmd < sizeof(bpf_cmds) / sizeof(bpf_cmds[0]) ? bpf_cmds[cmd]
							    : NULL;
}

const char *sm_bpf_prog_type_name(uint32_t type)
{
	return type < sizeof(prog_types) / sizeof(prog_types[0])
		       ? prog_types[type]
		       : NULL;
}

#define MODSIG_MAGIC "~Module signature appended~\n"
#define MODSIG_MAGIC_LEN (sizeof(MODSIG_MAGIC) - 1)
#define MODSIG_INFO_LEN 12 /* algo, hash, id_type, signer_len, key_id_len,
			      pad[3], be32 sig_len */
#define PKEY_ID_PKCS7 2

int sm_modsig_parse(const uint8_t *img, size_t len, struct sm_modsig *out)
{
	const uint8_t *info;
	size_t sig_len, body;

	memset(out, 0, sizeof(*out));
	if (len < MODSIG_MAGIC_LEN ||
	    memcmp(img + len - MODSIG_MAGIC_LEN, MODSIG_MAGIC, MODSIG_MAGIC_LEN))
		return 0;
	out->present = 1;
	body = len - MODSIG_MAGIC_LEN;
	if (body < MODSIG_INFO_LEN)
		return -EBADMSG;
	info = img + body - MODSIG_INFO_LEN;
	body -= MODSIG_INFO_LEN;
	sig_len = (size_t)info[8] << 24 | (size_t)info[9] << 16 |
		  (size_t)info[10] << 8 | info[11];
	if (sig_len > body || (size_t)info[3] + info[4] > body - sig_len)
		return -EBADMSG;
	out->pkcs7 = info[2] == PKEY_ID_PKCS7;
	out->sig_off = body - sig_len;
	out->sig_len = sig_len;
	return 0;
}

int sm_module_compressed(const uint8_t *img, size_t len)
{
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const uint8_t gz[] = { 0x1f, 0x8b };

	return (len >= sizeof(xz) && !memcmp(img, xz, sizeof(xz))) ||
	       (len >= sizeof(zstd) && !memcmp(img, zstd, sizeof(zstd))) ||
	       (len >= sizeof(gz) && !memcmp(img, gz, sizeof(gz)));
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Section i's header of a 64-bit little-endian ELF, or NULL. */
static const uint8_t *section(const uint8_t *img, size_t len, uint64_t i)
{
	uint64_t shoff = le(img + 0x28, 8), shentsize = le(img + 0x3a, 2);
	uint64_t shnum = le(img + 0x3c, 2);

	if (i >= shnum || shentsize < 64 || shoff > len ||
	    (len - shoff) / shentsize <= i)
		return NULL;
	return img + shoff + i * shentsize;
}

/* [off, off + size) of section header sh, when it lies within the image. */
static int section_data(const uint8_t *sh, size_t len, uint64_t *off,
			uint64_t *size)
{
	*off = le(sh + 24, 8);
	*size = le(sh + 32, 8);
	return *off <= len && *size <= len - *off ? 0 : -EBADMSG;
}

static const uint8_t *modinfo(const uint8_t *img, size_t len, uint64_t *size)
{
	const uint8_t *strtab = section(img, len, le(img + 0x3e, 2));
	uint64_t soff, ssize, off;

	if (!strtab || section_data(strtab, len, &soff, &ssize))
		return NULL;
	for (uint64_t i = 1;; i++) {
		const uint8_t *sh = section(img, len, i);
		uint64_t name;

		if (!sh)
			return NULL;
		name = le(sh, 4);
		if (name >= ssize || ssize - name < sizeof(".modinfo") ||
		    memcmp(img + soff + name, ".modinfo", sizeof(".modinfo")))
			continue;
		if (section_data(sh, len, &off, size))
			return NULL;
		return img + off;
	}
}

int sm_modinfo_name(const uint8_t *img, size_t len, char *out, size_t cap)
{
	const uint8_t *mi;
	uint64_t size, i = 0;

	if (len < 64 || memcmp(img, "\177ELF", 4) || img[4] != 2 || img[5] != 1)
		return -EBADMSG;
	mi = modinfo(img, len, &size);
	if (!mi)
		return -ENOENT;
	while (i < size) {
		const uint8_t *s = mi + i;
		const uint8_t *nul = memchr(s, 0, size - i);
		size_t n = nul ? (size_t)(nul - s) : size - i;

		if (n > 5 && n - 5 < cap && !memcmp(s, "name=", 5)) {
			memcpy(out, s + 5, n - 5);
			out[n - 5] = '\0';
			return 0;
		}
		i += n + 1;
	}
	return -ENOENT;
}

size_t sm_fmt_filetime(char *out, size_t cap, int64_t sec, uint32_t nsec)
{
	time_t t = (time_t)sec;
	struct tm tm;
	int n;

	if (!gmtime_r(&t, &tm))
		return 0;
	if (tm.tm_year >= -1900 && tm.tm_year <= 9999 - 1900 && cap > 23) {
		char *p = sm_put_datetime(out, (unsigned)(tm.tm_year + 1900),
					  (unsigned)tm.tm_mon + 1,
					  (unsigned)tm.tm_mday, ' ',
					  (unsigned)tm.tm_hour,
					  (unsigned)tm.tm_min,
					  (unsigned)tm.tm_sec);

		*p++ = '.';
		p = sm_put_dec0(p, (nsec % 1000000000u) / 1000000u, 3);
		*p = '\0';
		return (size_t)(p - out);
	}
	n = snprintf(out, cap, "%04lld-%02d-%02d %02d:%02d:%02d.%03u",
		     (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, (nsec % 1000000000u) / 1000000u);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* SPDX-License-Identifier: MIT */
/* Kernel events: eBPFEvent (100) from bpf() program loads and attaches,
 * DriverLoad (6) from kernel module loads.
 *
 * DriverLoad reads the module once (the file of finit_module; the image in
 * the caller's memory for init_module, while it is still there) for:
 * Hashes; Signed (the "~Module signature appended~" trailer; "-" for a
 * compressed file, whose trailer is inside the compression); Signature
 * (the signer named in the PKCS#7 signature, "-" when it names none);
 * SignatureStatus ("Valid" when the kernel checks module signatures and did
 * not taint the module as unsigned, "Invalid" when it loaded it anyway
 * with taint E, "Unavailable" for an unsigned module, "-" when the kernel
 * does not check signatures or the module is not in /sys/module). */
#include <errno.h>
#include <fcntl.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "ev_who.h"
#include "events.h"
#include "hashes.h"
#include "loader.h"
#include "kfacts.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"

#define MODULE_MAX (256u << 20) /* larger images are not read */
#define SYS_MODULE "/sys/module"

struct bpf_text {
	char utc[SM_UTCTIME_LEN + 1];
	char id[12], type[12], cmd[12];
	struct sm_who a;
};
_Static_assert(sizeof(struct bpf_text) <= SM_SCRATCH_SIZE,
	       "the eBPFEvent text fits the daemon's scratch");

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_BPF_PROG). */
const struct sm_attach sm_attach_bpf_prog[] = {
	/* eBPFEvent (100): bpf() program load / attach / link */
	{ "sm_bpf_enter", "syscalls", "sys_enter_bpf", SM_EV_E_BPF_EVENT },
	{ "sm_bpf_exit", "syscalls", "sys_exit_bpf", SM_EV_E_BPF_EVENT },
	{ 0 } /* end */
};

void sm_on_bpf_prog(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_bpf_prog *e = SM_REC(r, struct sm_rec_bpf_prog);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_E_BPF_EVENT) };
	const char *cmd = sm_bpf_cmd_name(e->cmd);
	const char *type = sm_bpf_prog_type_name(e->prog_type);
	struct bpf_text *x = d->scratch;

	if (!ev.type)
		return;
	sm_record_utctime(d, e->h.ktime, x->utc);
	sm_who_of_task(d, &e->t, &x->a);
	snprintf(x->id, sizeof(x->id), "%u", e->prog_id);
	snprintf(x->cmd, sizeof(x->cmd), "%u", e->cmd);
	snprintf(x->type, sizeof(x->type), "%u", e->prog_type);
	ev.f[SM_EBPFEVENT_UTCTIME] = sm_cstr(x->utc);
	ev.f[SM_EBPFEVENT_PROCESSGUID] = sm_cstr(x->a.guid);
	ev.f[SM_EBPFEVENT_PROCESSID] = sm_cstr(x->a.pid);
	ev.f[SM_EBPFEVENT_IMAGE] = sm_who_image(&x->a);
	ev.f[SM_EBPFEVENT_USER] = sm_who_user(&x->a);
	ev.f[SM_EBPFEVENT_BPFCOMMAND] = sm_cstr(cmd ? cmd : x->cmd);
	ev.f[SM_EBPFEVENT_BPFPROGRAMTYPE] = sm_cstr(type ? type : x->type);
	ev.f[SM_EBPFEVENT_BPFPROGRAMID] = sm_cstr(x->id);
	ev.f[SM_EBPFEVENT_BPFPROGRAMNAME] = r->s[0];
	sm_filter_and_log(d, &ev);
}

/* The bytes of a module: its file, or its image in process pid. */
static uint8_t *read_module(const struct sm_rec_module *e,
			    const struct sm_record *r, size_t *len)
{
	char path[SM_PATH_MAX + 1];
	uint64_t want = e->image_len;
	uint8_t *buf = NULL;
	size_t got = 0;
	off_t at = 0;
	int fd;

	if (e->syscall == SM_MOD_FINIT) {
		snprintf(path, sizeof(path), "%.*s", (int)r->s[0].len,
			 r->s[0].p ? r->s[0].p : "");
		want = e->file.size;
	} else {
		snprintf(path, sizeof(path), "/proc/%u/mem", e->t.pid);
		at = (off_t)e->image;
	}
	if (!want || want > MODULE_MAX || !path[0])
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = fd >= 0 ? malloc(want) : NULL;
	while (buf && got < want) {
		ssize_t n = pread(fd, buf + got, want - got, at + (off_t)got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	if (got != want) {
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

/* The common name of the signer's issuer in a PKCS#7 signature. */
static int signer_name(const uint8_t *sig, size_t len, char *out, size_t cap)
{
	const unsigned char *p = sig;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
	STACK_OF(PKCS7_SIGNER_INFO) *sis = p7 ? PKCS7_get_signer_info(p7) : NULL;
	PKCS7_SIGNER_INFO *si = sis && sk_PKCS7_SIGNER_INFO_num(sis) > 0 ?
					sk_PKCS7_SIGNER_INFO_value(sis, 0) : NULL;
	int n = -1;

	if (si && si->issuer_and_serial && si->issuer_and_serial->issuer)
		n = X509_NAME_get_text_by_NID(si->issuer_and_serial->issuer,
					      NID_commonName, out, (int)cap);
	PKCS7_free(p7);
	return n > 0 ? 0 : -ENOENT;
}

/* The module's name in /sys/module: its modinfo name, else the file name
 * without ".ko", '-' as '_'. */
static void module_name(const uint8_t *img, size_t len, struct sm_str path,
			char *out, size_t cap)
{
	const char *base;
	size_t n;

	if (img && !sm_modinfo_name(img, len, out, cap))
		return;
	out[0] = '\0';
	if (!path.p || !path.len)
		return;
	base = memrchr(path.p, '/', path.len);
	base = base ? base + 1 : path.p;
	n = path.len - (size_t)(base - path.p);
	for (size_t i = 0; i < n && i + 1 < cap && base[i] != '.'; i++) {
		out[i] = base[i] == '-' ? '_' : base[i];
		out[i + 1] = '\0';
	}
}

/* What the kernel made of the signature of a loaded module. */
static const char *kernel_verdict(const char *name)
{
	char path[320], taint[64] = "";
	ssize_t n = -1;
	int fd;

	if (!name[0] ||
	    access(SYS_MODULE "/module/parameters/sig_enforce", F_OK))
		return NULL; /* the kernel does not check module signatures */
	snprintf(path, sizeof(path), SYS_MODULE "/%s/taint", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, taint, sizeof(taint) - 1);
		close(fd);
	}
	if (n < 0)
		return NULL;
	taint[n] = '\0';
	return strchr(taint, 'E') ? "Invalid" : "Valid";
}

struct mod_text {
	char utc[SM_UTCTIME_LEN + 1];
	char hashes[256];
	char name[256];
	char signer[256];
	const char *is_signed, *status;
};

static void module_facts(unsigned algs, const uint8_t *img, size_t len,
			 struct sm_str path, struct mod_text *m)
{
	struct sm_modsig sig;

	m->hashes[0] = m->signer[0] = '\0';
	m->is_signed = m->status = NULL;
	module_name(img, len, path, m->name, sizeof(m->name));
	if (!img)
		return;
	sm_buf_hashes(algs, img, len, m->hashes, sizeof(m->hashes));
	if (sm_module_compressed(img, len) || sm_modsig_parse(img, len, &sig))
		return;
	m->is_signed = sig.present ? "true" : "false";
	if (!sig.present) {
		m->status = "Unavailable";
		return;
	}
	if (sig.pkcs7)
		signer_name(img + sig.sig_off, sig.sig_len, m->signer,
			    sizeof(m->signer));
	m->status = kernel_verdict(m->name);
}

_Static_assert(sizeof(struct mod_text) <= SM_SCRATCH_SIZE,
	       "the DriverLoad text fits the daemon's scratch");

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_MODULE). */
const struct sm_attach sm_attach_module[] = {
	/* DriverLoad (6): kernel modules (no such syscalls without CONFIG_MODULES) */
	{ "sm_sys_enter", "syscalls", "sys_enter_init_module",
	  SM_EV_DRIVER_LOAD },
	{ "sm_init_exit", "syscalls", "sys_exit_init_module",
	  SM_EV_DRIVER_LOAD },
	{ "sm_sys_enter", "syscalls", "sys_enter_finit_module",
	  SM_EV_DRIVER_LOAD },
	{ "sm_finit_exit", "syscalls", "sys_exit_finit_module",
	  SM_EV_DRIVER_LOAD },
	{ 0 } /* end */
};

void sm_on_module(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_module *e = SM_REC(r, struct sm_rec_module);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_DRIVER_LOAD) };
	struct mod_text *mt = d->scratch;
	size_t len = 0;
	uint8_t *img;

	if (!ev.type)
		return;
	img = read_module(e, r, &len);
	module_facts(d->hash_algs, img, len, r->s[0], mt);
	free(img);
	sm_record_utctime(d, e->h.ktime, mt->utc);
	ev.f[SM_DRIVERLOAD_UTCTIME] = sm_cstr(mt->utc);
	ev.f[SM_DRIVERLOAD_IMAGELOADED] =
		e->syscall == SM_MOD_FINIT ? r->s[0] : sm_cstr(mt->name);
	ev.f[SM_DRIVERLOAD_HASHES] = sm_cstr(mt->hashes);
	if (mt->is_signed)
		ev.f[SM_DRIVERLOAD_SIGNED] = sm_cstr(mt->is_signed);
	ev.f[SM_DRIVERLOAD_SIGNATURE] = sm_cstr(mt->signer);
	if (mt->status)
		ev.f[SM_DRIVERLOAD_SIGNATURESTATUS] = sm_cstr(mt->status);
	sm_filter_and_log(d, &ev);
}

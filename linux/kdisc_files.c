/* SPDX-License-Identifier: MIT */
/* Offset discovery: open files, inodes, dentries, mounts and the working
 * directory, from a file made for it: in a directory of its own, with
 * three links, a size, times and writers no other file has. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kdisc_int.h"
#include "kscan.h"

#define KD_NAME "sysmon-layout-probe"
#define KD_SIZE 0x12345
#define KD_MTIME 0x22222222
#define KD_MTIME_NS 222222222
#define INODE_BYTES 640

struct kdf {
	char dir[64], path[96];
	const char *dirbase;
	int r, gap, w, proc, cwd;
	struct stat st;
	uint64_t fr, fw, ino, dentry;
	uint8_t I[INODE_BYTES], Fr[512], Fw[512];
};

static int make_probe(struct kdf *f)
{
	const struct timespec ts[2] = { { 0x11111111, 111111111 },
					{ KD_MTIME, KD_MTIME_NS } };
	char ln[128];

	snprintf(f->dir, sizeof(f->dir), "/tmp/sysmon-layout.XXXXXX");
	if (!mkdtemp(f->dir))
		return -errno;
	f->dirbase = strrchr(f->dir, '/') + 1;
	snprintf(f->path, sizeof(f->path), "%s/" KD_NAME, f->dir);
	f->r = open(f->path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	f->gap = open("/", O_RDONLY | O_CLOEXEC);
	f->w = open(f->path, O_WRONLY | O_CLOEXEC);
	f->proc = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	f->cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->r < 0 || f->gap < 0 || f->w < 0 || f->proc < 0 || f->cwd < 0)
		return -errno;
	close(f->gap);
	for (int i = 2; i <= 3; i++) {
		snprintf(ln, sizeof(ln), "%s.%d", f->path, i);
		if (link(f->path, ln))
			return -errno;
	}
	if (ftruncate(f->w, KD_SIZE) || futimens(f->w, ts) ||
	    fchmod(f->w, 0640) || fstat(f->w, &f->st) || chdir(f->dir))
		return -errno;
	return 0;
}

static void drop_probe(struct kdf *f)
{
	char ln[128];

	if (f->cwd >= 0 && fchdir(f->cwd))
		chdir("/");
	for (int i = 2; i <= 3; i++) {
		snprintf(ln, sizeof(ln), "%s.%d", f->path, i);
		unlink(ln);
	}
	unlink(f->path);
	rmdir(f->dir);
	int fds[] = { f->r, f->w, f->proc, f->cwd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* files (shared by both tasks) -> fdt -> the fd array: the one where our
 * two files' slots are set and the closed one's between them is not */
static int find_files(struct kd *k, struct kdf *f)
{
	long at = -1, fdt = -1;

	for (long o = 0; o + 8 <= KD_TASK_BYTES && at < 0; o += 8) {
		uint64_t q = sm_u64_at(k->m, o);
		uint8_t fs[64];

		if (q != sm_u64_at(k->h, o) || !kd_read(k, q, fs, sizeof(fs)))
			continue;
		for (long j = 0; j < 64 && at < 0; j += 8) {
			uint64_t t[2], a = 0, slot[3] = { 0, 1, 0 };

			if (!kd_read(k, sm_u64_at(fs, j), t, sizeof(t)) ||
			    (uint32_t)t[0] <= (uint32_t)f->w ||
			    !sm_is_kptr(t[1]))
				continue;
			a = t[1];
			slot[0] = kd_ptr(k, a + 8 * (uint64_t)f->r);
			kd_read(k, a + 8 * (uint64_t)f->gap, &slot[1], 8);
			slot[2] = kd_ptr(k, a + 8 * (uint64_t)f->w);
			if (sm_is_kptr(slot[0]) && !slot[1] &&
			    sm_is_kptr(slot[2]) && slot[0] != slot[2])
				at = o, fdt = j;
		}
	}
	if (kd_set(k, "task_struct", "files", at))
		return -ENOENT;
	return kd_set(k, "files_struct", "fdt", fdt);
}

/* f_inode: the pointer both files share to an inode with our mode at 0
 * and our inode number */
static int find_inode(struct kd *k, struct kdf *f)
{
	uint64_t ino = f->st.st_ino;
	long at = -1, io = -1;

	for (long o = 0; o < 256 && at < 0; o += 8) {
		uint64_t q = sm_u64_at(f->Fr, o);

		if (q != sm_u64_at(f->Fw, o) ||
		    !kd_read(k, q, f->I, INODE_BYTES) ||
		    sm_u16_at(f->I, 0) != (uint16_t)f->st.st_mode)
			continue;
		io = sm_scan_one(f->I, INODE_BYTES, 0, &ino, 8, 8);
		if (io >= 0)
			at = o, f->ino = q;
	}
	if (kd_set(k, "file", "f_inode", at) || kd_set(k, "inode", "i_mode", 0))
		return -ENOENT;
	return kd_set(k, "inode", "i_ino", io);
}

static long scan_u64(const uint8_t *b, size_t len, uint64_t v)
{
	return sm_scan_one(b, len, 0, &v, 8, 8);
}

static long scan_u32(const uint8_t *b, size_t from, size_t len, uint32_t v)
{
	return sm_scan_one(b, len, from, &v, 4, 4);
}

/* The first offset holding v (a file system's own data after the inode
 * may hold the same), or -1. */
static long first_u32(const uint8_t *b, uint32_t v)
{
	long at = -1;

	return sm_scan(b, INODE_BYTES, 0, &v, 4, 4, &at, 1) ? at : -1;
}

/* the inode's own values */
static int inode_values(struct kd *k, struct kdf *f)
{
	int32_t ino = kd_get(k, "inode", "i_ino");
	uint64_t csec = (uint64_t)f->st.st_ctim.tv_sec;
	uint32_t cns = (uint32_t)f->st.st_ctim.tv_nsec;
	long cs = -1, cn = -1;

	if (kd_set(k, "inode", "i_nlink",
		   scan_u32(f->I, (size_t)ino + 8, (size_t)ino + 16, 3)) ||
	    kd_set(k, "inode", "i_size",
		   scan_u64(f->I, INODE_BYTES, KD_SIZE)) ||
	    kd_set(k, "inode", "i_mtime_sec",
		   scan_u64(f->I, INODE_BYTES, KD_MTIME)) ||
	    kd_set(k, "inode", "i_mtime_nsec", first_u32(f->I, KD_MTIME_NS)) ||
	    kd_set(k, "inode", "i_ctime_sec",
		   sm_scan(f->I, INODE_BYTES, 0, &csec, 8, 8, &cs, 1) ? cs
								      : -1))
		return -ENOENT;
	/* the first: a file system's own inode data that may follow (ext4's
	 * creation time) can hold the same; bit 31 of the nanoseconds marks
	 * a queried time on kernels with fine-grained change times (6.13) */
	for (long o = 0; o + 4 <= INODE_BYTES && cn < 0; o += 4)
		if ((sm_u32_at(f->I, o) & 0x7fffffffu) == cns)
			cn = o;
	return kd_set(k, "inode", "i_ctime_nsec", cn);
}

/* i_sb: the pointer to a super_block holding our device; i_writecount:
 * the count that two more writers raise from 1 to 3 */
static int inode_sb_writers(struct kd *k, struct kdf *f)
{
	uint32_t dev = (major(f->st.st_dev) << 20) | minor(f->st.st_dev);
	uint8_t after[INODE_BYTES], sb[64];
	long at = -1, sd = -1, wc = -1;
	int w2, w3;

	for (long o = 8; o < 128 && at < 0; o += 8) {
		if (!kd_read(k, sm_u64_at(f->I, o), sb, sizeof(sb)))
			continue;
		sd = scan_u32(sb, 0, sizeof(sb), dev);
		at = sd >= 0 ? o : -1;
	}
	if (kd_set(k, "inode", "i_sb", at) ||
	    kd_set(k, "super_block", "s_dev", sd))
		return -ENOENT;
	w2 = open(f->path, O_WRONLY | O_CLOEXEC);
	w3 = open(f->path, O_WRONLY | O_CLOEXEC);
	if (w2 >= 0 && w3 >= 0 && kd_read(k, f->ino, after, sizeof(after)))
		for (long o = 0; o + 4 <= INODE_BYTES; o += 4)
			if (sm_u32_at(f->I, o) == 1 && sm_u32_at(after, o) == 3)
				wc = wc == -1 ? o : -2;
	if (w2 >= 0)
		close(w2);
	if (w3 >= 0)
		close(w3);
	return kd_set(k, "inode", "i_writecount", wc);
}

/* f_mode: read-only in one file, write-only in the other */
static int find_mode(struct kd *k, struct kdf *f)
{
	long at = -1;

	for (long o = 0; o < 128; o += 4)
		if ((sm_u32_at(f->Fr, o) & 3) == 1 &&
		    (sm_u32_at(f->Fw, o) & 3) == 2)
			at = at == -1 ? o : -2;
	return kd_set(k, "file", "f_mode", at);
}

/* The offset of the qstr naming dentry d name, or -1. */
static long qstr_at(struct kd *k, uint64_t d, const char *name)
{
	size_t len = strlen(name);
	uint8_t dent[256];
	char text[64];

	if (len >= sizeof(text) || !kd_read(k, d, dent, sizeof(dent)))
		return -1;
	for (long o = 0; o + 16 <= (long)sizeof(dent); o += 8) {
		uint64_t p = sm_u64_at(dent, o + 8);

		if (sm_u32_at(dent, o + 4) != len ||
		    !kd_read(k, p, text, len + 1))
			continue;
		if (!memcmp(text, name, len + 1))
			return o;
	}
	return -1;
}

/* f_path: (mnt, dentry), the dentry named ours; in it d_name, d_inode
 * (our inode), d_parent (named after our directory), d_hash before it */
static int find_path(struct kd *k, struct kdf *f)
{
	long at = -1, dn = -1, di, dp = -1;
	uint8_t dent[256];

	for (long o = 0; o + 16 <= 256 && at < 0; o += 8) {
		if (!sm_is_kptr(sm_u64_at(f->Fr, o)))
			continue;
		dn = qstr_at(k, sm_u64_at(f->Fr, o + 8), KD_NAME);
		at = dn >= 0 ? o : -1;
	}
	if (kd_set(k, "file", "f_path", at) ||
	    kd_set(k, "dentry", "d_name", dn) ||
	    !kd_read(k, sm_u64_at(f->Fr, at + 8), dent, sizeof(dent)))
		return -ENOENT;
	di = scan_u64(dent, sizeof(dent), f->ino);
	for (long o = 0; o < dn && dp < 0; o += 8)
		if (qstr_at(k, sm_u64_at(dent, o), f->dirbase) == dn)
			dp = o;
	if (kd_set(k, "dentry", "d_inode", di) ||
	    kd_set(k, "dentry", "d_parent", dp))
		return -ENOENT;
	f->dentry = sm_u64_at(dent, dp);
	return kd_set(k, "dentry", "d_hash",
		      sm_is_kptr(sm_u64_at(dent, dp - 8)) ? dp - 16 : -1);
}

/* mount: /proc's mount (mnt_mountpoint "proc", then mnt) and its parent,
 * whose mnt.mnt_root is the parent of "proc"; mnt_parent before them */
static int find_mount(struct kd *k, struct kdf *f)
{
	uint64_t file = kd_file(k, f->proc), v, mp, parent, up;
	int32_t fp = kd_get(k, "file", "f_path");
	int32_t dp = kd_get(k, "dentry", "d_parent");
	long at = -1;

	v = kd_ptr(k, file + (uint64_t)fp);
	mp = kd_ptr(k, v - 8);
	parent = kd_ptr(k, v - 16);
	up = kd_ptr(k, mp + (uint64_t)dp);
	if (qstr_at(k, mp, "proc") == kd_get(k, "dentry", "d_name"))
		for (long o = 16; o <= 64; o += 8)
			if (up && kd_ptr(k, parent + (uint64_t)o) == up)
				at = at == -1 ? o : -2;
	if (kd_set(k, "mount", "mnt", at) ||
	    kd_set(k, "mount", "mnt_mountpoint", at - 8))
		return -ENOENT;
	return kd_set(k, "mount", "mnt_parent", at - 16);
}

/* fs (shared): pwd, the path of our directory (we are in it) */
static int find_fs(struct kd *k, struct kdf *f)
{
	uint64_t pwd[2] = { sm_u64_at(f->Fr, kd_get(k, "file", "f_path")),
			    f->dentry };
	long at = -1, pw = -1;

	for (long o = 0; o + 8 <= KD_TASK_BYTES && at < 0; o += 8) {
		uint64_t q = sm_u64_at(k->m, o);
		uint8_t fs[128];

		if (q != sm_u64_at(k->h, o) || !kd_read(k, q, fs, sizeof(fs)))
			continue;
		pw = sm_scan_one(fs, sizeof(fs), 0, pwd, sizeof(pwd), 8);
		at = pw >= 0 ? o : -1;
	}
	if (kd_set(k, "task_struct", "fs", at))
		return -ENOENT;
	return kd_set(k, "fs_struct", "pwd", pw);
}

/* mm's exe_file: the file whose inode is /proc/self/exe's */
static int find_exe(struct kd *k)
{
	uint64_t mm = sm_u64_at(k->m, kd_get(k, "task_struct", "mm"));
	int32_t fi = kd_get(k, "file", "f_inode"),
		io = kd_get(k, "inode", "i_ino");
	uint8_t m[2048];
	struct stat st;
	long at = -1;

	if (stat("/proc/self/exe", &st) || !kd_read(k, mm, m, sizeof(m)))
		return kd_set(k, "mm_struct", "exe_file", -1);
	for (long o = 0; o < (long)sizeof(m) && at < 0; o += 8) {
		uint64_t file = sm_u64_at(m, o), ino;

		if (!sm_is_kptr(file))
			continue;
		ino = kd_ptr(k, kd_ptr(k, file + (uint64_t)fi) + (uint64_t)io);
		if (ino == st.st_ino)
			at = o;
	}
	return kd_set(k, "mm_struct", "exe_file", at);
}

int kd_files(struct kd *k)
{
	struct kdf *f = calloc(1, sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	f->r = f->w = f->proc = f->cwd = -1;
	err = make_probe(f);
	if (err)
		kd_set(k, "task_struct", "files", -1);
	else
		err = find_files(k, f);
	if (!err) {
		f->fr = kd_file(k, f->r);
		f->fw = kd_file(k, f->w);
		if (!kd_read(k, f->fr, f->Fr, sizeof(f->Fr)) ||
		    !kd_read(k, f->fw, f->Fw, sizeof(f->Fw)))
			err = kd_set(k, "file", "f_inode", -1);
	}
	if (!err)
		err = find_inode(k, f);
	if (!err)
		err = inode_values(k, f);
	if (!err)
		err = inode_sb_writers(k, f);
	if (!err)
		err = find_mode(k, f);
	if (!err)
		err = find_path(k, f);
	if (!err)
		err = find_mount(k, f);
	if (!err)
		err = find_fs(k, f);
	if (!err)
		err = find_exe(k);
	drop_probe(f);
	free(f);
	return err;
}

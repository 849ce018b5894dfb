/* SPDX-License-Identifier: MIT */
/* The table of kernel members the eBPF objects read. Rows of embedded
 * structs come before the structs that embed them. The static check
 * tests/static/check_kmembers.c fails when an object reads a member that
 * is not here. */
#include "kmembers.h"

#include <string.h>

/* clang-format off */
#define INT(t, n, sz) { #t, #n, SM_KM_INT, sz, NULL, -1, NULL, 0 }
#define PTR(t, n) { #t, #n, SM_KM_PTR, 8, NULL, -1, NULL, 0 }
#define EMB(t, n, of, sz) { #t, #n, SM_KM_STRUCT, sz, #of, -1, NULL, 0 }
/* clang-format on */

const struct sm_kmember sm_kmembers[] = {
	/* small types whose layout is the same on every kernel */
	{ "kuid_t", "val", SM_KM_INT, 4, NULL, 0, NULL, 0 },
	{ "atomic_t", "counter", SM_KM_INT, 4, NULL, 0, NULL, 0 },
	{ "list_head", "next", SM_KM_PTR, 8, NULL, 0, NULL, 0 },
	{ "list_head", "prev", SM_KM_PTR, 8, NULL, 8, NULL, 0 },
	{ "qstr", "len", SM_KM_INT, 4, NULL, 4, NULL, 0 },
	{ "qstr", "name", SM_KM_PTR, 8, NULL, 8, NULL, 0 },
	{ "hlist_bl_node", "next", SM_KM_PTR, 8, NULL, 0, NULL, 0 },
	{ "hlist_bl_node", "pprev", SM_KM_PTR, 8, NULL, 8, NULL, 0 },
	{ "path", "mnt", SM_KM_PTR, 8, NULL, 0, NULL, 0 },
	{ "path", "dentry", SM_KM_PTR, 8, NULL, 8, NULL, 0 },
	{ "vfsmount", "mnt_root", SM_KM_PTR, 8, NULL, 0, NULL, 0 },
	{ "fdtable", "max_fds", SM_KM_INT, 4, NULL, 0, NULL, 0 },
	{ "fdtable", "fd", SM_KM_PTR, 8, NULL, 8, NULL, 0 },
	{ "filename", "name", SM_KM_PTR, 8, NULL, 0, NULL, 0 },
	{ "open_how", "flags", SM_KM_INT, 8, NULL, 0, NULL, 0 },
	/* processes */
	PTR(task_struct, stack),
	INT(task_struct, pid, 4),
	INT(task_struct, tgid, 4),
	PTR(task_struct, real_parent),
	PTR(task_struct, group_leader),
	PTR(task_struct, mm),
	PTR(task_struct, fs),
	PTR(task_struct, cred),
	PTR(task_struct, signal),
	PTR(task_struct, files),
	EMB(task_struct, ptraced, list_head, 16),
	EMB(task_struct, ptrace_entry, list_head, 16),
	{ "task_struct", "start_boottime", SM_KM_INT, 8, NULL, -1,
	  "real_start_time", 0 },
	{ "task_struct", "loginuid", SM_KM_STRUCT, 4, "kuid_t", -1, NULL, 1 },
	{ "task_struct", "sessionid", SM_KM_INT, 4, NULL, -1, NULL, 1 },
	INT(mm_struct, end_code, 8),
	INT(mm_struct, arg_start, 8),
	INT(mm_struct, arg_end, 8),
	PTR(mm_struct, exe_file),
	EMB(fs_struct, pwd, path, 16),
	EMB(cred, uid, kuid_t, 4),
	EMB(signal_struct, live, atomic_t, 4),
	PTR(files_struct, fdt),
	/* files and paths */
	EMB(dentry, d_hash, hlist_bl_node, 16),
	PTR(dentry, d_parent),
	EMB(dentry, d_name, qstr, 16),
	PTR(dentry, d_inode),
	PTR(mount, mnt_parent),
	PTR(mount, mnt_mountpoint),
	EMB(mount, mnt, vfsmount, 32),
	INT(super_block, s_dev, 4),
	INT(inode, i_mode, 2),
	PTR(inode, i_sb),
	INT(inode, i_ino, 8),
	INT(inode, i_nlink, 4),
	INT(inode, i_size, 8),
	EMB(inode, i_writecount, atomic_t, 4),
	/* the newest kernels' names (6.11+) stand for the older ones */
	{ "inode", "i_mtime_sec", SM_KM_INT, 8, NULL, -1,
	  "i_mtime.tv_sec|__i_mtime.tv_sec", 0 },
	{ "inode", "i_mtime_nsec", SM_KM_INT, 4, NULL, -1,
	  "i_mtime.tv_nsec|__i_mtime.tv_nsec", 0 },
	{ "inode", "i_ctime_sec", SM_KM_INT, 8, NULL, -1,
	  "i_ctime.tv_sec|__i_ctime.tv_sec", 0 },
	{ "inode", "i_ctime_nsec", SM_KM_INT, 4, NULL, -1,
	  "i_ctime.tv_nsec|__i_ctime.tv_nsec", 0 },
	INT(file, f_mode, 4),
	PTR(file, private_data),
	PTR(file, f_inode),
	EMB(file, f_path, path, 16),
	/* the bpf programs (eBPFEvent) */
	{ "bpf_prog", "type", SM_KM_ENUM, 4, "bpf_prog_type", -1, NULL, 0 },
	{ "bpf_prog", "aux", SM_KM_PTR, 8, NULL, -1, NULL, 0 },
	{ "bpf_prog_aux", "id", SM_KM_INT, 4, NULL, -1, NULL, 0 },
	{ "bpf_prog_aux", "name", SM_KM_CHARS, 16, NULL, -1, NULL, 0 },
	/* network */
	INT(sock_common, skc_daddr, 4),
	INT(sock_common, skc_rcv_saddr, 4),
	INT(sock_common, skc_dport, 2),
	INT(sock_common, skc_num, 2),
	INT(sock_common, skc_family, 2),
	INT(sock_common, skc_state, 1),
	EMB(sock_common, skc_v6_daddr, in6_addr, 16),
	EMB(sock_common, skc_v6_rcv_saddr, in6_addr, 16),
	{ "sock", "__sk_common", SM_KM_STRUCT, 136, "sock_common", 0, NULL, 0 },
	/* a u16 from 5.6, an 8-bit bitfield before: its low byte either way */
	INT(sock, sk_protocol, 1),
	PTR(socket, sk),
	PTR(sk_buff, sk),
	INT(sk_buff, len, 4),
	INT(sk_buff, data_len, 4),
	INT(sk_buff, transport_header, 2),
	INT(sk_buff, network_header, 2),
	PTR(sk_buff, head),
	PTR(sk_buff, data),
	/* io_uring (5.6+) */
	{ "io_kiocb", "opcode", SM_KM_INT, 1, NULL, -1, NULL, 1 },
	{ "io_open", "file_slot", SM_KM_INT, 4, NULL, -1, NULL, 1 },
	{ "io_open", "how", SM_KM_STRUCT, 24, "open_how", -1, NULL, 1 },
	{ "io_unlink", "dfd", SM_KM_INT, 4, NULL, -1, NULL, 1 },
	{ "io_unlink", "flags", SM_KM_INT, 4, NULL, -1, NULL, 1 },
	{ "io_unlink", "filename", SM_KM_PTR, 8, NULL, -1, NULL, 1 },
};

const size_t sm_n_kmembers = sizeof(sm_kmembers) / sizeof(sm_kmembers[0]);

static int alias_has(const char *alias, const char *name)
{
	size_t n = strlen(name);

	while (alias && *alias) {
		const char *end = strchr(alias, '|');
		size_t len = end ? (size_t)(end - alias) : strlen(alias);

		if (len == n && !strncmp(alias, name, n))
			return 1;
		alias = end ? end + 1 : NULL;
	}
	return 0;
}

int sm_kmember_find(const char *type, const char *name)
{
	for (size_t i = 0; i < sm_n_kmembers; i++) {
		const struct sm_kmember *m = &sm_kmembers[i];

		if (strcmp(m->type, type))
			continue;
		if (!strcmp(m->name, name) || alias_has(m->alias, name))
			return (int)i;
	}
	return -1;
}

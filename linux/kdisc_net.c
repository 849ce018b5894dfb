/* SPDX-License-Identifier: MIT */
/* Offset discovery: sockets, packets and bpf programs, from sockets made
 * for it (a UDP socket from 127.0.0.1 connected to 127.0.0.2, its IPv6
 * twin on mapped addresses, a TCP and a raw one) and a datagram sent. */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fsutil.h"
#include "kdisc_int.h"
#include "kscan.h"

#define SOCK_BYTES 1024
#define PAYLOAD 100

struct kdn {
	int u4, u6, tcp, raw, rcv;
	struct sockaddr_in from, to;
	uint64_t sk4, sk6;
	uint8_t s4[SOCK_BYTES];
};

static int bind_connect(int s, const struct sockaddr *a,
			const struct sockaddr *b, socklen_t len)
{
	return s < 0 || bind(s, a, len) || (b && connect(s, b, len)) ? -1 : 0;
}

static int make_sockets(struct kdn *n)
{
	struct sockaddr_in6 f6 = { .sin6_family = AF_INET6 }, t6;
	socklen_t len = sizeof(n->to);

	n->from.sin_family = n->to.sin_family = AF_INET;
	n->from.sin_addr.s_addr = htonl(0x7f000001);
	n->to.sin_addr.s_addr = htonl(0x7f000002);
	n->rcv = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (bind_connect(n->rcv, (void *)&n->to, NULL, sizeof(n->to)) ||
	    getsockname(n->rcv, (void *)&n->to, &len))
		return -errno;
	n->u4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (bind_connect(n->u4, (void *)&n->from, (void *)&n->to,
			 sizeof(n->to)) ||
	    getsockname(n->u4, (void *)&n->from, &len))
		return -errno;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &f6.sin6_addr);
	t6 = f6;
	inet_pton(AF_INET6, "::ffff:127.0.0.2", &t6.sin6_addr);
	t6.sin6_port = n->to.sin_port;
	n->u6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (bind_connect(n->u6, (void *)&f6, (void *)&t6, sizeof(t6)))
		return -errno;
	n->tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	n->raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	return n->tcp < 0 || n->raw < 0 ? -errno : 0;
}

/* private_data: the file's socket, which points back to the file; the
 * sock follows that pointer (struct socket's layout since 2.6) */
static int find_socket(struct kd *k, struct kdn *n)
{
	uint64_t file = kd_file(k, n->u4);
	uint8_t fb[256], sb[64];
	long at = -1, back = -1;

	if (!kd_read(k, file, fb, sizeof(fb)))
		return kd_set(k, "file", "private_data", -1);
	for (long o = 0; o < (long)sizeof(fb) && at < 0; o += 8) {
		if (!kd_read(k, sm_u64_at(fb, o), sb, sizeof(sb)))
			continue;
		back = sm_scan_one(sb, sizeof(sb), 0, &file, 8, 8);
		at = back >= 0 ? o : -1;
	}
	if (kd_set(k, "file", "private_data", at) ||
	    kd_set(k, "socket", "sk", back + 8))
		return -ENOENT;
	return 0;
}

static uint64_t sock_of(struct kd *k, int fd)
{
	int32_t pd = kd_get(k, "file", "private_data");
	int32_t sk = kd_get(k, "socket", "sk");

	return kd_ptr(k,
		      kd_ptr(k, kd_file(k, fd) + (uint64_t)pd) + (uint64_t)sk);
}

/* sock_common: addresses, ports, then family and state (connected) */
static int find_common(struct kd *k, struct kdn *n)
{
	uint32_t addrs[2] = { n->to.sin_addr.s_addr, n->from.sin_addr.s_addr };
	uint16_t ports[2] = { n->to.sin_port, ntohs(n->from.sin_port) };
	long a, p;

	n->sk4 = sock_of(k, n->u4);
	if (!kd_read(k, n->sk4, n->s4, sizeof(n->s4)))
		return kd_set(k, "socket", "sk", -1);
	a = sm_scan_one(n->s4, 136, 0, addrs, sizeof(addrs), 4);
	p = sm_scan_one(n->s4, 136, 0, ports, sizeof(ports), 2);
	if (kd_set(k, "sock_common", "skc_daddr", a) ||
	    kd_set(k, "sock_common", "skc_rcv_saddr", a + 4) ||
	    kd_set(k, "sock_common", "skc_dport", p) ||
	    kd_set(k, "sock_common", "skc_num", p + 2))
		return -ENOENT;
	if (kd_set(k, "sock_common", "skc_family",
		   sm_u16_at(n->s4, p + 4) == AF_INET ? p + 4 : -1))
		return -ENOENT;
	return kd_set(k, "sock_common", "skc_state",
		      n->s4[p + 6] == 1 /* TCP_ESTABLISHED */ ? p + 6 : -1);
}

/* the IPv6 addresses (the first hit: the IPv6 state after the sock
 * holds copies); sk_protocol, the byte that is 17, 6 and 255 in the
 * UDP, TCP and raw socket */
static int find_v6_proto(struct kd *k, struct kdn *n)
{
	struct in6_addr d, s;
	uint8_t s6[SOCK_BYTES], st[SOCK_BYTES], sr[SOCK_BYTES];
	long dh = -1, sh = -1, pr = -1;

	inet_pton(AF_INET6, "::ffff:127.0.0.2", &d);
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &s);
	if (kd_read(k, sock_of(k, n->u6), s6, sizeof(s6))) {
		sm_scan(s6, 136, 0, &d, 16, 4, &dh, 1);
		sm_scan(s6, 136, 0, &s, 16, 4, &sh, 1);
	}
	if (kd_set(k, "sock_common", "skc_v6_daddr", dh) ||
	    kd_set(k, "sock_common", "skc_v6_rcv_saddr", sh))
		return -ENOENT;
	if (kd_read(k, sock_of(k, n->tcp), st, sizeof(st)) &&
	    kd_read(k, sock_of(k, n->raw), sr, sizeof(sr)))
		for (long o = 136; o < SOCK_BYTES; o++)
			if (n->s4[o] == 17 && st[o] == 6 && sr[o] == 255)
				pr = pr == -1 ? o : -2;
	return kd_set(k, "sock", "sk_protocol", pr);
}

/* The offset of skbaddr in net:net_dev_queue's record, or -1. */
static int skbaddr_offset(void)
{
	static const char *const files[] = {
		"/sys/kernel/tracing/events/net/net_dev_queue/format",
		"/sys/kernel/debug/tracing/events/net/net_dev_queue/format",
	};
	int off = -1;

	for (size_t i = 0; i < 2 && off < 0; i++) {
		char *text = sm_read_file(files[i], 8192, NULL);
		char *p = text ? strstr(text, " skbaddr;") : NULL;

		p = p ? strstr(p, "offset:") : NULL;
		if (p)
			off = atoi(p + 7);
		free(text);
	}
	return off;
}

/* head and data: the pair whose data holds our datagram's IPv4 header
 * 14 bytes in (loopback's Ethernet header first) */
static long find_head(struct kd *k, struct kdn *n, const uint8_t *skb)
{
	long at = -1;

	for (long o = 0; o + 16 <= SM_KREAD_CHUNK; o += 8) {
		uint64_t head = sm_u64_at(skb, o), data = sm_u64_at(skb, o + 8);
		uint8_t ip[20];

		if (!sm_is_kptr(head) || data <= head || data - head > 4096 ||
		    !kd_read(k, data + 14, ip, sizeof(ip)))
			continue;
		if (ip[0] == 0x45 && ip[9] == 17 &&
		    !memcmp(ip + 16, &n->to.sin_addr.s_addr, 4))
			at = at == -1 ? o : -2;
	}
	return at;
}

/* len and data_len: the last of the hits, qdisc's control block (cb,
 * before them) holding a copy of len */
static long last_hit(const uint8_t *skb, const uint32_t *lens)
{
	long hits[4];
	int n = sm_scan(skb, SM_KREAD_CHUNK, 0, lens, 8, 4, hits, 4);

	return n >= 1 && n <= 4 ? hits[n - 1] : -1;
}

/* sk_buff, read as our datagram reaches loopback's queue: its sock, its
 * lengths (all of it linear), head and data, and the header offsets
 * (transport, network and mac, in that order) */
static int find_skb(struct kd *k, struct kdn *n)
{
	struct sm_kread *q = NULL;
	uint8_t skb[SM_KREAD_CHUNK], msg[PAYLOAD] = { 0 };
	uint32_t lens[2] = { 14 + 20 + 8 + PAYLOAD, 0 };
	uint16_t hdr[3];
	long sk, len, head, h;
	int err = sm_kread_open("net", "net_dev_queue", skbaddr_offset(), &q);

	if (!err)
		err = sm_kread_arm(q, (uint32_t)gettid(), 0);
	if (!err && send(n->u4, msg, sizeof(msg), 0) != sizeof(msg))
		err = -errno;
	if (!err)
		err = sm_kread_result(q, NULL, skb);
	sm_kread_close(q);
	if (err)
		return kd_set(k, "sk_buff", "sk", -1);
	sk = sm_scan_one(skb, sizeof(skb), 0, &n->sk4, 8, 8);
	len = last_hit(skb, lens);
	head = find_head(k, n, skb);
	if (kd_set(k, "sk_buff", "sk", sk) ||
	    kd_set(k, "sk_buff", "len", len) ||
	    kd_set(k, "sk_buff", "data_len", len + 4) ||
	    kd_set(k, "sk_buff", "head", head) ||
	    kd_set(k, "sk_buff", "data", head + 8))
		return -ENOENT;
	hdr[2] = (uint16_t)(sm_u64_at(skb, head + 8) - sm_u64_at(skb, head));
	hdr[1] = hdr[2] + 14;
	hdr[0] = hdr[1] + 20;
	h = sm_scan_one(skb, sizeof(skb), 0, hdr, sizeof(hdr), 2);
	if (kd_set(k, "sk_buff", "transport_header", h))
		return -ENOENT;
	return kd_set(k, "sk_buff", "network_header", h + 2);
}

static int prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? -1 : (int)info.id;
}

/* bpf_prog and its aux: the reader's program (a tracepoint one) beside a
 * socket filter loaded here: type 5 and 1, names and ids their own */
static int find_prog(struct kd *k, int fd_t)
{
	const struct bpf_insn ret0[2] = {
		{ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0 },
		{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
	};
	char nt[16] = "sm_kread", ns[16] = "sm_kd_filter";
	int fd_s = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, ns, "GPL", ret0,
				 2, NULL);
	uint8_t pt[128], ps[128], at[2048], as[2048];
	int32_t pd = kd_get(k, "file", "private_data");
	uint32_t ids[2] = { (uint32_t)prog_id(fd_t), (uint32_t)prog_id(fd_s) };
	long ty = -1, aux = -1, name = -1, id = -1;

	if (fd_s >= 0 &&
	    kd_read(k, kd_ptr(k, kd_file(k, fd_t) + (uint64_t)pd), pt,
		    sizeof(pt)) &&
	    kd_read(k, kd_ptr(k, kd_file(k, fd_s) + (uint64_t)pd), ps,
		    sizeof(ps))) {
		for (long o = 0; o < 32; o += 4)
			if (sm_u32_at(pt, o) == BPF_PROG_TYPE_TRACEPOINT &&
			    sm_u32_at(ps, o) == BPF_PROG_TYPE_SOCKET_FILTER)
				ty = ty == -1 ? o : -2;
		for (long o = 0; o < (long)sizeof(pt) && aux < 0; o += 8) {
			if (!kd_read(k, sm_u64_at(pt, o), at, sizeof(at)) ||
			    !kd_read(k, sm_u64_at(ps, o), as, sizeof(as)))
				continue;
			name = sm_scan_one(at, sizeof(at), 0, nt, 16, 8);
			if (name >= 0 && !memcmp(as + name, ns, 16))
				aux = o;
		}
		for (long o = 0; aux >= 0 && o < 256; o += 4)
			if (sm_u32_at(at, o) == ids[0] &&
			    sm_u32_at(as, o) == ids[1])
				id = id == -1 ? o : -2;
	}
	if (fd_s >= 0)
		close(fd_s);
	if (kd_set(k, "bpf_prog", "type", ty) ||
	    kd_set(k, "bpf_prog", "aux", aux) ||
	    kd_set(k, "bpf_prog_aux", "name", name))
		return -ENOENT;
	return kd_set(k, "bpf_prog_aux", "id", id);
}

int kd_net(struct kd *k)
{
	struct kdn n = { .u4 = -1, .u6 = -1, .tcp = -1, .raw = -1, .rcv = -1 };
	int fds[5], err = make_sockets(&n);

	if (err)
		kd_set(k, "socket", "sk", -1);
	if (!err)
		err = find_socket(k, &n);
	if (!err)
		err = find_common(k, &n);
	if (!err)
		err = find_v6_proto(k, &n);
	if (!err)
		err = find_skb(k, &n);
	if (!err)
		err = find_prog(k, sm_kread_prog_fd(k->rd));
	fds[0] = n.u4, fds[1] = n.u6, fds[2] = n.tcp, fds[3] = n.raw;
	fds[4] = n.rcv;
	for (int i = 0; i < 5; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return err;
}

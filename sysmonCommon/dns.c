/* SPDX-License-Identifier: MIT */
#include "dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define HEADER_LEN 12
#define NAME_WIRE_MAX 255

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Text of one label byte: as is, "\." / "\\", or "\DDD". */
static size_t label_char(uint8_t c, char *o)
{
	if (c == '.' || c == '\\') {
		o[0] = '\\';
		o[1] = (char)c;
		return 2;
	}
	if (c < 0x21 || c > 0x7e) {
		o[0] = '\\';
		o[1] = (char)('0' + c / 100);
		o[2] = (char)('0' + c / 10 % 10);
		o[3] = (char)('0' + c % 10);
		return 4;
	}
	o[0] = (char)c;
	return 1;
}

struct name_out {
	char *buf;  /* NULL: only validate and skip */
	size_t len;
};

static void put_label(struct name_out *o, const uint8_t *label, size_t n)
{
	if (!o->buf)
		return;
	if (o->len)
		o->buf[o->len++] = '.';
	for (size_t i = 0; i < n; i++)
		o->len += label_char(label[i], o->buf + o->len);
}

/* Read the name at *pos. A compression pointer must point below where the
 * labels being read began, so every jump goes strictly backwards and a
 * pointer loop cannot go on. *pos moves past the name where it was
 * written. out (SM_DNS_NAME_TEXT bytes) may be NULL. */
static int read_name(const uint8_t *pkt, size_t len, size_t *pos, char *out)
{
	struct name_out o = { out, 0 };
	size_t p = *pos, limit = *pos, next = 0, wire = 1;

	for (;;) {
		uint8_t c;

		if (p >= len)
			return -EBADMSG;
		c = pkt[p];
		if ((c & 0xc0) == 0xc0) {
			size_t target;

			if (p + 1 >= len)
				return -EBADMSG;
			target = (size_t)(c & 0x3f) << 8 | pkt[p + 1];
			if (target >= limit)
				return -EBADMSG;
			if (!next)
				next = p + 2;
			p = limit = target;
			continue;
		}
		if (c & 0xc0)       /* 01 and 10: no such label types */
			return -EBADMSG;
		if (c == 0)
			break;
		wire += 1u + c;
		if (wire > NAME_WIRE_MAX || p + 1 + c > len)
			return -EBADMSG;
		put_label(&o, pkt + p + 1, c);
		p += 1u + c;
	}
	*pos = next ? next : p + 1;
	if (out) {
		if (!o.len)
			out[o.len++] = '.';
		out[o.len] = '\0';
	}
	return 0;
}

int sm_dns_parse(const uint8_t *pkt, size_t len, struct sm_dns_msg *m)
{
	size_t pos = HEADER_LEN;
	uint16_t flags;

	m->pkt = pkt;
	m->len = len;
	m->qname[0] = '\0';
	if (!pkt || len < HEADER_LEN)
		return -EBADMSG;
	m->id = be16(pkt);
	flags = be16(pkt + 2);
	m->response = flags >> 15;
	m->opcode = (flags >> 11) & 0xf;
	m->tc = (flags >> 9) & 1;
	m->rcode = flags & 0xf;
	m->qdcount = be16(pkt + 4);
	m->ancount = be16(pkt + 6);
	if (m->qdcount < 1 || read_name(pkt, len, &pos, m->qname) ||
	    pos + 4 > len) {
		m->qname[0] = '\0';
		return -EBADMSG;
	}
	m->qtype = be16(pkt + pos);
	m->qclass = be16(pkt + pos + 2);
	pos += 4;
	for (unsigned i = 1; i < m->qdcount; i++) {
		if (read_name(pkt, len, &pos, NULL) || pos + 4 > len)
			return -EBADMSG;
		pos += 4;
	}
	m->an_off = pos;
	return 0;
}

void sm_dns_strip_tcp(const uint8_t **pkt, size_t *len)
{
	if (*len >= 2 + HEADER_LEN && be16(*pkt) == *len - 2) {
		*pkt += 2;
		*len -= 2;
	}
}

/* Offset of the name inside the rdata of a record type, -1: no name. */
static int name_offset(uint16_t type)
{
	switch (type) {
	case SM_DNS_TYPE_NS:
	case SM_DNS_TYPE_CNAME:
	case SM_DNS_TYPE_PTR:
	case SM_DNS_TYPE_DNAME:
		return 0;
	case SM_DNS_TYPE_MX:
		return 2;
	case SM_DNS_TYPE_SRV:
		return 6;
	default:
		return -1;
	}
}

/* One answer's text (with its ';') into item; -1 when malformed. */
static int format_rr(const struct sm_dns_msg *m, uint16_t type, size_t rd,
		     uint16_t rdlen, char *item, size_t cap)
{
	const uint8_t *d = m->pkt + rd;
	char name[SM_DNS_NAME_TEXT], ip[INET6_ADDRSTRLEN];
	int off = name_offset(type);
	size_t pos;

	if (type == SM_DNS_TYPE_A) {
		if (rdlen != 4)
			return -1;
		return snprintf(item, cap, "::ffff:%u.%u.%u.%u;", d[0], d[1],
				d[2], d[3]);
	}
	if (type == SM_DNS_TYPE_AAAA) {
		if (rdlen != 16 || !inet_ntop(AF_INET6, d, ip, sizeof(ip)))
			return -1;
		return snprintf(item, cap, "%s;", ip);
	}
	if (off < 0)
		return snprintf(item, cap, "type:  %u;", type);
	pos = rd + (size_t)off;
	if ((size_t)off >= rdlen || read_name(m->pkt, rd + rdlen, &pos, name))
		return -1;
	return snprintf(item, cap, "type:  %u %s;", type, name);
}

size_t sm_dns_results(const struct sm_dns_msg *m, char *out, size_t cap,
		      unsigned *count)
{
	char item[SM_DNS_NAME_TEXT + 32];
	size_t pos = m->an_off, o = 0;
	bool full = false;
	unsigned n = 0;

	if (cap)
		out[0] = '\0';
	for (unsigned i = 0; i < m->ancount; i++) {
		uint16_t type, rdlen;
		int len;

		if (read_name(m->pkt, m->len, &pos, NULL) || pos + 10 > m->len)
			break;
		type = be16(m->pkt + pos);
		rdlen = be16(m->pkt + pos + 8);
		pos += 10;
		if (pos + rdlen > m->len)
			break;
		len = format_rr(m, type, pos, rdlen, item, sizeof(item));
		if (len < 0)
			break;
		pos += rdlen;
		n++;
		if (full || o + (size_t)len + 1 > cap) {
			full = true;
			continue;
		}
		memcpy(out + o, item, (size_t)len + 1);
		o += (size_t)len;
	}
	*count = n;
	return o;
}

unsigned sm_dns_status(unsigned rcode, unsigned answers)
{
	if (rcode)
		return SM_DNS_STATUS_RCODE_BASE + rcode;
	return answers ? SM_DNS_STATUS_OK : SM_DNS_STATUS_NO_RECORDS;
}

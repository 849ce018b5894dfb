/* SPDX-License-Identifier: MIT */
/* The DNS wire format (RFC 1035), as far as DNSQuery (22) needs it: the
 * header, the first question, and the answer section as Windows Sysmon
 * prints it in QueryResults. Pure code; every read is bounds-checked, names
 * are followed through compression pointers only backwards (so a pointer
 * loop ends), and a truncated or malformed message yields what could be
 * read, never a read past the buffer. */
#ifndef SM_DNS_H
#define SM_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A name as text: at most 255 wire bytes, each byte at most 4 characters
 * ("\DDD"), plus the NUL. */
#define SM_DNS_NAME_TEXT 1024

/* QueryStatus values: Windows' DNS error codes, as Sysmon prints them. */
#define SM_DNS_STATUS_OK 0
#define SM_DNS_STATUS_RCODE_BASE 9000  /* + rcode: 9003 = NXDOMAIN */
#define SM_DNS_STATUS_NO_RECORDS 9501  /* NOERROR without an answer */
#define SM_DNS_STATUS_TIMEOUT 1460     /* ERROR_TIMEOUT: no response */

#define SM_DNS_TYPE_A 1
#define SM_DNS_TYPE_NS 2
#define SM_DNS_TYPE_CNAME 5
#define SM_DNS_TYPE_PTR 12
#define SM_DNS_TYPE_MX 15
#define SM_DNS_TYPE_AAAA 28
#define SM_DNS_TYPE_SRV 33
#define SM_DNS_TYPE_DNAME 39

struct sm_dns_msg {
	const uint8_t *pkt;
	size_t len;
	uint16_t id;
	bool response;      /* QR */
	bool tc;            /* TC: the server truncated it */
	uint8_t opcode;
	uint8_t rcode;
	uint16_t qdcount, ancount;
	uint16_t qtype, qclass;
	char qname[SM_DNS_NAME_TEXT]; /* no trailing dot; "." for the root */
	size_t an_off;      /* where the answer section starts */
};

/* Header and first question of the message in pkt[0..len). 0, or
 * -EBADMSG when those are not all there or are malformed. m keeps pkt. */
int sm_dns_parse(const uint8_t *pkt, size_t len, struct sm_dns_msg *m);

/* A message as a process passed it to a TCP socket may start with the
 * 2-byte length: the message without it, when it does. */
void sm_dns_strip_tcp(const uint8_t **pkt, size_t *len);

/* The answer section in Sysmon's QueryResults style, each record followed
 * by ';': A as "::ffff:192.0.2.1", AAAA as its text, records holding a
 * name as "type:  5 alias.example" (the target: CNAME, NS, PTR, MX, SRV,
 * DNAME), others as "type:  N". Stops at the first malformed record and
 * at cap (whole records only). Returns the text length ("" when no
 * answer); *count receives the number of answer records read. */
size_t sm_dns_results(const struct sm_dns_msg *m, char *out, size_t cap,
		      unsigned *count);

/* QueryStatus of a response: 0; 9000 + rcode; 9501 when NOERROR came
 * without answer records. */
unsigned sm_dns_status(unsigned rcode, unsigned answers);

#endif

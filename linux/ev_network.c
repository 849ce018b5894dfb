/* SPDX-License-Identifier: MIT */
/* NetworkConnect (3) from network records: a TCP connection (connect or
 * accept) or a UDP conversation. UDP conversations are logged once per
 * window (SM_UDP_WINDOW_DEFAULT_SEC, or -udpwindow), in the daemon's
 * conversation table. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "daemon.h"
#include "ev_who.h"
#include "events.h"
#include "loader.h"
#include "log.h"
#include "netconv.h"
#include "netfmt.h"
#include "netroute.h"
#include "portnames.h"
#include "record.h"
#include "resolver.h"
#include "sink.h"
#include "sm_fields.h"

/* One endpoint's fields as text. */
struct ep_text {
	char ip[SM_IP_TEXT_MAX];
	char port[8];
	char host[SM_RDNS_NAME_MAX];
	const char *port_name;
	bool named;
};

static void endpoint_text(struct sm_daemon *d, const struct sm_endpoint *e,
			  uint8_t proto, struct ep_text *t)
{
	sm_ep_ip_text(e, t->ip, sizeof(t->ip));
	snprintf(t->port, sizeof(t->port), "%u", e->port);
	t->port_name = sm_port_name(proto, e->port);
	t->named = sm_config_dns_lookup(d->cfg) &&
		   sm_rdns_name(e, t->host, sizeof(t->host));
}

static struct sm_str opt(const char *s)
{
	return s ? sm_cstr(s) : SM_STR("-");
}

static void fill_endpoints(struct sm_event *ev, const struct sm_conn *c,
			   const struct ep_text *src, const struct ep_text *dst)
{
	ev->f[SM_NETWORKCONNECT_SOURCEISIPV6] =
		sm_conn_source(c)->v6 ? SM_STR("true") : SM_STR("false");
	ev->f[SM_NETWORKCONNECT_SOURCEIP] = sm_cstr(src->ip);
	ev->f[SM_NETWORKCONNECT_SOURCEHOSTNAME] = opt(src->named ? src->host : NULL);
	ev->f[SM_NETWORKCONNECT_SOURCEPORT] = sm_cstr(src->port);
	ev->f[SM_NETWORKCONNECT_SOURCEPORTNAME] = opt(src->port_name);
	ev->f[SM_NETWORKCONNECT_DESTINATIONISIPV6] =
		sm_conn_destination(c)->v6 ? SM_STR("true") : SM_STR("false");
	ev->f[SM_NETWORKCONNECT_DESTINATIONIP] = sm_cstr(dst->ip);
	ev->f[SM_NETWORKCONNECT_DESTINATIONHOSTNAME] =
		opt(dst->named ? dst->host : NULL);
	ev->f[SM_NETWORKCONNECT_DESTINATIONPORT] = sm_cstr(dst->port);
	ev->f[SM_NETWORKCONNECT_DESTINATIONPORTNAME] = opt(dst->port_name);
}

/* UDP: only the first batch of a conversation in the window. */
static bool udp_admit(struct sm_daemon *d, const struct sm_conn *c,
		      const struct sm_rec_net *n)
{
	struct sm_conv_key k;

	sm_conv_key_make(&k, c, n->a.pid, n->a.start);
	return sm_netconv_admit(d->udp, &k, n->h.ktime);
}

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_NET). */
const struct sm_attach sm_attach_net[] = {
	/* NetworkConnect (3), TCP: connect via the state tracepoint
	 * (sock:inet_sock_set_state, 4.15: tcp:tcp_set_state), accept at
	 * syscall exit */
	{ "sm_tcp_state", NULL, "inet_sock_set_state", SM_EV_NETWORK_CONNECT },
	{ "sm_accept_exit", "syscalls", "sys_exit_accept",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_accept4_exit", "syscalls", "sys_exit_accept4",
	  SM_EV_NETWORK_CONNECT },
	/* ... and through io_uring (6.3+: IORING_OP_ACCEPT at completion) */
	{ "sm_uring_submit", "io_uring", "io_uring_submit_req",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_uring_accept_submit", "io_uring", "io_uring_submit_req",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_uring_accept_done", "io_uring", "io_uring_complete",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_uring_overflow", "io_uring", "io_uring_cqe_overflow",
	  SM_EV_NETWORK_CONNECT },
	/* NetworkConnect (3), UDP: datagrams as they leave (any call); the
	 * send and connect calls note the socket's owner; datagrams received */
	{ "sm_udp_xmit", "net", "net_dev_queue", SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_connect",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_connect_exit", "syscalls", "sys_exit_connect",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_sendto",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_sendto_exit", "syscalls", "sys_exit_sendto",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_sendmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_sendmsg_exit", "syscalls", "sys_exit_sendmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_sendmmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_sendmmsg_exit", "syscalls", "sys_exit_sendmmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_recvfrom",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_recvfrom_exit", "syscalls", "sys_exit_recvfrom",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_recvmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_recvmsg_exit", "syscalls", "sys_exit_recvmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_sys_enter", "syscalls", "sys_enter_recvmmsg",
	  SM_EV_NETWORK_CONNECT },
	{ "sm_udp_recvmmsg_exit", "syscalls", "sys_exit_recvmmsg",
	  SM_EV_NETWORK_CONNECT },
	{ 0 } /* end */
};

void sm_on_net(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_net *n = SM_REC(r, struct sm_rec_net);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_NETWORK_CONNECT) };
	struct ep_text src, dst;
	char utc[SM_UTCTIME_LEN + 1];
	struct sm_who who;
	struct sm_conn c;

	if (!ev.type)
		return;
	sm_conn_from_rec(&c, n);
	if (c.proto == SM_IPPROTO_UDP && !udp_admit(d, &c, n))
		return;
	if (sm_ep_unspecified(&c.local))
		sm_route_source(&c.remote, &c.local);
	sm_who_of_pid(d, n->a.pid, n->a.start, n->a.tag, n->a.uid, 1, &who);
	sm_record_utctime(d, n->h.ktime, utc);
	endpoint_text(d, sm_conn_source(&c), c.proto, &src);
	endpoint_text(d, sm_conn_destination(&c), c.proto, &dst);
	ev.f[SM_NETWORKCONNECT_UTCTIME] = sm_cstr(utc);
	ev.f[SM_NETWORKCONNECT_PROCESSGUID] = sm_cstr(who.guid);
	ev.f[SM_NETWORKCONNECT_PROCESSID] = sm_cstr(who.pid);
	ev.f[SM_NETWORKCONNECT_IMAGE] = sm_who_image(&who);
	ev.f[SM_NETWORKCONNECT_USER] = sm_who_user(&who);
	ev.f[SM_NETWORKCONNECT_PROTOCOL] = sm_cstr(sm_proto_name(c.proto));
	ev.f[SM_NETWORKCONNECT_INITIATED] =
		c.initiated ? SM_STR("true") : SM_STR("false");
	fill_endpoints(&ev, &c, &src, &dst);
	sm_filter_and_log(d, &ev);
}

/* SPDX-License-Identifier: MIT */
#include "netroute.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One UDP socket per family, kept: each connect() re-targets it. */
static int route_fd[2] = { -1, -1 };

static int sock_for(int v6)
{
	if (route_fd[v6] < 0)
		route_fd[v6] = socket(v6 ? AF_INET6 : AF_INET,
				      SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return route_fd[v6];
}

int sm_route_source(const struct sm_endpoint *remote,
		    struct sm_endpoint *local)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = sock_for(remote->v6 != 0);

	if (fd < 0)
		return -errno;
	/* port 0 cannot be connected to; any port routes alike */
	len = sm_ep_sockaddr(remote, remote->port ? remote->port : 9, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len))
		return -errno;
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -errno;
	if (remote->v6)
		memcpy(local->addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	else
		memcpy(local->addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	local->v6 = remote->v6;
	return 0;
}

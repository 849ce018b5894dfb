/* SPDX-License-Identifier: MIT */
#include "users.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NSLOTS 256
#define NAME_LEN 64
#define RETRY_S 60 /* unknown uids are asked again after this */

struct slot {
	uint32_t uid;
	int used;
	int known;
	time_t checked;
	char name[NAME_LEN];
};

static struct slot slots[NSLOTS];

static void lookup(struct slot *s, uint32_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	s->uid = uid;
	s->used = 1;
	s->checked = time(NULL);
	s->known = getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res;
	if (s->known)
		snprintf(s->name, sizeof(s->name), "%s", pw.pw_name);
	else
		snprintf(s->name, sizeof(s->name), "%u", uid);
}

const char *sm_user_name(uint32_t uid)
{
	struct slot *s = &slots[(uid * 2654435761u) % NSLOTS];

	if (!s->used || s->uid != uid ||
	    (!s->known && time(NULL) - s->checked > RETRY_S))
		lookup(s, uid);
	return s->name;
}

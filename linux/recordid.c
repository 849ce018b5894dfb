/* SPDX-License-Identifier: MIT */
#include "recordid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "fsutil.h"
#include "log.h"

static char state_path[256]; /* empty: IDs are not persisted */

static int store(uint64_t mark)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%" PRIu64 "\n", mark);

	return sm_write_file_atomic(state_path, text, (size_t)n, 0600);
}

int sm_recid_open(struct sm_daemon *d, const char *path)
{
	char *text;
	uint64_t next = 0;
	int err;

	if (strlen(path) >= sizeof(state_path))
		return -ENAMETOOLONG;
	text = sm_read_file(path, 64, NULL);
	if (text) {
		char *end;

		next = strtoull(text, &end, 10);
		if (end == text)
			next = 0;
		free(text);
	} else if (errno != ENOENT) {
		return -errno;
	}
	strcpy(state_path, path);
	err = store(next + SM_RECID_BLOCK);
	if (err) {
		state_path[0] = '\0';
		return err;
	}
	d->record_id = next;
	d->record_id_limit = next + SM_RECID_BLOCK;
	return 0;
}

void sm_recid_reserve(struct sm_daemon *d)
{
	int err;

	if (!state_path[0]) {
		d->record_id_limit = UINT64_MAX;
		return;
	}
	err = store(d->record_id + SM_RECID_BLOCK);
	if (err) {
		/* keep logging: a repeated ID after a crash is better than
		 * losing events; say so once */
		sm_err("cannot store the EventRecordID mark in %s: %s; record "
		       "IDs may repeat after a crash", state_path, strerror(-err));
		state_path[0] = '\0';
		d->record_id_limit = UINT64_MAX;
		return;
	}
	d->record_id_limit = d->record_id + SM_RECID_BLOCK;
}

void sm_recid_close(struct sm_daemon *d)
{
	int err;

	if (!state_path[0])
		return;
	err = store(d->record_id);
	if (err)
		sm_err("cannot store the EventRecordID mark in %s: %s",
		       state_path, strerror(-err));
	state_path[0] = '\0';
}

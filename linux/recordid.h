/* SPDX-License-Identifier: MIT */
/* EventRecordID that continues across restarts, reinstalls and crashes,
 * and never repeats. The state file holds a high-water mark: IDs below it
 * may have been used. The service reserves IDs in blocks (the mark moves
 * one block ahead, with fsync, before any ID of the block is used), so a
 * crash makes the next start skip ahead rather than repeat; a clean stop
 * writes the exact next ID so nothing is skipped. */
#ifndef SM_RECORDID_H
#define SM_RECORDID_H

struct sm_daemon;

#define SM_RECID_BLOCK 65536u

/* Takes the next ID from path (0 when it does not exist yet) and reserves
 * a block. Returns 0 or a negative errno (then IDs start at 0 and are not
 * persisted; the caller says so). */
int sm_recid_open(struct sm_daemon *d, const char *path);
/* Called by sm_sink_log when d->record_id reaches d->record_id_limit. */
void sm_recid_reserve(struct sm_daemon *d);
/* Clean stop: store the exact next ID. */
void sm_recid_close(struct sm_daemon *d);

#endif

/* SPDX-License-Identifier: MIT */
/* uid -> user name, cached (NSS is only asked on a miss). */
#ifndef SM_USERS_H
#define SM_USERS_H

#include <stdint.h>

/* The name of uid, or its decimal text when it has none. The pointer is
 * valid until the next call. */
const char *sm_user_name(uint32_t uid);

#endif

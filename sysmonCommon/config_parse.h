/* SPDX-License-Identifier: MIT */
/* The libxml2 tree of a configuration to its AST (config_parse.c). */
#ifndef SM_CONFIG_PARSE_H
#define SM_CONFIG_PARSE_H

#include <stddef.h>
#include "config_stage.h"

struct _xmlDoc;

int sm_parse_doc(struct sm_parse *ps, struct _xmlDoc *doc);
/* Table indexes of the event types whose rule name is elem, in schema
 * order (at most max); returns how many. */
size_t sm_series(const char *elem, size_t *idx, size_t max);
#define SM_SERIES_MAX 8

#endif

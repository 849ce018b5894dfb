/* SPDX-License-Identifier: MIT */
/* schemaversion and the top-level options of a configuration
 * (config_options.c), for the parser. */
#ifndef SM_CONFIG_OPTIONS_H
#define SM_CONFIG_OPTIONS_H

#include "config_stage.h"

struct _xmlNode;

int sm_parse_version(struct sm_parse *ps, const char *s, int line);
int sm_parse_option(struct sm_parse *ps, struct _xmlNode *n);

#endif

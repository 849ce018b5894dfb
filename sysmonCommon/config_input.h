/* SPDX-License-Identifier: MIT */
/* The first stage of reading a configuration: its bytes to a libxml2
 * tree, and the tree's nodes as text and line numbers (config_input.c). */
#ifndef SM_CONFIG_INPUT_H
#define SM_CONFIG_INPUT_H

#include <stddef.h>
#include "config_stage.h"

struct _xmlDoc;
struct _xmlNode;

int sm_xml_load(struct sm_parse *ps, const char *buf, size_t len,
		struct _xmlDoc **doc);
/* Text of a node whose children may only be text or comments. */
int sm_node_text(struct sm_parse *ps, struct _xmlNode *n, const char **text,
		 size_t *len);
int sm_node_line(const struct sm_parse *ps, const struct _xmlNode *n);

#endif

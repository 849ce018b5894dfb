/* SPDX-License-Identifier: MIT */
/* The AST of a parsed configuration to its per-event-type rules
 * (rules_compile.c). */
#ifndef SM_RULES_COMPILE_H
#define SM_RULES_COMPILE_H

#include "config_stage.h"

int sm_rules_compile(struct sm_parse *ps);

#endif

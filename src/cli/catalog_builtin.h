/* SPDX-License-Identifier: MIT
 * catalog_builtin.h: the offense tables of data/ compiled into the binary (tools/embed.sh), and
 * the one function every front end uses to load them. */
#ifndef HC_CATALOG_BUILTIN_H
#define HC_CATALOG_BUILTIN_H

#include <stddef.h>

#include "catalog.h"

extern const struct hc_memfile hc_catalog_builtin[];
extern const size_t hc_catalog_builtin_n;

/* Load the built-in catalog, or, when dir is not NULL, every *.tsv under dir/ca and
 * dir/federal. Allocates the arena memory itself (freed by cli_catalog_free). On failure prints
 * the reason (naming file, line and cell) to stderr and returns a negative HC_E* code. */
int cli_catalog_load(struct hc_catalog *cat, const char *dir);
void cli_catalog_free(void);

#endif

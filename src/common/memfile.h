/* SPDX-License-Identifier: MIT
 * memfile.h: a file held in memory. tools/embed.sh compiles files into the binary as sorted tables
 * of these, with a count beside each (the offense tables, the notice texts, the OpenAPI document,
 * the public page and the console); the CLI makes them of files it reads from disk too. */
#ifndef HC_MEMFILE_H
#define HC_MEMFILE_H

#include <stddef.h>

struct hc_memfile {
    const char *path;          /* its name, for lookups and error messages: "index.html" */
    const char *ctype;         /* the Content-Type it is served with, by its extension, or NULL */
    const unsigned char *data; /* its bytes; a NUL follows them */
    size_t len;                /* without that NUL */
};

/* The file of table[0..n) named path, or NULL. */
const struct hc_memfile *hc_memfile_find(const struct hc_memfile *table, size_t n,
                                          const char *path);

#endif

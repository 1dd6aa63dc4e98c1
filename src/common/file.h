/* SPDX-License-Identifier: MIT
 * file.h: read a whole file into memory, the one way every part of holdcheck (and its tests)
 * does it. */
#ifndef HC_FILE_H
#define HC_FILE_H

#include <stddef.h>

#include "err.h"

/* Read the file at path ("-": standard input) into a malloc'd buffer, NUL-terminated, into
 * *out and its length (without the NUL) into *len; the caller frees *out. max (0: none) bounds
 * the length. Returns HC_OK; HC_EIO when it cannot be opened or read, HC_EINVAL when it is
 * longer than max, HC_ENOMEM; with d (may be NULL) naming path and why. *out is then NULL. */
int hc_file_read(const char *path, size_t max, char **out, size_t *len, struct hc_diag *d);

#endif

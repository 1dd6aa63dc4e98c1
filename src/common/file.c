/* SPDX-License-Identifier: MIT
 * file.c: reading a whole file (file.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

int hc_file_read(const char *path, size_t max, char **out, size_t *len, struct hc_diag *d)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    size_t n = 0, cap = 0;
    char *buf = NULL;
    int rc = HC_OK;

    *out = NULL;
    if (f == NULL)
        return hc_diag_set(d, path, "cannot open: ", strerror(errno)), HC_EIO;
    for (;;) {
        size_t got;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap ? cap * 2 : 65536);
            if (nb == NULL) {
                rc = HC_ENOMEM;
                break;
            }
            buf = nb;
            cap = cap ? cap * 2 : 65536;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (max > 0 && n > max) {
            char lim[48];
            snprintf(lim, sizeof lim, "%zu bytes", max);
            rc = hc_diag_set(d, path, "file larger than ", lim);
            break;
        }
        if (got == 0)
            break;
    }
    if (rc == HC_OK && ferror(f)) {
        hc_diag_set(d, path, "cannot read: ", strerror(errno));
        rc = HC_EIO;
    }
    if (!is_stdin)
        fclose(f);
    if (rc != HC_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return HC_OK;
}

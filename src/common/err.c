/* SPDX-License-Identifier: MIT
 * err.c: error texts and the fixed-size diagnostic record. */
#include "err.h"

#include <string.h>

const char *hc_strerror(int rc)
{
    switch (rc) {
    case HC_OK: return "ok";
    case HC_EINVAL: return "invalid input";
    case HC_ENOMEM: return "out of memory or over a limit";
    case HC_ENOSPC: return "output buffer too small";
    case HC_ENOENT: return "not found";
    case HC_EIO: return "input/output error";
    case HC_ERANGE: return "value out of range";
    default: return "unknown error";
    }
}

void hc_diag_clear(struct hc_diag *d)
{
    if (d == NULL)
        return;
    d->line = 0;
    d->field[0] = '\0';
    d->msg[0] = '\0';
}

static void copy_trunc(char *dst, size_t cap, size_t at, const char *src)
{
    size_t n = strlen(src);
    if (at >= cap)
        return;
    if (n > cap - 1 - at)
        n = cap - 1 - at;
    memcpy(dst + at, src, n);
    dst[at + n] = '\0';
}

int hc_diag_set(struct hc_diag *d, const char *field, const char *msg, const char *msg2)
{
    if (d == NULL)
        return HC_EINVAL;
    copy_trunc(d->field, sizeof d->field, 0, field ? field : "");
    copy_trunc(d->msg, sizeof d->msg, 0, msg ? msg : "");
    if (msg2 != NULL)
        copy_trunc(d->msg, sizeof d->msg, strlen(d->msg), msg2);
    return HC_EINVAL;
}

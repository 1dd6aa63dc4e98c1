/* SPDX-License-Identifier: MIT
 * err.h: the one error convention of holdcheck. Fallible functions return 0 (or a count) on
 * success and a negative HC_E* code on failure; detail for the person who must fix the input
 * goes in a fixed-size struct hc_diag, so reporting an error never allocates. */
#ifndef HC_ERR_H
#define HC_ERR_H

#include <stddef.h>

enum hc_err {
    HC_OK = 0,
    HC_EINVAL = -1, /* invalid input; hc_diag says which field and why */
    HC_ENOMEM = -2, /* an arena or buffer limit was reached */
    HC_ENOSPC = -3, /* an output buffer was too small */
    HC_ENOENT = -4, /* no such thing */
    HC_EIO = -5,    /* reading or writing failed */
    HC_ERANGE = -6, /* a value is outside what the law or the program covers */
};

/* Return a static, lower-case description of rc (one of enum hc_err). */
const char *hc_strerror(int rc);

/* Where and why input was rejected. `field` is a path such as "person.convictions[2].date". */
struct hc_diag {
    int line;         /* 1-based input line, 0 when not known */
    char field[96];   /* the offending field, "" when the input as a whole is at fault */
    char msg[224];    /* lower case, no full stop */
};

/* Reset d to "no error". d may be NULL, which makes every hc_diag_* call a no-op. */
void hc_diag_clear(struct hc_diag *d);

/* Record field and message in d (truncating either if too long); `msg2`, when not NULL, is
 * appended to msg. Returns HC_EINVAL so callers can write `return hc_diag_set(...)`. */
int hc_diag_set(struct hc_diag *d, const char *field, const char *msg, const char *msg2);

#endif

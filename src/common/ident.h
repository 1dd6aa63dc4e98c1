/* SPDX-License-Identifier: MIT
 * ident.h: the identifiers holdcheck takes from outside (booking numbers, user names), with their
 * limits in one place, so the API, the portal, the importer and the CLI accept the same ones;
 * and the lookup of a name (a request type, a notice key) in a table of names. */
#ifndef HC_IDENT_H
#define HC_IDENT_H

#include <stddef.h>
#include <string.h>

#define HC_BOOKING_NO_MAX 40 /* bytes */
#define HC_USER_NAME_MAX 64  /* bytes */

/* What a caller says when hc_booking_no_valid or hc_user_name_valid refuses a value. */
#define HC_BOOKING_NO_RULE "use 1-40 letters, digits, '-', '_' or '.'"
#define HC_USER_NAME_RULE "use 1-64 letters, digits, '.', '_', '-' or '@'"

/* Whether s[0..n) is a booking number: 1-40 of A-Z a-z 0-9 - _ . */
int hc_booking_no_valid(const char *s, size_t n);

/* Whether s[0..n) is a user name: 1-64 of A-Z a-z 0-9 . _ - @ */
int hc_user_name_valid(const char *s, size_t n);

/* The index of the name s[0..n) in names[0..count), or -1 when it is none of them. */
static inline int hc_name_index(const char *const *names, size_t count, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return (int)i;
    return -1;
}

#endif

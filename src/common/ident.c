/* SPDX-License-Identifier: MIT
 * ident.c: booking numbers and user names (ident.h). */
#include "ident.h"

static int word_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

int hc_booking_no_valid(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > HC_BOOKING_NO_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (!word_char(s[i]))
            return 0;
    return 1;
}

int hc_user_name_valid(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > HC_USER_NAME_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (!word_char(s[i]) && s[i] != '@')
            return 0;
    return 1;
}

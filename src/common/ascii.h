/* SPDX-License-Identifier: MIT
 * ascii.h: character classes of ASCII bytes, independent of the C locale (<ctype.h> depends on
 * it and wants an unsigned char): for parsers of citations and other text systems write. */
#ifndef HC_ASCII_H
#define HC_ASCII_H

/* Whether c is '0'..'9'. */
static inline int hc_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether c is 'A'..'Z'. */
static inline int hc_is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* c in lower case when it is 'A'..'Z', else c. */
static inline char hc_to_lower(char c)
{
    return hc_is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

#endif

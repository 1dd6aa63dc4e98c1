/* SPDX-License-Identifier: MIT
 * namekey.c: folding names into search keys (namekey.h). Two tables map the Latin-1 Supplement
 * (U+00C0-U+00FF) and Latin Extended-A (U+0100-U+017F) to base letters; everything else is
 * decided by a few ranges. The invariant that keeps callers simple: no code point ever folds
 * to more bytes than its UTF-8 encoding, so the output fits in the input's length. */
#include <stddef.h>

#include "namekey.h"

/* U+00C0-U+00FF. "" is a separator (x and division sign). Two-letter folds are two bytes,
 * the same as the UTF-8 they replace. */
static const char latin1[64][3] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",      /* C0 */
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",      /* D0 */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",      /* E0 */
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",       /* F0 */
};

/* U+0100-U+017F. */
static const char latin_ext_a[128][3] = {
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",       /* 100 */
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",       /* 110 */
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",       /* 120 */
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",     /* 130 */
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",       /* 140 */
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",     /* 150 */
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",       /* 160 */
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",       /* 170 */
};

/* Decode one UTF-8 sequence at s[0..n) (n > 0): its code point into *cp and its length, or 0
 * for an invalid or truncated sequence (overlong forms and surrogates included). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned long c = s[0], min;
    size_t len, i;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        c &= 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (unsigned long)(s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/* Append the fold of s[0..len) to out at *pos (cap bytes, room for a NUL kept); pending says
 * whether a separator waits to be written before the next letter. 0, or -1 when out is full. */
static int fold_into(const char *s, size_t len, char *out, size_t cap, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = *pos;
    int pending = 0;

    while (i < len) {
        unsigned long cp = 0;
        size_t n = utf8_next(p + i, len - i, &cp), k;
        const char *fold = NULL; /* letters to write; NULL: copy the sequence; "": separator */
        char one[2] = {0, 0};

        if (n == 0) {
            fold = "";
            n = 1;
        } else if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                one[0] = c;
                fold = one;
            } else if (c == '\'' || c == '`') {
                i += n;
                continue; /* dropped: O'Brien is obrien */
            } else {
                fold = "";
            }
        } else if (cp == 0x2019 || cp == 0x02bc || (cp >= 0x0300 && cp <= 0x036f)) {
            i += n;
            continue; /* typographic apostrophes and combining marks */
        } else if (cp < 0xc0) {
            fold = ""; /* Latin-1 punctuation, no-break space, controls */
        } else if (cp < 0x100) {
            fold = latin1[cp - 0xc0];
        } else if (cp < 0x180) {
            fold = latin_ext_a[cp - 0x100];
        }
        if (fold != NULL && fold[0] == '\0') {
            pending = *pos > start;
            i += n;
            continue;
        }
        if (pending) {
            if (*pos + 1 >= cap)
                return -1;
            out[(*pos)++] = ' ';
            pending = 0;
        }
        if (fold == NULL) {
            if (*pos + n >= cap)
                return -1;
            for (k = 0; k < n; k++)
                out[(*pos)++] = s[i + k];
        } else {
            for (k = 0; fold[k] != '\0'; k++) {
                if (*pos + 1 >= cap)
                    return -1;
                out[(*pos)++] = fold[k];
            }
        }
        i += n;
    }
    return 0;
}

long hc_namekey_fold(const char *s, size_t len, char *out, size_t cap)
{
    size_t pos = 0;
    if (cap == 0)
        return -1;
    if (fold_into(s, len, out, cap, &pos) != 0) {
        out[0] = '\0';
        return -1;
    }
    out[pos] = '\0';
    return (long)pos;
}

long hc_namekey(const char *name, size_t len, char *out, size_t cap)
{
    size_t pos = 0, comma = 0;
    if (cap == 0)
        return -1;
    while (comma < len && name[comma] != ',')
        comma++;
    if (fold_into(name, comma, out, cap, &pos) != 0 || pos + 1 >= cap)
        goto full;
    out[pos++] = HC_NAMEKEY_SEP;
    if (comma < len && fold_into(name + comma + 1, len - comma - 1, out, cap, &pos) != 0)
        goto full;
    out[pos] = '\0';
    return (long)pos;
full:
    out[0] = '\0';
    return -1;
}

int hc_namekey_prefix_distance(const char *a, size_t alen, const char *b, size_t blen, int limit)
{
    /* d[i][j]: distance of a[0..i) from b[0..j); three rows suffice for the swap. */
    int rows[3][HC_NAMEKEY_DISTANCE_MAX_LEN + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2], best = limit + 1;
    size_t i, j;

    if (alen > HC_NAMEKEY_DISTANCE_MAX_LEN || blen > HC_NAMEKEY_DISTANCE_MAX_LEN || limit < 0)
        return limit + 1;
    for (j = 0; j <= blen; j++)
        prev[j] = (int)j;
    for (i = 1; i <= alen; i++) {
        int *t, row_min;
        cur[0] = (int)i;
        row_min = cur[0];
        for (j = 1; j <= blen; j++) {
            int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > limit)
            return limit + 1;
        t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    for (j = 0; j <= blen; j++)
        if (prev[j] < best)
            best = prev[j];
    return best <= limit ? best : limit + 1;
}

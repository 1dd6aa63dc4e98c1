/* SPDX-License-Identifier: MIT
 * json.h: the one JSON string escaper. Every JSON document holdcheck writes by hand (decisions,
 * API answers, public records, audit payloads, exports) quotes its strings through it, so all of
 * them treat odd input the same way. */
#ifndef HC_JSON_H
#define HC_JSON_H

#include <stddef.h>

/* Where escaped output goes: append s[0..n) to whatever ctx is. */
typedef void hc_json_sink(void *ctx, const char *s, size_t n);

/* Write s[0..n) to put(ctx, ...) as a JSON string literal, quotes included:
 * - '"' and '\\' are escaped, and so are \b \f \n \r \t;
 * - other bytes below 0x20 become \u00XX (upper-case hex, as jansson writes them);
 * - a byte that does not start a well-formed UTF-8 sequence (overlong forms, surrogates and
 *   code points above U+10FFFF included) becomes U+FFFD, so the output is always valid JSON
 *   and valid UTF-8 whatever the input;
 * - everything else is copied as it is, in runs (one put per run).
 * NUL bytes inside s[0..n) are written as \u0000. */
void hc_json_escape(hc_json_sink *put, void *ctx, const char *s, size_t n);

/* The length of the well-formed UTF-8 sequence at s[0..n), or 0 when s does not start one. */
size_t hc_utf8_seq_len(const unsigned char *s, size_t n);

/* Whether s[0..n) is all well-formed UTF-8 (as hc_utf8_seq_len reads it). */
static inline int hc_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len;
    while (n > 0) {
        if (*p < 0x80) { /* ASCII, nearly every byte of a jail's records: no call */
            p++;
            n--;
            continue;
        }
        if ((len = hc_utf8_seq_len(p, n)) == 0)
            return 0;
        p += len;
        n -= len;
    }
    return 1;
}

#endif

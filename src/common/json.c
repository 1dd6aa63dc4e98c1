/* SPDX-License-Identifier: MIT
 * json.c: the JSON string escaper (json.h). */
#include "json.h"

size_t hc_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len, i;

    if (n == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4;
    else
        return 0; /* a continuation byte, an overlong lead (C0, C1) or above U+10FFFF (F5-FF) */
    if (len > n)
        return 0;
    for (i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) || (c == 0xf0 && s[1] < 0x90) ||
        (c == 0xf4 && s[1] >= 0x90))
        return 0; /* overlong, surrogate, or above U+10FFFF */
    return len;
}

void hc_json_escape(hc_json_sink *put, void *ctx, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;

    put(ctx, "\"", 1);
    while (p < end) {
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        size_t len = 2, seq;
        unsigned char c = *p;

        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            p++;
            continue;
        }
        if (c >= 0x80) {
            seq = hc_utf8_seq_len(p, (size_t)(end - p));
            if (seq > 0) {
                p += seq;
                continue;
            }
        }
        put(ctx, (const char *)run, (size_t)(p - run));
        p++;
        run = p;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            if (c >= 0x80) { /* not well-formed UTF-8 */
                put(ctx, "\xef\xbf\xbd", 3);
                continue;
            }
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        put(ctx, esc, len);
    }
    put(ctx, (const char *)run, (size_t)(p - run));
    put(ctx, "\"", 1);
}

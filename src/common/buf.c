/* SPDX-License-Identifier: MIT
 * buf.c: bounded append-only text buffer. */
#include "buf.h"

#include <string.h>

void hc_buf_init(struct hc_buf *b, char *mem, size_t cap)
{
    b->data = mem;
    b->len = 0;
    b->cap = cap;
    b->full = 0;
}

void hc_buf_put(struct hc_buf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        b->full = 1;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void hc_buf_puts(struct hc_buf *b, const char *s)
{
    hc_buf_put(b, s, strlen(s));
}

void hc_buf_putc(struct hc_buf *b, char c)
{
    if (b->len >= b->cap) {
        b->full = 1;
        return;
    }
    b->data[b->len++] = c;
}

void hc_buf_putu_w(struct hc_buf *b, unsigned long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0 && n < (int)sizeof tmp);
    while (n < width && n < (int)sizeof tmp)
        tmp[n++] = '0';
    while (n > 0)
        hc_buf_putc(b, tmp[--n]);
}

void hc_buf_putu(struct hc_buf *b, unsigned long v)
{
    hc_buf_putu_w(b, v, 1);
}

void hc_buf_put_jstr(struct hc_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;

    hc_buf_putc(b, '"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        hc_buf_put(b, s + run, i - run);
        run = i + 1;
        hc_buf_putc(b, '\\');
        switch (c) {
        case '"': hc_buf_putc(b, '"'); break;
        case '\\': hc_buf_putc(b, '\\'); break;
        case '\n': hc_buf_putc(b, 'n'); break;
        case '\r': hc_buf_putc(b, 'r'); break;
        case '\t': hc_buf_putc(b, 't'); break;
        default:
            hc_buf_puts(b, "u00");
            hc_buf_putc(b, hex[c >> 4]);
            hc_buf_putc(b, hex[c & 15]);
        }
    }
    hc_buf_put(b, s + run, n - run);
    hc_buf_putc(b, '"');
}

const char *hc_buf_cstr(struct hc_buf *b)
{
    if (b->len >= b->cap) {
        b->full = 1;
        b->len = b->cap - 1;
    }
    b->data[b->len] = '\0';
    return b->data;
}

/* SPDX-License-Identifier: MIT
 * buf.c: bounded append-only text buffer. */
#include "buf.h"
#include "json.h"

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

void hc_buf_puts_text(struct hc_buf *b, const char *s)
{
    for (; s != NULL && *s; s++)
        hc_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
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

static void buf_sink(void *ctx, const char *s, size_t n)
{
    hc_buf_put(ctx, s, n);
}

void hc_buf_put_jstr(struct hc_buf *b, const char *s, size_t n)
{
    hc_json_escape(buf_sink, b, s, n);
}

void hc_buf_put_html(struct hc_buf *b, const char *s, size_t n)
{
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        const char *e;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        default: continue;
        }
        hc_buf_put(b, s + run, i - run);
        hc_buf_puts(b, e);
        run = i + 1;
    }
    hc_buf_put(b, s + run, n - run);
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

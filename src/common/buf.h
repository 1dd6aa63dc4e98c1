/* SPDX-License-Identifier: MIT
 * buf.h: a bounded text buffer over memory the caller owns. Appends never allocate: once the
 * buffer is full further appends are dropped and `full` is set, so a writer can build a whole
 * document and check once at the end. Used by core to render decisions without stdio. */
#ifndef HC_BUF_H
#define HC_BUF_H

#include <stddef.h>

struct hc_buf {
    char *data;   /* borrowed; not NUL-terminated unless hc_buf_cstr is called */
    size_t len;
    size_t cap;
    int full;     /* set when an append did not fit */
};

/* Start an empty buffer over mem[0..cap). mem must outlive b. */
void hc_buf_init(struct hc_buf *b, char *mem, size_t cap);
/* Append n bytes of s. */
void hc_buf_put(struct hc_buf *b, const char *s, size_t n);
/* Append the NUL-terminated string s. */
void hc_buf_puts(struct hc_buf *b, const char *s);
/* Append the NUL-terminated string s (nothing when s is NULL) as text for a mail or a line of
 * plain text: each control character (below 0x20, and DEL) written as a space, so that a
 * value can neither break a header line nor start one. */
void hc_buf_puts_text(struct hc_buf *b, const char *s);
/* Append one byte. */
void hc_buf_putc(struct hc_buf *b, char c);
/* Append v in decimal. */
void hc_buf_putu(struct hc_buf *b, unsigned long v);
/* Append v in decimal, zero-padded to at least width digits. */
void hc_buf_putu_w(struct hc_buf *b, unsigned long v, int width);
/* Append s[0..n) as a JSON string literal, quotes included, escaped by hc_json_escape. */
void hc_buf_put_jstr(struct hc_buf *b, const char *s, size_t n);
/* Append s[0..n) escaped for HTML text and quoted attribute values: & < > " ' as entities. */
void hc_buf_put_html(struct hc_buf *b, const char *s, size_t n);

/* NUL-terminate the contents (taking the last byte if full) and return them. cap must be > 0. */
const char *hc_buf_cstr(struct hc_buf *b);

#endif

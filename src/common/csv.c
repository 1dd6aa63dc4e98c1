/* SPDX-License-Identifier: MIT
 * csv.c: CSV cells (csv.h). */
#include <string.h>

#include "csv.h"
#include "json.h"

int hc_csv_formula(const char *s)
{
    return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void hc_csv_cell(struct hc_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end;
    int formula, quote;
    if (s == NULL)
        return;
    end = p + strlen(s);
    formula = hc_csv_formula(s);
    quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        hc_buf_putc(b, '"');
    if (formula)
        hc_buf_putc(b, '\'');
    while (p < end) {
        size_t n = hc_utf8_seq_len(p, (size_t)(end - p));
        if (n == 0) {
            hc_buf_put(b, "\xef\xbf\xbd", 3);
            p++;
            continue;
        }
        if (*p == '"')
            hc_buf_putc(b, '"');
        hc_buf_put(b, (const char *)p, n);
        p += n;
    }
    if (quote)
        hc_buf_putc(b, '"');
}

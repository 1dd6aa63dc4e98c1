/* SPDX-License-Identifier: MIT
 * url.c: the URL parser (url.h). */
#include <string.h>

#include "url.h"

static int lower_eq(const char *s, const char *lit, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[i])
            return 0;
    }
    return 1;
}

static int host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-';
}

int hc_ipv4_private(const unsigned char a[4])
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224;
}

int hc_url_parse(const char *s, struct hc_url *u, const char *field, struct hc_diag *d)
{
    size_t n = strlen(s), i, hl;
    const char *h, *p, *hstart;

    if (n > HC_URL_MAX)
        return hc_diag_set(d, field, "longer than 2048 bytes", NULL);
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return hc_diag_set(d, field, "only printable ASCII, no spaces", NULL);
    memset(u, 0, sizeof *u);
    if (n >= 8 && lower_eq(s, "https://", 8)) {
        memcpy(u->scheme, "https", 6);
        u->port = 443;
        h = s + 8;
    } else if (n >= 7 && lower_eq(s, "http://", 7)) {
        memcpy(u->scheme, "http", 5);
        u->port = 80;
        h = s + 7;
    } else {
        return hc_diag_set(d, field, "expected an http:// URL", NULL);
    }
    if (*h == '[') {
        p = strchr(h, ']');
        if (p == NULL || p == h + 1)
            return hc_diag_set(d, field, "bad IPv6 host", NULL);
        hstart = h + 1;
        hl = (size_t)(p - hstart);
        u->ipv6 = 1;
        p++;
    } else {
        for (p = h; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#'; p++)
            if (!host_char(*p))
                return hc_diag_set(d, field, "bad host name", NULL);
        if (p == h)
            return hc_diag_set(d, field, "no host", NULL);
        hstart = h;
        hl = (size_t)(p - h);
    }
    if (hl >= sizeof u->host)
        return hc_diag_set(d, field, "host name too long", NULL);
    memcpy(u->host, hstart, hl);
    u->host[hl] = '\0';
    if (*p == ':') {
        long port = 0;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9' && port <= 65535)
            port = port * 10 + (*q++ - '0');
        if (q == p + 1 || port < 1 || port > 65535 || (*q && *q != '/' && *q != '?'))
            return hc_diag_set(d, field, "bad port", NULL);
        u->port = (int)port;
        p = q;
    }
    if (strchr(p, '#') != NULL)
        return hc_diag_set(d, field, "no fragment (#) in a webhook URL", NULL);
    if (*p != '\0' && *p != '/' && *p != '?')
        return hc_diag_set(d, field, "bad URL", NULL);
    u->path = p;
    return HC_OK;
}

/* The value of hex digit c, or -1. */
int hc_url_hex_value(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decode s[0..n) into out (cap bytes, NUL-terminated), '+' as a space. HC_EINVAL for a
 * bad %XX, a NUL byte, or a result that does not fit. */
static int query_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == '+') {
            ch = ' ';
        } else if (ch == '%') {
            int hi = i + 2 < n ? hc_url_hex_value((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hc_url_hex_value((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return HC_EINVAL;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (ch == 0 || o + 1 >= cap)
            return HC_EINVAL;
        out[o++] = (char)ch;
    }
    out[o] = '\0';
    return HC_OK;
}

int hc_url_query(const char *q, size_t len, hc_url_query_fn fn, void *ctx, struct hc_diag *d)
{
    const char *end = q + len;
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q)), *eq;
        size_t n = amp ? (size_t)(amp - q) : (size_t)(end - q), nl;
        char name[HC_QUERY_NAME_MAX], value[HC_QUERY_VALUE_MAX];
        int rc;
        eq = memchr(q, '=', n);
        nl = eq ? (size_t)(eq - q) : n;
        if (n > 0) {
            if (query_decode(q, nl, name, sizeof name) != HC_OK)
                return hc_diag_set(d, "", "bad query parameter name", NULL);
            if (eq == NULL || n - nl - 1 == 0)
                return hc_diag_set(d, name, "must not be empty", NULL);
            if (query_decode(eq + 1, n - nl - 1, value, sizeof value) != HC_OK)
                return hc_diag_set(d, name, "bad or too long value", NULL);
            if ((rc = fn(ctx, name, value, d)) != HC_OK)
                return rc;
        }
        q += n + 1;
    }
    return HC_OK;
}

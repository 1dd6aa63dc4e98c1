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

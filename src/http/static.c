/* SPDX-License-Identifier: MIT
 * static.c: the public web page (web/public, embedded at build time): each file with a strong
 * ETag computed once at start, immutable caching for content-hashed names, and the page's CSP.
 * Its routes match any path of one or two segments, so the router lists them last. */
#include <h2o.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "routes.h"
#include "portal.h"
#include "public.h"

static const char page_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

static char (*etags)[36]; /* per embedded file: "\"hex32\"", set by http__static_start */

int http__static_start(void)
{
    size_t i;
    etags = calloc(http_web_files_n ? http_web_files_n : 1, sizeof *etags);
    if (etags == NULL)
        return HC_ENOMEM;
    for (i = 0; i < http_web_files_n; i++) {
        unsigned char h[16];
        char hex[33];
        crypto_generichash(h, sizeof h, http_web_files[i].data, http_web_files[i].len, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        snprintf(etags[i], sizeof etags[i], "\"%s\"", hex);
    }
    return HC_OK;
}

void http__static_stop(void)
{
    free(etags);
    etags = NULL;
}

/* Whether a file name carries a content hash ("app.3f9a1c2e.js"): 8+ hex digits between dots. */
static int hashed_name(const char *path)
{
    const char *base = strrchr(path, '/'), *p;
    base = base ? base + 1 : path;
    for (p = strchr(base, '.'); p != NULL; p = strchr(p + 1, '.')) {
        const char *q = p + 1;
        size_t n = 0;
        while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f')) {
            q++;
            n++;
        }
        if (n >= 8 && *q == '.')
            return 1;
    }
    return 0;
}

int h_static(struct http_call *c)
{
    h2o_iovec_t p = c->req->path_normalized;
    const char *name;
    size_t n, lo = 0, hi = http_web_files_n;

    if (p.len == 1) {
        name = "index.html";
        n = 10;
    } else {
        name = p.base + 1;
        n = p.len - 1;
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *f = http_web_files[mid].path;
        size_t fl = strlen(f);
        int cmp = memcmp(f, name, fl < n ? fl : n);
        if (cmp == 0)
            cmp = fl < n ? -1 : fl > n ? 1 : 0;
        if (cmp == 0) {
            const struct hc_memfile *wf = &http_web_files[mid];
            http__add_header_str(c->req, "cross-origin-opener-policy", "same-origin");
            http__send_cached(c->req, wf->ctype, (const char *)wf->data, wf->len,
                        hashed_name(wf->path) ? "public, max-age=31536000, immutable" : "no-cache",
                        etags ? etags[mid] : NULL, page_csp, 0);
            return HC_OK;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    http__problem(c->req, 404, "no such route", NULL);
    return HC_OK;
}

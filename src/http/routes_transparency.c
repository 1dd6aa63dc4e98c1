/* SPDX-License-Identifier: MIT
 * routes_transparency.c: the public transparency page, GET /transparency?year=&lang= (HTML)
 * and GET /api/v1/public/transparency.csv?year=&lang= (the same figures as CSV), when the
 * agency publishes it (the setting transparency_page). The handlers decode the query and call
 * transparency_render (src/app/transparency.h). A page costs three reports, so it is kept in
 * the answer cache until the records change or TRANSPARENCY_KEEP_MS passes, and a request for
 * it takes TRANSPARENCY_COST rate-limit tokens (routes.c). */
#include <h2o.h>
#include <stdlib.h>
#include <string.h>

#include "agency_conf.h"
#include "clock.h"
#include "transparency.h"

#include "portal.h"
#include "routes.h"

/* How long a page is kept at most: a write forgets it at once, whether made by this server
 * (router.c) or by another process (http__cache_sync). */
#define TRANSPARENCY_KEEP_MS ((int64_t)10 * 60 * 1000)

/* The page styles itself inline and has no script. */
#define TRANSPARENCY_CSP "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

static int answer(struct http_call *c, enum transparency_format format)
{
    static const char *const ctype[] = {"text/html; charset=utf-8", "text/csv; charset=utf-8"};
    struct http_query_param p[] = {{"year", "", 0}, {"lang", "", 0}};
    struct transparency_query q;
    struct http_cache_hit hit;
    char *text = NULL, tag[36];
    size_t len = 0;
    int64_t year = 0;
    int rc, keep;

    if (c->w->agency == NULL || !c->w->agency->transparency_public) {
        http__pub_problem(c->req, 404, "this agency does not publish a transparency page", NULL);
        return HC_OK;
    }
    /* Forget the kept pages when another process (an import) changed the records. */
    keep = http__cache_sync(c);
    if (keep && http_cache_get(c->w->cache, HTTP_CACHE_PUBLIC, c->req->path.base,
                               c->req->path.len, hc_clock_mono_ms(), http__pool_alloc,
                               &c->req->pool, &hit)) {
        http__send_cached(c->req, ctype[format], hit.body, hit.len, "public, max-age=300",
                          hit.tag, TRANSPARENCY_CSP, format == TRANSPARENCY_CSV);
        return HC_OK;
    }
    memset(&q, 0, sizeof q);
    if ((rc = http__parse_query(c->req, p, HTTP_NKEYS(p), &c->diag)) != HC_OK ||
        (p[0].present && (rc = http__query_int(&p[0], 2014, 9999, &year, &c->diag)) != HC_OK)) {
        http__pub_problem_rc(c->req, rc, &c->diag);
        return HC_OK;
    }
    q.year = (int)year;
    q.lang = p[1].present ? p[1].value : NULL;
    q.format = format;
    q.page_path = "/transparency";
    q.csv_path = "/api/v1/public/transparency.csv";
    if ((rc = transparency_render(c->w->st, &q, &text, &len, &c->diag)) != HC_OK) {
        http__pub_problem_rc(c->req, rc, &c->diag);
        return HC_OK;
    }
    http__body_etag(text, len, tag);
    if (keep)
        http_cache_put(c->w->cache, HTTP_CACHE_PUBLIC, c->req->path.base, c->req->path.len, text,
                       len, tag, &c->cache_view, hc_clock_mono_ms(), TRANSPARENCY_KEEP_MS);
    http__send_cached(c->req, ctype[format], text, len, "public, max-age=300", tag,
                      TRANSPARENCY_CSP, format == TRANSPARENCY_CSV);
    free(text);
    return HC_OK;
}

int h_transparency(struct http_call *c)
{
    return answer(c, TRANSPARENCY_HTML);
}

int h_transparency_csv(struct http_call *c)
{
    return answer(c, TRANSPARENCY_CSV);
}

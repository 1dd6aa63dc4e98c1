/* SPDX-License-Identifier: MIT
 * router.c: the dispatcher that matches a path against the table of routes (routes.c),
 * authenticates and authorises before any handler runs, and checks the body's size and type.
 * A route's number (for /metrics and `holdcheck routes`) is its place in that table. */
#include <h2o.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "http.h"
#include "http_int.h"
#include "portal.h"
#include "review.h"
#include "routes.h"


/* Route i, or NULL past the end. */
static const struct http_route *route_at(size_t i)
{
    return i < http_nroutes ? &http_routes[i] : NULL;
}

size_t http_route_count(void)
{
    return http_nroutes;
}

int http_route_get(size_t i, const char **method, const char **pattern, int *roles)
{
    const struct http_route *r = route_at(i);
    if (r == NULL)
        return HC_ENOENT;
    *method = r->method;
    *pattern = r->pattern;
    *roles = r->roles;
    return HC_OK;
}

const char *http_route_body(size_t i)
{
    const struct http_route *r = route_at(i);
    if (r == NULL)
        return NULL;
    return r->body == HTTP_BODY_JSON ? "json" : r->body == HTTP_BODY_EMPTY ? "empty" : "none";
}

/* text (malloc'd, consumed) followed by the pool's figures (offload.h): jobs running and
 * waiting now, and jobs done and refused since start. NULL when out of memory. */
static char *metrics_add_offload(char *text, struct http_offload *p)
{
    struct http_offload_stats s;
    size_t len = strlen(text);
    int n;
    char *t;
    http_offload_stats(p, &s);
    if ((t = realloc(text, len + 600)) == NULL) {
        free(text);
        return NULL;
    }
    n = snprintf(t + len, 600,
                 "# HELP holdcheck_offload_jobs Jobs of the blocking-work pool, by state.\n"
                 "# TYPE holdcheck_offload_jobs gauge\n"
                 "holdcheck_offload_jobs{state=\"running\"} %lu\n"
                 "holdcheck_offload_jobs{state=\"queued\"} %lu\n"
                 "# HELP holdcheck_offload_jobs_total Jobs of the blocking-work pool since start.\n"
                 "# TYPE holdcheck_offload_jobs_total counter\n"
                 "holdcheck_offload_jobs_total{result=\"done\"} %lu\n"
                 "holdcheck_offload_jobs_total{result=\"refused\"} %lu\n",
                 s.running, s.queued, s.done, s.refused);
    if (n < 0 || n >= 600)
        t[len] = '\0';
    return t;
}

int h_metrics(struct http_call *c)
{
    const char *methods[HTTP_METRICS_ROUTES], *patterns[HTTP_METRICS_ROUTES];
    struct http_cache_stats cs;
    struct store_outcome_counts oc;
    size_t i, n = http_route_count();
    int have_oc;
    char *text;
    if (n > HTTP_METRICS_ROUTES - 1)
        n = HTTP_METRICS_ROUTES - 1;
    for (i = 0; i < n; i++) {
        const struct http_route *r = route_at(i);
        methods[i] = r ? r->method : "";
        patterns[i] = r ? r->pattern : "";
    }
    if (c->w->cache != NULL)
        http_cache_stats(c->w->cache, &cs);
    have_oc = review_outcome_counts(c->w->st, &oc) == HC_OK;
    text = http__metrics_render(c->w->metrics, methods, patterns, n,
                                c->w->cache != NULL ? &cs : NULL, have_oc ? &oc : NULL);
    if (text == NULL) {
        http__problem(c->req, 500, "out of memory", NULL);
        return HC_OK;
    }
    text = metrics_add_offload(text, c->w->offload);
    if (text == NULL) {
        http__problem(c->req, 500, "out of memory", NULL);
        return HC_OK;
    }
    http__respond(c->req, 200, "text/plain; version=0.0.4", text, strlen(text));
    free(text);
    return HC_OK;
}

/* Whether path matches pattern; captures the {...} segment into c. */
static int match(const char *pattern, const char *path, size_t n, struct http_call *c)
{
    size_t pi = 0, i = 0, plen = strlen(pattern);
    c->param[0] = '\0';
    c->param_len = 0;
    while (pi < plen && i < n) {
        if (pattern[pi] == '{') {
            size_t s = i, k;
            while (i < n && path[i] != '/')
                i++;
            if (i == s)
                return 0;
            c->param_len = i - s;
            k = c->param_len < sizeof c->param ? c->param_len : sizeof c->param - 1;
            memcpy(c->param, path + s, k);
            c->param[k] = '\0';
            while (pi < plen && pattern[pi] != '}')
                pi++;
            pi++;
        } else if (pattern[pi] == path[i]) {
            pi++;
            i++;
        } else {
            return 0;
        }
    }
    return pi == plen && i == n;
}

static int method_is(h2o_req_t *req, const char *m)
{
    return h2o_memis(req->method.base, req->method.len, m, strlen(m));
}

/* POST bodies must be JSON: this also keeps a browser page from posting a plain HTML form to a
 * server on the user's own machine. */
static int is_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    h2o_iovec_t v;
    static const char want[] = "application/json";
    if (i < 0)
        return 0;
    v = req->headers.entries[i].value;
    if (v.len < sizeof want - 1 || strncasecmp(v.base, want, sizeof want - 1) != 0)
        return 0;
    return v.len == sizeof want - 1 || v.base[sizeof want - 1] == ';' ||
           v.base[sizeof want - 1] == ' ';
}

/* Authenticate, authorise and check the body of a routed request; then run the handler.
 * Returns 1 when the handler handed the request to the pool (its answer comes later), else 0
 * (answered). */
static int run_route(const struct http_route *r, struct http_call *c)
{
    h2o_req_t *req = c->req;
    int rc;

    if (!(r->roles & AUTH_PUBLIC)) {
        rc = http__authenticate(req, c->w, &c->who);
        if (rc == HC_ENOENT || rc == HC_EINVAL) {
            http__add_header_str(req, "www-authenticate", "Bearer realm=\"holdcheck\"");
            http__problem(req, 401, rc == HC_ENOENT ? "authentication required: send a bearer token or "
                                               "log in (POST /api/v1/session)"
                                             : "unknown, expired or disabled credentials", NULL);
            return 0;
        }
        if (rc != HC_OK) {
            http__problem(req, 500, "internal error; see the server log", NULL);
            return 0;
        }
        if (!(r->roles & c->who.role)) {
            char msg[120];
            snprintf(msg, sizeof msg, "the %s role may not use %s %s",
                     auth_role_name(c->who.role), r->method, r->pattern);
            http__problem(req, 403, msg, NULL);
            return 0;
        }
    }
    if (c->who.via_cookie && !method_is(req, "GET") && !http__csrf_ok(req)) {
        http__problem(req, 403, "cross-site request refused: send X-Requested-With or a matching "
                          "Origin", NULL);
        return 0;
    }
    if (r->body == HTTP_BODY_EMPTY && req->entity.len > 0) {
        http__problem(req, 400, "this route takes no request body", NULL);
        return 0;
    }
    if (r->body == HTTP_BODY_JSON && req->entity.base != NULL) {
        if (req->entity.len > c->w->max_body_bytes) {
            http__problem(req, 413, "request body larger than the server's limit (max_body_bytes)", NULL);
            return 0;
        }
        if (req->entity.len > 0 && !is_json(req)) {
            http__problem(req, 415, "send Content-Type: application/json", NULL);
            return 0;
        }
    }
    if (r->cost > 0 && !http__admit(req, r->cost))
        return 0;
    /* The path is read before the body: a malformed {id} is what the answer names, whatever
     * the body lacks. */
    if (r->in != NULL && strstr(r->pattern, "{id}") != NULL && http__param_id(c) == 0)
        return 0;
    rc = r->in != NULL ? http__decode_body(c, r->in) : HC_OK;
    if (rc == HC_OK)
        rc = r->handler(c);
    json_decref(c->body);
    c->body = NULL;
    if (rc == HTTP_OFFLOADED)
        return 1;
    if (rc != HC_OK)
        http__route_failed(c, rc);
    return 0;
}

void http__route_failed(struct http_call *c, int rc)
{
    if (c->route_flags & HTTP_R_CORS)
        http__add_header_str(c->req, "access-control-allow-origin", "*");
    http__problem_rc(c->req, rc, &c->diag);
}

/* Whether the Allow list allow ("GET, POST") names method already. */
static int allow_has(const char *allow, const char *method)
{
    size_t n = strlen(method);
    const char *p = allow;
    while ((p = strstr(p, method)) != NULL) {
        if ((p == allow || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
            return 1;
        p += n;
    }
    return 0;
}

/* Marks of changed staff records since a worker last looked that it forgets one by one; when
 * more follow (a large import, or a worker behind the marks the database deleted), it forgets
 * every staff record instead. Below the marks the database keeps, so that a worker a few
 * thousand changes behind still forgets only what changed. */
#define CACHE_FORGET_MAX 4096
_Static_assert(CACHE_FORGET_MAX < STORE_MARKS_KEPT, "a worker behind fewer marks than kept "
                                                    "forgets them one by one");

static void forget_record(void *ctx, const char *booking_no, size_t len)
{
    http_cache_invalidate_key(ctx, HTTP_CACHE_STAFF, booking_no, len);
}

/* Bring the cache in step with what w's connection sees: when the database's version moved
 * since w last looked, forget every public answer and the staff record of each booking marked
 * changed since (every staff record when there are too many, or the marks cannot be read).
 * Returns 1 when w's view of the database is known, 0 when the version cannot be read.
 *
 * Why this is exact: c->cache_view is taken before the read transaction takes its snapshot.
 * Say another connection commits X, changing booking k, before a GET of k starts. The first
 * check on each worker whose snapshot includes X sees the version move and forgets k, so by
 * the time this GET looks up, k was forgotten after X committed (by this worker's check or an
 * earlier one). An answer for k kept since was kept under a view taken after that forgetting
 * (http_cache_put refuses older views), so its request read its data after X too. (Keeping
 * answers under a view taken after the check would not be exact: a check can pass on a
 * snapshot from before X while another worker forgets k in between.) */
static int cache_follow(struct http_worker *w)
{
    uint64_t v;
    int more = 0;
    if (service_version(w->st, &v) != HC_OK) {
        w->db_version_known = 0;
        return 0;
    }
    if (w->db_version_known && v == w->db_version)
        return 1;
    http_cache_invalidate(w->cache, HTTP_CACHE_PUBLIC);
    if (!w->change_seq_known) {
        w->change_seq = -1;
        more = 1;
    }
    if (service_changes(w->st, &w->change_seq, CACHE_FORGET_MAX, forget_record, w->cache,
                        &more) != HC_OK) {
        w->change_seq_known = 0;
        more = 1;
    } else {
        w->change_seq_known = 1;
    }
    if (more)
        http_cache_invalidate(w->cache, HTTP_CACHE_STAFF);
    w->db_version = v;
    w->db_version_known = 1;
    return 1;
}

int http__cache_sync(struct http_call *c)
{
    return c->w->cache != NULL && cache_follow(c->w);
}

/* After an answer to c: anything but a GET may have written, so no cached answer it changed
 * may outlive it (the next cached GET would notice too, but only on each worker that serves
 * one); and the request is counted. */
static void route_done(struct http_worker *w, h2o_req_t *req, size_t route, int64_t t0_us)
{
    if (w->cache != NULL && !method_is(req, "GET") && !method_is(req, "HEAD") &&
        !cache_follow(w)) {
        http_cache_invalidate(w->cache, HTTP_CACHE_PUBLIC);
        http_cache_invalidate(w->cache, HTTP_CACHE_STAFF);
    }
    http__metrics_observe(w->metrics, route, req->res.status,
                          (uint64_t)(hc_clock_mono_us() - t0_us));
}

void http__route_done(struct http_call *c)
{
    http__readlog_note(c);
    route_done(c->w, c->req, c->route, c->t0_us);
}

/* Route, authenticate, authorise and check the body; then run the handler, and unless it
 * handed the request to the pool, finish (route_done). t0_us: when the request came. */
static void dispatch(h2o_req_t *req, struct http_worker *w, int64_t t0_us)
{
    h2o_iovec_t p = req->path_normalized;
    struct http_call c;
    const struct http_route *r = NULL, *ri;
    char allow[64] = "";
    size_t i, taken = 0;
    int reading, later;

    /* The per-request context: like h2o's per-request pool, the scratch arena and the error
     * detail start empty for every request, so no handler sees what the last one left. */
    memset(&c, 0, sizeof c);
    c.req = req;
    c.w = w;
    hc_diag_clear(&c.diag);
    hc_arena_reset(&w->arena);
    for (i = 0; (ri = route_at(i)) != NULL; i++) {
        if (!match(ri->pattern, p.base, p.len, &c))
            continue;
        if (method_is(req, ri->method)) {
            r = ri;
            taken = i;
            break;
        }
        if (!allow_has(allow, ri->method)) {
            size_t len = strlen(allow);
            snprintf(allow + len, sizeof allow - len, "%s%s", len ? ", " : "", ri->method);
        }
    }
    if (r == NULL) {
        if (allow[0]) {
            http__add_header(req, H2O_TOKEN_ALLOW, allow);
            http__problem(req, 405, "method not allowed here", NULL);
        } else {
            http__problem(req, 404, "no such route", NULL);
        }
        http__metrics_observe(w->metrics, i, req->res.status,
                              (uint64_t)(hc_clock_mono_us() - t0_us));
        return;
    }
    c.route = taken;
    c.route_flags = r->flags;
    c.t0_us = t0_us;
    /* Before anything is read (cache_follow says why). */
    if (w->cache != NULL)
        http_cache_view(w->cache, &c.cache_view);
    /* A GET only reads: its token check and its handler's reads share one read transaction
     * (one snapshot, one WAL read lock instead of one per statement). */
    reading = method_is(req, "GET") && !(r->roles & AUTH_PUBLIC) &&
              service_read_begin(w->st) == HC_OK;
    later = run_route(r, &c);
    if (reading)
        service_read_end(w->st);
    if (!later)
        http__route_done(&c);
}

int http__on_req(h2o_handler_t *self, h2o_req_t *req)
{
    struct http_worker *w = http__worker(req);
    (void)self;

    /* The errordoc of h2o's own 413, or a body h2o let through because its limit is above
     * ours (HTTP/2 on, server.c): every route, whatever it does with a body. */
    if (h2o_memis(req->path_normalized.base, req->path_normalized.len,
                  H2O_STRLIT(HTTP_ERRDOC_413)) ||
        (req->entity.base != NULL && req->entity.len > w->max_body_bytes)) {
        http__problem(req, 413, "request body larger than the server's limit (max_body_bytes)", NULL);
        return 0;
    }
    /* HTTP/1.1 reads at most H2O_MAX_HEADERS header lines (h2o answers 400 past them); h2o
     * 2.2.5's HTTP/2 counts none, so the same bound is kept here. */
    if (req->headers.size > H2O_MAX_HEADERS) {
        http__problem(req, 400, "too many header fields", NULL);
        return 0;
    }
    dispatch(req, w, hc_clock_mono_us());
    return 0;
}

/* SPDX-License-Identifier: MIT
 * portal.c: what the public portal's route files share (portal.h): the configuration and the
 * cursor key, set up once by http_public_start before the workers start and read-only after;
 * cacheable answers (strong ETags, 304, the short-lived answer cache); problems other origins
 * may read; and the policy read every public answer starts with. */
#include <h2o.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "http_int.h"
#include "portal.h"
#include "public.h"
#include "public_read.h"
#include "publish.h"


#define PC_SECONDS_MAX 5         /* an answer is kept at most this long (and max_age) */

struct http_public *http__pub;

int http_public_start(const struct http_config *cfg, struct hc_diag *d)
{
    struct http_public *p;
    int burst, rate;
    if (sodium_init() < 0)
        return hc_diag_set(d, "", "libsodium failed to initialise", NULL), HC_EIO;
    if ((p = calloc(1, sizeof *p)) == NULL)
        return HC_ENOMEM;
    http__pub = p;
    rate = cfg->public_rate > 0 ? cfg->public_rate : 0;
    burst = cfg->public_burst > 0 ? cfg->public_burst : rate * 6;
    if (burst < HTTP_SUBSCRIBE_COST && rate > 0)
        burst = HTTP_SUBSCRIBE_COST;
    p->max_age = cfg->public_max_age >= 0 ? cfg->public_max_age : 60;
    p->allow_private = cfg->webhook_allow_private;
    p->email_off = cfg->email_off;
    p->sms_off = cfg->sms_off;
    if (cfg->sms_inbound_secret != NULL &&
        (p->sms_secret = strdup(cfg->sms_inbound_secret)) == NULL)
        goto oom;
    if (cfg->snapshot_dir != NULL && (p->snapshot_dir = strdup(cfg->snapshot_dir)) == NULL)
        goto oom;
    randombytes_buf(p->cursor_key, sizeof p->cursor_key);
    if (http__static_start() != HC_OK || http__ratelimit_start(rate, burst) != HC_OK)
        goto oom;
    p->pc_ms = 1000 * (p->max_age < PC_SECONDS_MAX ? p->max_age : PC_SECONDS_MAX);
    return HC_OK;
oom:
    http_public_stop();
    return HC_ENOMEM;
}

void http_public_stop(void)
{
    if (http__pub == NULL)
        return;
    http__ratelimit_stop();
    http__static_stop();
    free(http__pub->snapshot_dir);
    if (http__pub->sms_secret != NULL) {
        sodium_memzero(http__pub->sms_secret, strlen(http__pub->sms_secret));
        free(http__pub->sms_secret);
    }
    sodium_memzero(http__pub->cursor_key, sizeof http__pub->cursor_key);
    free(http__pub);
    http__pub = NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Answers: public ones are cacheable, with a strong ETag and 304                             */

/* A problem answer that other origins' scripts can read too. */
void http__pub_problem(h2o_req_t *req, int status, const char *detail, const char *field)
{
    http__add_header_str(req, "access-control-allow-origin", "*");
    http__problem(req, status, detail, field);
}

void http__pub_problem_rc(h2o_req_t *req, int rc, const struct hc_diag *d)
{
    http__add_header_str(req, "access-control-allow-origin", "*");
    http__problem_rc(req, rc, d);
}

int http__etag_matches(h2o_req_t *req, const char *etag)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    size_t n = strlen(etag), k = 0;
    const char *v;
    size_t len;
    if (i < 0)
        return 0;
    v = req->headers.entries[i].value.base;
    len = req->headers.entries[i].value.len;
    while (k < len) {
        size_t s, e;
        while (k < len && (v[k] == ' ' || v[k] == ',' || v[k] == '\t'))
            k++;
        s = k;
        while (k < len && v[k] != ',')
            k++;
        e = k;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e - s == 1 && v[s] == '*')
            return 1;
        if (e - s > 2 && v[s] == 'W' && v[s + 1] == '/')
            s += 2;
        if (e - s == n && memcmp(v + s, etag, n) == 0)
            return 1;
    }
    return 0;
}

/* The strong ETag of a body: its BLAKE2b-128 in hex, quoted. */
void http__body_etag(const char *body, size_t len, char tag[36])
{
    unsigned char h[16];
    char hex[33];
    crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(tag, 36, "\"%s\"", hex);
}

/* Send a cacheable answer: ETag (given, or the BLAKE2b-128 of the body), Cache-Control `cache`,
 * the security headers (csp), and 304 with no body when If-None-Match matches. */
void http__send_cached(h2o_req_t *req, const char *ctype, const char *body, size_t len,
                        const char *cache, const char *etag, const char *csp, int cors)
{
    char tag[36];
    if (etag == NULL) {
        http__body_etag(body, len, tag);
        etag = tag;
    }
    http__add_header(req, H2O_TOKEN_ETAG, h2o_strdup(&req->pool, etag, SIZE_MAX).base);
    http__add_header(req, H2O_TOKEN_CACHE_CONTROL, cache);
    http__add_header_str(req, "x-content-type-options", "nosniff");
    http__add_header_str(req, "content-security-policy", csp);
    http__add_header_str(req, "referrer-policy", "no-referrer");
    if (cors)
        http__add_header_str(req, "access-control-allow-origin", "*");
    if (http__etag_matches(req, etag)) {
        req->res.status = 304;
        req->res.reason = "Not Modified";
        h2o_send_inline(req, "", 0);
        return;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = len;
    http__add_header(req, H2O_TOKEN_CONTENT_TYPE, ctype);
    h2o_send_inline(req, body, len);
}

static const char public_json_csp[] = "default-src 'none'; frame-ancestors 'none'";

void http__send_public_body(h2o_req_t *req, const char *body, size_t len, const char *etag)
{
    char cache[48];
    snprintf(cache, sizeof cache, "public, max-age=%d", http__pub ? http__pub->max_age : 60);
    http__send_cached(req, "application/json", body, len, h2o_strdup(&req->pool, cache, SIZE_MAX).base,
                etag, public_json_csp, 1);
}

/* ---- The answer cache -------------------------------------------------------------------- */
/* Public answers are the same for everyone and already say `max-age`: clients and proxies may
 * keep them that long. The server keeps the rendered search and inmate answers in the shared
 * answer cache (cache.h) for at most PC_SECONDS_MAX (5 s, or max_age when shorter), keyed by
 * path and query, so a busy page or a civic group's poller costs SQLite and rendering once per
 * answer per few seconds. Any write through this server empties it at once (router.c); a
 * write by another process (an import) shows within those seconds, or at once when a staff
 * lookup notices it first (http__cache_sync). Public answers show many records at once, so
 * any change forgets all of them; a staff record is forgotten only when it changed. */

/* Answer c from the cache when it holds a fresh answer for its path; 1 when answered. */
int http__public_cached(struct http_call *c)
{
    struct http_cache_hit hit;
    /* Follow the database first: a write answered on another loop has committed before its
     * answer was sent, but that loop forgets the public answers only after sending it. */
    if (http__pub == NULL || http__pub->pc_ms <= 0 || !http__cache_sync(c) ||
        !http_cache_get(c->w->cache, HTTP_CACHE_PUBLIC, c->req->path.base, c->req->path.len,
                        hc_clock_mono_ms(), http__pool_alloc, &c->req->pool, &hit))
        return 0;
    http__send_public_body(c->req, hit.body, hit.len, hit.tag);
    return 1;
}

/* Send a rendered public answer and keep it in the cache. */
void http__send_public_json(struct http_call *c, const struct hc_buf *b)
{
    char tag[36];
    http__body_etag(b->data, b->len, tag);
    if (http__pub != NULL && http__pub->pc_ms > 0 && c->w->cache != NULL)
        http_cache_put(c->w->cache, HTTP_CACHE_PUBLIC, c->req->path.base, c->req->path.len,
                       b->data, b->len, tag, &c->cache_view, hc_clock_mono_ms(),
                       http__pub->pc_ms);
    http__send_public_body(c->req, b->data, b->len, tag);
}

void http__put_names(struct hc_buf *b, unsigned bits, int events)
{
    size_t i;
    int first = 1;
    hc_buf_putc(b, '[');
    for (i = 0; i < (events ? 4 : PUBLISH_NFIELDS); i++) {
        unsigned bit = events ? 1u << i : publish_fields[i].bit;
        if (!(bits & bit))
            continue;
        if (!first)
            hc_buf_putc(b, ',');
        first = 0;
        http__put_jstr(b, events ? publish_event_name(bit) : publish_fields[i].name);
    }
    hc_buf_putc(b, ']');
}

/* Read the policy in its own short read transaction, or answer 500 and return non-zero. */
int http__read_policy(struct http_call *c, struct store_public_policy *p)
{
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    rc = public_read_policy(c->w->st, &c->w->arena, p);
    if (rc != HC_OK)
        http__pub_problem_rc(c->req, rc, &d);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * portal.h: shared by the public portal's files inside src/http (portal.c, ratelimit.c,
 * static.c and the routes_*.c of the portal): its configuration, the rate limit, cacheable
 * answers and problems other origins may read. */
#ifndef HC_HTTP_PORTAL_H
#define HC_HTTP_PORTAL_H

#include <h2o.h>
#include <sodium.h>

#include "http_int.h"
#include "rows.h"

/* The portal's configuration, set by http_public_start before the workers start and only read
 * after; NULL when the portal was not started (tests of the router alone). */
struct http_public {
    int max_age;                 /* Cache-Control max-age of public answers, seconds */
    int allow_private;           /* webhooks may name loopback and private hosts */
    int email_off;               /* no mail can leave: email subscriptions are refused */
    int sms_off;                 /* no SMS gateway: SMS subscriptions are refused */
    char *sms_secret;            /* owned: the SMS gateway's callbacks carry it; NULL: none */
    int pc_ms;                   /* how long the answer cache keeps a public answer; 0: off */
    char *snapshot_dir;          /* owned, or NULL */
    unsigned char cursor_key[crypto_secretbox_KEYBYTES]; /* seals search cursors */
};
extern struct http_public *http__pub;

#define HTTP_SUBSCRIBE_COST 10 /* rate-limit tokens a subscription costs (a lookup costs 1) */
#define HTTP_TRANSPARENCY_COST 5 /* a transparency page: three reports when not kept */

/* ratelimit.c: the per-address token buckets (public_rate a second, public_burst at once). */
int http__ratelimit_start(int rate, int burst);
void http__ratelimit_stop(void);
/* The configured rate and burst (0, 0 when there is no limit). */
void http__ratelimit_figures(int *rate, int *burst);
/* Take cost tokens from the client of req. Returns 1 when admitted; otherwise answers 429 with
 * Retry-After and returns 0. Adds the X-RateLimit headers either way. */
int http__admit(h2o_req_t *req, int cost);

/* static.c: compute the embedded page's ETags (HC_ENOMEM), and free them. */
int http__static_start(void);
void http__static_stop(void);

/* A problem answer that other origins' scripts can read too (Access-Control-Allow-Origin). */
void http__pub_problem(h2o_req_t *req, int status, const char *detail, const char *field);
void http__pub_problem_rc(h2o_req_t *req, int rc, const struct hc_diag *d);

/* Send a cacheable answer: ETag (given, or the BLAKE2b-128 of the body), Cache-Control `cache`,
 * the security headers with csp, CORS when cors is set, and 304 with no body when the
 * request's If-None-Match matches. body is copied. */
/* Whether the request's If-None-Match lists etag (or *). Weak tags compare by their value. */
int http__etag_matches(h2o_req_t *req, const char *etag);
void http__send_cached(h2o_req_t *req, const char *ctype, const char *body, size_t len,
                       const char *cache, const char *etag, const char *csp, int cors);
/* The ETag of body: a quoted BLAKE2b-128 of it, in hex, into tag. */
void http__body_etag(const char *body, size_t len, char tag[36]);
/* A public JSON answer (max-age from the configuration); etag NULL: computed. */
void http__send_public_body(h2o_req_t *req, const char *body, size_t len, const char *etag);
/* Answer c from the answer cache when it holds a fresh answer for its path and query; 1 when
 * answered. */
int http__public_cached(struct http_call *c);
/* Send a rendered public answer and keep it in the answer cache under c's path and query. */
void http__send_public_json(struct http_call *c, const struct hc_buf *b);

/* Append the names of the STORE_PUB_* bits (events: of the STORE_EVT_* bits) as a JSON array,
 * in table order. */
void http__put_names(struct hc_buf *b, unsigned bits, int events);
/* Read the policy (strings in the worker's arena); on failure answer 500 and return the error. */
int http__read_policy(struct http_call *c, struct store_public_policy *p);

#endif

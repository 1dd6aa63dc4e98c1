/* SPDX-License-Identifier: MIT
 * http_int.h: shared inside src/http only. A worker is one thread's event loop, h2o context,
 * database connection and scratch memory; handlers find it from req->conn->ctx. */
#ifndef HC_HTTP_INT_H
#define HC_HTTP_INT_H

#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "arena.h"
#include "catalog.h"
#include "store.h"

/* Counters shared by every worker, for GET /metrics. Relaxed atomics: each counter is exact,
 * a scrape is not a snapshot across counters. */
#define HTTP_METRICS_ROUTES 32  /* >= the routing table's length + 1 (for "unmatched") */
#define HTTP_METRICS_STATUSES 16
#define HTTP_METRICS_BUCKETS 12
struct http_metrics {
    atomic_ullong requests[HTTP_METRICS_ROUTES][HTTP_METRICS_STATUSES]; /* route x status */
    atomic_ullong latency[HTTP_METRICS_BUCKETS + 1]; /* per bucket (not cumulative); last +Inf */
    atomic_ullong latency_sum_us;
    atomic_ullong decisions[4];                      /* by outcome, in review.c's order */
};

/* Who sent a request, once authenticated. */
struct http_who {
    int64_t user_id;
    char name[65];  /* the user's name, "" when anonymous; the audit log's actor */
    int role;       /* one AUTH_* bit; AUTH_PUBLIC when anonymous */
    int via_cookie; /* authenticated by the session cookie (so writes need the CSRF check) */
};

struct http_worker {
    h2o_context_t ctx;            /* its loop is this worker's own */
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;       /* this loop's handle on the shared listening socket */
    struct hc_store *st;          /* owned; this thread's connection */
    const struct hc_catalog *cat; /* borrowed, shared read-only */
    char *arena_mem;              /* owned; scratch for one request at a time */
    struct hc_arena arena;
    pthread_t thread;
    int started;                  /* thread was created (workers 1..n-1) */
    struct http_metrics *metrics; /* borrowed, shared by all workers */
    int secure_cookie;            /* add Secure to the session cookie (not on loopback) */
    size_t max_body_bytes;        /* from http_config, defaults applied */
    int session_seconds;          /* from http_config, defaults applied */
};

/* session.c: authentication. Find the user of req from "Authorization: Bearer TOKEN" or the
 * session cookie (the bearer token wins when both are sent). Returns 0 and fills *who;
 * HC_ENOENT when no credentials were sent; HC_EINVAL when they do not match an enabled user
 * (or the session expired); or a store error. */
int http__authenticate(h2o_req_t *req, struct http_worker *w, struct http_who *who);

/* Whether a cookie-authenticated write may proceed: it carries X-Requested-With, or an Origin
 * equal to http(s)://HOST of the request. */
int http__csrf_ok(h2o_req_t *req);

/* The session id in req's cookie into out (NUL-terminated). 0, or HC_ENOENT when absent. */
int http__session_cookie(h2o_req_t *req, char *out, size_t n);

#define HTTP_SESSION_COOKIE "hc_session"

/* metrics.c: render m as Prometheus text into a malloc'd string (NULL when out of memory).
 * methods[i] and patterns[i] label route i; nroutes of them, then "unmatched". */
char *http__metrics_render(struct http_metrics *m, const char *const *methods,
                           const char *const *patterns, size_t nroutes);
/* The status column for HTTP status code status. */
int http__metrics_status_index(int status);
/* Record one answered request. */
void http__metrics_observe(struct http_metrics *m, size_t route, int status, uint64_t micros);

/* The OpenAPI document (src/http/openapi.json), embedded at build time by tools/embed_blob.sh. */
extern const char http_openapi_json[];
extern const size_t http_openapi_json_len;

/* The worker serving req. */
struct http_worker *http__worker(h2o_req_t *req);

/* The on_req of the one handler registered at "/": route and answer. Always returns 0. */
int http__on_req(h2o_handler_t *self, h2o_req_t *req);

/* Internal path that h2o's errordoc filter fetches to render its own 413 as problem+json. */
#define HTTP_ERRDOC_413 "/_holdcheck/error/413"

#define HTTP_ARENA_SIZE ((size_t)8 << 20) /* a case of 500 convictions fits in well under half */

#endif

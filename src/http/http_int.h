/* SPDX-License-Identifier: MIT
 * http_int.h: shared inside src/http only. A worker is one thread's event loop, h2o context,
 * database connection and scratch memory; handlers find it from req->conn->ctx. */
#ifndef HC_HTTP_INT_H
#define HC_HTTP_INT_H

#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <jansson.h>
#include <string.h>

#include "agency_conf.h"
#include "arena.h"
#include "auth.h"
#include "buf.h"
#include "cache.h"
#include "throttle.h"
#include "dob_budget.h"
#include "err.h"
#include "url.h"
#include "catalog.h"
#include "rows.h"
#include "service.h"
#include "offload.h"
#include "readlog.h"

/* Counters shared by every worker, for GET /metrics. Relaxed atomics: each counter is exact,
 * a scrape is not a snapshot across counters. */
#define HTTP_METRICS_ROUTES 96  /* >= the number of routes + 1 (for "unmatched") */
#define HTTP_METRICS_STATUSES 20 /* the 19 statuses the server answers, and "other" */
#define HTTP_METRICS_BUCKETS 12
struct http_metrics {
    atomic_ullong requests[HTTP_METRICS_ROUTES][HTTP_METRICS_STATUSES]; /* route x status */
    atomic_ullong latency[HTTP_METRICS_BUCKETS + 1]; /* per bucket (not cumulative); last +Inf */
    atomic_ullong latency_sum_us;
    atomic_ullong decisions[4];                      /* by outcome, in review.c's order */
    atomic_ullong overrides[4];  /* overrides by the outcome they put in force, same order */
    atomic_ullong actions[6][2]; /* actions recorded by kind (enum action_kind), [1]: contrary */
    atomic_uint auth_epoch; /* not a metric: bumped when a user is disabled or logs out, so
                             * every worker's credential cache (session.c) forgets at once */
};

/* Who sent a request, once authenticated. */
struct http_who {
    int64_t user_id;
    char name[65];  /* the user's name, "" when anonymous; the audit log's actor */
    int role;       /* one AUTH_* bit; AUTH_PUBLIC when anonymous */
    int via_cookie; /* authenticated by the session cookie (so writes need the CSRF check) */
};

/* A credential this worker checked lately (session.c): the hash of the bearer token or session
 * id, who it belongs to, and when and under which auth_epoch it was checked. */
#define HTTP_AUTH_CACHE_SLOTS 64
#define HTTP_AUTH_CACHE_MS 5000
struct http_auth_slot {
    char hash[AUTH_HASH_HEX_LEN];  /* "" when empty */
    struct http_who who;
    int64_t checked_ms;            /* hc_clock_mono_ms */
    unsigned epoch;
};

struct http_worker {
    h2o_context_t ctx;            /* its loop is this worker's own */
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;       /* this loop's handle on the shared listening socket */
    int listen_fd;                /* its descriptor until the loop's thread makes listener; -1 */
    h2o_globalconf_t *conf;       /* borrowed: the configuration the context is made from */
    struct hc_store *st;          /* owned; this thread's connection */
    const struct hc_catalog *cat; /* borrowed, shared read-only */
    char *arena_mem;              /* owned; scratch for one request at a time */
    struct hc_arena arena;
    pthread_t thread;
    int started;                  /* thread was created (workers 1..n-1) */
    size_t open_at_stop;          /* connections the drain at stop could not close */
    struct http_conn_budget *conns;    /* borrowed, shared: open connections and their bound */
    struct http_metrics *metrics; /* borrowed, shared by all workers */
    int secure_cookie;            /* add Secure to the session cookie (not on loopback) */
    /* TLS and proxies (server.c, client.h): the HTTPS socket's handle and accept context (NULL
     * and unused without TLS), the shared certificate holder, the trusted proxies (borrowed,
     * shared, read-only; never NULL) and Strict-Transport-Security's max-age (0: none). */
    h2o_socket_t *tls_listener;
    int tls_listen_fd;            /* its descriptor until the loop's thread makes tls_listener */
    h2o_accept_ctx_t tls_accept_ctx;
    struct http_tls *tls;
    const struct http_proxies *proxies;
    int hsts_max_age;
    size_t max_body_bytes;        /* from http_config, defaults applied */
    int session_seconds;          /* from http_config, defaults applied */
    struct http_auth_slot auth_cache[HTTP_AUTH_CACHE_SLOTS];
    struct http_cache *cache;     /* borrowed, shared by all workers; NULL when off */
    struct http_throttle *throttle; /* borrowed, shared: failed logins (throttle.h) */
    struct http_dob_budget *dob_budget; /* borrowed, shared: searches with a date of birth
                                        * (dob_budget.h) */
    uint64_t db_version;          /* store_version when this worker last looked */
    int db_version_known;         /* db_version holds a value */
    const struct agency_conf *agency; /* borrowed, shared: never NULL (defaults applied) */
    int64_t change_seq;           /* the newest record change this worker has forgotten */
    int change_seq_known;         /* change_seq holds a value */
    /* The pool that runs handlers' blocking parts (offload.h); NULL in the pool's own workers
     * and when there is none. Its answers come back through offload_rx on this loop's h2o
     * message queue. offload_out: this loop's jobs not yet answered (loop thread only). */
    struct http_offload *offload;
    h2o_multithread_receiver_t offload_rx;
    int offload_rx_on;            /* offload_rx is registered */
    size_t offload_out;
    struct readlog *readlog;      /* borrowed, shared: the read-access log's writer, or NULL */
};

/* session.c: authentication. Find the user of req from "Authorization: Bearer TOKEN" or the
 * session cookie (the bearer token wins when both are sent). Returns 0 and fills *who;
 * HC_ENOENT when no credentials were sent; HC_EINVAL when they do not match an enabled user
 * (or the session expired); or a store error. */
int http__authenticate(h2o_req_t *req, struct http_worker *w, struct http_who *who);

/* client.c: the client's key for rate limits and login throttling: its IPv4 address, or the
 * /64 of its IPv6 address (one host gets a whole /64, so finer keys would let it reset its
 * count at will); all zero when the peer is unknown. The client is the peer, or the address a
 * trusted proxy names (client.h, http__client, which decides both of these). Loop thread. */
void http__client_key(h2o_req_t *req, unsigned char key[16]);
/* The client's address as text ("127.0.0.1", "::1"), or "unknown", for the server log. */
#define HTTP_CLIENT_TEXT_LEN 46 /* INET6_ADDRSTRLEN */
void http__client_text(h2o_req_t *req, char out[HTTP_CLIENT_TEXT_LEN]);

/* Forget every credential cached by every worker (after a user is disabled or logs out). */
void http__auth_forget(struct http_worker *w);

/* Whether a cookie-authenticated write may proceed: it carries X-Requested-With, or an Origin
 * equal to http(s)://HOST of the request. */
int http__csrf_ok(h2o_req_t *req);

/* The session id in req's cookie into out (NUL-terminated). 0; HC_ENOENT when absent; HC_EINVAL
 * when it is empty, does not fit in n bytes with its NUL, or holds a byte that is not an RFC
 * 6265 cookie-octet. */
int http__session_cookie(h2o_req_t *req, char *out, size_t n);

#define HTTP_SESSION_COOKIE "hc_session"

/* metrics.c: render m as Prometheus text into a malloc'd string (NULL when out of memory).
 * methods[i] and patterns[i] label route i; nroutes of them, then "unmatched". cs: the answer
 * cache's figures, or NULL when the cache is off. oc: the requests by outcome in force and by
 * the engine's (review_outcome_counts), or NULL when they could not be read. */
char *http__metrics_render(struct http_metrics *m, const char *const *methods,
                           const char *const *patterns, size_t nroutes,
                           const struct http_cache_stats *cs,
                           const struct store_outcome_counts *oc);
/* The status column for HTTP status code status. */
int http__metrics_status_index(int status);
/* Record one answered request. */
void http__metrics_observe(struct http_metrics *m, size_t route, int status, uint64_t micros);

/* The OpenAPI document (src/http/openapi.json), embedded at build time by tools/embed_blob.sh. */
extern const struct hc_memfile http_openapi[]; /* src/http/openapi.json, one entry */

/* reply.c: n bytes from the h2o memory pool pool (an h2o_mem_pool_t *), for http_cache_get. */
void *http__pool_alloc(void *pool, size_t n);

/* The worker serving req. */
struct http_worker *http__worker(h2o_req_t *req);

/* The on_req of the one handler registered at "/": route and answer. Always returns 0. */
int http__on_req(h2o_handler_t *self, h2o_req_t *req);

/* Internal path that h2o's errordoc filter fetches to render its own 413 as problem+json. */
#define HTTP_ERRDOC_413 "/_holdcheck/error/413"

#define HTTP_NKEYS(a) (sizeof(a) / sizeof((a)[0])) /* the entries of array a */

#define HTTP_ARENA_SIZE ((size_t)8 << 20) /* a case of 500 convictions fits in well under half */

/* ------------------------------------------------------------------------------------------ */
/* Shared by the handler files                                                                */

/* What a string field must look like (input.c's http__get_str checks it). */
enum http_str_kind {
    HTTP_K_TEXT,           /* anything non-empty */
    HTTP_K_DATE,           /* YYYY-MM-DD */
    HTTP_K_TIME,           /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or an offset */
    HTTP_K_LEVEL,          /* felony, misdemeanor, infraction */
    HTTP_K_BOOKING_STATUS, /* in_custody, released */
    HTTP_K_CHARGE_STATUS,  /* pending, dismissed, convicted */
    HTTP_K_AGG             /* a letter A-U of 8 USC 1101(a)(43) */
};

/* One expected query parameter: the caller sets name; http__parse_query fills the rest. */
struct http_query_param {
    const char *name;
    char value[HC_QUERY_VALUE_MAX]; /* decoded */
    int present;
};

/* One member of a JSON request body, for the router to decode before the handler runs. */
enum http_field_type {
    HTTP_F_STR,   /* a non-empty string of at most max bytes, of the given kind; null: absent */
    HTTP_F_BOOL,  /* true or false; null: absent */
    HTTP_F_INT,   /* a whole number from min to max (null is refused) */
    HTTP_F_ARRAY  /* an array of at most max entries; null: absent */
};

struct http_field {
    const char *name;
    enum http_field_type type;
    int required;            /* absent (or null) is refused with "required" */
    enum http_str_kind kind; /* HTTP_F_STR: what the string must look like */
    int64_t min, max;        /* HTTP_F_INT: the range; HTTP_F_STR: max bytes; ARRAY: max entries */
};

#define HTTP_FIELDS_MAX 16

/* A route's request body: one JSON object whose members are exactly (a subset of) fields[]. */
struct http_body {
    const struct http_field *fields;
    size_t n; /* at most HTTP_FIELDS_MAX */
};

/* A decoded member, in c->in[i] for fields[i]. Strings and arrays are borrowed from c->body. */
struct http_value {
    int given;    /* present and not null */
    const char *s;
    int b;
    int64_t i;
    json_t *a;
};

/* ------------------------------------------------------------------------------------------ */
/* One call: the request, its worker, the path parameter and who sent it                      */

struct http_call {
    h2o_req_t *req;
    struct http_worker *w;
    char param[256];    /* the {...} segment of the path, NUL-terminated ("" when none) */
    size_t param_len;   /* its real length (may exceed what param holds: then it is invalid) */
    struct http_who who;
    struct http_cache_view cache_view; /* the answer cache's view, taken before the request's
                                        * first read */
    struct hc_diag diag;  /* why the handler failed: the field at fault and a message; cleared
                           * by the router before the handler runs */
    json_t *body;         /* the decoded body when the route has an `in` table; owned by the
                           * router, freed after the handler (or by the job it moved to) */
    struct http_value in[HTTP_FIELDS_MAX]; /* the members of body, in the order of the route's table */
    /* Set by the router: the route taken (its place in the table), its flags, and when the
     * request reached the handler (hc_clock_mono_us), for the metrics of an answer sent later. */
    size_t route;
    unsigned route_flags;
    int64_t t0_us;
    /* Set by http__offload (offload.h): the job c runs in (NULL on the loop), and the client's
     * address as a key and as text, which a pool thread may not ask the connection for. */
    struct http_job *job;
    unsigned char client_key[16];
    char client_text[HTTP_CLIENT_TEXT_LEN];
    int client_tls;   /* the client's connection is TLS (client.h) */
    int client_known; /* the three above are filled (http__call_client) */
};

/* client.c: fill c->client_key, client_text and client_tls from c's request (http__client),
 * once: later calls, and calls in a job on the pool, find them filled. The first call must be
 * on the loop thread (http__offload makes it before a job moves). */
void http__call_client(struct http_call *c);

/* router.c: what the router does when a handler fails with rc (a problem answer, readable by
 * any origin on an HTTP_R_CORS route); and what it does after any answer (the answer cache
 * brought in step after a write, the request counted in /metrics). A job's answer, sent on
 * the loop (offload.c), goes through them as a handler's does. */
void http__route_failed(struct http_call *c, int rc);
void http__route_done(struct http_call *c);
/* routes_readlog.c: queue c's read-access log entry (who, the route, the object of its path
 * parameter, the query string, the client and the answer's status) when its route reads
 * staff data (http_route.reads) and a user was authenticated. Called by http__route_done. */
void http__readlog_note(const struct http_call *c);



/* ------------------------------------------------------------------------------------------ */
/* Answers rendered straight into a bounded buffer                                            */

/* Appends for the answers below. They do what hc_buf_put and hc_buf_putc do, inline: with a
 * literal key the length is a constant, and each append is one bounds check and one memcpy. */
static inline void http__bput(struct hc_buf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        b->full = 1;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static inline void http__bputc(struct hc_buf *b, char c)
{
    if (b->len >= b->cap) {
        b->full = 1;
        return;
    }
    b->data[b->len++] = c;
}


/* `,"key":` (no comma when first), one append; key is a string literal that needs no escaping
 * and first a constant. The HTTP_PUT_K* forms add the value. */
#define HTTP_PUT_KEY(b, key, first)                                                               \
    ((first) ? http__bput((b), "\"" key "\":", sizeof "\"" key "\":" - 1)                            \
             : http__bput((b), ",\"" key "\":", sizeof ",\"" key "\":" - 1))
#define HTTP_PUT_KSTR(b, key, v, first) (HTTP_PUT_KEY(b, key, first), http__put_jstr((b), (v)))
#define HTTP_PUT_KBOOL(b, key, v, first) (HTTP_PUT_KEY(b, key, first), http__put_bool((b), (v)))
#define HTTP_PUT_KINT(b, key, v, first) (HTTP_PUT_KEY(b, key, first), http__put_int((b), (v)))

/* ------------------------------------------------------------------------------------------ */
/* Routes: one table of them (routes.c, routes.h); router.c matches and dispatches.           */

#define HTTP_READERS (AUTH_CLERK | AUTH_SUPERVISOR | AUTH_AUDITOR | AUTH_ADMIN)
#define HTTP_WRITERS (AUTH_CLERK | AUTH_SUPERVISOR | AUTH_ADMIN)
#define HTTP_ANYONE (AUTH_PUBLIC | HTTP_READERS)

/* NONE: a body is ignored; EMPTY: a body is refused (400); JSON: a body, when sent, must be
 * application/json within max_body_bytes (415, 413), and the handler parses it. */
enum http_body_kind { HTTP_BODY_NONE, HTTP_BODY_EMPTY, HTTP_BODY_JSON };


enum http_route_flags {
    HTTP_R_CORS = 1 << 0 /* answers, problems included, may be read by scripts of any origin */
};

struct http_route {
    const char *method;
    const char *pattern;       /* "/a/{x}/b": a {...} segment matches one non-empty segment */
    int roles;                 /* AUTH_* bits allowed; AUTH_PUBLIC = no login needed */
    enum http_body_kind body;  /* HTTP_BODY_JSON: a non-empty body must be application/json */
    const struct http_body *in; /* decoded by the router into c->body and c->in; NULL: the
                                 * handler reads the body itself */
    int cost;                   /* rate-limit tokens a request takes (ratelimit.c); 0: none */
    unsigned flags;             /* enum http_route_flags */
    /* What the route reads of staff data, for the read-access log (readlog.h): a kind
     * (READLOG_PERSON...), logged after each answer with the path parameter as the object;
     * or READLOG_NONE: not logged (public routes, writes, and staff reads of no personal
     * data such as /metrics). Every line gives it (a missing initializer does not compile);
     * tests/http/test_readlog.sh checks each staff GET's kind against its own table. */
    enum readlog_kind reads;
    /* Last, so that a table line ends with the handler's name: 0 when it answered, or an HC_E*
     * code with c->diag set, which the router answers as a problem. */
    int (*handler)(struct http_call *c);
};

/* router.c: make the answer cache (cache.h) agree with the database before a GET uses it.
 * Reads the store's version on the worker's connection, inside the request's read transaction,
 * and when it moved since this worker last looked, makes every worker forget the public
 * answers and the staff records of the bookings that changed (store_changes). Returns 1 when c
 * may look answers up and keep them under c->cache_view; 0 when the cache is off or the
 * database cannot be read. Call it before the handler's first read. */
int http__cache_sync(struct http_call *c);

/* Helpers the handler files share (the handlers themselves: routes.h). */

/* routes_bookings.c: render record r and send it with status; when keep is not NULL, also
 * keep the answer in the answer cache under that booking number, as read under view. A record
 * too large for the worker's arena is answered 413. */
void http__respond_record(h2o_req_t *req, struct http_worker *w, int status,
                          const struct store_record *r, const char *keep,
                          const struct http_cache_view *view);
/* The path parameter as a booking number, or NULL after answering 400. */
const char *http__param_booking_no(struct http_call *c);

/* routes_court.c: one conviction or charge of a body (o, at path) into *c. HC_EINVAL with d
 * naming the field at fault. */
int http__decode_conviction(json_t *o, const char *path, struct store_conviction *c,
                            struct hc_diag *d);
int http__decode_charge(json_t *o, const char *path, struct store_charge *c, struct hc_diag *d);

/* routes_requests.c: a request's outcomes as members of e: outcome (in force),
 * engine_outcome, overridden, action_count, contrary_actions, contrary. */
void http__put_outcomes(json_t *e, const struct store_request *q);
/* routes_requests.c: a request as the API shows it (with http__put_outcomes), and an action;
 * new references. */
json_t *http__request_json(const struct store_request *q);
json_t *http__action_json(const struct store_action *x);
/* routes_requests.c: the query parameters p[0] (from) and p[1] (to) as dates YYYY-MM-DD into
 * *from and *to when present; HC_EINVAL naming the parameter otherwise. */
int http__query_period(const struct http_query_param *p, const char **from, const char **to,
                       struct hc_diag *d);
/* routes_requests.c: query parameter p as true or false into *out when present; HC_EINVAL
 * naming it otherwise. */
int http__query_bool(const struct http_query_param *p, int *out, struct hc_diag *d);

/* routes_console.c: the request whose id is the path parameter into *r (notices_load); or,
 * when n is not NULL, the notice whose id it is into *n and its request into *r
 * (console_notice_load). Returns 0; or an error after answering it (400 for a bad id, else the
 * load's problem) with *r released, or untouched after a bad id. Resets the worker's arena. */
struct notices_request;
int http__path_request(struct http_call *c, struct store_notice *n, struct notices_request *r,
                       struct hc_diag *d);
/* routes_console.c: a recorded notice as the console's JSON. */
json_t *http__notice_json(const struct store_notice *n);
/* Answer with a page or a notice: body with ctype, its own CSP, cache and the other security
 * headers (the API's answers go through http__respond, whose CSP forbids everything). */
void http__send_doc(h2o_req_t *req, int status, const char *ctype, const char *csp,
                    const char *cache, const char *body, size_t len);
/* Whether s is one of v[0..n). */
int http__one_of(const char *s, const char *const *v, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* reply.c: answers. Every answer carries the security headers; errors are problem+json.       */

/* The HTTP status for error code rc (500 for anything unexpected). */
int http__status_for(int rc);
/* Add a response header (v is copied by h2o only for add_header_str's name; keep v alive). */
void http__add_header(h2o_req_t *req, const h2o_token_t *tok, const char *v);
void http__add_header_str(h2o_req_t *req, const char *name, const char *v);
/* Add the headers every API answer carries: Cache-Control no-store, nosniff, a CSP that allows
 * nothing, no referrer. */
void http__add_security_headers(h2o_req_t *req);
/* Send body (copied) with status, content type ctype and the security headers. */
void http__respond(h2o_req_t *req, int status, const char *ctype, const char *body, size_t len);
/* Send a JSON value (consumed) with status; 500 when it cannot be printed. */
void http__respond_json(h2o_req_t *req, int status, json_t *v);
/* Send application/problem+json: status, detail and the offending field (NULL or "": none). */
void http__problem(h2o_req_t *req, int status, const char *detail, const char *field);
/* A problem for error rc with detail from d. Internal errors do not leak their detail. */
void http__problem_rc(h2o_req_t *req, int rc, const struct hc_diag *d);
/* s as a JSON string literal, escaped by hc_json_escape (json.h), or null when s is NULL. */
void http__put_jstr(struct hc_buf *b, const char *s);
void http__put_bool(struct hc_buf *b, int v);
void http__put_int(struct hc_buf *b, int64_t v);
/* s as a JSON string, or null when s is NULL. */
json_t *http__jstr(const char *s);
/* Audit entries as a JSON array of {seq, at, actor, action, entity, payload, hash}; a payload
 * that parses is embedded as JSON, otherwise as its text. */
json_t *http__audit_entries_json(const struct store_audit_entry *e, size_t n);
/* A buffer over the rest of the worker's arena (after what the request already took), or
 * HC_ENOMEM when less than 64 bytes are left. */
int http__arena_buf(struct http_worker *w, struct hc_buf *b);

/* ------------------------------------------------------------------------------------------ */
/* input.c: bodies, fields, path parameters and query strings. Each fills d (field + message)  */
/* and returns HC_EINVAL on bad input.                                                         */

/* path.key (or key when path is "") into out: the name a problem gives a field. */
void http__field_path(char *out, size_t n, const char *path, const char *key);
/* Fail on any key of o not in allowed[0..n); keys naming immigration status, national origin
 * or ethnicity get a message saying holdcheck never records them. path prefixes field names. */
int http__check_keys(json_t *o, const char *path, const char *const *allowed, size_t n,
                     struct hc_diag *d);
/* o.key as a non-empty string of at most maxlen bytes and of the given kind into *out (NULL
 * when absent or null; HC_EINVAL then only when required). */
int http__get_str(json_t *o, const char *path, const char *key, int required, size_t maxlen,
                  enum http_str_kind kind, const char **out, struct hc_diag *d);
/* o.key as a boolean into *out: 0 when absent, or -1 when absent and tri is set. */
int http__get_bool(json_t *o, const char *path, const char *key, int tri, int *out,
                   struct hc_diag *d);
/* A member of a PATCH body: absent, nothing happens; present, bit is added to *set and the value
 * read into *out as http__get_str (required) or http__get_bool (tri) read it, except that null
 * gives NULL (-1 for a boolean) when nullable, and is refused when not. */
int http__patch_str(json_t *o, const char *key, unsigned bit, unsigned *set, int nullable,
                    size_t maxlen, enum http_str_kind kind, const char **out, struct hc_diag *d);
int http__patch_bool(json_t *o, const char *key, unsigned bit, unsigned *set, int nullable,
                     int *out, struct hc_diag *d);
/* o.key as an array of at most max entries into *out (NULL when absent). */
int http__get_array(json_t *o, const char *path, const char *key, size_t max, json_t **out,
                    struct hc_diag *d);
/* The body as one JSON object (the caller decrefs), or NULL with d set. */
json_t *http__parse_body(h2o_req_t *req, struct hc_diag *d);
/* The same, but answers the problem (400) itself when it returns NULL. */
json_t *http__body_or_problem(h2o_req_t *req, struct hc_diag *d);
/* Decode c's body by the table in: one JSON object, no member outside the table, each member
 * of its type and within its limits, the required ones present. Fills c->body (the router
 * frees it) and c->in[i] for in->fields[i]. Returns 0, or HC_EINVAL with c->diag naming the
 * first member at fault (in table order) after unknown members and an unreadable body. */
int http__decode_body(struct http_call *c, const struct http_body *in);
/* The path parameter as a positive id, or 0 after answering 400 naming field "id". */
int64_t http__param_id(struct http_call *c);
/* For a PUT that replaces a whole resource: c's body into c->body (the router frees it), one
 * JSON object with every member of keys[0..n) and no other. Returns 0, or HC_EINVAL with
 * c->diag naming an unknown member, or the first missing one with message missing. */
int http__put_body(struct http_call *c, const char *const *keys, size_t n, const char *missing);
/* For a route whose path ends in an id and whose body the handler decodes: the path parameter
 * as a positive id into *id, then the body into c->body (the router frees it) and, when in is
 * not NULL, its members into c->in as the router decodes a route's table (http__decode_body).
 * The id is checked first. Returns 0, or HC_EINVAL with c->diag naming "id" or the member at
 * fault, for the router to answer. */
int http__id_and_body(struct http_call *c, const struct http_body *in, int64_t *id);
/* The path parameter (NUL-terminated, in c->param) when it fits and valid(param, length)
 * accepts it, or NULL after answering 400 with detail, naming field. */
const char *http__param_str(struct http_call *c, int (*valid)(const char *s, size_t n),
                            const char *detail, const char *field);
/* Parse req's query string into p[0..np) (names set by the caller). Unknown, repeated, empty or
 * undecodable parameters are HC_EINVAL with d->field naming them. */
int http__parse_query(h2o_req_t *req, struct http_query_param *p, size_t np, struct hc_diag *d);
/* A whole number in lo..hi from a query value, or HC_EINVAL naming it. */
int http__query_int(const struct http_query_param *p, int64_t lo, int64_t hi, int64_t *out,
                    struct hc_diag *d);

#endif

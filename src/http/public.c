/* SPDX-License-Identifier: MIT
 * public.c: the public portal of issue 4 (docs/public-api.md, docs/public.md): search and
 * records of the published fields, exports and snapshots, subscriptions, the status line and
 * the embedded web page; and the staff routes that go with them (publication policy, booking
 * updates, the delivery queue). Every public answer is rendered by src/app/publish.c, which
 * writes only the fields the policy publishes. What the worker threads share (configuration,
 * rate limiter, cursor key, the page's ETags) lives in one struct set up by http_public_start
 * before they start; after that only the limiter changes, under its own locks. */
#include <errno.h>
#include <arpa/inet.h>
#include <h2o.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "booking.h"
#include "date.h"
#include "http.h"
#include "http_int.h"
#include "namekey.h"
#include "public.h"
#include "publish.h"

#define NKEYS(a) (sizeof a / sizeof a[0])
#define PAGE_DEFAULT 25
#define PAGE_MAX 100
#define PENDING_DAYS 7           /* an unconfirmed subscription expires */
#define SUBSCRIBE_COST 10        /* tokens a subscription costs */
#define TOKEN_HEX 64             /* confirm and unsubscribe tokens: 32 random bytes, hex */
#define EXPORT_MAX_AGE 300
#define LIM_SETS 2048            /* rate limiter: sets of LIM_WAYS clients */
#define LIM_WAYS 4
#define LIM_STRIPES 64           /* mutexes; set i is guarded by stripe i % LIM_STRIPES */
#define PC_SECONDS_MAX 5         /* an answer is kept at most this long (and max_age) */

static const char page_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

/* ------------------------------------------------------------------------------------------ */
/* Shared state                                                                               */

struct lim_entry {
    unsigned char key[16]; /* IPv4 address, or an IPv6 /64; zero-padded */
    int used;
    int64_t micro;         /* tokens x 1e6 */
    int64_t at_us;         /* when micro was computed (monotonic) */
};

struct pub_state {
    int rate, burst, max_age, allow_private;
    int pc_ms;                                        /* answer cache lifetime; 0: off */
    char *snapshot_dir;                               /* owned, or NULL */
    unsigned char cursor_key[crypto_secretbox_KEYBYTES];
    char (*etags)[36];                                /* per embedded file: "\"hex32\"" */
    pthread_mutex_t stripes[LIM_STRIPES];
    struct lim_entry sets[LIM_SETS][LIM_WAYS];
};

static struct pub_state *pub;

int http_public_start(const struct http_config *cfg, struct hc_diag *d)
{
    size_t i;
    if (sodium_init() < 0)
        return hc_diag_set(d, "", "libsodium failed to initialise", NULL), HC_EIO;
    pub = calloc(1, sizeof *pub);
    if (pub == NULL)
        return HC_ENOMEM;
    pub->rate = cfg->public_rate > 0 ? cfg->public_rate : 0;
    pub->burst = cfg->public_burst > 0 ? cfg->public_burst : pub->rate * 6;
    if (pub->burst < SUBSCRIBE_COST && pub->rate > 0)
        pub->burst = SUBSCRIBE_COST;
    pub->max_age = cfg->public_max_age >= 0 ? cfg->public_max_age : 60;
    pub->allow_private = cfg->webhook_allow_private;
    if (cfg->snapshot_dir != NULL && (pub->snapshot_dir = strdup(cfg->snapshot_dir)) == NULL)
        goto oom;
    randombytes_buf(pub->cursor_key, sizeof pub->cursor_key);
    pub->etags = calloc(http_web_files_n ? http_web_files_n : 1, sizeof *pub->etags);
    if (pub->etags == NULL)
        goto oom;
    for (i = 0; i < http_web_files_n; i++) {
        unsigned char h[16];
        char hex[33];
        crypto_generichash(h, sizeof h, http_web_files[i].data, http_web_files[i].len, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        snprintf(pub->etags[i], sizeof pub->etags[i], "\"%s\"", hex);
    }
    for (i = 0; i < LIM_STRIPES; i++)
        pthread_mutex_init(&pub->stripes[i], NULL);
    pub->pc_ms = 1000 * (pub->max_age < PC_SECONDS_MAX ? pub->max_age : PC_SECONDS_MAX);
    return HC_OK;
oom:
    http_public_stop();
    return HC_ENOMEM;
}

void http_public_stop(void)
{
    size_t i;
    if (pub == NULL)
        return;
    for (i = 0; i < LIM_STRIPES; i++)
        pthread_mutex_destroy(&pub->stripes[i]);
    free(pub->snapshot_dir);
    free(pub->etags);
    sodium_memzero(pub->cursor_key, sizeof pub->cursor_key);
    free(pub);
    pub = NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Rate limits: a token bucket per client address, in a set-associative table shared by the
 * workers. A client the table forgets (its set was full of busier clients) starts with a full
 * bucket again: the table bounds memory, not the count of clients.                           */

static int64_t now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* The peer's address into *ss; 0 when it is not known. */
static socklen_t peer(h2o_req_t *req, struct sockaddr_storage *ss)
{
    if (req->conn->callbacks->get_peername == NULL)
        return 0;
    return req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)ss);
}

void http__client_text(h2o_req_t *req, char out[HTTP_CLIENT_TEXT_LEN])
{
    struct sockaddr_storage ss;
    const void *a = NULL;
    if (peer(req, &ss) == 0)
        ss.ss_family = AF_UNSPEC;
    if (ss.ss_family == AF_INET)
        a = &((const struct sockaddr_in *)(const void *)&ss)->sin_addr;
    else if (ss.ss_family == AF_INET6)
        a = &((const struct sockaddr_in6 *)(const void *)&ss)->sin6_addr;
    if (a == NULL || inet_ntop(ss.ss_family, a, out, HTTP_CLIENT_TEXT_LEN) == NULL)
        snprintf(out, HTTP_CLIENT_TEXT_LEN, "unknown");
}

void http__client_key(h2o_req_t *req, unsigned char key[16])
{
    struct sockaddr_storage ss;
    memset(key, 0, 16);
    if (peer(req, &ss) == 0)
        return;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)&ss;
        memcpy(key, &s4->sin_addr, 4);
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)&ss;
        const unsigned char *a = s6->sin6_addr.s6_addr;
        static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a, v4mapped, 12) == 0) {
            memcpy(key, a + 12, 4);
        } else {
            key[15] = 6; /* never equal to an IPv4 key */
            memcpy(key, a, 8);
        }
    }
}

/* Take cost tokens from the client of req. Returns 1 when admitted; otherwise answers 429
 * with Retry-After and returns 0. Adds the X-RateLimit headers either way. */
static int admit(h2o_req_t *req, int cost)
{
    unsigned char key[16];
    uint32_t h = 2166136261u;
    struct lim_entry *set, *e = NULL, *oldest;
    int64_t now, cap, left, wait_s = 0;
    char v[24];
    size_t i, si;
    int ok;

    if (pub == NULL || pub->rate <= 0)
        return 1;
    http__client_key(req, key);
    for (i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    si = h % LIM_SETS;
    set = pub->sets[si];
    cap = (int64_t)pub->burst * 1000000;
    now = now_us();
    pthread_mutex_lock(&pub->stripes[si % LIM_STRIPES]);
    oldest = &set[0];
    for (i = 0; i < LIM_WAYS; i++) {
        if (set[i].used && memcmp(set[i].key, key, 16) == 0) {
            e = &set[i];
            break;
        }
        if (!set[i].used || (oldest->used && set[i].at_us < oldest->at_us))
            oldest = &set[i];
    }
    if (e == NULL) {
        e = oldest;
        memcpy(e->key, key, 16);
        e->used = 1;
        e->micro = cap;
        e->at_us = now;
    }
    e->micro += (now - e->at_us) * pub->rate;
    if (e->micro > cap)
        e->micro = cap;
    e->at_us = now;
    ok = e->micro >= (int64_t)cost * 1000000;
    if (ok)
        e->micro -= (int64_t)cost * 1000000;
    else
        wait_s = ((int64_t)cost * 1000000 - e->micro + (int64_t)pub->rate * 1000000 - 1) /
                 ((int64_t)pub->rate * 1000000);
    left = e->micro / 1000000;
    pthread_mutex_unlock(&pub->stripes[si % LIM_STRIPES]);

    snprintf(v, sizeof v, "%d", pub->burst);
    http__add_header_str(req, "x-ratelimit-limit", h2o_strdup(&req->pool, v, SIZE_MAX).base);
    snprintf(v, sizeof v, "%" PRId64, left);
    http__add_header_str(req, "x-ratelimit-remaining", h2o_strdup(&req->pool, v, SIZE_MAX).base);
    if (ok)
        return 1;
    if (wait_s < 1)
        wait_s = 1;
    {
        char detail[160], body[400];
        snprintf(v, sizeof v, "%" PRId64, wait_s);
        http__add_header(req, H2O_TOKEN_RETRY_AFTER, h2o_strdup(&req->pool, v, SIZE_MAX).base);
        snprintf(detail, sizeof detail,
                 "too many requests from this address: %d at once, %d a second; retry in %"
                 PRId64 " s", pub->burst, pub->rate, wait_s);
        snprintf(body, sizeof body,
                 "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                 "\"detail\":\"%s\",\"retry_after\":%" PRId64 "}", detail, wait_s);
        http__add_header_str(req, "access-control-allow-origin", "*");
        http__respond(req, 429, "application/problem+json", body, strlen(body));
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Answers: public ones are cacheable, with a strong ETag and 304                             */

/* A problem answer that other origins' scripts can read too. */
static void pub_problem(h2o_req_t *req, int status, const char *detail, const char *field)
{
    http__add_header_str(req, "access-control-allow-origin", "*");
    http__problem(req, status, detail, field);
}

static void pub_problem_rc(h2o_req_t *req, int rc, const struct hc_diag *d)
{
    http__add_header_str(req, "access-control-allow-origin", "*");
    http__problem_rc(req, rc, d);
}

/* Whether the request's If-None-Match lists etag (or *). Weak tags compare by their value. */
static int etag_matches(h2o_req_t *req, const char *etag)
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
static void body_etag(const char *body, size_t len, char tag[36])
{
    unsigned char h[16];
    char hex[33];
    crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(tag, 36, "\"%s\"", hex);
}

/* Send a cacheable answer: ETag (given, or the BLAKE2b-128 of the body), Cache-Control `cache`,
 * the security headers (csp), and 304 with no body when If-None-Match matches. */
static void send_cached(h2o_req_t *req, const char *ctype, const char *body, size_t len,
                        const char *cache, const char *etag, const char *csp, int cors)
{
    char tag[36];
    if (etag == NULL) {
        body_etag(body, len, tag);
        etag = tag;
    }
    http__add_header(req, H2O_TOKEN_ETAG, h2o_strdup(&req->pool, etag, SIZE_MAX).base);
    http__add_header(req, H2O_TOKEN_CACHE_CONTROL, cache);
    http__add_header_str(req, "x-content-type-options", "nosniff");
    http__add_header_str(req, "content-security-policy", csp);
    http__add_header_str(req, "referrer-policy", "no-referrer");
    if (cors)
        http__add_header_str(req, "access-control-allow-origin", "*");
    if (etag_matches(req, etag)) {
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

static void send_public_body(h2o_req_t *req, const char *body, size_t len, const char *etag)
{
    char cache[48];
    snprintf(cache, sizeof cache, "public, max-age=%d", pub ? pub->max_age : 60);
    send_cached(req, "application/json", body, len, h2o_strdup(&req->pool, cache, SIZE_MAX).base,
                etag, public_json_csp, 1);
}

/* ---- The answer cache -------------------------------------------------------------------- */
/* Public answers are the same for everyone and already say `max-age`: clients and proxies may
 * keep them that long. The server keeps the rendered search and inmate answers in the shared
 * answer cache (cache.h) for at most PC_SECONDS_MAX (5 s, or max_age when shorter), keyed by
 * path and query, so a busy page or a civic group's poller costs SQLite and rendering once per
 * answer per few seconds. Any write through this server empties it at once (router.c); a
 * write by another process (an import) shows within those seconds, or at once when a staff
 * lookup notices it first (http__cache_sync). */

/* Answer c from the cache when it holds a fresh answer for its path; 1 when answered. */
static int pc_answer(struct http_call *c)
{
    struct http_cache_hit hit;
    if (pub == NULL || pub->pc_ms <= 0 || c->w->cache == NULL ||
        !http_cache_get(c->w->cache, HTTP_CACHE_PUBLIC, c->req->path.base, c->req->path.len,
                        http__now_ms(), http__pool_alloc, &c->req->pool, &hit))
        return 0;
    send_public_body(c->req, hit.body, hit.len, hit.tag);
    return 1;
}

/* Send a rendered public answer and keep it in the cache. */
static void send_public_json(struct http_call *c, const struct hc_buf *b)
{
    char tag[36];
    body_etag(b->data, b->len, tag);
    if (pub != NULL && pub->pc_ms > 0 && c->w->cache != NULL)
        http_cache_put(c->w->cache, HTTP_CACHE_PUBLIC, c->req->path.base, c->req->path.len,
                       b->data, b->len, tag, c->cache_epoch, http__now_ms(), pub->pc_ms);
    send_public_body(c->req, b->data, b->len, tag);
}

/* A buffer over the rest of the worker's arena (after what the request already took). */
static int arena_buf(struct http_worker *w, struct hc_buf *b)
{
    struct hc_arena *a = &w->arena;
    size_t room = a->cap - a->used > 64 ? a->cap - a->used - 64 : 0;
    char *mem = room ? hc_arena_alloc(a, room) : NULL;
    if (mem == NULL)
        return HC_ENOMEM;
    hc_buf_init(b, mem, room);
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static int valid_booking_no(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > 40)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

static int valid_token(const char *s, size_t n)
{
    size_t i;
    if (n != TOKEN_HEX)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Today's date, local time, days from now (negative: ago). */
static void local_day(int days, char out[11])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void utc_time(int seconds, char out[21])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The population query of policy p (who is listed at all). */
static void population(const struct store_public_policy *p, char since[11],
                       struct store_public_query *q)
{
    memset(q, 0, sizeof *q);
    q->fields = p->fields;
    local_day(-p->recent_days, since);
    q->released_since = since;
}

static void put_str_array(struct hc_buf *b, unsigned bits, int events)
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
        publish_put_jstr(b, events ? publish_event_name(bit) : publish_fields[i].name);
    }
    hc_buf_putc(b, ']');
}

static unsigned allowed_events(unsigned fields)
{
    unsigned e = 0, i;
    for (i = 0; i < 4; i++)
        if (booking_event_public(fields, 1u << i))
            e |= 1u << i;
    return e;
}

/* Read the policy in its own short read transaction, or answer 500 and return non-zero. */
static int read_policy(struct http_call *c, struct store_public_policy *p)
{
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    rc = store_public_policy_get(c->w->st, &c->w->arena, p);
    if (rc != HC_OK)
        pub_problem_rc(c->req, rc, &d);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/public/info and /status                                                        */

static void h_info(struct http_call *c)
{
    struct store_public_policy p;
    struct hc_buf b;
    char at[21];
    unsigned f;
    if (!admit(c->req, 1))
        return;
    hc_arena_reset(&c->w->arena);
    if (read_policy(c, &p) != HC_OK)
        return;
    if (arena_buf(c->w, &b) != HC_OK) {
        pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return;
    }
    f = p.fields;
    utc_time(0, at);
    hc_buf_puts(&b, "{\"published\":");
    put_str_array(&b, f, 0);
    hc_buf_puts(&b, ",\"recently_released_days\":");
    hc_buf_putu(&b, (unsigned long)p.recent_days);
    hc_buf_puts(&b, ",\"search\":{\"name\":");
    hc_buf_puts(&b, f & STORE_PUB_NAME ? "true" : "false");
    hc_buf_puts(&b, ",\"booking_no\":");
    hc_buf_puts(&b, f & STORE_PUB_BOOKING_NO ? "true" : "false");
    hc_buf_puts(&b, ",\"date_of_birth\":");
    hc_buf_puts(&b, f & STORE_PUB_NAME ? "true" : "false");
    hc_buf_puts(&b, ",\"facility\":");
    hc_buf_puts(&b, f & STORE_PUB_FACILITY ? "true" : "false");
    hc_buf_puts(&b, ",\"custody_status\":");
    hc_buf_puts(&b, f & (STORE_PUB_CUSTODY_STATUS | STORE_PUB_RECENTLY_RELEASED) ? "true" : "false");
    hc_buf_puts(&b, "},\"subscriptions\":{\"channels\":[\"email\",\"webhook\"],\"events\":");
    put_str_array(&b, allowed_events(f), 1);
    hc_buf_puts(&b, ",\"advance_days_max\":30},\"limits\":{\"page_max\":100,\"rate_per_second\":");
    hc_buf_putu(&b, (unsigned long)(pub ? pub->rate : 0));
    hc_buf_puts(&b, ",\"burst\":");
    hc_buf_putu(&b, (unsigned long)(pub ? pub->burst : 0));
    hc_buf_puts(&b, "},\"export\":{\"csv\":\"/api/v1/public/export.csv\",\"jsonl\":"
                    "\"/api/v1/public/export.jsonl\",\"snapshots\":\"/api/v1/public/snapshots\"}"
                    ",\"generated_at\":");
    publish_put_jstr(&b, at);
    hc_buf_putc(&b, '}');
    if (b.full) {
        pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return;
    }
    send_public_body(c->req, b.data, b.len, NULL);
}

static void h_status(struct http_call *c)
{
    struct store_public_policy p;
    struct store_facility_status *fs = NULL;
    const char *overall = NULL;
    struct hc_diag d;
    struct hc_buf b;
    size_t n = 0, i;
    char at[21];
    int rc;

    if (!admit(c->req, 1))
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if (store_read_begin(c->w->st) != HC_OK) {
        pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return;
    }
    rc = store_public_policy_get(c->w->st, &c->w->arena, &p);
    if (rc == HC_OK)
        rc = store_public_status(c->w->st, &c->w->arena, &fs, &n, &overall);
    store_read_end(c->w->st);
    if (rc == HC_OK)
        rc = arena_buf(c->w, &b);
    if (rc != HC_OK) {
        pub_problem_rc(c->req, rc, &d);
        return;
    }
    utc_time(0, at);
    hc_buf_puts(&b, "{\"facilities\":[");
    for (i = 0; (p.fields & STORE_PUB_FACILITY) && i < n; i++) {
        hc_buf_puts(&b, i ? ",{\"facility\":" : "{\"facility\":");
        publish_put_jstr(&b, fs[i].facility);
        hc_buf_puts(&b, ",\"data_changed_at\":");
        publish_put_jstr(&b, fs[i].changed_at);
        hc_buf_putc(&b, '}');
    }
    hc_buf_puts(&b, "],\"data_changed_at\":");
    publish_put_jstr(&b, overall);
    hc_buf_puts(&b, ",\"checked_at\":");
    publish_put_jstr(&b, at);
    hc_buf_putc(&b, '}');
    send_public_body(c->req, b.data, b.len, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */

/* Cursors: the last row's booking id, the policy version and the order, sealed with the
 * process's key (crypto_secretbox), so they reveal nothing and cannot be forged; a restart or a
 * policy change makes them invalid. */
struct cursor {
    int64_t booking_id;
    int64_t policy_version;
    int32_t by_name;
};
#define CURSOR_BYTES (8 + 8 + 4)

static void cursor_seal(const struct cursor *cu, char *out, size_t n)
{
    unsigned char plain[CURSOR_BYTES], boxed[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                             CURSOR_BYTES];
    int i;
    for (i = 0; i < 8; i++) {
        plain[i] = (unsigned char)((uint64_t)cu->booking_id >> (8 * i));
        plain[8 + i] = (unsigned char)((uint64_t)cu->policy_version >> (8 * i));
    }
    for (i = 0; i < 4; i++)
        plain[16 + i] = (unsigned char)((uint32_t)cu->by_name >> (8 * i));
    randombytes_buf(boxed, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(boxed + crypto_secretbox_NONCEBYTES, plain, sizeof plain, boxed,
                          pub->cursor_key);
    sodium_bin2base64(out, n, boxed, sizeof boxed, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int cursor_open(const char *text, struct cursor *cu)
{
    unsigned char boxed[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + CURSOR_BYTES];
    unsigned char plain[CURSOR_BYTES];
    size_t len = 0;
    uint64_t id = 0, ver = 0;
    uint32_t bn = 0;
    int i;
    if (sodium_base642bin(boxed, sizeof boxed, text, strlen(text), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != sizeof boxed ||
        crypto_secretbox_open_easy(plain, boxed + crypto_secretbox_NONCEBYTES,
                                   sizeof boxed - crypto_secretbox_NONCEBYTES, boxed,
                                   pub->cursor_key) != 0)
        return HC_EINVAL;
    for (i = 7; i >= 0; i--) {
        id = id << 8 | plain[i];
        ver = ver << 8 | plain[8 + i];
    }
    for (i = 3; i >= 0; i--)
        bn = bn << 8 | plain[16 + i];
    cu->booking_id = (int64_t)id;
    cu->policy_version = (int64_t)ver;
    cu->by_name = (int32_t)bn;
    return HC_OK;
}

enum { Q_NAME, Q_LAST, Q_FIRST, Q_BOOKING_NO, Q_DOB, Q_FACILITY, Q_STATUS, Q_LIMIT, Q_CURSOR,
       Q_N };

/* Fold a name part from a query value into out, in the arena. */
static const char *fold_part(struct hc_arena *a, const char *s, size_t n)
{
    char *out = hc_arena_alloc(a, n + 1);
    if (out == NULL || hc_namekey_fold(s, n, out, n + 1) < 0)
        return NULL;
    return out;
}

/* Check the search parameters against the policy and fill q. 0, or HC_EINVAL with d set. */
static int search_query(struct http_call *c, struct http_query_param *qp,
                        const struct store_public_policy *p, struct store_public_query *q,
                        struct hc_diag *d)
{
    unsigned f = p->fields;
    struct hc_arena *a = &c->w->arena;
    int64_t lim = PAGE_DEFAULT;
    int i;

    for (i = 0; i < Q_N; i++)
        if (qp[i].present && strlen(qp[i].value) > 100)
            return hc_diag_set(d, qp[i].name, "longer than 100 bytes", NULL);
    if ((qp[Q_NAME].present || qp[Q_LAST].present || qp[Q_FIRST].present || qp[Q_DOB].present) &&
        !(f & STORE_PUB_NAME)) {
        const char *which = qp[Q_NAME].present ? "name" : qp[Q_LAST].present ? "last"
                            : qp[Q_FIRST].present ? "first" : "dob";
        return hc_diag_set(d, which, "names are not published by this agency", NULL);
    }
    if (qp[Q_BOOKING_NO].present && !(f & STORE_PUB_BOOKING_NO))
        return hc_diag_set(d, "booking_no", "booking numbers are not published by this agency",
                           NULL);
    if (qp[Q_FACILITY].present && !(f & STORE_PUB_FACILITY))
        return hc_diag_set(d, "facility", "facilities are not published by this agency", NULL);
    if (qp[Q_STATUS].present &&
        !(f & (STORE_PUB_CUSTODY_STATUS | STORE_PUB_RECENTLY_RELEASED)))
        return hc_diag_set(d, "custody_status", "custody status is not published by this agency",
                           NULL);
    if (qp[Q_NAME].present && (qp[Q_LAST].present || qp[Q_FIRST].present))
        return hc_diag_set(d, "name", "give name, or last and first, not both", NULL);
    if (qp[Q_FIRST].present && !qp[Q_LAST].present)
        return hc_diag_set(d, "first", "needs last", NULL);
    if (qp[Q_DOB].present && !qp[Q_NAME].present && !qp[Q_LAST].present)
        return hc_diag_set(d, "dob", "search by date of birth needs a name (name or last)", NULL);
    if (qp[Q_NAME].present) {
        const char *v = qp[Q_NAME].value, *comma = strchr(v, ',');
        size_t ln = comma ? (size_t)(comma - v) : strlen(v);
        q->last = fold_part(a, v, ln);
        if (comma != NULL) {
            q->first = fold_part(a, comma + 1, strlen(comma + 1));
            if (q->first != NULL && q->first[0] == '\0')
                q->first = NULL;
        }
        if (q->last == NULL || q->last[0] == '\0')
            return hc_diag_set(d, "name", "the last name needs a letter or digit: 'Last, First'",
                               NULL);
    } else if (qp[Q_LAST].present) {
        q->last = fold_part(a, qp[Q_LAST].value, strlen(qp[Q_LAST].value));
        if (q->last == NULL || q->last[0] == '\0')
            return hc_diag_set(d, "last", "needs a letter or digit", NULL);
        if (qp[Q_FIRST].present) {
            q->first = fold_part(a, qp[Q_FIRST].value, strlen(qp[Q_FIRST].value));
            if (q->first == NULL || q->first[0] == '\0')
                return hc_diag_set(d, "first", "needs a letter or digit", NULL);
        }
    }
    if (qp[Q_BOOKING_NO].present) {
        if (!valid_booking_no(qp[Q_BOOKING_NO].value, strlen(qp[Q_BOOKING_NO].value)))
            return hc_diag_set(d, "booking_no", "use 1-40 letters, digits, '-', '_' or '.'", NULL);
        q->booking_no = qp[Q_BOOKING_NO].value;
    }
    if (qp[Q_DOB].present) {
        hc_day day;
        if (strlen(qp[Q_DOB].value) != 10 || hc_date_parse(qp[Q_DOB].value, 10, &day) != 0)
            return hc_diag_set(d, "dob", "expected a date YYYY-MM-DD", NULL);
        q->dob = qp[Q_DOB].value;
    }
    if (qp[Q_FACILITY].present)
        q->facility = qp[Q_FACILITY].value;
    if (qp[Q_STATUS].present) {
        if (strcmp(qp[Q_STATUS].value, "in_custody") != 0 &&
            strcmp(qp[Q_STATUS].value, "released") != 0)
            return hc_diag_set(d, "custody_status", "expected in_custody or released", NULL);
        q->custody_status = qp[Q_STATUS].value;
    }
    if (qp[Q_LIMIT].present && http__query_int(&qp[Q_LIMIT], 1, PAGE_MAX, &lim, d) != HC_OK)
        return HC_EINVAL;
    q->limit = (int)lim + 1; /* one more tells whether there is a next page */
    q->by_name = (f & STORE_PUB_NAME) != 0;
    if (qp[Q_CURSOR].present) {
        struct cursor cu;
        if (cursor_open(qp[Q_CURSOR].value, &cu) != HC_OK || cu.policy_version != p->version ||
            cu.by_name != q->by_name || cu.booking_id <= 0)
            return hc_diag_set(d, "cursor", "expired or invalid cursor; search again", NULL);
        q->has_after = 1;
        q->after_id = cu.booking_id;
    }
    return HC_OK;
}

static void h_search(struct http_call *c)
{
    struct http_query_param qp[Q_N] = {
        {.name = "name"}, {.name = "last"}, {.name = "first"}, {.name = "booking_no"},
        {.name = "dob"}, {.name = "facility"}, {.name = "custody_status"}, {.name = "limit"},
        {.name = "cursor"},
    };
    struct store_public_policy p;
    struct store_public_query q;
    struct store_public_row *rows = NULL;
    struct hc_diag d;
    struct hc_buf b;
    size_t n = 0, i, shown;
    char since[11], next[128];
    int rc, reading;

    if (!admit(c->req, 1) || pc_answer(c))
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, qp, Q_N, &d)) != HC_OK) {
        pub_problem_rc(c->req, rc, &d);
        return;
    }
    reading = store_read_begin(c->w->st) == HC_OK;
    rc = store_public_policy_get(c->w->st, &c->w->arena, &p);
    if (rc == HC_OK) {
        population(&p, since, &q);
        rc = search_query(c, qp, &p, &q, &d);
    }
    if (rc == HC_OK)
        rc = store_public_search(c->w->st, &q, &c->w->arena, &rows, &n);
    if (reading)
        store_read_end(c->w->st);
    if (rc == HC_OK)
        rc = arena_buf(c->w, &b);
    if (rc != HC_OK) {
        pub_problem_rc(c->req, rc, &d);
        return;
    }
    shown = n < (size_t)q.limit ? n : (size_t)q.limit - 1;
    hc_buf_puts(&b, "{\"inmates\":[");
    for (i = 0; i < shown; i++) {
        if (i)
            hc_buf_putc(&b, ',');
        publish_json(&b, &rows[i], p.fields, c->w->cat);
    }
    hc_buf_puts(&b, "],\"next_cursor\":");
    if (n > shown && shown > 0) {
        struct cursor cu = {rows[shown - 1].booking_id, p.version, q.by_name};
        cursor_seal(&cu, next, sizeof next);
        publish_put_jstr(&b, next);
    } else {
        hc_buf_puts(&b, "null");
    }
    hc_buf_puts(&b, ",\"limit\":");
    hc_buf_putu(&b, (unsigned long)(q.limit - 1));
    hc_buf_putc(&b, '}');
    if (b.full) {
        hc_diag_clear(&d);
        pub_problem_rc(c->req, HC_ENOMEM, &d);
        return;
    }
    send_public_json(c, &b);
}

static void h_inmate(struct http_call *c)
{
    struct store_public_policy p;
    struct store_public_query q;
    struct store_public_row *rows = NULL;
    struct hc_diag d;
    struct hc_buf b;
    size_t n = 0;
    char since[11];
    int rc, reading;

    if (!admit(c->req, 1) || pc_answer(c))
        return;
    if (c->param_len >= sizeof c->param || !valid_booking_no(c->param, c->param_len)) {
        pub_problem(c->req, 400, "bad booking number: use 1-40 letters, digits, '-', '_' or '.'",
                    "booking_no");
        return;
    }
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    reading = store_read_begin(c->w->st) == HC_OK;
    rc = store_public_policy_get(c->w->st, &c->w->arena, &p);
    if (rc == HC_OK && (p.fields & STORE_PUB_BOOKING_NO)) {
        population(&p, since, &q);
        q.booking_no = c->param;
        q.limit = 1;
        rc = store_public_search(c->w->st, &q, &c->w->arena, &rows, &n);
    }
    if (reading)
        store_read_end(c->w->st);
    if (rc == HC_OK && n == 0) {
        pub_problem(c->req, 404, "no such booking in the public list", "booking_no");
        return;
    }
    if (rc == HC_OK)
        rc = arena_buf(c->w, &b);
    if (rc != HC_OK) {
        pub_problem_rc(c->req, rc, &d);
        return;
    }
    publish_json(&b, &rows[0], p.fields, c->w->cat);
    send_public_json(c, &b);
}

/* ------------------------------------------------------------------------------------------ */
/* Exports and snapshots                                                                      */

/* Whether a snapshot made under `fields` may be served under the policy now: it must not hold
 * a field the policy no longer publishes. */
static int snapshot_servable(unsigned snap_fields, unsigned now_fields)
{
    return (snap_fields & ~now_fields) == 0;
}

static void send_snapshot(struct http_call *c, const struct store_snapshot *s, int csv,
                          int latest)
{
    char path[4200], disp[120], cache[48];
    struct stat stt;
    snprintf(path, sizeof path, "%s/%s.%s", pub->snapshot_dir, s->date, csv ? "csv" : "jsonl");
    if (stat(path, &stt) != 0) {
        pub_problem(c->req, 404, "no snapshot file for that date", "date");
        return;
    }
    snprintf(disp, sizeof disp, "attachment; filename=\"holdcheck-public-%s.%s\"", s->date,
             csv ? "csv" : "jsonl");
    snprintf(cache, sizeof cache, "public, max-age=%d", latest ? EXPORT_MAX_AGE : 86400);
    http__add_header(c->req, H2O_TOKEN_CACHE_CONTROL, h2o_strdup(&c->req->pool, cache, SIZE_MAX).base);
    http__add_header_str(c->req, "content-disposition", h2o_strdup(&c->req->pool, disp, SIZE_MAX).base);
    http__add_header_str(c->req, "x-content-type-options", "nosniff");
    http__add_header_str(c->req, "content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    http__add_header_str(c->req, "referrer-policy", "no-referrer");
    http__add_header_str(c->req, "access-control-allow-origin", "*");
    if (csv)
        h2o_file_send(c->req, 200, "OK", path, h2o_iovec_init(H2O_STRLIT("text/csv; charset=utf-8")), 0);
    else
        h2o_file_send(c->req, 200, "OK", path, h2o_iovec_init(H2O_STRLIT("application/x-ndjson")), 0);
}

/* The policy and the snapshots (newest first), or an answer and non-zero. */
static int read_snapshots(struct http_call *c, struct store_public_policy *p,
                          struct store_snapshot **s, size_t *n)
{
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if (pub == NULL || pub->snapshot_dir == NULL) {
        pub_problem(c->req, 404, "this server keeps no snapshots", NULL);
        return HC_ENOENT;
    }
    rc = store_read_begin(c->w->st);
    if (rc == HC_OK) {
        rc = store_public_policy_get(c->w->st, &c->w->arena, p);
        if (rc == HC_OK)
            rc = store_snapshot_list(c->w->st, &c->w->arena, s, n);
        store_read_end(c->w->st);
    }
    if (rc != HC_OK)
        pub_problem_rc(c->req, rc, &d);
    return rc;
}

static void export_latest(struct http_call *c, int csv)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    size_t n = 0, i;
    if (!admit(c->req, 1) || read_snapshots(c, &p, &s, &n) != HC_OK)
        return;
    /* The newest snapshot made under this very policy version; an older one would lack a
     * field now published or, worse, hold one no longer published. */
    for (i = 0; i < n; i++)
        if (s[i].policy_version == p.version && snapshot_servable(s[i].fields, p.fields)) {
            send_snapshot(c, &s[i], csv, 1);
            return;
        }
    http__add_header(c->req, H2O_TOKEN_RETRY_AFTER, "5");
    pub_problem(c->req, 503, "the export for the current publication policy is being written; "
                "retry in a few seconds", NULL);
}

static void h_export_csv(struct http_call *c) { export_latest(c, 1); }
static void h_export_jsonl(struct http_call *c) { export_latest(c, 0); }

static void h_snapshots(struct http_call *c)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    struct hc_buf b;
    size_t n = 0, i;
    int first = 1;
    if (!admit(c->req, 1) || read_snapshots(c, &p, &s, &n) != HC_OK)
        return;
    if (arena_buf(c->w, &b) != HC_OK) {
        pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return;
    }
    hc_buf_puts(&b, "{\"snapshots\":[");
    for (i = 0; i < n; i++) {
        if (!snapshot_servable(s[i].fields, p.fields))
            continue; /* withdrawn */
        hc_buf_puts(&b, first ? "{\"date\":" : ",{\"date\":");
        first = 0;
        publish_put_jstr(&b, s[i].date);
        hc_buf_puts(&b, ",\"generated_at\":");
        publish_put_jstr(&b, s[i].generated_at);
        hc_buf_puts(&b, ",\"rows\":");
        hc_buf_putu(&b, (unsigned long)s[i].rows);
        hc_buf_puts(&b, ",\"published\":");
        put_str_array(&b, s[i].fields, 0);
        hc_buf_puts(&b, ",\"csv\":\"/api/v1/public/snapshots/");
        hc_buf_puts(&b, s[i].date);
        hc_buf_puts(&b, ".csv\",\"jsonl\":\"/api/v1/public/snapshots/");
        hc_buf_puts(&b, s[i].date);
        hc_buf_puts(&b, ".jsonl\"}");
    }
    hc_buf_puts(&b, "]}");
    send_public_body(c->req, b.data, b.len, NULL);
}

static void h_snapshot_file(struct http_call *c)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    size_t n = 0, i;
    hc_day day;
    int csv;
    if (!admit(c->req, 1))
        return;
    if (c->param_len == 14 && strcmp(c->param + 10, ".csv") == 0)
        csv = 1;
    else if (c->param_len == 16 && strcmp(c->param + 10, ".jsonl") == 0)
        csv = 0;
    else
        csv = -1;
    if (csv < 0 || hc_date_parse(c->param, 10, &day) != 0) {
        pub_problem(c->req, 400, "expected YYYY-MM-DD.csv or YYYY-MM-DD.jsonl", "date");
        return;
    }
    if (read_snapshots(c, &p, &s, &n) != HC_OK)
        return;
    for (i = 0; i < n; i++) {
        if (strncmp(s[i].date, c->param, 10) != 0)
            continue;
        if (!snapshot_servable(s[i].fields, p.fields)) {
            pub_problem(c->req, 410, "withdrawn: this snapshot holds fields the agency no longer "
                        "publishes", "date");
            return;
        }
        send_snapshot(c, &s[i], csv, 0);
        return;
    }
    pub_problem(c->req, 404, "no snapshot for that date", "date");
}

/* ------------------------------------------------------------------------------------------ */
/* Subscriptions                                                                              */

static int valid_email(const char *s)
{
    const char *at = strrchr(s, '@'), *p;
    size_t n = strlen(s), label = 0;
    if (n < 3 || n > 254 || at == NULL || at == s || at - s > 64 || at[1] == '\0')
        return 0;
    for (p = s; p < at; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".!#$%&'*+/=?^_`{|}~-", *p) != NULL))
            return 0;
    if (s[0] == '.' || at[-1] == '.')
        return 0;
    for (p = at + 1; *p; p++) {
        if (*p == '.') {
            if (label == 0)
                return 0;
            label = 0;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '-') {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label > 0;
}

/* Whether an IPv4 address (network order bytes) is loopback, private, link-local or
 * otherwise not a public host. */
static int private_v4(const unsigned char *a)
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224;
}

/* Check a webhook URL: http://HOST[:PORT][/PATH], HOST a name, an IPv4 address or [IPv6];
 * an address literal that is not public is refused unless allowed. */
static int check_url(const char *u, int allow_private, struct hc_diag *d)
{
    const char *h, *p;
    size_t n = strlen(u), i;
    if (n > 2048)
        return hc_diag_set(d, "url", "longer than 2048 bytes", NULL);
    for (i = 0; i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
            return hc_diag_set(d, "url", "only printable ASCII, no spaces", NULL);
    if (strncasecmp(u, "https://", 8) == 0)
        return hc_diag_set(d, "url", "https webhooks are not supported by this server yet; use "
                           "http:// behind a TLS proxy of your own", NULL);
    if (strncasecmp(u, "http://", 7) != 0)
        return hc_diag_set(d, "url", "expected an http:// URL", NULL);
    h = u + 7;
    if (*h == '[') {
        p = strchr(h, ']');
        if (p == NULL || p == h + 1)
            return hc_diag_set(d, "url", "bad IPv6 host", NULL);
        p++;
    } else {
        for (p = h; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#'; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '.' || *p == '-'))
                return hc_diag_set(d, "url", "bad host name", NULL);
        if (p == h)
            return hc_diag_set(d, "url", "no host", NULL);
    }
    if (*p == ':') {
        long port = 0;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9' && port <= 65535)
            port = port * 10 + (*q++ - '0');
        if (q == p + 1 || port < 1 || port > 65535 || (*q && *q != '/' && *q != '?'))
            return hc_diag_set(d, "url", "bad port", NULL);
    }
    if (strchr(u, '#') != NULL)
        return hc_diag_set(d, "url", "no fragment (#) in a webhook URL", NULL);
    if (!allow_private) {
        unsigned char a4[4];
        char host[300];
        size_t hl = (size_t)(p - h);
        if (hl < sizeof host) {
            memcpy(host, h, hl);
            host[hl] = '\0';
            if (host[0] == '[' || strcasecmp(host, "localhost") == 0 ||
                (inet_pton(AF_INET, host, a4) == 1 && private_v4(a4)))
                return hc_diag_set(d, "url", "webhooks to loopback or private addresses are not "
                                   "allowed on this server", NULL);
        }
    }
    return HC_OK;
}

static const char *const subscribe_keys[] = {"booking_no", "channel", "address", "url",
                                             "events", "advance_days", "lang"};

static void h_subscribe(struct http_call *c)
{
    struct store_public_policy p;
    struct store_public_query q;
    struct store_public_row *rows = NULL;
    struct store_subscription sub;
    struct hc_diag d;
    json_t *root, *ev, *v;
    unsigned char rnd[32];
    char ctok[TOKEN_HEX + 1], utok[TOKEN_HEX + 1], secret[TOKEN_HEX + 1], since[11];
    char out[1024];
    int64_t delivery = 0;
    size_t n = 0, i;
    int rc, email;

    if (!admit(c->req, SUBSCRIBE_COST))
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    memset(&sub, 0, sizeof sub);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", subscribe_keys, NKEYS(subscribe_keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "booking_no", 1, 40, HTTP_K_TEXT, &sub.booking_no, &d)) ||
        (rc = http__get_str(root, "", "channel", 1, 16, HTTP_K_TEXT, &sub.channel, &d)) ||
        (rc = http__get_str(root, "", "lang", 0, 8, HTTP_K_TEXT, &sub.lang, &d)))
        goto out;
    if (!valid_booking_no(sub.booking_no, strlen(sub.booking_no))) {
        rc = hc_diag_set(&d, "booking_no", "use 1-40 letters, digits, '-', '_' or '.'", NULL);
        goto out;
    }
    email = strcmp(sub.channel, "email") == 0;
    if (!email && strcmp(sub.channel, "webhook") != 0) {
        rc = hc_diag_set(&d, "channel", "expected email or webhook", NULL);
        goto out;
    }
    if (json_object_get(root, email ? "url" : "address") != NULL) {
        rc = hc_diag_set(&d, email ? "url" : "address",
                         email ? "an email subscription takes address, not url"
                               : "a webhook subscription takes url, not address", NULL);
        goto out;
    }
    if (email) {
        if ((rc = http__get_str(root, "", "address", 1, 254, HTTP_K_TEXT, &sub.target, &d)))
            goto out;
        if (!valid_email(sub.target)) {
            rc = hc_diag_set(&d, "address", "expected an email address", NULL);
            goto out;
        }
    } else {
        if ((rc = http__get_str(root, "", "url", 1, 2048, HTTP_K_TEXT, &sub.target, &d)) ||
            (rc = check_url(sub.target, pub ? pub->allow_private : 0, &d)))
            goto out;
    }
    if (sub.lang == NULL)
        sub.lang = "en";
    if (strcmp(sub.lang, "en") != 0 && strcmp(sub.lang, "es") != 0) {
        rc = hc_diag_set(&d, "lang", "expected en or es", NULL);
        goto out;
    }
    sub.advance_days = 3;
    if ((v = json_object_get(root, "advance_days")) != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 30) {
            rc = hc_diag_set(&d, "advance_days", "expected a whole number from 1 to 30", NULL);
            goto out;
        }
        sub.advance_days = (int)json_integer_value(v);
    }
    if ((rc = read_policy(c, &p)) != HC_OK) {
        json_decref(root);
        return;
    }
    if ((rc = http__get_array(root, "", "events", 4, &ev, &d)) != HC_OK)
        goto out;
    if (ev == NULL) {
        sub.events = allowed_events(p.fields);
    } else {
        json_array_foreach(ev, i, v) {
            char f[40];
            unsigned bit = json_is_string(v) ? publish_event_bit(json_string_value(v)) : 0;
            snprintf(f, sizeof f, "events[%zu]", i);
            if (bit == 0) {
                rc = hc_diag_set(&d, f, "expected released, transferred, release_date or "
                                 "advance_notice", NULL);
                goto out;
            }
            if (!booking_event_public(p.fields, bit)) {
                rc = hc_diag_set(&d, f, "this agency does not publish what this event would tell",
                                 NULL);
                goto out;
            }
            sub.events |= bit;
        }
    }
    if (!(p.fields & STORE_PUB_BOOKING_NO)) {
        rc = hc_diag_set(&d, "booking_no", "booking numbers are not published by this agency",
                         NULL);
        rc = HC_ENOENT;
        goto out;
    }
    if (sub.events == 0) {
        rc = hc_diag_set(&d, "events", "no event to subscribe to", NULL);
        goto out;
    }
    /* Only bookings the public can see may be subscribed to. */
    population(&p, since, &q);
    q.booking_no = sub.booking_no;
    q.limit = 1;
    if ((rc = store_public_search(c->w->st, &q, &c->w->arena, &rows, &n)) != HC_OK)
        goto out;
    if (n == 0) {
        hc_diag_set(&d, "booking_no", "no such booking in the public list", NULL);
        rc = HC_ENOENT;
        goto out;
    }
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(ctok, sizeof ctok, rnd, sizeof rnd);
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(utok, sizeof utok, rnd, sizeof rnd);
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(secret, sizeof secret, rnd, sizeof rnd);
    sodium_memzero(rnd, sizeof rnd);
    sub.confirm_token = ctok;
    sub.unsubscribe_token = utok;
    sub.secret = email ? NULL : secret;
    rc = store_subscription_add(c->w->st, &sub, &delivery);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "booking_no", "no such booking in the public list", NULL);
    if (rc != HC_OK)
        goto out;
    {
        struct hc_buf b;
        hc_buf_init(&b, out, sizeof out);
        hc_buf_puts(&b, "{\"status\":\"pending_confirmation\",\"booking_no\":");
        publish_put_jstr(&b, sub.booking_no);
        hc_buf_puts(&b, ",\"channel\":");
        publish_put_jstr(&b, sub.channel);
        hc_buf_puts(&b, ",\"events\":");
        put_str_array(&b, sub.events, 1);
        hc_buf_puts(&b, ",\"advance_days\":");
        hc_buf_putu(&b, (unsigned long)sub.advance_days);
        if (!email) {
            /* Shown once; when the URL was already confirmed this key is not stored, so the
             * answer looks the same whether or not it was (docs/public-api.md). */
            hc_buf_puts(&b, ",\"secret\":\"whsec_");
            hc_buf_puts(&b, secret);
            hc_buf_putc(&b, '"');
        }
        hc_buf_putc(&b, '}');
        http__respond(c->req, 202, "application/json", b.data, b.len);
    }
out:
    sodium_memzero(secret, sizeof secret);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    json_decref(root);
}

/* The token of the path, or NULL after answering 400. */
static const char *param_token(struct http_call *c)
{
    if (c->param_len >= sizeof c->param || !valid_token(c->param, c->param_len)) {
        http__problem(c->req, 400, "bad token: expected 64 lower-case hex digits", "token");
        return NULL;
    }
    return c->param;
}

static void h_confirm(struct http_call *c)
{
    struct store_subscription_info info;
    struct hc_diag d;
    const char *tok;
    char cutoff[21], out[512];
    struct hc_buf b;
    int rc;
    if (!admit(c->req, 1) || (tok = param_token(c)) == NULL)
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    utc_time(-PENDING_DAYS * 86400, cutoff);
    rc = store_subscription_confirm(c->w->st, tok, cutoff, &c->w->arena, &info);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "token", "unknown, expired or ended subscription", NULL);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"confirmed\":true,\"booking_no\":");
    publish_put_jstr(&b, info.booking_no);
    hc_buf_puts(&b, ",\"events\":");
    put_str_array(&b, info.events, 1);
    hc_buf_putc(&b, '}');
    http__respond(c->req, 200, "application/json", b.data, b.len);
}

static void h_unsubscribe(struct http_call *c)
{
    struct hc_diag d;
    const char *tok;
    int64_t cancelled = 0;
    int rc;
    if (!admit(c->req, 1) || (tok = param_token(c)) == NULL)
        return;
    hc_diag_clear(&d);
    rc = store_subscription_unsubscribe(c->w->st, tok, &cancelled);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "token", "unknown subscription", NULL);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    http__respond(c->req, 200, "application/json", "{\"unsubscribed\":true}", 21);
}

/* GET of a token link: the page does the POST, so a mail scanner's GET changes nothing. */
static void redirect_to_page(struct http_call *c, const char *what)
{
    const char *tok;
    char loc[120];
    if (!admit(c->req, 1) || (tok = param_token(c)) == NULL)
        return;
    snprintf(loc, sizeof loc, "/?%s=%s", what, tok);
    http__add_header(c->req, H2O_TOKEN_LOCATION, h2o_strdup(&c->req->pool, loc, SIZE_MAX).base);
    http__add_header(c->req, H2O_TOKEN_CACHE_CONTROL, "no-store");
    http__add_header_str(c->req, "x-content-type-options", "nosniff");
    http__add_header_str(c->req, "referrer-policy", "no-referrer");
    c->req->res.status = 303;
    c->req->res.reason = "See Other";
    c->req->res.content_length = 0;
    h2o_send_inline(c->req, "", 0);
}

static void h_confirm_get(struct http_call *c) { redirect_to_page(c, "confirm"); }
static void h_unsubscribe_get(struct http_call *c) { redirect_to_page(c, "unsubscribe"); }

/* ------------------------------------------------------------------------------------------ */
/* Staff: publication policy, booking updates, deliveries                                     */

static void respond_policy(struct http_call *c, int status)
{
    struct store_public_policy p;
    struct hc_buf b;
    size_t i;
    hc_arena_reset(&c->w->arena);
    if (read_policy(c, &p) != HC_OK)
        return;
    if (arena_buf(c->w, &b) != HC_OK) {
        http__problem(c->req, 500, "internal error; see the server log", NULL);
        return;
    }
    hc_buf_puts(&b, "{\"published\":");
    put_str_array(&b, p.fields, 0);
    hc_buf_puts(&b, ",\"recently_released_days\":");
    hc_buf_putu(&b, (unsigned long)p.recent_days);
    hc_buf_puts(&b, ",\"release_dates_public_elsewhere\":");
    hc_buf_puts(&b, p.release_elsewhere ? "true" : "false");
    hc_buf_puts(&b, ",\"release_dates_public\":");
    hc_buf_puts(&b, p.release_dates_public ? "true" : "false");
    hc_buf_puts(&b, ",\"personal_info_public\":");
    hc_buf_puts(&b, p.personal_info_public ? "true" : "false");
    hc_buf_puts(&b, ",\"version\":");
    hc_buf_putu(&b, (unsigned long)p.version);
    hc_buf_puts(&b, ",\"updated_at\":");
    publish_put_jstr(&b, p.updated_at);
    hc_buf_puts(&b, ",\"updated_by\":");
    publish_put_jstr(&b, p.updated_by);
    hc_buf_puts(&b, ",\"fields\":[");
    for (i = 0; i < PUBLISH_NFIELDS; i++) {
        hc_buf_puts(&b, i ? ",{\"field\":" : "{\"field\":");
        publish_put_jstr(&b, publish_fields[i].name);
        hc_buf_puts(&b, ",\"published\":");
        hc_buf_puts(&b, p.fields & publish_fields[i].bit ? "true" : "false");
        hc_buf_puts(&b, ",\"legal_effect\":");
        publish_put_jstr(&b, publish_fields[i].effect);
        hc_buf_putc(&b, '}');
    }
    hc_buf_puts(&b, "],\"never_public\":");
    publish_put_jstr(&b, publish_never_public);
    hc_buf_putc(&b, '}');
    http__respond(c->req, status, "application/json", b.data, b.len);
}

static void h_policy_get(struct http_call *c) { respond_policy(c, 200); }

static void h_policy_put(struct http_call *c)
{
    static const char *const keys[] = {"published", "recently_released_days",
                                       "release_dates_public_elsewhere"};
    struct store_public_policy p;
    struct hc_diag d;
    json_t *root, *arr, *v;
    size_t i;
    int rc;

    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK)
        goto out;
    for (i = 0; i < NKEYS(keys); i++)
        if (json_object_get(root, keys[i]) == NULL) {
            rc = hc_diag_set(&d, keys[i], "required (PUT replaces the whole policy)", NULL);
            goto out;
        }
    arr = json_object_get(root, "published");
    if (!json_is_array(arr) || json_array_size(arr) > PUBLISH_NFIELDS) {
        rc = hc_diag_set(&d, "published", "expected an array of field names", NULL);
        goto out;
    }
    json_array_foreach(arr, i, v) {
        char f[40];
        unsigned bit = json_is_string(v) ? publish_field_bit(json_string_value(v)) : 0;
        snprintf(f, sizeof f, "published[%zu]", i);
        if (bit == 0) {
            rc = hc_diag_set(&d, f, "expected one of name, booking_no, booking_date, charges, "
                             "bail, next_court_date, facility, custody_status, scheduled_release, "
                             "recently_released", NULL);
            goto out;
        }
        if (p.fields & bit) {
            rc = hc_diag_set(&d, f, "given twice", NULL);
            goto out;
        }
        p.fields |= bit;
    }
    v = json_object_get(root, "recently_released_days");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 90) {
        rc = hc_diag_set(&d, "recently_released_days", "expected a whole number from 1 to 90",
                         NULL);
        goto out;
    }
    p.recent_days = (int)json_integer_value(v);
    if ((rc = http__get_bool(root, "", "release_dates_public_elsewhere", 0, &p.release_elsewhere,
                             &d)) != HC_OK)
        goto out;
    if ((rc = store_public_policy_set(c->w->st, &p, c->who.name)) != HC_OK)
        goto out;
    json_decref(root);
    respond_policy(c, 200);
    return;
out:
    http__problem_rc(c->req, rc, &d);
    json_decref(root);
}

static const char *const patch_keys[] = {"status", "released_at", "release_reason", "facility",
                                         "scheduled_release", "bail", "next_court_date"};

/* A nullable string member: absent (0), null (set, NULL), or checked text (set). */
static int patch_str(json_t *root, const char *key, unsigned bit, size_t maxlen,
                     enum http_str_kind kind, struct store_booking_patch *p, const char **out,
                     struct hc_diag *d)
{
    json_t *v = json_object_get(root, key);
    if (v == NULL)
        return HC_OK;
    p->set |= bit;
    *out = NULL;
    if (json_is_null(v))
        return HC_OK;
    return http__get_str(root, "", key, 1, maxlen, kind, out, d);
}

static void h_booking_patch(struct http_call *c)
{
    struct store_booking_patch p;
    struct store_booking_state st;
    struct hc_diag d;
    json_t *root, *v;
    char out[2048];
    struct hc_buf b;
    int rc;

    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if (c->param_len >= sizeof c->param || !valid_booking_no(c->param, c->param_len)) {
        http__problem(c->req, 400, "bad booking number: use 1-40 letters, digits, '-', '_' or '.'",
                      "booking_no");
        return;
    }
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", patch_keys, NKEYS(patch_keys), &d)) != HC_OK ||
        (rc = patch_str(root, "status", STORE_PATCH_STATUS, 16, HTTP_K_BOOKING_STATUS, &p,
                        &p.status, &d)) ||
        (rc = patch_str(root, "released_at", STORE_PATCH_RELEASED_AT, 40, HTTP_K_TIME, &p,
                        &p.released_at, &d)) ||
        (rc = patch_str(root, "release_reason", STORE_PATCH_RELEASE_REASON, 200, HTTP_K_TEXT, &p,
                        &p.release_reason, &d)) ||
        (rc = patch_str(root, "facility", STORE_PATCH_FACILITY, 200, HTTP_K_TEXT, &p,
                        &p.facility, &d)) ||
        (rc = patch_str(root, "scheduled_release", STORE_PATCH_SCHEDULED_RELEASE, 40, HTTP_K_TIME,
                        &p, &p.scheduled_release, &d)) ||
        (rc = patch_str(root, "next_court_date", STORE_PATCH_NEXT_COURT_DATE, 40, HTTP_K_TIME, &p,
                        &p.next_court_date, &d)))
        goto out;
    if ((p.set & STORE_PATCH_STATUS) && p.status == NULL) {
        rc = hc_diag_set(&d, "status", "may not be null", NULL);
        goto out;
    }
    if ((p.set & STORE_PATCH_FACILITY) && p.facility == NULL) {
        rc = hc_diag_set(&d, "facility", "may not be null", NULL);
        goto out;
    }
    if ((v = json_object_get(root, "bail")) != NULL) {
        p.set |= STORE_PATCH_BAIL;
        if (json_is_null(v)) {
            p.has_bail = 0;
        } else if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) {
            p.has_bail = 1;
            p.bail = -1;
        } else if (json_is_integer(v) && json_integer_value(v) >= 0 &&
                   json_integer_value(v) <= 10000000000LL) {
            p.has_bail = 1;
            p.bail = json_integer_value(v);
        } else {
            rc = hc_diag_set(&d, "bail", "expected whole dollars (0 to 10000000000), \"none\" "
                             "(held without bail) or null", NULL);
            goto out;
        }
    }
    if (p.set == 0) {
        rc = hc_diag_set(&d, "", "nothing to change: give at least one of status, released_at, "
                         "release_reason, facility, scheduled_release, bail, next_court_date", NULL);
        goto out;
    }
    hc_arena_reset(&c->w->arena);
    if ((rc = booking_update(c->w->st, c->param, &p, c->who.name, &c->w->arena, &st, &d)))
        goto out;
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"booking_no\":");
    publish_put_jstr(&b, st.booking_no);
    hc_buf_puts(&b, ",\"facility\":");
    publish_put_jstr(&b, st.facility);
    hc_buf_puts(&b, ",\"status\":");
    publish_put_jstr(&b, st.status);
    hc_buf_puts(&b, ",\"scheduled_release\":");
    publish_put_jstr(&b, st.scheduled_release);
    hc_buf_puts(&b, ",\"released_at\":");
    publish_put_jstr(&b, st.released_at);
    hc_buf_puts(&b, ",\"release_reason\":");
    publish_put_jstr(&b, st.release_reason);
    hc_buf_puts(&b, ",\"bail\":");
    if (!st.has_bail) {
        hc_buf_puts(&b, "null");
    } else if (st.bail < 0) {
        hc_buf_puts(&b, "\"none\"");
    } else {
        char num[24];
        snprintf(num, sizeof num, "%" PRId64, st.bail);
        hc_buf_puts(&b, num);
    }
    hc_buf_puts(&b, ",\"next_court_date\":");
    publish_put_jstr(&b, st.next_court_date);
    hc_buf_puts(&b, ",\"events\":");
    put_str_array(&b, st.events, 1);
    hc_buf_puts(&b, ",\"deliveries_queued\":");
    hc_buf_putu(&b, (unsigned long)st.deliveries);
    hc_buf_putc(&b, '}');
    http__respond(c->req, 200, "application/json", b.data, b.len);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    json_decref(root);
}

static void h_deliveries(struct http_call *c)
{
    struct http_query_param qp[] = {{.name = "status"}, {.name = "after"}, {.name = "limit"}};
    struct store_delivery_row *r = NULL;
    struct hc_diag d;
    struct hc_buf b;
    int64_t after = 0, lim = 100;
    size_t n = 0, i;
    const char *status = NULL;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, qp, NKEYS(qp), &d)) != HC_OK ||
        (qp[1].present && (rc = http__query_int(&qp[1], 0, INT64_MAX / 2, &after, &d)) != HC_OK) ||
        (qp[2].present && (rc = http__query_int(&qp[2], 1, 500, &lim, &d)) != HC_OK))
        goto out;
    if (qp[0].present) {
        static const char *const st[] = {"pending", "sending", "delivered", "failed", "cancelled"};
        for (i = 0; i < NKEYS(st) && strcmp(st[i], qp[0].value) != 0; i++)
            ;
        if (i == NKEYS(st)) {
            rc = hc_diag_set(&d, "status", "expected pending, sending, delivered, failed or "
                             "cancelled", NULL);
            goto out;
        }
        status = qp[0].value;
    }
    if ((rc = store_delivery_list(c->w->st, status, after, (int)lim, &c->w->arena, &r, &n)) ||
        (rc = arena_buf(c->w, &b)))
        goto out;
    hc_buf_puts(&b, "{\"deliveries\":[");
    for (i = 0; i < n; i++) {
        hc_buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        hc_buf_putu(&b, (unsigned long)r[i].id);
        hc_buf_puts(&b, ",\"event_id\":");
        hc_buf_putu(&b, (unsigned long)r[i].event_id);
        hc_buf_puts(&b, ",\"subscription_id\":");
        hc_buf_putu(&b, (unsigned long)r[i].subscription_id);
        hc_buf_puts(&b, ",\"kind\":");
        publish_put_jstr(&b, r[i].kind);
        hc_buf_puts(&b, ",\"channel\":");
        publish_put_jstr(&b, r[i].channel);
        hc_buf_puts(&b, ",\"booking_no\":");
        publish_put_jstr(&b, r[i].booking_no);
        hc_buf_puts(&b, ",\"status\":");
        publish_put_jstr(&b, r[i].status);
        hc_buf_puts(&b, ",\"attempts\":");
        hc_buf_putu(&b, (unsigned long)r[i].attempts);
        hc_buf_puts(&b, ",\"next_attempt_at\":");
        publish_put_jstr(&b, r[i].next_attempt_at);
        hc_buf_puts(&b, ",\"last_error\":");
        publish_put_jstr(&b, r[i].last_error);
        hc_buf_puts(&b, ",\"created_at\":");
        publish_put_jstr(&b, r[i].created_at);
        hc_buf_puts(&b, ",\"delivered_at\":");
        publish_put_jstr(&b, r[i].delivered_at);
        hc_buf_putc(&b, '}');
    }
    hc_buf_puts(&b, "],\"next_after\":");
    if (n == (size_t)lim && n > 0)
        hc_buf_putu(&b, (unsigned long)r[n - 1].id);
    else
        hc_buf_puts(&b, "null");
    hc_buf_putc(&b, '}');
    http__respond(c->req, 200, "application/json", b.data, b.len);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
}

/* ------------------------------------------------------------------------------------------ */
/* The page: web/public, embedded                                                             */

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

static void h_static(struct http_call *c)
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
            send_cached(c->req, wf->ctype, (const char *)wf->data, wf->len,
                        hashed_name(wf->path) ? "public, max-age=31536000, immutable" : "no-cache",
                        pub ? pub->etags[mid] : NULL, page_csp, 0);
            return;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    http__problem(c->req, 404, "no such route", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* This file's routes                                                                         */

const struct http_route http_public_routes[] = {
    {"GET", "/api/v1/public/info", HTTP_ANYONE, HTTP_BODY_NONE, h_info},
    {"GET", "/api/v1/public/status", HTTP_ANYONE, HTTP_BODY_NONE, h_status},
    {"GET", "/api/v1/public/inmates", HTTP_ANYONE, HTTP_BODY_NONE, h_search},
    {"GET", "/api/v1/public/inmates/{booking_no}", HTTP_ANYONE, HTTP_BODY_NONE, h_inmate},
    {"GET", "/api/v1/public/export.csv", HTTP_ANYONE, HTTP_BODY_NONE, h_export_csv},
    {"GET", "/api/v1/public/export.jsonl", HTTP_ANYONE, HTTP_BODY_NONE, h_export_jsonl},
    {"GET", "/api/v1/public/snapshots", HTTP_ANYONE, HTTP_BODY_NONE, h_snapshots},
    {"GET", "/api/v1/public/snapshots/{date}", HTTP_ANYONE, HTTP_BODY_NONE, h_snapshot_file},
    {"POST", "/api/v1/public/subscriptions", HTTP_ANYONE, HTTP_BODY_JSON, h_subscribe},
    {"POST", "/api/v1/public/subscriptions/confirm/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_confirm},
    {"GET", "/api/v1/public/subscriptions/confirm/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_confirm_get},
    {"POST", "/api/v1/public/subscriptions/unsubscribe/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_unsubscribe},
    {"GET", "/api/v1/public/subscriptions/unsubscribe/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_unsubscribe_get},
    {"GET", "/api/v1/agency/publication", AUTH_ADMIN, HTTP_BODY_NONE, h_policy_get},
    {"PUT", "/api/v1/agency/publication", AUTH_ADMIN, HTTP_BODY_JSON, h_policy_put},
    {"PATCH", "/api/v1/bookings/{booking_no}", HTTP_WRITERS, HTTP_BODY_JSON, h_booking_patch},
    {"GET", "/api/v1/deliveries", AUTH_ADMIN, HTTP_BODY_NONE, h_deliveries},
    /* The page last: these patterns match any path of one or two segments. */
    {"GET", "/", HTTP_ANYONE, HTTP_BODY_NONE, h_static},
    {"GET", "/{file}", HTTP_ANYONE, HTTP_BODY_NONE, h_static},
    {"GET", "/{dir}/{file}", HTTP_ANYONE, HTTP_BODY_NONE, h_static},
};
const size_t http_public_nroutes = sizeof http_public_routes / sizeof http_public_routes[0];

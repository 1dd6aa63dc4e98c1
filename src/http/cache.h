/* SPDX-License-Identifier: MIT
 * cache.h: the server's shared cache of rendered answers (docs/server.md, "The answer cache").
 *
 * Every worker thread shares one cache. An answer is kept under a namespace and a key (the
 * public routes use HTTP_CACHE_PUBLIC and the request path; the staff record uses
 * HTTP_CACHE_STAFF and the booking number), so an answer of one kind can never be served for
 * the other. Coherence, so that a kept answer is never served after the data it shows changed:
 * - a caller takes a view (http_cache_view) before reading the data an answer shows, and keeps
 *   the answer under that view;
 * - http_cache_invalidate(ns) makes every answer of namespace ns stale (the public answers,
 *   which show many records at once, after any change);
 * - http_cache_invalidate_key(ns, key) makes the answers kept under that key stale (a staff
 *   record, after a change to that booking), and refuses every later put of that key from a
 *   view taken before it: an answer read before a change can never be kept after it.
 * The caller decides when the data may have changed (router.c: from the store's list of
 * changed records, after every request that is not a GET and whenever the database's version
 * moves).
 *
 * Memory: a fixed table of up to HTTP_CACHE_SETS x HTTP_CACHE_WAYS entries (48 bytes each, one
 * for every 512 bytes of budget) plus the keys, tags and bodies, which never exceed the byte
 * budget given to http_cache_new. When a new
 * answer does not fit, stale answers are freed first, then the least recently used ones.
 * Thread-safe: sets are guarded by striped mutexes; no call holds two locks at once. */
#ifndef HC_HTTP_CACHE_H
#define HC_HTTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_CACHE_SETS 16384
#define HTTP_CACHE_WAYS 4
#define HTTP_CACHE_TAG 36 /* bytes of a tag kept with an answer, NUL included (an ETag) */

enum http_cache_ns {
    HTTP_CACHE_PUBLIC = 1, /* public answers, keyed by path and query */
    HTTP_CACHE_STAFF = 2   /* staff records (GET /api/v1/bookings/{no}), keyed by number */
};

struct http_cache;

/* What http_cache_get found. */
struct http_cache_hit {
    char *body;                /* from the caller's alloc; not NUL-terminated */
    size_t len;
    char tag[HTTP_CACHE_TAG];  /* "" when none was kept */
};

/* A cache holding at most max_bytes of keys, tags and bodies (and its fixed table). NULL when
 * out of memory. */
struct http_cache *http_cache_new(size_t max_bytes);

/* Free c and everything kept. c may be NULL. No other call may be running. */
void http_cache_free(struct http_cache *c);

/* What the cache's state was when a read began: each namespace's epoch and the count of key
 * invalidations. Take it before reading the data an answer will show; pass it to
 * http_cache_put. */
struct http_cache_view {
    unsigned epoch[3];   /* by namespace (index 0 unused) */
    uint64_t keys_moved; /* key invalidations so far */
};

/* *out (OUT) gets c's view now. */
void http_cache_view(struct http_cache *c, struct http_cache_view *out);

/* Make every answer kept under namespace ns stale (their memory is reclaimed as the cache meets
 * them). */
void http_cache_invalidate(struct http_cache *c, int ns);

/* Make the answer kept under (ns, key) stale at once, and refuse to keep any answer under a key
 * of the same set that was read under a view taken before this call (a few other keys share the
 * set: their next put may be refused too, which costs one more read, never a wrong answer). */
void http_cache_invalidate_key(struct http_cache *c, int ns, const char *key, size_t klen);

/* Find the fresh answer kept under (ns, key): kept under ns's current epoch, not invalidated
 * by key since, and not expired at now_ms. When found, copies its body into memory from alloc(ctx, len) (never called with 0)
 * and its tag into hit, and returns 1. Returns 0 when there is none, or alloc failed. */
int http_cache_get(struct http_cache *c, int ns, const char *key, size_t klen, int64_t now_ms,
                   void *(*alloc)(void *ctx, size_t n), void *ctx, struct http_cache_hit *hit);

/* Keep body[0..len) under (ns, key), with tag (NUL-terminated, shorter than HTTP_CACHE_TAG; may
 * be NULL), as read under view, fresh until now_ms + ttl_ms (ttl_ms < 0: until invalidated).
 * Best effort: nothing is kept when ns was invalidated since view was taken, or the key's set
 * was invalidated by key since then, or the answer is larger than a sixteenth of the budget,
 * or memory is short. Replaces what was kept under the same key. */
void http_cache_put(struct http_cache *c, int ns, const char *key, size_t klen, const char *body,
                    size_t len, const char *tag, const struct http_cache_view *view,
                    int64_t now_ms, int64_t ttl_ms);

/* Figures for GET /metrics: bytes kept now, answers served, lookups that found none. */
struct http_cache_stats {
    size_t bytes;
    unsigned long long hits[3], misses[3]; /* by namespace (index 0 unused) */
};
void http_cache_stats(struct http_cache *c, struct http_cache_stats *out);

#endif

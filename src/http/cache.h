/* SPDX-License-Identifier: MIT
 * cache.h: the server's shared cache of rendered answers (docs/server.md, "The answer cache").
 *
 * Every worker thread shares one cache. An answer is kept under a namespace and a key (the
 * public routes use HTTP_CACHE_PUBLIC and the request path; the staff record uses
 * HTTP_CACHE_STAFF and the booking number), so an answer of one kind can never be served for
 * the other. Coherence is by epoch: a caller reads http_cache_epoch before reading the data
 * an answer shows and keeps the answer under that epoch; http_cache_invalidate moves to the
 * next epoch, and an answer kept under any earlier one is never served again. The caller
 * decides when the data may have changed (router.c: after every request that is not a GET,
 * and whenever the database's version moves).
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

/* The current epoch. Read it before reading the data an answer will show. */
unsigned http_cache_epoch(struct http_cache *c);

/* Make every kept answer stale (their memory is reclaimed as the cache meets them). */
void http_cache_invalidate(struct http_cache *c);

/* Find the fresh answer kept under (ns, key): kept under the current epoch and not expired at
 * now_ms. When found, copies its body into memory from alloc(ctx, len) (never called with 0)
 * and its tag into hit, and returns 1. Returns 0 when there is none, or alloc failed. */
int http_cache_get(struct http_cache *c, int ns, const char *key, size_t klen, int64_t now_ms,
                   void *(*alloc)(void *ctx, size_t n), void *ctx, struct http_cache_hit *hit);

/* Keep body[0..len) under (ns, key), with tag (NUL-terminated, shorter than HTTP_CACHE_TAG; may
 * be NULL), as read under epoch, fresh until now_ms + ttl_ms (ttl_ms < 0: until invalidated).
 * Best effort: nothing is kept when epoch is no longer current, the answer is larger than a
 * sixteenth of the budget, or memory is short. Replaces what was kept under the same key. */
void http_cache_put(struct http_cache *c, int ns, const char *key, size_t klen, const char *body,
                    size_t len, const char *tag, unsigned epoch, int64_t now_ms, int64_t ttl_ms);

/* Figures for GET /metrics: bytes kept now, answers served, lookups that found none. */
struct http_cache_stats {
    size_t bytes;
    unsigned long long hits[3], misses[3]; /* by namespace (index 0 unused) */
};
void http_cache_stats(struct http_cache *c, struct http_cache_stats *out);

#endif

/* SPDX-License-Identifier: MIT
 * cache.c: the shared answer cache (cache.h). A set-associative table: an answer's hash picks
 * one set of HTTP_CACHE_WAYS entries, so a lookup compares at most four keys under one of the
 * HC_STRIPES mutexes (stripe.h). Each entry owns one allocation: key, tag (when kept), body.
 *
 * Why a key's invalidation is exact: http_cache_invalidate_key drops the key's entry and
 * stamps the key's set with the next value of keys_moved, both under the set's lock; a put
 * checks, under the same lock, that the set's stamp is not newer than the view it was read
 * under. So an answer read before an invalidation either was kept before it (and is dropped by
 * it) or is refused after it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "stripe.h"

#define CACHE_SWEEP 64   /* sets a put may visit to make room */

struct cache_entry {
    uint64_t hash;      /* of ns and key; 0 when empty */
    char *mem;          /* owned: key, then the tag when has_tag, then the body */
    uint32_t klen, len;
    unsigned epoch;     /* the epoch it was read under */
    unsigned char ns, has_tag;
    int64_t expires_ms; /* INT64_MAX: until invalidated */
    int64_t used;       /* the use clock at its last use (least recently used goes first) */
};

struct http_cache {
    size_t max_bytes;
    size_t nsets;                 /* a power of two, at most HTTP_CACHE_SETS */
    atomic_size_t bytes;          /* keys, tags and bodies kept */
    atomic_uint epoch[3];         /* by namespace (index 0 unused) */
    atomic_ullong keys_moved;     /* key invalidations so far */
    atomic_llong clock;           /* use clock */
    atomic_uint hand;             /* next set a put sweeps */
    atomic_ullong hits[3], misses[3];
    struct hc_stripes locks;      /* set s is guarded by hc_stripe(&locks, s) */
    struct cache_entry *e;        /* nsets * HTTP_CACHE_WAYS */
    uint64_t *moved;              /* nsets: keys_moved at the set's last key invalidation */
};

static uint64_t cache_hash(int ns, const char *p, size_t n)
{
    return hc_stripe_hash((unsigned char)ns, p, n);
}

static size_t entry_bytes(const struct cache_entry *x)
{
    return (size_t)x->klen + (x->has_tag ? HTTP_CACHE_TAG : 0) + x->len;
}

/* Empty x, giving its bytes back. Caller holds x's lock. */
static void entry_drop(struct http_cache *c, struct cache_entry *x)
{
    if (x->hash == 0)
        return;
    atomic_fetch_sub_explicit(&c->bytes, entry_bytes(x), memory_order_relaxed);
    free(x->mem);
    memset(x, 0, sizeof *x);
}

static int entry_fresh(struct http_cache *c, const struct cache_entry *x, int64_t now_ms)
{
    return x->epoch == atomic_load_explicit(&c->epoch[x->ns], memory_order_acquire) &&
           now_ms < x->expires_ms;
}

static int ns_index(int ns)
{
    return ns == HTTP_CACHE_PUBLIC || ns == HTTP_CACHE_STAFF ? ns : 0;
}

/* The entry of set (first way x) kept under (h, ns, key), or NULL. Caller holds the set's lock. */
static struct cache_entry *entry_find(struct cache_entry *x, uint64_t h, int ns, const char *key,
                                      size_t klen)
{
    size_t i;
    for (i = 0; i < HTTP_CACHE_WAYS; i++, x++)
        if (x->hash == h && x->ns == ns && x->klen == klen && memcmp(x->mem, key, klen) == 0)
            return x;
    return NULL;
}

/* Whether losing y costs less than losing v: an empty way, then a stale answer, then the live
 * answer used least recently. */
static int way_cheaper(struct http_cache *c, const struct cache_entry *y,
                       const struct cache_entry *v, int64_t now_ms)
{
    int ry = y->hash == 0 ? 0 : entry_fresh(c, y, now_ms) ? 2 : 1;
    int rv = v->hash == 0 ? 0 : entry_fresh(c, v, now_ms) ? 2 : 1;
    return ry != rv ? ry < rv : ry == 2 && y->used < v->used;
}

struct http_cache *http_cache_new(size_t max_bytes)
{
    struct http_cache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    /* About one way per 512 bytes of budget, so that the sweep of make_room meets answers. */
    c->nsets = 64;
    while (c->nsets < HTTP_CACHE_SETS && c->nsets * HTTP_CACHE_WAYS * 512 < max_bytes)
        c->nsets *= 2;
    c->e = calloc(c->nsets * HTTP_CACHE_WAYS, sizeof *c->e);
    c->moved = calloc(c->nsets, sizeof *c->moved);
    if (c->e == NULL || c->moved == NULL) {
        free(c->e);
        free(c->moved);
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    hc_stripes_init(&c->locks);
    return c;
}

void http_cache_free(struct http_cache *c)
{
    size_t i;
    if (c == NULL)
        return;
    for (i = 0; i < c->nsets * HTTP_CACHE_WAYS; i++)
        free(c->e[i].mem);
    hc_stripes_release(&c->locks);
    free(c->moved);
    free(c->e);
    free(c);
}

void http_cache_view(struct http_cache *c, struct http_cache_view *out)
{
    int i;
    out->epoch[0] = 0;
    for (i = 1; i < 3; i++)
        out->epoch[i] = atomic_load_explicit(&c->epoch[i], memory_order_acquire);
    out->keys_moved = atomic_load_explicit(&c->keys_moved, memory_order_acquire);
}

void http_cache_invalidate(struct http_cache *c, int ns)
{
    atomic_fetch_add_explicit(&c->epoch[ns_index(ns)], 1, memory_order_acq_rel);
}

void http_cache_invalidate_key(struct http_cache *c, int ns, const char *key, size_t klen)
{
    uint64_t h = cache_hash(ns, key, klen);
    size_t set = h & (c->nsets - 1);
    pthread_mutex_t *lk = hc_stripe(&c->locks, set);
    struct cache_entry *x;

    pthread_mutex_lock(lk);
    c->moved[set] = atomic_fetch_add_explicit(&c->keys_moved, 1, memory_order_acq_rel) + 1;
    if ((x = entry_find(&c->e[set * HTTP_CACHE_WAYS], h, ns, key, klen)) != NULL)
        entry_drop(c, x);
    pthread_mutex_unlock(lk);
}

int http_cache_get(struct http_cache *c, int ns, const char *key, size_t klen, int64_t now_ms,
                   void *(*alloc)(void *ctx, size_t n), void *ctx, struct http_cache_hit *hit)
{
    uint64_t h = cache_hash(ns, key, klen);
    size_t set = h & (c->nsets - 1);
    pthread_mutex_t *lk = hc_stripe(&c->locks, set);
    struct cache_entry *x;
    int found = 0;

    pthread_mutex_lock(lk);
    x = entry_find(&c->e[set * HTTP_CACHE_WAYS], h, ns, key, klen);
    if (x != NULL && !entry_fresh(c, x, now_ms)) {
        entry_drop(c, x);
    } else if (x != NULL && (hit->body = alloc(ctx, x->len ? x->len : 1)) != NULL) {
        hit->len = x->len;
        memcpy(hit->body, x->mem + klen + (x->has_tag ? HTTP_CACHE_TAG : 0), x->len);
        if (x->has_tag)
            memcpy(hit->tag, x->mem + klen, HTTP_CACHE_TAG);
        else
            hit->tag[0] = '\0';
        x->used = atomic_fetch_add_explicit(&c->clock, 1, memory_order_relaxed);
        found = 1;
    }
    pthread_mutex_unlock(lk);
    atomic_fetch_add_explicit(found ? &c->hits[ns_index(ns)] : &c->misses[ns_index(ns)], 1,
                              memory_order_relaxed);
    return found;
}

/* Make room for need more bytes: visit up to CACHE_SWEEP sets from the sweep hand, freeing
 * stale answers, and in each set the least recently used live one, until need fits. */
static int make_room(struct http_cache *c, size_t need, int64_t now_ms)
{
    int n;
    for (n = 0; n < CACHE_SWEEP; n++) {
        size_t set, i;
        struct cache_entry *x, *lru = NULL;
        if (atomic_load_explicit(&c->bytes, memory_order_relaxed) + need <= c->max_bytes)
            return 1;
        set = atomic_fetch_add_explicit(&c->hand, 1, memory_order_relaxed) & (c->nsets - 1);
        x = &c->e[set * HTTP_CACHE_WAYS];
        pthread_mutex_lock(hc_stripe(&c->locks, set));
        for (i = 0; i < HTTP_CACHE_WAYS; i++, x++) {
            if (x->hash == 0)
                continue;
            if (!entry_fresh(c, x, now_ms))
                entry_drop(c, x);
            else if (lru == NULL || x->used < lru->used)
                lru = x;
        }
        if (lru != NULL && atomic_load_explicit(&c->bytes, memory_order_relaxed) + need >
                               c->max_bytes)
            entry_drop(c, lru);
        pthread_mutex_unlock(hc_stripe(&c->locks, set));
    }
    return atomic_load_explicit(&c->bytes, memory_order_relaxed) + need <= c->max_bytes;
}

void http_cache_put(struct http_cache *c, int ns, const char *key, size_t klen, const char *body,
                    size_t len, const char *tag, const struct http_cache_view *view,
                    int64_t now_ms, int64_t ttl_ms)
{
    uint64_t h = cache_hash(ns, key, klen);
    size_t set = h & (c->nsets - 1), i, tlen = tag ? HTTP_CACHE_TAG : 0;
    size_t need = klen + tlen + len;
    pthread_mutex_t *lk = hc_stripe(&c->locks, set);
    struct cache_entry *x = &c->e[set * HTTP_CACHE_WAYS], *v;
    unsigned epoch = view->epoch[ns_index(ns)];
    char *mem;

    if (ns_index(ns) == 0 ||
        epoch != atomic_load_explicit(&c->epoch[ns], memory_order_acquire) ||
        need > c->max_bytes / 16 || klen > UINT32_MAX ||
        len > UINT32_MAX || (tag != NULL && strlen(tag) >= HTTP_CACHE_TAG))
        return;
    if (!make_room(c, need, now_ms) || (mem = malloc(need)) == NULL)
        return;
    memcpy(mem, key, klen);
    if (tag != NULL) {
        memset(mem + klen, 0, HTTP_CACHE_TAG);
        memcpy(mem + klen, tag, strlen(tag));
    }
    memcpy(mem + klen + tlen, body, len);

    pthread_mutex_lock(lk);
    /* Read before a key of this set was invalidated: the answer may be older than the change. */
    if (c->moved[set] > view->keys_moved) {
        pthread_mutex_unlock(lk);
        free(mem);
        return;
    }
    /* The victim: the same key, else the way that costs least to lose (way_cheaper). */
    if ((v = entry_find(x, h, ns, key, klen)) == NULL)
        for (v = x, i = 1; i < HTTP_CACHE_WAYS; i++)
            if (way_cheaper(c, &x[i], v, now_ms))
                v = &x[i];
    entry_drop(c, v);
    v->hash = h;
    v->mem = mem;
    v->klen = (uint32_t)klen;
    v->len = (uint32_t)len;
    v->epoch = epoch;
    v->ns = (unsigned char)ns;
    v->has_tag = tag != NULL;
    v->expires_ms = ttl_ms < 0 ? INT64_MAX : now_ms + ttl_ms;
    v->used = atomic_fetch_add_explicit(&c->clock, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->bytes, need, memory_order_relaxed);
    pthread_mutex_unlock(lk);
}

void http_cache_stats(struct http_cache *c, struct http_cache_stats *out)
{
    int i;
    memset(out, 0, sizeof *out);
    out->bytes = atomic_load_explicit(&c->bytes, memory_order_relaxed);
    for (i = 1; i < 3; i++) {
        out->hits[i] = atomic_load_explicit(&c->hits[i], memory_order_relaxed);
        out->misses[i] = atomic_load_explicit(&c->misses[i], memory_order_relaxed);
    }
}

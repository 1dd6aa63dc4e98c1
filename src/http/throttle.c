/* SPDX-License-Identifier: MIT
 * throttle.c: failed-login counters per name and per address (rules: throttle.h). Two
 * set-associative tables of HTTP_THROTTLE_ENTRIES each, one for names and one for addresses,
 * keyed by a 64-bit hash of the kind and the name or address (stripe.h): a collision would only
 * make two keys share a counter. One mutex rather than stripes: login is rare and argon2id
 * takes far longer than the lock is held.
 *
 * What may be forgotten to make room differs by kind. A name's entry is never forgotten while
 * it is locked or still counting failures in its window: otherwise failures of other names in
 * the same set would evict it and guessing could resume (issue 15). When every way of its set
 * is taken by such entries, a failure of a name the set cannot hold is counted on the set's
 * own overflow counter instead, which locks (from the first such failure, doubling like a
 * name's lock) every name of the set that has no entry. An address's entry is forgotten when
 * it is not locked, the idlest first: the per-name locks are what bounds guesses at an
 * account, and an overflow lock per address set would let whoever has many addresses lock out
 * every newcomer. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "throttle.h"
#include "stripe.h"

#define WAYS 8
#define SETS (HTTP_THROTTLE_ENTRIES / WAYS)

struct entry {
    uint64_t key;         /* 0: free */
    int64_t first_at;     /* the first failure of the current window */
    int64_t last_at;      /* the latest failure (the eviction order) */
    int64_t locked_until; /* attempts refused before this time */
    int fails;
};

struct table {
    struct entry e[HTTP_THROTTLE_ENTRIES];
    struct entry overflow[SETS]; /* names only: failures a full set could not hold */
    int keep_counting;           /* 1: an entry counting in its window is never evicted */
};

struct http_throttle {
    pthread_mutex_t lock;
    struct table names, addrs;
};

enum { KIND_NAME = 'n', KIND_ADDR = 'a' };

static uint64_t key_of(int kind, const unsigned char *p, size_t n)
{
    return hc_stripe_hash((unsigned char)kind, p, n);
}

static uint64_t name_key(const char *name)
{
    return key_of(KIND_NAME, (const unsigned char *)name, strlen(name));
}

static uint64_t addr_key(const unsigned char addr[16])
{
    return key_of(KIND_ADDR, addr, 16);
}

/* Whether e may be given to another key at now. */
static int evictable(const struct table *tab, const struct entry *e, int64_t now)
{
    if (e->key == 0)
        return 1;
    if (e->locked_until > now)
        return 0;
    return !tab->keep_counting || now - e->first_at > HTTP_THROTTLE_WINDOW_S;
}

/* The entry of key, or NULL. With add, a new one in place of the idlest evictable entry of its
 * set, or NULL when there is none. */
static struct entry *find(struct table *tab, uint64_t key, int64_t now, int add)
{
    struct entry *set = &tab->e[(key % SETS) * WAYS], *victim = NULL;
    size_t i;
    for (i = 0; i < WAYS; i++) {
        if (set[i].key == key)
            return &set[i];
        if (evictable(tab, &set[i], now)
            && (victim == NULL || set[i].key == 0
                || (victim->key != 0 && set[i].last_at < victim->last_at)))
            victim = &set[i];
    }
    if (!add || victim == NULL)
        return NULL;
    memset(victim, 0, sizeof *victim);
    victim->key = key;
    return victim;
}

static int64_t wait_of(const struct entry *e, int64_t now)
{
    return e != NULL && e->locked_until > now ? e->locked_until - now : 0;
}

/* One more failure on e; the lock doubles with each failure from the threshold on. */
static int64_t count(struct entry *e, int threshold, int64_t now)
{
    if (e->fails == 0 || now - e->first_at > HTTP_THROTTLE_WINDOW_S) {
        e->fails = 0;
        e->first_at = now;
    }
    e->fails++;
    e->last_at = now;
    if (e->fails >= threshold) {
        int64_t lock = HTTP_THROTTLE_LOCK_S;
        int k;
        for (k = threshold; k < e->fails && lock < HTTP_THROTTLE_LOCK_MAX_S; k++)
            lock *= 2;
        if (lock > HTTP_THROTTLE_LOCK_MAX_S)
            lock = HTTP_THROTTLE_LOCK_MAX_S;
        e->locked_until = now + lock;
    }
    return wait_of(e, now);
}

struct http_throttle *http_throttle_new(void)
{
    struct http_throttle *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    pthread_mutex_init(&t->lock, NULL);
    t->names.keep_counting = 1;
    return t;
}

void http_throttle_free(struct http_throttle *t)
{
    if (t == NULL)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

int64_t http_throttle_check(struct http_throttle *t, const unsigned char addr[16],
                            const char *name, int64_t now)
{
    uint64_t nk = name_key(name);
    const struct entry *ne;
    int64_t a, n;
    pthread_mutex_lock(&t->lock);
    ne = find(&t->names, nk, now, 0);
    n = wait_of(ne != NULL ? ne : &t->names.overflow[nk % SETS], now);
    a = wait_of(find(&t->addrs, addr_key(addr), now, 0), now);
    pthread_mutex_unlock(&t->lock);
    return n > a ? n : a;
}

int64_t http_throttle_fail(struct http_throttle *t, const unsigned char addr[16],
                           const char *name, int64_t now)
{
    uint64_t nk = name_key(name);
    struct entry *e;
    int64_t a = 0, n;
    pthread_mutex_lock(&t->lock);
    if ((e = find(&t->names, nk, now, 1)) != NULL)
        n = count(e, HTTP_THROTTLE_NAME_FAILS, now);
    else
        n = count(&t->names.overflow[nk % SETS], 1, now);
    if ((e = find(&t->addrs, addr_key(addr), now, 1)) != NULL)
        a = count(e, HTTP_THROTTLE_ADDR_FAILS, now);
    pthread_mutex_unlock(&t->lock);
    return n > a ? n : a;
}

void http_throttle_ok(struct http_throttle *t, const char *name)
{
    struct entry *e;
    pthread_mutex_lock(&t->lock);
    if ((e = find(&t->names, name_key(name), 0, 0)) != NULL)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&t->lock);
}

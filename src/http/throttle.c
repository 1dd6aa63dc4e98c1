/* SPDX-License-Identifier: MIT
 * throttle.c: failed-login counters per name and per address (rules: throttle.h). A
 * set-associative table of HTTP_THROTTLE_ENTRIES keyed by a 64-bit hash of the kind and the
 * name or address (stripe.h): a collision would only make two keys share a counter. One mutex
 * rather than stripes: login is rare and argon2id takes far longer than the lock is held. */
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

struct http_throttle {
    pthread_mutex_t lock;
    struct entry e[HTTP_THROTTLE_ENTRIES];
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

/* The entry of key, or NULL. With add, a new one (evicting the idlest of its set). */
static struct entry *find(struct http_throttle *t, uint64_t key, int add)
{
    struct entry *set = &t->e[(key % SETS) * WAYS], *victim = &set[0];
    size_t i;
    for (i = 0; i < WAYS; i++) {
        if (set[i].key == key)
            return &set[i];
        if (set[i].key == 0 || (victim->key != 0 && set[i].last_at < victim->last_at))
            victim = &set[i];
    }
    if (!add)
        return NULL;
    memset(victim, 0, sizeof *victim);
    victim->key = key;
    return victim;
}

static int64_t wait_of(const struct entry *e, int64_t now)
{
    return e != NULL && e->locked_until > now ? e->locked_until - now : 0;
}

/* One more failure for key; the lock doubles with each failure from the threshold on. */
static int64_t count(struct http_throttle *t, uint64_t key, int threshold, int64_t now)
{
    struct entry *e = find(t, key, 1);
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
    if (t != NULL)
        pthread_mutex_init(&t->lock, NULL);
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
    int64_t a, n;
    pthread_mutex_lock(&t->lock);
    n = wait_of(find(t, name_key(name), 0), now);
    a = wait_of(find(t, addr_key(addr), 0), now);
    pthread_mutex_unlock(&t->lock);
    return n > a ? n : a;
}

int64_t http_throttle_fail(struct http_throttle *t, const unsigned char addr[16],
                           const char *name, int64_t now)
{
    int64_t a, n;
    pthread_mutex_lock(&t->lock);
    n = count(t, name_key(name), HTTP_THROTTLE_NAME_FAILS, now);
    a = count(t, addr_key(addr), HTTP_THROTTLE_ADDR_FAILS, now);
    pthread_mutex_unlock(&t->lock);
    return n > a ? n : a;
}

void http_throttle_ok(struct http_throttle *t, const char *name)
{
    struct entry *e;
    pthread_mutex_lock(&t->lock);
    if ((e = find(t, name_key(name), 0)) != NULL)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&t->lock);
}

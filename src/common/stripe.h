/* SPDX-License-Identifier: MIT
 * stripe.h: the shape of holdcheck's shared fixed-size tables (the answer cache, the public
 * rate limiter, the failed-login throttle): a key is hashed once (FNV-1a, 64 bits, never 0 so
 * that 0 can mark an empty way), the hash picks a set of a few ways, and the set is guarded by
 * one of HC_STRIPES mutexes (set s by stripe s % HC_STRIPES), so threads working on different
 * sets rarely wait on each other and no call needs two locks. Header-only, so that modules
 * built and tested on their own need no other object. */
#ifndef HC_STRIPE_H
#define HC_STRIPE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define HC_STRIPES 64

struct hc_stripes {
    pthread_mutex_t lock[HC_STRIPES];
};

static inline void hc_stripes_init(struct hc_stripes *s)
{
    size_t i;
    for (i = 0; i < HC_STRIPES; i++)
        pthread_mutex_init(&s->lock[i], NULL);
}

/* Destroy the mutexes; none may be held. */
static inline void hc_stripes_release(struct hc_stripes *s)
{
    size_t i;
    for (i = 0; i < HC_STRIPES; i++)
        pthread_mutex_destroy(&s->lock[i]);
}

/* The mutex that guards set. */
static inline pthread_mutex_t *hc_stripe(struct hc_stripes *s, size_t set)
{
    return &s->lock[set % HC_STRIPES];
}

/* FNV-1a of the byte seed (a namespace or a kind, so equal keys of different kinds differ)
 * and then p[0..n); never 0. */
static inline uint64_t hc_stripe_hash(unsigned char seed, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    uint64_t h = (14695981039346656037u ^ seed) * 1099511628211u;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h != 0 ? h : 1;
}

#endif

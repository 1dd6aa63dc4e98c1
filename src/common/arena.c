/* SPDX-License-Identifier: MIT
 * arena.c: bump allocator over caller memory. */
#include "arena.h"

#include <string.h>


void hc_arena_init(struct hc_arena *a, void *mem, size_t cap)
{
    a->base = mem;
    a->cap = cap;
    a->used = 0;
}

void *hc_arena_alloc(struct hc_arena *a, size_t n)
{
    size_t at = (a->used + (HC_ARENA_ALIGN - 1)) & ~(size_t)(HC_ARENA_ALIGN - 1);
    if (at > a->cap || n > a->cap - at)
        return NULL;
    a->used = at + n;
    return a->base + at;
}

void *hc_arena_zalloc(struct hc_arena *a, size_t n)
{
    void *p = hc_arena_alloc(a, n);
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *hc_arena_strndup(struct hc_arena *a, const char *s, size_t n)
{
    char *p = hc_arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void hc_arena_reset(struct hc_arena *a)
{
    a->used = 0;
}

/* SPDX-License-Identifier: MIT
 * arena.h: bump allocation from memory the caller owns, with a hard cap. Core allocates only
 * from an arena it is handed; a full arena is a normal error (HC_ENOMEM), never an abort. */
#ifndef HC_ARENA_H
#define HC_ARENA_H

#include <stddef.h>

/* Every allocation starts at a multiple of this many bytes (so one may waste up to this less
 * one): callers that size an arena for a known set of allocations count it. */
#define HC_ARENA_ALIGN 16u

struct hc_arena {
    char *base;   /* borrowed; must outlive the arena and everything allocated from it */
    size_t cap;
    size_t used;
};

/* Start an empty arena over mem[0..cap). */
void hc_arena_init(struct hc_arena *a, void *mem, size_t cap);
/* Return n bytes aligned for any scalar type, or NULL when the arena cannot hold them. */
void *hc_arena_alloc(struct hc_arena *a, size_t n);
/* Like hc_arena_alloc but zero-filled. */
void *hc_arena_zalloc(struct hc_arena *a, size_t n);
/* Copy s[0..n) and a NUL into the arena; NULL when full. */
char *hc_arena_strndup(struct hc_arena *a, const char *s, size_t n);
/* Forget every allocation; the memory is reused by later calls. */
void hc_arena_reset(struct hc_arena *a);

#endif

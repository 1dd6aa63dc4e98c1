/* SPDX-License-Identifier: MIT
 * ids.c: lists of row ids (ids.h). */
#include <stdlib.h>

#include "err.h"
#include "ids.h"

int hc_ids_push(struct hc_ids *l, int64_t id)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        int64_t *p = realloc(l->v, cap * sizeof *p);
        if (p == NULL)
            return HC_ENOMEM;
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = id;
    return HC_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void hc_ids_settle(struct hc_ids *l)
{
    size_t i, k = 0;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_id);
    for (i = 0; i < l->n; i++)
        if (k == 0 || l->v[i] != l->v[k - 1])
            l->v[k++] = l->v[i];
    l->n = k;
}

int hc_ids_has(const int64_t *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == id;
}

void hc_ids_release(struct hc_ids *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

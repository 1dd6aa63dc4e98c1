/* SPDX-License-Identifier: MIT
 * ids.h: a growable list of row ids (int64), sorted and searched: the rows a report read, the
 * rows a verification checks. */
#ifndef HC_IDS_H
#define HC_IDS_H

#include <stddef.h>
#include <stdint.h>

struct hc_ids {
    int64_t *v; /* malloc'd; NULL while empty */
    size_t n, cap;
};

/* Append id to l. HC_OK, or HC_ENOMEM (l is left as it was). */
int hc_ids_push(struct hc_ids *l, int64_t id);

/* Sort l ascending and keep each id once. */
void hc_ids_settle(struct hc_ids *l);

/* Whether id is in v[0..n), which is ascending: 1 or 0. */
int hc_ids_has(const int64_t *v, size_t n, int64_t id);

/* Free l's memory and empty it. */
void hc_ids_release(struct hc_ids *l);

#endif

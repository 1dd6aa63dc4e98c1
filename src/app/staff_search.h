/* SPDX-License-Identifier: MIT
 * staff_search.h: the console's booking search (staff only): by name ("Last, First", each a
 * prefix, folded as the public search folds names), booking number and date of birth, over
 * every booking, in custody or released, whatever the publication policy publishes. A plain
 * read in one read snapshot. */
#ifndef HC_STAFF_SEARCH_H
#define HC_STAFF_SEARCH_H

#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_public.h"

struct hc_store;

#define STAFF_SEARCH_MAX 100 /* rows a page holds at most */

/* What staff search for; NULL (0) means "any". At least one of name, booking_no, dob. */
struct staff_search {
    const char *name;       /* "Last" or "Last, First": prefixes of the last and first names */
    const char *booking_no; /* exact */
    const char *dob;        /* YYYY-MM-DD */
    const char *status;     /* "in_custody" or "released" */
    int64_t after_id;       /* continue after the row of this booking (a page's next_after) */
    int limit;              /* 1..STAFF_SEARCH_MAX */
};

/* The bookings matching q, by name (then person, then newest booking first) or, for a booking
 * number, that booking; at most q->limit of them into *out (in a), *n their count, and
 * *more 1 when another page follows (search again with after_id = the last row's booking_id).
 * Returns 0; HC_EINVAL with d naming the field ("name", "booking_no", "dob", "status", "limit")
 * for a bad value or when none of name, booking_no and dob is given; a store error. */
int staff_search_bookings(struct hc_store *st, const struct staff_search *q, struct hc_arena *a,
                          struct store_public_row **out, size_t *n, int *more, struct hc_diag *d);

#endif

/* SPDX-License-Identifier: MIT
 * staff_search.c: the console's booking search (staff_search.h) over the store's search of
 * bookings, asked for every booking: staff see what the public may not. */
#include "staff_search.h"

#include <string.h>

#include "date.h"
#include "ident.h"
#include "namekey.h"
#include "publish.h"
#include "service.h"
#include "store.h"

/* s[0..n) folded as name keys are (hc_namekey_fold), in a; NULL when it has no letter or
 * digit or a is full. */
static const char *fold(struct hc_arena *a, const char *s, size_t n)
{
    char *out = hc_arena_alloc(a, n + 1);
    if (out == NULL || hc_namekey_fold(s, n, out, n + 1) <= 0)
        return NULL;
    return out;
}

/* q as the store's query: every booking, in custody or released at any time. */
static int to_query(const struct staff_search *q, struct hc_arena *a, struct store_public_query *pq,
                    struct hc_diag *d)
{
    hc_day day;
    memset(pq, 0, sizeof *pq);
    pq->fields = STORE_PUB_RECENTLY_RELEASED;
    pq->released_since = "0000-01-01";
    if (q->name == NULL && q->booking_no == NULL && q->dob == NULL)
        return hc_diag_set(d, "name", "search by name, booking number or date of birth", NULL);
    if (q->limit < 1 || q->limit > STAFF_SEARCH_MAX)
        return hc_diag_set(d, "limit", "expected 1 to 100", NULL);
    if (q->name != NULL) {
        const char *comma = strchr(q->name, ',');
        size_t ln = comma ? (size_t)(comma - q->name) : strlen(q->name);
        if (strlen(q->name) > 200)
            return hc_diag_set(d, "name", "longer than 200 bytes", NULL);
        if ((pq->last = fold(a, q->name, ln)) == NULL)
            return hc_diag_set(d, "name", "the last name needs a letter or digit: 'Last, First'",
                               NULL);
        if (comma != NULL)
            pq->first = fold(a, comma + 1, strlen(comma + 1)); /* NULL: no first name given */
    }
    if (q->booking_no != NULL) {
        if (!hc_booking_no_valid(q->booking_no, strlen(q->booking_no)))
            return hc_diag_set(d, "booking_no", HC_BOOKING_NO_RULE, NULL);
        pq->booking_no = q->booking_no;
    }
    if (q->dob != NULL) {
        if (strlen(q->dob) != 10 || hc_date_parse(q->dob, 10, &day) != 0)
            return hc_diag_set(d, "dob", "expected a date YYYY-MM-DD", NULL);
        pq->dob = q->dob;
    }
    if (q->status != NULL) {
        if (strcmp(q->status, "in_custody") != 0 && strcmp(q->status, "released") != 0)
            return hc_diag_set(d, "status", "expected in_custody or released", NULL);
        pq->custody_status = q->status;
    }
    pq->by_name = 1;
    pq->has_after = q->after_id > 0;
    pq->after_id = q->after_id;
    pq->limit = q->limit + 1; /* one more tells whether another page follows */
    pq->max_names = PUBLISH_SEARCH_MAX_NAMES;
    return HC_OK;
}

int staff_search_bookings(struct hc_store *st, const struct staff_search *q, struct hc_arena *a,
                          struct store_public_row **out, size_t *n, int *more, struct hc_diag *d)
{
    struct store_public_query pq;
    struct store_public_row *rows = NULL;
    size_t k = 0;
    int rc;

    if ((rc = to_query(q, a, &pq, d)) != HC_OK)
        return rc;
    if ((rc = store_read_begin(st)) != HC_OK)
        return rc;
    rc = store_public_search(st, &pq, a, &rows, &k);
    store_read_end(st);
    if (rc == HC_EINVAL && pq.has_after)
        return hc_diag_set(d, "after", "no such booking to continue after; search again", NULL);
    if (rc == HC_ERANGE)
        return publish_search_too_wide(d, "name");
    if (rc != HC_OK)
        return rc;
    *more = k > (size_t)q->limit;
    *out = rows;
    *n = *more ? (size_t)q->limit : k;
    return HC_OK;
}

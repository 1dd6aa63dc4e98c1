/* SPDX-License-Identifier: MIT
 * records.c: the staff side's plain reads and rule-free writes of the records (records.h). */
#include "records.h"

#include "service.h"
#include "store.h"

int records_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                struct store_record *out)
{
    return store_record_get(st, booking_no, a, out);
}

int records_booking_create(struct hc_store *st, const struct store_booking_new *b,
                           const char *actor, struct hc_arena *a, struct store_record *out,
                           struct hc_diag *d)
{
    int64_t id;
    int rc = store_booking_add(st, b, actor, &id, d);
    /* Read back what was stored, so the answer is exactly what a read returns. */
    if (rc == HC_OK)
        rc = store_record_get(st, b->booking.booking_no, a, out);
    return rc;
}

int records_charge_add(struct hc_store *st, const char *booking_no, const struct store_charge *ch,
                       const char *actor, struct hc_arena *a, struct store_record *rec,
                       struct hc_diag *d)
{
    int64_t id;
    int rc = store_charge_add(st, booking_no, ch, actor, &id, d);
    if (rc == HC_OK)
        rc = store_record_get(st, booking_no, a, rec);
    return rc;
}

int records_charge_update(struct hc_store *st, int64_t charge_id,
                          const struct store_charge_patch *p, const char *actor,
                          struct hc_arena *a, struct store_record *rec, struct hc_diag *d)
{
    struct store_court_change out;
    int rc = store_charge_update(st, charge_id, p, actor, &out, d);
    if (rc == HC_OK)
        rc = store_record_get(st, out.booking_no, a, rec);
    return rc;
}

int records_conviction_add(struct hc_store *st, int64_t person_id,
                           const struct store_conviction *cv, const char *actor,
                           int64_t *conviction_id, struct hc_diag *d)
{
    return store_conviction_add(st, person_id, cv, actor, conviction_id, d);
}

int records_conviction_update(struct hc_store *st, int64_t conviction_id,
                              const struct store_conviction_patch *p, const char *actor,
                              struct store_court_change *out, struct hc_diag *d)
{
    return store_conviction_update(st, conviction_id, p, actor, out, d);
}

int records_request_list(struct hc_store *st, const struct store_request_filter *f,
                         struct hc_arena *a, struct store_request_item **out, size_t *n)
{
    return store_request_list(st, f, a, out, n);
}

int records_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                        struct store_request_detail *out, struct hc_diag *d)
{
    return service_missing(store_request_get(st, request_id, a, out), d, "id", "no such request");
}

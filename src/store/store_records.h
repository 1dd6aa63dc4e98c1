/* SPDX-License-Identifier: MIT
 * store_records.h: people, bookings and the court record (convictions and charges, and their
 * changes after booking), and the agency settings the engine reads. People carry a name, date of
 * birth, local id and the PC 290 flag, and nothing else: no immigration status, national origin or
 * ethnicity is ever stored. */
#ifndef HC_STORE_RECORDS_H
#define HC_STORE_RECORDS_H

#include "store_conn.h"
#include "store_requests.h"
#include "rows_records.h"

/* The people, bookings, the court record and agency settings operations of a backend
 * (contracts: the wrappers below). */
struct store_records_ops {
    int (*booking_add)(struct hc_store *st, const struct store_booking_new *b, const char *actor,
                       int64_t *booking_id, struct hc_diag *d);
    int (*record_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                      struct store_record *out);
    int (*booking_count)(struct hc_store *st, int64_t *n);
    int (*agency_get)(struct hc_store *st, struct hc_arena *a, struct store_agency *out);
    int (*agency_set)(struct hc_store *st, const struct store_agency *ag, const char *actor);
    int (*booking_state_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                             int64_t *booking_id, struct store_booking_state *out);
    int (*booking_state_set)(struct hc_store *st, int64_t booking_id,
                             const struct store_booking_state *b);
    int (*charge_add)(struct hc_store *st, const char *booking_no, const struct store_charge *c,
                      const char *actor, int64_t *charge_id, struct hc_diag *d);
    int (*charge_update)(struct hc_store *st, int64_t charge_id, const struct store_charge_patch *p,
                         const char *actor, struct store_court_change *out, struct hc_diag *d);
    int (*conviction_add)(struct hc_store *st, int64_t person_id, const struct store_conviction *c,
                          const char *actor, int64_t *conviction_id, struct hc_diag *d);
    int (*conviction_update)(struct hc_store *st, int64_t conviction_id,
                             const struct store_conviction_patch *p, const char *actor,
                             struct store_court_change *out, struct hc_diag *d);
};

/* The operation names in table order. A backend fills its table with STORE_RECORDS_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_RECORDS_OPS(OP) OP(booking_add) OP(record_get) OP(booking_count) OP(agency_get) \
    OP(agency_set) OP(booking_state_get) OP(booking_state_set) OP(charge_add) OP(charge_update) \
    OP(conviction_add) OP(conviction_update)

/* Write a booking (with a new person and their convictions when b->booking.person_id is 0) and
 * its charges, plus one audit entry, atomically. *booking_id (OUT) gets the new id. Returns
 * STORE_ECONFLICT with d->field "booking_no" or "person.local_id" when that key exists, HC_ENOENT
 * with d->field "person_id" for an unknown person, HC_EINVAL for values the schema refuses. */
static inline int store_booking_add(struct hc_store *st, const struct store_booking_new *b,
                                    const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    return st->records->booking_add(st, b, actor, booking_id, d);
}

/* Read the booking numbered booking_no with its person, convictions, charges and requests into
 * *out (strings in a). Returns HC_ENOENT when there is no such booking, HC_ENOMEM when a is full. */
static inline int store_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                                   struct store_record *out)
{
    return st->records->record_get(st, booking_no, a, out);
}

/* Number of bookings stored (OUT). */
static inline int store_booking_count(struct hc_store *st, int64_t *n)
{
    return st->records->booking_count(st, n);
}

/* The agency's publication settings and policy (strings in a). */
static inline int store_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    return st->records->agency_get(st, a, out);
}

/* Replace the agency settings, with an audit entry, atomically. The policy JSON is stored as
 * given; callers validate it (hc_case_read does, when a decision uses it). */
static inline int store_agency_set(struct hc_store *st, const struct store_agency *ag,
                                   const char *actor)
{
    return st->records->agency_set(st, ag, actor);
}

/* The booking numbered booking_no: its id into *booking_id and its changeable columns into *out
 * (OUT; strings in a; events and deliveries 0). HC_ENOENT when there is no such booking. */
static inline int store_booking_state_get(struct hc_store *st, const char *booking_no,
                                          struct hc_arena *a, int64_t *booking_id,
                                          struct store_booking_state *out)
{
    return st->records->booking_state_get(st, booking_no, a, booking_id, out);
}

/* Write b's facility, status, scheduled_release, released_at, release_reason, bail and
 * next_court_date to booking booking_id (b->booking_no is not read). A row operation, with no
 * audit entry: call it inside a transaction (store_begin) that appends the change's entry
 * (store_audit_append). HC_EINVAL when the schema refuses a value. Whether the change is
 * consistent (released with a release time) is the caller's to check (src/app/booking.c). */
static inline int store_booking_state_set(struct hc_store *st, int64_t booking_id,
                                          const struct store_booking_state *b)
{
    return st->records->booking_state_set(st, booking_id, b);
}

/* Add charge c (status "pending" when c->status is NULL) to booking booking_no: audit
 * "charge.add". *charge_id (OUT) gets its id. */
static inline int store_charge_add(struct hc_store *st, const char *booking_no,
                                   const struct store_charge *c, const char *actor,
                                   int64_t *charge_id, struct hc_diag *d)
{
    return st->records->charge_add(st, booking_no, c, actor, charge_id, d);
}

/* Change charge charge_id (a disposition, a magistrate's probable-cause finding, a corrected
 * level): audit "charge.update" with each change as from/to. *out gets its booking. */
static inline int store_charge_update(struct hc_store *st, int64_t charge_id,
                                      const struct store_charge_patch *p, const char *actor,
                                      struct store_court_change *out, struct hc_diag *d)
{
    return st->records->charge_update(st, charge_id, p, actor, out, d);
}

/* Add conviction c (a court disposition) to person person_id: audit "conviction.add".
 * *conviction_id (OUT) gets its id. */
static inline int store_conviction_add(struct hc_store *st, int64_t person_id,
                                       const struct store_conviction *c, const char *actor,
                                       int64_t *conviction_id, struct hc_diag *d)
{
    return st->records->conviction_add(st, person_id, c, actor, conviction_id, d);
}

/* Change conviction conviction_id (a Prop 47 reduction granted, a level or an
 * aggravated-felony classification corrected): audit "conviction.update" with from/to.
 * *out gets its person. */
static inline int store_conviction_update(struct hc_store *st, int64_t conviction_id,
                                          const struct store_conviction_patch *p,
                                          const char *actor, struct store_court_change *out,
                                          struct hc_diag *d)
{
    return st->records->conviction_update(st, conviction_id, p, actor, out, d);
}

#endif

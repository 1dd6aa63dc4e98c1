/* SPDX-License-Identifier: MIT
 * records.h: the staff side's plain reads and rule-free writes of holdcheck's records: a
 * booking with everything about it, creating one, the court record's changes after booking,
 * and the request list. Writes that carry a rule are elsewhere: deciding a request (intake.h),
 * a booking's changes and the events they raise (booking.h), overrides (review.h). Strings read
 * are allocated from the caller's arena and live as long as it. */
#ifndef HC_APP_RECORDS_H
#define HC_APP_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_records.h"
#include "rows_requests.h"

struct hc_store;

/* The booking numbered booking_no with its person, convictions, charges and requests, into *out
 * (in a). Returns 0; HC_ENOENT when there is no such booking; HC_ENOMEM when a is full; or a
 * store error. */
int records_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                struct store_record *out);

/* Create booking b (with a new person and their convictions when b->booking.person_id is 0) and
 * its charges, with the audit entry, then read it back into *out (in a) exactly as records_get
 * gives it. actor is the acting user. Returns 0; STORE_ECONFLICT with d->field "booking_no" or
 * "person.local_id" when that key exists; HC_ENOENT with d->field "person_id" for an unknown
 * person; HC_EINVAL for a value the schema refuses; or a store error (the booking may then have
 * been written). */
int records_booking_create(struct hc_store *st, const struct store_booking_new *b,
                           const char *actor, struct hc_arena *a, struct store_record *out,
                           struct hc_diag *d);

/* Add charge ch (status "pending" when ch->status is NULL) to booking booking_no, with its audit
 * entry "charge.add", then read the booking back into *rec (in a) as records_get gives it.
 * Returns 0; HC_ENOENT (d says which) when there is no such booking; HC_EINVAL for a value the
 * schema refuses; or a store error (the charge may then have been written). */
int records_charge_add(struct hc_store *st, const char *booking_no, const struct store_charge *ch,
                       const char *actor, struct hc_arena *a, struct store_record *rec,
                       struct hc_diag *d);

/* Change charge charge_id as p says (p->set: STORE_CHG_*), with its audit entry
 * "charge.update", then read its booking back into *rec (in a) as records_get gives it.
 * HC_ENOENT when there is no such charge; HC_EINVAL for a value the schema refuses; or a store
 * error (the change may then have been written). */
int records_charge_update(struct hc_store *st, int64_t charge_id,
                          const struct store_charge_patch *p, const char *actor,
                          struct hc_arena *a, struct store_record *rec, struct hc_diag *d);

/* Add conviction cv to person person_id, with its audit entry "conviction.add"; *conviction_id
 * (OUT) gets its id. HC_ENOENT with d->field "person_id" when there is no such person. */
int records_conviction_add(struct hc_store *st, int64_t person_id,
                           const struct store_conviction *cv, const char *actor,
                           int64_t *conviction_id, struct hc_diag *d);

/* Change conviction conviction_id as p says (p->set: STORE_CONV_*), with its audit entry
 * "conviction.update"; *out (OUT) gets its person and whether anything changed. HC_ENOENT when
 * there is no such conviction. */
int records_conviction_update(struct hc_store *st, int64_t conviction_id,
                              const struct store_conviction_patch *p, const char *actor,
                              struct store_court_change *out, struct hc_diag *d);

/* The requests that filter f lets through, by id, at most f->limit (1..500) of them, into *out
 * and *n (in a), each with its booking number and its numbers of decisions and overrides.
 * Returns 0 or a store error. */
int records_request_list(struct hc_store *st, const struct store_request_filter *f,
                         struct hc_arena *a, struct store_request_item **out, size_t *n);

/* Request request_id with its booking number, every decision version and every override (oldest
 * first), into *out (in a). Returns 0; HC_ENOENT with d->field "id" ("no such request") when
 * there is no such request; or a store error. Inside or outside a transaction. */
int records_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                        struct store_request_detail *out, struct hc_diag *d);

#endif

/* SPDX-License-Identifier: MIT
 * booking.h: changes to a booking after booking (release, transfer, release date, bail, court
 * date) and the public events they raise: which events a change makes, which of them the
 * publication policy lets anyone hear of, and so which subscribers get a delivery. The store
 * keeps the rows (store_records.h, store_public.h); the rules are here. */
#ifndef HC_APP_BOOKING_H
#define HC_APP_BOOKING_H

#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_public.h"
#include "rows_records.h"

struct hc_store;

/* Apply patch p (p->set says which members) to the booking numbered booking_no, in one
 * transaction with everything it causes:
 * - the booking's row, when anything changes (a patch that changes nothing writes nothing and
 *   returns HC_OK with out->events 0);
 * - the facility status line: the old and the new facility are marked changed;
 * - one event per change the public may subscribe to: "released" (status became released),
 *   "transferred" (facility changed), "release_date" (scheduled release set or changed while in
 *   custody), each recorded whether or not anyone may hear of it;
 * - for each event the publication policy lets out (publish_allows, PUBLISH_EVENT), a delivery to each confirmed
 *   subscriber who asked for it;
 * - the audit entry "booking.update" naming each change as {"from","to"}, the events and the
 *   number of deliveries, under actor.
 * *out (OUT, strings in a) gets the booking afterwards, with the events (STORE_EVT_*) and the
 * deliveries queued. Errors: HC_ENOENT with d->field "booking_no"; HC_EINVAL naming the field
 * for an inconsistent result (facility or status null, released without released_at,
 * released_at while in custody) or, with field "", a value the database refused; a store
 * error. On any error nothing is written, and an enclosing store_begin transaction is rolled
 * back too. */
int booking_update(struct hc_store *st, const char *booking_no,
                   const struct store_booking_patch *p, const char *actor, struct hc_arena *a,
                   struct store_booking_state *out, struct hc_diag *d);

/* What a change of a booking's custody record from old to nw is, for everyone told of it: the
 * public events (booking_change) and the victims' notices (victims.h) read this one rule.
 * BOOKING_TRANSFERRED needs a facility on both sides: a facility recorded where there was
 * none, or erased, corrects the record and moves nobody. */
#define BOOKING_RELEASED 1u     /* the custody status became "released" */
#define BOOKING_TRANSFERRED 2u  /* moved from one known facility to another */
#define BOOKING_RELEASE_DATE 4u /* a scheduled release set or changed while in custody */
unsigned booking_change_kinds(const struct store_booking_state *old,
                              const struct store_booking_state *nw);

/* The rules of booking_update for a booking already read: apply patch p to booking booking_id,
 * whose stored columns are *old (old->booking_no names it in the audit entry), with everything
 * the change causes, as booking_update lists it. fields is the publication policy's fields
 * (store_public_policy_fields), which decide who hears of the events. Call it inside a
 * transaction (store_begin) and commit or roll back as the caller's whole change does; on an
 * error the caller must roll back. *out (OUT) gets the booking afterwards with its events and
 * deliveries, *changed (OUT) 1 when anything was written, 0 when p changes nothing (then no
 * row, event or audit entry is written). Errors as booking_update's but HC_ENOENT. The custody
 * feed (feed.h) applies each known booking's row through it, so a change raises the same events
 * whichever way it comes. */
int booking_change(struct hc_store *st, int64_t booking_id,
                   const struct store_booking_state *old, const struct store_booking_patch *p,
                   const char *actor, unsigned fields, struct store_booking_state *out,
                   int *changed, struct hc_diag *d);

/* Queue the advance notices due on `today` (YYYY-MM-DD, local) by store_advance_scan, when the
 * policy publishes scheduled releases; when it does not, queue none. One transaction. *queued
 * (OUT) gets how many were queued. */
int booking_advance_scan(struct hc_store *st, const char *today, int64_t *queued);

/* A new booking of a person booked before: raise the event "rebooked" on the person's newest
 * earlier booking earlier_id, so that whoever follows that booking hears that the person is
 * held again. The new booking is booking_no, booked at booked_at, with custody status status;
 * the event's data is those three custody facts and nothing else (no person, no request, no
 * decision). Raised once per new booking number (the event's dedupe key "rebooked/NUMBER"):
 * a file or push applied again, or after a restart, raises nothing more. Deliveries go to the
 * confirmed subscriptions of the earlier booking to "released" (a custody change of the same
 * person), and only under a policy publishing names as well as booking numbers and custody
 * status (fields: STORE_PUB_*): the event ties two booking numbers to one person, which the
 * public answers then show already. *raised (OUT) is 1 when the event was written now,
 * *queued (OUT) grows by the deliveries. A row operation: call it inside the transaction that
 * creates the booking. Errors: the store's. */
int booking_rebooked(struct hc_store *st, int64_t earlier_id, const char *booking_no,
                     const char *booked_at, const char *status, unsigned fields, int *raised,
                     int64_t *queued);

#endif

/* SPDX-License-Identifier: MIT
 * feed.h: the custody feed: a jail management system's snapshot or delta of people, bookings
 * and charges applied to the record (`holdcheck import --upsert`, POST /api/v1/feed;
 * docs/import.md, "The custody feed"). New rows are created, known ones changed through the
 * rules of booking.h (so a change raises the same events however it comes), unchanged ones left
 * alone; a row that contradicts itself or the record is refused; each file or push is one
 * transaction. The rules of what is a change and what is a contradiction are here. */
#ifndef HC_APP_FEED_H
#define HC_APP_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_import.h"

struct hc_store;
struct feed;

/* How far a clock may run ahead of the server's: a booking or release time up to this many
 * seconds in the future is taken as the JMS clock's skew, not refused. */
#define FEED_CLOCK_SKEW_SECS 300

/* What one file or push did. */
struct feed_counts {
    int64_t created;    /* rows new to the record (people, bookings, charges) */
    int64_t changed;    /* rows that changed a known booking or charge */
    int64_t unchanged;  /* rows the record already said */
    int64_t rebooked;   /* new bookings of a person already booked before */
    int64_t events;     /* events raised (released, transferred, release_date) */
    int64_t deliveries; /* deliveries queued for them */
    int64_t refused;    /* rows refused (then nothing was written) */
    int64_t audit_seq;  /* the file's "import.commit" entry, 0 when no row was created in bulk */
};

/* Start applying rows of kind (people, bookings or charges) as actor: opens the one
 * transaction of the file (store_import_begin). report(ctx, tag, rc, d) is told of each row
 * refused after feed_row returned for it (a row the store held back, a charge list checked when
 * the next booking's rows start). *out (OUT) gets the feed, to be ended by feed_commit or
 * feed_abort. Errors: HC_EINVAL with d->field "kind" for convictions (they have no key to match
 * a stored row by: import them without --upsert); a store error. */
int feed_begin(struct hc_store *st, enum store_kind kind, const char *actor,
               store_import_report_fn report, void *ctx, struct feed **out,
               struct hc_diag *d);

/* Apply row r (checked by feed_check_row, r->tag its line) of the feed's kind:
 * - people: a new local_id is created; a known one must say what the record says (the feed
 *   does not change people);
 * - bookings: a new booking_no is created (and when its person has bookings already, the
 *   re-booking is recorded in the audit log, "booking.rebooked"); a known one gets status,
 *   facility, scheduled release, release time and reason through booking_change, which raises
 *   the events; booked_at and the person may not change, nor a released booking return to
 *   custody (a new custody is a new booking number); no time may be in the future (beyond
 *   FEED_CLOCK_SKEW_SECS) nor a release before the booking;
 * - charges: the rows of one booking, given together, are its whole charge list: matched to
 *   the stored charges by citation in order, a new one is added, a changed level, status or
 *   probable-cause finding is changed, and a stored charge missing from the list, or a
 *   disposed one returned to pending, is refused (checked when the booking's rows end).
 * Returns HC_OK (also when nothing changes); for a refused row HC_EINVAL, HC_ENOENT or
 * STORE_ECONFLICT with d naming the field (the feed goes on, so later rows are checked too,
 * and feed_commit then rolls back); any other error is the store's, after which only
 * feed_abort is left. */
int feed_row(struct feed *f, const struct store_import_row *r, struct hc_diag *d);

/* End the feed: when no row was refused, commit it (with the "import.commit" entry of source
 * and format when rows were created in bulk) and fill *out (OUT, may be NULL); when nothing
 * was created or changed, write nothing at all. Frees f either way. Returns HC_OK, HC_EINVAL
 * when rows were refused (nothing written; *out still gets the counts), or a store error. */
int feed_commit(struct feed *f, const char *source, const char *format,
                struct feed_counts *out);

/* Abandon the feed: roll everything back and free f. NULL is a no-op. */
void feed_abort(struct feed *f);

/* The answer to one push of POST /api/v1/feed, as the app makes it (the feed's answer is part
 * of its contract, and is kept under the idempotency key as sent). */
struct feed_answer {
    int status;               /* 200, or 422 when rows were refused */
    const char *content_type; /* static text */
    const char *body;         /* in the arena given to feed_push */
    size_t len;
    int replayed;             /* 1: the answer kept for a retry of the same push */
};

/* Apply a push: body[0..len) is JSON Lines of one kind (told from the first line's keys), with
 * idempotency key key (1-200 printable ASCII bytes). In one transaction: when key was answered
 * before for the same body, nothing is applied and that answer is given again (out->replayed);
 * otherwise the rows are applied as feed_row does and, when none is refused, the answer is kept
 * under key with the rows. A push with refused rows writes nothing (not even the key) and
 * answers 422 listing each refused row's line, field and message. *out (OUT, strings in a)
 * gets the answer. Errors: HC_EINVAL with d->field "Idempotency-Key" (missing or malformed),
 * "" (no rows, a first line of no known kind, a kind the feed does not take); STORE_ECONFLICT
 * with d->field "Idempotency-Key" when the key was used for another body; HC_ENOMEM when a
 * does not hold the answer; a store error. */
int feed_push(struct hc_store *st, const char *actor, const char *key, const char *body,
              size_t len, struct hc_arena *a, struct feed_answer *out, struct hc_diag *d);

#endif

/* SPDX-License-Identifier: MIT
 * intake.h: take in one immigration request about a booking and decide it. The case is built
 * from the stored record (convictions, the booking's pending charges, the PC 290 flag, agency
 * settings) with as_of = the day the request was received, decided by hc_decide, and the
 * request, the decision and their audit entries are written in one transaction. The HTTP API
 * and `holdcheck demo` both come through here, so a demo decision is made exactly as a real one. */
#ifndef HC_INTAKE_H
#define HC_INTAKE_H

#include <stdint.h>

#include "arena.h"
#include "catalog.h"
#include "err.h"
#include "rows_requests.h"

struct hc_store;

struct intake_result {
    int64_t request_id;
    int64_t decision_id;
    int outcome;               /* enum hc_outcome of the decision */
    const char *decision_json; /* the decision as hc_render_json wrote it, NUL-terminated; in
                                * scratch, valid until it is reset */
    size_t decision_len;
    /* When intake answers STORE_ECONFLICT: the request already recorded that this one would
     * duplicate (the newest such), else 0. */
    int64_t existing_id;
};

/* How intake treats a request like one already recorded. */
struct intake_opts {
    /* A request for the same booking, the same type and the same form (both absent, or equal
     * ignoring case) received within this many hours of one already recorded is a duplicate;
     * 0: no check. Received times are compared as moments: a date alone is the start of that
     * day and a time without an offset the server's local time (notices_time). */
    int duplicate_window_hours;
    int confirm_new; /* the clerk confirms it is a new request: recorded, and the confirmation
                      * with the request it resembles is an audit entry "request.confirm_new" */
};

/* Whether s is a received_at this program accepts: "YYYY-MM-DD", or that followed by
 * "THH:MM:SS", optional fraction, and an optional "Z" or "+hh:mm"/"-hh:mm". The date is the
 * decision date (as_of). Returns 0 and sets *day, or HC_EINVAL. */
int intake_parse_received(const char *s, hc_day *day);

/* Record request rq about booking booking_no and decide it, as one transaction. rq->received_at
 * may be NULL for "now" (the server's local time). scratch is working memory; it is reset, and
 * holds the case and the decision afterwards. On success fills *out and returns 0. Errors:
 * HC_EINVAL with d->field naming the request field at fault (or the stored record field that
 * made the case invalid), HC_ENOENT (d->field "booking_no") when there is no such booking,
 * HC_ERANGE when the received date is before 2014-01-01, HC_ENOMEM when the record, its case or
 * its decision does not fit scratch, or a store error. Nothing is written on failure. No
 * duplicate check: intake_take with a struct intake_opts makes one. */
int intake_submit(struct hc_store *st, const struct hc_catalog *cat, const char *booking_no,
                  const struct store_request *rq, const char *actor, struct hc_arena *scratch,
                  struct intake_result *out, struct hc_diag *d);

/* Record the n requests rqs[0..n) one ICE form makes about booking booking_no (an I-247A asks
 * for a hold and a notification of release: two requests, each decided), as one transaction:
 * all are recorded and decided, or none. The requests are checked against those already
 * recorded as o says (o NULL: no check). out[0..n) gets each result; out[0].existing_id is set
 * on a duplicate. scratch is reset, and holds every case and decision afterwards. Errors: those
 * of intake_submit, with d->field "types" when two of rqs have the same type and
 * "types[i].received_at" style names left as intake_submit's; STORE_ECONFLICT (d->field
 * "type", d->msg naming the request recorded before) when rqs[i] duplicates a recorded request
 * and o->confirm_new is 0. n is 1..INTAKE_FORM_MAX. */
#define INTAKE_FORM_MAX 8
int intake_take(struct hc_store *st, const struct hc_catalog *cat, const char *booking_no,
                const struct store_request *rqs, size_t n, const struct intake_opts *o,
                const char *actor, struct hc_arena *scratch, struct intake_result *out,
                struct hc_diag *d);

/* Decide stored request request_id again, under the current rules, the booking's current
 * record and the current agency settings, as of the day it was received, and store the result
 * as the request's next decision version; earlier versions stay as they were. One
 * transaction. Fills *out like intake_submit. HC_ENOENT (d->field "id") when there is no such
 * request; otherwise the errors of intake_submit. */
int intake_redecide(struct hc_store *st, const struct hc_catalog *cat, int64_t request_id,
                    const char *actor, struct hc_arena *scratch, struct intake_result *out,
                    struct hc_diag *d);

#endif

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
 * its decision does not fit scratch, or a store error. Nothing is written on failure. */
int intake_submit(struct hc_store *st, const struct hc_catalog *cat, const char *booking_no,
                  const struct store_request *rq, const char *actor, struct hc_arena *scratch,
                  struct intake_result *out, struct hc_diag *d);

/* Decide stored request request_id again, under the current rules, the booking's current
 * record and the current agency settings, as of the day it was received, and store the result
 * as the request's next decision version; earlier versions stay as they were. One
 * transaction. Fills *out like intake_submit. HC_ENOENT (d->field "id") when there is no such
 * request; otherwise the errors of intake_submit. */
int intake_redecide(struct hc_store *st, const struct hc_catalog *cat, int64_t request_id,
                    const char *actor, struct hc_arena *scratch, struct intake_result *out,
                    struct hc_diag *d);

#endif

/* SPDX-License-Identifier: MIT
 * truth.h: rules of the staff console's records about a request (docs/console.md) that the
 * store used to hold: when an interview may be granted on the person's consent (Gov. Code
 * 7283.1(a)), and the console's queue, each request with its outcome in force. The store records rows
 * (store_console.h); these decide. */
#ifndef HC_APP_TRUTH_H
#define HC_APP_TRUTH_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_console.h"

struct hc_store;

/* Record interview step iv (iv->consent_id is ignored), audited "interview.record", in one
 * transaction with its check: when iv->status is "granted" and need_consent is set (the
 * decision's conditions include 7283.1(a)), a consent notice must have been served and the
 * newest consent answer must be "consent", or "attorney_only" naming the attorney; that
 * answer's id is recorded with the step. HC_ERANGE (d->field "status", d->msg saying what is
 * missing, citing the statute) when not, and nothing is written. HC_ENOENT for no such request;
 * HC_EINVAL when the store refuses a value. Reads the request's consent records into a.
 * *interview_id (OUT). */
int truth_interview_record(struct hc_store *st, const struct store_interview *iv,
                           int need_consent, struct hc_arena *a, int64_t *interview_id,
                           struct hc_diag *d);

/* store_console_queue: each item's req.outcome is its outcome in force (the view
 * request_outcome), req.engine_outcome the newest decision's own. */
int truth_queue(struct hc_store *st, int in_custody_only, int limit, struct hc_arena *a,
                struct store_queue_item **out, size_t *n);

#endif

/* SPDX-License-Identifier: MIT
 * review.h: a supervisor's override of a stored decision. An override may only be MORE
 * restrictive than the decision it overrides, in the order
 *     permitted -> permitted_with_conditions -> review -> prohibited,
 * so no override can let the agency do what the law, as decided, does not let it do. */
#ifndef HC_REVIEW_H
#define HC_REVIEW_H

#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_requests.h"

struct hc_store;

/* 0 (permitted) .. 3 (prohibited), or -1 for a name that is not an outcome. */
int review_outcome_rank(const char *outcome);

/* The outcome a request's decisions and overrides say to act on: its newest decision's, or the
 * most restrictive override of that decision when one is more restrictive. NULL when the
 * request has no decision. Borrowed from det. */
const char *review_effective_outcome(const struct store_request_detail *det);

/* The same rule over the names the console's queue reads: the most restrictive of the newest
 * decision's outcome and the outcomes of that decision's overrides (overrides, comma-separated,
 * or NULL), in review_outcome_rank's order. NULL when the decision's outcome is NULL or unknown; an unknown
 * override outcome counts for nothing. Returns decision_outcome, or an override's outcome
 * copied into a (NULL when a is full). */
const char *review_effective_outcome_of(const char *decision_outcome, const char *overrides,
                                       struct hc_arena *a);

/* Record an override of the newest decision on request request_id: outcome, with reason,
 * by actor. The check and the write (with its audit entry) are one transaction.
 * Returns 0 and *override_id (OUT); HC_ENOENT (d->field "id") for no such request;
 * HC_EINVAL (d->field "outcome") for an unknown outcome; HC_ERANGE (d->field "outcome") when
 * the override is not more restrictive than the decision, with d->msg naming the provision the
 * decision rests on (the first entry of its basis). scratch is reset. */
int review_override(struct hc_store *st, int64_t request_id, const char *outcome,
                    const char *reason, const char *actor, struct hc_arena *scratch,
                    int64_t *override_id, struct hc_diag *d);

#endif

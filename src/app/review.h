/* SPDX-License-Identifier: MIT
 * review.h: a supervisor's override of a stored decision. An override may only be MORE
 * restrictive than the decision it overrides, in the order
 *     permitted -> permitted_with_conditions -> review -> prohibited,
 * so no override can let the agency do what the law, as decided, does not let it do. A second
 * override may not loosen the first: the newest override is the one in force. */
#ifndef HC_REVIEW_H
#define HC_REVIEW_H

#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_requests.h"

struct hc_store;

/* 0 (permitted) .. 3 (prohibited), or -1 for a name that is not an outcome. */
int review_outcome_rank(const char *outcome);

/* The outcome in force of a request: det->req.outcome, which every store read takes from the
 * view request_outcome (migration 7), the one place it is computed: the newest decision's
 * outcome, then the override of that decision in force (the most restrictive, newest among
 * equals; since review_override lets no override loosen an earlier one, the newest). NULL when
 * the request has no decision. Borrowed from det. */
const char *review_effective_outcome(const struct store_request_detail *det);

/* Every request counted by its outcome in force and by the engine's, and those with a contrary
 * action, into *out (store_outcome_counts), for /metrics. In one read. */
int review_outcome_counts(struct hc_store *st, struct store_outcome_counts *out);

/* Record an override of the newest decision on request request_id: outcome, with reason,
 * by actor. The check and the write (with its audit entry) are one transaction.
 * Returns 0 and *override_id (OUT); HC_ENOENT (d->field "id") for no such request;
 * HC_EINVAL (d->field "outcome") for an unknown outcome; HC_ERANGE (d->field "outcome") when
 * the override is not more restrictive than the decision, with d->msg naming the provision the
 * decision rests on (the first entry of its basis), or is less restrictive than the outcome in
 * force an earlier override set. scratch is reset. */
int review_override(struct hc_store *st, int64_t request_id, const char *outcome,
                    const char *reason, const char *actor, struct hc_arena *scratch,
                    int64_t *override_id, struct hc_diag *d);

#endif

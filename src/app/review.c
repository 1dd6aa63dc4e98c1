/* SPDX-License-Identifier: MIT
 * review.c: supervisor overrides (review.h). The decision's own basis is quoted when an
 * override is refused, so the supervisor sees which provision stands in the way. */
#include "review.h"
#include "records.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const order[] = {"permitted", "permitted_with_conditions", "review",
                                    "prohibited"};

int review_outcome_rank(const char *outcome)
{
    int i;
    for (i = 0; i < 4; i++)
        if (outcome != NULL && strcmp(outcome, order[i]) == 0)
            return i;
    return -1;
}

const char *review_effective_outcome(const struct store_request_detail *det)
{
    return det->req.outcome;
}

int review_outcome_counts(struct hc_store *st, struct store_outcome_counts *out)
{
    return store_outcome_counts(st, out);
}

/* The first provision of the decision's basis into out ("" when it has none). */
static void first_basis(const char *decision_json, char *out, size_t n)
{
    json_t *d = decision_json ? json_loads(decision_json, 0, NULL) : NULL;
    json_t *b = json_array_get(json_object_get(d, "basis"), 0);
    snprintf(out, n, "%s", json_is_string(b) ? json_string_value(b) : "");
    json_decref(d);
}

int review_override(struct hc_store *st, int64_t request_id, const char *outcome,
                    const char *reason, const char *actor, struct hc_arena *scratch,
                    int64_t *override_id, struct hc_diag *d)
{
    struct store_request_detail det;
    struct store_override o;
    const struct store_decision_row *cur;
    int rc, want = review_outcome_rank(outcome), have;

    if (want < 0)
        return hc_diag_set(d, "outcome", "expected permitted, permitted_with_conditions, review "
                                         "or prohibited", NULL);
    hc_arena_reset(scratch);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = records_request_get(st, request_id, scratch, &det, d);
    if (rc == HC_OK && det.ndec == 0)
        rc = hc_diag_set(d, "id", "the request has no decision to override", NULL);
    if (rc != HC_OK)
        goto out;
    cur = &det.dec[det.ndec - 1];
    have = review_outcome_rank(cur->outcome);
    /* More restrictive than the decision, and never looser than an earlier override (an
     * equal one adds a second supervisor's reason): the newest override is the one in force. */
    if (want <= have || want < review_outcome_rank(det.req.outcome)) {
        char basis[160], msg[360];
        first_basis(cur->decision_json, basis, sizeof basis);
        if (want > have)
            snprintf(msg, sizeof msg, "an override may not loosen the outcome in force (%s, "
                     "set by override %lld of decision version %d)", det.req.outcome,
                     (long long)det.req.override_id, cur->version);
        else
            snprintf(msg, sizeof msg, "an override must be more restrictive than the decision "
                     "(%s, version %d%s%s)", cur->outcome, cur->version,
                     basis[0] ? ", under " : "", basis);
        hc_diag_set(d, "outcome", msg,
                    want < have ? "; it cannot permit what the decision does not" : "");
        rc = HC_ERANGE;
        goto out;
    }
    memset(&o, 0, sizeof o);
    o.request_id = request_id;
    o.decision_id = cur->id;
    o.outcome = outcome;
    o.reason = reason;
    o.created_by = actor;
    if ((rc = store_override_add(st, &o, override_id)) != HC_OK)
        goto out;
    return store_commit(st);
out:
    store_rollback(st);
    return rc;
}

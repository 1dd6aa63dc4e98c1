/* SPDX-License-Identifier: MIT
 * store_requests.h: immigration requests, their versioned decisions and supervisors' overrides, as
 * rows. Which outcome a request gets, and whether an override is allowed, is decided above the
 * store (src/app/intake.c, src/app/review.c). */
#ifndef HC_STORE_REQUESTS_H
#define HC_STORE_REQUESTS_H

#include "store_conn.h"
#include "rows_requests.h"

/* The requests, decisions and overrides operations of a backend (contracts: the wrappers below). */
struct store_requests_ops {
    int (*request_add)(struct hc_store *st, int64_t booking_id, const struct store_request *rq,
                       const char *actor, int64_t *request_id);
    int (*decision_add)(struct hc_store *st, const struct store_decision *dec,
                        int64_t *decision_id);
    int (*request_get)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                       struct store_request_detail *out);
    int (*request_list)(struct hc_store *st, const struct store_request_filter *f,
                        struct hc_arena *a, struct store_request_item **out, size_t *n);
    int (*override_add)(struct hc_store *st, const struct store_override *o, int64_t *override_id);
    int (*action_add)(struct hc_store *st, const struct store_action *x, int64_t *action_id);
    int (*actions_list)(struct hc_store *st, const struct store_action_filter *f,
                        struct hc_arena *a, struct store_action **out, size_t *n);
    int (*outcome_counts)(struct hc_store *st, struct store_outcome_counts *out);
    int (*decided_list)(struct hc_store *st, const struct store_period_filter *f,
                        struct hc_arena *a, struct store_decided_request **out, size_t *n);
};

/* The operation names in table order. A backend fills its table with STORE_REQUESTS_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_REQUESTS_OPS(OP) OP(request_add) OP(decision_add) OP(request_get) OP(request_list) \
    OP(override_add) OP(action_add) OP(actions_list) OP(outcome_counts) OP(decided_list)

/* Record an immigration request about booking booking_id, with an audit entry. */
static inline int store_request_add(struct hc_store *st, int64_t booking_id,
                                    const struct store_request *rq, const char *actor,
                                    int64_t *request_id)
{
    return st->requests->request_add(st, booking_id, rq, actor, request_id);
}

/* Record a decision on a request, with an audit entry. Since migration 2 decisions are
 * versioned: each call adds the request's next version (1, 2, ...) and never changes an
 * earlier one (a trigger refuses UPDATE and DELETE on decisions). */
static inline int store_decision_add(struct hc_store *st, const struct store_decision *dec,
                                     int64_t *decision_id)
{
    return st->requests->decision_add(st, dec, decision_id);
}

/* Request request_id with its booking number, decisions and overrides (in a). req.outcome is
 * the outcome in force and req.engine_outcome the newest decision's own (the view
 * request_outcome, migration 7). HC_ENOENT. */
static inline int store_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                                    struct store_request_detail *out)
{
    return st->requests->request_get(st, request_id, a, out);
}

/* Requests matching f, by id, at most f->limit of them (in a), each with its outcome in force,
 * the engine's, and its numbers of actions and of contrary actions. HC_EINVAL for a limit
 * outside 1..500 or a negative offset. */
static inline int store_request_list(struct hc_store *st, const struct store_request_filter *f,
                                     struct hc_arena *a, struct store_request_item **out,
                                     size_t *n)
{
    return st->requests->request_list(st, f, a, out, n);
}

/* Record override o with an audit entry "override.record", atomically. The store checks only
 * that the decision belongs to the request (else HC_EINVAL) and what the schema checks; the
 * caller checks that the override is more restrictive (src/app/review.c). */
static inline int store_override_add(struct hc_store *st, const struct store_override *o,
                                     int64_t *override_id)
{
    return st->requests->override_add(st, o, override_id);
}

/* Record action x (x->id and x->recorded_at are ignored) with an audit entry
 * "action.record" on "action/ID", atomically, through the same audited insert as every other
 * append-only row. The store checks only what the schema checks (the kind, method and ICE
 * reason lists, the fields each kind needs, a reason when contrary): the caller decides
 * contrary and who may record it (src/app/actions.c). HC_EINVAL when the schema refuses x.
 * *action_id (OUT) on success. */
static inline int store_action_add(struct hc_store *st, const struct store_action *x,
                                   int64_t *action_id)
{
    return st->requests->action_add(st, x, action_id);
}

/* The actions matching f, oldest first (by id), at most f->limit of them (in a); for one
 * request (f->request_id) or a period (f->from, f->to), for the reports. HC_EINVAL for a
 * limit outside 1..1000. */
static inline int store_actions_list(struct hc_store *st, const struct store_action_filter *f,
                                     struct hc_arena *a, struct store_action **out, size_t *n)
{
    return st->requests->actions_list(st, f, a, out, n);
}

/* Every request counted by its outcome in force and by the engine's (struct
 * store_outcome_counts) into *out, in one statement. */
static inline int store_outcome_counts(struct hc_store *st, struct store_outcome_counts *out)
{
    return st->requests->outcome_counts(st, out);
}

/* The decided requests of f's period after f->after_id, oldest first (by id), at most
 * f->limit of them (in a; *out and *n OUT), each with its newest decision (its trace, its
 * case_json; decision_json NULL) and its outcome in force; requests never decided are not
 * listed. A reader only: callers page through a period inside one store_read_begin snapshot.
 * HC_EINVAL for a limit outside 1..1000 or a missing from or to. The PostgreSQL backend has
 * no requests area yet. */
static inline int store_decided_list(struct hc_store *st, const struct store_period_filter *f,
                                     struct hc_arena *a, struct store_decided_request **out,
                                     size_t *n)
{
    return st->requests->decided_list(st, f, a, out, n);
}

#endif

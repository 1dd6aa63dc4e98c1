/* SPDX-License-Identifier: MIT
 * store_requests.h: immigration requests, their versioned decisions and supervisors' overrides, as
 * rows. Which outcome a request gets, and whether an override is allowed, is decided above the
 * store (src/app/intake.c, src/app/review.c). */
#ifndef HC_STORE_REQUESTS_H
#define HC_STORE_REQUESTS_H

#include "store_conn.h"

struct store_request {
    int64_t id;
    const char *type;            /* a request type of docs/case-format.md */
    const char *form;            /* "I-247A" ... or NULL */
    const char *received_at;     /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[Z|+hh:mm] */
    const char *issuing_office;  /* NULL when not given */
    int judicial_warrant, judicial_probable_cause, federal_felony_warrant;
    /* Read back only: */
    const char *outcome;         /* the decision's outcome, NULL when undecided */
    const char *decision_json;   /* as stored, NULL when undecided */
};

struct store_decision {
    int64_t request_id;
    const char *outcome;       /* "permitted" ... */
    const char *ruleset;       /* "CA-2018-01-01" ... */
    const char *case_json;     /* the case the engine was given */
    const char *decision_json; /* hc_render_json's output */
    const char *decided_by;
};

/* One version of the decision on a request. Versions are never updated: a re-decision adds a
 * new row with the next version number. */
struct store_decision_row {
    int64_t id;
    int version;               /* 1 for the decision made at intake */
    const char *outcome;
    const char *ruleset;
    const char *case_json;
    const char *decision_json;
    const char *decided_at;
    const char *decided_by;
};

/* A supervisor's override of a decision: always more restrictive than it (callers check). */
struct store_override {
    int64_t id;          /* read back only */
    int64_t request_id;
    int64_t decision_id; /* the decision version it overrides */
    const char *outcome;
    const char *reason;  /* required, 1-2000 bytes */
    const char *created_at; /* read back only */
    const char *created_by;
};

/* A request with the booking it is about, every decision version (oldest first) and every
 * override (oldest first). req.outcome and req.decision_json are those of the newest version. */
struct store_request_detail {
    struct store_request req;
    const char *booking_no;
    struct store_decision_row *dec;
    size_t ndec;
    struct store_override *ovr;
    size_t novr;
};

/* Filters of store_request_list; NULL (or 0) means "any". */
struct store_request_filter {
    const char *type;       /* request type */
    const char *outcome;    /* outcome of the newest decision */
    const char *from, *to;  /* YYYY-MM-DD, inclusive, on the received date */
    const char *booking_no;
    int64_t after_id;       /* cursor: only requests with a larger id */
    int64_t offset;         /* rows to skip (after the cursor) */
    int limit;              /* 1..500 */
};

/* A list entry: the request (outcome of the newest decision) and its booking number. */
struct store_request_item {
    struct store_request req;
    const char *booking_no;
    int64_t ndecisions;
    int64_t noverrides;
};

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
};

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

/* Request request_id with its booking number, decisions and overrides (in a). HC_ENOENT. */
static inline int store_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                                    struct store_request_detail *out)
{
    return st->requests->request_get(st, request_id, a, out);
}

/* Requests matching f, by id, at most f->limit of them (in a). */
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

#endif

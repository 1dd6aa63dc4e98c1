/* SPDX-License-Identifier: MIT
 * rows_requests.h: immigration requests, their decision versions, overrides, and the filters and
 * list entries of a request list, as holdcheck's layers pass them around. Types only: the
 * operations on them are store_requests.h's, which includes this header. Code that must not call
 * the store (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_REQUESTS_H
#define HC_ROWS_REQUESTS_H

#include <stddef.h>
#include <stdint.h>

struct store_request {
    int64_t id;
    const char *type;            /* a request type of docs/case-format.md */
    const char *form;            /* "I-247A" ... or NULL */
    const char *received_at;     /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[Z|+hh:mm] */
    const char *issuing_office;  /* NULL when not given */
    int judicial_warrant, judicial_probable_cause, federal_felony_warrant;
    /* Read back only: */
    const char *outcome;         /* the outcome in force (the view request_outcome: the newest
                                  * decision's, or its newest override's); NULL when undecided */
    const char *decision_json;   /* the newest decision as stored, NULL when undecided (and in
                                  * lists) */
    const char *engine_outcome;  /* the newest decision's own outcome, NULL when undecided */
    int64_t override_id;         /* the override in force, 0 when none */
    int64_t nactions;            /* actions recorded about the request (struct store_action) */
    int64_t ncontrary;           /* of them, those contrary to the outcome in force */
};

struct store_decision {
    int64_t request_id;
    const char *outcome;       /* "permitted" ... */
    const char *ruleset;       /* "CA-2018-01-01" ... */
    const char *case_json;     /* the case the engine was given */
    const char *decision_json; /* hc_render_json's output */
    const char *decided_by;
    /* The trace: what decided, besides the ruleset (docs/engine.md, "The trace"). NULL (0)
     * is "not recorded", as on every decision stored before the schema had the columns. */
    const char *catalog_version; /* hc_catalog_version of the catalog that decided */
    const char *settings_json;   /* the agency settings in force, canonical JSON */
    int64_t engine_version;      /* HC_ENGINE_VERSION of the code that decided */
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
    const char *catalog_version; /* the trace (struct store_decision); NULL: not recorded */
    const char *settings_json;
    int64_t engine_version;      /* 0: not recorded */
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
    const char *outcome;    /* the outcome in force */
    const char *from, *to;  /* YYYY-MM-DD, inclusive, on the received date */
    const char *booking_no;
    int64_t after_id;       /* cursor: only requests with a larger id */
    int64_t offset;         /* rows to skip (after the cursor) */
    int limit;              /* 1..500 */
    int contrary;           /* 1: only requests with an action contrary to the outcome in force */
};

/* A list entry: the request (with its outcome in force) and its booking number. */
struct store_request_item {
    struct store_request req;
    const char *booking_no;
    int64_t ndecisions;
    int64_t noverrides;
};

/* The requests received in a period, as a replay reads them (store_decided_list): the first
 * limit (1..1000) with an id above after_id, by id, received (the date of received_at) from
 * from to to inclusive. */
struct store_period_filter {
    const char *from, *to; /* YYYY-MM-DD, both required */
    int64_t after_id;      /* cursor */
    int limit;             /* 1..1000 */
};

/* A decided request with its newest decision (dec, without decision_json) and the outcome in
 * force; for a replay, which re-decides dec.case_json. Not its booking's number: a replay
 * names the booking of a changed request only (store_request_get), and reading it for every
 * request of a year is a lookup in the largest table each. */
struct store_decided_request {
    int64_t request_id;
    const char *type;
    const char *received_at;
    const char *outcome;          /* in force: the newest decision's, or its override's */
    int64_t override_id;          /* the override in force, 0 when none */
    struct store_decision_row dec;
};

/* What the agency did about a request: one row of request_actions, appended, never changed.
 * Which kinds exist, what each needs and when one is contrary to the outcome in force are
 * src/app/actions.c's rules; the schema checks the lists and the fields each kind needs. */
struct store_action {
    int64_t id;                   /* read back only */
    int64_t request_id;
    const char *kind;             /* notified, transferred, released_before_ice, ice_no_custody,
                                   * lifted_by_ice, declined */
    const char *at;               /* when it happened: YYYY-MM-DDTHH:MM:SS with Z or an offset */
    const char *method;           /* notified only: phone, fax, email, system */
    const char *acted_by;         /* the officer who acted (notified: required), or NULL */
    const char *office;           /* transferred: the ICE office that took custody, or NULL */
    const char *ice_reason;       /* ICE's detainer lift reason, as a code (actions.h), or NULL */
    const char *outcome_in_force; /* the request's outcome in force when recorded; NULL when
                                   * it was undecided */
    int contrary;                 /* 1: the action went against outcome_in_force */
    const char *reason;           /* why, required when contrary (1-2000 bytes), else NULL */
    const char *recorded_by;
    const char *recorded_at;      /* read back only */
};

/* Filters of store_actions_list: one request's actions, or a period's; 0 or NULL: any. */
struct store_action_filter {
    int64_t request_id;
    const char *from, *to; /* YYYY-MM-DD, inclusive, on the date the action happened (at) */
    int contrary;          /* 1: only actions contrary to the outcome in force */
    int64_t after_id;      /* cursor: only actions with a larger id */
    int limit;             /* 1..1000 */
};

/* How many requests have each outcome, in the order permitted, permitted_with_conditions,
 * review, prohibited: in force (the view request_outcome) and as the engine decided; and how
 * many have an action contrary to the outcome in force. */
struct store_outcome_counts {
    int64_t in_force[4];
    int64_t engine[4];
    int64_t undecided;
    int64_t contrary;
};

#endif

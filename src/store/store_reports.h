/* SPDX-License-Identifier: MIT
 * store_reports.h: the rows behind the statutory reports (docs/reports.md): the transfers to
 * immigration authorities of a period with the decision that was in force, the releases of a
 * period with the notification requests about them and the actions taken on those requests,
 * and plain aggregates of the same records for `holdcheck report --check`. The store returns
 * rows and counts; what counts as what (a transfer's basis, why no notice was given) is
 * src/app/reports.c's. A period is [from, to) in UTC ("YYYY-MM-DDTHH:MM:SSZ"); a stored time
 * with an offset is compared as the instant it names. */
#ifndef HC_STORE_REPORTS_H
#define HC_STORE_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "rows_audit.h"
#include "store_conn.h"

/* A transfer to immigration authorities: one `transferred` action (request_actions) with its
 * request and that request's newest decision. */
struct store_report_transfer {
    int64_t action_id, request_id;
    const char *at;            /* the action's time, as recorded (with its offset) */
    int64_t at_epoch;          /* the same instant, seconds since the epoch */
    const char *request_type;  /* "transfer", "hold" ... */
    int contrary;              /* recorded as contrary to the outcome in force */
    const char *outcome;       /* the request's outcome in force now (NULL: undecided) */
    const char *ruleset;       /* the newest decision's ruleset, or NULL */
    const char *decision_json; /* the newest decision's JSON, or NULL */
    int64_t decision_id;       /* the newest decision, 0 when none */
    int64_t override_id;       /* the override in force, 0 when none */
};

/* A notification request about a booking released in the period, with the facts the
 * classification reads. */
struct store_report_release {
    int64_t booking_id, request_id;
    int64_t released_epoch;     /* bookings.released_at */
    int64_t received_epoch;     /* immigration_requests.received_at */
    const char *engine_outcome; /* the newest decision's own outcome (NULL: undecided) */
    const char *outcome;        /* the outcome in force (request_outcome) */
    int64_t override_id;        /* the override in force, 0 when none */
    const char *ruleset;        /* the newest decision's ruleset, or NULL */
    int64_t decision_id;        /* the newest decision, 0 when none */
};

/* An action on a request of a store_report_release row. */
struct store_report_action {
    int64_t id;        /* the action's (request_actions.id) */
    int64_t request_id;
    const char *kind;  /* "notified", "lifted_by_ice" ... */
    int64_t at_epoch;
};

/* One record the TRUTH Act forum packet counts: a request received, an action taken, an
 * interview granted or a notice generated in the period (which: struct store_report_forum). */
struct store_report_event {
    int64_t id, request_id;
    int64_t epoch;            /* when: received, acted, granted (recorded), generated */
    const char *request_type; /* the request's type */
    const char *kind;         /* requests: the outcome in force; actions: the kind; notices:
                               * the kind; interviews: NULL */
    const char *reason;       /* actions: ICE's lift reason code (or NULL) */
    const char *birth_date;   /* actions and interviews: the person's, to compute an age band
                               * (never written out), or NULL */
    const char *ruleset;      /* requests: the newest decision's, or NULL */
    int flag;                 /* actions: contrary; notices: served */
    int64_t decision_id;      /* requests: the newest decision, 0 when none */
    int64_t override_id;      /* requests: the override in force, 0 when none */
    int64_t booking_id;       /* actions and interviews: the booking whose person's birth date
                               * was read, 0 when none was */
};

/* The records of the forum packet of a period, each list oldest first. */
struct store_report_forum {
    struct store_report_event *requests, *actions, *interviews, *notices;
    size_t nrequests, nactions, ninterviews, nnotices;
};

/* One tally row for --check: a request behind a figure and the raw values it is grouped by,
 * read with plain SQL aggregates (no C classification). v[] and n[] per query below. */
struct store_report_tally {
    int64_t request_id;
    int64_t id;         /* the action's or booking's id */
    const char *v[4];   /* raw text values (NULL: SQL NULL) */
    int64_t n[5];       /* raw counts and flags */
};

/* Which tally (store_report_tally). */
enum store_report_tally_kind {
    /* Each transferred action in the period: id the action; v[0..2] the provision, fact and
     * citation of the first qualifying fact of the request's newest decision (read with
     * json_extract, no join with request_outcome), v[3] that decision's own outcome; n[0] the
     * contrary flag. */
    STORE_TALLY_TRANSFERS,
    /* Each notification request of a booking released in the period: id the booking; v[0]
     * the newest decision's outcome (v[1..3] NULL); n[0] 1 when the request arrived after the release;
     * n[1] notified actions at or before the release; n[2] lifted_by_ice actions at or before
     * it; n[3] declined actions at or before it; n[4] overrides of the newest decision whose
     * outcome is prohibited or review. By booking, then request. */
    STORE_TALLY_RELEASES,
    /* The forum packet's records: each request received in the period (v[0] its type, v[1]
     * the local month of its receipt by SQLite's 'localtime', v[2] its outcome in force);
     * each action in the period (v[0] its kind, v[1] its lift reason, v[2] its request's
     * type, n[0] contrary, n[1] the person's age on the local day of the action or -1);
     * each interview granted (v[2] the request's type, n[1] the age likewise); each notice
     * generated (v[0] its kind, n[0] 1 when served). v[3] names which: "request", "action",
     * "interview", "notice". */
    STORE_TALLY_FORUM,
    /* Each record of the cpra bundle (struct store_report_record) whose own time is in the
     * period, read by one plain UNION ALL without the people table: id the record; v[0] its
     * table, v[1] its request's type; n[0] the id of the person the request is about. */
    STORE_TALLY_CPRA,
    /* Each booking with a notification request, whenever released (id the booking; nothing
     * else set): the bookings a release of any period could come from, which --check verifies
     * against the audit chain (a booking whose released_at was moved out of the period is
     * among them). By booking. */
    STORE_TALLY_NOTIFIED_BOOKINGS
};

/* The tables of the records of ICE access and of communication with immigration authorities
 * (the cpra bundle), each record in a period by its own time: a request by received_at, a
 * judicial warrant's details, an intent, a consent, an interview step by recorded_at, a
 * decision by decided_at, an override by created_at, an action by at, a release date told to
 * ICE by told_at, a TRUTH Act notice by generated_at. */
enum store_report_record_table {
    STORE_REC_REQUESTS,    /* immigration_requests, with the outcome in force */
    STORE_REC_WARRANTS,    /* request_warrants */
    STORE_REC_DECISIONS,   /* decisions, with the provisions they cite */
    STORE_REC_OVERRIDES,   /* overrides */
    STORE_REC_INTENTS,     /* request_intents */
    STORE_REC_ACTIONS,     /* request_actions */
    STORE_REC_DISCLOSURES, /* release_disclosures */
    STORE_REC_NOTICES,     /* notices */
    STORE_REC_CONSENTS,    /* interview_consents */
    STORE_REC_INTERVIEWS,  /* interviews */
    STORE_REC_NTABLES
};

/* The most columns of its own a record has (struct store_report_record). */
#define STORE_REPORT_RECORD_FIELDS 12

/* One record of a table of enum store_report_record_table, with the booking its request is
 * about. Whom that booking is about (the person and the booking's number, which the report
 * redacts or writes) is read once a booking by store_report_bookings, not with every record:
 * store_report_records leaves person_id 0 and person_name, birth_date and booking_no NULL, for
 * the caller to fill (never ethnicity, national origin or immigration status: none is
 * stored). */
struct store_report_record {
    const char *table;          /* its table's name: "immigration_requests", "decisions" ... */
    int64_t id, request_id;     /* its id, and its request's (a request's own: the same) */
    int64_t epoch;              /* its own time (the column of the enum), seconds since the epoch */
    const char *request_type;   /* its request's type */
    int64_t person_id, booking_id;
    const char *person_name;    /* people.name */
    const char *birth_date;     /* people.date_of_birth, or NULL */
    const char *booking_no;     /* bookings.booking_no */
    size_t nfields;             /* the record's own columns, as stored, in the table's order */
    const char *field[STORE_REPORT_RECORD_FIELDS]; /* each column's name */
    const char *value[STORE_REPORT_RECORD_FIELDS]; /* its value as text (NULL: SQL NULL) */
};

/* Whom a booking is about, as stored: the booking's number and its person. */
struct store_report_booking {
    int64_t booking_id, person_id;
    const char *person_name; /* people.name */
    const char *birth_date;  /* people.date_of_birth, or NULL */
    const char *booking_no;  /* bookings.booking_no */
};

/* The tables of the rows the audit chain vouches for (docs/server.md, "Rows bound into the
 * chain") that a report reads. */
enum store_report_table {
    STORE_REPORT_BOOKINGS,
    STORE_REPORT_DECISIONS,
    STORE_REPORT_OVERRIDES,
    STORE_REPORT_ACTIONS, /* request_actions */
    STORE_REPORT_NOTICES,
    STORE_REPORT_TASK_FORCES,     /* task_forces */
    STORE_REPORT_TF_ARRESTS,      /* task_force_arrests */
    STORE_REPORT_NTABLES
};

/* The rows of those tables that a report read, by table: what report_verify checks. */
struct store_report_read {
    unsigned tables; /* bit 1 << t: the report reads table t; a table it does not read is not
                      * verified at all */
    const int64_t *ids[STORE_REPORT_NTABLES]; /* ascending, each once (borrowed) */
    size_t n[STORE_REPORT_NTABLES];
    int citations; /* the report read the provisions kept beside its decisions (the cpra
                    * bundle): check them against the decisions' JSON too */
};

/* The reports operations of a backend (contracts: the wrappers below). */
struct store_reports_ops {
    int (*report_transfers)(struct hc_store *st, const char *from, const char *to,
                            struct hc_arena *a, struct store_report_transfer **out, size_t *n);
    int (*report_releases)(struct hc_store *st, const char *from, const char *to,
                           struct hc_arena *a, struct store_report_release **out, size_t *n,
                           struct store_report_action **acts, size_t *nacts);
    int (*report_forum)(struct hc_store *st, const char *from, const char *to,
                        struct hc_arena *a, struct store_report_forum *out);
    int (*report_tally)(struct hc_store *st, enum store_report_tally_kind k, const char *from,
                        const char *to, struct hc_arena *a, struct store_report_tally **out,
                        size_t *n);
    int (*report_records)(struct hc_store *st, enum store_report_record_table t,
                          const char *from, const char *to, struct hc_arena *a,
                          struct store_report_record **out, size_t *n);
    int (*report_verify)(struct hc_store *st, const struct store_report_read *rd,
                         struct store_audit_report *rep);
    int (*report_bookings)(struct hc_store *st, const int64_t *ids, size_t n,
                           struct hc_arena *a, struct store_report_booking **out, size_t *nout);
};

/* The operation names in table order (as STORE_CONSOLE_OPS). */
#define STORE_REPORTS_OPS(OP) OP(report_transfers) OP(report_releases) OP(report_forum) \
    OP(report_tally) OP(report_records) OP(report_verify) OP(report_bookings)

/* A backend without the reports area (both have it now) leaves st->reports NULL: every
 * wrapper then answers STORE_ENOTSUP. Distinct from every HC_E* and store code. */
#define STORE_ENOTSUP (-56)

/* The transferred actions whose time is in [from, to), oldest first (then by id), each with
 * its request's type, outcome in force and newest decision (in a). HC_ENOMEM when a is full;
 * STORE_ENOTSUP for a backend without reports. */
static inline int store_report_transfers(struct hc_store *st, const char *from, const char *to,
                                         struct hc_arena *a, struct store_report_transfer **out,
                                         size_t *n)
{
    if (st->reports == NULL)
        return STORE_ENOTSUP;
    return st->reports->report_transfers(st, from, to, a, out, n);
}

/* The notification requests of the bookings whose released_at is in [from, to), by release
 * time, booking and request (*out, *n), and every action on those requests, by request then
 * id (*acts, *nacts), in a. A booking released without a released_at is not in any period.
 * Errors as store_report_transfers. */
static inline int store_report_releases(struct hc_store *st, const char *from, const char *to,
                                        struct hc_arena *a, struct store_report_release **out,
                                        size_t *n, struct store_report_action **acts,
                                        size_t *nacts)
{
    if (st->reports == NULL)
        return STORE_ENOTSUP;
    return st->reports->report_releases(st, from, to, a, out, n, acts, nacts);
}

/* The records of the forum packet of [from, to) into *out (in a): the requests received, the
 * actions taken, the interviews granted and the notices generated in the period. Errors as
 * store_report_transfers. */
static inline int store_report_forum(struct hc_store *st, const char *from, const char *to,
                                     struct hc_arena *a, struct store_report_forum *out)
{
    if (st->reports == NULL)
        return STORE_ENOTSUP;
    return st->reports->report_forum(st, from, to, a, out);
}

/* The tally k for [from, to) (enum store_report_tally_kind says what each row holds), in a.
 * Read by separate, plain SQL, so that --check does not share the report's query. Errors as
 * store_report_transfers; HC_EINVAL for an unknown k. */
static inline int store_report_tally(struct hc_store *st, enum store_report_tally_kind k,
                                     const char *from, const char *to, struct hc_arena *a,
                                     struct store_report_tally **out, size_t *n)
{
    if (st->reports == NULL)
        return STORE_ENOTSUP;
    return st->reports->report_tally(st, k, from, to, a, out, n);
}

/* The records of table t whose own time (enum store_report_record_table) is in [from, to),
 * in the order of that time, then by id, into *out and *n (in a). Errors as
 * store_report_transfers; HC_EINVAL for an unknown t. */
static inline int store_report_records(struct hc_store *st, enum store_report_record_table t,
                                       const char *from, const char *to, struct hc_arena *a,
                                       struct store_report_record **out, size_t *n)
{
    return st->reports ? st->reports->report_records(st, t, from, to, a, out, n) : STORE_ENOTSUP;
}

/* The bookings ids[0..n) (ascending, each once) with whom each is about, in id order, into
 * *out and *nout (in a); a booking that is not stored, or whose person is not, is left out.
 * Errors as store_report_transfers. */
static inline int store_report_bookings(struct hc_store *st, const int64_t *ids, size_t n,
                                        struct hc_arena *a, struct store_report_booking **out,
                                        size_t *nout)
{
    if (st->reports == NULL)
        return STORE_ENOTSUP;
    return st->reports->report_bookings(st, ids, n, a, out, nout);
}

/* Check against the audit chain the rows a report could have read, and no others: walk the
 * whole chain, checking every entry's link (its seq, and its prev_hash against the previous
 * entry's stored hash: rep->bad_seq, reason, entries, head) and rehashing the entries that bind
 * one of the rows below (chain_link_row), and when it is intact check against the latest entry
 * that binds it each row of: the bookings rd names; every decision of each request whose
 * decision rd names (all versions: which one is newest depends on them all); and the whole of
 * request_actions, overrides and notices (small, append-only tables whose rows a report selects
 * by columns an edit could change, such as an action's kind or time). rep->bound_rows the rows
 * read; a row no entry binds (written around holdcheck), one whose content is not what its
 * latest binding says (edited or replaced) and one bound but no longer there (deleted) are
 * problems (rep->row_problems, the first in rep->row). With rd->citations, the provisions
 * kept beside each of those decisions that are not what its JSON cites are problems too (as
 * edited rows of table decision_citations). Any other booking or decision is not read:
 * store_audit_verify checks every row. In one read snapshot unless st is in a
 * transaction. HC_ENOMEM; STORE_ENOTSUP; a store error. */
static inline int store_report_verify(struct hc_store *st, const struct store_report_read *rd,
                                      struct store_audit_report *rep)
{
    if (st->reports == NULL)
        return STORE_ENOTSUP;
    return st->reports->report_verify(st, rd, rep);
}

#endif

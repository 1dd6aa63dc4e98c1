/* SPDX-License-Identifier: MIT
 * store.h: the one interface to holdcheck's database. Callers see plain structs and HC_E* codes;
 * no SQL appears above this header. A backend embeds `struct hc_store` as its first member and
 * fills a `struct store_ops`; the static inline wrappers below dispatch through it.
 *
 * Invariants every backend keeps:
 * - Every write and the audit_log entry describing it commit in one transaction, or neither does.
 * - The audit log is append-only and hash-chained (docs/server.md, "Audit chain").
 * - People carry a name, date of birth, local id and the PC 290 flag, and nothing else: no
 *   immigration status, national origin or ethnicity is ever stored.
 *
 * A store handle is one database connection: use it from one thread at a time. Open one per
 * thread. Strings read from the store are allocated from the caller's arena and live as long as
 * it does. */
#ifndef HC_STORE_H
#define HC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

/* A unique key (booking_no, local_id) already exists. err.h has no code for it yet;
 * NEEDSWORK: move to err.h as HC_EEXIST. store_strerror() knows it. */
#define STORE_ECONFLICT (-32)

/* hc_strerror(rc), extended with the store's own codes. */
const char *store_strerror(int rc);

struct store_person {
    int64_t id;                /* 0 when not yet stored */
    const char *name;          /* required */
    const char *date_of_birth; /* YYYY-MM-DD or NULL */
    const char *local_id;      /* the agency's own person number, unique, or NULL */
    int registrant_290;        /* a current PC 290 registrant */
};

struct store_conviction {
    const char *citation;                  /* as written in the court record */
    const char *level;                     /* "felony", "misdemeanor", "infraction" or NULL */
    const char *date;                      /* YYYY-MM-DD or NULL */
    const char *court;                     /* NULL when not known */
    int prop47_reduced;                    /* -1 not known, 0, 1 */
    const char *federal_aggravated_felony; /* NULL, "A".."U", "true" or "false" */
    const char *jurisdiction;              /* NULL (the citation decides), "CA", "federal", a state */
};

struct store_charge {
    const char *citation;
    const char *level;  /* as for convictions */
    const char *status; /* "pending", "dismissed" or "convicted" */
    int magistrate_probable_cause;
};

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

struct store_booking {
    int64_t id;
    const char *booking_no;        /* required, unique */
    int64_t person_id;             /* an existing person, or 0 to create `person` */
    const char *booked_at;         /* required */
    const char *facility;          /* required */
    const char *status;            /* "in_custody" or "released" */
    const char *scheduled_release; /* or NULL */
    const char *released_at;       /* or NULL */
    const char *release_reason;    /* or NULL */
};

/* What a booking creation writes: the booking, its charges, and, when booking.person_id is 0,
 * a new person with their convictions. */
struct store_booking_new {
    struct store_booking booking;
    struct store_person person;
    const struct store_conviction *conv;
    size_t nconv;
    const struct store_charge *charges;
    size_t ncharges;
};

/* A booking with everything needed to decide a request about it or to show it. */
struct store_record {
    struct store_booking booking;
    struct store_person person;
    struct store_conviction *conv;
    size_t nconv;
    struct store_charge *charges; /* all of the booking's charges, any status */
    size_t ncharges;
    struct store_request *req;    /* the booking's requests, oldest first */
    size_t nreq;
};

struct store_agency {
    int release_dates_public;
    int personal_info_public;
    const char *policy_json; /* a JSON object, request type -> policy name (case-format.md) */
};

struct store_decision {
    int64_t request_id;
    const char *outcome;       /* "permitted" ... */
    const char *ruleset;       /* "CA-2018-01-01" ... */
    const char *case_json;     /* the case the engine was given */
    const char *decision_json; /* hc_render_json's output */
    const char *decided_by;
};

struct store_audit_report {
    int64_t entries;   /* rows checked */
    int64_t bad_seq;   /* first row that fails, 0 when the chain is intact */
    char reason[128];  /* why bad_seq fails */
    char head[65];     /* hex hash of the last entry ("" when empty) */
};

/* A user of the server (migration 2). Roles are "clerk", "supervisor", "auditor", "admin". */
struct store_user {
    int64_t id;
    const char *name;          /* 1-64 of A-Z a-z 0-9 . _ - @, unique */
    const char *role;
    const char *password_hash; /* crypto_pwhash_str (argon2id) output; never the password */
    const char *created_at;    /* read back only */
    int disabled;
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

struct store_audit_entry {
    int64_t seq;
    const char *at, *actor, *action, *entity;
    const char *payload; /* compact JSON */
    const char *hash;
};

/* What `holdcheck import` loads and `holdcheck export` writes: one kind of row per file. */
enum store_kind {
    STORE_KIND_PEOPLE = 1,
    STORE_KIND_BOOKINGS,
    STORE_KIND_CHARGES,
    STORE_KIND_CONVICTIONS
};

/* One validated row of an import. Which members are read depends on the kind of the import:
 * people: person (id ignored; local_id required);
 * bookings: booking (id and person_id ignored) and person_local_id;
 * charges: charge and booking_no;
 * convictions: conviction and person_local_id.
 * The store checks only what the schema checks and that the reference exists: callers validate
 * formats (citations, dates, levels) first. */
struct store_import_row {
    struct store_person person;
    struct store_booking booking;
    struct store_charge charge;
    struct store_conviction conviction;
    const char *person_local_id; /* bookings, convictions: the person's local_id */
    const char *booking_no;      /* charges: the booking's number */
    long tag;                    /* the caller's number for the row (its line), given back by
                                  * the import's report function (store_import_begin) */
};

/* Called with a row that store_import_row held back (tag is its r->tag) and the database then
 * refused: rc and d are what store_import_row would have returned for it. */
typedef void (*store_import_report_fn)(void *ctx, long tag, int rc, const struct hc_diag *d);

/* What one committed import wrote, as recorded in its audit entry. */
struct store_import_summary {
    int64_t rows;           /* rows inserted */
    int64_t first_id;       /* row ids first_id..last_id of the kind's table (0 when no rows) */
    int64_t last_id;
    int64_t audit_seq;      /* the audit entry */
    char rows_hash[65];     /* hex BLAKE2b-256 of the rows (docs/import.md, "Audit") */
};

/* Called by store_export with one row: v[0..n) are the columns in the order of docs/import.md
 * (NULL for SQL NULL; booleans as "true"/"false"). The strings live until cb returns. A
 * non-zero return stops the export, which returns that value. */
typedef int (*store_export_cb)(void *ctx, const char *const *v, size_t n);

struct hc_store;

struct store_ops {
    const char *name;
    void (*close)(struct hc_store *st);
    int (*migrate)(struct hc_store *st, int *from, int *to);
    int (*schema_version)(struct hc_store *st, int *version);
    int (*begin)(struct hc_store *st);
    int (*commit)(struct hc_store *st);
    void (*rollback)(struct hc_store *st);
    int (*read_begin)(struct hc_store *st);
    void (*read_end)(struct hc_store *st);
    int (*booking_add)(struct hc_store *st, const struct store_booking_new *b, const char *actor,
                       int64_t *booking_id, struct hc_diag *d);
    int (*record_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                      struct store_record *out);
    int (*booking_count)(struct hc_store *st, int64_t *n);
    int (*agency_get)(struct hc_store *st, struct hc_arena *a, struct store_agency *out);
    int (*agency_set)(struct hc_store *st, const struct store_agency *ag, const char *actor);
    int (*request_add)(struct hc_store *st, int64_t booking_id, const struct store_request *rq,
                       const char *actor, int64_t *request_id);
    int (*decision_add)(struct hc_store *st, const struct store_decision *dec, int64_t *decision_id);
    int (*audit_verify)(struct hc_store *st, struct store_audit_report *rep);
    int (*ping)(struct hc_store *st);
    /* Migration 2: users, tokens, sessions, versioned decisions, overrides, listings. */
    int (*user_add)(struct hc_store *st, const struct store_user *u, const char *actor,
                    int64_t *user_id);
    int (*user_get)(struct hc_store *st, const char *name, struct hc_arena *a,
                    struct store_user *out);
    int (*user_list)(struct hc_store *st, struct hc_arena *a, struct store_user **out, size_t *n);
    int (*user_disable)(struct hc_store *st, const char *name, const char *actor);
    int (*token_add)(struct hc_store *st, int64_t user_id, const char *token_hash,
                     const char *actor);
    int (*token_user)(struct hc_store *st, const char *token_hash, struct hc_arena *a,
                      struct store_user *out);
    int (*session_add)(struct hc_store *st, int64_t user_id, const char *id_hash,
                       const char *expires_at);
    int (*session_user)(struct hc_store *st, const char *id_hash, struct hc_arena *a,
                        struct store_user *out);
    int (*session_delete)(struct hc_store *st, const char *id_hash);
    int (*request_get)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                       struct store_request_detail *out);
    int (*request_list)(struct hc_store *st, const struct store_request_filter *f,
                        struct hc_arena *a, struct store_request_item **out, size_t *n);
    int (*override_add)(struct hc_store *st, const struct store_override *o, int64_t *override_id);
    int (*audit_list)(struct hc_store *st, int64_t after_seq, int limit, struct hc_arena *a,
                      struct store_audit_entry **out, size_t *n);
    /* Bulk import and export (holdcheck import / export, docs/import.md). */
    int (*import_begin)(struct hc_store *st, enum store_kind kind, store_import_report_fn report,
                        void *ctx);
    int (*import_row)(struct hc_store *st, const struct store_import_row *r, struct hc_diag *d);
    int (*import_flush)(struct hc_store *st);
    int (*import_commit)(struct hc_store *st, const char *actor, const char *source,
                         const char *format, struct store_import_summary *out);
    int (*export_rows)(struct hc_store *st, enum store_kind kind, store_export_cb cb, void *ctx);
};

struct hc_store {
    const struct store_ops *ops;
};

/* Latest schema version this build knows; `holdcheck migrate` brings a database to it. */
#define STORE_SCHEMA_VERSION 3

enum store_open_flags {
    STORE_OPEN_CREATE = 1 << 0,   /* create the database file when missing */
    STORE_OPEN_ANY_SCHEMA = 1 << 1 /* do not insist on STORE_SCHEMA_VERSION (for migrate) */
};

/* Open the SQLite database at path into *out (WAL, foreign keys on, a busy timeout). Unless
 * STORE_OPEN_ANY_SCHEMA is given the schema must be at STORE_SCHEMA_VERSION. Returns 0, or
 * HC_EIO / HC_ERANGE (schema too old or too new) with the reason in d; *out is then NULL.
 * Free with store_close. */
int store_sqlite_open(const char *path, int flags, struct hc_store **out, struct hc_diag *d);

/* Close st and free it. st may be NULL. */
static inline void store_close(struct hc_store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

/* Apply every migration newer than the database's version, each in its own transaction.
 * *from and *to (OUT) get the versions before and after. */
static inline int store_migrate(struct hc_store *st, int *from, int *to)
{
    return st->ops->migrate(st, from, to);
}

/* The database's schema version (OUT). */
static inline int store_schema_version(struct hc_store *st, int *version)
{
    return st->ops->schema_version(st, version);
}

/* Start a transaction that takes the write lock at once (BEGIN IMMEDIATE). Writes made until
 * store_commit, including those of the store_*_add calls, commit together. Transactions nest:
 * only the outermost begin/commit touch the database. After any failed call inside a
 * transaction the caller must store_rollback. */
static inline int store_begin(struct hc_store *st)
{
    return st->ops->begin(st);
}

static inline int store_commit(struct hc_store *st)
{
    return st->ops->commit(st);
}

/* Abandon the whole (outermost) transaction, whatever the nesting depth. */
static inline void store_rollback(struct hc_store *st)
{
    st->ops->rollback(st);
}

/* Start a read transaction (BEGIN DEFERRED): the reads until store_read_end see one snapshot
 * and take the database's read lock once, instead of once per statement. For requests that
 * only read; a write (store_begin or a store_*_add) must not be made inside one. Nothing
 * happens inside a store_begin transaction. A token's last_used, which store_token_user
 * writes, is written by store_read_end after the read transaction ends. */
static inline int store_read_begin(struct hc_store *st)
{
    return st->ops->read_begin(st);
}

/* End the read transaction of store_read_begin (when one is open). */
static inline void store_read_end(struct hc_store *st)
{
    st->ops->read_end(st);
}

/* Write a booking (with a new person and their convictions when b->booking.person_id is 0) and
 * its charges, plus one audit entry, atomically. *booking_id (OUT) gets the new id. Returns
 * STORE_ECONFLICT with d->field "booking_no" or "person.local_id" when that key exists, HC_ENOENT
 * with d->field "person_id" for an unknown person, HC_EINVAL for values the schema refuses. */
static inline int store_booking_add(struct hc_store *st, const struct store_booking_new *b,
                                    const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    return st->ops->booking_add(st, b, actor, booking_id, d);
}

/* Read the booking numbered booking_no with its person, convictions, charges and requests into
 * *out (strings in a). Returns HC_ENOENT when there is no such booking, HC_ENOMEM when a is full. */
static inline int store_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                                   struct store_record *out)
{
    return st->ops->record_get(st, booking_no, a, out);
}

/* Number of bookings stored (OUT). */
static inline int store_booking_count(struct hc_store *st, int64_t *n)
{
    return st->ops->booking_count(st, n);
}

/* The agency's publication settings and policy (strings in a). */
static inline int store_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    return st->ops->agency_get(st, a, out);
}

/* Replace the agency settings, with an audit entry, atomically. The policy JSON is stored as
 * given; callers validate it (hc_case_read does, when a decision uses it). */
static inline int store_agency_set(struct hc_store *st, const struct store_agency *ag,
                                   const char *actor)
{
    return st->ops->agency_set(st, ag, actor);
}

/* Record an immigration request about booking booking_id, with an audit entry. */
static inline int store_request_add(struct hc_store *st, int64_t booking_id,
                                    const struct store_request *rq, const char *actor,
                                    int64_t *request_id)
{
    return st->ops->request_add(st, booking_id, rq, actor, request_id);
}

/* Record a decision on a request, with an audit entry. Since migration 2 decisions are
 * versioned: each call adds the request's next version (1, 2, ...) and never changes an
 * earlier one (a trigger refuses UPDATE and DELETE on decisions). */
static inline int store_decision_add(struct hc_store *st, const struct store_decision *dec,
                                     int64_t *decision_id)
{
    return st->ops->decision_add(st, dec, decision_id);
}

/* Walk the whole audit chain, recomputing every hash. Returns 0 whether or not the chain is
 * intact: rep->bad_seq says (0 = intact). A negative return means the walk itself failed. */
static inline int store_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    return st->ops->audit_verify(st, rep);
}

/* Check that the connection answers (for /healthz). */
static inline int store_ping(struct hc_store *st)
{
    return st->ops->ping(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Users, tokens and sessions (migration 2). Secrets are never stored: callers pass the
 * argon2id hash of a password and the BLAKE2b hash (hex) of a token or session id. */

/* Add user u (id, created_at ignored) with an audit entry "user.create". *user_id (OUT).
 * STORE_ECONFLICT when the name exists; HC_EINVAL when the schema refuses the role or name. */
static inline int store_user_add(struct hc_store *st, const struct store_user *u,
                                 const char *actor, int64_t *user_id)
{
    return st->ops->user_add(st, u, actor, user_id);
}

/* The user named name (strings in a), disabled or not. HC_ENOENT when there is none. */
static inline int store_user_get(struct hc_store *st, const char *name, struct hc_arena *a,
                                 struct store_user *out)
{
    return st->ops->user_get(st, name, a, out);
}

/* Every user, by name (arrays and strings in a; password_hash is NULL). */
static inline int store_user_list(struct hc_store *st, struct hc_arena *a,
                                  struct store_user **out, size_t *n)
{
    return st->ops->user_list(st, a, out, n);
}

/* Disable the user named name (its tokens and sessions stop working), with an audit entry
 * "user.disable". HC_ENOENT when there is no such user. */
static inline int store_user_disable(struct hc_store *st, const char *name, const char *actor)
{
    return st->ops->user_disable(st, name, actor);
}

/* Store the hash of a new API token of user user_id, with an audit entry "token.create". */
static inline int store_token_add(struct hc_store *st, int64_t user_id, const char *token_hash,
                                  const char *actor)
{
    return st->ops->token_add(st, user_id, token_hash, actor);
}

/* The enabled user whose API token hashes to token_hash; records the token's last use (at
 * most once a minute). HC_ENOENT when no enabled user has that token. */
static inline int store_token_user(struct hc_store *st, const char *token_hash,
                                   struct hc_arena *a, struct store_user *out)
{
    return st->ops->token_user(st, token_hash, a, out);
}

/* Store a web session (the hash of its random id) for user_id until expires_at (UTC,
 * "YYYY-MM-DDTHH:MM:SSZ"). */
static inline int store_session_add(struct hc_store *st, int64_t user_id, const char *id_hash,
                                    const char *expires_at)
{
    return st->ops->session_add(st, user_id, id_hash, expires_at);
}

/* The enabled user of the unexpired session whose id hashes to id_hash. HC_ENOENT otherwise. */
static inline int store_session_user(struct hc_store *st, const char *id_hash,
                                     struct hc_arena *a, struct store_user *out)
{
    return st->ops->session_user(st, id_hash, a, out);
}

/* End the session whose id hashes to id_hash (also removes expired sessions). 0 if none. */
static inline int store_session_delete(struct hc_store *st, const char *id_hash)
{
    return st->ops->session_delete(st, id_hash);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests, decisions, overrides and the audit log, read and reviewed (migration 2).          */

/* Request request_id with its booking number, decisions and overrides (in a). HC_ENOENT. */
static inline int store_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                                    struct store_request_detail *out)
{
    return st->ops->request_get(st, request_id, a, out);
}

/* Requests matching f, by id, at most f->limit of them (in a). */
static inline int store_request_list(struct hc_store *st, const struct store_request_filter *f,
                                     struct hc_arena *a, struct store_request_item **out,
                                     size_t *n)
{
    return st->ops->request_list(st, f, a, out, n);
}

/* Record override o with an audit entry "override.record", atomically. The store checks only
 * that the decision belongs to the request (else HC_EINVAL) and what the schema checks; the
 * caller checks that the override is more restrictive (src/server/review.c). */
static inline int store_override_add(struct hc_store *st, const struct store_override *o,
                                     int64_t *override_id)
{
    return st->ops->override_add(st, o, override_id);
}

/* At most limit (1..500) audit entries with seq > after_seq, oldest first (in a). */
static inline int store_audit_list(struct hc_store *st, int64_t after_seq, int limit,
                                   struct hc_arena *a, struct store_audit_entry **out, size_t *n)
{
    return st->ops->audit_list(st, after_seq, limit, a, out, n);
}

/* ------------------------------------------------------------------------------------------ */
/* Bulk import and export (docs/import.md).                                                   */

/* Start importing rows of one kind: opens a transaction (BEGIN IMMEDIATE) that holds every row
 * and the import's single audit entry, and starts the rows' hash. Finish with
 * store_import_commit, or abandon everything with store_rollback. One import at a time per
 * handle; it must not be nested in another transaction. report(ctx, ...) is told of each row
 * that store_import_row held back and the database then refused. */
static inline int store_import_begin(struct hc_store *st, enum store_kind kind,
                                     store_import_report_fn report, void *ctx)
{
    return st->ops->import_begin(st, kind, report, ctx);
}

/* Insert one row of the current import (see struct store_import_row) and add it to the hash,
 * or hold it back for a batch (see store_import_flush). A refused row leaves the transaction
 * usable, so a caller can go on checking later rows and roll back at the end. Errors: STORE_ECONFLICT (d->field "local_id" or "booking_no": the key
 * exists, in the database or earlier in this import); HC_ENOENT (d->field "person_local_id" or
 * "booking_no": no such person or booking); HC_EINVAL (the schema refused a value); HC_EIO. */
static inline int store_import_row(struct hc_store *st, const struct store_import_row *r,
                                   struct hc_diag *d)
{
    return st->ops->import_row(st, r, d);
}

/* Bookings and charges are inserted in batches (docs/import.md, "Speed"): store_import_row may
 * copy a valid row and return HC_OK before inserting it. A refused row of a batch is passed to
 * the import's report function, at the latest by this call, which inserts every row held back,
 * in order. Returns HC_OK (even when rows were refused), or a store error (HC_EIO, HC_ENOMEM).
 * Call it before reporting a problem of a later row, and before committing. */
static inline int store_import_flush(struct hc_store *st)
{
    return st->ops->import_flush(st);
}

/* Append the import's audit entry ("import.commit": source, format, kind, row count, id range,
 * rows hash) and commit. *out (OUT, may be NULL) gets the summary. On failure everything of the
 * import is rolled back. source is the file name as the user gave it. */
static inline int store_import_commit(struct hc_store *st, const char *actor, const char *source,
                                      const char *format, struct store_import_summary *out)
{
    return st->ops->import_commit(st, actor, source, format, out);
}

/* Call cb once per stored row of kind, oldest first, with the columns of docs/import.md. Reads
 * in one transaction, so the export is a consistent snapshot. Returns 0, cb's non-zero return,
 * or a store error. */
static inline int store_export(struct hc_store *st, enum store_kind kind, store_export_cb cb,
                               void *ctx)
{
    return st->ops->export_rows(st, kind, cb, ctx);
}

#endif

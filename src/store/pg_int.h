/* SPDX-License-Identifier: MIT
 * pg_int.h: shared inside the PostgreSQL backend only (src/store/pg_*.c). pg_conn.c holds the
 * connection, its agency, transactions and migrations; pg_schema.c the schema. Nothing outside
 * src/store includes this header. */
#ifndef HC_PG_INT_H
#define HC_PG_INT_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "store.h"

#include "bound.h"

/* The most runs of rows one audit entry of this backend binds besides the row it names. */
#define PG_BOUND_NOTES_MAX 8

/* One migration: the schema is at version after its steps (SQL texts, NULL-terminated) run in
 * order, in one transaction (pg_schema.c). */
struct pg_migration {
    int version;
    const char *const *steps;
};
extern const struct pg_migration pg_migrations[];
extern const size_t pg_nmigrations;

/* Statement slots (pg_run): each file of the backend keeps its statements, beside the code
 * that reads their columns, in a range of its own. */
#define PG_X_AUDIT 0  /* pg_audit.c: 0..7 */
#define PG_X_USERS 8  /* pg_users.c: 8..23 */
#define PG_X_CONN 24  /* pg_conn.c: 24..25 */
#define PG_X_RECORDS 26  /* pg_records.c: 26..47 */
#define PG_X_REQUESTS 48 /* pg_requests.c: 48..63 */
#define PG_X_TASKFORCE 64 /* pg_taskforce.c: 64..71 */
#define PG_X_READLOG 72   /* pg_readlog.c: 72..79 */
#define PG_X_VICTIMS 80   /* pg_victims.c: 80..95 */
#define PG_X_CONSOLE 96   /* pg_console.c: 96..127 */
#define PG_X_REPORTS 128  /* pg_reports.c: 128..159 */
#define PG_X_PUBLIC 160   /* pg_public.c: 160..207 */
#define PG_X_SMS 208      /* pg_sms.c: 208..223 */
#define PG_X_IMPORT 224   /* pg_import.c: 224..255 */
#define PG_STMT_MAX 256

struct pg_import;

/* One connection to a PostgreSQL database, acting for one agency. */
struct store_pg {
    struct hc_store base; /* first: the dispatch wrappers cast through it */
    PGconn *conn;
    int64_t agency; /* the agencies row this connection acts for; 0 = none (migrate only) */
    unsigned char prepared[PG_STMT_MAX]; /* slot i is prepared on this connection */
    /* Rows of bound tables written in this transaction, for its next audit entry to bind
     * (pg_bound_note). */
    struct bound_note bound_notes[PG_BOUND_NOTES_MAX];
    size_t bound_n;
    struct pg_import *imp; /* pg_import.c: the bulk import's state, NULL until the first */
};

/* The parameters of one statement, as text (PostgreSQL converts them to the columns' types). */
#define PG_PARAMS_MAX 16
struct pg_params {
    int n;
    const char *v[PG_PARAMS_MAX]; /* NULL: SQL NULL */
    char num[PG_PARAMS_MAX][24];  /* the text of numeric parameters */
};

/* Append a parameter: a string (NULL for SQL NULL), or a number. At most PG_PARAMS_MAX. */
void pg_param_str(struct pg_params *p, const char *v);
void pg_param_i64(struct pg_params *p, int64_t v);

/* Run the statement of slot (0..PG_STMT_MAX-1; a slot always holds the same sql) with params p
 * (NULL: none), prepared on this connection on first use. Returns its result, which the caller
 * PQclears, with *rc HC_OK; or NULL with *rc the failure (pg_map_result's code; HC_EIO when
 * the statement could not be prepared). */
PGresult *pg_run(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 int *rc);

/* pg_run for a statement that finds one row: NULL with *rc HC_ENOENT when it found none (or
 * more than one). */
PGresult *pg_run_one(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                     int *rc);

/* pg_audit.c: append an entry for action on entity by actor with payload (a JSON object; the
 * row entity names, when it is one of a bound table, and the rows noted since the last entry
 * (pg_bound_note) are added to it as "bound": bound.h) after the head of this agency's chain
 * (the backend's audit_append). Must run inside the write's transaction, after the writes it
 * binds; entries of one agency are appended one at a time, in the order their transactions
 * take the chain's lock. */
int pg_audit_append(struct hc_store *st, const char *actor, const char *action,
                    const char *entity, json_t *payload);
/* Note that rows first..last (ids) of bound table table were written in this transaction, so
 * that its next audit entry binds them as they are then (a write whose entry names no row: a
 * booking changed). HC_EINVAL when table is not bound (bound.h); HC_ENOMEM when the entry
 * would bind more than PG_BOUND_NOTES_MAX runs. */
int pg_bound_note(struct store_pg *s, const char *table, int64_t first, int64_t last);
/* The audit verification of some rows only (bound_verify_only): ids[t][0..n[t]) of each bound
 * table t, against this agency's chain (the reports' report_verify). */
int pg_audit_verify_only(struct hc_store *st, const int64_t *const *ids, const size_t *n,
                         struct store_audit_report *rep);
/* Forget the notes (a transaction ended or rolled back). */
void pg_bound_forget(struct store_pg *s);
/* pg_rows.c: records by their field descriptors (fields.h).
 * Append the SF_BIND fields of rec to p (an SF_AT field as at, unless at is NULL); HC_EINVAL
 * when they do not fit. */
int pg_param_fields(struct pg_params *p, const void *rec, const struct sf_record *rd,
                    const char *at);
/* Copy columns col, col+1, ... of row `row` of r into the SF_COL fields of rec, strings into a
 * (*oom set when a is full). Returns the next column's index. */
int pg_fill_fields(const PGresult *r, int row, int col, struct hc_arena *a, void *rec,
                   const struct sf_record *rd, int *oom);
/* Column c of row `row` of r copied into a: NULL for SQL NULL (and *oom set when a is full). */
const char *pg_col_dup(const PGresult *r, int row, int c, struct hc_arena *a, int *oom);
/* Run the statement of slot with p and read its first row into el by rd: HC_OK, HC_ENOENT
 * when there is no row, HC_ENOMEM when a is full, or a store error. */
int pg_read_rec(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                struct hc_arena *a, const struct sf_record *rd, void *el);
/* The same for every row: an array of rd->size-byte elements in a, in *out and *n. */
int pg_read_recs(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 struct hc_arena *a, const struct sf_record *rd, void **out, size_t *n);
/* Run the command of slot with p; *changed (may be NULL) gets the rows it changed, or *id (may
 * be NULL) the integer in column 0 of its first row (an INSERT ... RETURNING id, a SELECT id):
 * HC_ENOENT when it returned no row. Returns HC_OK or a store error. */
int pg_exec_stmt(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 int64_t *changed, int64_t *id);
/* Make p the parameters of a statement about one row: its id alone. (Not returned by value:
 * a parameter's text points into its own struct.) */
void pg_params_id(struct pg_params *p, int64_t id);
/* End the write a store_begin opened: commit when rc is HC_OK, else roll back; returns rc or
 * the commit's failure. */
int pg_tx_leave(struct store_pg *s, int rc);
/* Insert row by the statement of slot (sql binds rd's SF_BIND fields and ends RETURNING id)
 * and append its audit entry (action on "what/ID" by actor, payload the SF_JSON fields and the
 * id) in one transaction; *id gets the new row's id. HC_EINVAL when an SF_REQ field is NULL.
 * When parent is not NULL the row belongs to row parent_id of another table: parent_id is the
 * INSERT's first parameter, before row's fields, and the payload's member parent. */
int pg_add_audited(struct hc_store *st, int slot, const char *sql, const char *parent,
                   int64_t parent_id, const struct sf_record *rd, const void *row,
                   const char *actor, const char *action, const char *what, int64_t *id);

/* Each area's table, filled by the area's STORE_<AREA>_OPS list: operation x is pg_x. */
#define PG_OP(x) .x = pg_##x,

extern const struct store_audit_ops pg_audit_ops;
extern const struct store_users_ops pg_users_ops;
extern const struct store_records_ops pg_records_ops;   /* pg_records.c */
extern const struct store_requests_ops pg_requests_ops; /* pg_requests.c */
extern const struct store_console_ops pg_console_ops;     /* pg_console.c */
extern const struct store_taskforce_ops pg_taskforce_ops; /* pg_taskforce.c */
extern const struct store_readlog_ops pg_readlog_ops;     /* pg_readlog.c */
extern const struct store_victims_ops pg_victims_ops;     /* pg_victims.c */
extern const struct store_reports_ops pg_reports_ops;     /* pg_reports.c */
extern const struct store_public_ops pg_public_ops;       /* pg_public.c */
extern const struct store_import_ops pg_import_ops;       /* pg_import.c */

/* pg_import.c: release the import state of s (pg_close). */
void pg_import_free(struct store_pg *s);

/* pg_requests.c: the requests of booking booking_id, oldest first, each with its outcome in
 * force and its newest decision's JSON (in a). */
int pg_requests_of_booking(struct store_pg *s, int64_t booking_id, struct hc_arena *a,
                           struct store_request **out, size_t *n);

/* pg_sms.c: the SMS operations of pg_public_ops (contracts: store_public.h), and putting the
 * opt-out replies left "sending" back in their queue (pg_delivery_requeue's part). */
int pg_subscription_code_try(struct hc_store *st, const char *target, const char *booking_no,
                             const char *created_after, int max_tries, struct hc_arena *a,
                             struct store_code_try *out);
int pg_sms_stop(struct hc_store *st, const char *target, const char *lang, const char *word,
                int64_t *ended);
int pg_sms_reply_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                       struct store_sms_reply *out);
int pg_sms_reply_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                        const char *next_attempt_at, const char *error);
int pg_sms_requeue(struct store_pg *s);

/* pg_records.c: columns c..c+7 of row 0 of r (booking_no, facility, status,
 * scheduled_release, released_at, release_reason, bail, next_court_date: SQL_BOOKING_STATE_GET's
 * after the id) into *b, strings in a (*oom set when a is full). */
void pg_booking_state_read(const PGresult *r, int c, struct hc_arena *a,
                           struct store_booking_state *b, int *oom);

/* pg_users.c: write now into the last_used of api_tokens row id (best effort). */
void pg_token_touch(struct store_pg *s, int64_t id);

static inline struct store_pg *pgs(struct hc_store *st)
{
    return (struct store_pg *)st;
}

/* Run sql (one or more statements, no parameters) outside any prepared statement. Returns
 * HC_OK or pg_map_result's code for the failure. */
int pg_exec_sql(struct store_pg *s, const char *sql);

/* The HC_E* code of a finished command: HC_OK for a success; for an error its SQLSTATE class
 * decides, as sq_map_rc does for SQLite (23505 unique: STORE_ECONFLICT; 23503 foreign key:
 * HC_ENOENT; other integrity and check violations: HC_EINVAL; anything else: HC_EIO, logged).
 * Does not clear r. */
int pg_map_result(const PGresult *r);

/* Connect to the database conninfo names (a libpq connection string or postgresql:// URL) into
 * *out, acting for the agency whose slug is agency (NULL: none, for migrations). Unless flags has
 * STORE_OPEN_ANY_SCHEMA the schema must be at STORE_SCHEMA_VERSION. Returns HC_OK; HC_EIO (cannot
 * connect), HC_ERANGE (schema too old or new) or HC_ENOENT (no such agency) with the reason in d,
 * and *out NULL. Every area is set (conn, audit, users, records, requests, console,
 * taskforce, readlog, victims, reports, public, import); close with store_close. */
int pg_open(const char *conninfo, const char *agency, int flags, struct store_pg **out,
            struct hc_diag *d);

#endif

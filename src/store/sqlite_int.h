/* SPDX-License-Identifier: MIT
 * sqlite_int.h: shared inside the SQLite backend only (src/store/sqlite_*.c). sqlite_conn.c
 * holds the connection, statement slots, transactions and the helpers below; each other file
 * holds one area of the store (its statements, its row readers) and fills that area's table of
 * operations. Nothing outside src/store includes this header. */
#ifndef HC_SQLITE_INT_H
#define HC_SQLITE_INT_H

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "fields.h"
#include "sql.h"
#include "clock.h"
#include "store.h"

struct store_sqlite; /* one connection: below */
struct sf_record;   /* a record's field descriptors: below */
struct bound_note; /* rows written for the next audit entry to bind: bound.h */
struct imp_bind;   /* an import's bookings bound as they are inserted: sqlite_import.c */

/* One migration: PRAGMA user_version becomes version after sql runs (sqlite_schema.c). */
struct sq_migration {
    int version;
    const char *sql;
};
extern const struct sq_migration sq_migrations[];
extern const size_t sq_nmigrations;
/* The versions whose migration rebuilds a table other tables reference (SQLite's procedure for
 * a schema change ALTER TABLE cannot make), 0-terminated: the runner turns foreign keys off
 * before that migration's transaction opens and on again after it ends (a transaction ignores
 * the pragma), and inside the transaction fails it, rolled back whole, when PRAGMA
 * foreign_key_check finds a row whose reference no longer holds. */
extern const int sq_migrations_foreign_keys_off[];

/* The provisions a decision's JSON dj cites: its basis, qualifying and conditions lists, each
 * list's items joined by "; ", a qualifying item as "provision (citation)"; NULL for an empty
 * or absent list. SQ_DECISION_CITATIONS is the three as columns. Version 17 (sqlite_schema.c)
 * and the store (sqlite_requests.c) keep them in decision_citations, which the cpra report
 * reads (sqlite_reports.c) and its check recomputes from the JSON: part of a released
 * migration, never changed (a new form is a new migration). */
#define SQ_CITED_BASIS(dj) "(SELECT group_concat(value, '; ') FROM json_each(" dj ", '$.basis'))"
#define SQ_CITED_QUALIFYING(dj)                                                                \
    "(SELECT group_concat(json_extract(value, '$.provision') || coalesce(' (' ||"              \
    " json_extract(value, '$.citation') || ')', ''), '; ')"                                    \
    " FROM json_each(" dj ", '$.qualifying'))"
#define SQ_CITED_CONDITIONS(dj)                                                                \
    "(SELECT group_concat(value, '; ') FROM json_each(" dj ", '$.conditions'))"
#define SQ_DECISION_CITATIONS(dj)                                                              \
    " " SQ_CITED_BASIS(dj) ", " SQ_CITED_QUALIFYING(dj) ", " SQ_CITED_CONDITIONS(dj)

/* Statement slots (sq_xstmt): each file of the backend keeps its statements, beside the code
 * that reads their columns, in a range of its own. */
#define SQ_X_CONN 0       /* sqlite_conn.c: 0..7 */
#define SQ_X_AUDIT 8      /* sqlite_audit.c: 8..15 */
#define SQ_X_RECORDS 16   /* sqlite_records.c: 16..31 */
#define SQ_X_COURT 32     /* sqlite_records.c, the court record: 32..39 */
#define SQ_X_REQUESTS 40  /* sqlite_requests.c: 40..55 */
#define SQ_X_USERS 56     /* sqlite_users.c: 56..71 */
#define SQ_X_READLOG 72   /* sqlite_readlog.c: 72..79 */
#define SQ_X_PUBLIC 80    /* sqlite_public.c: 80..143 */
#define SQ_X_NOTICE 144   /* sqlite_console.c: 144..207 */
#define SQ_X_BOUND 208    /* sqlite_audit.c, a SELECT per bound table (bound.h): 208..223 */
#define SQ_X_IMPORT 224   /* sqlite_import.c: 224..239 */
#define SQ_X_TASKFORCE 240 /* sqlite_taskforce.c: 240..247 */
#define SQ_X_VICTIMS 248  /* sqlite_victims.c: 248..263 */
#define SQ_X_CITATIONS 264 /* sqlite_requests.c, the provisions a decision cites: 264 */
#define SQ_X_SMS 265      /* sqlite_sms.c: 265..276 */
#define SQ_XSTMT_MAX 277

/* sqlite_public.c: bind the search key of name (hc_namekey, src/core/namekey.h) as parameter i
 * of q (a copy: the key need not outlive the call); NULL when name is NULL or too long. */
void sq_bind_namekey(sqlite3_stmt *q, int i, const char *name);
/* sqlite_sms.c: the SMS operations of sq_public_ops (contracts: store_public.h), and putting
 * the opt-out replies left "sending" back in their queue (sq_delivery_requeue's part; q NULL:
 * HC_EIO). */
int sq_subscription_code_try(struct hc_store *st, const char *target, const char *booking_no,
                             const char *created_after, int max_tries, struct hc_arena *a,
                             struct store_code_try *out);
int sq_sms_stop(struct hc_store *st, const char *target, const char *lang, const char *word,
                int64_t *ended);
int sq_sms_reply_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                       struct store_sms_reply *out);
int sq_sms_reply_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                        const char *next_attempt_at, const char *error);
int sq_sms_requeue(struct store_sqlite *s);
/* The backend's table for each area (contracts: the area headers), one per file. */
/* Each area's table, filled by the area's STORE_<AREA>_OPS list: operation x is sq_x. */
#define SQ_OP(x) .x = sq_##x,

extern const struct store_conn_ops sq_conn_ops;         /* sqlite_conn.c */
extern const struct store_records_ops sq_records_ops;   /* sqlite_records.c */
extern const struct store_requests_ops sq_requests_ops; /* sqlite_requests.c */
extern const struct store_users_ops sq_users_ops;       /* sqlite_users.c */
extern const struct store_audit_ops sq_audit_ops;       /* sqlite_audit.c */
extern const struct store_public_ops sq_public_ops;     /* sqlite_public.c */
extern const struct store_console_ops sq_console_ops;   /* sqlite_console.c */
extern const struct store_import_ops sq_import_ops;     /* sqlite_import.c */
extern const struct store_reports_ops sq_reports_ops;   /* sqlite_reports.c */
extern const struct store_readlog_ops sq_readlog_ops;   /* sqlite_readlog.c */
extern const struct store_taskforce_ops sq_taskforce_ops; /* sqlite_taskforce.c */
extern const struct store_victims_ops sq_victims_ops;     /* sqlite_victims.c */

/* Rows of bookings and charges inserted by one statement (docs/import.md, "Speed"). */
#define IMP_BATCH 16

struct store_sqlite {
    struct hc_store base; /* first: the dispatch wrappers cast through it */
    sqlite3 *db;
    struct sq_writers *wq;       /* this process's writers to the same file, or NULL */
    int wq_held;                 /* this connection has the writers' turn (sq_begin) */
    /* The bulk import in progress (store_import_*); imp_kind is 0 when there is none. */
    enum store_kind imp_kind;
    crypto_generichash_state imp_hash; /* over the rows inserted so far */
    char imp_ref[72];                  /* the last reference looked up ("" none) ... */
    int64_t imp_ref_id;                /* ... and its row id */
    sqlite3_stmt *imp_walk;            /* the index walk on a row, or NULL (imp_ref) */
    int imp_cache_saved;               /* 1: imp_cache_prev holds the cache_size to restore */
    int64_t imp_cache_prev;            /* the connection's cache_size before the import */
    int imp_journal_switched;          /* bulk mode: rollback journal until the import ends */
    int imp_fk_off;                    /* bulk mode: foreign keys off until the import ends */
    int64_t imp_rows, imp_first, imp_last;
    int imp_marks_paused;              /* this import marks its records at commit */
    int64_t imp_refused;               /* held rows the database refused (imp_report) */
    char imp_at[21];                   /* created_at of imported people */
    unsigned char imp_buf[8192];       /* hash input not yet given to imp_hash ... */
    size_t imp_buflen;                 /* ... and its length */
    /* Bookings and charges held back for one multi-row INSERT (imp_batch_insert). */
    store_import_report_fn imp_report; /* told of a held row the database refused */
    void *imp_report_ctx;
    struct imp_held {
        long tag;
        int64_t ref;       /* the person's or booking's row id */
        int b;             /* charges: magistrate_probable_cause */
        const char *f[8];  /* the fields in the rows hash's order, in imp_text (or NULL) */
    } imp_held[IMP_BATCH];
    int imp_nheld;
    size_t imp_textlen;
    char imp_text[65536];
    sqlite3_stmt *imp_multi[2]; /* the IMP_BATCH-row INSERTs: bookings, charges */
    struct imp_bind *imp_bind;  /* a bookings import: their bindings so far (malloc) */
    /* The bookings that this connection's last bookings import created while no other
     * connection had the file open (0, 0: none), and the part of them that the current
     * charges import need not mark changed (sqlite_import.c, imp_mark_changes). */
    int64_t imp_new_first, imp_new_last, imp_skip_first, imp_skip_last;
    int imp_refs_old;           /* a charge of this import is of a booking not skipped */
    sqlite3_stmt *xstmt[SQ_XSTMT_MAX]; /* every file's statements (sq_xstmt), by slot */
    /* Rows of bound tables written in this transaction, for its next audit entry to bind
     * (sq_bound_note; malloc). */
    struct bound_note *bound_notes;
    size_t bound_n, bound_cap;
    /* No token's last_used is written before this time (hc_clock_mono_us): sq_token_touch
     * found the database busy and waits a while before it tries again. */
    int64_t touch_after_us;
};


static inline struct store_sqlite *sq(struct hc_store *st)
{
    return (struct store_sqlite *)st;
}

/* Map an SQLite result code to an HC_E* code (UNIQUE: STORE_ECONFLICT; FOREIGN KEY: HC_ENOENT;
 * other constraints: HC_EINVAL), logging what the caller cannot act on. */
int sq_map_rc(struct store_sqlite *s, int rc);
/* What a write the database refused says in d, by the code sq_map_rc gave it: a duplicate
 * (STORE_ECONFLICT: dup_field, dup_msg), a row it refers to that is missing (HC_ENOENT:
 * ref_field, ref_msg), another refused value (HC_EINVAL: bad_field, bad_msg). A NULL message
 * says nothing for its case. */
struct sq_refusal {
    const char *dup_field, *dup_msg;
    const char *ref_field, *ref_msg;
    const char *bad_field, *bad_msg;
};
/* Set d from r for rc (above); returns rc. */
int sq_refused(int rc, const struct sq_refusal *r, struct hc_diag *d);
/* Statement slot (0..SQ_XSTMT_MAX) with text sql, prepared on first use, reset and unbound.
 * A slot always holds the same sql. NULL on failure (logged). */
/* sqlite_writers.c: one writer at a time among this process's connections to one database
 * file, woken in turn instead of polling in SQLite's busy handler. join: the queue of the file
 * at path (NULL when it cannot be identified: then SQLite's busy handler alone serialises).
 * acquire: wait at most ms for the turn; 1 when it is this caller's, 0 on timeout or NULL. */
struct sq_writers;
struct sq_writers *sq_writers_join(const char *path);
void sq_writers_leave(struct sq_writers *w);
int sq_writers_acquire(struct sq_writers *w, int ms);
void sq_writers_release(struct sq_writers *w);
#define SQ_BUSY_MS 5000 /* sqlite3_busy_timeout of every connection */

sqlite3_stmt *sq_xstmt(struct store_sqlite *s, int slot, const char *sql);
/* sqlite_records.c: the INSERTs of the rows a booking is made of, in the one column order that
 * booking creation, the court record and the import bind (sq_bind_person, sq_bind_booking,
 * sq_bind_child).
 * sq_insert_stmt: the statement, reset and unbound (NULL on failure); its slot is
 * SQ_X_RECORDS + k, which the import reuses without a reset for each row. */
enum sq_insert { SQ_INSERT_PERSON, SQ_INSERT_CONVICTION, SQ_INSERT_BOOKING, SQ_INSERT_CHARGE };
sqlite3_stmt *sq_insert_stmt(struct store_sqlite *s, enum sq_insert k);
const char *sq_insert_sql(enum sq_insert k);
/* Step q (bound by the caller) onto its first row: HC_OK with q on that row (the caller reads
 * its columns, then resets q), or HC_ENOENT when there is none or a store error, q reset. */
int sq_step_row(struct store_sqlite *s, sqlite3_stmt *q);
/* Step q (bound by the caller) for one id in column 0 into *id: HC_OK, HC_ENOENT when there is
 * no row, or a store error. q is reset. */
int sq_one_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t *id);
/* Create the file at path for its owner alone (0600, whatever the umask). When it exists: an
 * existing database keeps the mode its administrator gave it (HC_OK), unless must_be_new
 * (STORE_ECONFLICT). Returns 0, or HC_EIO, with d set. */
int sq_create_private(const char *path, int must_be_new, struct hc_diag *d);
/* The id of booking booking_no into *id; whether person person_id exists. HC_OK, HC_ENOENT
 * when there is none, or a store error. */
int sq_booking_id(struct store_sqlite *s, const char *booking_no, int64_t *id);
int sq_person_exists(struct store_sqlite *s, int64_t person_id);
/* Bind v as text (NULL as SQL NULL); the string must outlive the step. */
void sq_bind_str(sqlite3_stmt *q, int i, const char *v);
/* Bind -1 as NULL ("not known"), anything else as the integer. */
void sq_bind_tri(sqlite3_stmt *q, int i, int v);
/* Set o[k] to the string v, or null when v is NULL. */
void sq_jset_str(json_t *o, const char *k, const char *v);
/* sqlite_records.c: bind a person to SQ_INSERT_PERSON (at: created_at), a booking of person_id
 * to SQ_INSERT_BOOKING, and a row belonging to row parent_id (a conviction of a person to
 * SQ_INSERT_CONVICTION by sq_conviction_rec, a charge of a booking to SQ_INSERT_CHARGE by
 * sq_charge_rec): one column order for the intake, the import and the court record. */
void sq_bind_person(sqlite3_stmt *q, const struct store_person *p, const char *at);
void sq_bind_booking(sqlite3_stmt *q, int64_t person_id, const struct store_booking *b);
void sq_bind_child(sqlite3_stmt *q, int64_t parent_id, const void *row, const struct sf_record *rd);
/* Step an INSERT/UPDATE/DELETE to completion and reset it. */
int sq_exec_stmt(struct store_sqlite *s, sqlite3_stmt *q);
/* Bind id as q's one parameter and run q (sq_exec_stmt; NULL q: HC_EIO), counting the rows it
 * changed into *changed unless that is NULL. */
int sq_exec_by_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t id, int64_t *changed);
/* Run sql (no results). */
int sq_exec_sql(struct store_sqlite *s, const char *sql);
/* Column i as a string copied into a; NULL for SQL NULL. Sets *oom when a is full. */
const char *sq_col_dup(struct hc_arena *a, sqlite3_stmt *q, int i, int *oom);
/* Now as YYYY-MM-DDTHH:MM:SSZ. */
void sq_now_utc(char out[HC_CLOCK_UTC_LEN]);

/* Every write: sq_begin (BEGIN IMMEDIATE, or nested), the work and its sq_audit_write, then
 * sq_tx_leave(s, rc), which commits on HC_OK and otherwise rolls the whole transaction back and
 * returns rc. */
int sq_begin(struct hc_store *st);
int sq_commit(struct hc_store *st);
void sq_rollback(struct hc_store *st);
int sq_tx_leave(struct store_sqlite *s, int rc);
/* Append an audit entry (action on entity by actor, with payload: the caller keeps its
 * reference and releases it) to the hash chain. The entry binds (bound.h) the row its entity
 * names when that is a row of a bound table ("decision/12"), and the rows noted since the last
 * entry (sq_bound_note): their content hashes go into payload's member "bound" (added to it).
 * Call inside the write's transaction, after the writes it binds. */
int sq_audit_write(struct store_sqlite *s, const char *actor, const char *action,
                   const char *entity, json_t *payload);
/* Note that rows first..last (ids) of bound table table were written in this transaction, so
 * that its next audit entry binds them as they are then: a write whose entry names no row
 * (a booking changed, an import) calls this. A row of the range that does not exist is not
 * bound. HC_EINVAL when table is not bound (bound.h); HC_ENOMEM. */
int sq_bound_note(struct store_sqlite *s, const char *table, int64_t first, int64_t last);
/* Forget the notes of a transaction that rolled back (and free them). */
void sq_bound_forget(struct store_sqlite *s);
/* The audit verification of some rows only (bound_verify_only): ids[t][0..n[t]) of each bound
 * table t, ascending. For the statutory reports' check (sqlite_reports.c). */
int sq_audit_verify_only(struct hc_store *st, const int64_t *const *ids, const size_t *n,
                         struct store_audit_report *rep);
/* Step the INSERT q (bound by the caller) and append the audit entry action on "what/ID" by
 * actor, ID being the new row's id, with payload pl (consumed; gets "id"; NULL: HC_ENOMEM).
 * Call inside the write's transaction. *id (OUT) is set once the row is in. */
int sq_insert_audited(struct store_sqlite *s, sqlite3_stmt *q, const char *actor,
                      const char *action, const char *what, json_t *pl, int64_t *id);
/* The whole write of one row: in one transaction (or the caller's), the INSERT of statement slot
 * (text sql), its parameters the SF_BIND fields of row (rd; its SF_AT field the time of the
 * write), and its audit entry action on "what/ID" by actor with the SF_JSON fields as payload
 * (sq_insert_audited). HC_EINVAL, before anything is written, when an SF_REQ field is NULL.
 * *id (OUT) on HC_OK only. */
int sq_add_audited(struct hc_store *st, int slot, const char *sql, const struct sf_record *rd,
                   const void *row, const char *actor, const char *action, const char *what,
                   int64_t *id);
/* sq_add_audited for a row that belongs to row parent_id of another table: parent_id is the
 * INSERT's first parameter, before row's fields, and the payload's member parent. */
int sq_add_audited_child(struct hc_store *st, int slot, const char *sql, const char *parent,
                         int64_t parent_id, const struct sf_record *rd, const void *row,
                         const char *actor, const char *action, const char *what, int64_t *id);

/* Bind the SF_BIND fields of rec as parameters i, i+1, ... of q (an SF_AT field as at, unless
 * at is NULL); the strings must outlive the step. Returns the next parameter's index. */
int sq_bind_fields(sqlite3_stmt *q, int i, const void *rec, const struct sf_record *rd,
                   const char *at);
/* Copy columns col, col+1, ... of q's row into the SF_COL fields of rec, strings into a (*oom
 * set when a is full). Returns the next column's index. */
int sq_fill_fields(sqlite3_stmt *q, int col, struct hc_arena *a, void *rec,
                   const struct sf_record *rd, int *oom);
/* The records more than one file of the backend binds or reads: those both backends share
 * (sql.h, sql_records.c). SQ_REQUEST_COLS(dj): the columns of sq_request_rec over
 * immigration_requests r joined with the view request_outcome ro (migration 7); dj is the
 * decision JSON's column. */
#define sq_conviction_rec sql_conviction_rec
#define sq_charge_rec sql_charge_rec
#define sq_request_rec sql_request_rec
#define SQ_REQUEST_COLS(dj) SQL_REQUEST_COLS(dj)

/* Step q to its end, appending one size-byte element a row to an array in the arena; fill()
 * copies the row's columns into the element. On success *out and *n hold the array; on failure
 * they are untouched. Resets q either way. */
typedef void (*row_fill_fn)(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom);
int sq_read_rows(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a, size_t size,
                 row_fill_fn fill, void **out, size_t *n);
/* sq_read_rows for a record read by its descriptor from column 0 (rd->size bytes an element);
 * HC_EIO when q is NULL (a statement that failed to prepare). */
int sq_read_recs(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a,
                 const struct sf_record *rd, void **out, size_t *n);
/* Step q (bound by the caller) for one row and copy its columns into el by rd: HC_OK, HC_ENOENT
 * when there is no row, HC_ENOMEM when a is full (el partly filled), HC_EIO when q is NULL, or a
 * store error. el is untouched unless there is a row. Resets q either way. */
int sq_read_rec(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a,
                const struct sf_record *rd, void *el);
/* A struct store_audit_entry from the columns seq, at, actor, action, entity, payload, hash
 * (in that order; sql_console.c). */
#define sq_audit_entry_rec sql_audit_entry_rec
/* sq_read_recs over q (NULL: HC_EIO), whose one parameter is an id. */
int sq_read_rows_by_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t id, struct hc_arena *a,
                       const struct sf_record *rd, void **out, size_t *n);

/* sqlite_requests.c: the requests of booking booking_id, oldest first, each with its outcome
 * in force and its newest decision's JSON (in a). */
int sq_requests_of_booking(struct store_sqlite *s, int64_t booking_id, struct hc_arena *a,
                           struct store_request **out, size_t *n);
/* sqlite_users.c: write now into the last_used of api_tokens row id (best effort: skipped
 * when another connection is writing, never waiting for it; see sqlite_users.c). */
void sq_token_touch(struct store_sqlite *s, int64_t id);
/* sqlite_import.c: end an import's index walk (before a rollback), and leave its bulk mode once
 * its transaction has ended. Both do nothing when no import is under way. */
void sq_import_walk_end(struct store_sqlite *s);
void sq_import_bulk_leave(struct store_sqlite *s);

#endif

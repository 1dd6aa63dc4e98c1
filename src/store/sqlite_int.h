/* SPDX-License-Identifier: MIT
 * sqlite_int.h: shared inside the SQLite backend only (src/store/sqlite*.c). sqlite.c holds the
 * connection, transactions, the audit chain and the custody-record operations; other files of
 * the backend add operations of their own with the helpers below and fill their entries of
 * sqlite_ops (sqlite.c). Nothing outside src/store includes this header. */
#ifndef HC_SQLITE_INT_H
#define HC_SQLITE_INT_H

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One migration: PRAGMA user_version becomes version after sql runs (sqlite_schema.c). */
struct sq_migration {
    int version;
    const char *sql;
};
extern const struct sq_migration sq_migrations[];
extern const size_t sq_nmigrations;

/* sqlite.c's own prepared statements. */
enum stmt_id {
    S_AUDIT_HEAD, S_AUDIT_INSERT, S_AUDIT_ALL,
    S_PERSON_INSERT, S_CONV_INSERT, S_BOOKING_INSERT, S_CHARGE_INSERT,
    S_BOOKING_BY_NO, S_CONV_BY_PERSON, S_CHARGES_BY_BOOKING, S_REQ_BY_BOOKING,
    S_BOOKING_COUNT, S_AGENCY_GET, S_AGENCY_SET, S_REQ_INSERT, S_DEC_INSERT, S_PING,
    /* migration 2 */
    S_USER_INSERT, S_USER_BY_NAME, S_USER_ALL, S_USER_DISABLE, S_TOKEN_INSERT, S_TOKEN_USER,
    S_TOKEN_TOUCH, S_SESSION_INSERT, S_SESSION_USER, S_SESSION_DELETE,
    S_USER_ID, S_USER_SET_PASSWORD, S_TOKENS_OF_USER_DELETE, S_SESSIONS_OF_USER_DELETE,
    S_BOOKING_ID, S_PERSON_ID, S_REQ_BY_ID, S_DEC_BY_REQ,
    S_OVR_BY_REQ, S_OVR_INSERT, S_REQ_LIST, S_AUDIT_LIST, S_DEC_CHECK,
    /* read transactions (store_read_begin) */
    S_READ_BEGIN, S_READ_END, S_DATA_VERSION,
    /* bulk import and export */
    S_IMP_PERSON_ID, S_IMP_BOOKING_ID, S_EXP_PEOPLE, S_EXP_BOOKINGS, S_EXP_CHARGES,
    S_EXP_CONV,
    S_COUNT
};

/* Slots for the statements of the backend's other files (sq_xstmt): each file takes a range. */
#define SQ_XSTMT_MAX 144
#define SQ_X_PUBLIC 0   /* sqlite_public.c: 0..63 */
#define SQ_X_NOTICE 64  /* sqlite_console.c: 64..127 */
#define SQ_X_COURT 128  /* sqlite_court.c: 128..143 */

/* sqlite_public.c: bind the search key of name (hc_namekey, src/core/namekey.h) as parameter i
 * of q (a copy: the key need not outlive the call); NULL when name is NULL or too long. */
void sq_bind_namekey(sqlite3_stmt *q, int i, const char *name);
/* sqlite_public.c: the public portal's entries of sqlite_ops (contracts: store.h). */
int sq_public_policy_get(struct hc_store *st, struct hc_arena *a, struct store_public_policy *out);
int sq_public_policy_set(struct hc_store *st, const struct store_public_policy *p,
                         const char *actor);
int sq_public_search(struct hc_store *st, const struct store_public_query *q, struct hc_arena *a,
                     struct store_public_row **out, size_t *n);
int sq_public_export(struct hc_store *st, const struct store_public_query *q,
                     store_public_row_cb cb, void *ctx);
int sq_public_status(struct hc_store *st, struct hc_arena *a, struct store_facility_status **out,
                     size_t *n, const char **overall);
int sq_public_status_scan(struct hc_store *st, int *changed);
int sq_namekey_backfill(struct hc_store *st, int64_t *filled);
/* sqlite_court.c: the court record after booking (contracts: store.h). */
int sq_charge_add(struct hc_store *st, const char *booking_no, const struct store_charge *c,
                  const char *actor, int64_t *charge_id, struct hc_diag *d);
int sq_charge_update(struct hc_store *st, int64_t charge_id, const struct store_charge_patch *p,
                     const char *actor, struct store_court_change *out, struct hc_diag *d);
int sq_conviction_add(struct hc_store *st, int64_t person_id, const struct store_conviction *c,
                      const char *actor, int64_t *conviction_id, struct hc_diag *d);
int sq_conviction_update(struct hc_store *st, int64_t conviction_id,
                         const struct store_conviction_patch *p, const char *actor,
                         struct store_court_change *out, struct hc_diag *d);
int sq_booking_update(struct hc_store *st, const char *booking_no,
                      const struct store_booking_patch *p, const char *actor, struct hc_arena *a,
                      struct store_booking_state *out, struct hc_diag *d);
int sq_subscription_add(struct hc_store *st, const struct store_subscription *sub,
                        int64_t *delivery_id);
int sq_subscription_confirm(struct hc_store *st, const char *token, const char *created_after,
                            struct hc_arena *a, struct store_subscription_info *out);
int sq_subscription_unsubscribe(struct hc_store *st, const char *token, int64_t *cancelled);
int sq_delivery_requeue(struct hc_store *st, int64_t *n);
int sq_delivery_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                      struct store_delivery_job *out);
int sq_delivery_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                       const char *next_attempt_at, const char *error);
int sq_delivery_list(struct hc_store *st, const char *status, int64_t after_id, int limit,
                     struct hc_arena *a, struct store_delivery_row **out, size_t *n);
int sq_advance_scan(struct hc_store *st, const char *today, int64_t *queued);
int sq_snapshot_put(struct hc_store *st, const struct store_snapshot *snap);
int sq_snapshot_list(struct hc_store *st, struct hc_arena *a, struct store_snapshot **out,
                     size_t *n);
int sq_snapshot_delete(struct hc_store *st, const char *date);

/* sqlite_console.c: the staff console's entries of sqlite_ops (contracts: store.h). */
int sq_notice_add(struct hc_store *st, const struct store_notice *n, int64_t *notice_id);
int sq_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                  struct store_notice *out);
int sq_notice_serve(struct hc_store *st, int64_t notice_id, const struct store_notice_service *sv,
                    struct hc_diag *d);
int sq_consent_add(struct hc_store *st, const struct store_consent *c, int64_t *consent_id);
int sq_intent_add(struct hc_store *st, const struct store_intent *in, int64_t *intent_id);
int sq_disclosure_add(struct hc_store *st, const struct store_disclosure *dc,
                      int64_t *disclosure_id);
int sq_interview_add(struct hc_store *st, const struct store_interview *iv, int need_consent,
                     int64_t *interview_id, struct hc_diag *d);
int sq_warrant_add(struct hc_store *st, const struct store_warrant *w, int64_t *warrant_id);
int sq_console_state(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                     struct store_console_state *out);
int sq_console_queue(struct hc_store *st, int in_custody_only, int limit, struct hc_arena *a,
                     struct store_queue_item **out, size_t *n);
int sq_request_audit(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                     struct store_audit_entry **out, size_t *n);
int sq_person_bookings(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                       const char ***booking_nos, size_t *n);

/* Rows of bookings and charges inserted by one statement (docs/import.md, "Speed"). */
#define IMP_BATCH 16

struct store_sqlite {
    struct hc_store base; /* first: the dispatch wrappers cast through it */
    sqlite3 *db;
    sqlite3_stmt *stmt[S_COUNT]; /* prepared on first use, finalized by close */
    int depth;                   /* transaction nesting; 0 = none open */
    int reading;                 /* a store_read_begin transaction is open */
    struct sq_writers *wq;       /* this process's writers to the same file, or NULL */
    int wq_held;                 /* this connection has the writers' turn (sq_begin) */
    int64_t touch_token;         /* api_tokens row whose last_used read_end writes, or 0 */
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
    sqlite3_stmt *xstmt[SQ_XSTMT_MAX]; /* other files' statements (sq_xstmt), by slot */
};


static inline struct store_sqlite *sq(struct hc_store *st)
{
    return (struct store_sqlite *)st;
}

/* Map an SQLite result code to an HC_E* code (UNIQUE: STORE_ECONFLICT; FOREIGN KEY: HC_ENOENT;
 * other constraints: HC_EINVAL), logging what the caller cannot act on. */
int sq_map_rc(struct store_sqlite *s, int rc);
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
/* sqlite.c's own statement id, for the other files that write the same rows (NULL on failure). */
sqlite3_stmt *sq_stmt(struct store_sqlite *s, enum stmt_id id);
/* The id of booking booking_no into *id; whether person person_id exists. HC_OK, HC_ENOENT
 * when there is none, or a store error. */
int sq_booking_id(struct store_sqlite *s, const char *booking_no, int64_t *id);
int sq_person_exists(struct store_sqlite *s, int64_t person_id);
/* Bind v as text (NULL as SQL NULL); the string must outlive the step. */
void sq_bind_str(sqlite3_stmt *q, int i, const char *v);
/* Bind -1 as NULL ("not known"), anything else as the integer. */
void sq_bind_tri(sqlite3_stmt *q, int i, int v);
/* Set o[k] to the string v, or null when v is NULL; to the tri-state v (-1 null, 0, 1). */
void sq_jset_str(json_t *o, const char *k, const char *v);
void sq_jset_tri(json_t *o, const char *k, int v);
/* Whether two nullable strings differ. */
int sq_differ(const char *a, const char *b);
/* Record {"from", "to"} under key in changes (an audit payload's "changes") when they differ:
 * nullable strings, or tri-states (-1 null). */
void sq_change_str(json_t *changes, const char *key, const char *from, const char *to);
void sq_change_tri(json_t *changes, const char *key, int from, int to);
/* A conviction's or a charge's columns as members of o, as every audit payload shows them. */
void sq_jset_conviction(json_t *o, const struct store_conviction *c);
void sq_jset_charge(json_t *o, const struct store_charge *c);
/* Bind a conviction of person_id to S_CONV_INSERT, a charge of booking_id to S_CHARGE_INSERT:
 * one column order for the intake, the import and the court record. */
void sq_bind_conviction(sqlite3_stmt *q, int64_t person_id, const struct store_conviction *c);
void sq_bind_charge(sqlite3_stmt *q, int64_t booking_id, const struct store_charge *c);
/* Step an INSERT/UPDATE/DELETE to completion and reset it. */
int sq_exec_stmt(struct store_sqlite *s, sqlite3_stmt *q);
/* Run sql (no results). */
int sq_exec_sql(struct store_sqlite *s, const char *sql);
/* Column i as a string copied into a; NULL for SQL NULL. Sets *oom when a is full. */
const char *sq_col_dup(struct hc_arena *a, sqlite3_stmt *q, int i, int *oom);
/* Now as YYYY-MM-DDTHH:MM:SSZ. */
void sq_now_utc(char out[21]);

/* Every write: sq_begin (BEGIN IMMEDIATE, or nested), the work and its sq_audit_append, then
 * sq_tx_leave(s, rc), which commits on HC_OK and otherwise rolls the whole transaction back and
 * returns rc. */
int sq_begin(struct hc_store *st);
int sq_commit(struct hc_store *st);
void sq_rollback(struct hc_store *st);
int sq_tx_leave(struct store_sqlite *s, int rc);
/* Append an audit entry (action on entity by actor; payload is only read: the caller keeps
 * its reference and releases it) to the hash chain.
 * Call inside the write's transaction. */
int sq_audit_append(struct store_sqlite *s, const char *actor, const char *action,
                    const char *entity, json_t *payload);

/* Step q to its end, appending one size-byte element a row to an array in the arena; fill()
 * copies the row's columns into the element. On success *out and *n hold the array; on failure
 * they are untouched. Resets q either way. */
typedef void (*row_fill_fn)(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom);
int sq_read_rows(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a, size_t size,
                 row_fill_fn fill, void **out, size_t *n);
/* A row_fill_fn for a struct store_audit_entry from the columns seq, at, actor, action, entity,
 * payload, hash (in that order). */
void sq_fill_audit_entry(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom);

#endif

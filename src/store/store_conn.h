/* SPDX-License-Identifier: MIT
 * store_conn.h: the store handle, its connection, transactions and schema version, and the
 * errors every area of the store returns. struct hc_store holds one table of operations per area;
 * a backend fills each (src/store/sqlite_*.c) and the static inline wrappers of each area header
 * dispatch through them (docs/architecture.md, "The store"). */
#ifndef HC_STORE_CONN_H
#define HC_STORE_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_conn.h"

struct store_conn_ops;
struct store_records_ops;
struct store_requests_ops;
struct store_users_ops;
struct store_audit_ops;
struct store_public_ops;
struct store_console_ops;
struct store_import_ops;
struct store_reports_ops;
struct store_readlog_ops;
struct store_taskforce_ops;
struct store_victims_ops;

/* A store handle: one database connection. Use it from one thread at a time; open one per
 * thread. A backend embeds it as the first member of its own connection struct and points each
 * member at its table for that area; every member is set. Strings read from the store are
 * allocated from the caller's arena and live as long as it does.
 *
 * Invariants every backend keeps:
 * - Every write and the audit_log entry describing it commit in one transaction, or neither
 *   does; store_begin lets a caller put several calls in one transaction.
 * - The audit log is append-only and hash-chained (docs/server.md, "Audit chain").
 * - The store keeps rows, transactions and the audit append; rules live above it (src/app). */
struct hc_store {
    const struct store_conn_ops *conn;         /* this header */
    const struct store_records_ops *records;   /* store_records.h */
    const struct store_requests_ops *requests; /* store_requests.h */
    const struct store_users_ops *users;       /* store_users.h */
    const struct store_audit_ops *audit;       /* store_audit.h */
    const struct store_public_ops *pub;        /* store_public.h */
    const struct store_console_ops *console;   /* store_console.h */
    const struct store_import_ops *import;     /* store_import.h */
    const struct store_reports_ops *reports;   /* store_reports.h (NULL: not in this backend) */
    const struct store_readlog_ops *readlog;   /* store_readlog.h (NULL: not in this backend) */
    const struct store_taskforce_ops *taskforce; /* store_taskforce.h (NULL: not in this backend) */
    const struct store_victims_ops *victims;     /* store_victims.h (NULL: not in this backend) */
    /* The connection's transaction state, kept by its backend: */
    int depth;           /* store_begin nesting; 0 = no write transaction open */
    int reading;         /* a store_read_begin transaction is open */
    int64_t touch_token; /* an API token whose last use is written when the read ends, or 0 */
};

/* hc_strerror(rc), extended with the store's own codes (STORE_ECONFLICT, rows_conn.h). */
const char *store_strerror(int rc);

/* Latest schema version this build knows; `holdcheck migrate` brings a database to it. */
#define STORE_SCHEMA_VERSION 21

enum store_open_flags {
    STORE_OPEN_CREATE = 1 << 0,   /* create the database file when missing */
    STORE_OPEN_ANY_SCHEMA = 1 << 1, /* do not insist on STORE_SCHEMA_VERSION (for migrate) */
    STORE_OPEN_BACKGROUND = 1 << 2, /* a background thread's connection: a small page cache */
    STORE_OPEN_SCAN = 1 << 3,       /* a one-shot process that reads much of the database once
                                     * (a report, a replay): the file mapped, a larger cache */
    STORE_OPEN_STREAM = 1 << 4      /* with BACKGROUND: a thread that reads the records about
                                     * once each, in order (the day's export): a page cache of
                                     * 256 KiB, which only the server's memory pays for */
};

/* Open the SQLite database at path into *out (WAL, foreign keys on, a busy timeout). Unless
 * STORE_OPEN_ANY_SCHEMA is given the schema must be at STORE_SCHEMA_VERSION. Returns 0, or
 * HC_EIO / HC_ERANGE (schema too old or too new) with the reason in d; *out is then NULL.
 * Free with store_close. */
int store_sqlite_open(const char *path, int flags, struct hc_store **out, struct hc_diag *d);

/* Copy the SQLite database at path, while it stays in use, to a new file out made for its
 * owner alone (0600, whatever the umask): one consistent snapshot, taken in one read
 * transaction, so writers on path go on meanwhile (WAL) and the copy holds exactly the commits
 * made before the snapshot. The copy is then checked (PRAGMA integrity_check). *pages (OUT)
 * gets the number of pages copied. Returns 0; STORE_ECONFLICT when out exists (never
 * overwritten); HC_EIO with the reason in d (the partial copy removed). */
int store_sqlite_backup(const char *path, const char *out, int64_t *pages, struct hc_diag *d);

/* The connection, transactions and schema operations of a backend
 * (contracts: the wrappers below). */
struct store_conn_ops {
    const char *name; /* "sqlite" */
    void (*close)(struct hc_store *st);
    int (*migrate)(struct hc_store *st, int *from, int *to);
    int (*schema_version)(struct hc_store *st, int *version);
    int (*begin)(struct hc_store *st);
    int (*commit)(struct hc_store *st);
    void (*rollback)(struct hc_store *st);
    int (*read_begin)(struct hc_store *st);
    void (*read_end)(struct hc_store *st);
    int (*version)(struct hc_store *st, uint64_t *v);
    int (*ping)(struct hc_store *st);
    int (*changes)(struct hc_store *st, int64_t *seq, size_t limit, store_change_cb cb,
                   void *ctx, int *more);
};

/* The operation names in table order. A backend fills its table with STORE_CONN_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_CONN_OPS(OP) OP(close) OP(migrate) OP(schema_version) OP(begin) OP(commit) \
    OP(rollback) OP(read_begin) OP(read_end) OP(version) OP(ping) \
    OP(changes)

/* Close st and free it. st may be NULL. */
static inline void store_close(struct hc_store *st)
{
    if (st != NULL)
        st->conn->close(st);
}

/* Apply every migration newer than the database's version, each in its own transaction.
 * *from and *to (OUT) get the versions before and after. */
static inline int store_migrate(struct hc_store *st, int *from, int *to)
{
    return st->conn->migrate(st, from, to);
}

/* The database's schema version (OUT). */
static inline int store_schema_version(struct hc_store *st, int *version)
{
    return st->conn->schema_version(st, version);
}

/* Start a transaction that takes the write lock at once (BEGIN IMMEDIATE). Writes made until
 * store_commit, including those of the store_*_add calls, commit together. Transactions nest:
 * only the outermost begin/commit touch the database. After any failed call inside a
 * transaction the caller must store_rollback. */
static inline int store_begin(struct hc_store *st)
{
    return st->conn->begin(st);
}

static inline int store_commit(struct hc_store *st)
{
    return st->conn->commit(st);
}

/* Abandon the whole (outermost) transaction, whatever the nesting depth. */
static inline void store_rollback(struct hc_store *st)
{
    st->conn->rollback(st);
}

/* Start a read transaction (BEGIN DEFERRED): the reads until store_read_end see one snapshot
 * and take the database's read lock once, instead of once per statement. For requests that
 * only read; a write (store_begin or a store_*_add) must not be made inside one. Nothing
 * happens inside a store_begin transaction. A token's last_used, which store_token_user
 * writes, is written by store_read_end after the read transaction ends. */
static inline int store_read_begin(struct hc_store *st)
{
    return st->conn->read_begin(st);
}

/* End the read transaction of store_read_begin (when one is open). */
static inline void store_read_end(struct hc_store *st)
{
    st->conn->read_end(st);
}

/* *v (OUT) gets the database's version: a number that differs from the one an earlier call
 * on this handle gave whenever the database may have changed in between, by a commit of any
 * other connection or process or a row written through this handle. Equal numbers mean
 * nothing changed. Inside a store_read_begin transaction it speaks of that snapshot. Cheap (no
 * I/O beyond what starting a read takes). Returns 0, or HC_EIO. */
static inline int store_version(struct hc_store *st, uint64_t *v)
{
    return st->conn->version(st, v);
}

/* Check that the connection answers (for /healthz). */
static inline int store_ping(struct hc_store *st)
{
    return st->conn->ping(st);
}

/* The bookings whose staff record (store_record_get: the booking, its person and the person's
 * convictions, its charges, its requests and their decisions, overrides and actions) changed after
 * change number *seq. The database marks them itself (triggers), whichever process or
 * statement wrote, and keeps the newest STORE_MARKS_KEPT marks (rows_conn.h) at the least.
 * Calls cb(ctx, booking_no, len) for each mark, the oldest first (a booking changed twice may
 * be named twice), and sets *seq (IN/OUT) to the newest change number read, *more (OUT) to 0.
 * When more than limit marks follow *seq (limit is taken as STORE_MARKS_KEPT - 1 when larger,
 * so that this holds too when marks after *seq were deleted), cb was called for limit of them,
 * *more is 1 and *seq is the newest change number: the caller should forget everything.
 * *seq < 0 asks only for the newest change number (cb is not called). Inside a
 * store_read_begin transaction it speaks of that snapshot. Returns 0, or a store error (*seq
 * then unchanged). */
static inline int store_changes(struct hc_store *st, int64_t *seq, size_t limit,
                                store_change_cb cb, void *ctx, int *more)
{
    return st->conn->changes(st, seq, limit, cb, ctx, more);
}

#endif

/* SPDX-License-Identifier: MIT
 * sqlite_conn.c: the SQLite backend's connection: opening and closing, the prepared-statement
 * slots every area file uses, transactions (one writer at a time, nesting), read snapshots, the
 * data version, schema migrations, and the helpers the area files share. One struct
 * store_sqlite is one connection; use it from one thread. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "migrate.h"
#include "sql.h"
#include "sqlite_int.h"

/* This file's prepared statements (slots SQ_X_CONN..), kept for the life of the connection. */
enum stmt_id {
    S_PING, S_READ_BEGIN, S_READ_END, S_DATA_VERSION, S_CHANGES_SINCE, S_CHANGES_LAST, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_PING] = "SELECT 1",
    [S_READ_BEGIN] = "BEGIN DEFERRED",
    [S_READ_END] = "COMMIT",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_CHANGES_SINCE] = (SQL_CHANGES_SINCE),
    [S_CHANGES_LAST] = SQL_CHANGES_LAST,
};

_Static_assert(SQ_X_CONN + S_COUNT <= SQ_X_AUDIT, "this file's statements fit its slots");

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
    return sq_xstmt(s, SQ_X_CONN + (int)id, stmt_sql[id]);
}

const char *store_strerror(int rc)
{
    if (rc == STORE_ECONFLICT)
        return "already exists";
    return hc_strerror(rc);
}

/* Map an SQLite result code to an HC_E* code, logging what the caller cannot act on. */
int sq_map_rc(struct store_sqlite *s, int rc)
{
    switch (rc & 0xff) { /* extended result codes are on: compare the primary code */
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return HC_OK;
    case SQLITE_NOMEM:
        return HC_ENOMEM;
    case SQLITE_CONSTRAINT:
        switch (sqlite3_extended_errcode(s->db)) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return STORE_ECONFLICT;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return HC_ENOENT;
        default:
            return HC_EINVAL;
        }
    default:
        hc_log(HC_LOG_ERROR, "sqlite: %s", sqlite3_errmsg(s->db));
        return HC_EIO;
    }
}

int sq_refused(int rc, const struct sq_refusal *r, struct hc_diag *d)
{
    if (rc == STORE_ECONFLICT && r->dup_msg != NULL)
        hc_diag_set(d, r->dup_field, r->dup_msg, NULL);
    else if (rc == HC_ENOENT && r->ref_msg != NULL)
        hc_diag_set(d, r->ref_field, r->ref_msg, NULL);
    else if (rc == HC_EINVAL && r->bad_msg != NULL)
        hc_diag_set(d, r->bad_field, r->bad_msg, NULL);
    return rc;
}

/* *slot, prepared from sql on first use, reset and with no bindings. NULL on failure. */
static sqlite3_stmt *prepared(struct store_sqlite *s, sqlite3_stmt **slot, const char *sql)
{
    sqlite3_stmt *q = *slot;
    if (q == NULL) {
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
            hc_log(HC_LOG_ERROR, "sqlite: prepare: %s", sqlite3_errmsg(s->db));
            return NULL;
        }
        *slot = q;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return q;
}


/* Step q (bound by the caller) for one id in column 0 into *id: HC_OK, HC_ENOENT when there is
 * no row, or a store error. q is reset. */
int sq_step_row(struct store_sqlite *s, sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        return HC_OK;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
}

int sq_one_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t *id)
{
    int rc = sq_step_row(s, q);
    if (rc == HC_OK) {
        *id = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
    }
    return rc;
}


sqlite3_stmt *sq_xstmt(struct store_sqlite *s, int slot, const char *sql)
{
    if (slot < 0 || slot >= SQ_XSTMT_MAX)
        return NULL;
    return prepared(s, &s->xstmt[slot], sql);
}

void sq_bind_str(sqlite3_stmt *q, int i, const char *v)
{
    if (v == NULL)
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
}

/* Bind -1 as NULL ("not known"), anything else as the integer. */
void sq_bind_tri(sqlite3_stmt *q, int i, int v)
{
    if (v < 0)
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_int(q, i, v);
}

/* Step an INSERT/UPDATE to completion and reset it. */
int sq_exec_stmt(struct store_sqlite *s, sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    /* An INSERT ... RETURNING (the statements shared with PostgreSQL, sql.h) has made its
     * change by its first step, which returns the row: that is done too. */
    rc = sq_map_rc(s, rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc);
    sqlite3_reset(q);
    return rc;
}

int sq_exec_by_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t id, int64_t *changed)
{
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    if ((rc = sq_exec_stmt(s, q)) == HC_OK && changed != NULL)
        *changed = sqlite3_changes(s->db);
    return rc;
}

int sq_exec_sql(struct store_sqlite *s, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        hc_log(HC_LOG_ERROR, "sqlite: %s", err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        return rc == SQLITE_NOMEM ? HC_ENOMEM : HC_EIO;
    }
    return HC_OK;
}

/* Column i as a string copied into a; NULL for SQL NULL. Sets *oom when a is full. */
const char *sq_col_dup(struct hc_arena *a, sqlite3_stmt *q, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    char *p;
    if (t == NULL)
        return NULL;
    p = hc_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i));
    if (p == NULL)
        *oom = 1;
    return p;
}

void sq_now_utc(char out[HC_CLOCK_UTC_LEN])
{
    hc_clock_utc(hc_clock_now(), out);
}

/* ------------------------------------------------------------------------------------------ */
/* Transactions                                                                               */

/* Give up the writers' turn (sqlite_writers.c) once the write transaction has ended. */
static void turn_end(struct store_sqlite *s)
{
    if (s->wq_held) {
        s->wq_held = 0;
        sq_writers_release(s->wq);
    }
}

int sq_begin(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    if (s->base.depth == 0) {
        int rc;
        s->wq_held = sq_writers_acquire(s->wq, SQ_BUSY_MS);
        rc = sq_exec_sql(s, "BEGIN IMMEDIATE");
        if (rc != HC_OK) {
            turn_end(s);
            return rc;
        }
    }
    s->base.depth++;
    return HC_OK;
}

int sq_commit(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    int rc;
    if (s->base.depth == 0)
        return HC_EINVAL; /* rolled back by a failed call, or never begun */
    if (--s->base.depth > 0)
        return HC_OK;
    rc = sq_exec_sql(s, "COMMIT");
    if (rc != HC_OK && !sqlite3_get_autocommit(s->db))
        sq_exec_sql(s, "ROLLBACK");
    turn_end(s);
    return rc;
}

void sq_rollback(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    /* An import's key walk (imp_ref) leaves a statement reading; end it, or the return to WAL
     * below fails and the file stays in the bulk import's rollback-journal mode. */
    sq_import_walk_end(s);
    if (s->base.depth > 0 && !sqlite3_get_autocommit(s->db))
        sq_exec_sql(s, "ROLLBACK");
    s->base.depth = 0;
    sq_bound_forget(s);
    turn_end(s);
    sq_import_bulk_leave(s);
}

/* Read transactions: prepared BEGIN DEFERRED and COMMIT, so a GET pays for one WAL read lock
 * and no parsing. Inside a write transaction they do nothing. */
/* PRAGMA data_version moves when another connection (of this process or another) commits;
 * sqlite3_total_changes64 when this one writes a row. Both only grow, so the sum below changes
 * whenever either does (it would wrap after 2^32 commits). */
static int sq_version(struct hc_store *st, uint64_t *v)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_DATA_VERSION);
    int rc;
    if (q == NULL)
        return HC_EIO;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *v = ((uint64_t)sqlite3_column_int64(q, 0) << 32) +
             (uint64_t)sqlite3_total_changes64(s->db);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? HC_OK : sq_map_rc(s, rc);
}

/* The newest change number into *seq. */
static int changes_last(struct store_sqlite *s, int64_t *seq)
{
    sqlite3_stmt *q = stmt(s, S_CHANGES_LAST);
    return q != NULL ? sq_one_id(s, q, seq) : HC_EIO;
}

/* Reads one row more than limit, which says there are too many. */
static int sq_changes(struct hc_store *st, int64_t *seq, size_t limit, store_change_cb cb,
                      void *ctx, int *more)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t last = *seq;
    size_t n = 0;
    int rc;

    *more = 0;
    if (*seq < 0)
        return changes_last(s, seq);
    if (limit >= STORE_MARKS_KEPT) /* a reader behind a deleted mark must see too many */
        limit = STORE_MARKS_KEPT - 1;
    if ((q = stmt(s, S_CHANGES_SINCE)) == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, *seq);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)limit + 1);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && ++n <= limit) {
        cb(ctx, (const char *)sqlite3_column_text(q, 0), (size_t)sqlite3_column_bytes(q, 0));
        last = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_map_rc(s, rc);
    if (n > limit) {
        *more = 1;
        return changes_last(s, seq);
    }
    *seq = last;
    return HC_OK;
}

static int sq_read_begin(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    if (s->base.depth > 0 || s->base.reading)
        return HC_OK;
    if ((q = stmt(s, S_READ_BEGIN)) == NULL)
        return HC_EIO;
    if (sq_exec_stmt(s, q) != HC_OK)
        return HC_EIO;
    s->base.reading = 1;
    return HC_OK;
}

static void sq_read_end(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t touch = s->base.touch_token;
    if (!s->base.reading)
        return;
    s->base.reading = 0;
    s->base.touch_token = 0;
    /* A failed statement may have ended the transaction already. */
    if (!sqlite3_get_autocommit(s->db) &&
        ((q = stmt(s, S_READ_END)) == NULL || sq_exec_stmt(s, q) != HC_OK) &&
        !sqlite3_get_autocommit(s->db))
        sq_exec_sql(s, "ROLLBACK");
    if (touch != 0)
        sq_token_touch(s, touch);
}

/* Every write op: tx_enter, work, then sq_tx_leave(rc). A failure rolls back the whole
 * transaction, including an enclosing one (store_begin's contract). */
int sq_tx_leave(struct store_sqlite *s, int rc)
{
    if (rc != HC_OK) {
        sq_rollback(&s->base);
        return rc;
    }
    return sq_commit(&s->base);
}

/* ------------------------------------------------------------------------------------------ */
/* Reads                                                                                      */

/* ---- row readers ---------------------------------------------------------------------------- */

/* Step q to its end, appending one `size`-byte element a row to an array in the arena (grown by
 * doubling); fill(), or without one the descriptor rd, copies the row's columns into the
 * element. On success *out and *n hold the array; on failure they are untouched. Resets q
 * either way. */
static int read_rows(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a, size_t size,
                     row_fill_fn fill, const struct sf_record *rd, void **out, size_t *n)
{
    char *arr = NULL;
    size_t cap = 0, cnt = 0;
    int rc, oom = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char *p = hc_arena_alloc(a, ncap * size);
            if (p == NULL) {
                oom = 1;
                break;
            }
            if (cnt)
                memcpy(p, arr, cnt * size);
            arr = p;
            cap = ncap;
        }
        if (fill != NULL)
            fill(q, a, arr + cnt * size, &oom);
        else
            sq_fill_fields(q, 0, a, arr + cnt * size, rd, &oom);
        cnt++;
    }
    rc = oom ? HC_ENOMEM : sq_map_rc(s, rc);
    sqlite3_reset(q);
    if (rc == HC_OK) {
        *out = arr;
        *n = cnt;
    }
    return rc;
}

int sq_read_rows(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a, size_t size,
                 row_fill_fn fill, void **out, size_t *n)
{
    return read_rows(s, q, a, size, fill, NULL, out, n);
}

int sq_read_recs(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a,
                 const struct sf_record *rd, void **out, size_t *n)
{
    if (q == NULL)
        return HC_EIO;
    return read_rows(s, q, a, rd->size, NULL, rd, out, n);
}

int sq_read_rec(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a,
                const struct sf_record *rd, void *el)
{
    int rc, oom = 0;
    if (q == NULL)
        return HC_EIO;
    if ((rc = sq_step_row(s, q)) != HC_OK)
        return rc;
    sq_fill_fields(q, 0, a, el, rd, &oom);
    sqlite3_reset(q);
    return oom ? HC_ENOMEM : HC_OK;
}

int sq_read_rows_by_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t id, struct hc_arena *a,
                       const struct sf_record *rd, void **out, size_t *n)
{
    if (q != NULL)
        sqlite3_bind_int64(q, 1, id);
    return sq_read_recs(s, q, a, rd, out, n);
}

static int sq_ping(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_PING);
    int rc;
    if (q == NULL)
        return HC_EIO;
    rc = sq_map_rc(s, sqlite3_step(q));
    sqlite3_reset(q);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Schema versions and lifecycle                                                              */

static int sq_schema_version(struct hc_store *st, int *version)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        *version = sqlite3_column_int(q, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    return sq_map_rc(s, rc);
}

static int sq_migration_version(size_t i)
{
    return sq_migrations[i].version;
}

/* HC_OK when PRAGMA foreign_key_check finds every reference holding; STORE_ECONFLICT when a row
 * names a parent that is not there. */
static int sq_foreign_keys_hold(struct store_sqlite *s)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW)
        return STORE_ECONFLICT;
    return rc == SQLITE_DONE ? HC_OK : sq_map_rc(s, rc);
}

/* Whether migration i runs with foreign keys off (sq_migrations_foreign_keys_off). */
static int sq_migration_fk_off(size_t i)
{
    const int *v;
    for (v = sq_migrations_foreign_keys_off; *v != 0; v++)
        if (*v == sq_migrations[i].version)
            return 1;
    return 0;
}

static int sq_migration_apply(struct hc_store *st, size_t i)
{
    char pragma[48];
    int rc = sq_exec_sql(sq(st), sq_migrations[i].sql);
    if (rc == HC_OK && sq_migration_fk_off(i))
        rc = sq_foreign_keys_hold(sq(st));
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", sq_migrations[i].version);
    return rc == HC_OK ? sq_exec_sql(sq(st), pragma) : rc;
}

/* Foreign keys off around a migration that rebuilds a referenced table. */
static int sq_migration_outside(struct hc_store *st, size_t i, int done)
{
    if (!sq_migration_fk_off(i))
        return HC_OK;
    return sq_exec_sql(sq(st), done ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
}

static int sq_migrate(struct hc_store *st, int *from, int *to)
{
    const struct store_migrations m = {sq_nmigrations, sq_migration_version, sq_migration_apply,
                                       sq_migration_outside};
    return store_migrate_walk(st, &m, from, to);
}

static void sq_close(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    size_t i;
    for (i = 0; i < SQ_XSTMT_MAX; i++)
        sqlite3_finalize(s->xstmt[i]);
    sqlite3_finalize(s->imp_multi[0]);
    sqlite3_finalize(s->imp_multi[1]);
    sqlite3_close(s->db);
    sq_bound_forget(s);
    turn_end(s);
    sq_writers_leave(s->wq);
    free(s);
}

const struct store_conn_ops sq_conn_ops = {
    .name = "sqlite",
    STORE_CONN_OPS(SQ_OP)
};

/* SQLite would make a new database 0644, and it gives the WAL and the shared-memory file the
 * mode of the database file, so creating this one first makes all three private. */
int sq_create_private(const char *path, int must_be_new, struct hc_diag *d)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        if (errno == EEXIST && !must_be_new)
            return HC_OK;
        hc_diag_set(d, path, errno == EEXIST ? "already exists" : "cannot create: ",
                    errno == EEXIST ? NULL : strerror(errno));
        return errno == EEXIST ? STORE_ECONFLICT : HC_EIO;
    }
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
        hc_diag_set(d, path, "cannot make private: ", strerror(errno));
        close(fd);
        unlink(path);
        return HC_EIO;
    }
    close(fd);
    return HC_OK;
}

int store_sqlite_open(const char *path, int flags, struct hc_store **out, struct hc_diag *d)
{
    struct store_sqlite *s = NULL;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    int rc = HC_EIO, v = 0;

    *out = NULL;
    if (sodium_init() < 0) {
        hc_diag_set(d, "", "libsodium failed to initialise", NULL);
        return HC_EIO;
    }
    if (flags & STORE_OPEN_CREATE) {
        if (sq_create_private(path, 0, d) != HC_OK)
            return HC_EIO;
        oflags |= SQLITE_OPEN_CREATE;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return HC_ENOMEM;
    s->base.conn = &sq_conn_ops;
    s->base.records = &sq_records_ops;
    s->base.requests = &sq_requests_ops;
    s->base.users = &sq_users_ops;
    s->base.audit = &sq_audit_ops;
    s->base.pub = &sq_public_ops;
    s->base.console = &sq_console_ops;
    s->base.import = &sq_import_ops;
    s->base.reports = &sq_reports_ops;
    s->base.readlog = &sq_readlog_ops;
    s->base.taskforce = &sq_taskforce_ops;
    s->base.victims = &sq_victims_ops;
    /* Without memory statistics every SQLite allocation skips a process-wide mutex that the
     * server's threads would contend for. Only possible before SQLite's first use; later calls
     * fail harmlessly (SQLITE_MISUSE). */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        hc_diag_set(d, path, s->db ? sqlite3_errmsg(s->db) : "cannot open", NULL);
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, SQ_BUSY_MS);
    s->wq = sq_writers_join(path);
    /* WAL lets readers on other threads' connections run while one writer commits;
     * synchronous=FULL because a committed decision is a legal record. */
    /* An 8 MiB page cache (SQLite's default is 2 MB) holds the upper levels of the indexes
     * and tables a lookup walks in a million-booking database, so a lookup reads little more
     * than leaf pages; it fills only as pages are read. The server's answer cache
     * (src/http/cache.c) holds the records read often, far denser than their pages, so the
     * two server threads' page caches plus that cache stay under 64 MB. Not mmap: mapped
     * pages count in the resident set. */
    if (sq_exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    " PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;"
                    " PRAGMA cache_size = -8192;") != HC_OK) {
        hc_diag_set(d, path, (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY
                                 ? "the database is locked by another process (an import in "
                                   "bulk mode takes it for itself); try again when it ends"
                                 : "cannot set up the database (is it an SQLite file?)", NULL);
        goto out;
    }
    /* A background connection (the delivery thread's) mostly scans: the whole export for a
     * snapshot, the delivery queue. A big cache would only hold pages it never reads again. */
    if ((flags & STORE_OPEN_BACKGROUND) &&
        sq_exec_sql(s, (flags & STORE_OPEN_STREAM) ? "PRAGMA cache_size = -256"
                                                   : "PRAGMA cache_size = -2048") != HC_OK) {
        hc_diag_set(d, path, "cannot set up the database", NULL);
        goto out;
    }
    /* A report or a replay looks up rows all over a database far larger than the cache, each
     * page a few times: mapped, a page is read from the page cache by a fault once instead of
     * by a pread each time (SQLite falls back to reads where it cannot map). The process ends
     * with the report, so its resident set does not matter as the server's does. The map asks
     * for 2,147,418,112 bytes, SQLite's default SQLITE_MAX_MMAP_SIZE (and Debian's build): a
     * larger request is cut to it anyway, and a database beyond it is read by pread past it. */
    if ((flags & STORE_OPEN_SCAN) &&
        sq_exec_sql(s, "PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -65536") != HC_OK) {
        hc_diag_set(d, path, "cannot set up the database", NULL);
        goto out;
    }
    if (sq_schema_version(&s->base, &v) != HC_OK) {
        hc_diag_set(d, path, "not a readable SQLite database", NULL);
        goto out;
    }
    if (!(flags & STORE_OPEN_ANY_SCHEMA) && v != STORE_SCHEMA_VERSION) {
        rc = HC_ERANGE;
        hc_diag_set(d, path,
                    v < STORE_SCHEMA_VERSION ? "database schema is older than this holdcheck; "
                                               "run `holdcheck migrate --db PATH`"
                                             : "database schema is newer than this holdcheck",
                    NULL);
        goto out;
    }
    *out = &s->base;
    s = NULL;
    rc = HC_OK;
out:
    if (s != NULL) {
        sqlite3_close(s->db);
        sq_writers_leave(s->wq);
        free(s);
    }
    return rc;
}


/* SPDX-License-Identifier: MIT
 * sqlite_import.c: bulk import and export (docs/import.md): one transaction per import, rows
 * batched into multi-row INSERTs, the rows hash and the import's single audit entry. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "log.h"
#include "sqlite_int.h"

/* This file's prepared statements (slots SQ_X_IMPORT..), kept for the life of the connection. */
enum stmt_id {
    S_IMP_PERSON_ID, S_IMP_BOOKING_ID, S_EXP_PEOPLE, S_EXP_BOOKINGS, S_EXP_CHARGES, S_EXP_CONV,
    S_UPS_BOOKING, S_UPS_PERSON, /* slots of the upsert's statements (their text: below) */
    S_IMP_MARK_CHARGES, S_IMP_MARK_CONV, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    /* Import looks a row's reference up once per run of rows with the same key. (An INSERT ...
     * SELECT would do both in one statement, but SQLite then opens a statement journal for
     * every row: three times slower.) Each is a walk of the key's unique index from the key
     * on, kept open between rows: files sorted by the key step along it (imp_ref). */
    [S_IMP_PERSON_ID] = "SELECT local_id, id FROM people WHERE local_id >= ? ORDER BY local_id",
    [S_IMP_BOOKING_ID] = "SELECT booking_no, id FROM bookings WHERE booking_no >= ?"
                         " ORDER BY booking_no",
    /* Export: the columns of docs/import.md, in its order. */
    [S_EXP_PEOPLE] = "SELECT local_id, name, date_of_birth,"
                     " CASE registrant_290 WHEN 1 THEN 'true' ELSE 'false' END"
                     " FROM people ORDER BY id",
    [S_EXP_BOOKINGS] = "SELECT b.booking_no, p.local_id, b.booked_at, b.facility, b.status,"
                       " b.scheduled_release, b.released_at, b.release_reason"
                       " FROM bookings b JOIN people p ON p.id = b.person_id ORDER BY b.id",
    [S_EXP_CHARGES] = "SELECT b.booking_no, c.citation, c.level, c.status,"
                      " CASE c.magistrate_probable_cause WHEN 1 THEN 'true' ELSE 'false' END"
                      " FROM charges c JOIN bookings b ON b.id = c.booking_id ORDER BY c.id",
    [S_EXP_CONV] = "SELECT p.local_id, c.citation, c.level, c.date, c.court,"
                   " CASE c.prop47_reduced WHEN 1 THEN 'true' WHEN 0 THEN 'false' END,"
                   " c.federal_aggravated_felony, c.jurisdiction"
                   " FROM convictions c JOIN people p ON p.id = c.person_id ORDER BY c.id",
    /* The bookings whose records the imported charges or convictions (row ids ?1..?2) changed,
     * marked at once as their paused row triggers would have (sqlite_schema.c, versions 9 and
     * 18); bookings ?3..?4 need no mark (imp_mark_changes). At most STORE_MARKS_KEPT of them:
     * a reader that finds that many marks after where it stands forgets every record, so
     * more would tell no reader more. */
    [S_IMP_MARK_CHARGES] = "INSERT INTO record_marks (booking_id)"
                           " SELECT DISTINCT booking_id FROM charges WHERE id BETWEEN ?1 AND ?2"
                           " AND booking_id NOT BETWEEN ?3 AND ?4"
                           " LIMIT " SQL_TEXT(STORE_MARKS_KEPT),
    [S_IMP_MARK_CONV] = "INSERT INTO record_marks (booking_id)"
                        " SELECT DISTINCT b.id"
                        " FROM convictions c JOIN bookings b ON b.person_id = c.person_id"
                        " WHERE c.id BETWEEN ?1 AND ?2"
                        " LIMIT " SQL_TEXT(STORE_MARKS_KEPT),
};

_Static_assert(SQ_X_IMPORT + S_COUNT <= SQ_XSTMT_MAX, "this file's statements fit its slots");

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
    return sq_xstmt(s, SQ_X_IMPORT + (int)id, stmt_sql[id]);
}

/* Bulk mode, around one import's transaction (docs/import.md, "Speed"). Both settings can only
 * change outside a transaction.
 * - Foreign keys off: every reference an import writes is a row id it has just looked up in the
 *   same transaction (imp_ref), so checking it again would only repeat the lookup.
 * - Temporary files in memory: each multi-row INSERT keeps a statement journal (the pages it
 *   changed, to undo it alone if a row is refused), which would otherwise be two pwrite()s a
 *   page to a temporary file. It is emptied after every statement, so it stays a few pages.
 * - The rollback journal instead of the WAL, when no other connection has the database open
 *   (SQLite refuses the switch otherwise, and the import stays in WAL mode). New pages then go
 *   to the database file once, instead of to the WAL and again at the checkpoint. A crash
 *   leaves a hot journal that the next open rolls back; imp_bulk_leave returns to WAL. */
static void imp_bulk_enter(struct store_sqlite *s, int switch_journal)
{
    sqlite3_stmt *q = NULL;
    if (switch_journal && !s->imp_journal_switched &&
        sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = DELETE", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL &&
        strcmp((const char *)sqlite3_column_text(q, 0), "delete") == 0)
        s->imp_journal_switched = 1;
    sqlite3_finalize(q);
    if (!s->imp_fk_off && sq_exec_sql(s, "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY")
                              == HC_OK)
        s->imp_fk_off = 1;
}

static void imp_bind_free(struct store_sqlite *s);

/* Leave bulk mode once the import's transaction has ended (committed or rolled back). */
static void imp_bulk_leave(struct store_sqlite *s)
{
    if (!sqlite3_get_autocommit(s->db))
        return;
    imp_bind_free(s); /* left by an import rolled back */
    if (s->imp_fk_off && sq_exec_sql(s, "PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT")
                             == HC_OK)
        s->imp_fk_off = 0;
    if (s->imp_journal_switched && sq_exec_sql(s, "PRAGMA journal_mode = WAL") == HC_OK)
        s->imp_journal_switched = 0;
    /* The connection does not map the file otherwise (an upsert's map ends with it). */
    (void)sq_exec_sql(s, "PRAGMA mmap_size = 0");
}

/* ------------------------------------------------------------------------------------------ */
/* Bulk import and export (docs/import.md)                                                    */

/* The rows hash: each field of each row, in the column order of docs/import.md, as an 8-byte
 * big-endian length and its bytes; NULL is the length 2^64-1 and no bytes. Booleans are hashed
 * as "true"/"false", so the hash of a kind's rows can be recomputed from `holdcheck export`. */
static void imp_flush(struct store_sqlite *s)
{
    crypto_generichash_update(&s->imp_hash, s->imp_buf, s->imp_buflen);
    s->imp_buflen = 0;
}

/* Hashing is streamed, so the fields are gathered in imp_buf and hashed a block at a time:
 * one BLAKE2b update per 8 KiB instead of two per field, the same hash. */
static void imp_field(struct store_sqlite *s, const char *v)
{
    size_t n = v != NULL ? strlen(v) : 0;
    uint64_t len = v != NULL ? (uint64_t)n : UINT64_MAX; /* NULL: the length 2^64-1 */
    unsigned char *o;
    int i;
    if (s->imp_buflen + 8 + n > sizeof s->imp_buf) {
        imp_flush(s);
        if (8 + n > sizeof s->imp_buf) {
            chain_hash_field(&s->imp_hash, v, n);
            return;
        }
    }
    o = s->imp_buf + s->imp_buflen;
    for (i = 0; i < 8; i++)
        o[i] = (unsigned char)(len >> (56 - 8 * i));
    if (n > 0)
        memcpy(o + 8, v, n);
    s->imp_buflen += 8 + n;
}

static const char *bool_text(int v)
{
    return v ? "true" : "false";
}

static const char *tri_text(int v)
{
    return v < 0 ? NULL : bool_text(v);
}

static const char *kind_name(enum store_kind k)
{
    switch (k) {
    case STORE_KIND_PEOPLE: return "people";
    case STORE_KIND_BOOKINGS: return "bookings";
    case STORE_KIND_CHARGES: return "charges";
    case STORE_KIND_CONVICTIONS: return "convictions";
    }
    return "?";
}

/* ------------------------------------------------------------------------------------------ */
/* Imported bookings bound into the chain as they are inserted                                */

/* The bindings of a bookings import (bound.h): each booking's digest is added to a run as its
 * row is inserted, from the values the INSERT was given, so commit does not read a million
 * rows back to hash them. arr holds the runs a gap in the ids ended; the last is in run. */
struct imp_bind {
    struct bound_run run;
    json_t *arr;
    int t;      /* bound_tables index of "bookings" */
};

static void imp_bind_free(struct store_sqlite *s)
{
    if (s->imp_bind == NULL)
        return;
    free(s->imp_bind->run.bin);
    json_decref(s->imp_bind->arr);
    free(s->imp_bind);
    s->imp_bind = NULL;
}

/* Start binding the bookings of this import. HC_ENOMEM. */
static int imp_bind_start(struct store_sqlite *s)
{
    imp_bind_free(s);
    if ((s->imp_bind = malloc(sizeof *s->imp_bind)) == NULL)
        return HC_ENOMEM;
    bound_run_begin(&s->imp_bind->run);
    s->imp_bind->t = bound_table_find("bookings");
    if ((s->imp_bind->arr = json_array()) == NULL || s->imp_bind->t < 0) {
        imp_bind_free(s);
        return HC_ENOMEM;
    }
    return HC_OK;
}

/* v (not negative) in decimal into out (24 bytes): what SQLite gives as an integer's text. */
static const char *imp_decimal(int64_t v, char out[24])
{
    char *p = out + 23;
    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    return p;
}

/* Bind the booking inserted as row id from held row h (its person: h->ref). The values are
 * those the INSERT bound, as the table stores them: every column of the bookings line of
 * bound_tables that an import sets, and NULL (left out of the hash) for the rest (bail,
 * next_court_date). tests/cli/test_audit_bind.sh verifies an import, so a column added to that
 * line with a value an import does not give here shows as every imported row differing. */
static int imp_bind_booking(struct store_sqlite *s, int64_t id, const struct imp_held *h)
{
    /* In the byte order of the names, which bound_row_hash sorts them into: given sorted,
     * its insertion sort compares each name once. */
    static const char *const names[] = {"booked_at", "booking_no", "facility", "id",
                                        "person_id", "release_reason", "released_at",
                                        "scheduled_release", "status"};
    unsigned char hash[CHAIN_HASH_LEN];
    const char *vals[9];
    size_t lens[9], i;
    char idtext[24], person[24];

    if (s->imp_bind == NULL)
        return HC_OK;
    vals[0] = h->f[2];                  /* booked_at */
    vals[1] = h->f[0];                  /* booking_no */
    vals[2] = h->f[3];                  /* facility */
    vals[3] = imp_decimal(id, idtext);  /* row ids and references are positive */
    vals[4] = imp_decimal(h->ref, person);
    vals[5] = h->f[7];                  /* release_reason */
    vals[6] = h->f[6];                  /* released_at */
    vals[7] = h->f[5];                  /* scheduled_release */
    vals[8] = h->f[4];                  /* status */
    for (i = 0; i < 9; i++)
        lens[i] = vals[i] != NULL ? strlen(vals[i]) : 0;
    bound_row_hash("bookings", 9, names, vals, lens, hash);
    return bound_run_add(&s->imp_bind->run, s->imp_bind->arr, s->imp_bind->t, id, hash);
}

static int sq_import_begin(struct hc_store *st, enum store_kind kind, unsigned flags,
                           store_import_report_fn report, void *ctx)
{
    struct store_sqlite *s = sq(st);
    int rc;
    /* A stale imp_kind with no transaction open is an import that store_rollback ended. */
    if (s->base.depth != 0 || kind < STORE_KIND_PEOPLE ||
        kind > STORE_KIND_CONVICTIONS)
        return HC_EINVAL;
    if (s->imp_walk != NULL) { /* left by an import that store_rollback ended */
        sqlite3_reset(s->imp_walk);
        s->imp_walk = NULL;
    }
    /* A bigger page cache keeps the unique indexes of a large file in memory (64 MiB), for
     * the import only: commit restores the connection's own size. (After a rollback it is
     * still saved, so the next import does not take 64 MiB for the original.) */
    if (!s->imp_cache_saved) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW) {
            s->imp_cache_prev = sqlite3_column_int64(q, 0);
            s->imp_cache_saved = 1;
        }
        sqlite3_finalize(q);
    }
    if ((rc = sq_exec_sql(s, "PRAGMA cache_size = -65536")) != HC_OK)
        return rc;
    /* An upsert reads a row here and there and changes it in place: the rollback journal
     * would write each changed page twice (its original to the journal, then the page), the
     * WAL writes it once. It reads through the page cache, not a map of the file: with the
     * file in the OS cache, as a served database is, a 10,000-booking delta on 1,000,000
     * bookings took 1.05 s of CPU with pread against 1.19 s with the map, whose first touch
     * of each page is a page fault (docs/benchmarks.md, "Session 8"). */
    imp_bulk_enter(s, !(flags & STORE_IMPORT_IN_PLACE));
    /* The bookings the previous import created need no mark from this one's charges when no
     * other connection had the file open when either began (each then switched the journal):
     * an answer cache lives in a server's connections, so a server that read those bookings
     * since they were committed still has the file open now (and this import marks them), or
     * has exited, its cache with it. */
    s->imp_skip_first = 0;
    s->imp_skip_last = -1;
    if (kind == STORE_KIND_CHARGES && s->imp_journal_switched && s->imp_new_last > 0) {
        s->imp_skip_first = s->imp_new_first;
        s->imp_skip_last = s->imp_new_last;
    }
    s->imp_new_first = s->imp_new_last = 0;
    s->imp_refs_old = 0;
    /* A bulk import only inserts, so a row's values as inserted are its values at commit; an
     * upsert may change a booking it created (the same number twice in a file), so its few
     * new rows are read back at commit instead (sq_import_commit). */
    if (kind == STORE_KIND_BOOKINGS && !(flags & STORE_IMPORT_IN_PLACE) &&
        (rc = imp_bind_start(s)) != HC_OK)
        return rc;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    /* A bulk import of charges or convictions marks the records it changes in one statement
     * at commit (imp_mark_changes); an upsert's few rows are marked by the row triggers. */
    s->imp_marks_paused = !(flags & STORE_IMPORT_IN_PLACE) &&
                          (kind == STORE_KIND_CHARGES || kind == STORE_KIND_CONVICTIONS);
    if (s->imp_marks_paused &&
        (rc = sq_exec_sql(s, "INSERT INTO record_marks_paused VALUES (1)")) != HC_OK) {
        sq_rollback(st);
        return rc;
    }
    s->imp_kind = kind;
    s->imp_rows = s->imp_first = s->imp_last = 0;
    s->imp_ref[0] = '\0';
    s->imp_ref_id = 0;
    sq_now_utc(s->imp_at);
    crypto_generichash_init(&s->imp_hash, NULL, 0, CHAIN_HASH_LEN);
    s->imp_buflen = 0;
    s->imp_report = report;
    s->imp_report_ctx = ctx;
    s->imp_nheld = 0;
    s->imp_textlen = 0;
    s->imp_refused = 0;
    return HC_OK;
}

/* The statement in slot (text sql), prepared once and, unlike sq_xstmt, not reset on later
 * calls: the caller binds every parameter of each row. */
static sqlite3_stmt *imp_slot(struct store_sqlite *s, int slot, const char *sql)
{
    sqlite3_stmt *q = s->xstmt[slot];
    if (q == NULL)
        q = sq_xstmt(s, slot, sql);
    return q;
}

/* One of this file's statements (S_IMP_*), as imp_slot. */
static sqlite3_stmt *imp_stmt(struct store_sqlite *s, enum stmt_id id)
{
    return imp_slot(s, SQ_X_IMPORT + (int)id, stmt_sql[id]);
}

/* The INSERT of rows of kind k (sqlite_records.c), as imp_slot. */
static sqlite3_stmt *imp_insert(struct store_sqlite *s, enum sq_insert k)
{
    return imp_slot(s, SQ_X_RECORDS + (int)k, sq_insert_sql(k));
}

/* How far imp_ref steps along its index walk before it seeks afresh. */
#define IMP_WALK_STEPS 8

/* Stop imp_ref's index walk, if one is open. */
static void imp_walk_end(struct store_sqlite *s)
{
    if (s->imp_walk != NULL)
        sqlite3_reset(s->imp_walk);
    s->imp_walk = NULL;
}

/* The row id of the person (S_IMP_PERSON_ID) or booking (S_IMP_BOOKING_ID) keyed key, or 0
 * when there is none. Negative on a store error. Rows of a file usually come grouped by their
 * reference (a booking's charges, a person's convictions), so the last answer is kept; and
 * files are often sorted by it (an export is), so the statement stays on the key's row of the
 * unique index, and the next key is found by stepping along the index from there, not by a
 * fresh search from the root. A key behind the walk, or more than IMP_WALK_STEPS rows ahead,
 * is searched afresh. The walk ends at commit, at the next begin, and at the index's end. */
static int64_t imp_ref(struct store_sqlite *s, enum stmt_id id, const char *key)
{
    sqlite3_stmt *q;
    const char *k = NULL;
    int64_t found = 0;
    int rc = SQLITE_ROW, cmp = 1, below = 0, steps;

    if (key == NULL)
        return 0;
    if (s->imp_ref[0] != '\0' && strcmp(s->imp_ref, key) == 0)
        return s->imp_ref_id;
    if ((q = imp_stmt(s, id)) == NULL)
        return HC_EIO;
    if (s->imp_walk == q) {
        /* Step while the row is below key. Having been below it and now past it, key is not
         * in the index. */
        for (steps = 0; steps <= IMP_WALK_STEPS; steps++) {
            if (steps > 0 && (rc = sqlite3_step(q)) != SQLITE_ROW)
                break;
            if ((k = (const char *)sqlite3_column_text(q, 0)) == NULL)
                break; /* out of memory: search afresh */
            if ((cmp = strcmp(k, key)) >= 0)
                break;
            below = 1;
        }
        if (rc == SQLITE_ROW && k != NULL && (cmp == 0 || (cmp > 0 && below)))
            goto done;
        if (rc == SQLITE_DONE && below)
            goto done; /* key is past the last row */
    }
    imp_walk_end(s);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if ((k = (const char *)sqlite3_column_text(q, 0)) == NULL)
            rc = SQLITE_NOMEM;
        else
            cmp = strcmp(k, key);
    }
done:
    if (rc == SQLITE_ROW) {
        s->imp_walk = q;
        if (cmp == 0)
            found = sqlite3_column_int64(q, 1);
    } else {
        if (rc != SQLITE_DONE)
            found = sq_map_rc(s, rc);
        sqlite3_reset(q);
        s->imp_walk = NULL;
    }
    if (found > 0 && strlen(key) < sizeof s->imp_ref) {
        memcpy(s->imp_ref, key, strlen(key) + 1);
        s->imp_ref_id = found;
    }
    return found;
}

/* Bookings and charges are inserted IMP_BATCH rows per INSERT: most of SQLite's cost is per
 * statement, not per row. A valid row is copied into imp_held (its text into imp_text) and
 * inserted with the batch. A refused INSERT aborts the whole statement (ON CONFLICT ABORT backs
 * out every row it wrote, like a savepoint taken before it), and the batch is then inserted
 * again one row per statement, to find each refused row and report it with its tag, as the
 * unbatched import reported it. Rows are hashed and counted only once inserted. */

/* Count rows last-n+1..last as inserted. */
static void imp_count(struct store_sqlite *s, int64_t last, int n)
{
    if (s->imp_rows == 0)
        s->imp_first = last - n + 1; /* one statement's rows take consecutive row ids */
    s->imp_last = last;
    s->imp_rows += n;
}

/* Bind held row h to q's parameters from at + 1 on (in the column order of S_*_INSERT). */
static void imp_bind_held(struct store_sqlite *s, sqlite3_stmt *q, int at,
                          const struct imp_held *h)
{
    int i;
    if (s->imp_kind == STORE_KIND_CHARGES) {
        sqlite3_bind_int64(q, at + 1, h->ref);
        sq_bind_str(q, at + 2, h->f[1]);
        sq_bind_str(q, at + 3, h->f[2]);
        sq_bind_str(q, at + 4, h->f[3]);
        sqlite3_bind_int(q, at + 5, h->b != 0);
        return;
    }
    sq_bind_str(q, at + 1, h->f[0]);
    sqlite3_bind_int64(q, at + 2, h->ref);
    for (i = 2; i < 8; i++)
        sq_bind_str(q, at + 1 + i, h->f[i]);
}

static void imp_hash_held(struct store_sqlite *s, const struct imp_held *h)
{
    int i, n = s->imp_kind == STORE_KIND_CHARGES ? 4 : 8;
    for (i = 0; i < n; i++)
        imp_field(s, h->f[i]);
    if (s->imp_kind == STORE_KIND_CHARGES)
        imp_field(s, bool_text(h->b));
}

/* Run q, one row's INSERT; on a refusal set d as store_import_row reports it. */
static int imp_step(struct store_sqlite *s, sqlite3_stmt *q, const char *key_field,
                    const char *ref_field, struct hc_diag *d)
{
    /* HC_ENOENT is the foreign key: the looked-up row cannot vanish mid-import. */
    const struct sq_refusal r = {key_field ? key_field : "", "already exists",
                                 ref_field ? ref_field : "", "no such row",
                                 "", "the database refused the row"};
    int rc = sqlite3_step(q);
    /* A failed step aborts only this statement (ON CONFLICT ABORT): the transaction and the
     * rows before it stay, so the caller can keep checking the rest of the file. */
    rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
    sqlite3_reset(q);
    return sq_refused(rc, &r, d);
}

/* The IMP_BATCH-row INSERT of the import's kind, prepared once. */
static sqlite3_stmt *imp_multi(struct store_sqlite *s)
{
    int k = s->imp_kind == STORE_KIND_CHARGES;
    sqlite3_stmt **q = &s->imp_multi[k];
    const char *sql = sq_insert_sql(k ? SQ_INSERT_CHARGE : SQ_INSERT_BOOKING);
    const char *row = strstr(sql, " VALUES ") + 8;
    char text[4096];
    size_t n = (size_t)(row - sql), rl = strlen(row);
    int i;
    if (*q != NULL)
        return *q;
    if (n + IMP_BATCH * (rl + 1) >= sizeof text)
        return NULL; /* IMP_BATCH too big for text */
    memcpy(text, sql, n);
    for (i = 0; i < IMP_BATCH; i++) {
        if (i > 0)
            text[n++] = ',';
        memcpy(text + n, row, rl);
        n += rl;
    }
    text[n] = '\0';
    if (sqlite3_prepare_v3(s->db, text, (int)n, SQLITE_PREPARE_PERSISTENT, q, NULL) !=
        SQLITE_OK) {
        hc_log(HC_LOG_ERROR, "sqlite: prepare: %s", sqlite3_errmsg(s->db));
        *q = NULL;
    }
    return *q;
}

/* Insert the held rows, reporting each refused one. HC_OK, or a store error. */
static int imp_batch_insert(struct store_sqlite *s)
{
    int n = s->imp_nheld, i, rc, charges = s->imp_kind == STORE_KIND_CHARGES;
    sqlite3_stmt *q;

    s->imp_nheld = 0; /* the text stays until the next row is held */
    s->imp_textlen = 0;
    if (n == IMP_BATCH) {
        if ((q = imp_multi(s)) == NULL)
            return HC_EIO;
        for (i = 0; i < n; i++)
            imp_bind_held(s, q, i * (charges ? 5 : 8), &s->imp_held[i]);
        rc = sqlite3_step(q);
        if (rc == SQLITE_DONE) {
            sqlite3_reset(q);
            int64_t last = sqlite3_last_insert_rowid(s->db);
            imp_count(s, last, n);
            for (i = 0; i < n; i++) {
                imp_hash_held(s, &s->imp_held[i]);
                if (!charges && (rc = imp_bind_booking(s, last - n + 1 + i, &s->imp_held[i])) !=
                                    HC_OK)
                    return rc;
            }
            return HC_OK;
        }
        rc = sq_map_rc(s, rc);
        sqlite3_reset(q);
        if (rc != STORE_ECONFLICT && rc != HC_ENOENT && rc != HC_EINVAL)
            return rc;
    }
    for (i = 0; i < n; i++) { /* a short batch, or one the database refused */
        struct hc_diag d;
        hc_diag_clear(&d);
        if ((q = imp_insert(s, charges ? SQ_INSERT_CHARGE : SQ_INSERT_BOOKING)) == NULL)
            return HC_EIO;
        imp_bind_held(s, q, 0, &s->imp_held[i]);
        rc = imp_step(s, q, charges ? NULL : "booking_no",
                      charges ? "booking_no" : "person_local_id", &d);
        if (rc == HC_OK) {
            imp_count(s, sqlite3_last_insert_rowid(s->db), 1);
            imp_hash_held(s, &s->imp_held[i]);
            if (!charges && (rc = imp_bind_booking(s, sqlite3_last_insert_rowid(s->db),
                                                   &s->imp_held[i])) != HC_OK)
                return rc;
        } else if (rc == STORE_ECONFLICT || rc == HC_ENOENT || rc == HC_EINVAL) {
            s->imp_refused++;
            if (s->imp_report != NULL)
                s->imp_report(s->imp_report_ctx, s->imp_held[i].tag, rc, &d);
        } else {
            return rc;
        }
    }
    return HC_OK;
}

/* Hold row r (a booking or charge, its reference ref) for the next batch: HC_OK, 1 when its
 * text is too long to hold (the rows held before it are inserted), or a store error. */
static int imp_hold(struct store_sqlite *s, const struct store_import_row *r, int64_t ref)
{
    struct imp_held *h;
    const char *v[8];
    size_t need = 0, len;
    int i, n, rc;

    if (s->imp_kind == STORE_KIND_CHARGES) {
        v[0] = r->booking_no;
        v[1] = r->charge.citation;
        v[2] = r->charge.level;
        v[3] = r->charge.status;
        n = 4;
    } else {
        v[0] = r->booking.booking_no;
        v[1] = r->person_local_id;
        v[2] = r->booking.booked_at;
        v[3] = r->booking.facility;
        v[4] = r->booking.status;
        v[5] = r->booking.scheduled_release;
        v[6] = r->booking.released_at;
        v[7] = r->booking.release_reason;
        n = 8;
    }
    for (i = 0; i < n; i++)
        if (v[i] != NULL)
            need += strlen(v[i]) + 1;
    if (s->imp_textlen + need > sizeof s->imp_text || need > sizeof s->imp_text) {
        if ((rc = imp_batch_insert(s)) != HC_OK)
            return rc;
        if (need > sizeof s->imp_text)
            return 1;
    }
    h = &s->imp_held[s->imp_nheld++];
    h->tag = r->tag;
    h->ref = ref;
    h->b = s->imp_kind == STORE_KIND_CHARGES ? r->charge.magistrate_probable_cause != 0 : 0;
    for (i = 0; i < 8; i++) {
        h->f[i] = NULL;
        if (i < n && v[i] != NULL) {
            len = strlen(v[i]) + 1;
            h->f[i] = memcpy(s->imp_text + s->imp_textlen, v[i], len);
            s->imp_textlen += len;
        }
    }
    return s->imp_nheld == IMP_BATCH ? imp_batch_insert(s) : HC_OK;
}

static int sq_import_flush(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    if (s->base.depth == 0 || s->imp_kind == 0) {
        s->imp_nheld = 0; /* the import was rolled back */
        return HC_OK;
    }
    return imp_batch_insert(s);
}

/* The INSERT of each kind's rows. */
static const enum sq_insert imp_insert_of[] = {
    [STORE_KIND_PEOPLE] = SQ_INSERT_PERSON,
    [STORE_KIND_BOOKINGS] = SQ_INSERT_BOOKING,
    [STORE_KIND_CHARGES] = SQ_INSERT_CHARGE,
    [STORE_KIND_CONVICTIONS] = SQ_INSERT_CONVICTION,
};

static int sq_import_row(struct hc_store *st, const struct store_import_row *r,
                             struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    const char *ref_field = NULL, *key_field = NULL;
    sqlite3_stmt *q = NULL;
    int64_t ref = 0;
    int rc;

    if (s->base.depth == 0)
        return HC_EINVAL; /* no import begun, or it was rolled back */
    switch (s->imp_kind) {
    case STORE_KIND_BOOKINGS:
    case STORE_KIND_CONVICTIONS:
        ref = imp_ref(s, S_IMP_PERSON_ID, r->person_local_id);
        ref_field = "person_local_id";
        break;
    case STORE_KIND_CHARGES:
        ref = imp_ref(s, S_IMP_BOOKING_ID, r->booking_no);
        ref_field = "booking_no";
        if (ref > 0 && (ref < s->imp_skip_first || ref > s->imp_skip_last))
            s->imp_refs_old = 1;
        break;
    default:
        break;
    }
    if (ref > 0 && (s->imp_kind == STORE_KIND_BOOKINGS || s->imp_kind == STORE_KIND_CHARGES) &&
        (rc = imp_hold(s, r, ref)) <= 0)
        return rc; /* held (or a store error); 1: too long to hold, inserted below */
    if (ref < 0)
        return (int)ref;
    if (ref_field != NULL && ref == 0) {
        /* The rows held before this one are reported first, as they come first. */
        if ((rc = imp_batch_insert(s)) != HC_OK)
            return rc;
        hc_diag_set(d, ref_field,
                    s->imp_kind == STORE_KIND_CHARGES ? "no such booking" : "no such person",
                    NULL);
        return HC_ENOENT;
    }
    if (s->imp_kind < STORE_KIND_PEOPLE || s->imp_kind > STORE_KIND_CONVICTIONS)
        return HC_EINVAL; /* no import begun */
    if ((q = imp_insert(s, imp_insert_of[s->imp_kind])) == NULL)
        return HC_EIO;
    if (s->imp_kind == STORE_KIND_PEOPLE) {
        sq_bind_person(q, &r->person, s->imp_at);
        key_field = "local_id";
    } else if (s->imp_kind == STORE_KIND_BOOKINGS) {
        sq_bind_booking(q, ref, &r->booking);
        key_field = "booking_no";
    } else if (s->imp_kind == STORE_KIND_CHARGES) {
        sq_bind_child(q, ref, &r->charge, &sq_charge_rec);
    } else {
        sq_bind_child(q, ref, &r->conviction, &sq_conviction_rec);
    }
    if ((rc = imp_step(s, q, key_field, ref_field, d)) != HC_OK)
        return rc;

    s->imp_last = sqlite3_last_insert_rowid(s->db);
    if (s->imp_rows++ == 0)
        s->imp_first = s->imp_last;
    /* A booking too long to hold is bound by the audit entry reading it back. */
    if (s->imp_kind == STORE_KIND_BOOKINGS && s->imp_bind != NULL &&
        (rc = sq_bound_note(s, "bookings", s->imp_last, s->imp_last)) != HC_OK)
        return rc;
    switch (s->imp_kind) {
    case STORE_KIND_PEOPLE:
        imp_field(s, r->person.local_id);
        imp_field(s, r->person.name);
        imp_field(s, r->person.date_of_birth);
        imp_field(s, bool_text(r->person.registrant_290));
        break;
    case STORE_KIND_BOOKINGS:
        imp_field(s, r->booking.booking_no);
        imp_field(s, r->person_local_id);
        imp_field(s, r->booking.booked_at);
        imp_field(s, r->booking.facility);
        imp_field(s, r->booking.status);
        imp_field(s, r->booking.scheduled_release);
        imp_field(s, r->booking.released_at);
        imp_field(s, r->booking.release_reason);
        break;
    case STORE_KIND_CHARGES:
        imp_field(s, r->booking_no);
        imp_field(s, r->charge.citation);
        imp_field(s, r->charge.level);
        imp_field(s, r->charge.status);
        imp_field(s, bool_text(r->charge.magistrate_probable_cause));
        break;
    case STORE_KIND_CONVICTIONS:
        imp_field(s, r->person_local_id);
        imp_field(s, r->conviction.citation);
        imp_field(s, r->conviction.level);
        imp_field(s, r->conviction.date);
        imp_field(s, r->conviction.court);
        imp_field(s, tri_text(r->conviction.prop47_reduced));
        imp_field(s, r->conviction.federal_aggravated_felony);
        imp_field(s, r->conviction.jurisdiction);
        break;
    }
    return HC_OK;
}

/* Mark the records an import of charges or convictions changed, and unpause their row
 * triggers (sq_import_begin paused them): before the commit, in the import's transaction. */
static int imp_mark_changes(struct store_sqlite *s)
{
    sqlite3_stmt *q = NULL;
    int rc;
    if (!s->imp_marks_paused)
        return HC_OK;
    /* Charges only of bookings that need no mark (imp_skip_*) mark nothing. */
    if (s->imp_rows > 0 && s->imp_kind == STORE_KIND_CHARGES && s->imp_refs_old)
        q = stmt(s, S_IMP_MARK_CHARGES);
    else if (s->imp_rows > 0 && s->imp_kind == STORE_KIND_CONVICTIONS)
        q = stmt(s, S_IMP_MARK_CONV);
    if (q != NULL) {
        sqlite3_bind_int64(q, 1, s->imp_first);
        sqlite3_bind_int64(q, 2, s->imp_last);
        if (s->imp_kind == STORE_KIND_CHARGES) {
            sqlite3_bind_int64(q, 3, s->imp_skip_first);
            sqlite3_bind_int64(q, 4, s->imp_skip_last);
        }
        rc = sq_map_rc(s, sqlite3_step(q));
        sqlite3_reset(q);
        if (rc != HC_OK)
            return rc;
    }
    s->imp_marks_paused = 0;
    return sq_exec_sql(s, "DELETE FROM record_marks_paused");
}

static int sq_import_commit(struct hc_store *st, const char *actor, const char *source,
                                const char *format, struct store_import_summary *out)
{
    struct store_sqlite *s = sq(st);
    unsigned char hash[CHAIN_HASH_LEN];
    struct store_import_summary sum;
    json_t *pl;
    char entity[48];
    int rc;

    if (s->imp_kind == 0 || s->base.depth == 0) {
        s->imp_kind = 0;
        return HC_EINVAL;
    }
    imp_walk_end(s); /* no statement left reading at COMMIT */
    memset(&sum, 0, sizeof sum);
    rc = imp_batch_insert(s);
    if (rc == HC_OK && s->imp_refused > 0)
        rc = HC_EINVAL; /* a held row was refused: nothing of the import is committed */
    if (rc == HC_OK)
        rc = imp_mark_changes(s);
    imp_flush(s);
    crypto_generichash_final(&s->imp_hash, hash, CHAIN_HASH_LEN);
    sodium_bin2hex(sum.rows_hash, sizeof sum.rows_hash, hash, CHAIN_HASH_LEN);
    sum.rows = s->imp_rows;
    sum.first_id = s->imp_first;
    sum.last_id = s->imp_last;
    pl = rc == HC_OK ? json_object() : NULL;
    if (rc != HC_OK) {
        /* reported by imp_batch_insert */
    } else if (pl == NULL) {
        rc = HC_ENOMEM;
    } else {
        sq_jset_str(pl, "source", source);
        sq_jset_str(pl, "format", format);
        sq_jset_str(pl, "kind", kind_name(s->imp_kind));
        json_object_set_new(pl, "rows", json_integer(sum.rows));
        json_object_set_new(pl, "first_id", json_integer(sum.first_id));
        json_object_set_new(pl, "last_id", json_integer(sum.last_id));
        sq_jset_str(pl, "rows_hash", sum.rows_hash);
        snprintf(entity, sizeof entity, "import/%s", kind_name(s->imp_kind));
        /* The entry binds each imported booking by its content digest, gathered as the rows
         * were inserted (imp_bind_booking); rows read back (sq_bound_note) are added to it. */
        if (s->imp_bind != NULL) {
            rc = bound_run_end(&s->imp_bind->run, s->imp_bind->arr);
            if (rc == HC_OK && json_array_size(s->imp_bind->arr) > 0 &&
                json_object_set(pl, "bound", s->imp_bind->arr) != 0)
                rc = HC_ENOMEM;
        } else if (s->imp_kind == STORE_KIND_BOOKINGS && sum.rows > 0) {
            rc = sq_bound_note(s, "bookings", sum.first_id, sum.last_id);
        }
        if (rc == HC_OK)
            rc = sq_audit_write(s, actor, "import.commit", entity, pl);
        json_decref(pl);
    }
    if (rc == HC_OK)
        sum.audit_seq = sqlite3_last_insert_rowid(s->db);
    imp_bind_free(s);
    rc = sq_tx_leave(s, rc);
    /* The bookings created while no other connection had the file open (imp_skip_*). */
    if (rc == HC_OK && s->imp_kind == STORE_KIND_BOOKINGS && s->imp_journal_switched &&
        sum.rows > 0) {
        s->imp_new_first = sum.first_id;
        s->imp_new_last = sum.last_id;
    }
    s->imp_kind = 0;
    if (s->imp_cache_saved) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %" PRId64, s->imp_cache_prev);
        if (sq_exec_sql(s, pragma) == HC_OK)
            s->imp_cache_saved = 0;
    }
    imp_bulk_leave(s);
    if (rc == HC_OK && out != NULL)
        *out = sum;
    return rc;
}

static int sq_export_rows(struct hc_store *st, enum store_kind kind, store_export_cb cb,
                              void *ctx)
{
    static const enum stmt_id ids[] = {
        [STORE_KIND_PEOPLE] = S_EXP_PEOPLE, [STORE_KIND_BOOKINGS] = S_EXP_BOOKINGS,
        [STORE_KIND_CHARGES] = S_EXP_CHARGES, [STORE_KIND_CONVICTIONS] = S_EXP_CONV,
    };
    struct store_sqlite *s = sq(st);
    const char *v[16];
    sqlite3_stmt *q;
    int rc, step, crc = 0, n, i, own_tx = s->base.depth == 0;

    if (kind < STORE_KIND_PEOPLE || kind > STORE_KIND_CONVICTIONS)
        return HC_EINVAL;
    /* A deferred read transaction: one snapshot, and writers on other connections go on. */
    if (own_tx && (rc = sq_exec_sql(s, "BEGIN")) != HC_OK)
        return rc;
    if ((q = stmt(s, ids[kind])) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    n = sqlite3_column_count(q);
    if (n > 16)
        n = 16; /* the widest kind has 8 columns */
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        for (i = 0; i < n; i++)
            v[i] = (const char *)sqlite3_column_text(q, i);
        if ((crc = cb(ctx, v, (size_t)n)) != 0)
            break;
    }
    rc = crc != 0 ? crc : sq_map_rc(s, step);
    sqlite3_reset(q);
out:
    if (own_tx)
        sq_exec_sql(s, rc == HC_OK ? "COMMIT" : "ROLLBACK");
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Upserts: the stored rows a row is compared with, and the feed's idempotency keys            */

/* Reads the row q stands on into out (strings in a); sets *oom when a copy failed. */
typedef void (*row_reader)(sqlite3_stmt *q, struct hc_arena *a, void *out, int *oom);

/* Step q (bound) once and reset it: HC_OK with read(q, a, out, ...) having read the row,
 * HC_ENOENT when there is none, HC_ENOMEM, or a store error. */
static int one_row(struct store_sqlite *s, sqlite3_stmt *q, row_reader read, struct hc_arena *a,
                   void *out)
{
    int oom = 0, rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        read(q, a, out, &oom);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    return rc;
}

/* The booking as every booking change reads it (the columns of sqlite_records.c's
 * S_BOOKING_STATE_GET, in its order), then what may not change, in one statement: the feed
 * reads each row's booking once. */
static void read_known(sqlite3_stmt *q, struct hc_arena *a, void *out, int *oom)
{
    struct store_import_known *k = out;
    k->booking_id = sqlite3_column_int64(q, 0);
    k->state.booking_no = sq_col_dup(a, q, 1, oom);
    k->state.facility = sq_col_dup(a, q, 2, oom);
    k->state.status = sq_col_dup(a, q, 3, oom);
    k->state.scheduled_release = sq_col_dup(a, q, 4, oom);
    k->state.released_at = sq_col_dup(a, q, 5, oom);
    k->state.release_reason = sq_col_dup(a, q, 6, oom);
    k->state.has_bail = sqlite3_column_type(q, 7) != SQLITE_NULL;
    k->state.bail = sqlite3_column_int64(q, 7);
    k->state.next_court_date = sq_col_dup(a, q, 8, oom);
    k->booked_at = sq_col_dup(a, q, 9, oom);
    k->person_local_id = sq_col_dup(a, q, 10, oom);
}

static int sq_import_booking_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                                 struct store_import_known *out)
{
    struct store_sqlite *s = sq(st);
    struct store_import_known k;
    static const char sql[] = "SELECT b.id, b.booking_no, b.facility, b.status,"
                              " b.scheduled_release, b.released_at, b.release_reason, b.bail,"
                              " b.next_court_date, b.booked_at, p.local_id FROM bookings b"
                              " JOIN people p ON p.id = b.person_id WHERE b.booking_no = ?";
    sqlite3_stmt *q;
    int rc;

    if ((q = sq_xstmt(s, SQ_X_IMPORT + S_UPS_BOOKING, sql)) == NULL)
        return HC_EIO;
    memset(&k, 0, sizeof k);
    sq_bind_str(q, 1, booking_no);
    if ((rc = one_row(s, q, read_known, a, &k)) == HC_OK)
        *out = k;
    return rc;
}

static void read_person(sqlite3_stmt *q, struct hc_arena *a, void *out, int *oom)
{
    struct store_import_person *p = out;
    p->person.id = sqlite3_column_int64(q, 0);
    p->person.name = sq_col_dup(a, q, 1, oom);
    p->person.date_of_birth = sq_col_dup(a, q, 2, oom);
    p->person.registrant_290 = sqlite3_column_int(q, 3);
    p->bookings = sqlite3_column_int64(q, 4);
    p->last_booking_id = sqlite3_column_int64(q, 5);
}

static int sq_import_person_get(struct hc_store *st, const char *local_id, struct hc_arena *a,
                                struct store_import_person *out)
{
    struct store_sqlite *s = sq(st);
    /* The person's bookings tell a re-booking, and whose subscribers hear of it. */
    static const char sql[] = "SELECT p.id, p.name, p.date_of_birth, p.registrant_290,"
                              " (SELECT count(*) FROM bookings b WHERE b.person_id = p.id),"
                              " (SELECT ifnull(max(id), 0) FROM bookings b"
                              " WHERE b.person_id = p.id)"
                              " FROM people p WHERE p.local_id = ?";
    struct store_import_person p;
    sqlite3_stmt *q = sq_xstmt(s, SQ_X_IMPORT + S_UPS_PERSON, sql);
    int rc;

    if (q == NULL)
        return HC_EIO;
    memset(&p, 0, sizeof p);
    sq_bind_str(q, 1, local_id);
    p.person.local_id = local_id;
    if ((rc = one_row(s, q, read_person, a, &p)) == HC_OK)
        *out = p;
    return rc;
}

static int sq_import_commit_plain(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    int rc = HC_OK;

    if (s->imp_kind == 0 || s->base.depth == 0 || s->imp_rows > 0 || s->imp_nheld > 0)
        rc = HC_EINVAL;
    imp_walk_end(s);
    s->imp_kind = 0;
    if (s->base.depth > 0)
        rc = sq_tx_leave(s, rc);
    imp_bulk_leave(s);
    return rc;
}

/* The idempotency keys live in feed_keys (migration 8); these run once per push, so their
 * statements are prepared per call rather than given slots. */
static void read_key(sqlite3_stmt *q, struct hc_arena *a, void *out, int *oom)
{
    struct store_feed_key *k = out;
    k->body_hash = sq_col_dup(a, q, 0, oom);
    k->status = sqlite3_column_int(q, 1);
    k->answer = sq_col_dup(a, q, 2, oom);
}

static int sq_feed_key_get(struct hc_store *st, const char *key, struct hc_arena *a,
                           struct store_feed_key *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = NULL;
    struct store_feed_key k;
    int rc;

    if (sqlite3_prepare_v2(s->db, "SELECT body_hash, status, answer FROM feed_keys WHERE key = ?",
                           -1, &q, NULL) != SQLITE_OK)
        return sq_map_rc(s, sqlite3_errcode(s->db));
    memset(&k, 0, sizeof k);
    sq_bind_str(q, 1, key);
    rc = one_row(s, q, read_key, a, &k);
    sqlite3_finalize(q);
    if (rc == HC_OK)
        *out = k;
    return rc;
}

static int sq_feed_key_put(struct hc_store *st, const char *key, const struct store_feed_key *k)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = NULL;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    if (sqlite3_prepare_v2(s->db, "INSERT INTO feed_keys (key, body_hash, status, answer,"
                           " created_at) VALUES (?, ?, ?, ?, ?)", -1, &q, NULL) != SQLITE_OK)
        return sq_map_rc(s, sqlite3_errcode(s->db));
    sq_now_utc(at);
    sq_bind_str(q, 1, key);
    sq_bind_str(q, 2, k->body_hash);
    sqlite3_bind_int(q, 3, k->status);
    sq_bind_str(q, 4, k->answer);
    sq_bind_str(q, 5, at);
    rc = sqlite3_step(q);
    rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
    sqlite3_finalize(q);
    return rc;
}

void sq_import_walk_end(struct store_sqlite *s)
{
    imp_walk_end(s);
}

void sq_import_bulk_leave(struct store_sqlite *s)
{
    imp_bulk_leave(s);
}

const struct store_import_ops sq_import_ops = {
    STORE_IMPORT_OPS(SQ_OP)
};

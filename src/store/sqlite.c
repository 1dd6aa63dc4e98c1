/* SPDX-License-Identifier: MIT
 * sqlite.c: the SQLite backend of store.h. One struct store_sqlite is one connection with its own
 * prepared statements; use it from one thread. Every write goes through tx_enter/sq_tx_leave and
 * appends its audit_log entry inside the same BEGIN IMMEDIATE transaction, so a write and its
 * audit entry commit together or not at all. */
#include <inttypes.h>
#include <sqlite3.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sqlite_int.h"


/* ------------------------------------------------------------------------------------------ */
/* Prepared statements, kept for the life of the connection.                                  */


static const char *const stmt_sql[S_COUNT] = {
    [S_AUDIT_HEAD] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_INSERT] = "INSERT INTO audit_log (seq, at, actor, action, entity, payload, prev_hash,"
                       " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_AUDIT_ALL] = "SELECT seq, at, actor, action, entity, payload, prev_hash, hash"
                    " FROM audit_log ORDER BY seq",
    [S_PERSON_INSERT] = "INSERT INTO people (name, date_of_birth, local_id, registrant_290,"
                        " created_at, name_key) VALUES (?, ?, ?, ?, ?, ?)",
    [S_CONV_INSERT] = "INSERT INTO convictions (person_id, citation, level, date, court,"
                      " prop47_reduced, federal_aggravated_felony, jurisdiction)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_BOOKING_INSERT] = "INSERT INTO bookings (booking_no, person_id, booked_at, facility, status,"
                         " scheduled_release, released_at, release_reason)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_CHARGE_INSERT] = "INSERT INTO charges (booking_id, citation, level, status,"
                        " magistrate_probable_cause) VALUES (?, ?, ?, ?, ?)",
    /* The booking and its person in one statement (the foreign key guarantees the person). */
    [S_BOOKING_BY_NO] = "SELECT b.id, b.booking_no, b.person_id, b.booked_at, b.facility,"
                        " b.status, b.scheduled_release, b.released_at, b.release_reason,"
                        " p.id, p.name, p.date_of_birth, p.local_id, p.registrant_290,"
                        " EXISTS (SELECT 1 FROM convictions WHERE person_id = p.id),"
                        " EXISTS (SELECT 1 FROM immigration_requests WHERE booking_id = b.id)"
                        " FROM bookings b JOIN people p ON p.id = b.person_id"
                        " WHERE b.booking_no = ?",
    [S_CONV_BY_PERSON] = "SELECT citation, level, date, court, prop47_reduced,"
                         " federal_aggravated_felony, jurisdiction, id"
                         " FROM convictions WHERE person_id = ? ORDER BY id",
    [S_CHARGES_BY_BOOKING] = "SELECT citation, level, status, magistrate_probable_cause, id"
                             " FROM charges WHERE booking_id = ? ORDER BY id",
    [S_REQ_BY_BOOKING] = "SELECT r.id, r.type, r.form, r.received_at, r.issuing_office,"
                         " r.judicial_warrant, r.judicial_probable_cause, r.federal_felony_warrant,"
                         " d.outcome, d.decision_json FROM immigration_requests r"
                         " LEFT JOIN decisions d ON d.id ="
                         "   (SELECT max(id) FROM decisions WHERE request_id = r.id)"
                         " WHERE r.booking_id = ? ORDER BY r.id",
    [S_BOOKING_COUNT] = "SELECT count(*) FROM bookings",
    [S_AGENCY_GET] = "SELECT release_dates_public, personal_info_public, policy_json"
                     " FROM agency_settings WHERE id = 1",
    [S_AGENCY_SET] = "UPDATE agency_settings SET release_dates_public = ?,"
                     " personal_info_public = ?, policy_json = ?, updated_at = ? WHERE id = 1",
    [S_REQ_INSERT] = "INSERT INTO immigration_requests (booking_id, type, form, received_at,"
                     " issuing_office, judicial_warrant, judicial_probable_cause,"
                     " federal_felony_warrant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_DEC_INSERT] = "INSERT INTO decisions (request_id, version, outcome, ruleset, case_json,"
                     " decision_json, decided_at, decided_by) VALUES (?1,"
                     " (SELECT coalesce(max(version), 0) + 1 FROM decisions WHERE request_id = ?1),"
                     " ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_PING] = "SELECT 1",
    [S_USER_INSERT] = "INSERT INTO users (name, role, password_hash, created_at, disabled)"
                      " VALUES (?, ?, ?, ?, ?)",
    [S_USER_BY_NAME] = "SELECT id, name, role, password_hash, created_at, disabled FROM users"
                       " WHERE name = ?",
    [S_USER_ALL] = "SELECT id, name, role, NULL, created_at, disabled FROM users ORDER BY name",
    [S_USER_DISABLE] = "UPDATE users SET disabled = 1 WHERE name = ?",
    [S_TOKEN_INSERT] = "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
    [S_TOKEN_USER] = "SELECT u.id, u.name, u.role, NULL, u.created_at, u.disabled, t.id,"
                     " t.last_used FROM api_tokens t JOIN users u ON u.id = t.user_id"
                     " WHERE t.token_hash = ? AND u.disabled = 0",
    [S_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used = ? WHERE id = ?",
    [S_SESSION_INSERT] = "INSERT INTO sessions (id_hash, user_id, created_at, expires_at)"
                         " VALUES (?, ?, ?, ?)",
    [S_SESSION_USER] = "SELECT u.id, u.name, u.role, NULL, u.created_at, u.disabled"
                       " FROM sessions s JOIN users u ON u.id = s.user_id"
                       " WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0",
    [S_SESSION_DELETE] = "DELETE FROM sessions WHERE id_hash = ? OR expires_at <= ?",
    [S_USER_ID] = "SELECT id FROM users WHERE name = ?",
    [S_BOOKING_ID] = "SELECT id FROM bookings WHERE booking_no = ?",
    [S_PERSON_ID] = "SELECT id FROM people WHERE id = ?",
    [S_USER_SET_PASSWORD] = "UPDATE users SET password_hash = ? WHERE id = ?",
    [S_TOKENS_OF_USER_DELETE] = "DELETE FROM api_tokens WHERE user_id = ?",
    [S_SESSIONS_OF_USER_DELETE] = "DELETE FROM sessions WHERE user_id = ?",
    [S_REQ_BY_ID] = "SELECT r.id, r.type, r.form, r.received_at, r.issuing_office,"
                    " r.judicial_warrant, r.judicial_probable_cause, r.federal_felony_warrant,"
                    " d.outcome, d.decision_json, b.booking_no FROM immigration_requests r"
                    " JOIN bookings b ON b.id = r.booking_id"
                    " LEFT JOIN decisions d ON d.id ="
                    "   (SELECT max(id) FROM decisions WHERE request_id = r.id)"
                    " WHERE r.id = ?",
    [S_DEC_BY_REQ] = "SELECT id, version, outcome, ruleset, case_json, decision_json, decided_at,"
                     " decided_by FROM decisions WHERE request_id = ? ORDER BY version",
    [S_OVR_BY_REQ] = "SELECT id, request_id, decision_id, outcome, reason, created_at,"
                     " created_by FROM overrides WHERE request_id = ? ORDER BY id",
    [S_OVR_INSERT] = "INSERT INTO overrides (request_id, decision_id, outcome, reason,"
                     " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
    [S_REQ_LIST] = "SELECT r.id, r.type, r.form, r.received_at, r.issuing_office,"
                   " r.judicial_warrant, r.judicial_probable_cause, r.federal_felony_warrant,"
                   " d.outcome, b.booking_no,"
                   " (SELECT count(*) FROM decisions WHERE request_id = r.id),"
                   " (SELECT count(*) FROM overrides WHERE request_id = r.id)"
                   " FROM immigration_requests r JOIN bookings b ON b.id = r.booking_id"
                   " LEFT JOIN decisions d ON d.id ="
                   "   (SELECT max(id) FROM decisions WHERE request_id = r.id)"
                   " WHERE r.id > ?1 AND (?2 IS NULL OR r.type = ?2)"
                   " AND (?3 IS NULL OR d.outcome = ?3)"
                   " AND (?4 IS NULL OR substr(r.received_at, 1, 10) >= ?4)"
                   " AND (?5 IS NULL OR substr(r.received_at, 1, 10) <= ?5)"
                   " AND (?6 IS NULL OR b.booking_no = ?6)"
                   " ORDER BY r.id LIMIT ?7 OFFSET ?8",
    [S_AUDIT_LIST] = "SELECT seq, at, actor, action, entity, payload, hash FROM audit_log"
                     " WHERE seq > ? ORDER BY seq LIMIT ?",
    [S_DEC_CHECK] = "SELECT count(*) FROM decisions WHERE id = ? AND request_id = ?",
    [S_READ_BEGIN] = "BEGIN DEFERRED",
    [S_READ_END] = "COMMIT",
    [S_DATA_VERSION] = "PRAGMA data_version",
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
};

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
        fprintf(stderr, "holdcheck: sqlite: %s\n", sqlite3_errmsg(s->db));
        return HC_EIO;
    }
}

/* *slot, prepared from sql on first use, reset and with no bindings. NULL on failure. */
static sqlite3_stmt *prepared(struct store_sqlite *s, sqlite3_stmt **slot, const char *sql)
{
    sqlite3_stmt *q = *slot;
    if (q == NULL) {
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
            fprintf(stderr, "holdcheck: sqlite: prepare: %s\n", sqlite3_errmsg(s->db));
            return NULL;
        }
        *slot = q;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return q;
}

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
    return prepared(s, &s->stmt[id], stmt_sql[id]);
}

sqlite3_stmt *sq_stmt(struct store_sqlite *s, enum stmt_id id)
{
    return stmt(s, id);
}

/* Step q (bound by the caller) for one id in column 0 into *id: HC_OK, HC_ENOENT when there is
 * no row, or a store error. q is reset. */
static int one_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t *id)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    rc = rc == SQLITE_ROW ? HC_OK : rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    sqlite3_reset(q);
    return rc;
}

int sq_booking_id(struct store_sqlite *s, const char *booking_no, int64_t *id)
{
    sqlite3_stmt *q = stmt(s, S_BOOKING_ID);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, booking_no);
    return one_id(s, q, id);
}

int sq_person_exists(struct store_sqlite *s, int64_t person_id)
{
    sqlite3_stmt *q = stmt(s, S_PERSON_ID);
    int64_t id;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, person_id);
    return one_id(s, q, &id);
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
    rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
    sqlite3_reset(q);
    return rc;
}

int sq_exec_sql(struct store_sqlite *s, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "holdcheck: sqlite: %s\n", err ? err : sqlite3_errstr(rc));
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

/* Make room for one more element of size sz in the arena array *arr holding n of cap. */
void sq_now_utc(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ------------------------------------------------------------------------------------------ */
/* Transactions                                                                               */

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
static void imp_bulk_enter(struct store_sqlite *s)
{
    sqlite3_stmt *q = NULL;
    if (!s->imp_journal_switched &&
        sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = DELETE", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL &&
        strcmp((const char *)sqlite3_column_text(q, 0), "delete") == 0)
        s->imp_journal_switched = 1;
    sqlite3_finalize(q);
    if (!s->imp_fk_off && sq_exec_sql(s, "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY")
                              == HC_OK)
        s->imp_fk_off = 1;
}

/* Leave bulk mode once the import's transaction has ended (committed or rolled back). */
static void imp_bulk_leave(struct store_sqlite *s)
{
    if (!sqlite3_get_autocommit(s->db))
        return;
    if (s->imp_fk_off && sq_exec_sql(s, "PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT")
                             == HC_OK)
        s->imp_fk_off = 0;
    if (s->imp_journal_switched && sq_exec_sql(s, "PRAGMA journal_mode = WAL") == HC_OK)
        s->imp_journal_switched = 0;
}

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
    if (s->depth == 0) {
        int rc;
        s->wq_held = sq_writers_acquire(s->wq, SQ_BUSY_MS);
        rc = sq_exec_sql(s, "BEGIN IMMEDIATE");
        if (rc != HC_OK) {
            turn_end(s);
            return rc;
        }
    }
    s->depth++;
    return HC_OK;
}

int sq_commit(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    int rc;
    if (s->depth == 0)
        return HC_EINVAL; /* rolled back by a failed call, or never begun */
    if (--s->depth > 0)
        return HC_OK;
    rc = sq_exec_sql(s, "COMMIT");
    if (rc != HC_OK && !sqlite3_get_autocommit(s->db))
        sq_exec_sql(s, "ROLLBACK");
    turn_end(s);
    return rc;
}

static void imp_walk_end(struct store_sqlite *s);

void sq_rollback(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    /* An import's key walk (imp_ref) leaves a statement reading; end it, or the return to WAL
     * below fails and the file stays in the bulk import's rollback-journal mode. */
    imp_walk_end(s);
    if (s->depth > 0 && !sqlite3_get_autocommit(s->db))
        sq_exec_sql(s, "ROLLBACK");
    s->depth = 0;
    turn_end(s);
    imp_bulk_leave(s);
}

/* Write now into the last_used of api_tokens row id. Best effort: a busy database must not
 * refuse a valid token. */
static void token_touch(struct store_sqlite *s, int64_t id)
{
    sqlite3_stmt *q = stmt(s, S_TOKEN_TOUCH);
    char now[21];
    if (q == NULL)
        return;
    sq_now_utc(now);
    sq_bind_str(q, 1, now);
    sqlite3_bind_int64(q, 2, id);
    sq_exec_stmt(s, q);
}

/* Read transactions: prepared BEGIN DEFERRED and COMMIT, so a GET pays for one WAL read lock
 * and no parsing. Inside a write transaction they do nothing. */
/* PRAGMA data_version moves when another connection (of this process or another) commits;
 * sqlite3_total_changes64 when this one writes a row. Both only grow, so the sum below changes
 * whenever either does (it would wrap after 2^32 commits). */
static int sqlite_version(struct hc_store *st, uint64_t *v)
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

static int sqlite_read_begin(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    if (s->depth > 0 || s->reading)
        return HC_OK;
    if ((q = stmt(s, S_READ_BEGIN)) == NULL)
        return HC_EIO;
    if (sq_exec_stmt(s, q) != HC_OK)
        return HC_EIO;
    s->reading = 1;
    return HC_OK;
}

static void sqlite_read_end(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t touch = s->touch_token;
    if (!s->reading)
        return;
    s->reading = 0;
    s->touch_token = 0;
    /* A failed statement may have ended the transaction already. */
    if (!sqlite3_get_autocommit(s->db) &&
        ((q = stmt(s, S_READ_END)) == NULL || sq_exec_stmt(s, q) != HC_OK) &&
        !sqlite3_get_autocommit(s->db))
        sq_exec_sql(s, "ROLLBACK");
    if (touch != 0)
        token_touch(s, touch);
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
/* Audit chain                                                                                */

#define HASH_LEN crypto_generichash_BYTES /* 32: BLAKE2b-256 */

static void hash_field(crypto_generichash_state *h, const char *v, size_t n)
{
    unsigned char len[8];
    int i;
    for (i = 0; i < 8; i++)
        len[i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)v, n);
}

/* hash = BLAKE2b-256(prev || canonical entry), where the canonical entry is seq (decimal), at,
 * actor, action, entity and payload, each as an 8-byte big-endian length and its bytes. */
static void audit_hash(const unsigned char prev[HASH_LEN], int64_t seq, const char *at,
                       const char *actor, const char *action, const char *entity,
                       const char *payload, size_t payload_len, unsigned char out[HASH_LEN])
{
    crypto_generichash_state h;
    char num[24];
    int n = snprintf(num, sizeof num, "%" PRId64, seq);
    crypto_generichash_init(&h, NULL, 0, HASH_LEN);
    crypto_generichash_update(&h, prev, HASH_LEN);
    hash_field(&h, num, (size_t)n);
    hash_field(&h, at, strlen(at));
    hash_field(&h, actor, strlen(actor));
    hash_field(&h, action, strlen(action));
    hash_field(&h, entity, strlen(entity));
    hash_field(&h, payload, payload_len);
    crypto_generichash_final(&h, out, HASH_LEN);
}

/* Append one entry after the current head. Must run inside the write's transaction. */
int sq_audit_append(struct store_sqlite *s, const char *actor, const char *action,
                        const char *entity, json_t *payload)
{
    unsigned char prev[HASH_LEN] = {0}, hash[HASH_LEN];
    char prev_hex[2 * HASH_LEN + 1], hash_hex[2 * HASH_LEN + 1], at[21];
    char *text = NULL;
    int64_t seq = 1;
    sqlite3_stmt *q;
    int rc = HC_EIO;

    if ((q = stmt(s, S_AUDIT_HEAD)) == NULL)
        goto out;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(q, 1);
        seq = sqlite3_column_int64(q, 0) + 1;
        if (h == NULL || sodium_hex2bin(prev, HASH_LEN, h, strlen(h), NULL, NULL, NULL) != 0) {
            sqlite3_reset(q);
            rc = HC_EIO; /* a broken head: refuse to extend a chain that cannot verify */
            fprintf(stderr, "holdcheck: audit head at seq %" PRId64 " is unreadable\n", seq - 1);
            goto out;
        }
    } else if (rc != SQLITE_DONE) {
        rc = sq_map_rc(s, rc);
        goto out;
    }
    sqlite3_reset(q);
    text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (text == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    sq_now_utc(at);
    audit_hash(prev, seq, at, actor, action, entity, text, strlen(text), hash);
    sodium_bin2hex(prev_hex, sizeof prev_hex, prev, HASH_LEN);
    sodium_bin2hex(hash_hex, sizeof hash_hex, hash, HASH_LEN);
    rc = HC_EIO;
    if ((q = stmt(s, S_AUDIT_INSERT)) == NULL)
        goto out;
    sqlite3_bind_int64(q, 1, seq);
    sq_bind_str(q, 2, at);
    sq_bind_str(q, 3, actor);
    sq_bind_str(q, 4, action);
    sq_bind_str(q, 5, entity);
    sq_bind_str(q, 6, text);
    sq_bind_str(q, 7, prev_hex);
    sq_bind_str(q, 8, hash_hex);
    rc = sq_exec_stmt(s, q);
out:
    free(text);
    return rc;
}

static int sqlite_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    struct store_sqlite *s = sq(st);
    unsigned char prev[HASH_LEN] = {0}, hash[HASH_LEN];
    char hex[2 * HASH_LEN + 1];
    int64_t expect = 1;
    sqlite3_stmt *q;
    int rc;

    memset(rep, 0, sizeof *rep);
    if ((q = stmt(s, S_AUDIT_ALL)) == NULL)
        return HC_EIO;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(q, 0);
        const char *col[7];
        int i;
        for (i = 1; i < 8; i++)
            col[i - 1] = (const char *)sqlite3_column_text(q, i);
        rep->entries++;
        if (seq != expect) {
            rep->bad_seq = expect;
            snprintf(rep->reason, sizeof rep->reason,
                     seq > expect ? "entry missing (next present is %" PRId64 ")"
                                  : "out of sequence (found %" PRId64 ")", seq);
            break;
        }
        sodium_bin2hex(hex, sizeof hex, prev, HASH_LEN);
        if (col[5] == NULL || strcmp(col[5], hex) != 0) {
            rep->bad_seq = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "prev_hash does not match the previous entry");
            break;
        }
        if (col[0] == NULL || col[1] == NULL || col[2] == NULL || col[3] == NULL ||
            col[4] == NULL || col[6] == NULL) {
            rep->bad_seq = seq;
            snprintf(rep->reason, sizeof rep->reason, "entry has NULL fields");
            break;
        }
        audit_hash(prev, seq, col[0], col[1], col[2], col[3], col[4],
                   (size_t)sqlite3_column_bytes(q, 5), hash);
        sodium_bin2hex(hex, sizeof hex, hash, HASH_LEN);
        if (strcmp(col[6], hex) != 0) {
            rep->bad_seq = seq;
            snprintf(rep->reason, sizeof rep->reason, "hash does not match the entry's contents");
            break;
        }
        memcpy(prev, hash, HASH_LEN);
        memcpy(rep->head, hex, sizeof rep->head);
        expect++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rc = sq_map_rc(s, rc);
        sqlite3_reset(q);
        return rc;
    }
    sqlite3_reset(q);
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Writes                                                                                     */

void sq_jset_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

void sq_jset_tri(json_t *o, const char *k, int v)
{
    json_object_set_new(o, k, v < 0 ? json_null() : json_boolean(v));
}

int sq_differ(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a != b;
    return strcmp(a, b) != 0;
}

void sq_change_str(json_t *changes, const char *key, const char *from, const char *to)
{
    json_t *c;
    if (!sq_differ(from, to))
        return;
    c = json_object();
    sq_jset_str(c, "from", from);
    sq_jset_str(c, "to", to);
    json_object_set_new(changes, key, c);
}

void sq_change_tri(json_t *changes, const char *key, int from, int to)
{
    json_t *c;
    if (from == to)
        return;
    c = json_object();
    sq_jset_tri(c, "from", from);
    sq_jset_tri(c, "to", to);
    json_object_set_new(changes, key, c);
}

void sq_jset_conviction(json_t *o, const struct store_conviction *c)
{
    sq_jset_str(o, "citation", c->citation);
    sq_jset_str(o, "level", c->level);
    sq_jset_str(o, "date", c->date);
    sq_jset_str(o, "court", c->court);
    sq_jset_tri(o, "prop47_reduced", c->prop47_reduced);
    sq_jset_str(o, "federal_aggravated_felony", c->federal_aggravated_felony);
    sq_jset_str(o, "jurisdiction", c->jurisdiction);
}

void sq_jset_charge(json_t *o, const struct store_charge *c)
{
    sq_jset_str(o, "citation", c->citation);
    sq_jset_str(o, "level", c->level);
    sq_jset_str(o, "status", c->status);
    json_object_set_new(o, "magistrate_probable_cause", json_boolean(c->magistrate_probable_cause));
}

void sq_bind_conviction(sqlite3_stmt *q, int64_t person_id, const struct store_conviction *c)
{
    sqlite3_bind_int64(q, 1, person_id);
    sq_bind_str(q, 2, c->citation);
    sq_bind_str(q, 3, c->level);
    sq_bind_str(q, 4, c->date);
    sq_bind_str(q, 5, c->court);
    sq_bind_tri(q, 6, c->prop47_reduced);
    sq_bind_str(q, 7, c->federal_aggravated_felony);
    sq_bind_str(q, 8, c->jurisdiction);
}

void sq_bind_charge(sqlite3_stmt *q, int64_t booking_id, const struct store_charge *c)
{
    sqlite3_bind_int64(q, 1, booking_id);
    sq_bind_str(q, 2, c->citation);
    sq_bind_str(q, 3, c->level);
    sq_bind_str(q, 4, c->status);
    sqlite3_bind_int(q, 5, c->magistrate_probable_cause != 0);
}

static int insert_person(struct store_sqlite *s, const struct store_booking_new *b,
                         int64_t *id, json_t *pl, struct hc_diag *d)
{
    const struct store_person *p = &b->person;
    json_t *jp = json_object(), *jc = json_array();
    sqlite3_stmt *q;
    char at[21];
    size_t i;
    int rc = HC_EIO;

    json_object_set_new(pl, "person", jp);
    json_object_set_new(pl, "convictions", jc);
    if ((q = stmt(s, S_PERSON_INSERT)) == NULL)
        return HC_EIO;
    sq_now_utc(at);
    sq_bind_str(q, 1, p->name);
    sq_bind_str(q, 2, p->date_of_birth);
    sq_bind_str(q, 3, p->local_id);
    sqlite3_bind_int(q, 4, p->registrant_290 != 0);
    sq_bind_str(q, 5, at);
    sq_bind_namekey(q, 6, p->name); /* issue 4: the public search key */
    rc = sq_exec_stmt(s, q);
    if (rc == STORE_ECONFLICT)
        hc_diag_set(d, "person.local_id", "a person with this local_id already exists", NULL);
    else if (rc == HC_EINVAL)
        hc_diag_set(d, "person", "the database refused the person", NULL);
    if (rc != HC_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(s->db);
    json_object_set_new(jp, "id", json_integer(*id));
    sq_jset_str(jp, "name", p->name);
    sq_jset_str(jp, "date_of_birth", p->date_of_birth);
    sq_jset_str(jp, "local_id", p->local_id);
    json_object_set_new(jp, "registrant_290", json_boolean(p->registrant_290));

    for (i = 0; i < b->nconv; i++) {
        const struct store_conviction *c = &b->conv[i];
        json_t *o = json_object();
        json_array_append_new(jc, o);
        if ((q = stmt(s, S_CONV_INSERT)) == NULL)
            return HC_EIO;
        sq_bind_conviction(q, *id, c);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK) {
            char f[48];
            snprintf(f, sizeof f, "person.convictions[%zu]", i);
            hc_diag_set(d, f, "the database refused the conviction", NULL);
            return rc;
        }
        json_object_set_new(o, "id", json_integer(sqlite3_last_insert_rowid(s->db)));
        sq_jset_conviction(o, c);
    }
    return HC_OK;
}

static int insert_booking(struct store_sqlite *s, const struct store_booking_new *nb,
                          int64_t person_id, int64_t *id, json_t *pl, struct hc_diag *d)
{
    const struct store_booking *b = &nb->booking;
    json_t *jb = json_object(), *jc = json_array();
    sqlite3_stmt *q;
    size_t i;
    int rc;

    json_object_set_new(pl, "booking", jb);
    json_object_set_new(pl, "charges", jc);
    if ((q = stmt(s, S_BOOKING_INSERT)) == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, b->booking_no);
    sqlite3_bind_int64(q, 2, person_id);
    sq_bind_str(q, 3, b->booked_at);
    sq_bind_str(q, 4, b->facility);
    sq_bind_str(q, 5, b->status);
    sq_bind_str(q, 6, b->scheduled_release);
    sq_bind_str(q, 7, b->released_at);
    sq_bind_str(q, 8, b->release_reason);
    rc = sq_exec_stmt(s, q);
    if (rc == STORE_ECONFLICT)
        hc_diag_set(d, "booking_no", "a booking with this number already exists", NULL);
    else if (rc == HC_ENOENT)
        hc_diag_set(d, "person_id", "no such person", NULL);
    else if (rc == HC_EINVAL)
        hc_diag_set(d, "", "the database refused the booking", NULL);
    if (rc != HC_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(s->db);
    json_object_set_new(jb, "id", json_integer(*id));
    sq_jset_str(jb, "booking_no", b->booking_no);
    json_object_set_new(jb, "person_id", json_integer(person_id));
    sq_jset_str(jb, "booked_at", b->booked_at);
    sq_jset_str(jb, "facility", b->facility);
    sq_jset_str(jb, "status", b->status);
    sq_jset_str(jb, "scheduled_release", b->scheduled_release);
    sq_jset_str(jb, "released_at", b->released_at);
    sq_jset_str(jb, "release_reason", b->release_reason);

    for (i = 0; i < nb->ncharges; i++) {
        const struct store_charge *c = &nb->charges[i];
        json_t *o = json_object();
        json_array_append_new(jc, o);
        if ((q = stmt(s, S_CHARGE_INSERT)) == NULL)
            return HC_EIO;
        sq_bind_charge(q, *id, c);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK) {
            char f[48];
            snprintf(f, sizeof f, "charges[%zu]", i);
            hc_diag_set(d, f, "the database refused the charge", NULL);
            return rc;
        }
        json_object_set_new(o, "id", json_integer(sqlite3_last_insert_rowid(s->db)));
        sq_jset_charge(o, c);
    }
    return HC_OK;
}

static int sqlite_booking_add(struct hc_store *st, const struct store_booking_new *b,
                              const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    int64_t person_id = b->booking.person_id, id = 0;
    json_t *pl = json_object();
    char entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    if (person_id == 0)
        rc = insert_person(s, b, &person_id, pl, d);
    if (rc == HC_OK)
        rc = insert_booking(s, b, person_id, &id, pl, d);
    if (rc == HC_OK) {
        snprintf(entity, sizeof entity, "booking/%" PRId64, id);
        rc = sq_audit_append(s, actor, "booking.create", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *booking_id = id;
out:
    json_decref(pl);
    return rc;
}

static int sqlite_request_add(struct hc_store *st, int64_t booking_id,
                              const struct store_request *rq, const char *actor,
                              int64_t *request_id)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    int64_t id = 0;
    char entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    if ((q = stmt(s, S_REQ_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        sqlite3_bind_int64(q, 1, booking_id);
        sq_bind_str(q, 2, rq->type);
        sq_bind_str(q, 3, rq->form);
        sq_bind_str(q, 4, rq->received_at);
        sq_bind_str(q, 5, rq->issuing_office);
        sqlite3_bind_int(q, 6, rq->judicial_warrant != 0);
        sqlite3_bind_int(q, 7, rq->judicial_probable_cause != 0);
        sqlite3_bind_int(q, 8, rq->federal_felony_warrant != 0);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        id = sqlite3_last_insert_rowid(s->db);
        json_object_set_new(pl, "id", json_integer(id));
        json_object_set_new(pl, "booking_id", json_integer(booking_id));
        sq_jset_str(pl, "type", rq->type);
        sq_jset_str(pl, "form", rq->form);
        sq_jset_str(pl, "received_at", rq->received_at);
        sq_jset_str(pl, "issuing_office", rq->issuing_office);
        json_object_set_new(pl, "judicial_warrant", json_boolean(rq->judicial_warrant));
        json_object_set_new(pl, "judicial_probable_cause",
                            json_boolean(rq->judicial_probable_cause));
        json_object_set_new(pl, "federal_felony_warrant", json_boolean(rq->federal_felony_warrant));
        snprintf(entity, sizeof entity, "request/%" PRId64, id);
        rc = sq_audit_append(s, actor, "request.receive", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *request_id = id;
out:
    json_decref(pl);
    return rc;
}

/* The version number of decision id (0 when unreadable); for the audit payload. */
static int64_t decision_version(struct store_sqlite *s, int64_t id)
{
    sqlite3_stmt *q = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT version FROM decisions WHERE id = ?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    return v;
}

static int sqlite_decision_add(struct hc_store *st, const struct store_decision *dec,
                               int64_t *decision_id)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object(), *jd = NULL, *jc = NULL;
    sqlite3_stmt *q;
    int64_t id = 0;
    char entity[48], at[21];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    /* The audit entry holds the decision and the case it was made on as JSON values, so the
     * chain alone shows what was decided and why. */
    jd = json_loads(dec->decision_json, 0, NULL);
    jc = json_loads(dec->case_json, 0, NULL);
    if (jd == NULL || jc == NULL) {
        rc = HC_EINVAL;
        goto out;
    }
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, S_DEC_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        sqlite3_bind_int64(q, 1, dec->request_id);
        sq_bind_str(q, 2, dec->outcome);
        sq_bind_str(q, 3, dec->ruleset);
        sq_bind_str(q, 4, dec->case_json);
        sq_bind_str(q, 5, dec->decision_json);
        sq_bind_str(q, 6, at);
        sq_bind_str(q, 7, dec->decided_by);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        id = sqlite3_last_insert_rowid(s->db);
        json_object_set_new(pl, "id", json_integer(id));
        json_object_set_new(pl, "request_id", json_integer(dec->request_id));
        json_object_set_new(pl, "version", json_integer(decision_version(s, id)));
        sq_jset_str(pl, "outcome", dec->outcome);
        sq_jset_str(pl, "ruleset", dec->ruleset);
        sq_jset_str(pl, "decided_at", at);
        json_object_set(pl, "case", jc);
        json_object_set(pl, "decision", jd);
        snprintf(entity, sizeof entity, "decision/%" PRId64, id);
        rc = sq_audit_append(s, dec->decided_by, "decision.record", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *decision_id = id;
out:
    json_decref(jd);
    json_decref(jc);
    json_decref(pl);
    return rc;
}

static int sqlite_agency_set(struct hc_store *st, const struct store_agency *ag, const char *actor)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object(), *jp = NULL;
    sqlite3_stmt *q;
    char at[21];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    jp = json_loads(ag->policy_json ? ag->policy_json : "{}", 0, NULL);
    if (!json_is_object(jp)) {
        rc = HC_EINVAL;
        goto out;
    }
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, S_AGENCY_SET)) == NULL) {
        rc = HC_EIO;
    } else {
        sqlite3_bind_int(q, 1, ag->release_dates_public != 0);
        sqlite3_bind_int(q, 2, ag->personal_info_public != 0);
        sq_bind_str(q, 3, ag->policy_json ? ag->policy_json : "{}");
        sq_bind_str(q, 4, at);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        json_object_set_new(pl, "release_dates_public", json_boolean(ag->release_dates_public));
        json_object_set_new(pl, "personal_info_public", json_boolean(ag->personal_info_public));
        json_object_set(pl, "policy", jp);
        rc = sq_audit_append(s, actor, "agency.update", "agency", pl);
    }
    rc = sq_tx_leave(s, rc);
out:
    json_decref(jp);
    json_decref(pl);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Reads                                                                                      */

/* ---- row readers ---------------------------------------------------------------------------- */

/* Step q to its end, appending one `size`-byte element a row to an array in the arena (grown by
 * doubling); fill() copies the row's columns into the element. On success *out and *n hold the
 * array; on failure they are untouched. Resets q either way. */

int sq_read_rows(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a, size_t size,
                     row_fill_fn fill, void **out, size_t *n)
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
        fill(q, a, arr + cnt * size, &oom);
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

/* sq_read_rows over statement `which`, whose one parameter is an id. */
static int read_rows_by_id(struct store_sqlite *s, enum stmt_id which, int64_t id,
                           struct hc_arena *a, size_t size, row_fill_fn fill, void **out,
                           size_t *n)
{
    sqlite3_stmt *q = stmt(s, which);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    return sq_read_rows(s, q, a, size, fill, out, n);
}

static void fill_conviction(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_conviction *c = el;
    c->citation = sq_col_dup(a, q, 0, oom);
    c->level = sq_col_dup(a, q, 1, oom);
    c->date = sq_col_dup(a, q, 2, oom);
    c->court = sq_col_dup(a, q, 3, oom);
    c->prop47_reduced = sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 4);
    c->federal_aggravated_felony = sq_col_dup(a, q, 5, oom);
    c->jurisdiction = sq_col_dup(a, q, 6, oom);
    c->id = sqlite3_column_int64(q, 7);
}

static int read_convictions(struct store_sqlite *s, int64_t person_id, struct hc_arena *a,
                            struct store_record *r)
{
    void *rows = NULL;
    int rc = read_rows_by_id(s, S_CONV_BY_PERSON, person_id, a, sizeof *r->conv,
                             fill_conviction, &rows, &r->nconv);
    r->conv = rows;
    return rc;
}

static void fill_charge(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_charge *c = el;
    c->citation = sq_col_dup(a, q, 0, oom);
    c->level = sq_col_dup(a, q, 1, oom);
    c->status = sq_col_dup(a, q, 2, oom);
    c->magistrate_probable_cause = sqlite3_column_int(q, 3);
    c->id = sqlite3_column_int64(q, 4);
}

static int read_charges(struct store_sqlite *s, int64_t booking_id, struct hc_arena *a,
                        struct store_record *r)
{
    void *rows = NULL;
    int rc = read_rows_by_id(s, S_CHARGES_BY_BOOKING, booking_id, a, sizeof *r->charges,
                             fill_charge, &rows, &r->ncharges);
    r->charges = rows;
    return rc;
}

static void read_request_cols(sqlite3_stmt *q, struct hc_arena *a, struct store_request *rq,
                              int with_json, int *oom);

static void fill_request(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    read_request_cols(q, a, el, 1, oom);
}

static int read_requests(struct store_sqlite *s, int64_t booking_id, struct hc_arena *a,
                         struct store_record *r)
{
    void *rows = NULL;
    int rc = read_rows_by_id(s, S_REQ_BY_BOOKING, booking_id, a, sizeof *r->req,
                             fill_request, &rows, &r->nreq);
    r->req = rows;
    return rc;
}

static int sqlite_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                             struct store_record *out)
{
    struct store_sqlite *s = sq(st);
    struct store_record r;
    sqlite3_stmt *q;
    int rc, oom = 0, has_conv, has_req;

    memset(&r, 0, sizeof r);
    if ((q = stmt(s, S_BOOKING_BY_NO)) == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, booking_no);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
        sqlite3_reset(q);
        return rc;
    }
    r.booking.id = sqlite3_column_int64(q, 0);
    r.booking.booking_no = sq_col_dup(a, q, 1, &oom);
    r.booking.person_id = sqlite3_column_int64(q, 2);
    r.booking.booked_at = sq_col_dup(a, q, 3, &oom);
    r.booking.facility = sq_col_dup(a, q, 4, &oom);
    r.booking.status = sq_col_dup(a, q, 5, &oom);
    r.booking.scheduled_release = sq_col_dup(a, q, 6, &oom);
    r.booking.released_at = sq_col_dup(a, q, 7, &oom);
    r.booking.release_reason = sq_col_dup(a, q, 8, &oom);
    r.person.id = sqlite3_column_int64(q, 9);
    r.person.name = sq_col_dup(a, q, 10, &oom);
    r.person.date_of_birth = sq_col_dup(a, q, 11, &oom);
    r.person.local_id = sq_col_dup(a, q, 12, &oom);
    r.person.registrant_290 = sqlite3_column_int(q, 13);
    has_conv = sqlite3_column_int(q, 14);
    has_req = sqlite3_column_int(q, 15);
    sqlite3_reset(q);
    if (oom)
        return HC_ENOMEM;

    /* Most people have no convictions and most bookings no requests: the EXISTS columns above
     * (one index probe each) spare those statements when they would return nothing. */
    if ((has_conv && (rc = read_convictions(s, r.person.id, a, &r)) != HC_OK) ||
        (rc = read_charges(s, r.booking.id, a, &r)) != HC_OK ||
        (has_req && (rc = read_requests(s, r.booking.id, a, &r)) != HC_OK))
        return rc;
    *out = r;
    return HC_OK;
}

static int sqlite_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_AGENCY_GET);
    int rc, oom = 0;
    if (q == NULL)
        return HC_EIO;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->release_dates_public = sqlite3_column_int(q, 0);
        out->personal_info_public = sqlite3_column_int(q, 1);
        out->policy_json = sq_col_dup(a, q, 2, &oom);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    return rc;
}

static int sqlite_booking_count(struct hc_store *st, int64_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_BOOKING_COUNT);
    int rc;
    if (q == NULL)
        return HC_EIO;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(q, 0);
    rc = sq_map_rc(s, rc);
    sqlite3_reset(q);
    return rc;
}

static int sqlite_ping(struct hc_store *st)
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
/* Users, tokens and sessions (migration 2)                                                   */

/* now + secs as "YYYY-MM-DDTHH:MM:SSZ" (negative secs for the past). */
static void utc_offset(char out[21], long secs)
{
    time_t t = time(NULL) + secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Columns 0-5 of a users row (id, name, role, password_hash, created_at, disabled). */
static void read_user(sqlite3_stmt *q, struct hc_arena *a, struct store_user *u, int *oom)
{
    u->id = sqlite3_column_int64(q, 0);
    u->name = sq_col_dup(a, q, 1, oom);
    u->role = sq_col_dup(a, q, 2, oom);
    u->password_hash = sq_col_dup(a, q, 3, oom);
    u->created_at = sq_col_dup(a, q, 4, oom);
    u->disabled = sqlite3_column_int(q, 5);
}

/* Step q once and read a user from it: HC_ENOENT when there is no row. Resets q. */
static int one_user(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a,
                    struct store_user *out)
{
    int rc = sqlite3_step(q), oom = 0;
    if (rc == SQLITE_ROW) {
        read_user(q, a, out, &oom);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    return rc;
}

static int sqlite_user_add(struct hc_store *st, const struct store_user *u, const char *actor,
                           int64_t *user_id)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    int64_t id = 0;
    char at[21], entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, S_USER_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        sq_bind_str(q, 1, u->name);
        sq_bind_str(q, 2, u->role);
        sq_bind_str(q, 3, u->password_hash);
        sq_bind_str(q, 4, at);
        sqlite3_bind_int(q, 5, u->disabled != 0);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        id = sqlite3_last_insert_rowid(s->db);
        json_object_set_new(pl, "id", json_integer(id));
        sq_jset_str(pl, "name", u->name);
        sq_jset_str(pl, "role", u->role);
        snprintf(entity, sizeof entity, "user/%" PRId64, id);
        rc = sq_audit_append(s, actor, "user.create", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *user_id = id;
out:
    json_decref(pl);
    return rc;
}

static int sqlite_user_get(struct hc_store *st, const char *name, struct hc_arena *a,
                           struct store_user *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_USER_BY_NAME);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, name);
    return one_user(s, q, a, out);
}

static void fill_user(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    read_user(q, a, el, oom);
}

static int sqlite_user_list(struct hc_store *st, struct hc_arena *a, struct store_user **out,
                            size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_USER_ALL);
    void *rows = NULL;
    int rc;
    if (q == NULL)
        return HC_EIO;
    rc = sq_read_rows(s, q, a, sizeof **out, fill_user, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sqlite_user_disable(struct hc_store *st, const char *name, const char *actor)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    if ((q = stmt(s, S_USER_DISABLE)) == NULL) {
        rc = HC_EIO;
    } else {
        sq_bind_str(q, 1, name);
        rc = sq_exec_stmt(s, q);
        if (rc == HC_OK && sqlite3_changes(s->db) == 0)
            rc = HC_ENOENT;
    }
    if (rc == HC_OK) {
        sq_jset_str(pl, "name", name);
        rc = sq_audit_append(s, actor, "user.disable", "user", pl);
    }
    rc = sq_tx_leave(s, rc);
out:
    json_decref(pl);
    return rc;
}

/* Run q (one parameter: an id) and count the rows it changed into *n. */
static int exec_by_id(struct store_sqlite *s, sqlite3_stmt *q, int64_t id, int64_t *n)
{
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    if ((rc = sq_exec_stmt(s, q)) == HC_OK && n != NULL)
        *n = sqlite3_changes(s->db);
    return rc;
}

static int sqlite_user_reset(struct hc_store *st, const char *name, const char *password_hash,
                             int revoke_tokens, const char *actor, int64_t *tokens,
                             int64_t *sessions)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = NULL;
    sqlite3_stmt *q;
    int64_t uid = 0;
    int rc;

    *tokens = *sessions = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = stmt(s, S_USER_ID)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, name);
    if ((rc = one_id(s, q, &uid)) != HC_OK)
        goto out;
    if (password_hash != NULL) {
        if ((q = stmt(s, S_USER_SET_PASSWORD)) == NULL) {
            rc = HC_EIO;
            goto out;
        }
        sq_bind_str(q, 1, password_hash);
        sqlite3_bind_int64(q, 2, uid);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK && revoke_tokens)
        rc = exec_by_id(s, stmt(s, S_TOKENS_OF_USER_DELETE), uid, tokens);
    if (rc == HC_OK)
        rc = exec_by_id(s, stmt(s, S_SESSIONS_OF_USER_DELETE), uid, sessions);
    if (rc != HC_OK)
        goto out;
    pl = json_object();
    sq_jset_str(pl, "name", name);
    json_object_set_new(pl, "password_replaced", json_boolean(password_hash != NULL));
    json_object_set_new(pl, "tokens_revoked", json_integer(*tokens));
    json_object_set_new(pl, "sessions_ended", json_integer(*sessions));
    rc = sq_audit_append(s, actor, password_hash != NULL ? "user.password" : "user.revoke",
                         "user", pl);
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

static int sqlite_token_add(struct hc_store *st, int64_t user_id, const char *token_hash,
                            const char *actor)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    char at[21], entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, S_TOKEN_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        sq_bind_str(q, 1, token_hash);
        sqlite3_bind_int64(q, 2, user_id);
        sq_bind_str(q, 3, at);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        /* The hash is not secret, but the log has no use for it: the token's row id will do. */
        json_object_set_new(pl, "token_id", json_integer(sqlite3_last_insert_rowid(s->db)));
        json_object_set_new(pl, "user_id", json_integer(user_id));
        snprintf(entity, sizeof entity, "user/%" PRId64, user_id);
        rc = sq_audit_append(s, actor, "token.create", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
out:
    json_decref(pl);
    return rc;
}

static int sqlite_token_user(struct hc_store *st, const char *token_hash, struct hc_arena *a,
                             struct store_user *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_TOKEN_USER);
    char stale[21];
    int64_t token_id;
    int rc, oom = 0, touch;

    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, token_hash);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
        sqlite3_reset(q);
        return rc;
    }
    read_user(q, a, out, &oom);
    token_id = sqlite3_column_int64(q, 6);
    /* last_used is written at most once a minute per token: every write is an fsync
     * (synchronous=FULL), and a GET should not cost one. */
    utc_offset(stale, -60);
    touch = sqlite3_column_type(q, 7) == SQLITE_NULL ||
            strcmp((const char *)sqlite3_column_text(q, 7), stale) < 0;
    sqlite3_reset(q);
    if (oom)
        return HC_ENOMEM;
    /* Not inside a write transaction; inside a read transaction, after it (read_end). */
    if (touch && s->reading)
        s->touch_token = token_id;
    else if (touch && s->depth == 0)
        token_touch(s, token_id);
    return HC_OK;
}

static int sqlite_session_add(struct hc_store *st, int64_t user_id, const char *id_hash,
                              const char *expires_at)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_INSERT);
    char at[21];
    if (q == NULL)
        return HC_EIO;
    sq_now_utc(at);
    sq_bind_str(q, 1, id_hash);
    sqlite3_bind_int64(q, 2, user_id);
    sq_bind_str(q, 3, at);
    sq_bind_str(q, 4, expires_at);
    return sq_exec_stmt(s, q);
}

static int sqlite_session_user(struct hc_store *st, const char *id_hash, struct hc_arena *a,
                               struct store_user *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_USER);
    char now[21];
    if (q == NULL)
        return HC_EIO;
    sq_now_utc(now);
    sq_bind_str(q, 1, id_hash);
    sq_bind_str(q, 2, now);
    return one_user(s, q, a, out);
}

static int sqlite_session_delete(struct hc_store *st, const char *id_hash)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_DELETE);
    char now[21];
    if (q == NULL)
        return HC_EIO;
    sq_now_utc(now);
    sq_bind_str(q, 1, id_hash);
    sq_bind_str(q, 2, now);
    return sq_exec_stmt(s, q);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests, decisions, overrides and the audit log (migration 2)                             */

/* Columns 0-9 of a request row (as S_REQ_BY_BOOKING) into rq; column 9 may be skipped. */
static void read_request_cols(sqlite3_stmt *q, struct hc_arena *a, struct store_request *rq,
                              int with_json, int *oom)
{
    rq->id = sqlite3_column_int64(q, 0);
    rq->type = sq_col_dup(a, q, 1, oom);
    rq->form = sq_col_dup(a, q, 2, oom);
    rq->received_at = sq_col_dup(a, q, 3, oom);
    rq->issuing_office = sq_col_dup(a, q, 4, oom);
    rq->judicial_warrant = sqlite3_column_int(q, 5);
    rq->judicial_probable_cause = sqlite3_column_int(q, 6);
    rq->federal_felony_warrant = sqlite3_column_int(q, 7);
    rq->outcome = sq_col_dup(a, q, 8, oom);
    rq->decision_json = with_json ? sq_col_dup(a, q, 9, oom) : NULL;
}

static void fill_decision(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_decision_row *d = el;
    d->id = sqlite3_column_int64(q, 0);
    d->version = sqlite3_column_int(q, 1);
    d->outcome = sq_col_dup(a, q, 2, oom);
    d->ruleset = sq_col_dup(a, q, 3, oom);
    d->case_json = sq_col_dup(a, q, 4, oom);
    d->decision_json = sq_col_dup(a, q, 5, oom);
    d->decided_at = sq_col_dup(a, q, 6, oom);
    d->decided_by = sq_col_dup(a, q, 7, oom);
}

static int read_decision_rows(struct store_sqlite *s, int64_t request_id, struct hc_arena *a,
                              struct store_request_detail *r)
{
    void *rows = NULL;
    int rc = read_rows_by_id(s, S_DEC_BY_REQ, request_id, a, sizeof *r->dec,
                             fill_decision, &rows, &r->ndec);
    r->dec = rows;
    return rc;
}

static void fill_override(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_override *o = el;
    o->id = sqlite3_column_int64(q, 0);
    o->request_id = sqlite3_column_int64(q, 1);
    o->decision_id = sqlite3_column_int64(q, 2);
    o->outcome = sq_col_dup(a, q, 3, oom);
    o->reason = sq_col_dup(a, q, 4, oom);
    o->created_at = sq_col_dup(a, q, 5, oom);
    o->created_by = sq_col_dup(a, q, 6, oom);
}

static int read_overrides(struct store_sqlite *s, int64_t request_id, struct hc_arena *a,
                          struct store_request_detail *r)
{
    void *rows = NULL;
    int rc = read_rows_by_id(s, S_OVR_BY_REQ, request_id, a, sizeof *r->ovr,
                             fill_override, &rows, &r->novr);
    r->ovr = rows;
    return rc;
}

static int sqlite_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                              struct store_request_detail *out)
{
    struct store_sqlite *s = sq(st);
    struct store_request_detail r;
    sqlite3_stmt *q = stmt(s, S_REQ_BY_ID);
    int rc, oom = 0;

    memset(&r, 0, sizeof r);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, request_id);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
        sqlite3_reset(q);
        return rc;
    }
    read_request_cols(q, a, &r.req, 1, &oom);
    r.booking_no = sq_col_dup(a, q, 10, &oom);
    sqlite3_reset(q);
    if (oom)
        return HC_ENOMEM;
    if ((rc = read_decision_rows(s, request_id, a, &r)) != HC_OK ||
        (rc = read_overrides(s, request_id, a, &r)) != HC_OK)
        return rc;
    *out = r;
    return HC_OK;
}

static void fill_request_item(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_request_item *it = el;
    read_request_cols(q, a, &it->req, 0, oom);
    it->booking_no = sq_col_dup(a, q, 9, oom);
    it->ndecisions = sqlite3_column_int64(q, 10);
    it->noverrides = sqlite3_column_int64(q, 11);
}

static int sqlite_request_list(struct hc_store *st, const struct store_request_filter *f,
                               struct hc_arena *a, struct store_request_item **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_REQ_LIST);
    void *rows = NULL;
    int rc;

    if (q == NULL)
        return HC_EIO;
    if (f->limit < 1 || f->limit > 500 || f->offset < 0)
        return HC_EINVAL;
    sqlite3_bind_int64(q, 1, f->after_id);
    sq_bind_str(q, 2, f->type);
    sq_bind_str(q, 3, f->outcome);
    sq_bind_str(q, 4, f->from);
    sq_bind_str(q, 5, f->to);
    sq_bind_str(q, 6, f->booking_no);
    sqlite3_bind_int(q, 7, f->limit);
    sqlite3_bind_int64(q, 8, f->offset);
    rc = sq_read_rows(s, q, a, sizeof **out, fill_request_item, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sqlite_override_add(struct hc_store *st, const struct store_override *o,
                               int64_t *override_id)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    int64_t id = 0;
    char at[21], entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    if ((q = stmt(s, S_DEC_CHECK)) == NULL) {
        rc = HC_EIO;
    } else {
        sqlite3_bind_int64(q, 1, o->decision_id);
        sqlite3_bind_int64(q, 2, o->request_id);
        rc = sqlite3_step(q);
        rc = rc == SQLITE_ROW ? (sqlite3_column_int(q, 0) == 1 ? HC_OK : HC_EINVAL)
                              : sq_map_rc(s, rc);
        sqlite3_reset(q);
    }
    sq_now_utc(at);
    if (rc == HC_OK) {
        if ((q = stmt(s, S_OVR_INSERT)) == NULL) {
            rc = HC_EIO;
        } else {
            sqlite3_bind_int64(q, 1, o->request_id);
            sqlite3_bind_int64(q, 2, o->decision_id);
            sq_bind_str(q, 3, o->outcome);
            sq_bind_str(q, 4, o->reason);
            sq_bind_str(q, 5, at);
            sq_bind_str(q, 6, o->created_by);
            rc = sq_exec_stmt(s, q);
        }
    }
    if (rc == HC_OK) {
        id = sqlite3_last_insert_rowid(s->db);
        json_object_set_new(pl, "id", json_integer(id));
        json_object_set_new(pl, "request_id", json_integer(o->request_id));
        json_object_set_new(pl, "decision_id", json_integer(o->decision_id));
        sq_jset_str(pl, "outcome", o->outcome);
        sq_jset_str(pl, "reason", o->reason);
        snprintf(entity, sizeof entity, "override/%" PRId64, id);
        rc = sq_audit_append(s, o->created_by, "override.record", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *override_id = id;
out:
    json_decref(pl);
    return rc;
}

void sq_fill_audit_entry(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_audit_entry *e = el;
    e->seq = sqlite3_column_int64(q, 0);
    e->at = sq_col_dup(a, q, 1, oom);
    e->actor = sq_col_dup(a, q, 2, oom);
    e->action = sq_col_dup(a, q, 3, oom);
    e->entity = sq_col_dup(a, q, 4, oom);
    e->payload = sq_col_dup(a, q, 5, oom);
    e->hash = sq_col_dup(a, q, 6, oom);
}

static int sqlite_audit_list(struct hc_store *st, int64_t after_seq, int limit,
                             struct hc_arena *a, struct store_audit_entry **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_AUDIT_LIST);
    void *rows = NULL;
    int rc;

    if (q == NULL)
        return HC_EIO;
    if (limit < 1 || limit > 500)
        return HC_EINVAL;
    sqlite3_bind_int64(q, 1, after_seq);
    sqlite3_bind_int(q, 2, limit);
    rc = sq_read_rows(s, q, a, sizeof **out, sq_fill_audit_entry, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
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
            hash_field(&s->imp_hash, v, n);
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

static int sqlite_import_begin(struct hc_store *st, enum store_kind kind,
                               store_import_report_fn report, void *ctx)
{
    struct store_sqlite *s = sq(st);
    int rc;
    /* A stale imp_kind with no transaction open is an import that store_rollback ended. */
    if (s->depth != 0 || kind < STORE_KIND_PEOPLE ||
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
    imp_bulk_enter(s);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    s->imp_kind = kind;
    s->imp_rows = s->imp_first = s->imp_last = 0;
    s->imp_ref[0] = '\0';
    s->imp_ref_id = 0;
    sq_now_utc(s->imp_at);
    crypto_generichash_init(&s->imp_hash, NULL, 0, HASH_LEN);
    s->imp_buflen = 0;
    s->imp_report = report;
    s->imp_report_ctx = ctx;
    s->imp_nheld = 0;
    s->imp_textlen = 0;
    s->imp_refused = 0;
    return HC_OK;
}

/* The statement of the import's kind, prepared once; the caller binds every parameter. */
static sqlite3_stmt *imp_stmt(struct store_sqlite *s, enum stmt_id id)
{
    sqlite3_stmt *q = s->stmt[id];
    if (q == NULL)
        q = stmt(s, id);
    return q;
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
    int rc = sqlite3_step(q);
    /* A failed step aborts only this statement (ON CONFLICT ABORT): the transaction and the
     * rows before it stay, so the caller can keep checking the rest of the file. */
    rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
    sqlite3_reset(q);
    if (rc == STORE_ECONFLICT)
        hc_diag_set(d, key_field ? key_field : "", "already exists", NULL);
    else if (rc == HC_ENOENT) /* the foreign key: the looked-up row cannot vanish mid-import */
        hc_diag_set(d, ref_field ? ref_field : "", "no such row", NULL);
    else if (rc == HC_EINVAL)
        hc_diag_set(d, "", "the database refused the row", NULL);
    return rc;
}

/* The IMP_BATCH-row INSERT of the import's kind, prepared once. */
static sqlite3_stmt *imp_multi(struct store_sqlite *s)
{
    int k = s->imp_kind == STORE_KIND_CHARGES;
    sqlite3_stmt **q = &s->imp_multi[k];
    const char *sql = stmt_sql[k ? S_CHARGE_INSERT : S_BOOKING_INSERT];
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
        fprintf(stderr, "holdcheck: sqlite: prepare: %s\n", sqlite3_errmsg(s->db));
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
            imp_count(s, sqlite3_last_insert_rowid(s->db), n);
            for (i = 0; i < n; i++)
                imp_hash_held(s, &s->imp_held[i]);
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
        if ((q = imp_stmt(s, charges ? S_CHARGE_INSERT : S_BOOKING_INSERT)) == NULL)
            return HC_EIO;
        imp_bind_held(s, q, 0, &s->imp_held[i]);
        rc = imp_step(s, q, charges ? NULL : "booking_no",
                      charges ? "booking_no" : "person_local_id", &d);
        if (rc == HC_OK) {
            imp_count(s, sqlite3_last_insert_rowid(s->db), 1);
            imp_hash_held(s, &s->imp_held[i]);
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

static int sqlite_import_flush(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    if (s->depth == 0 || s->imp_kind == 0) {
        s->imp_nheld = 0; /* the import was rolled back */
        return HC_OK;
    }
    return imp_batch_insert(s);
}

static int sqlite_import_row(struct hc_store *st, const struct store_import_row *r,
                             struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    const char *ref_field = NULL, *key_field = NULL;
    sqlite3_stmt *q = NULL;
    int64_t ref = 0;
    int rc;

    if (s->depth == 0)
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
    switch (s->imp_kind) {
    case STORE_KIND_PEOPLE: {
        const struct store_person *p = &r->person;
        if ((q = imp_stmt(s, S_PERSON_INSERT)) == NULL)
            return HC_EIO;
        sq_bind_str(q, 1, p->name);
        sq_bind_str(q, 2, p->date_of_birth);
        sq_bind_str(q, 3, p->local_id);
        sqlite3_bind_int(q, 4, p->registrant_290 != 0);
        sq_bind_str(q, 5, s->imp_at);
        sq_bind_namekey(q, 6, p->name); /* issue 4: the public search key */
        key_field = "local_id";
        break;
    }
    case STORE_KIND_BOOKINGS: {
        const struct store_booking *b = &r->booking;
        if ((q = imp_stmt(s, S_BOOKING_INSERT)) == NULL)
            return HC_EIO;
        sq_bind_str(q, 1, b->booking_no);
        sqlite3_bind_int64(q, 2, ref);
        sq_bind_str(q, 3, b->booked_at);
        sq_bind_str(q, 4, b->facility);
        sq_bind_str(q, 5, b->status);
        sq_bind_str(q, 6, b->scheduled_release);
        sq_bind_str(q, 7, b->released_at);
        sq_bind_str(q, 8, b->release_reason);
        key_field = "booking_no";
        break;
    }
    case STORE_KIND_CHARGES: {
        const struct store_charge *c = &r->charge;
        if ((q = imp_stmt(s, S_CHARGE_INSERT)) == NULL)
            return HC_EIO;
        sq_bind_charge(q, ref, c);
        break;
    }
    case STORE_KIND_CONVICTIONS: {
        const struct store_conviction *c = &r->conviction;
        if ((q = imp_stmt(s, S_CONV_INSERT)) == NULL)
            return HC_EIO;
        sq_bind_conviction(q, ref, c);
        break;
    }
    default:
        return HC_EINVAL; /* no import begun */
    }
    if ((rc = imp_step(s, q, key_field, ref_field, d)) != HC_OK)
        return rc;

    s->imp_last = sqlite3_last_insert_rowid(s->db);
    if (s->imp_rows++ == 0)
        s->imp_first = s->imp_last;
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

static int sqlite_import_commit(struct hc_store *st, const char *actor, const char *source,
                                const char *format, struct store_import_summary *out)
{
    struct store_sqlite *s = sq(st);
    unsigned char hash[HASH_LEN];
    struct store_import_summary sum;
    json_t *pl;
    char entity[48];
    int rc;

    if (s->imp_kind == 0 || s->depth == 0) {
        s->imp_kind = 0;
        return HC_EINVAL;
    }
    imp_walk_end(s); /* no statement left reading at COMMIT */
    memset(&sum, 0, sizeof sum);
    rc = imp_batch_insert(s);
    if (rc == HC_OK && s->imp_refused > 0)
        rc = HC_EINVAL; /* a held row was refused: nothing of the import is committed */
    imp_flush(s);
    crypto_generichash_final(&s->imp_hash, hash, HASH_LEN);
    sodium_bin2hex(sum.rows_hash, sizeof sum.rows_hash, hash, HASH_LEN);
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
        rc = sq_audit_append(s, actor, "import.commit", entity, pl);
        json_decref(pl);
    }
    if (rc == HC_OK)
        sum.audit_seq = sqlite3_last_insert_rowid(s->db);
    s->imp_kind = 0;
    rc = sq_tx_leave(s, rc);
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

static int sqlite_export_rows(struct hc_store *st, enum store_kind kind, store_export_cb cb,
                              void *ctx)
{
    static const enum stmt_id ids[] = {
        [STORE_KIND_PEOPLE] = S_EXP_PEOPLE, [STORE_KIND_BOOKINGS] = S_EXP_BOOKINGS,
        [STORE_KIND_CHARGES] = S_EXP_CHARGES, [STORE_KIND_CONVICTIONS] = S_EXP_CONV,
    };
    struct store_sqlite *s = sq(st);
    const char *v[16];
    sqlite3_stmt *q;
    int rc, step, crc = 0, n, i, own_tx = s->depth == 0;

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
/* Schema versions and lifecycle                                                             */

static int sqlite_schema_version(struct hc_store *st, int *version)
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

static int sqlite_migrate(struct hc_store *st, int *from, int *to)
{
    struct store_sqlite *s = sq(st);
    int v, rc;
    size_t i;

    if ((rc = sqlite_schema_version(st, &v)) != HC_OK)
        return rc;
    *from = *to = v;
    if (v > STORE_SCHEMA_VERSION)
        return HC_ERANGE;
    for (i = 0; i < sq_nmigrations; i++) {
        char pragma[48];
        if (sq_migrations[i].version <= v)
            continue;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", sq_migrations[i].version);
        if ((rc = sq_begin(st)) != HC_OK)
            return rc;
        rc = sq_exec_sql(s, sq_migrations[i].sql);
        if (rc == HC_OK)
            rc = sq_exec_sql(s, pragma);
        if ((rc = sq_tx_leave(s, rc)) != HC_OK)
            return rc;
        *to = sq_migrations[i].version;
    }
    return HC_OK;
}

static void sqlite_close(struct hc_store *st)
{
    struct store_sqlite *s = sq(st);
    size_t i;
    for (i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (i = 0; i < SQ_XSTMT_MAX; i++)
        sqlite3_finalize(s->xstmt[i]);
    sqlite3_finalize(s->imp_multi[0]);
    sqlite3_finalize(s->imp_multi[1]);
    sqlite3_close(s->db);
    turn_end(s);
    sq_writers_leave(s->wq);
    free(s);
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .migrate = sqlite_migrate,
    .schema_version = sqlite_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .version = sqlite_version,
    .booking_add = sqlite_booking_add,
    .record_get = sqlite_record_get,
    .booking_count = sqlite_booking_count,
    .agency_get = sqlite_agency_get,
    .agency_set = sqlite_agency_set,
    .request_add = sqlite_request_add,
    .decision_add = sqlite_decision_add,
    .audit_verify = sqlite_audit_verify,
    .ping = sqlite_ping,
    .user_add = sqlite_user_add,
    .user_get = sqlite_user_get,
    .user_list = sqlite_user_list,
    .user_disable = sqlite_user_disable,
    .token_add = sqlite_token_add,
    .token_user = sqlite_token_user,
    .session_add = sqlite_session_add,
    .session_user = sqlite_session_user,
    .session_delete = sqlite_session_delete,
    .request_get = sqlite_request_get,
    .request_list = sqlite_request_list,
    .override_add = sqlite_override_add,
    .audit_list = sqlite_audit_list,
    .import_begin = sqlite_import_begin,
    .import_row = sqlite_import_row,
    .import_flush = sqlite_import_flush,
    .import_commit = sqlite_import_commit,
    .export_rows = sqlite_export_rows,
    /* public portal and subscriptions (sqlite_public.c) */
    .public_policy_get = sq_public_policy_get,
    .public_policy_set = sq_public_policy_set,
    .public_search = sq_public_search,
    .public_export = sq_public_export,
    .public_status = sq_public_status,
    .public_status_scan = sq_public_status_scan,
    .namekey_backfill = sq_namekey_backfill,
    .booking_update = sq_booking_update,
    .subscription_add = sq_subscription_add,
    .subscription_confirm = sq_subscription_confirm,
    .subscription_unsubscribe = sq_subscription_unsubscribe,
    .delivery_requeue = sq_delivery_requeue,
    .delivery_claim = sq_delivery_claim,
    .delivery_finish = sq_delivery_finish,
    .delivery_list = sq_delivery_list,
    .advance_scan = sq_advance_scan,
    .snapshot_put = sq_snapshot_put,
    .snapshot_list = sq_snapshot_list,
    .snapshot_delete = sq_snapshot_delete,
    /* staff console and notices (sqlite_console.c) */
    .notice_add = sq_notice_add,
    .notice_get = sq_notice_get,
    .notice_serve = sq_notice_serve,
    .consent_add = sq_consent_add,
    .intent_add = sq_intent_add,
    .disclosure_add = sq_disclosure_add,
    .interview_add = sq_interview_add,
    .warrant_add = sq_warrant_add,
    .console_state = sq_console_state,
    .console_queue = sq_console_queue,
    .request_audit = sq_request_audit,
    .person_bookings = sq_person_bookings,
    .user_reset = sqlite_user_reset,
    .charge_add = sq_charge_add,
    .charge_update = sq_charge_update,
    .conviction_add = sq_conviction_add,
    .conviction_update = sq_conviction_update,
};

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
    if (flags & STORE_OPEN_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return HC_ENOMEM;
    s->base.ops = &sqlite_ops;
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
    if ((flags & STORE_OPEN_BACKGROUND) && sq_exec_sql(s, "PRAGMA cache_size = -2048") != HC_OK) {
        hc_diag_set(d, path, "cannot set up the database", NULL);
        goto out;
    }
    if (sqlite_schema_version(&s->base, &v) != HC_OK) {
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

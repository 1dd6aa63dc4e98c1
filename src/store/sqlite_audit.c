/* SPDX-License-Identifier: MIT
 * sqlite_audit.c: the audit chain: appending an entry inside the caller's transaction, verifying
 * the chain, listing it, and the helpers that build the payloads of audit entries. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sqlite_int.h"

/* This file's prepared statements (slots SQ_X_AUDIT..), kept for the life of the connection. */
enum stmt_id {
    S_AUDIT_HEAD, S_AUDIT_INSERT, S_AUDIT_ALL, S_AUDIT_LIST, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_AUDIT_HEAD] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_INSERT] = "INSERT INTO audit_log (seq, at, actor, action, entity, payload, prev_hash,"
                       " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_AUDIT_ALL] = "SELECT seq, at, actor, action, entity, payload, prev_hash, hash"
                    " FROM audit_log ORDER BY seq",
    [S_AUDIT_LIST] = "SELECT seq, at, actor, action, entity, payload, hash FROM audit_log"
                     " WHERE seq > ? ORDER BY seq LIMIT ?",
};

_Static_assert(SQ_X_AUDIT + S_COUNT <= SQ_X_RECORDS, "this file's statements fit its slots");

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
    return sq_xstmt(s, SQ_X_AUDIT + (int)id, stmt_sql[id]);
}

/* ------------------------------------------------------------------------------------------ */
/* Audit chain                                                                                */


/* Append one entry after the current head. Must run inside the write's transaction. */
int sq_audit_write(struct store_sqlite *s, const char *actor, const char *action,
                    const char *entity, const json_t *payload)
{
    struct chain_entry e;
    sqlite3_stmt *q;
    int rc;

    if ((q = stmt(s, S_AUDIT_HEAD)) == NULL)
        return HC_EIO;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        rc = chain_entry_make(&e, sqlite3_column_int64(q, 0),
                              (const char *)sqlite3_column_text(q, 1), actor, action, entity,
                              payload);
    } else if (rc == SQLITE_DONE) {
        rc = chain_entry_make(&e, 0, NULL, actor, action, entity, payload);
    } else {
        rc = sq_map_rc(s, rc);
        sqlite3_reset(q);
        return rc;
    }
    sqlite3_reset(q);
    if (rc != HC_OK)
        return rc;
    if ((q = stmt(s, S_AUDIT_INSERT)) == NULL) {
        chain_entry_free(&e);
        return HC_EIO;
    }
    sqlite3_bind_int64(q, 1, e.seq);
    sq_bind_str(q, 2, e.at);
    sq_bind_str(q, 3, actor);
    sq_bind_str(q, 4, action);
    sq_bind_str(q, 5, entity);
    sq_bind_str(q, 6, e.payload);
    sq_bind_str(q, 7, e.prev_hash);
    sq_bind_str(q, 8, e.hash);
    rc = sq_exec_stmt(s, q);
    chain_entry_free(&e);
    return rc;
}

int sq_insert_audited(struct store_sqlite *s, sqlite3_stmt *q, const char *actor,
                      const char *action, const char *what, json_t *pl, int64_t *id)
{
    char entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    rc = sq_exec_stmt(s, q);
    if (rc != HC_OK) {
        json_decref(pl);
        return rc;
    }
    *id = sqlite3_last_insert_rowid(s->db);
    json_object_set_new(pl, "id", json_integer(*id));
    snprintf(entity, sizeof entity, "%s/%" PRId64, what, *id);
    rc = sq_audit_write(s, actor, action, entity, pl);
    json_decref(pl);
    return rc;
}

int sq_add_audited_child(struct hc_store *st, int slot, const char *sql, const char *parent,
                         int64_t parent_id, const struct sf_record *rd, const void *row,
                         const char *actor, const char *action, const char *what, int64_t *id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN];
    int64_t rid = 0;
    json_t *pl;
    int rc, i = 1;

    if (sf_fields_missing(row, rd))
        return HC_EINVAL;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    /* After sq_begin: the recording time is that of the write, not of the wait for it. */
    sq_now_utc(at);
    if ((q = sq_xstmt(s, slot, sql)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    if (parent != NULL)
        sqlite3_bind_int64(q, i++, parent_id);
    sq_bind_fields(q, i, row, rd, at);
    if ((pl = json_object()) != NULL) {
        if (parent != NULL)
            json_object_set_new(pl, parent, json_integer(parent_id));
        sf_jset_fields(pl, row, rd, at);
    }
    rc = sq_insert_audited(s, q, actor, action, what, pl, &rid);
out:
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *id = rid;
    return rc;
}

int sq_add_audited(struct hc_store *st, int slot, const char *sql, const struct sf_record *rd,
                   const void *row, const char *actor, const char *action, const char *what,
                   int64_t *id)
{
    return sq_add_audited_child(st, slot, sql, NULL, 0, rd, row, actor, action, what, id);
}

static int sq_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    struct store_sqlite *s = sq(st);
    struct chain_walk w;
    sqlite3_stmt *q;
    int rc;

    chain_walk_begin(&w, rep);
    if ((q = stmt(s, S_AUDIT_ALL)) == NULL)
        return HC_EIO;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *col[7];
        int i;
        for (i = 1; i < 8; i++)
            col[i - 1] = (const char *)sqlite3_column_text(q, i);
        if (!chain_walk_row(&w, rep, sqlite3_column_int64(q, 0), col,
                            (size_t)sqlite3_column_bytes(q, 5)))
            break;
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

/* v as JSON: a string, or null for NULL; a tri-state (-1 null), as null or a boolean. */
static json_t *str_json(const char *v)
{
    return v ? json_string(v) : json_null();
}

static json_t *tri_json(int v)
{
    return v < 0 ? json_null() : json_boolean(v);
}

void sq_jset_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, str_json(v));
}

int sq_differ(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a != b;
    return strcmp(a, b) != 0;
}

/* Set {"from": from, "to": to} under key in changes (taking both references). */
static void change(json_t *changes, const char *key, json_t *from, json_t *to)
{
    json_t *c = json_object();
    json_object_set_new(c, "from", from);
    json_object_set_new(c, "to", to);
    json_object_set_new(changes, key, c);
}

void sq_change_str(json_t *changes, const char *key, const char *from, const char *to)
{
    if (sq_differ(from, to))
        change(changes, key, str_json(from), str_json(to));
}

void sq_change_tri(json_t *changes, const char *key, int from, int to)
{
    if (from != to)
        change(changes, key, tri_json(from), tri_json(to));
}

/* Columns seq, at, actor, action, entity, payload, hash of audit_log. */
static const struct sf_field audit_entry_fields[] = {
    SF_FIELD(struct store_audit_entry, seq, SF_I64, SF_COL),
    SF_FIELD(struct store_audit_entry, at, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, actor, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, action, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, entity, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, payload, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, hash, SF_STR, SF_COL),
};
const struct sf_record sq_audit_entry_rec = SF_RECORD(struct store_audit_entry,
                                                      audit_entry_fields);

static int sq_audit_list(struct hc_store *st, int64_t after_seq, int limit,
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
    rc = sq_read_recs(s, q, a, &sq_audit_entry_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_audit_append(struct hc_store *st, const char *actor, const char *action,
                               const char *entity, const json_t *payload)
{
    return sq_audit_write(sq(st), actor, action, entity, payload);
}

const struct store_audit_ops sq_audit_ops = {
    STORE_AUDIT_OPS(SQ_OP)
};

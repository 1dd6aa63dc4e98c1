/* SPDX-License-Identifier: MIT
 * sqlite_audit.c: the audit chain: appending an entry inside the caller's transaction, verifying
 * the chain, listing it, and the helpers that build the payloads of audit entries. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
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
/* Rows bound into the chain (bound.h)                                                        */

/* The SELECT of bound table t's hashed columns for ids ?1..?2, in id order, prepared on first
 * use in the table's slot. NULL on failure. */
static sqlite3_stmt *bound_stmt(struct store_sqlite *s, int t)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
             bound_tables[t].columns, bound_tables[t].table);
    return sq_xstmt(s, SQ_X_BOUND + t, sql);
}

_Static_assert(SQ_X_BOUND + BOUND_TABLES_MAX <= SQ_XSTMT_MAX, "the bound tables fit their slots");

/* The content hash (bound_row_hash) of the row q is on, and its id (column "id"). */
static int64_t row_hash(sqlite3_stmt *q, int t, unsigned char out[CHAIN_HASH_LEN])
{
    const char *names[64], *vals[64];
    size_t lens[64];
    int i, n = sqlite3_column_count(q);
    int64_t id = 0;

    if (n > 64)
        n = 64;
    for (i = 0; i < n; i++) {
        names[i] = sqlite3_column_name(q, i);
        if (strcmp(names[i], "id") == 0)
            id = sqlite3_column_int64(q, i);
        if (sqlite3_column_type(q, i) == SQLITE_NULL) {
            vals[i] = NULL;
            lens[i] = 0;
        } else {
            vals[i] = (const char *)sqlite3_column_text(q, i);
            lens[i] = (size_t)sqlite3_column_bytes(q, i);
        }
    }
    bound_row_hash(bound_tables[t].table, (size_t)n, names, vals, lens, out);
    return id;
}

/* This backend's reader of bound rows (bound_scan_fn); backend is the struct store_sqlite. */
static int scan(void *backend, int t, int64_t first, int64_t last, bound_row_fn each, void *ctx)
{
    struct store_sqlite *s = backend;
    unsigned char hash[CHAIN_HASH_LEN];
    sqlite3_stmt *q = bound_stmt(s, t);
    int rc = HC_OK, step;

    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, first);
    sqlite3_bind_int64(q, 2, last);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = row_hash(q, t, hash);
        if ((rc = each(ctx, t, id, hash)) != HC_OK)
            break;
    }
    if (rc == HC_OK && step != SQLITE_DONE)
        rc = sq_map_rc(s, step);
    sqlite3_reset(q);
    return rc;
}

int sq_bound_note(struct store_sqlite *s, const char *table, int64_t first, int64_t last)
{
    int t = bound_table_find(table);
    if (t < 0 || first > last)
        return HC_EINVAL;
    if (s->bound_n == s->bound_cap) {
        size_t cap = s->bound_cap ? 2 * s->bound_cap : 8;
        struct bound_note *p = realloc(s->bound_notes, cap * sizeof *p);
        if (p == NULL)
            return HC_ENOMEM;
        s->bound_notes = p;
        s->bound_cap = cap;
    }
    s->bound_notes[s->bound_n].t = t;
    s->bound_notes[s->bound_n].first = first;
    s->bound_notes[s->bound_n].last = last;
    s->bound_n++;
    return HC_OK;
}

void sq_bound_forget(struct store_sqlite *s)
{
    free(s->bound_notes);
    s->bound_notes = NULL;
    s->bound_n = s->bound_cap = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Audit chain                                                                                */

/* Append one entry after the current head. Must run inside the write's transaction. */
int sq_audit_write(struct store_sqlite *s, const char *actor, const char *action,
                   const char *entity, json_t *payload)
{
    struct chain_entry e;
    sqlite3_stmt *q;
    int rc;

    /* The rows this entry binds (bound.h); the notes are this entry's alone, whatever happens. */
    rc = bound_gather(scan, s, entity, s->bound_notes, s->bound_n, payload);
    sq_bound_forget(s);
    if (rc != HC_OK)
        return rc;
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

/* Walk the chain into rep, recording into m the bindings of every entry that holds. Returns
 * HC_OK whether or not the chain is intact (rep->bad_seq says), or a store error; HC_EIO when
 * an intact entry's "bound" is malformed. links_only: every entry's place in the chain is
 * checked but only the entries that record a binding into m are rehashed (chain_link_row). */
static int walk_entries(struct store_sqlite *s, struct store_audit_report *rep,
                        struct bound_map *m, int links_only)
{
    struct chain_walk w;
    sqlite3_stmt *q;
    int rc, bad = HC_OK;

    chain_walk_begin(&w, rep);
    if ((q = stmt(s, S_AUDIT_ALL)) == NULL)
        return HC_EIO;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *col[7];
        int64_t seq = sqlite3_column_int64(q, 0);
        size_t len;
        uint64_t before = m->recorded;
        int i;
        for (i = 1; i < 8; i++)
            col[i - 1] = (const char *)sqlite3_column_text(q, i);
        len = (size_t)sqlite3_column_bytes(q, 5);
        if (links_only && col[4] != NULL && (bad = bound_map_entry(m, seq, col[4], len)) != HC_OK)
            break;
        if (!chain_link_row(&w, rep, seq, col, len, !links_only || m->recorded != before))
            break;
        if (!links_only && (bad = bound_map_entry(m, seq, col[4], len)) != HC_OK)
            break;
    }
    if (bad == HC_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        bad = sq_map_rc(s, rc);
    sqlite3_reset(q);
    if (bad == HC_EIO)
        hc_log(HC_LOG_ERROR, "audit entry %" PRId64 ": unreadable \"bound\" member", rep->entries);
    return bad;
}

/* The whole verification's walk (bound_walk_fn): every entry rehashed. */
static int walk_chain(void *backend, struct store_audit_report *rep, struct bound_map *m)
{
    return walk_entries(backend, rep, m, 0);
}

/* The walk of a verification of some rows (bound_walk_fn): every link, the entries that bind
 * one of them rehashed. */
static int walk_links(void *backend, struct store_audit_report *rep, struct bound_map *m)
{
    return walk_entries(backend, rep, m, 1);
}

static int sq_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    return bound_verify(st, walk_chain, scan, sq(st), rep);
}

static int sq_audit_bind(struct hc_store *st, const char *actor, int64_t *bound)
{
    return bound_bind(st, walk_chain, scan, sq(st), actor, bound);
}

int sq_audit_verify_only(struct hc_store *st, const int64_t *const *ids, const size_t *n,
                         struct store_audit_report *rep)
{
    return bound_verify_only(st, walk_links, scan, sq(st), ids, n, rep);
}

/* ------------------------------------------------------------------------------------------ */
/* Writes                                                                                     */

/* v as JSON: a string, or null for NULL. */
static json_t *str_json(const char *v)
{
    return v ? json_string(v) : json_null();
}

void sq_jset_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, str_json(v));
}

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
                           const char *entity, json_t *payload)
{
    return sq_audit_write(sq(st), actor, action, entity, payload);
}

const struct store_audit_ops sq_audit_ops = {
    STORE_AUDIT_OPS(SQ_OP)
};

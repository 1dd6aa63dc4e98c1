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


void sq_hash_field(crypto_generichash_state *h, const char *v, size_t n)
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
static void audit_hash(const unsigned char prev[SQ_HASH_LEN], int64_t seq, const char *at,
                       const char *actor, const char *action, const char *entity,
                       const char *payload, size_t payload_len, unsigned char out[SQ_HASH_LEN])
{
    crypto_generichash_state h;
    char num[24];
    int n = snprintf(num, sizeof num, "%" PRId64, seq);
    crypto_generichash_init(&h, NULL, 0, SQ_HASH_LEN);
    crypto_generichash_update(&h, prev, SQ_HASH_LEN);
    sq_hash_field(&h, num, (size_t)n);
    sq_hash_field(&h, at, strlen(at));
    sq_hash_field(&h, actor, strlen(actor));
    sq_hash_field(&h, action, strlen(action));
    sq_hash_field(&h, entity, strlen(entity));
    sq_hash_field(&h, payload, payload_len);
    crypto_generichash_final(&h, out, SQ_HASH_LEN);
}

/* Append one entry after the current head. Must run inside the write's transaction. */
int sq_audit_append(struct store_sqlite *s, const char *actor, const char *action,
                        const char *entity, json_t *payload)
{
    unsigned char prev[SQ_HASH_LEN] = {0}, hash[SQ_HASH_LEN];
    char prev_hex[2 * SQ_HASH_LEN + 1], hash_hex[2 * SQ_HASH_LEN + 1], at[21];
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
        if (h == NULL || sodium_hex2bin(prev, SQ_HASH_LEN, h, strlen(h), NULL, NULL, NULL) != 0) {
            sqlite3_reset(q);
            rc = HC_EIO; /* a broken head: refuse to extend a chain that cannot verify */
            hc_log(HC_LOG_ERROR, "audit head at seq %" PRId64 " is unreadable", seq - 1);
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
    sodium_bin2hex(prev_hex, sizeof prev_hex, prev, SQ_HASH_LEN);
    sodium_bin2hex(hash_hex, sizeof hash_hex, hash, SQ_HASH_LEN);
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
    rc = sq_audit_append(s, actor, action, entity, pl);
    json_decref(pl);
    return rc;
}

int sq_add_audited_child(struct hc_store *st, int slot, const char *sql, const char *parent,
                         int64_t parent_id, const struct sq_record *rd, const void *row,
                         const char *actor, const char *action, const char *what, int64_t *id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN];
    int64_t rid = 0;
    json_t *pl;
    int rc, i = 1;

    if (sq_fields_missing(row, rd))
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
        sq_jset_fields(pl, row, rd, at);
    }
    rc = sq_insert_audited(s, q, actor, action, what, pl, &rid);
out:
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *id = rid;
    return rc;
}

int sq_add_audited(struct hc_store *st, int slot, const char *sql, const struct sq_record *rd,
                   const void *row, const char *actor, const char *action, const char *what,
                   int64_t *id)
{
    return sq_add_audited_child(st, slot, sql, NULL, 0, rd, row, actor, action, what, id);
}

static int sqlite_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    struct store_sqlite *s = sq(st);
    unsigned char prev[SQ_HASH_LEN] = {0}, hash[SQ_HASH_LEN];
    char hex[2 * SQ_HASH_LEN + 1];
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
        sodium_bin2hex(hex, sizeof hex, prev, SQ_HASH_LEN);
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
        sodium_bin2hex(hex, sizeof hex, hash, SQ_HASH_LEN);
        if (strcmp(col[6], hex) != 0) {
            rep->bad_seq = seq;
            snprintf(rep->reason, sizeof rep->reason, "hash does not match the entry's contents");
            break;
        }
        memcpy(prev, hash, SQ_HASH_LEN);
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
static const struct sq_field audit_entry_fields[] = {
    SQ_FIELD(struct store_audit_entry, seq, SQ_F_I64, SQ_COL),
    SQ_FIELD(struct store_audit_entry, at, SQ_F_STR, SQ_COL),
    SQ_FIELD(struct store_audit_entry, actor, SQ_F_STR, SQ_COL),
    SQ_FIELD(struct store_audit_entry, action, SQ_F_STR, SQ_COL),
    SQ_FIELD(struct store_audit_entry, entity, SQ_F_STR, SQ_COL),
    SQ_FIELD(struct store_audit_entry, payload, SQ_F_STR, SQ_COL),
    SQ_FIELD(struct store_audit_entry, hash, SQ_F_STR, SQ_COL),
};
const struct sq_record sq_audit_entry_rec = SQ_RECORD(struct store_audit_entry,
                                                      audit_entry_fields);

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
    rc = sq_read_recs(s, q, a, &sq_audit_entry_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

/* The payload comes as text so that no backend's JSON library is in the interface; parsing it
 * here gives every entry the one canonical form the chain hashes (sq_audit_append). */
static int sqlite_audit_append(struct hc_store *st, const char *actor, const char *action,
                               const char *entity, const char *payload)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_loads(payload, 0, NULL);
    int rc;
    if (!json_is_object(pl)) {
        json_decref(pl);
        return HC_EINVAL;
    }
    if ((rc = sq_begin(st)) == HC_OK)
        rc = sq_tx_leave(s, sq_audit_append(s, actor, action, entity, pl));
    json_decref(pl);
    return rc;
}

const struct store_audit_ops sq_audit_ops = {
    .audit_verify = sqlite_audit_verify,
    .audit_append = sqlite_audit_append,
    .audit_list = sqlite_audit_list,
};

/* SPDX-License-Identifier: MIT
 * sqlite_readlog.c: the SQLite side of the read-access log (store_readlog.h): batched inserts,
 * a filtered listing by id, and pruning by age, on the statements both backends share
 * (sql_readlog.c). Times are stored as "YYYY-MM-DDTHH:MM:SSZ" (UTC, always this form), so they
 * compare as text. A listing by record reads the hours it was read in (read_log_seen: sql.h). */
#include "sqlite_int.h"

/* SQLite's own statement after the shared ones: the listing by object (sql.h). The hours in
 * the period, each found by one seek from the last (h); the record ?6's rows of each hour (s);
 * the entries of those hours by their at. The joins are ordered (CROSS JOIN) and the index
 * named: left to itself, the planner indexes the whole log by object for each query. */
enum { S_LIST_OBJECT = SRL_COUNT, S_COUNT };
_Static_assert(SQ_X_READLOG + S_COUNT <= SQ_X_PUBLIC, "this file's statements fit its slots");

static const char list_object_sql[] =
    "WITH RECURSIVE h(x) AS ("
    "  SELECT min(hour) FROM read_log_seen WHERE hour >= coalesce(substr(?3, 1, 13), '')"
    "  UNION ALL SELECT (SELECT min(hour) FROM read_log_seen WHERE hour > h.x) FROM h"
    "  WHERE h.x IS NOT NULL AND (?4 IS NULL OR h.x < ?4))"
    " SELECT r.id, r.at, r.user_id, r.user_name, r.role, r.method, r.route, r.kind,"
    " coalesce(r.object, ''), coalesce(r.query, ''), r.client, r.status"
    " FROM h CROSS JOIN read_log_seen s CROSS JOIN read_log r INDEXED BY read_log_at"
    " WHERE s.hour = h.x AND s.object = ?6 AND (?5 IS NULL OR s.kind = ?5)"
    " AND r.at >= s.hour AND r.at < s.hour || " SQL_READ_HOUR_END
    " AND r.object = ?6 AND r.kind = s.kind AND r.id > ?1 AND (?2 IS NULL OR r.user_name = ?2)"
    " AND (?3 IS NULL OR r.at >= ?3) AND (?4 IS NULL OR r.at < ?4) ORDER BY r.id LIMIT ?7";

static sqlite3_stmt *stmt(struct store_sqlite *s, int id)
{
    return sq_xstmt(s, SQ_X_READLOG + id, id == S_LIST_OBJECT ? list_object_sql : sql_readlog[id]);
}

static int sq_readlog_append(struct hc_store *st, const struct store_read_entry *e, size_t n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    size_t i;
    int rc;

    if ((rc = sql_read_batch_ok(e, n)) != HC_OK)
        return rc;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    for (i = 0; i < n && rc == HC_OK; i++) {
        if ((q = stmt(s, SRL_INSERT)) == NULL) {
            rc = HC_EIO;
            break;
        }
        sq_bind_str(q, 1, e[i].at);
        sqlite3_bind_int64(q, 2, e[i].user_id);
        sq_bind_str(q, 3, e[i].user_name);
        sq_bind_str(q, 4, e[i].role);
        sq_bind_str(q, 5, e[i].method);
        sq_bind_str(q, 6, e[i].route);
        sq_bind_str(q, 7, e[i].kind);
        sq_bind_str(q, 8, e[i].object);
        sq_bind_str(q, 9, e[i].query);
        sq_bind_str(q, 10, e[i].client);
        sqlite3_bind_int(q, 11, e[i].status);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK || e[i].object[0] == '\0' ||
            sql_read_seen_before(e, i))
            continue;
        if ((q = stmt(s, SRL_SEEN)) == NULL) {
            rc = HC_EIO;
            break;
        }
        sq_bind_str(q, 1, e[i].at);
        sq_bind_str(q, 2, e[i].object);
        sq_bind_str(q, 3, e[i].kind);
        rc = sq_exec_stmt(s, q);
    }
    return sq_tx_leave(s, rc);
}

/* Column i of q's row into dst (n >= 1 bytes), cut to fit; "" for NULL. */
static void col_copy(char *dst, size_t n, sqlite3_stmt *q, int i)
{
    sql_read_copy(dst, n, (const char *)sqlite3_column_text(q, i),
                  (size_t)sqlite3_column_bytes(q, i));
}

static int sq_readlog_list(struct hc_store *st, const struct store_read_filter *f,
                           struct hc_arena *a, struct store_read_entry **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    const char *const filters[] = {f->user_name, f->from, f->to, f->kind, f->object};
    struct store_read_entry *rows;
    sqlite3_stmt *q;
    size_t k = 0, i;
    int rc;

    if (f->limit < 1 || f->limit > 1000)
        return HC_EINVAL;
    if ((q = stmt(s, f->object != NULL ? S_LIST_OBJECT : SRL_LIST)) == NULL)
        return HC_EIO;
    if ((rows = hc_arena_alloc(a, (size_t)f->limit * sizeof *rows)) == NULL) {
        sqlite3_reset(q);
        return HC_ENOMEM;
    }
    sqlite3_bind_int64(q, 1, f->after);
    for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
        sq_bind_str(q, (int)i + 2, filters[i]); /* ?2 .. ?6 */
    sqlite3_bind_int(q, 7, f->limit);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_read_entry *e = &rows[k++];
        e->id = sqlite3_column_int64(q, 0);
        col_copy(e->at, sizeof e->at, q, 1);
        e->user_id = sqlite3_column_int64(q, 2);
        col_copy(e->user_name, sizeof e->user_name, q, 3);
        col_copy(e->role, sizeof e->role, q, 4);
        col_copy(e->method, sizeof e->method, q, 5);
        col_copy(e->route, sizeof e->route, q, 6);
        col_copy(e->kind, sizeof e->kind, q, 7);
        col_copy(e->object, sizeof e->object, q, 8);
        col_copy(e->query, sizeof e->query, q, 9);
        col_copy(e->client, sizeof e->client, q, 10);
        e->status = sqlite3_column_int(q, 11);
    }
    rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
    sqlite3_reset(q);
    if (rc != HC_OK)
        return rc;
    *out = rows;
    *n = k;
    return HC_OK;
}

static int sq_readlog_prune(struct hc_store *st, const char *before, int64_t *removed)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int rc;

    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = stmt(s, SRL_PRUNE)) == NULL)
        return sq_tx_leave(s, HC_EIO);
    sq_bind_str(q, 1, before);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        return sq_tx_leave(s, rc);
    *removed = sqlite3_changes(s->db);
    if ((q = stmt(s, SRL_PRUNE_SEEN)) == NULL)
        return sq_tx_leave(s, HC_EIO);
    sq_bind_str(q, 1, before);
    return sq_tx_leave(s, sq_exec_stmt(s, q));
}

const struct store_readlog_ops sq_readlog_ops = {
    STORE_READLOG_OPS(SQ_OP)
};

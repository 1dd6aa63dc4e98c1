/* SPDX-License-Identifier: MIT
 * pg_readlog.c: the read-access log on PostgreSQL (store_readlog.h), on the statements both
 * backends share (sql_readlog.c): a batch of entries appended in one transaction with the
 * hours their records were read in (read_log_seen: sql.h), a filtered listing by id, pruning by
 * age. Row-level security keeps each agency's log its own: an
 * entry is written for the connection's agency, and a listing or a prune sees no other's. The
 * log is outside the audit chain, as on SQLite. */
#include <stdlib.h>

#include "pg_int.h"
#include "sql.h"

/* This backend's own statement after the shared ones: the listing by object (sql.h), the hours
 * in the period each found by one seek from the last, the record's rows of each hour, and the
 * entries of those hours by their at. */
enum { S_LIST_OBJECT = SRL_COUNT, S_COUNT };
_Static_assert(PG_X_READLOG + S_COUNT <= PG_X_VICTIMS, "this file's statements fit its slots");

static const char list_object_sql[] =
    "WITH RECURSIVE h(x) AS ("
    "  SELECT min(hour) FROM read_log_seen"
    "  WHERE hour >= coalesce(substr(CAST($3 AS text), 1, 13), '')"
    "  UNION ALL SELECT (SELECT min(hour) FROM read_log_seen WHERE hour > h.x) FROM h"
    "  WHERE h.x IS NOT NULL AND (CAST($4 AS text) IS NULL OR h.x < $4))"
    " SELECT r.id, r.at, r.user_id, r.user_name, r.role, r.method, r.route, r.kind,"
    " coalesce(r.object, ''), coalesce(r.query, ''), r.client, r.status"
    " FROM h JOIN read_log_seen s ON s.hour = h.x"
    " JOIN read_log r ON r.at >= s.hour AND r.at < s.hour || " SQL_READ_HOUR_END
    " AND r.object = s.object AND r.kind = s.kind"
    " WHERE s.object = $6 AND (CAST($5 AS text) IS NULL OR s.kind = $5) AND r.id > $1"
    " AND (CAST($2 AS text) IS NULL OR r.user_name = $2)"
    " AND (CAST($3 AS text) IS NULL OR r.at >= $3) AND (CAST($4 AS text) IS NULL OR r.at < $4)"
    " ORDER BY r.id LIMIT $7";

static int slot(int id)
{
    return PG_X_READLOG + id;
}

static int pg_readlog_append(struct hc_store *st, const struct store_read_entry *e, size_t n)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    size_t i;
    int rc;

    if ((rc = sql_read_batch_ok(e, n)) != HC_OK)
        return rc;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    for (i = 0; i < n && rc == HC_OK; i++) {
        p.n = 0;
        pg_param_str(&p, e[i].at);
        pg_param_i64(&p, e[i].user_id);
        pg_param_str(&p, e[i].user_name);
        pg_param_str(&p, e[i].role);
        pg_param_str(&p, e[i].method);
        pg_param_str(&p, e[i].route);
        pg_param_str(&p, e[i].kind);
        pg_param_str(&p, e[i].object);
        pg_param_str(&p, e[i].query);
        pg_param_str(&p, e[i].client);
        pg_param_i64(&p, e[i].status);
        if ((rc = pg_exec_stmt(s, slot(SRL_INSERT), sql_readlog[SRL_INSERT], &p, NULL, NULL)) !=
                HC_OK ||
            e[i].object[0] == '\0' || sql_read_seen_before(e, i))
            continue;
        p.n = 0;
        pg_param_str(&p, e[i].at);
        pg_param_str(&p, e[i].object);
        pg_param_str(&p, e[i].kind);
        rc = pg_exec_stmt(s, slot(SRL_SEEN), sql_readlog[SRL_SEEN], &p, NULL, NULL);
    }
    return pg_tx_leave(s, rc);
}

/* Column c of row i of r into dst (n >= 1 bytes), cut to fit; "" for NULL. */
static void col_copy(char *dst, size_t n, const PGresult *r, int i, int c)
{
    sql_read_copy(dst, n, PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c),
                  (size_t)PQgetlength(r, i, c));
}

static int pg_readlog_list(struct hc_store *st, const struct store_read_filter *f,
                           struct hc_arena *a, struct store_read_entry **out, size_t *n)
{
    const char *const filters[] = {f->user_name, f->from, f->to, f->kind, f->object};
    struct store_read_entry *rows;
    struct pg_params p;
    PGresult *r;
    size_t k;
    int rc, i, nrows;

    if (f->limit < 1 || f->limit > 1000)
        return HC_EINVAL;
    pg_params_id(&p, f->after);
    for (k = 0; k < sizeof filters / sizeof filters[0]; k++)
        pg_param_str(&p, filters[k]); /* $2 .. $6 */
    pg_param_i64(&p, f->limit);
    r = f->object != NULL ? pg_run(pgs(st), slot(S_LIST_OBJECT), list_object_sql, &p, &rc)
                          : pg_run(pgs(st), slot(SRL_LIST), sql_readlog[SRL_LIST], &p, &rc);
    if (r == NULL)
        return rc;
    nrows = PQntuples(r);
    if ((rows = hc_arena_alloc(a, (size_t)f->limit * sizeof *rows)) == NULL) {
        PQclear(r);
        return HC_ENOMEM;
    }
    for (i = 0; i < nrows; i++) {
        struct store_read_entry *e = &rows[i];
        e->id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        col_copy(e->at, sizeof e->at, r, i, 1);
        e->user_id = strtoll(PQgetvalue(r, i, 2), NULL, 10);
        col_copy(e->user_name, sizeof e->user_name, r, i, 3);
        col_copy(e->role, sizeof e->role, r, i, 4);
        col_copy(e->method, sizeof e->method, r, i, 5);
        col_copy(e->route, sizeof e->route, r, i, 6);
        col_copy(e->kind, sizeof e->kind, r, i, 7);
        col_copy(e->object, sizeof e->object, r, i, 8);
        col_copy(e->query, sizeof e->query, r, i, 9);
        col_copy(e->client, sizeof e->client, r, i, 10);
        e->status = (int)strtol(PQgetvalue(r, i, 11), NULL, 10);
    }
    PQclear(r);
    *out = rows;
    *n = (size_t)nrows;
    return HC_OK;
}

static int pg_readlog_prune(struct hc_store *st, const char *before, int64_t *removed)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    int64_t changed = 0;
    int rc;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, before);
    rc = pg_exec_stmt(s, slot(SRL_PRUNE), sql_readlog[SRL_PRUNE], &p, &changed, NULL);
    if (rc == HC_OK)
        rc = pg_exec_stmt(s, slot(SRL_PRUNE_SEEN), sql_readlog[SRL_PRUNE_SEEN], &p, NULL, NULL);
    rc = pg_tx_leave(s, rc);
    if (rc == HC_OK)
        *removed = changed;
    return rc;
}

const struct store_readlog_ops pg_readlog_ops = {STORE_READLOG_OPS(PG_OP)};

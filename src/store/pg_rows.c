/* SPDX-License-Identifier: MIT
 * pg_rows.c: the PostgreSQL backend's records by their field descriptors (fields.h): bound as
 * statement parameters, read from result rows, and written with their audit entry in one
 * transaction. Every pg_<area>.c file uses these, as the SQLite backend's files use
 * sqlite_fields.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "pg_int.h"

int pg_param_fields(struct pg_params *p, const void *rec, const struct sf_record *rd,
                    const char *at)
{
    struct sf_value v[SF_BIND_MAX];
    size_t k, n = sf_bind_values(rec, rd, at, v, SF_BIND_MAX);
    if (n > SF_BIND_MAX || p->n + (int)n > PG_PARAMS_MAX)
        return HC_EINVAL;
    for (k = 0; k < n; k++) {
        if (v[k].kind == SF_V_NULL || v[k].kind == SF_V_TEXT)
            pg_param_str(p, v[k].text);
        else
            pg_param_i64(p, v[k].n);
    }
    return HC_OK;
}

int pg_fill_fields(const PGresult *r, int row, int col, struct hc_arena *a, void *rec,
                   const struct sf_record *rd, int *oom)
{
    size_t k;
    for (k = 0; k < rd->n; k++) {
        const struct sf_field *f = &rd->f[k];
        int null;
        if (!(f->use & SF_COL))
            continue;
        null = PQgetisnull(r, row, col);
        if (f->type == SF_STR) {
            const char *t = NULL;
            if (!null) {
                t = hc_arena_strndup(a, PQgetvalue(r, row, col),
                                     (size_t)PQgetlength(r, row, col));
                *oom |= t == NULL;
            }
            sf_put(rec, f, t, 0, null);
        } else {
            sf_put(rec, f, NULL, null ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10), null);
        }
        col++;
    }
    return col;
}

PGresult *pg_run_one(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                     int *rc)
{
    PGresult *r = pg_run(s, slot, sql, p, rc);
    if (r != NULL && PQntuples(r) != 1) {
        PQclear(r);
        *rc = HC_ENOENT;
        return NULL;
    }
    return r;
}

int pg_read_rec(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                struct hc_arena *a, const struct sf_record *rd, void *el)
{
    PGresult *r;
    int rc, oom = 0;
    if ((r = pg_run(s, slot, sql, p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return HC_ENOENT;
    }
    pg_fill_fields(r, 0, 0, a, el, rd, &oom);
    PQclear(r);
    return oom ? HC_ENOMEM : HC_OK;
}

int pg_read_recs(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 struct hc_arena *a, const struct sf_record *rd, void **out, size_t *n)
{
    PGresult *r;
    char *rows;
    int rc, i, nrows, oom = 0;
    if ((r = pg_run(s, slot, sql, p, &rc)) == NULL)
        return rc;
    nrows = PQntuples(r);
    rows = hc_arena_zalloc(a, (size_t)(nrows > 0 ? nrows : 1) * rd->size);
    for (i = 0; rows != NULL && i < nrows; i++)
        pg_fill_fields(r, i, 0, a, rows + (size_t)i * rd->size, rd, &oom);
    PQclear(r);
    if (rows == NULL || oom)
        return HC_ENOMEM;
    *out = rows;
    *n = (size_t)nrows;
    return HC_OK;
}

int pg_tx_leave(struct store_pg *s, int rc)
{
    if (rc == HC_OK)
        return store_commit(&s->base);
    store_rollback(&s->base);
    return rc;
}

int pg_add_audited(struct hc_store *st, int slot, const char *sql, const char *parent,
                   int64_t parent_id, const struct sf_record *rd, const void *row,
                   const char *actor, const char *action, const char *what, int64_t *id)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN], entity[64];
    json_t *pl = NULL;
    int64_t rid = 0;
    int rc;

    if (sf_fields_missing(row, rd))
        return HC_EINVAL;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    /* After the BEGIN: the recording time is that of the write. */
    hc_clock_utc(hc_clock_now(), at);
    if (parent != NULL)
        pg_param_i64(&p, parent_id);
    if ((rc = pg_param_fields(&p, row, rd, at)) == HC_OK)
        rc = pg_exec_stmt(s, slot, sql, &p, NULL, &rid);
    if (rc == HC_OK && (pl = json_object()) == NULL)
        rc = HC_ENOMEM;
    if (rc == HC_OK) {
        if (parent != NULL)
            json_object_set_new(pl, parent, json_integer(parent_id));
        sf_jset_fields(pl, row, rd, at);
        json_object_set_new(pl, "id", json_integer(rid));
        snprintf(entity, sizeof entity, "%s/%" PRId64, what, rid);
        rc = pg_audit_append(st, actor, action, entity, pl);
    }
    json_decref(pl);
    rc = pg_tx_leave(s, rc);
    if (rc == HC_OK)
        *id = rid;
    return rc;
}

int pg_exec_stmt(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 int64_t *changed, int64_t *id)
{
    int rc;
    PGresult *r = pg_run(s, slot, sql, p, &rc);
    if (r == NULL)
        return rc;
    if (changed != NULL)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    if (id != NULL) {
        if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0))
            rc = HC_ENOENT;
        else
            *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    }
    PQclear(r);
    return rc;
}

void pg_params_id(struct pg_params *p, int64_t id)
{
    p->n = 0;
    pg_param_i64(p, id);
}

const char *pg_col_dup(const PGresult *r, int row, int c, struct hc_arena *a, int *oom)
{
    const char *t;
    if (PQgetisnull(r, row, c))
        return NULL;
    t = hc_arena_strndup(a, PQgetvalue(r, row, c), (size_t)PQgetlength(r, row, c));
    *oom |= t == NULL;
    return t;
}

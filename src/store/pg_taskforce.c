/* SPDX-License-Identifier: MIT
 * pg_taskforce.c: the register of joint law enforcement task forces on PostgreSQL
 * (store_taskforce.h), on the statements both backends share (sql_taskforce.c). Row-level
 * security keeps each to the connection's agency: a task force's name is unique within its
 * agency, and an entry can name only a task force of its own agency (the foreign key names
 * (agency_id, task_force_id)). Each insert and its audit entry, which binds the new row into
 * the agency's chain, commit in one transaction. */
#include "pg_int.h"
#include "sql.h"

/* The shared statements, then this backend's tally. */
enum { S_TALLY = STF_COUNT, S_COUNT };

_Static_assert(S_COUNT <= 8, "this file's statements fit its slots (PG_X_TASKFORCE..+7)");

static const char tally_sql[] =
    SQL_TF_TALLY("string_agg(CAST(x.id AS text), ',' ORDER BY x.period_from, x.id)");

static int slot(int id)
{
    return PG_X_TASKFORCE + id;
}

static int pg_tf_add(struct hc_store *st, const struct store_task_force *t, int64_t *id,
                     struct hc_diag *d)
{
    int rc = pg_add_audited(st, slot(STF_INSERT), sql_taskforce[STF_INSERT], NULL, 0,
                            &sql_task_force_rec, t, t->recorded_by, "task_force.add",
                            "task_force", id);
    return sql_refused(rc, &sql_tf_refusal, d);
}

static int pg_tf_arrests_add(struct hc_store *st, const struct store_tf_arrests *e, int64_t *id,
                             struct hc_diag *d)
{
    int rc = pg_add_audited(st, slot(STF_ARRESTS_INSERT), sql_taskforce[STF_ARRESTS_INSERT],
                            NULL, 0, &sql_tf_arrests_rec, e, e->recorded_by,
                            "task_force.arrests", "tf_arrests", id);
    return sql_refused(rc, &sql_tf_arrests_refusal, d);
}

static int pg_tf_list(struct hc_store *st, struct hc_arena *a, struct store_task_force **out,
                      size_t *n)
{
    return pg_read_recs(pgs(st), slot(STF_LIST), sql_taskforce[STF_LIST], NULL, a,
                        &sql_task_force_rec, (void **)out, n);
}

static int pg_tf_arrests_list(struct hc_store *st, int64_t task_force_id, struct hc_arena *a,
                              struct store_tf_arrests **out, size_t *n)
{
    struct pg_params p;
    int id = task_force_id == 0 ? STF_ARRESTS_ALL : STF_ARRESTS_OF;
    pg_params_id(&p, task_force_id);
    return pg_read_recs(pgs(st), slot(id), sql_taskforce[id], id == STF_ARRESTS_OF ? &p : NULL,
                        a, &sql_tf_arrests_rec, (void **)out, n);
}

static int pg_tf_tally(struct hc_store *st, const char *from, const char *to, struct hc_arena *a,
                       struct store_tf_tally **out, size_t *n)
{
    struct pg_params p = {0};
    pg_param_str(&p, from);
    pg_param_str(&p, to);
    return pg_read_recs(pgs(st), slot(S_TALLY), tally_sql, &p, a, &sql_tf_tally_rec,
                        (void **)out, n);
}

const struct store_taskforce_ops pg_taskforce_ops = {STORE_TASKFORCE_OPS(PG_OP)};

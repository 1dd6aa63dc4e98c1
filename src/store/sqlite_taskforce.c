/* SPDX-License-Identifier: MIT
 * sqlite_taskforce.c: the SQLite side of the register of joint law enforcement task forces
 * (store_taskforce.h), on the statements both backends share (sql_taskforce.c): the two
 * inserts, each with its audit entry in one transaction (the entry binds the new row into the
 * chain, bound.c), the plain reads, and the tally that `holdcheck report --check task-force`
 * compares the report with, summed in SQL. Statements use slots
 * SQ_X_TASKFORCE..SQ_X_TASKFORCE+7. */
#include "sql.h"
#include "sqlite_int.h"

/* The shared statements, then this backend's tally. */
enum { TF_TALLY = STF_COUNT, TF_COUNT };

_Static_assert(TF_COUNT <= 8, "this file's statements fit its slots (240..247)");

static const char tf_tally_sql[] = SQL_TF_TALLY("group_concat(x.id, ',')");

static sqlite3_stmt *tf(struct store_sqlite *s, enum sql_taskforce id)
{
    return sq_xstmt(s, SQ_X_TASKFORCE + (int)id, sql_taskforce[id]);
}

static int sq_tf_add(struct hc_store *st, const struct store_task_force *t, int64_t *id,
                     struct hc_diag *d)
{
    int rc = sq_add_audited(st, SQ_X_TASKFORCE + STF_INSERT, sql_taskforce[STF_INSERT],
                            &sql_task_force_rec, t, t->recorded_by, "task_force.add",
                            "task_force", id);
    return sql_refused(rc, &sql_tf_refusal, d);
}

static int sq_tf_arrests_add(struct hc_store *st, const struct store_tf_arrests *e, int64_t *id,
                             struct hc_diag *d)
{
    int rc = sq_add_audited(st, SQ_X_TASKFORCE + STF_ARRESTS_INSERT,
                            sql_taskforce[STF_ARRESTS_INSERT], &sql_tf_arrests_rec, e,
                            e->recorded_by, "task_force.arrests", "tf_arrests", id);
    return sql_refused(rc, &sql_tf_arrests_refusal, d);
}

static int sq_tf_list(struct hc_store *st, struct hc_arena *a, struct store_task_force **out,
                      size_t *n)
{
    return sq_read_recs(sq(st), tf(sq(st), STF_LIST), a, &sql_task_force_rec, (void **)out, n);
}

static int sq_tf_arrests_list(struct hc_store *st, int64_t task_force_id, struct hc_arena *a,
                              struct store_tf_arrests **out, size_t *n)
{
    if (task_force_id == 0)
        return sq_read_recs(sq(st), tf(sq(st), STF_ARRESTS_ALL), a, &sql_tf_arrests_rec,
                            (void **)out, n);
    return sq_read_rows_by_id(sq(st), tf(sq(st), STF_ARRESTS_OF), task_force_id, a,
                              &sql_tf_arrests_rec, (void **)out, n);
}

static int sq_tf_tally(struct hc_store *st, const char *from, const char *to, struct hc_arena *a,
                       struct store_tf_tally **out, size_t *n)
{
    sqlite3_stmt *q = sq_xstmt(sq(st), SQ_X_TASKFORCE + TF_TALLY, tf_tally_sql);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, from);
    sq_bind_str(q, 2, to);
    return sq_read_recs(sq(st), q, a, &sql_tf_tally_rec, (void **)out, n);
}

const struct store_taskforce_ops sq_taskforce_ops = {STORE_TASKFORCE_OPS(SQ_OP)};

/* SPDX-License-Identifier: MIT
 * sqlite_taskforce.c: the SQLite side of the register of joint law enforcement task forces
 * (store_taskforce.h): the two inserts, each with its audit entry in one transaction (the
 * entry binds the new row into the chain, bound.c), the plain reads, and the tally that
 * `holdcheck report --check task-force` compares the report with, summed in SQL. Statements
 * use slots SQ_X_TASKFORCE..SQ_X_TASKFORCE+7. */
#include <string.h>

#include "sqlite_int.h"

enum tf_id { TF_INSERT, TF_ARRESTS_INSERT, TF_LIST, TF_ARRESTS_OF, TF_ARRESTS_ALL, TF_TALLY,
             TF_COUNT };

_Static_assert(TF_COUNT <= 8, "this file's statements fit its slots (72..79)");

#define TF_ARRESTS_COLS                                                                          \
    "id, task_force_id, period_from, period_to, arrests, immigration_arrests, source,"          \
    " recorded_by, recorded_at"

static const char *const tf_sql[TF_COUNT] = {
    /* A task force; the columns of task_force_rec, in its order. */
    [TF_INSERT] = "INSERT INTO task_forces (name, purpose, members, joined, left_on, recorded_by,"
                  " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [TF_LIST] = "SELECT id, name, purpose, members, joined, left_on, recorded_by, recorded_at"
                " FROM task_forces ORDER BY id",
    /* An entry; the columns of tf_arrests_rec. */
    [TF_ARRESTS_INSERT] = "INSERT INTO task_force_arrests (task_force_id, period_from, period_to,"
                          " arrests, immigration_arrests, source, recorded_by, recorded_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [TF_ARRESTS_OF] = "SELECT " TF_ARRESTS_COLS " FROM task_force_arrests WHERE task_force_id = ?"
                      " ORDER BY period_from, id",
    [TF_ARRESTS_ALL] = "SELECT " TF_ARRESTS_COLS " FROM task_force_arrests"
                       " ORDER BY task_force_id, period_from, id",
    [TF_TALLY] =
        "SELECT t.id,"
        " (SELECT coalesce(sum(e.arrests), 0) FROM task_force_arrests e WHERE e.task_force_id = t.id"
        "   AND e.period_from >= ?1 AND e.period_to <= ?2),"
        " (SELECT coalesce(sum(e.immigration_arrests), 0) FROM task_force_arrests e"
        "   WHERE e.task_force_id = t.id AND e.period_from >= ?1 AND e.period_to <= ?2),"
        " (SELECT group_concat(x.id, ',') FROM (SELECT e.id FROM task_force_arrests e"
        "   WHERE e.task_force_id = t.id AND e.period_from >= ?1 AND e.period_to <= ?2"
        "   ORDER BY e.period_from, e.id) x),"
        " (SELECT count(*) FROM task_force_arrests e WHERE e.task_force_id = t.id"
        "   AND e.period_from <= ?2 AND e.period_to >= ?1"
        "   AND NOT (e.period_from >= ?1 AND e.period_to <= ?2)),"
        " (SELECT group_concat(x.id, ',') FROM (SELECT e.id FROM task_force_arrests e"
        "   WHERE e.task_force_id = t.id AND e.period_from <= ?2 AND e.period_to >= ?1"
        "   AND NOT (e.period_from >= ?1 AND e.period_to <= ?2) ORDER BY e.period_from, e.id) x)"
        " FROM task_forces t WHERE t.joined <= ?2 AND (t.left_on IS NULL OR t.left_on >= ?1)"
        " ORDER BY t.id",
};

static sqlite3_stmt *tf(struct store_sqlite *s, enum tf_id id)
{
    return sq_xstmt(s, SQ_X_TASKFORCE + (int)id, tf_sql[id]);
}

/* Columns of TF_LIST; parameters of TF_INSERT. */
static const struct sf_field task_force_fields[] = {
    SF_FIELD(struct store_task_force, id, SF_I64, SF_COL), /* read back only */
    SF_FIELD(struct store_task_force, name, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_task_force, purpose, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_task_force, members, SF_STR, SF_AUDITED | SF_REQ), /* JSON array */
    SF_FIELD(struct store_task_force, joined, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_task_force, left_on, SF_STR, SF_AUDITED), /* NULL: still a member */
    SF_FIELD(struct store_task_force, recorded_by, SF_STR, SF_STORED | SF_REQ),
    SF_FIELD(struct store_task_force, recorded_at, SF_STR, SF_AUDITED | SF_AT),
};
static const struct sf_record task_force_rec = SF_RECORD(struct store_task_force,
                                                         task_force_fields);

/* Columns of TF_ARRESTS_COLS; parameters of TF_ARRESTS_INSERT. */
static const struct sf_field tf_arrests_fields[] = {
    SF_FIELD(struct store_tf_arrests, id, SF_I64, SF_COL), /* read back only */
    SF_FIELD(struct store_tf_arrests, task_force_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_tf_arrests, period_from, SF_STR, SF_AUDITED | SF_REQ), /* days, both */
    SF_FIELD(struct store_tf_arrests, period_to, SF_STR, SF_AUDITED | SF_REQ),   /* included */
    SF_FIELD(struct store_tf_arrests, arrests, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_tf_arrests, immigration_arrests, SF_I64, SF_AUDITED), /* <= arrests */
    SF_FIELD(struct store_tf_arrests, source, SF_STR, SF_AUDITED), /* NULL: not given */
    SF_FIELD(struct store_tf_arrests, recorded_by, SF_STR, SF_STORED | SF_REQ),
    SF_FIELD(struct store_tf_arrests, recorded_at, SF_STR, SF_AUDITED | SF_AT),
};
static const struct sf_record tf_arrests_rec = SF_RECORD(struct store_tf_arrests,
                                                         tf_arrests_fields);

static int sq_tf_add(struct hc_store *st, const struct store_task_force *t, int64_t *id,
                     struct hc_diag *d)
{
    static const struct sq_refusal r = {
        "name", "a task force of this name is in the register already", NULL, NULL,
        "task_force", "the database refused a value (name, purpose, members or dates)"};
    int rc = sq_add_audited(st, SQ_X_TASKFORCE + TF_INSERT, tf_sql[TF_INSERT], &task_force_rec,
                            t, t->recorded_by, "task_force.add", "task_force", id);
    return sq_refused(rc, &r, d);
}

static int sq_tf_arrests_add(struct hc_store *st, const struct store_tf_arrests *e, int64_t *id,
                             struct hc_diag *d)
{
    static const struct sq_refusal r = {
        NULL, NULL, "task_force", "no such task force in the register",
        "arrests", "the database refused a value (counts or period)"};
    int rc = sq_add_audited(st, SQ_X_TASKFORCE + TF_ARRESTS_INSERT, tf_sql[TF_ARRESTS_INSERT],
                            &tf_arrests_rec, e, e->recorded_by, "task_force.arrests",
                            "tf_arrests", id);
    return sq_refused(rc, &r, d);
}

static int sq_tf_list(struct hc_store *st, struct hc_arena *a, struct store_task_force **out,
                      size_t *n)
{
    return sq_read_recs(sq(st), tf(sq(st), TF_LIST), a, &task_force_rec, (void **)out, n);
}

static int sq_tf_arrests_list(struct hc_store *st, int64_t task_force_id, struct hc_arena *a,
                              struct store_tf_arrests **out, size_t *n)
{
    if (task_force_id == 0)
        return sq_read_recs(sq(st), tf(sq(st), TF_ARRESTS_ALL), a, &tf_arrests_rec,
                            (void **)out, n);
    return sq_read_rows_by_id(sq(st), tf(sq(st), TF_ARRESTS_OF), task_force_id, a,
                              &tf_arrests_rec, (void **)out, n);
}

/* Columns of TF_TALLY. */
static const struct sf_field tally_fields[] = {
    SF_FIELD(struct store_tf_tally, task_force_id, SF_I64, SF_COL),
    SF_FIELD(struct store_tf_tally, arrests, SF_I64, SF_COL),             /* sums of the entries */
    SF_FIELD(struct store_tf_tally, immigration_arrests, SF_I64, SF_COL), /* within the days */
    SF_FIELD(struct store_tf_tally, within_ids, SF_STR, SF_COL),          /* "2,3" or NULL */
    SF_FIELD(struct store_tf_tally, straddling, SF_I64, SF_COL),          /* a count, and ... */
    SF_FIELD(struct store_tf_tally, straddling_ids, SF_STR, SF_COL),      /* ... its ids */
};
static const struct sf_record tally_rec = SF_RECORD(struct store_tf_tally, tally_fields);

static int sq_tf_tally(struct hc_store *st, const char *from, const char *to, struct hc_arena *a,
                       struct store_tf_tally **out, size_t *n)
{
    sqlite3_stmt *q = tf(sq(st), TF_TALLY);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, from);
    sq_bind_str(q, 2, to);
    return sq_read_recs(sq(st), q, a, &tally_rec, (void **)out, n);
}

const struct store_taskforce_ops sq_taskforce_ops = {STORE_TASKFORCE_OPS(SQ_OP)};

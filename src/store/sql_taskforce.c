/* SPDX-License-Identifier: MIT
 * sql_taskforce.c: the task force register's statements and field descriptors, which
 * sqlite_taskforce.c and pg_taskforce.c both run, bind and read by (sql.h). Only the tally's
 * aggregate of ids differs (SQL_TF_TALLY). On PostgreSQL, row-level security narrows each
 * statement to the connection's agency. */
#include "sql.h"

#define TF_ARRESTS_COLS                                                                        \
    "id, task_force_id, period_from, period_to, arrests, immigration_arrests, source,"        \
    " recorded_by, recorded_at"

const char *const sql_taskforce[STF_COUNT] = {
    /* The columns of sql_task_force_rec, in its order. */
    [STF_INSERT] = "INSERT INTO task_forces (name, purpose, members, joined, left_on, recorded_by,"
                   " recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    [STF_LIST] = "SELECT id, name, purpose, members, joined, left_on, recorded_by, recorded_at"
                 " FROM task_forces ORDER BY id",
    /* The columns of sql_tf_arrests_rec. */
    [STF_ARRESTS_INSERT] = "INSERT INTO task_force_arrests (task_force_id, period_from, period_to,"
                           " arrests, immigration_arrests, source, recorded_by, recorded_at)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    [STF_ARRESTS_OF] = "SELECT " TF_ARRESTS_COLS " FROM task_force_arrests"
                       " WHERE task_force_id = $1 ORDER BY period_from, id",
    [STF_ARRESTS_ALL] = "SELECT " TF_ARRESTS_COLS " FROM task_force_arrests"
                        " ORDER BY task_force_id, period_from, id",
};

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
const struct sf_record sql_task_force_rec = SF_RECORD(struct store_task_force,
                                                      task_force_fields);

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
const struct sf_record sql_tf_arrests_rec = SF_RECORD(struct store_tf_arrests, tf_arrests_fields);

static const struct sf_field tally_fields[] = {
    SF_FIELD(struct store_tf_tally, task_force_id, SF_I64, SF_COL),
    SF_FIELD(struct store_tf_tally, arrests, SF_I64, SF_COL),             /* sums of the entries */
    SF_FIELD(struct store_tf_tally, immigration_arrests, SF_I64, SF_COL), /* within the days */
    SF_FIELD(struct store_tf_tally, within_ids, SF_STR, SF_COL),          /* "2,3" or NULL */
    SF_FIELD(struct store_tf_tally, straddling, SF_I64, SF_COL),          /* a count, and ... */
    SF_FIELD(struct store_tf_tally, straddling_ids, SF_STR, SF_COL),      /* ... its ids */
};
const struct sf_record sql_tf_tally_rec = SF_RECORD(struct store_tf_tally, tally_fields);

const struct sql_refusal sql_tf_refusal = {
    "name", "a task force of this name is in the register already", NULL, NULL,
    "task_force", "the database refused a value (name, purpose, members or dates)"};
const struct sql_refusal sql_tf_arrests_refusal = {
    NULL, NULL, "task_force", "no such task force in the register",
    "arrests", "the database refused a value (counts or period)"};

/* SPDX-License-Identifier: MIT
 * store_taskforce.h: the register of joint law enforcement task forces (rows_taskforce.h,
 * Gov. Code 7284.6(c)(1)): its rows, their writes with their audit entries, and a plain SQL
 * tally of the arrests of a period for `holdcheck report --check task-force`. The store keeps
 * the rows; which entries a period counts, that an entry lies within the membership and that
 * two entries of one task force do not overlap are src/app/taskforce.c's and
 * src/app/report_taskforce.c's. Dates are YYYY-MM-DD text, compared as text. */
#ifndef HC_STORE_TASKFORCE_H
#define HC_STORE_TASKFORCE_H

#include <stddef.h>
#include <stdint.h>

#include "rows_taskforce.h"
#include "store_conn.h"
#include "store_reports.h" /* STORE_ENOTSUP */

/* The task force operations of a backend (contracts: the wrappers below). */
struct store_taskforce_ops {
    int (*tf_add)(struct hc_store *st, const struct store_task_force *t, int64_t *id,
                  struct hc_diag *d);
    int (*tf_arrests_add)(struct hc_store *st, const struct store_tf_arrests *e, int64_t *id,
                          struct hc_diag *d);
    int (*tf_list)(struct hc_store *st, struct hc_arena *a, struct store_task_force **out,
                   size_t *n);
    int (*tf_arrests_list)(struct hc_store *st, int64_t task_force_id, struct hc_arena *a,
                           struct store_tf_arrests **out, size_t *n);
    int (*tf_tally)(struct hc_store *st, const char *from, const char *to, struct hc_arena *a,
                    struct store_tf_tally **out, size_t *n);
};

/* The operation names in table order (as STORE_CONSOLE_OPS). */
#define STORE_TASKFORCE_OPS(OP) OP(tf_add) OP(tf_arrests_add) OP(tf_list) OP(tf_arrests_list) \
    OP(tf_tally)

/* A backend without the register leaves st->taskforce NULL: every wrapper then answers
 * STORE_ENOTSUP. */

/* Add task force t (recorded_at: now) with its audit entry "task_force.add" by t->recorded_by
 * (entity "task_force/ID", which binds the row into the chain), in one transaction (or the
 * caller's). *id (OUT) on HC_OK. STORE_ECONFLICT (d->field "name") when the name is taken;
 * HC_EINVAL (d->field names the column) when the schema refuses a value or a required one is
 * NULL; STORE_ENOTSUP. */
static inline int store_tf_add(struct hc_store *st, const struct store_task_force *t,
                               int64_t *id, struct hc_diag *d)
{
    if (st->taskforce == NULL)
        return STORE_ENOTSUP;
    return st->taskforce->tf_add(st, t, id, d);
}

/* Add the arrests entry e (recorded_at: now) with its audit entry "task_force.arrests" by
 * e->recorded_by (entity "tf_arrests/ID", binding the row), in one transaction (or the
 * caller's). *id (OUT) on HC_OK. HC_ENOENT (d->field "task_force") when the task force does
 * not exist; HC_EINVAL (d->field) when the schema refuses a value (a negative count, more
 * immigration arrests than arrests, a period that ends before it starts); STORE_ENOTSUP. */
static inline int store_tf_arrests_add(struct hc_store *st, const struct store_tf_arrests *e,
                                       int64_t *id, struct hc_diag *d)
{
    if (st->taskforce == NULL)
        return STORE_ENOTSUP;
    return st->taskforce->tf_arrests_add(st, e, id, d);
}

/* Every task force of the register, by id (strings in a). HC_ENOMEM when a is full;
 * STORE_ENOTSUP. */
static inline int store_tf_list(struct hc_store *st, struct hc_arena *a,
                                struct store_task_force **out, size_t *n)
{
    if (st->taskforce == NULL)
        return STORE_ENOTSUP;
    return st->taskforce->tf_list(st, a, out, n);
}

/* The arrests entries of task force task_force_id (0: of every task force), by task force,
 * then period_from, then id (strings in a). Errors as store_tf_list. */
static inline int store_tf_arrests_list(struct hc_store *st, int64_t task_force_id,
                                        struct hc_arena *a, struct store_tf_arrests **out,
                                        size_t *n)
{
    if (st->taskforce == NULL)
        return STORE_ENOTSUP;
    return st->taskforce->tf_arrests_list(st, task_force_id, a, out, n);
}

/* For each task force whose membership (joined..left) meets the days from..to (YYYY-MM-DD,
 * inclusive), by id: the SQL sums of its entries lying within from..to and the count of those
 * overlapping it without lying within (struct store_tf_tally), in a. Read by its own query
 * (aggregates in SQL), so that --check does not share the report's code. Errors as
 * store_tf_list. */
static inline int store_tf_tally(struct hc_store *st, const char *from, const char *to,
                                 struct hc_arena *a, struct store_tf_tally **out, size_t *n)
{
    if (st->taskforce == NULL)
        return STORE_ENOTSUP;
    return st->taskforce->tf_tally(st, from, to, a, out, n);
}

#endif

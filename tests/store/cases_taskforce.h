/* SPDX-License-Identifier: MIT
 * cases_taskforce.h: what the task force register promises (store_taskforce.h), checked the
 * same way against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL,
 * each on a fresh store with a struct cases_env (cases_records.h). Every name is synthetic. */
#ifndef HC_TEST_CASES_TASKFORCE_H
#define HC_TEST_CASES_TASKFORCE_H

#include <string.h>

#include "cases_records.h"
#include "store.h"

/* Add a task force named name, a member from joined to left_on (NULL: still one); its id. */
static int64_t cases_tf(struct hc_store *st, const char *name, const char *joined,
                        const char *left_on)
{
    struct store_task_force t;
    struct hc_diag d;
    int64_t id = 0;
    memset(&t, 0, sizeof t);
    t.name = name;
    t.purpose = "Synthetic purpose for a test";
    t.members = "[\"Test Federal Agency\",\"Test County\"]";
    t.joined = joined;
    t.left_on = left_on;
    t.recorded_by = "tf-clerk";
    hc_diag_clear(&d);
    assert_int_equal(store_tf_add(st, &t, &id, &d), HC_OK);
    assert_true(id > 0);
    return id;
}

/* Add an entry of task force tf for the days from..to; its id. */
static int64_t cases_tf_entry(struct hc_store *st, int64_t tf, const char *from, const char *to,
                              int64_t arrests, int64_t immigration)
{
    struct store_tf_arrests e;
    struct hc_diag d;
    int64_t id = 0;
    memset(&e, 0, sizeof e);
    e.task_force_id = tf;
    e.period_from = from;
    e.period_to = to;
    e.arrests = arrests;
    e.immigration_arrests = immigration;
    e.source = "Synthetic quarterly letter";
    e.recorded_by = "tf-clerk";
    hc_diag_clear(&d);
    assert_int_equal(store_tf_arrests_add(st, &e, &id, &d), HC_OK);
    assert_true(id > 0);
    return id;
}

/* A task force and an arrests entry are each written with one audit entry that binds the row,
 * read back as written (recorded_at the write's time); a taken name, an unknown task force or
 * a value the schema refuses writes nothing and is named in the diag. */
static void cases_taskforce_writes(struct hc_store *st, const struct cases_env *e)
{
    struct store_task_force t, *tfs = NULL;
    struct store_tf_arrests x, *ents = NULL;
    struct store_audit_report rep;
    struct hc_diag d;
    int64_t tf, id = 0;
    size_t n = 9;

    assert_int_equal(store_tf_list(st, e->a, &tfs, &n), HC_OK);
    assert_int_equal(n, 0);
    tf = cases_tf(st, "Test Task Force A", "2024-01-01", NULL);
    assert_int_equal(store_tf_list(st, e->a, &tfs, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tfs[0].id, tf);
    assert_string_equal(tfs[0].name, "Test Task Force A");
    assert_string_equal(tfs[0].members, "[\"Test Federal Agency\",\"Test County\"]");
    assert_string_equal(tfs[0].joined, "2024-01-01");
    assert_null(tfs[0].left_on);
    assert_string_equal(tfs[0].recorded_by, "tf-clerk");
    assert_int_equal(strlen(tfs[0].recorded_at), 20); /* YYYY-MM-DDTHH:MM:SSZ */
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'task_force.add'"
                              " AND actor = 'tf-clerk'"),
                     1);

    /* A taken name; a required value missing; one the schema refuses. */
    memset(&t, 0, sizeof t);
    t = tfs[0];
    hc_diag_clear(&d);
    assert_int_equal(store_tf_add(st, &t, &id, &d), STORE_ECONFLICT);
    assert_string_equal(d.field, "name");
    t.name = "Test Task Force B";
    t.purpose = NULL;
    assert_int_equal(store_tf_add(st, &t, &id, &d), HC_EINVAL);
    t.purpose = "Synthetic purpose";
    t.left_on = "2023-12-31"; /* before joined */
    hc_diag_clear(&d);
    assert_int_equal(store_tf_add(st, &t, &id, &d), HC_EINVAL);
    assert_string_equal(d.field, "task_force");
    assert_int_equal(nrows(e, "SELECT count(*) FROM task_forces"), 1);

    /* Entries: an unknown task force, counts and a period the schema refuses. */
    memset(&x, 0, sizeof x);
    x.task_force_id = tf + 1000;
    x.period_from = "2024-01-01";
    x.period_to = "2024-03-31";
    x.arrests = 4;
    x.immigration_arrests = 1;
    x.recorded_by = "tf-clerk";
    hc_diag_clear(&d);
    assert_int_equal(store_tf_arrests_add(st, &x, &id, &d), HC_ENOENT);
    assert_string_equal(d.field, "task_force");
    x.task_force_id = tf;
    x.immigration_arrests = 5; /* more than the arrests */
    hc_diag_clear(&d);
    assert_int_equal(store_tf_arrests_add(st, &x, &id, &d), HC_EINVAL);
    assert_string_equal(d.field, "arrests");
    x.immigration_arrests = 1;
    x.period_to = "2023-12-31"; /* ends before it starts */
    assert_int_equal(store_tf_arrests_add(st, &x, &id, &d), HC_EINVAL);
    x.period_to = "2024-03-31";
    assert_int_equal(store_tf_arrests_add(st, &x, &id, &d), HC_OK);
    assert_int_equal(store_tf_arrests_list(st, tf, e->a, &ents, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ents[0].id, id);
    assert_int_equal(ents[0].arrests, 4);
    assert_int_equal(ents[0].immigration_arrests, 1);
    assert_null(ents[0].source);
    assert_string_equal(ents[0].period_to, "2024-03-31");
    assert_int_equal(nrows(e, "SELECT count(*) FROM task_force_arrests"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 2);

    /* Both rows are bound into the chain, and the register is append-only. */
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.bound_rows, 2);
    assert_int_not_equal(run_sql(e, "UPDATE task_force_arrests SET arrests = 40"), 0);
    assert_int_not_equal(run_sql(e, "DELETE FROM task_forces"), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM task_force_arrests WHERE arrests = 4"), 1);
}

/* The entries list by task force, then period, then id; the tally sums in SQL the entries
 * within the days of each task force whose membership meets them, and counts those that
 * straddle them. */
static void cases_taskforce_lists_and_tally(struct hc_store *st, const struct cases_env *e)
{
    struct store_tf_arrests *ents = NULL;
    struct store_tf_tally *t = NULL;
    int64_t a, b, c, a1, a2, a3, b1;
    char ids[64];
    size_t n = 9;

    a = cases_tf(st, "Test Task Force A", "2024-01-01", NULL);
    b = cases_tf(st, "Test Task Force B", "2024-05-01", "2024-05-31");
    c = cases_tf(st, "Test Task Force C", "2025-01-01", NULL); /* joined after the period */
    a2 = cases_tf_entry(st, a, "2024-04-01", "2024-06-30", 5, 1);
    a1 = cases_tf_entry(st, a, "2024-01-01", "2024-03-31", 10, 2);
    a3 = cases_tf_entry(st, a, "2024-06-15", "2024-07-15", 3, 0); /* straddles June's end */
    b1 = cases_tf_entry(st, b, "2024-05-01", "2024-05-31", 7, 7);
    cases_tf_entry(st, c, "2025-01-01", "2025-03-31", 1, 0);

    assert_int_equal(store_tf_arrests_list(st, a, e->a, &ents, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ents[0].id, a1);
    assert_int_equal(ents[1].id, a2);
    assert_int_equal(ents[2].id, a3);
    assert_string_equal(ents[0].source, "Synthetic quarterly letter");
    assert_int_equal(store_tf_arrests_list(st, 0, e->a, &ents, &n), HC_OK);
    assert_int_equal(n, 5);
    assert_int_equal(ents[0].id, a1);
    assert_int_equal(ents[3].id, b1);
    assert_int_equal(ents[4].task_force_id, c);
    assert_int_equal(store_tf_arrests_list(st, c + 1000, e->a, &ents, &n), HC_OK);
    assert_int_equal(n, 0);

    assert_int_equal(store_tf_tally(st, "2024-01-01", "2024-06-30", e->a, &t, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].task_force_id, a);
    assert_int_equal(t[0].arrests, 15);
    assert_int_equal(t[0].immigration_arrests, 3);
    snprintf(ids, sizeof ids, "%lld,%lld", (long long)a1, (long long)a2);
    assert_string_equal(t[0].within_ids, ids);
    assert_int_equal(t[0].straddling, 1);
    snprintf(ids, sizeof ids, "%lld", (long long)a3);
    assert_string_equal(t[0].straddling_ids, ids);
    assert_int_equal(t[1].task_force_id, b);
    assert_int_equal(t[1].arrests, 7);
    assert_int_equal(t[1].straddling, 0);
    assert_null(t[1].straddling_ids);
    /* A period no entry lies within: zero sums, no ids. */
    assert_int_equal(store_tf_tally(st, "2024-07-01", "2024-07-10", e->a, &t, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].arrests, 0);
    assert_null(t[0].within_ids);
    assert_int_equal(t[0].straddling, 1);
}

#endif

/* SPDX-License-Identifier: MIT
 * rows_taskforce.h: the register of the joint law enforcement task forces the agency takes part
 * in (Gov. Code 7284.6(c)(1), docs/reports.md "task-force"): each task force with its purpose
 * and member agencies, and the arrests it reported for a period. Types only: the operations on
 * them are store_taskforce.h's, which includes this header. Code that must not call the store
 * (src/http) sees these through src/store/rows alone. No row here names a person. */
#ifndef HC_ROWS_TASKFORCE_H
#define HC_ROWS_TASKFORCE_H

#include <stddef.h>
#include <stdint.h>

/* A joint law enforcement task force the agency is or was a member of. */
struct store_task_force {
    int64_t id;               /* read back only */
    const char *name;         /* 1-200 bytes, unique in the register */
    const char *purpose;      /* 1-2000 bytes: the task force's purpose, (c)(1)(A) */
    const char *members;      /* the federal, state and local agencies involved, (c)(1)(B): a
                               * JSON array of strings, as the service wrote it */
    const char *joined;       /* YYYY-MM-DD: the agency's first day as a member */
    const char *left_on;      /* YYYY-MM-DD: its last day as a member, or NULL (still one) */
    const char *recorded_by;
    const char *recorded_at;  /* read back only, UTC */
};

/* The arrests a task force made during a period, as the task force reported them: (c)(1)(C)
 * and (D). The days from..to are both inclusive. */
struct store_tf_arrests {
    int64_t id;                  /* read back only */
    int64_t task_force_id;
    const char *period_from;     /* YYYY-MM-DD */
    const char *period_to;       /* YYYY-MM-DD, not before period_from */
    int64_t arrests;             /* the total number of arrests, >= 0 */
    int64_t immigration_arrests; /* the number of people arrested for immigration enforcement
                                  * purposes, 0..arrests */
    const char *source;          /* where the figures come from (a report, a letter), or NULL;
                                  * 1-500 bytes */
    const char *recorded_by;
    const char *recorded_at;     /* read back only, UTC */
};

/* One task force's figures over a report period, summed by the store's own SQL for
 * `holdcheck report --check task-force` (store_tf_tally): the entries whose period lies within
 * the report period, and those that overlap it without lying within. */
struct store_tf_tally {
    int64_t task_force_id;
    int64_t arrests;             /* SUM of the entries within */
    int64_t immigration_arrests; /* SUM of the entries within */
    const char *within_ids;      /* their ids, comma-separated ascending, or NULL when none */
    int64_t straddling;          /* how many entries overlap the period without lying within */
    const char *straddling_ids;  /* their ids, comma-separated ascending, or NULL */
};

#endif

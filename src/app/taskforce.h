/* SPDX-License-Identifier: MIT
 * taskforce.h: the register of the joint law enforcement task forces the agency takes part in
 * (Gov. Code 7284.6(c)(1), docs/reports.md "task-force"): a task force with its purpose, its
 * member agencies and the days the agency was a member; and, for a period, the arrests the
 * task force made and how many people it arrested for immigration enforcement purposes. Every
 * rule of the register is here: the form of each field, an entry's period inside the
 * membership, no two entries of one task force overlapping. The report that reads the
 * register is report_taskforce.c's. Nothing here names a person. */
#ifndef HC_APP_TASKFORCE_H
#define HC_APP_TASKFORCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

struct hc_store;

/* The database backend has no register (STORE_ENOTSUP of store_reports.h: PostgreSQL for
 * now); HTTP answers it 501. Distinct from every HC_E* and store code. */
#define TASKFORCE_ENOTSUP (-56)

/* Limits of the register's fields, in bytes (members: entries). */
#define TASKFORCE_NAME_MAX 200
#define TASKFORCE_PURPOSE_MAX 2000
#define TASKFORCE_MEMBER_MAX 200
#define TASKFORCE_MEMBERS_MAX 50
#define TASKFORCE_SOURCE_MAX 500
#define TASKFORCE_COUNT_MAX 1000000000 /* arrests in one entry */

/* A task force to register. Every string is borrowed for the call. */
struct taskforce_new {
    const char *name;            /* 1-200 bytes of UTF-8, no control character; unique */
    const char *purpose;         /* 1-2000 bytes of UTF-8 (line breaks allowed) */
    const char *const *members;  /* the agencies involved, 1-50 of them, each 1-200 bytes of
                                  * UTF-8 without a control character or ';', each once */
    size_t nmembers;
    const char *joined;          /* YYYY-MM-DD: the agency's first day as a member */
    const char *left_on;         /* YYYY-MM-DD, not before joined, or NULL: still a member */
};

/* Register task force t, recorded by actor, with its audit entry "task_force.add" in one
 * transaction. *id (OUT) on success. Errors, d naming the field ("name", "purpose",
 * "members", "joined", "left"): HC_EINVAL a field missing or malformed; STORE_ECONFLICT
 * ("name") the name is registered already; TASKFORCE_ENOTSUP; a store error. Nothing is
 * written on error. */
int taskforce_add(struct hc_store *st, const struct taskforce_new *t, const char *actor,
                  int64_t *id, struct hc_diag *d);

/* The arrests of a period to record. Every string is borrowed for the call. */
struct taskforce_arrests_new {
    int64_t task_force_id;       /* the task force, or 0: ... */
    const char *task_force_name; /* ... the one of this name */
    const char *from, *to;       /* YYYY-MM-DD, both days inclusive, from <= to */
    int64_t arrests;             /* 0..TASKFORCE_COUNT_MAX */
    int64_t immigration_arrests; /* people arrested for immigration enforcement purposes,
                                  * 0..arrests */
    const char *source;          /* where the figures come from, 1-500 bytes, or NULL */
};

/* Record entry e, recorded by actor, with its audit entry "task_force.arrests": the checks and
 * the write are one transaction. The period must lie inside the agency's membership (joined
 * .. left, or open) and overlap no other entry of the same task force. *id (OUT) on success;
 * scratch is reset. Errors, d naming the field ("task_force", "from", "to", "arrests",
 * "immigration_arrests", "source"): HC_ENOENT ("task_force") no such task force; HC_EINVAL a
 * field missing or malformed, or the period outside the membership; STORE_ECONFLICT ("from")
 * the period overlaps an entry recorded before (named by its id and days);
 * TASKFORCE_ENOTSUP; a store error. Nothing is written on error. */
int taskforce_arrests_add(struct hc_store *st, const struct taskforce_arrests_new *e,
                          const char *actor, struct hc_arena *scratch, int64_t *id,
                          struct hc_diag *d);

/* The whole register as one JSON object (the caller decrefs *out):
 * {"task_forces": [{"id", "name", "purpose", "members": [...], "joined", "left",
 * "recorded_by", "recorded_at", "arrests": [{"id", "from", "to", "arrests",
 * "immigration_arrests", "source", "recorded_by", "recorded_at"}, ...]}, ...]}, task forces
 * by id, entries by period. Read in one snapshot; scratch is reset. Errors: HC_ENOMEM (scratch
 * too small), TASKFORCE_ENOTSUP, a store error; *out is NULL then. */
int taskforce_list_json(struct hc_store *st, struct hc_arena *scratch, json_t **out,
                        struct hc_diag *d);

#endif

/* SPDX-License-Identifier: MIT
 * taskforce.c: the register of joint law enforcement task forces (taskforce.h): every rule of
 * what it takes (the form of each field, an entry's period inside the agency's membership,
 * no two entries of a task force overlapping), checked and written in one transaction, and
 * the register read back as JSON for the CLI and the HTTP API alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "json.h"
#include "store.h"
#include "taskforce.h"

/* ------------------------------------------------------------------------------------------ */
/* Fields                                                                                      */

/* Whether s holds a control character: a line break only where lines may be (multiline). */
static int has_control(const char *s, int multiline)
{
    const unsigned char *p;
    for (p = (const unsigned char *)s; *p != '\0'; p++)
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) ||
            *p == 0x7f)
            return 1;
    return 0;
}

/* Check the text field named field: required or NULL, 1..max bytes of UTF-8, no control
 * character unless multiline. HC_OK or HC_EINVAL with d naming field. */
static int check_text(const char *v, const char *field, int required, size_t max, int multiline,
                      struct hc_diag *d)
{
    char msg[96];
    size_t n;
    if (v == NULL)
        return required ? hc_diag_set(d, field, "required", NULL) : HC_OK;
    n = strlen(v);
    if (n == 0 || n > max) {
        snprintf(msg, sizeof msg, "expected 1 to %zu bytes", max);
        return hc_diag_set(d, field, msg, NULL);
    }
    if (!hc_utf8_valid(v, n))
        return hc_diag_set(d, field, "not valid UTF-8", NULL);
    if (has_control(v, multiline))
        return hc_diag_set(d, field, "holds a control character", NULL);
    return HC_OK;
}

/* Read the date field named field ("YYYY-MM-DD", a real day) into *day. */
static int check_day(const char *v, const char *field, hc_day *day, struct hc_diag *d)
{
    if (v == NULL)
        return hc_diag_set(d, field, "required", NULL);
    if (hc_date_parse(v, strlen(v), day) != 0)
        return hc_diag_set(d, field, "expected a date YYYY-MM-DD (a real day, years 1900-2199)",
                           NULL);
    return HC_OK;
}

/* The members of t as a JSON array text (malloc'd into *out), after checking each. */
static int members_json(const struct taskforce_new *t, char **out, struct hc_diag *d)
{
    json_t *arr;
    size_t i, j;
    int rc;
    char field[32];

    if (t->nmembers == 0)
        return hc_diag_set(d, "members", "name at least one agency involved", NULL);
    if (t->nmembers > TASKFORCE_MEMBERS_MAX)
        return hc_diag_set(d, "members", "at most 50 agencies", NULL);
    for (i = 0; i < t->nmembers; i++) {
        snprintf(field, sizeof field, "members[%zu]", i);
        if ((rc = check_text(t->members[i], field, 1, TASKFORCE_MEMBER_MAX, 0, d)) != HC_OK)
            return rc;
        if (strchr(t->members[i], ';') != NULL)
            return hc_diag_set(d, field, "an agency's name holds no ';' (it separates them)",
                               NULL);
        for (j = 0; j < i; j++)
            if (strcmp(t->members[i], t->members[j]) == 0)
                return hc_diag_set(d, field, "this agency is named twice", NULL);
    }
    if ((arr = json_array()) == NULL)
        return HC_ENOMEM;
    for (i = 0; i < t->nmembers; i++)
        json_array_append_new(arr, json_string(t->members[i]));
    *out = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(arr);
    return *out != NULL ? HC_OK : HC_ENOMEM;
}

/* ------------------------------------------------------------------------------------------ */
/* Writes                                                                                      */

int taskforce_add(struct hc_store *st, const struct taskforce_new *t, const char *actor,
                  int64_t *id, struct hc_diag *d)
{
    struct store_task_force row;
    hc_day joined, left;
    char *members = NULL;
    int rc;

    if ((rc = check_text(t->name, "name", 1, TASKFORCE_NAME_MAX, 0, d)) != HC_OK ||
        (rc = check_text(t->purpose, "purpose", 1, TASKFORCE_PURPOSE_MAX, 1, d)) != HC_OK ||
        (rc = check_day(t->joined, "joined", &joined, d)) != HC_OK)
        return rc;
    if (t->left_on != NULL) {
        if ((rc = check_day(t->left_on, "left", &left, d)) != HC_OK)
            return rc;
        if (left < joined)
            return hc_diag_set(d, "left", "the agency left before it joined", NULL);
    }
    if ((rc = members_json(t, &members, d)) != HC_OK)
        return rc;
    memset(&row, 0, sizeof row);
    row.name = t->name;
    row.purpose = t->purpose;
    row.members = members;
    row.joined = t->joined;
    row.left_on = t->left_on;
    row.recorded_by = actor;
    rc = store_tf_add(st, &row, id, d);
    free(members);
    return rc;
}

/* The task force e names (by id, else by name) into *out, from the register list tfs[0..n). */
static int find_task_force(const struct store_task_force *tfs, size_t n,
                           const struct taskforce_arrests_new *e, struct store_task_force *out,
                           struct hc_diag *d)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (e->task_force_id != 0 ? tfs[i].id == e->task_force_id
                                  : e->task_force_name != NULL &&
                                        strcmp(tfs[i].name, e->task_force_name) == 0) {
            *out = tfs[i];
            return HC_OK;
        }
    if (e->task_force_id == 0 && e->task_force_name == NULL)
        return hc_diag_set(d, "task_force", "required", NULL);
    hc_diag_set(d, "task_force", "no such task force in the register", NULL);
    return HC_ENOENT;
}

/* Check the fields of e alone (before anything is read). */
static int check_entry(const struct taskforce_arrests_new *e, hc_day *from, hc_day *to,
                       struct hc_diag *d)
{
    int rc;
    if ((rc = check_day(e->from, "from", from, d)) != HC_OK ||
        (rc = check_day(e->to, "to", to, d)) != HC_OK)
        return rc;
    if (*to < *from)
        return hc_diag_set(d, "to", "the period ends before it starts", NULL);
    if (e->arrests < 0 || e->arrests > TASKFORCE_COUNT_MAX)
        return hc_diag_set(d, "arrests", "expected a whole number from 0 to 1000000000", NULL);
    if (e->immigration_arrests < 0)
        return hc_diag_set(d, "immigration_arrests", "expected a whole number, 0 or more", NULL);
    if (e->immigration_arrests > e->arrests)
        return hc_diag_set(d, "immigration_arrests",
                           "more people arrested for immigration enforcement purposes than "
                           "arrests in all", NULL);
    return check_text(e->source, "source", 0, TASKFORCE_SOURCE_MAX, 1, d);
}

/* The checks that read the register: the period inside tf's membership, and overlapping no
 * entry of tf in ents[0..n). */
static int check_against(const struct store_task_force *tf, const struct store_tf_arrests *ents,
                         size_t n, const struct taskforce_arrests_new *e, struct hc_diag *d)
{
    char msg[160];
    size_t i;
    /* Dates in the register are YYYY-MM-DD, so they compare as text. */
    if (strcmp(e->from, tf->joined) < 0) {
        snprintf(msg, sizeof msg, "the period starts before the agency joined the task force "
                 "(%s)", tf->joined);
        return hc_diag_set(d, "from", msg, NULL);
    }
    if (tf->left_on != NULL && strcmp(e->to, tf->left_on) > 0) {
        snprintf(msg, sizeof msg, "the period ends after the agency left the task force (%s)",
                 tf->left_on);
        return hc_diag_set(d, "to", msg, NULL);
    }
    for (i = 0; i < n; i++)
        if (strcmp(ents[i].period_from, e->to) <= 0 && strcmp(ents[i].period_to, e->from) >= 0) {
            snprintf(msg, sizeof msg, "the period overlaps entry %lld (%s to %s) of this task "
                     "force", (long long)ents[i].id, ents[i].period_from, ents[i].period_to);
            hc_diag_set(d, "from", msg, NULL);
            return STORE_ECONFLICT;
        }
    return HC_OK;
}

int taskforce_arrests_add(struct hc_store *st, const struct taskforce_arrests_new *e,
                          const char *actor, struct hc_arena *scratch, int64_t *id,
                          struct hc_diag *d)
{
    struct store_task_force *tfs = NULL, tf;
    struct store_tf_arrests *ents = NULL, row;
    size_t ntf = 0, nents = 0;
    hc_day from, to;
    int rc;

    if ((rc = check_entry(e, &from, &to, d)) != HC_OK)
        return rc;
    memset(&tf, 0, sizeof tf);
    hc_arena_reset(scratch);
    /* The reads and the write in one transaction: no entry can slip in between the overlap
     * check and the insert. */
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if ((rc = store_tf_list(st, scratch, &tfs, &ntf)) != HC_OK ||
        (rc = find_task_force(tfs, ntf, e, &tf, d)) != HC_OK ||
        (rc = store_tf_arrests_list(st, tf.id, scratch, &ents, &nents)) != HC_OK ||
        (rc = check_against(&tf, ents, nents, e, d)) != HC_OK)
        goto fail;
    memset(&row, 0, sizeof row);
    row.task_force_id = tf.id;
    row.period_from = e->from;
    row.period_to = e->to;
    row.arrests = e->arrests;
    row.immigration_arrests = e->immigration_arrests;
    row.source = e->source;
    row.recorded_by = actor;
    if ((rc = store_tf_arrests_add(st, &row, id, d)) != HC_OK)
        goto fail;
    return store_commit(st);
fail:
    store_rollback(st);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The register as JSON                                                                        */

/* An entry, and a task force (with an empty "arrests" list), as the register's JSON; a NULL
 * string is null ("s?"). */
static json_t *entry_json(const struct store_tf_arrests *e)
{
    return json_pack("{s:I, s:s?, s:s?, s:I, s:I, s:s?, s:s?, s:s?}", "id", (json_int_t)e->id,
                     "from", e->period_from, "to", e->period_to, "arrests",
                     (json_int_t)e->arrests, "immigration_arrests",
                     (json_int_t)e->immigration_arrests, "source", e->source, "recorded_by",
                     e->recorded_by, "recorded_at", e->recorded_at);
}

static json_t *task_force_json(const struct store_task_force *t)
{
    json_t *members = json_loads(t->members, 0, NULL);
    if (!json_is_array(members)) {
        json_decref(members);
        members = json_array();
    }
    return json_pack("{s:I, s:s?, s:s?, s:o, s:s?, s:s?, s:s?, s:s?, s:[]}", "id",
                     (json_int_t)t->id, "name", t->name, "purpose", t->purpose, "members",
                     members, "joined", t->joined, "left", t->left_on, "recorded_by",
                     t->recorded_by, "recorded_at", t->recorded_at, "arrests");
}

int taskforce_list_json(struct hc_store *st, struct hc_arena *scratch, json_t **out,
                        struct hc_diag *d)
{
    struct store_task_force *tfs = NULL;
    struct store_tf_arrests *ents = NULL;
    size_t ntf = 0, nents = 0, i, j = 0;
    json_t *root, *arr;
    int rc;

    *out = NULL;
    hc_arena_reset(scratch);
    if ((rc = store_read_begin(st)) != HC_OK)
        return rc;
    if ((rc = store_tf_list(st, scratch, &tfs, &ntf)) == HC_OK)
        rc = store_tf_arrests_list(st, 0, scratch, &ents, &nents);
    store_read_end(st);
    if (rc == HC_ENOMEM)
        hc_diag_set(d, "", "the register is too large to list at once", NULL);
    if (rc != HC_OK)
        return rc;
    root = json_object();
    arr = json_array();
    /* Both lists are by task force id: walk them together. */
    for (i = 0; i < ntf; i++) {
        json_t *t = task_force_json(&tfs[i]), *ea = json_object_get(t, "arrests");
        while (j < nents && ents[j].task_force_id < tfs[i].id)
            j++;
        for (; j < nents && ents[j].task_force_id == tfs[i].id; j++)
            json_array_append_new(ea, entry_json(&ents[j]));
        json_array_append_new(arr, t);
    }
    json_object_set_new(root, "task_forces", arr);
    *out = root;
    return HC_OK;
}

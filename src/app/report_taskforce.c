/* SPDX-License-Identifier: MIT
 * report_taskforce.c: the task-force report (Gov. Code 7284.6(c)(1), docs/reports.md): for
 * each joint law enforcement task force the agency was a member of during the period, its
 * purpose, the agencies involved, and the arrests of the register's entries (taskforce.h)
 * whose period lies within the report's. The rule, the one place it is written:
 *   a task force is reported when the agency's membership (joined .. left, or still a member)
 *   meets the period;
 *   an entry is counted when its days lie within the period's: the statute asks for "the total
 *   number of arrests made during the reporting period", and an entry that runs past either
 *   end holds arrests of days outside it that the register cannot split off, so it is listed,
 *   not counted, with why (figure total/entries_not_counted);
 *   a task force with no entry within the period has no figures for it: it is counted under
 *   total/task_forces_without_figures (the statute asks for the figures "if known").
 * Figures count arrests and people, not requests: their request_ids are empty, and each
 * carries "entry_ids", the register entries it sums (sorted, each once).
 * No person is named: the register holds none, and its free-text source is not written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "report_int.h"
#include "store_taskforce.h"

#define G_TOTAL "total"
#define G_ARRESTS "arrests"
#define G_IMMIGRATION "immigration_arrests"

/* The report period's first and last days, YYYY-MM-DD, as ctx_init wrote them. */
static void period_days(const struct report_ctx *r, const char **from, const char **to)
{
    json_t *p = json_object_get(r->root, "period");
    *from = json_string_value(json_object_get(p, "from"));
    *to = json_string_value(json_object_get(p, "to"));
}

/* ------------------------------------------------------------------------------------------ */
/* Figures that sum register entries                                                           */

/* The totals, in the order they are declared (figs[] below). */
enum total { T_TASK_FORCES, T_WITHOUT, T_ARRESTS, T_IMMIGRATION, T_NOT_COUNTED, T_N };
static const char *const total_keys[T_N] = {"task_forces", "task_forces_without_figures",
                                            "arrests", "immigration_arrests",
                                            "entries_not_counted"};
static const char *const total_labels[T_N] = {
    "Task forces the agency was a member of during the period",
    "Of those, task forces with no entry within the period (figures not known)",
    "Total arrests made during the period (entries within it)",
    "People arrested for immigration enforcement purposes during the period (entries within it)",
    "Entries overlapping the period without lying within it (listed, not counted)",
};

/* One task force reported: the key of its figures, and the sums of its entries counted (the
 * same as its figures', kept here for its row). */
struct tf_pair {
    char key[32]; /* "tf-ID" */
    int64_t arrests, immigration;
    size_t counted; /* entries counted */
};

/* The figures of one report: the totals, then per task force its pair. */
struct tf_figures {
    struct report_ctx *r;
    struct tf_pair *tf; /* [i] for the i-th task force reported (malloc) */
    size_t n;
};

/* Declare the figures for ntf task forces, the i-th with id ids[i] and name names[i] (NULL:
 * labelled by its key), in the order the report shows them. HC_ENOMEM. */
static int declare_figures(struct report_ctx *r, struct tf_figures *fg, const int64_t *ids,
                           const char *const *names, size_t ntf)
{
    char label[256];
    size_t i;
    memset(fg, 0, sizeof *fg);
    fg->r = r;
    r->ids_name = "entry_ids";
    for (i = 0; i < T_N; i++)
        report__figure(r, G_TOTAL, total_keys[i], total_labels[i]);
    fg->n = ntf;
    if ((fg->tf = calloc(ntf ? ntf : 1, sizeof *fg->tf)) == NULL)
        return HC_ENOMEM;
    for (i = 0; i < ntf; i++) {
        const char *key = fg->tf[i].key;
        snprintf(fg->tf[i].key, sizeof fg->tf[i].key, "tf-%lld", (long long)ids[i]);
        snprintf(label, sizeof label, "%s: total arrests", names[i] ? names[i] : key);
        report__figure(r, G_ARRESTS, key, label);
        snprintf(label, sizeof label, "%s: people arrested for immigration enforcement purposes",
                 names[i] ? names[i] : key);
        report__figure(r, G_IMMIGRATION, key, label);
    }
    return HC_OK;
}

static void figures_release(struct tf_figures *fg)
{
    free(fg->tf);
}

/* Count one task force of the report, with or without an entry counted. */
static void count_task_force(struct tf_figures *fg, int has_figures)
{
    report__sum(fg->r, G_TOTAL, total_keys[T_TASK_FORCES], NULL, 1, 0);
    if (!has_figures)
        report__sum(fg->r, G_TOTAL, total_keys[T_WITHOUT], NULL, 1, 0);
}

/* Add an entry of the i-th task force: its arrests and immigration arrests (id 0: sums
 * without naming an entry). */
static void add_arrests(struct tf_figures *fg, size_t i, int64_t id, int64_t arrests,
                        int64_t immigration)
{
    report__sum(fg->r, G_ARRESTS, fg->tf[i].key, NULL, arrests, id);
    report__sum(fg->r, G_IMMIGRATION, fg->tf[i].key, NULL, immigration, id);
    report__sum(fg->r, G_TOTAL, total_keys[T_ARRESTS], NULL, arrests, id);
    report__sum(fg->r, G_TOTAL, total_keys[T_IMMIGRATION], NULL, immigration, id);
}

/* Count one entry of the i-th task force within the period (counted) or overlapping it only
 * (not counted). */
static void count_entry(struct tf_figures *fg, size_t i, int counted, int64_t entry_id,
                        int64_t arrests, int64_t immigration)
{
    if (!counted) {
        report__sum(fg->r, G_TOTAL, total_keys[T_NOT_COUNTED], NULL, 1, entry_id);
        return;
    }
    add_arrests(fg, i, entry_id, arrests, immigration);
    fg->tf[i].arrests += arrests;
    fg->tf[i].immigration += immigration;
    fg->tf[i].counted++;
}

/* ------------------------------------------------------------------------------------------ */
/* Build: the register's rows, classified here                                                */

/* Whether the days a..b meet the days from..to (all YYYY-MM-DD; b NULL: open). */
static int meets(const char *a, const char *b, const char *from, const char *to)
{
    return strcmp(a, to) <= 0 && (b == NULL || strcmp(b, from) >= 0);
}

/* Whether the days a..b lie within from..to. */
static int within(const char *a, const char *b, const char *from, const char *to)
{
    return strcmp(a, from) >= 0 && strcmp(b, to) <= 0;
}

/* Days in a..b (YYYY-MM-DD, checked when written), 0 when b is before a. */
static int64_t days(const char *a, const char *b)
{
    hc_day x, y;
    if (hc_date_parse(a, strlen(a), &x) != 0 || hc_date_parse(b, strlen(b), &y) != 0 || y < x)
        return 0;
    return (int64_t)y - x + 1;
}

/* The members of t ("[\"A\",\"B\"]") as "A; B". */
static json_t *members_text(const char *members)
{
    json_t *arr = json_loads(members, 0, NULL), *v;
    char *text = NULL;
    size_t i, len = 0;
    json_t *out;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        size_t n = s ? strlen(s) : 0;
        char *p = realloc(text, len + n + 3);
        if (p == NULL)
            break;
        text = p;
        if (len) {
            memcpy(text + len, "; ", 2);
            len += 2;
        }
        memcpy(text + len, s ? s : "", n);
        len += n;
        text[len] = '\0';
    }
    json_decref(arr);
    out = json_string(text ? text : "");
    free(text);
    return out;
}

static json_t *jstr(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* A row of the report: every row has the same members, in this order (the HTML table's
 * columns), null where they do not apply. */
static json_t *row_new(const char *record, const struct store_task_force *t)
{
    static const char *const rest[] = {"purpose",  "members",   "member_from", "member_to",
                                       "entry_id", "period_from", "period_to", "days",
                                       "arrests",  "immigration_arrests", "counted", "note"};
    json_t *o = json_pack("{s:s, s:I, s:s?}", "record", record, "task_force_id",
                          (json_int_t)t->id, "task_force", t->name);
    size_t i;
    for (i = 0; i < sizeof rest / sizeof rest[0]; i++)
        json_object_set_new(o, rest[i], json_null());
    return o;
}

/* The row of task force t: purpose, members, membership, and the sums of its entries counted
 * (p) over the days they cover, out of the days of membership in the period. */
static json_t *task_force_row(const struct store_task_force *t, const char *from, const char *to,
                              const struct tf_pair *p, int64_t covered)
{
    json_t *o = row_new("task_force", t);
    const char *first = strcmp(t->joined, from) > 0 ? t->joined : from;
    const char *last = t->left_on != NULL && strcmp(t->left_on, to) < 0 ? t->left_on : to;
    size_t counted = p->counted;
    char note[200];
    json_object_set_new(o, "purpose", jstr(t->purpose));
    json_object_set_new(o, "members", members_text(t->members));
    json_object_set_new(o, "member_from", jstr(t->joined));
    json_object_set_new(o, "member_to", jstr(t->left_on));
    json_object_set_new(o, "days", json_integer(covered));
    if (counted > 0) {
        json_object_set_new(o, "arrests", json_integer(p->arrests));
        json_object_set_new(o, "immigration_arrests", json_integer(p->immigration));
        snprintf(note, sizeof note, "%zu entr%s counted, covering %lld of the %lld days the "
                 "agency was a member during the period", counted, counted == 1 ? "y" : "ies",
                 (long long)covered, (long long)days(first, last));
    } else {
        snprintf(note, sizeof note, "no entry lies within the period: arrests not known "
                 "(%lld days of membership during the period)", (long long)days(first, last));
    }
    json_object_set_new(o, "note", json_string(note));
    return o;
}

/* The row of entry e of task force t, counted or not. */
static json_t *entry_row(const struct store_task_force *t, const struct store_tf_arrests *e,
                         int counted, const char *from, const char *to)
{
    json_t *o = row_new("entry", t);
    json_object_set_new(o, "entry_id", json_integer(e->id));
    json_object_set_new(o, "period_from", jstr(e->period_from));
    json_object_set_new(o, "period_to", jstr(e->period_to));
    json_object_set_new(o, "days", json_integer(days(e->period_from, e->period_to)));
    json_object_set_new(o, "arrests", json_integer(e->arrests));
    json_object_set_new(o, "immigration_arrests", json_integer(e->immigration_arrests));
    json_object_set_new(o, "counted", json_boolean(counted));
    if (counted) {
        json_object_set_new(o, "note", json_string("within the period"));
    } else {
        char note[200];
        int early = strcmp(e->period_from, from) < 0, late = strcmp(e->period_to, to) > 0;
        snprintf(note, sizeof note, "not counted: it runs %s the period's %s; its arrests cannot "
                 "be split by day, and only arrests made during the period are reported",
                 early && late ? "past both ends of" : early ? "from before" : "past",
                 early && late ? "days" : early ? "start" : "end");
        json_object_set_new(o, "note", json_string(note));
    }
    return o;
}

static int build(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_task_force *tfs = NULL;
    struct store_tf_arrests *ents = NULL;
    size_t ntf = 0, nents = 0, i, j = 0, k = 0, nsel = 0;
    const char *from, *to;
    struct tf_figures fg;
    int64_t *ids = NULL;
    const char **names = NULL;
    size_t *sel = NULL;
    int rc;

    (void)d;
    period_days(r, &from, &to);
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_TASK_FORCES) |
                           REPORT_TABLE(STORE_REPORT_TF_ARRESTS));
    if ((rc = store_tf_list(st, r->a, &tfs, &ntf)) != HC_OK ||
        (rc = store_tf_arrests_list(st, 0, r->a, &ents, &nents)) != HC_OK)
        return rc;
    /* The whole register is read (and --check verifies every row of it, as it does every
     * action: a row removed behind the report's back is found). */
    for (i = 0; i < ntf; i++)
        report__read(r, STORE_REPORT_TASK_FORCES, tfs[i].id);
    for (i = 0; i < nents; i++)
        report__read(r, STORE_REPORT_TF_ARRESTS, ents[i].id);
    ids = calloc(ntf ? ntf : 1, sizeof *ids);
    names = calloc(ntf ? ntf : 1, sizeof *names);
    sel = calloc(ntf ? ntf : 1, sizeof *sel);
    if (ids == NULL || names == NULL || sel == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    for (i = 0; i < ntf; i++)
        if (meets(tfs[i].joined, tfs[i].left_on, from, to)) {
            ids[nsel] = tfs[i].id;
            names[nsel] = tfs[i].name;
            sel[nsel++] = i;
        }
    if ((rc = declare_figures(r, &fg, ids, names, nsel)) != HC_OK)
        goto release;
    /* Both lists are by task force id: walk them together. */
    for (k = 0; k < nsel; k++) {
        const struct store_task_force *t = &tfs[sel[k]];
        size_t first_row = json_array_size(r->rows);
        int64_t covered = 0;
        json_array_append_new(r->rows, json_object()); /* its row, filled once summed */
        while (j < nents && ents[j].task_force_id < t->id)
            j++;
        for (; j < nents && ents[j].task_force_id == t->id; j++) {
            const struct store_tf_arrests *e = &ents[j];
            int in;
            if (!meets(e->period_from, e->period_to, from, to))
                continue;
            in = within(e->period_from, e->period_to, from, to);
            count_entry(&fg, k, in, e->id, e->arrests, e->immigration_arrests);
            if (in)
                covered += days(e->period_from, e->period_to);
            json_array_append_new(r->rows, entry_row(t, e, in, from, to));
        }
        count_task_force(&fg, fg.tf[k].counted > 0);
        json_array_set_new(r->rows, first_row, task_force_row(t, from, to, &fg.tf[k], covered));
    }
release:
    figures_release(&fg);
out:
    free(ids);
    free(names);
    free(sel);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Tally: the store's SQL sums, not the walk above                                            */

/* Add each id of the comma-separated list ids (NULL: none) to figure group/key's ids. */
static void add_ids(struct report_ctx *r, const char *group, const char *key, const char *ids)
{
    const char *p = ids;
    char *end;
    while (p != NULL && *p != '\0') {
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        report__sum(r, group, key, NULL, 0, (int64_t)v);
        p = *end == ',' ? end + 1 : end;
    }
}

static int tally(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_tf_tally *t = NULL;
    const char *from, *to;
    struct tf_figures fg;
    const char **names = NULL;
    int64_t *ids = NULL;
    size_t n = 0, i;
    int rc;

    (void)d;
    period_days(r, &from, &to);
    if ((rc = store_tf_tally(st, from, to, r->a, &t, &n)) != HC_OK)
        return rc;
    ids = calloc(n ? n : 1, sizeof *ids);
    names = calloc(n ? n : 1, sizeof *names); /* all NULL: tally figures are labelled by key */
    if (ids == NULL || names == NULL) {
        free(ids);
        free(names);
        return HC_ENOMEM;
    }
    for (i = 0; i < n; i++)
        ids[i] = t[i].task_force_id;
    if ((rc = declare_figures(r, &fg, ids, names, n)) == HC_OK) {
        for (i = 0; i < n; i++) {
            count_task_force(&fg, t[i].within_ids != NULL);
            add_arrests(&fg, i, 0, t[i].arrests, t[i].immigration_arrests);
            report__sum(r, G_TOTAL, total_keys[T_NOT_COUNTED], NULL, t[i].straddling, 0);
            add_ids(r, G_ARRESTS, fg.tf[i].key, t[i].within_ids);
            add_ids(r, G_IMMIGRATION, fg.tf[i].key, t[i].within_ids);
            add_ids(r, G_TOTAL, total_keys[T_ARRESTS], t[i].within_ids);
            add_ids(r, G_TOTAL, total_keys[T_IMMIGRATION], t[i].within_ids);
            add_ids(r, G_TOTAL, total_keys[T_NOT_COUNTED], t[i].straddling_ids);
        }
    }
    figures_release(&fg);
    free(ids);
    free(names);
    return rc;
}

const struct report_kind report_task_force = {
    "task-force",
    "task-force/1",
    "Joint law enforcement task forces: purpose, agencies involved and arrests",
    "Gov. Code 7284.6(c)(1): \"If a California law enforcement agency chooses to participate in "
    "a joint law enforcement task force, for which a California law enforcement agency has "
    "agreed to dedicate personnel or resources on an ongoing basis, it shall submit a report "
    "annually to the Department of Justice, as specified by the Attorney General. The law "
    "enforcement agency shall report the following information, if known, for each task force "
    "of which it is a member: (A) The purpose of the task force. (B) The federal, state, and "
    "local law enforcement agencies involved. (C) The total number of arrests made during the "
    "reporting period. (D) The number of people arrested for immigration enforcement "
    "purposes.\" 7284.6(c)(3): these records are public records; personal identifying "
    "information may be redacted before release.",
    build,
    tally,
    NULL,
};

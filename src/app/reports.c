/* SPDX-License-Identifier: MIT
 * reports.c: the statutory reports (reports.h, docs/reports.md): the period, the report's
 * figures, the one encoder of each format (JSON, CSV safe from formula injection, print-ready
 * HTML) that the CLI and the HTTP API share, and the check that recomputes each figure. What
 * each kind counts is in its own file (report_transfers.c, report_releases.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anchor.h"
#include "auth.h"
#include "buf.h"
#include "csv.h"
#include "date.h"
#include "ids.h"
#include "json.h"
#include "report_int.h"
#include "report_pdf.h"
#include "reports.h"
#include "store_audit.h"
#include "store_conn.h"
#include "store_reports.h"

static const struct report_kind *const kinds[] = {
    &report_doj_transfers,
    &report_releases_without_notice,
    &report_truth_forum,
    &report_cpra,
    &report_task_force,
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* The store's rows of one report: one arena, malloc'd for the call (its pages are taken only as
 * the rows fill them). A year's cpra bundle of a county with 40,000 requests holds about
 * 100,000 records, past 64 MiB of rows. */
#define REPORT_ARENA_BYTES ((size_t)512 << 20)
/* The most an encoded report may hold. */
#define REPORT_MAX_BYTES ((size_t)256 << 20)
/* The longest period, in days. */
#define REPORT_MAX_DAYS 366

static void out_puts(struct report_text *o, const char *s);

/* ------------------------------------------------------------------------------------------ */
/* Figures                                                                                     */

/* Whether v is the string s. */
static int is_str(json_t *v, const char *s)
{
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* One figure while it is counted. Counting is in C, not in the report's JSON: a year's
 * forum packet counts about half a million items, and a JSON object or integer for each was
 * most of its time. */
struct tally {
    char *group, *key, *label; /* owned (malloc) */
    int64_t count;
    struct hc_ids ids;            /* the items' requests, as counted */
};

/* The figures of a report, in the order of their first use, and an index of them by group
 * and key (open addressing, a power of two slots, at most half full). */
struct report_tallies {
    struct tally **list; /* owned, each owned */
    size_t n, cap;
    struct tally **slot; /* borrowed from list */
    size_t nslots;
    int oom;             /* memory ran out: the report fails (HC_ENOMEM) */
};

/* FNV-1a of group, a unit separator and key (no group or key holds one). */
static size_t tally_hash(const char *group, const char *key)
{
    uint64_t h = 14695981039346656037u;
    const char *p;
    for (p = group; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    h = (h ^ 0x1f) * 1099511628211u;
    for (p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return (size_t)(h ^ (h >> 32));
}

/* The slot of group/key in t: the figure's, or the empty one where it would go. */
static struct tally **tally_slot(struct report_tallies *t, const char *group, const char *key)
{
    size_t i = tally_hash(group, key) & (t->nslots - 1);
    while (t->slot[i] != NULL &&
           (strcmp(t->slot[i]->group, group) != 0 || strcmp(t->slot[i]->key, key) != 0))
        i = (i + 1) & (t->nslots - 1);
    return &t->slot[i];
}

/* Double t's index; -1 when memory runs out. */
static int tallies_grow(struct report_tallies *t)
{
    size_t n = t->nslots ? 2 * t->nslots : 64, i;
    struct tally **old = t->slot;
    if ((t->slot = calloc(n, sizeof(struct tally *))) == NULL) {
        t->slot = old;
        return -1;
    }
    t->nslots = n;
    for (i = 0; i < t->n; i++)
        *tally_slot(t, t->list[i]->group, t->list[i]->key) = t->list[i];
    free(old);
    return 0;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

static void tally_free(struct tally *f)
{
    if (f == NULL)
        return;
    free(f->group);
    free(f->key);
    free(f->label);
    free(f->ids.v);
    free(f);
}

static void tallies_free(struct report_tallies *t)
{
    size_t i;
    if (t == NULL)
        return;
    for (i = 0; i < t->n; i++)
        tally_free(t->list[i]);
    free(t->list);
    free(t->slot);
    free(t);
}

/* Figure group/key of r, created with label (NULL: the key) when new; NULL when memory ran
 * out (r->tallies->oom is set). */
static struct tally *tally_get(struct report_ctx *r, const char *group, const char *key,
                               const char *label)
{
    struct report_tallies *t = r->tallies;
    struct tally **sl, *f;
    if (t == NULL || t->oom)
        return NULL;
    if (2 * (t->n + 1) > t->nslots && tallies_grow(t) != 0)
        goto oom;
    sl = tally_slot(t, group, key);
    if (*sl != NULL)
        return *sl;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        struct tally **p = realloc(t->list, cap * sizeof(struct tally *));
        if (p == NULL)
            goto oom;
        t->list = p;
        t->cap = cap;
    }
    if ((f = calloc(1, sizeof *f)) == NULL)
        goto oom;
    f->group = dup_str(group);
    f->key = dup_str(key);
    f->label = dup_str(label ? label : key);
    if (f->group == NULL || f->key == NULL || f->label == NULL) {
        tally_free(f);
        goto oom;
    }
    t->list[t->n++] = f;
    *sl = f;
    return f;
oom:
    t->oom = 1;
    return NULL;
}

void report__figure(struct report_ctx *r, const char *group, const char *key, const char *label)
{
    (void)tally_get(r, group, key, label);
}

void report__add_id(struct report_ctx *r, const char *group, const char *key, int64_t request_id)
{
    struct report_tallies *t = r->tallies;
    struct tally *f;
    if (t == NULL || t->oom || t->nslots == 0 || (f = *tally_slot(t, group, key)) == NULL)
        return;
    if (hc_ids_push(&f->ids, request_id) != 0)
        t->oom = 1;
}

/* Add n to f's count and id (unless 0) to its ids. */
static void tally_add(struct report_ctx *r, struct tally *f, int64_t n, int64_t id)
{
    f->count += n;
    if (id != 0 && hc_ids_push(&f->ids, id) != 0)
        r->tallies->oom = 1;
}

void report__sum(struct report_ctx *r, const char *group, const char *key, const char *label,
                 int64_t n, int64_t id)
{
    struct tally *f = tally_get(r, group, key, label);
    if (f != NULL)
        tally_add(r, f, n, id);
}

void report__count(struct report_ctx *r, const char *group, const char *key, const char *label,
                   int64_t request_id)
{
    struct tally *f = tally_get(r, group, key, label);
    if (f == NULL)
        return;
    /* The label given last is the figure's (they are the same for one key but for the words
     * a catalog gives an offense). */
    if (label != NULL && strcmp(label, f->label) != 0) {
        char *l = dup_str(label);
        if (l == NULL) {
            r->tallies->oom = 1;
            return;
        }
        free(f->label);
        f->label = l;
    }
    tally_add(r, f, 1, request_id);
}

void report__ruleset(struct report_ctx *r, const char *rs)
{
    size_t i;
    json_t *v;
    if (rs == NULL)
        return;
    json_array_foreach(r->rulesets, i, v) {
        if (strcmp(json_string_value(v), rs) == 0)
            return;
    }
    json_array_append_new(r->rulesets, json_string(rs));
}

int report__tally(struct hc_store *st, struct report_ctx *r, enum store_report_tally_kind k,
                  struct store_report_tally **t, size_t *n, struct hc_diag *d)
{
    int rc = store_report_tally(st, k, r->from_utc, r->to_utc, r->a, t, n);
    if (rc != HC_OK)
        hc_diag_set(d, "from", "the records of the period could not be tallied", NULL);
    return rc;
}

void report__local_date(int64_t t, char out[HC_CLOCK_DATE_LEN])
{
    hc_clock_local_date(t, out);
}

/* Write the figures counted into r->figures, each with its ids sorted and each kept once:
 * {group, key, label, count, request_ids} (and r->ids_name, when set). HC_ENOMEM. */
static int figures_settle(struct report_ctx *r)
{
    struct report_tallies *t = r->tallies;
    size_t i, j;
    if (t->oom)
        return HC_ENOMEM;
    for (i = 0; i < t->n; i++) {
        struct tally *f = t->list[i];
        json_t *ids = json_array(), *o = json_pack("{s:s, s:s, s:s, s:I}", "group", f->group,
                                                   "key", f->key, "label", f->label, "count",
                                                   (json_int_t)f->count);
        hc_ids_settle(&f->ids);
        for (j = 0; ids != NULL && j < f->ids.n; j++)
            if (json_array_append_new(ids, json_integer(f->ids.v[j])) != 0)
                break;
        if (o == NULL || ids == NULL || j < f->ids.n) {
            json_decref(o);
            json_decref(ids);
            return HC_ENOMEM;
        }
        if (r->ids_name != NULL && (json_object_set_new(o, "request_ids", json_array()) != 0 ||
                                    json_object_set_new(o, r->ids_name, ids) != 0))
            return HC_ENOMEM;
        if ((r->ids_name == NULL && json_object_set_new(o, "request_ids", ids) != 0) ||
            json_array_append_new(r->figures, o) != 0)
            return HC_ENOMEM;
    }
    return HC_OK;
}

/* The bound rows a report read, by table (report__read). */
struct report_reads {
    unsigned tables; /* REPORT_TABLE bits: the tables the kind reads */
    struct hc_ids t[STORE_REPORT_NTABLES];
    int oom; /* memory ran out: --check verifies the whole chain instead */
};

void report__track_reads(struct report_ctx *r, unsigned tables)
{
    if (r->reads == NULL)
        r->reads = calloc(1, sizeof *r->reads);
    if (r->reads != NULL)
        r->reads->tables |= tables;
}

void report__read(struct report_ctx *r, enum store_report_table t, int64_t id)
{
    if (r->reads == NULL || id <= 0 || (unsigned)t >= STORE_REPORT_NTABLES)
        return;
    if (hc_ids_push(&r->reads->t[t], id) != 0)
        r->reads->oom = 1;
}

/* Add the rows of from to into (both tracked): what the recomputation read, or could have. */
static void reads_merge(struct report_reads *into, const struct report_reads *from)
{
    size_t i, j;
    if (into == NULL || from == NULL)
        return;
    into->oom |= from->oom;
    into->tables |= from->tables;
    for (i = 0; i < STORE_REPORT_NTABLES; i++)
        for (j = 0; j < from->t[i].n; j++)
            if (hc_ids_push(&into->t[i], from->t[i].v[j]) != 0)
                into->oom = 1;
}

static void reads_free(struct report_reads *rd)
{
    size_t i;
    for (i = 0; rd != NULL && i < STORE_REPORT_NTABLES; i++)
        hc_ids_release(&rd->t[i]);
    free(rd);
}

/* ------------------------------------------------------------------------------------------ */
/* The period                                                                                  */

static const struct report_kind *kind_named(const char *name)
{
    size_t i;
    for (i = 0; name != NULL && i < NKINDS; i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

int reports_format_from_name(const char *name, enum report_format *f, struct hc_diag *d)
{
    static const char *const names[] = {"json", "csv", "html", "pdf"};
    size_t i;
    for (i = 0; name != NULL && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *f = (enum report_format)i;
            return HC_OK;
        }
    return hc_diag_set(d, "format", "expected json, csv, html or pdf", NULL);
}

/* Local midnight at the start of day as UTC text. */
static int local_midnight_utc(hc_day day, char out[HC_CLOCK_UTC_LEN])
{
    struct tm tm;
    int y, m, dd;
    time_t t;
    hc_date_to_ymd(day, &y, &m, &dd);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = dd;
    tm.tm_isdst = -1;
    if ((t = mktime(&tm)) == (time_t)-1)
        return HC_ERANGE;
    hc_clock_utc((int64_t)t, out);
    return HC_OK;
}

/* The period of q as days [first, last] and its UTC bounds in r. */
static int resolve_period(const struct report_query *q, struct report_ctx *r,
                          char first[HC_CLOCK_DATE_LEN], char last[HC_CLOCK_DATE_LEN],
                          struct hc_diag *d)
{
    hc_day a, b;
    if ((q->from == NULL) != (q->to == NULL))
        return hc_diag_set(d, q->from == NULL ? "from" : "to",
                           "give both --from and --to, or neither (a calendar year)", NULL);
    if (q->from != NULL) {
        if (hc_date_parse(q->from, strlen(q->from), &a) != 0)
            return hc_diag_set(d, "from", "expected a date YYYY-MM-DD", NULL);
        if (hc_date_parse(q->to, strlen(q->to), &b) != 0)
            return hc_diag_set(d, "to", "expected a date YYYY-MM-DD", NULL);
        if (b < a)
            return hc_diag_set(d, "to", "the period ends before it starts", NULL);
        if (b - a + 1 > REPORT_MAX_DAYS)
            return hc_diag_set(d, "to", "a period is at most 366 days", NULL);
    } else {
        int y = q->year;
        if (y == 0) {
            char today[HC_CLOCK_DATE_LEN];
            hc_clock_local_date(hc_clock_now(), today);
            y = (int)strtol(today, NULL, 10);
        }
        if (y < 2014 || y > 9999)
            return hc_diag_set(d, "year", "expected a year from 2014 to 9999", NULL);
        a = hc_date_from_ymd(y, 1, 1);
        b = hc_date_from_ymd(y, 12, 31);
    }
    hc_date_format(a, first);
    hc_date_format(b, last);
    if (local_midnight_utc(a, r->from_utc) != HC_OK ||
        local_midnight_utc(b + 1, r->to_utc) != HC_OK)
        return hc_diag_set(d, "from", "the period is outside what this system's clock covers",
                           NULL);
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                    */

static void ctx_release(struct report_ctx *r)
{
    free(r->rows_text.p);
    memset(&r->rows_text, 0, sizeof r->rows_text);
    if (r->release != NULL)
        r->release(r);
    r->release = NULL;
    r->write_log = NULL;
    r->kept = NULL;
    json_decref(r->root);
    tallies_free(r->tallies);
    reads_free(r->reads);
    r->root = NULL;
    r->tallies = NULL;
    r->reads = NULL;
}

/* Start report k for q in r (its arena a): the header members, then empty lists. */
static int ctx_init(struct report_ctx *r, const struct report_kind *k,
                    const struct report_query *q, struct hc_arena *a, struct hc_diag *d)
{
    char first[HC_CLOCK_DATE_LEN], last[HC_CLOCK_DATE_LEN], now[HC_CLOCK_UTC_LEN];
    const char *tz = getenv("TZ");
    json_t *period;
    int rc;

    memset(r, 0, sizeof *r);
    r->a = a;
    r->es = q->lang != NULL && strcmp(q->lang, "es") == 0;
    r->unredacted = q->unredacted;
    if ((rc = resolve_period(q, r, first, last, d)) != HC_OK)
        return rc;
    hc_clock_utc(hc_clock_now(), now);
    if ((r->tallies = calloc(1, sizeof *r->tallies)) == NULL)
        return HC_ENOMEM;
    r->root = json_object();
    r->figures = json_array();
    r->rows = json_array();
    r->rulesets = json_array();
    period = json_object();
    json_object_set_new(period, "from", json_string(first));
    json_object_set_new(period, "to", json_string(last));
    json_object_set_new(period, "time_zone", json_string(tz && tz[0] ? tz : "local"));
    json_object_set_new(period, "from_utc", json_string(r->from_utc));
    json_object_set_new(period, "until_utc", json_string(r->to_utc));
    json_object_set_new(r->root, "report", json_string(k->name));
    json_object_set_new(r->root, "title", json_string(r->es ? k->title_es : k->title));
    json_object_set_new(r->root, "lang", json_string(r->es ? "es" : "en"));
    json_object_set_new(r->root, "definition_version", json_string(k->version));
    json_object_set_new(r->root, "answers", json_string(k->answers));
    json_object_set_new(r->root, "period", period);
    json_object_set_new(r->root, "rulesets", r->rulesets);
    json_object_set_new(r->root, "generated_at", json_string(now));
    json_object_set_new(r->root, "figures", r->figures);
    json_object_set_new(r->root, "rows", r->rows);
    return HC_OK;
}

/* Check q's kind and language. */
static int query_kind(const struct report_query *q, const struct report_kind **k,
                      struct hc_diag *d)
{
    if ((*k = kind_named(q->kind)) == NULL)
        return hc_diag_set(d, "kind", "unknown report; the kinds: doj-transfers, "
                                      "releases-without-notice, truth-forum, cpra", NULL);
    if (q->lang != NULL && strcmp(q->lang, "en") != 0 &&
        !(strcmp(q->lang, "es") == 0 && (*k)->title_es != NULL))
        return hc_diag_set(d, "lang", (*k)->title_es ? "expected en or es"
                                                      : "this report is written in English only (lang=en)",
                           NULL);
    return HC_OK;
}

/* What run makes of a report. */
enum run_what {
    RUN_BUILD,   /* the report */
    RUN_FIGURES, /* the report for its figures alone (report_ctx's figures_only) */
    RUN_TALLY    /* its figures from the kind's tally */
};

/* Build or tally report k for q into r, as what says, in one read snapshot. */
static int run(struct hc_store *st, const struct report_kind *k, const struct report_query *q,
               struct hc_arena *a, enum run_what what, struct report_ctx *r, struct hc_diag *d)
{
    int rc, tally = what == RUN_TALLY;
    if ((rc = ctx_init(r, k, q, a, d)) != HC_OK)
        return rc;
    r->figures_only = what == RUN_FIGURES;
    if ((rc = store_read_begin(st)) != HC_OK) {
        ctx_release(r);
        return rc;
    }
    rc = tally ? k->tally(st, r, d) : k->build(st, r, d);
    store_read_end(st);
    if (rc == STORE_ENOTSUP)
        rc = REPORTS_ENOTSUP; /* the same condition, in the app's own words for http */
    if (rc == HC_ENOMEM)
        hc_diag_set(d, "from", "the period holds too many records for one report: ask for a "
                               "shorter period", NULL);
    if (rc == HC_OK && r->rows_as_text) {
        out_puts(&r->rows_text, "]");
        if (r->rows_text.full)
            rc = HC_ENOMEM;
    }
    if (rc != HC_OK) {
        ctx_release(r);
        return rc;
    }
    if ((rc = figures_settle(r)) != HC_OK) {
        hc_diag_set(d, "from", "the period holds too many records for one report: ask for a "
                               "shorter period", NULL);
        ctx_release(r);
        return rc;
    }
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The encoders: one text, grown on the heap                                                  */

/* Make room in o for n more bytes and a NUL. 0, or -1 when o would pass REPORT_MAX_BYTES or
 * memory ran out (o is then full). */
static int text_grow(struct report_text *o, size_t n)
{
    if (o->full)
        return -1;
    if (n > REPORT_MAX_BYTES - 1 - o->len) {
        o->full = 1;
        return -1;
    }
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 16384;
        char *q;
        while (cap < o->len + n + 1)
            cap *= 2;
        if ((q = realloc(o->p, cap)) == NULL) {
            o->full = 1;
            return -1;
        }
        o->p = q;
        o->cap = cap;
    }
    return 0;
}

static void out_put(struct report_text *o, const char *s, size_t n)
{
    if (text_grow(o, n) != 0)
        return;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void out_puts(struct report_text *o, const char *s)
{
    out_put(o, s, strlen(s));
}

static void out_i64(struct report_text *o, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)v);
    out_puts(o, b);
}

/* A JSON scalar as text: strings as they are, integers in decimal, booleans as yes/no, null
 * (or anything else) as "". */
static void out_scalar(struct report_text *o, json_t *v,
                       void (*put)(struct report_text *, const char *))
{
    char b[24];
    if (json_is_string(v))
        put(o, json_string_value(v));
    else if (json_is_integer(v)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
        put(o, b);
    } else if (json_is_boolean(v))
        put(o, json_is_true(v) ? "yes" : "no");
    else
        put(o, "");
}

/* A JSON value as text: a scalar as out_scalar writes it, an object (one level: a row's
 * fields) as its members "name: value" separated by "; ". */
static void out_value(struct report_text *o, json_t *v,
                      void (*put)(struct report_text *, const char *))
{
    const char *k;
    json_t *m;
    size_t i = 0;
    if (!json_is_object(v)) {
        out_scalar(o, v, put);
        return;
    }
    json_object_foreach(v, k, m) {
        put(o, i++ ? "; " : "");
        put(o, k);
        put(o, ": ");
        out_scalar(o, m, put);
    }
}

int report__text_reserve(struct report_text *o, size_t n, struct hc_buf *b)
{
    if (text_grow(o, n) != 0)
        return -1;
    hc_buf_init(b, o->p + o->len, n);
    return 0;
}

void report__text_commit(struct report_text *o, const struct hc_buf *b)
{
    if (b->full) {
        o->full = 1;
        return;
    }
    o->len += b->len;
    o->p[o->len] = '\0';
}

void report__rows_as_text(struct report_ctx *r, size_t rows)
{
    /* Room for them all at once: a text past glibc's mmap threshold is mapped, and grows by
     * mremap, not by copying; its pages are only taken as it is written. */
    size_t room = rows < REPORT_MAX_BYTES / 2048 ? rows * 1024 : REPORT_MAX_BYTES / 2;
    r->rows_as_text = 1;
    json_object_set_new(r->root, "redactions", json_array());
    (void)text_grow(&r->rows_text, room);
    out_puts(&r->rows_text, "[");
}

int report__text_element(struct report_text *t, size_t n, struct hc_buf *b)
{
    int first = t->len > 0 && t->p[t->len - 1] == '['; /* nothing after the "[" yet */
    if (report__text_reserve(t, n + 1, b) != 0)
        return -1;
    if (!first)
        hc_buf_putc(b, ',');
    return 0;
}

/* The rows written as text (report__rows_as_text) parsed into root's "rows" and "redactions",
 * for the encoders that read them from the tree (CSV, HTML, PDF). HC_ENOMEM. */
static int rows_into_tree(struct report_ctx *r)
{
    json_t *rows, *log;
    struct report_text t = {NULL, 0, 0, 0};
    if (!r->rows_as_text)
        return HC_OK;
    out_puts(&t, "[");
    if (r->write_log != NULL)
        r->write_log(r, &t);
    out_puts(&t, "]");
    rows = json_loadb(r->rows_text.p, r->rows_text.len, 0, NULL);
    log = t.full ? NULL : json_loadb(t.p, t.len, 0, NULL);
    free(t.p);
    if (!json_is_array(rows) || !json_is_array(log)) {
        json_decref(rows);
        json_decref(log);
        return HC_ENOMEM;
    }
    /* json_object_set_new takes its value's reference even when it fails. */
    if (json_object_set_new(r->root, "rows", rows) != 0) {
        json_decref(log);
        return HC_ENOMEM;
    }
    if (json_object_set_new(r->root, "redactions", log) != 0)
        return HC_ENOMEM;
    r->rows = rows;
    r->rows_as_text = 0;
    return HC_OK;
}

/* One CSV cell as every export writes it (hc_csv_cell: a cell a spreadsheet would run as a
 * formula gets an apostrophe and quotes). At most three bytes out a byte in (U+FFFD for a
 * byte that is not UTF-8), and a quote, an apostrophe and a quote. */
static void csv_cell(struct report_text *o, const char *s)
{
    struct hc_buf b;
    if (report__text_reserve(o, 3 * strlen(s) + 3, &b) == 0) {
        hc_csv_cell(&b, s);
        report__text_commit(o, &b);
    }
}

static void csv_line(struct report_text *o, const char *record, const char *group,
                     const char *key, const char *label, const char *value, const char *ids)
{
    const char *cells[] = {record, group, key, label, value, ids};
    size_t i;
    for (i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        if (i)
            out_puts(o, ",");
        csv_cell(o, cells[i] ? cells[i] : "");
    }
    out_puts(o, "\r\n");
}

/* A figure's ids, separated by spaces, into b (truncated with "..." past cap). */
static void ids_text(json_t *ids, struct report_text *b)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        if (i)
            out_puts(b, " ");
        out_i64(b, json_integer_value(v));
    }
}

/* Each object of root's array member as a line of kind record: its fields as
 * "name=value; ..." in the label, its request (when it names one) in request_ids. */
static void csv_rows(struct report_text *o, json_t *root, const char *member, const char *record)
{
    struct report_text t = {NULL, 0, 0, 0};
    json_t *row, *v;
    const char *k;
    size_t i;
    json_array_foreach(json_object_get(root, member), i, row) {
        char n[24] = "";
        t.len = 0;
        out_puts(&t, "");
        json_object_foreach(row, k, v) {
            if (t.len)
                out_puts(&t, "; ");
            out_puts(&t, k);
            out_puts(&t, "=");
            out_value(&t, v, out_puts);
        }
        if (json_is_integer(json_object_get(row, "request_id")))
            snprintf(n, sizeof n, "%lld",
                     (long long)json_integer_value(json_object_get(row, "request_id")));
        csv_line(o, record, json_string_value(json_object_get(root, "report")), "", t.p, "1", n);
    }
    free(t.p);
}

static void encode_csv(json_t *root, struct report_text *o)
{
    static const char *const meta[] = {"report", "title", "definition_version", "answers",
                                       "generated_at", "redaction"};
    json_t *period = json_object_get(root, "period"), *f, *v;
    struct report_text t = {NULL, 0, 0, 0};
    size_t i;
    const char *k;

    csv_line(o, "record", "group", "key", "label", "value", "request_ids");
    for (i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (json_object_get(root, meta[i]) != NULL)
            csv_line(o, "meta", "", meta[i], "",
                     json_string_value(json_object_get(root, meta[i])), "");
    json_object_foreach(period, k, v) {
        csv_line(o, "meta", "period", k, "", json_string_value(v), "");
    }
    json_array_foreach(json_object_get(root, "rulesets"), i, v) {
        csv_line(o, "meta", "", "ruleset", "", json_string_value(v), "");
    }
    json_array_foreach(json_object_get(root, "figures"), i, f) {
        char n[24];
        t.len = 0;
        out_puts(&t, "");
        ids_text(json_object_get(f, "request_ids"), &t);
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(json_object_get(f, "count")));
        csv_line(o, "figure", json_string_value(json_object_get(f, "group")),
                 json_string_value(json_object_get(f, "key")),
                 json_string_value(json_object_get(f, "label")), n, t.p);
    }
    csv_rows(o, root, "rows", "row");
    csv_rows(o, root, "redactions", "redaction");
    free(t.p);
}

/* s as HTML text (hc_buf_put_html): at most six bytes out ("&quot;") a byte in. */
static void html_text(struct report_text *o, const char *s)
{
    struct hc_buf b;
    size_t n = strlen(s);
    if (report__text_reserve(o, 6 * n, &b) == 0) {
        hc_buf_put_html(&b, s, n);
        report__text_commit(o, &b);
    }
}

/* A link to request id's page. */
static void html_request_link(struct report_text *o, const char *base, int64_t id)
{
    out_puts(o, "<a href=\"");
    html_text(o, base);
    out_i64(o, id);
    out_puts(o, "\">#");
    out_i64(o, id);
    out_puts(o, "</a>");
}

static void html_dl(struct report_text *o, const char *term, const char *def)
{
    out_puts(o, "<dt>");
    html_text(o, term);
    out_puts(o, "</dt><dd>");
    html_text(o, def ? def : "");
    out_puts(o, "</dd>\n");
}

/* The page's own words, in English and Spanish. */
enum html_word {
    W_REPORT, W_VERSION, W_PERIOD, W_TO, W_RULESETS, W_NONE, W_GENERATED, W_FIGURES, W_GROUP,
    W_FIGURE, W_COUNT, W_REQUESTS, W_ITEMS, W_NO_ITEMS, W_REDACTION, W_REDACTIONS, W_NWORDS
};
static const char *const html_words[2][W_NWORDS] = {
    {"Report", "Definition version", "Period", " to ", "Rulesets of the decisions read", "none",
     "Generated", "Figures", "Group", "Figure", "Count", "Requests", "Items counted",
     "None in this period.", "Redaction", "Redactions"},
    {"Informe", "Versión de la definición", "Período", " a ",
     "Conjuntos de reglas de las decisiones leídas", "ninguno", "Generado", "Cifras", "Grupo",
     "Cifra", "Número", "Solicitudes", "Elementos contados", "Ninguno en este período.",
     "Redacción", "Redacciones"},
};

/* A section headed title: rows as a table, the columns the first row's members (every row
 * has the same), a request id as its link; none when rows is empty. */
static void html_rows(struct report_text *o, const char *title, json_t *rows, const char *none,
                      const char *base)
{
    json_t *row, *v, *first = json_array_get(rows, 0);
    const char *k;
    size_t i;
    out_puts(o, "<h2>");
    out_puts(o, title);
    out_puts(o, "</h2>\n");
    if (first == NULL) {
        out_puts(o, "<p>");
        out_puts(o, none);
        out_puts(o, "</p>\n");
        return;
    }
    out_puts(o, "<table>\n<thead><tr>");
    json_object_foreach(first, k, v) {
        out_puts(o, "<th scope=\"col\">");
        html_text(o, k);
        out_puts(o, "</th>");
    }
    out_puts(o, "</tr></thead>\n<tbody>\n");
    json_array_foreach(rows, i, row) {
        out_puts(o, "<tr>");
        json_object_foreach(row, k, v) {
            out_puts(o, "<td>");
            if (strcmp(k, "request_id") == 0 && json_is_integer(v))
                html_request_link(o, base, json_integer_value(v));
            else
                out_value(o, v, html_text);
            out_puts(o, "</td>");
        }
        out_puts(o, "</tr>\n");
    }
    out_puts(o, "</tbody></table>\n");
}

static void encode_html(json_t *root, const char *base, struct report_text *o)
{
    json_t *period = json_object_get(root, "period"), *f, *v;
    const char *title = json_string_value(json_object_get(root, "title"));
    int es = is_str(json_object_get(root, "lang"), "es");
    const char *const *w = html_words[es];
    struct report_text t = {NULL, 0, 0, 0};
    size_t i, j;

    out_puts(o, es ? "<!DOCTYPE html>\n<html lang=\"es\">" : "<!DOCTYPE html>\n<html lang=\"en\">");
    out_puts(o, "<head><meta charset=\"utf-8\">\n<title>");
    html_text(o, title);
    out_puts(o, "</title>\n<style>\n"
                "body{font:11pt/1.4 serif;margin:2em;color:#000}\n"
                "table{border-collapse:collapse;width:100%;margin:1em 0}\n"
                "th,td{border:1px solid #444;padding:.25em .5em;text-align:left;"
                "vertical-align:top}\n"
                "td.n{text-align:right}\ndt{font-weight:bold}\ndd{margin:0 0 .4em 1em}\n"
                "blockquote{margin:1em 2em;font-style:italic}\n"
                "@page{size:letter;margin:2cm}\n"
                "@media print{a{color:#000;text-decoration:none}tr{break-inside:avoid}}\n"
                "</style></head><body>\n<h1>");
    html_text(o, title);
    out_puts(o, "</h1>\n<dl>\n");
    html_dl(o, w[W_REPORT], json_string_value(json_object_get(root, "report")));
    html_dl(o, w[W_VERSION], json_string_value(json_object_get(root, "definition_version")));
    t.len = 0;
    out_puts(&t, "");
    out_puts(&t, json_string_value(json_object_get(period, "from")));
    out_puts(&t, w[W_TO]);
    out_puts(&t, json_string_value(json_object_get(period, "to")));
    out_puts(&t, " (");
    out_puts(&t, json_string_value(json_object_get(period, "time_zone")));
    out_puts(&t, ")");
    html_dl(o, w[W_PERIOD], t.p);
    t.len = 0;
    out_puts(&t, "");
    json_array_foreach(json_object_get(root, "rulesets"), i, v) {
        if (i)
            out_puts(&t, ", ");
        out_puts(&t, json_string_value(v));
    }
    html_dl(o, w[W_RULESETS], t.len ? t.p : w[W_NONE]);
    html_dl(o, w[W_GENERATED], json_string_value(json_object_get(root, "generated_at")));
    if (json_object_get(root, "redaction") != NULL)
        html_dl(o, w[W_REDACTION], json_string_value(json_object_get(root, "redaction")));
    out_puts(o, "</dl>\n<blockquote>");
    html_text(o, json_string_value(json_object_get(root, "answers")));
    out_puts(o, "</blockquote>\n<h2>");
    out_puts(o, w[W_FIGURES]);
    out_puts(o, "</h2>\n<table>\n<thead><tr>");
    for (i = W_GROUP; i <= W_REQUESTS; i++) {
        out_puts(o, "<th scope=\"col\">");
        out_puts(o, w[i]);
        out_puts(o, "</th>");
    }
    out_puts(o, "</tr></thead>\n<tbody>\n");
    json_array_foreach(json_object_get(root, "figures"), i, f) {
        out_puts(o, "<tr><td>");
        html_text(o, json_string_value(json_object_get(f, "group")));
        out_puts(o, "</td><td>");
        html_text(o, json_string_value(json_object_get(f, "label")));
        out_puts(o, "</td><td class=\"n\">");
        out_i64(o, json_integer_value(json_object_get(f, "count")));
        out_puts(o, "</td><td>");
        json_array_foreach(json_object_get(f, "request_ids"), j, v) {
            if (j)
                out_puts(o, " ");
            html_request_link(o, base, json_integer_value(v));
        }
        out_puts(o, "</td></tr>\n");
    }
    out_puts(o, "</tbody></table>\n");
    html_rows(o, w[W_ITEMS], json_object_get(root, "rows"), w[W_NO_ITEMS], base);
    if (json_object_get(root, "redactions") != NULL)
        html_rows(o, w[W_REDACTIONS], json_object_get(root, "redactions"), w[W_NO_ITEMS], base);
    out_puts(o, "</body></html>\n");
    free(t.p);
}

static void text_sink(void *ctx, const char *s, size_t n)
{
    out_put(ctx, s, n);
}

/* Root's member k (the key, a colon and its value) into o: the rows a kind wrote as text
 * (report__rows_as_text) copied in as they are, its redactions written in by write_log. */
static void json_member(struct report_ctx *r, const char *k, json_t *v, struct report_text *o)
{
    hc_json_escape(text_sink, o, k, strlen(k));
    out_puts(o, ":");
    if (r->rows_as_text && strcmp(k, "rows") == 0)
        out_put(o, r->rows_text.p, r->rows_text.len);
    else if (r->rows_as_text && strcmp(k, "redactions") == 0) {
        out_puts(o, "[");
        if (r->write_log != NULL)
            r->write_log(r, o);
        out_puts(o, "]");
    } else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
        if (text == NULL)
            o->full = 1;
        else
            out_puts(o, text);
        free(text);
    }
}

/* Report r as compact JSON into o (empty): root's members in order (json_member). The rows
 * written as text are most of a year's cpra bundle: o then takes over their text, the members
 * before them moved in ahead of it, rather than a copy of it all. Compact: a year's figures
 * carry hundreds of thousands of request ids, and indented each on its own line they made the
 * text 2.5 times as long and its writing 3 times as slow. Readers format it (jq .); people
 * read the HTML or PDF. */
static void encode_json(struct report_ctx *r, struct report_text *o)
{
    struct report_text head = {NULL, 0, 0, 0};
    const char *k;
    json_t *v;
    size_t i = 0;
    int hosted = 0;

    out_puts(&head, "{");
    json_object_foreach(r->root, k, v) {
        struct report_text *to = hosted ? o : &head;
        if (i++)
            out_puts(to, ",");
        if (r->rows_as_text && !hosted && strcmp(k, "rows") == 0) {
            /* head "rows": then the rows, in the rows' own text. */
            hc_json_escape(text_sink, &head, k, strlen(k));
            out_puts(&head, ":");
            *o = r->rows_text;
            memset(&r->rows_text, 0, sizeof r->rows_text);
            if (head.full || text_grow(o, head.len) != 0)
                o->full = 1;
            else {
                memmove(o->p + head.len, o->p, o->len + 1);
                memcpy(o->p, head.p, head.len);
                o->len += head.len;
            }
            hosted = 1;
            continue;
        }
        json_member(r, k, v, to);
    }
    if (!hosted) {
        *o = head;
        head.p = NULL;
    }
    out_puts(o, "}\n");
    o->full |= head.full;
    free(head.p);
}

static int encode(struct report_ctx *r, const struct report_query *q, char **out, size_t *len,
                  struct hc_diag *d)
{
    struct report_text o = {NULL, 0, 0, 0};
    if (q->format != REPORT_JSON && rows_into_tree(r) != HC_OK)
        o.full = 1;
    else
        switch (q->format) {
        case REPORT_PDF: return report__pdf(r->root, q->agency, q->catalog_version, out, len, d);
        case REPORT_CSV: encode_csv(r->root, &o); break;
        case REPORT_HTML:
            encode_html(r->root, q->link_base ? q->link_base : "/console/request.html?id=", &o);
            break;
        case REPORT_JSON:
        default: encode_json(r, &o); break;
        }
    if (o.full) {
        free(o.p);
        return hc_diag_set(d, "from", "the report is too large: ask for a shorter period", NULL),
               HC_ENOMEM;
    }
    *out = o.p;
    *len = o.len;
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Render and check                                                                            */

/* Whether q may ask for report k unredacted: only the cpra bundle has personal identifying
 * information to redact, and only an administrator may see it. */
static int unredacted_allowed(const struct report_query *q, const struct report_kind *k,
                              struct hc_diag *d)
{
    if (k != &report_cpra)
        return hc_diag_set(d, "redaction", "only the cpra report has personal identifying "
                                           "information to redact", NULL);
    if (q->role != AUTH_ADMIN) {
        hc_diag_set(d, "redaction", "only an administrator may see the cpra bundle unredacted",
                    NULL);
        return REPORTS_EADMIN;
    }
    return HC_OK;
}

/* The audit entry of an unredacted report r handed to q->actor: which, for which period, in
 * which format. */
static int audit_unredacted(struct hc_store *st, const struct report_query *q, json_t *root,
                            struct hc_diag *d)
{
    static const char *const formats[] = {"json", "csv", "html"};
    json_t *period = json_object_get(root, "period");
    json_t *pl = json_pack("{s:O,s:O,s:O,s:s}", "report", json_object_get(root, "report"),
                           "from", json_object_get(period, "from"), "to",
                           json_object_get(period, "to"), "format", formats[q->format]);
    char entity[64];
    int rc;
    if (pl == NULL)
        return HC_ENOMEM;
    /* The entry is a write, which may not be made inside a read transaction (a GET's snapshot,
     * src/http/router.c): the report is built, so the snapshot ends here. */
    store_read_end(st);
    snprintf(entity, sizeof entity, "report/%s", json_string_value(json_object_get(root, "report")));
    rc = store_audit_append(st, q->actor && q->actor[0] ? q->actor : "unknown",
                            "report.unredacted", entity, pl);
    json_decref(pl);
    if (rc != HC_OK)
        hc_diag_set(d, "redaction", "the unredacted access could not be written to the audit "
                                    "log, so the report is not given", NULL);
    return rc;
}

int reports_render(struct hc_store *st, const struct report_query *q, char **out, size_t *len,
                   struct hc_diag *d)
{
    const struct report_kind *k;
    struct report_ctx r;
    struct hc_arena a;
    void *mem;
    int rc;

    *out = NULL;
    *len = 0;
    if ((rc = query_kind(q, &k, d)) != HC_OK)
        return rc;
    if (q->unredacted && (rc = unredacted_allowed(q, k, d)) != HC_OK)
        return rc;
    if ((mem = malloc(REPORT_ARENA_BYTES)) == NULL)
        return HC_ENOMEM;
    hc_arena_init(&a, mem, REPORT_ARENA_BYTES);
    if ((rc = run(st, k, q, &a, RUN_BUILD, &r, d)) == HC_OK) {
        /* The access is recorded before the report leaves: no entry, no report. */
        if (!q->unredacted || (rc = audit_unredacted(st, q, r.root, d)) == HC_OK)
            rc = encode(&r, q, out, len, d);
        ctx_release(&r);
    }
    free(mem);
    return rc;
}

/* Compare figures got (the report's) with want (the recomputation), by group and key: each
 * figure's count and ids. One line a difference into o; returns how many differ. */
static int compare_figures(json_t *got, json_t *want, const char *what, struct report_text *o)
{
    size_t i, j;
    json_t *f, *g;
    int diff = 0;
    int pass;
    for (pass = 0; pass < 2; pass++) {
        json_t *a = pass ? want : got, *b = pass ? got : want;
        json_array_foreach(a, i, f) {
            const char *grp = json_string_value(json_object_get(f, "group"));
            const char *key = json_string_value(json_object_get(f, "key"));
            json_t *match = NULL;
            json_array_foreach(b, j, g) {
                if (grp && key &&
                    is_str(json_object_get(g, "group"), grp) && is_str(json_object_get(g, "key"), key))
                    match = g;
            }
            if (match == NULL) {
                if (json_integer_value(json_object_get(f, "count")) == 0)
                    continue; /* a figure at zero declared on one side only is no difference */
                out_puts(o, "DIFF ");
                out_puts(o, grp ? grp : "?");
                out_puts(o, "/");
                out_puts(o, key ? key : "?");
                out_puts(o, pass ? ": recomputed " : ": in the report ");
                out_i64(o, json_integer_value(json_object_get(f, "count")));
                out_puts(o, ", missing from the ");
                out_puts(o, pass ? what : "recomputation");
                out_puts(o, "\n");
                diff++;
                continue;
            }
            if (pass)
                continue; /* matched pairs are compared once */
            if (json_integer_value(json_object_get(f, "count")) !=
                    json_integer_value(json_object_get(match, "count")) ||
                !json_equal(json_object_get(f, "request_ids"),
                            json_object_get(match, "request_ids"))) {
                out_puts(o, "DIFF ");
                out_puts(o, grp);
                out_puts(o, "/");
                out_puts(o, key);
                out_puts(o, ": ");
                out_puts(o, what);
                out_puts(o, " ");
                out_i64(o, json_integer_value(json_object_get(f, "count")));
                out_puts(o, " [");
                ids_text(json_object_get(f, "request_ids"), o);
                out_puts(o, "], recomputed ");
                out_i64(o, json_integer_value(json_object_get(match, "count")));
                out_puts(o, " [");
                ids_text(json_object_get(match, "request_ids"), o);
                out_puts(o, "]\n");
                diff++;
            } else {
                out_puts(o, "ok   ");
                out_puts(o, grp);
                out_puts(o, "/");
                out_puts(o, key);
                out_puts(o, " ");
                out_i64(o, json_integer_value(json_object_get(f, "count")));
                out_puts(o, " (");
                out_puts(o, what);
                out_puts(o, ")\n");
            }
        }
    }
    return diff;
}

/* Read against as a report of r's kind and period; its figures into *figs (borrowed from
 * *doc, which the caller releases). */
static int against_figures(const char *against, json_t *root, json_t **doc, json_t **figs,
                           struct hc_diag *d)
{
    json_t *p, *mine = json_object_get(root, "period");
    *doc = json_loads(against, 0, NULL);
    if (!json_is_object(*doc) || !json_is_array(json_object_get(*doc, "figures")))
        return hc_diag_set(d, "against", "not a report in JSON (holdcheck report --format json)",
                           NULL);
    if (!json_equal(json_object_get(*doc, "report"), json_object_get(root, "report")))
        return hc_diag_set(d, "against", "a report of another kind", NULL);
    p = json_object_get(*doc, "period");
    if (!json_equal(json_object_get(p, "from"), json_object_get(mine, "from")) ||
        !json_equal(json_object_get(p, "to"), json_object_get(mine, "to")))
        return hc_diag_set(d, "against", "a report of another period: give its --from and --to",
                           NULL);
    *figs = json_object_get(*doc, "figures");
    return HC_OK;
}

/* Verify the audit chain, and the rows report r read when it names them (report__track_reads:
 * store_report_verify) or else every row the chain vouches for (anchor_verify), into *rep.
 * *narrow (OUT) 1 for the first. HC_OK or a store error. */
static int verify_rows(struct hc_store *st, struct report_ctx *r, struct hc_arena *a,
                       struct store_audit_report *rep, int *narrow)
{
    struct store_report_read rd;
    int held = 0;
    const char *why = NULL;
    size_t i;

    *narrow = r->reads != NULL && !r->reads->oom;
    if (!*narrow) {
        hc_arena_reset(a);
        return anchor_verify(st, 0, NULL, a, rep, &held, &why);
    }
    rd.tables = r->reads->tables & ~REPORT_CITATIONS;
    rd.citations = (r->reads->tables & REPORT_CITATIONS) != 0;
    for (i = 0; i < STORE_REPORT_NTABLES; i++) {
        hc_ids_settle(&r->reads->t[i]);
        rd.ids[i] = r->reads->t[i].v;
        rd.n[i] = r->reads->t[i].n;
    }
    return store_report_verify(st, &rd, rep);
}

/* Verify the audit chain and the rows of report r (verify_rows); one line a problem, and one
 * saying what was verified. Returns how many problems. */
static int check_chain(struct hc_store *st, struct report_ctx *r, struct hc_arena *a,
                       struct report_text *o, int *rc)
{
    struct store_audit_report *rep = calloc(1, sizeof *rep);
    int problems = 0, narrow = 0;
    size_t i;
    if (rep == NULL) {
        *rc = HC_ENOMEM;
        return 0;
    }
    if ((*rc = verify_rows(st, r, a, rep, &narrow)) != HC_OK) {
        free(rep);
        return 0;
    }
    if (rep->bad_seq != 0) {
        out_puts(o, "DIFF audit chain broken at entry ");
        out_i64(o, rep->bad_seq);
        out_puts(o, ": ");
        out_puts(o, rep->reason);
        out_puts(o, "\n");
        problems++;
    }
    for (i = 0; i < rep->nrows; i++) {
        out_puts(o, "DIFF a record disagrees with the audit chain: ");
        out_puts(o, rep->row[i].table);
        out_puts(o, " ");
        out_i64(o, rep->row[i].id);
        out_puts(o, rep->row[i].problem == STORE_AUDIT_ROW_UNBOUND   ? " (written around holdcheck)\n"
                    : rep->row[i].problem == STORE_AUDIT_ROW_DELETED ? " (deleted)\n"
                                                                     : " (edited or replaced)\n");
    }
    if (rep->row_problems > (int64_t)rep->nrows) {
        out_puts(o, "DIFF ... and ");
        out_i64(o, rep->row_problems - (int64_t)rep->nrows);
        out_puts(o, " more records that disagree with the audit chain\n");
    }
    if (rep->row_problems > 0)
        problems += (int)rep->row_problems;
    else if (rep->bad_seq == 0 && !narrow)
        out_puts(o, "ok   the audit chain is intact and the records agree with it\n");
    else if (rep->bad_seq == 0)
        out_puts(o, "ok   the audit chain is intact and the records this report could have "
                    "read agree with it\n");
    if (narrow && rep->bad_seq == 0) {
        /* What was verified, and what was not. */
        out_puts(o, "note verified against the audit chain: every entry's link (");
        out_i64(o, rep->entries);
        out_puts(o, " entries), the hash of each entry that vouches for these records, and ");
        out_i64(o, rep->bound_rows);
        out_puts(o, " records: every request action, override and notice, every decision of "
                    "the requests whose decision the report read (");
        out_i64(o, (int64_t)r->reads->t[STORE_REPORT_DECISIONS].n);
        out_puts(o, " read), and the ");
        out_i64(o, (int64_t)r->reads->t[STORE_REPORT_BOOKINGS].n);
        out_puts(o, " bookings it read or could have; no other booking or decision (holdcheck "
                    "audit verify checks every record)\n");
    }
    free(rep);
    return problems;
}

int reports_check(struct hc_store *st, const struct report_query *q, const char *against,
                  char **out, size_t *len, int *differences, struct hc_diag *d)
{
    const struct report_kind *k;
    struct report_ctx built, tallied;
    struct hc_arena a;
    struct report_text o = {NULL, 0, 0, 0};
    json_t *doc = NULL, *afigs = NULL;
    void *mem;
    int rc, diff = 0;

    *out = NULL;
    *len = 0;
    *differences = 0;
    if ((rc = query_kind(q, &k, d)) != HC_OK)
        return rc;
    if ((mem = malloc(REPORT_ARENA_BYTES)) == NULL)
        return HC_ENOMEM;
    hc_arena_init(&a, mem, REPORT_ARENA_BYTES);
    if ((rc = run(st, k, q, &a, RUN_FIGURES, &built, d)) != HC_OK) {
        free(mem);
        return rc;
    }
    hc_arena_reset(&a);
    if ((rc = run(st, k, q, &a, RUN_TALLY, &tallied, d)) != HC_OK) {
        ctx_release(&built);
        free(mem);
        return rc;
    }
    if (against != NULL &&
        (rc = against_figures(against, built.root, &doc, &afigs, d)) != HC_OK)
        goto done;
    out_puts(&o, "");
    diff += compare_figures(built.figures, tallied.figures, "report now", &o);
    if (afigs != NULL)
        diff += compare_figures(afigs, tallied.figures, "report given", &o);
    reads_merge(built.reads, tallied.reads);
    diff += check_chain(st, &built, &a, &o, &rc);
    if (rc != HC_OK)
        goto done;
    {
        char line[160];
        snprintf(line, sizeof line, "%s %s to %s: %d difference%s\n", k->name,
                 json_string_value(json_object_get(json_object_get(built.root, "period"), "from")),
                 json_string_value(json_object_get(json_object_get(built.root, "period"), "to")),
                 diff, diff == 1 ? "" : "s");
        out_puts(&o, line);
    }
    if (o.full) {
        rc = HC_ENOMEM;
        goto done;
    }
    *out = o.p;
    o.p = NULL;
    *len = o.len;
    *differences = diff;
done:
    free(o.p);
    json_decref(doc);
    ctx_release(&built);
    ctx_release(&tallied);
    free(mem);
    return rc;
}

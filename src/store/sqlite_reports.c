/* SPDX-License-Identifier: MIT
 * sqlite_reports.c: the SQLite side of the statutory reports (store_reports.h): the rows of a
 * period and the plain tallies `holdcheck report --check` recomputes the figures from. Reports
 * are rare and their statements are prepared for each call and finalized, so they take no
 * statement slots. Stored times carry offsets ("2026-03-04T10:00:00-08:00"): every comparison
 * goes through julianday(), which reads the instant a time names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "buf.h"
#include "ids.h"
#include "sql.h"
#include "sqlite_int.h"

/* The period test of a stored time column t against [?1, ?2). */
#define IN_PERIOD(t) " julianday(" t ") >= julianday(?1) AND julianday(" t ") < julianday(?2)"

/* The newest decision of request r (d: its id, outcome, ruleset, from the index
 * decisions_newest, so that the decision's row, most of a page of JSON, is not read) and the
 * override in force on it (o), in the order of the view request_outcome (sql.h): prohibited,
 * review, permitted with conditions, then the newest. The outcome in force is
 * coalesce(o.outcome, d.outcome). One lookup of each a request, instead of the view's join
 * through the decision's row. */
#define NEWEST_JOIN(r)                                                                         \
    " LEFT JOIN decisions d INDEXED BY decisions_newest ON d.request_id = " r ".id"            \
    " AND d.version = (SELECT max(x.version) FROM decisions x WHERE x.request_id = " r ".id)"  \
    " LEFT JOIN overrides o ON o.id = (SELECT y.id FROM overrides y WHERE y.decision_id = d.id" \
    " ORDER BY CASE y.outcome WHEN 'prohibited' THEN 3 WHEN 'review' THEN 2"                   \
    " WHEN 'permitted_with_conditions' THEN 1 ELSE 0 END DESC, y.id DESC LIMIT 1)"
#define OUTCOME_IN_FORCE "coalesce(o.outcome, d.outcome)"

static const char sql_transfers[] =
    "SELECT a.id, a.request_id, a.at, CAST(strftime('%s', a.at) AS INTEGER), r.type, a.contrary,"
    " " OUTCOME_IN_FORCE ", d.ruleset, d.decision_json, coalesce(d.id, 0), coalesce(o.id, 0)"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    NEWEST_JOIN("r")
    " WHERE a.kind = 'transferred' AND" IN_PERIOD("a.at")
    " ORDER BY julianday(a.at), a.id";

/* The notification requests of the bookings released in the period. */
#define RELEASED_REQUESTS                                                                      \
    " FROM bookings b JOIN immigration_requests r"                                             \
    " ON r.booking_id = b.id AND r.type = 'notification'"                                      \
    " WHERE b.released_at IS NOT NULL AND" IN_PERIOD("b.released_at")

static const char sql_releases[] =
    "SELECT b.id, r.id, CAST(strftime('%s', b.released_at) AS INTEGER),"
    " CAST(strftime('%s', r.received_at) AS INTEGER), d.outcome, " OUTCOME_IN_FORCE ","
    " coalesce(o.id, 0), d.ruleset, coalesce(d.id, 0)"
    " FROM bookings b JOIN immigration_requests r"
    " ON r.booking_id = b.id AND r.type = 'notification'"
    NEWEST_JOIN("r")
    " WHERE b.released_at IS NOT NULL AND" IN_PERIOD("b.released_at")
    " ORDER BY julianday(b.released_at), b.id, r.id";

static const char sql_release_actions[] =
    "SELECT a.request_id, a.kind, CAST(strftime('%s', a.at) AS INTEGER), a.id"
    " FROM request_actions a WHERE a.request_id IN (SELECT r.id" RELEASED_REQUESTS ")"
    " ORDER BY a.request_id, a.id";

/* The booking of request r and its person, whose date of birth gives an age band. */
#define PERSON_JOIN(r)                                                                         \
    " LEFT JOIN bookings b ON b.id = " r ".booking_id LEFT JOIN people p ON p.id = b.person_id"

/* The forum packet's records (struct store_report_event's columns, in order). An action's
 * person is read only for the kinds whose age is counted (ICE access: notified, transferred),
 * so that the year's declined actions read no booking. */
static const char *const sql_forum[4] = {
    "SELECT r.id, r.id, CAST(strftime('%s', r.received_at) AS INTEGER), r.type,"
    " " OUTCOME_IN_FORCE ", NULL, NULL, d.ruleset, 0, coalesce(d.id, 0), coalesce(o.id, 0), 0"
    " FROM immigration_requests r" NEWEST_JOIN("r")
    " WHERE" IN_PERIOD("r.received_at") " ORDER BY julianday(r.received_at), r.id",
    "SELECT a.id, a.request_id, CAST(strftime('%s', a.at) AS INTEGER), r.type, a.kind,"
    " a.ice_reason, p.date_of_birth, NULL, a.contrary, 0, 0, coalesce(b.id, 0)"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    " LEFT JOIN bookings b ON a.kind IN ('notified', 'transferred') AND b.id = r.booking_id"
    " LEFT JOIN people p ON p.id = b.person_id"
    " WHERE" IN_PERIOD("a.at") " ORDER BY julianday(a.at), a.id",
    "SELECT i.id, i.request_id, CAST(strftime('%s', i.recorded_at) AS INTEGER), r.type, NULL,"
    " NULL, p.date_of_birth, NULL, 0, 0, 0, coalesce(b.id, 0)"
    " FROM interviews i JOIN immigration_requests r ON r.id = i.request_id"
    PERSON_JOIN("r")
    " WHERE i.status = 'granted' AND" IN_PERIOD("i.recorded_at") " ORDER BY i.id",
    "SELECT n.id, n.request_id, CAST(strftime('%s', n.generated_at) AS INTEGER), r.type, n.kind,"
    " NULL, NULL, NULL, n.served_at IS NOT NULL, 0, 0, 0"
    " FROM notices n JOIN immigration_requests r ON r.id = n.request_id"
    " WHERE" IN_PERIOD("n.generated_at") " ORDER BY n.id",
};

/* The age in whole years on the local day of time t of a person born on dob. */
#define AGE_AT(t, dob)                                                                          \
    "coalesce(CAST(strftime('%Y', " t ", 'localtime') AS INTEGER) - CAST(strftime('%Y', " dob   \
    ") AS INTEGER) - (strftime('%m-%d', " t ", 'localtime') < strftime('%m-%d', " dob ")), -1)"

static const char sql_tally_forum[] =
    "SELECT r.id, r.id, r.type, strftime('%Y-%m', r.received_at, 'localtime'), ro.outcome,"
    " 'request', 0, 0, 0, 0, 0"
    " FROM immigration_requests r JOIN request_outcome ro ON ro.request_id = r.id"
    " WHERE" IN_PERIOD("r.received_at")
    " UNION ALL SELECT a.request_id, a.id, a.kind, a.ice_reason, r.type, 'action', a.contrary,"
    " " AGE_AT("a.at", "p.date_of_birth") ", 0, 0, 0"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    " JOIN bookings b ON b.id = r.booking_id JOIN people p ON p.id = b.person_id"
    " WHERE" IN_PERIOD("a.at")
    " UNION ALL SELECT i.request_id, i.id, NULL, NULL, r.type, 'interview', 0,"
    " " AGE_AT("i.recorded_at", "p.date_of_birth") ", 0, 0, 0"
    " FROM interviews i JOIN immigration_requests r ON r.id = i.request_id"
    " JOIN bookings b ON b.id = r.booking_id JOIN people p ON p.id = b.person_id"
    " WHERE i.status = 'granted' AND" IN_PERIOD("i.recorded_at")
    " UNION ALL SELECT n.request_id, n.id, n.kind, NULL, NULL, 'notice',"
    " n.served_at IS NOT NULL, 0, 0, 0, 0"
    " FROM notices n WHERE" IN_PERIOD("n.generated_at");

/* The tallies: no view, no join with request_outcome, the newest decision found again. */
#define NEWEST_DECISION(col)                                                                   \
    "(SELECT x." col " FROM decisions x WHERE x.request_id = r.id"                              \
    " ORDER BY x.version DESC LIMIT 1)"

static const char sql_tally_transfers[] =
    "SELECT a.request_id, a.id,"
    " json_extract(" NEWEST_DECISION("decision_json") ", '$.qualifying[0].provision'),"
    " json_extract(" NEWEST_DECISION("decision_json") ", '$.qualifying[0].fact'),"
    " json_extract(" NEWEST_DECISION("decision_json") ", '$.qualifying[0].citation'),"
    " " NEWEST_DECISION("outcome") ", a.contrary, 0, 0, 0, 0"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    " WHERE a.kind = 'transferred' AND" IN_PERIOD("a.at");

/* An action kind on r at or before b's release. */
#define ACTIONS_BY_RELEASE(kind)                                                               \
    "(SELECT count(*) FROM request_actions a WHERE a.request_id = r.id AND a.kind = '" kind "'" \
    " AND julianday(a.at) <= julianday(b.released_at))"

static const char sql_tally_releases[] =
    "SELECT r.id, b.id, " NEWEST_DECISION("outcome") ", NULL, NULL, NULL,"
    " julianday(r.received_at) > julianday(b.released_at),"
    " " ACTIONS_BY_RELEASE("notified") ", " ACTIONS_BY_RELEASE("lifted_by_ice") ","
    " " ACTIONS_BY_RELEASE("declined") ","
    " (SELECT count(*) FROM overrides o WHERE o.decision_id = " NEWEST_DECISION("id")
    " AND o.outcome IN ('prohibited', 'review'))"
    RELEASED_REQUESTS " ORDER BY b.id, r.id";

static const char sql_tally_notified_bookings[] =
    "SELECT DISTINCT 0, r.booking_id, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0"
    " FROM immigration_requests r WHERE r.type = 'notification' AND ?1 IS NOT NULL"
    " AND ?2 IS NOT NULL ORDER BY r.booking_id";

/* Prepare sql with the period bound as ?1 and ?2; NULL on failure (logged by sq_map_rc). */
static sqlite3_stmt *prepare_period(struct store_sqlite *s, const char *sql, const char *from,
                                    const char *to)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK) {
        sq_map_rc(s, rc);
        sqlite3_finalize(q);
        return NULL;
    }
    sq_bind_str(q, 1, from);
    sq_bind_str(q, 2, to);
    return q;
}

/* sq_read_rows over a statement prepared here, finalized after. */
static int read_period(struct store_sqlite *s, const char *sql, const char *from, const char *to,
                       struct hc_arena *a, size_t size, row_fill_fn fill, void **out, size_t *n)
{
    sqlite3_stmt *q = prepare_period(s, sql, from, to);
    int rc;
    if (q == NULL)
        return HC_EIO;
    rc = sq_read_rows(s, q, a, size, fill, out, n);
    sqlite3_finalize(q);
    return rc;
}

static void fill_transfer(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_transfer *t = el;
    t->action_id = sqlite3_column_int64(q, 0);
    t->request_id = sqlite3_column_int64(q, 1);
    t->at = sq_col_dup(a, q, 2, oom);
    t->at_epoch = sqlite3_column_int64(q, 3);
    t->request_type = sq_col_dup(a, q, 4, oom);
    t->contrary = sqlite3_column_int(q, 5) != 0;
    t->outcome = sq_col_dup(a, q, 6, oom);
    t->ruleset = sq_col_dup(a, q, 7, oom);
    t->decision_json = sq_col_dup(a, q, 8, oom);
    t->decision_id = sqlite3_column_int64(q, 9);
    t->override_id = sqlite3_column_int64(q, 10);
}

static void fill_release(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_release *r = el;
    r->booking_id = sqlite3_column_int64(q, 0);
    r->request_id = sqlite3_column_int64(q, 1);
    r->released_epoch = sqlite3_column_int64(q, 2);
    r->received_epoch = sqlite3_column_int64(q, 3);
    r->engine_outcome = sq_col_dup(a, q, 4, oom);
    r->outcome = sq_col_dup(a, q, 5, oom);
    r->override_id = sqlite3_column_int64(q, 6);
    r->ruleset = sq_col_dup(a, q, 7, oom);
    r->decision_id = sqlite3_column_int64(q, 8);
}

static void fill_action(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_action *x = el;
    x->request_id = sqlite3_column_int64(q, 0);
    x->kind = sq_col_dup(a, q, 1, oom);
    x->at_epoch = sqlite3_column_int64(q, 2);
    x->id = sqlite3_column_int64(q, 3);
}

static void fill_event(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_event *e = el;
    e->id = sqlite3_column_int64(q, 0);
    e->request_id = sqlite3_column_int64(q, 1);
    e->epoch = sqlite3_column_int64(q, 2);
    e->request_type = sq_col_dup(a, q, 3, oom);
    e->kind = sq_col_dup(a, q, 4, oom);
    e->reason = sq_col_dup(a, q, 5, oom);
    e->birth_date = sq_col_dup(a, q, 6, oom);
    e->ruleset = sq_col_dup(a, q, 7, oom);
    e->flag = sqlite3_column_int(q, 8) != 0;
    e->decision_id = sqlite3_column_int64(q, 9);
    e->override_id = sqlite3_column_int64(q, 10);
    e->booking_id = sqlite3_column_int64(q, 11);
}

static void fill_tally(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_tally *t = el;
    int i;
    t->request_id = sqlite3_column_int64(q, 0);
    t->id = sqlite3_column_int64(q, 1);
    for (i = 0; i < 4; i++)
        t->v[i] = sq_col_dup(a, q, 2 + i, oom);
    for (i = 0; i < 5; i++)
        t->n[i] = sqlite3_column_int64(q, 6 + i);
}

static int sq_report_transfers(struct hc_store *st, const char *from, const char *to,
                               struct hc_arena *a, struct store_report_transfer **out, size_t *n)
{
    return read_period(sq(st), sql_transfers, from, to, a, sizeof **out, fill_transfer,
                       (void **)out, n);
}

static int sq_report_releases(struct hc_store *st, const char *from, const char *to,
                              struct hc_arena *a, struct store_report_release **out, size_t *n,
                              struct store_report_action **acts, size_t *nacts)
{
    int rc = read_period(sq(st), sql_releases, from, to, a, sizeof **out, fill_release,
                         (void **)out, n);
    if (rc != HC_OK)
        return rc;
    return read_period(sq(st), sql_release_actions, from, to, a, sizeof **acts, fill_action,
                       (void **)acts, nacts);
}

static int sq_report_forum(struct hc_store *st, const char *from, const char *to,
                           struct hc_arena *a, struct store_report_forum *out)
{
    struct store_report_event **lists[4] = {&out->requests, &out->actions, &out->interviews,
                                            &out->notices};
    size_t *counts[4] = {&out->nrequests, &out->nactions, &out->ninterviews, &out->nnotices};
    int i, rc = HC_OK;
    memset(out, 0, sizeof *out);
    for (i = 0; i < 4 && rc == HC_OK; i++)
        rc = read_period(sq(st), sql_forum[i], from, to, a, sizeof **lists[i], fill_event,
                         (void **)lists[i], counts[i]);
    return rc;
}

static int sq_report_tally_cpra(struct hc_store *st, const char *from, const char *to,
                                struct hc_arena *a, struct store_report_tally **out, size_t *n);

static int sq_report_tally(struct hc_store *st, enum store_report_tally_kind k, const char *from,
                           const char *to, struct hc_arena *a, struct store_report_tally **out,
                           size_t *n)
{
    const char *sql;
    switch (k) {
    case STORE_TALLY_TRANSFERS: sql = sql_tally_transfers; break;
    case STORE_TALLY_RELEASES: sql = sql_tally_releases; break;
    case STORE_TALLY_FORUM: sql = sql_tally_forum; break;
    case STORE_TALLY_CPRA: return sq_report_tally_cpra(st, from, to, a, out, n);
    case STORE_TALLY_NOTIFIED_BOOKINGS: sql = sql_tally_notified_bookings; break;
    default: return HC_EINVAL;
    }
    return read_period(sq(st), sql, from, to, a, sizeof **out, fill_tally, (void **)out, n);
}

/* ------------------------------------------------------------------------------------------ */
/* The cpra bundle: the records of ICE access and of communication with immigration           */
/* authorities (struct store_report_record)                                                   */

/* What each table of the bundle (sql_report_tables: its name, time column and own columns,
 * each read as "x.col AS col": sqlite3_column_name gives the alias) reads besides, and its
 * FROM beyond "table x": its request r (by request_id when NULL). x is every table's alias. */
static const struct {
    const char *extra, *join;
} rec_tables[STORE_REC_NTABLES] = {
    [STORE_REC_REQUESTS] = {", d.outcome AS engine_outcome, " OUTCOME_IN_FORCE
                            " AS outcome_in_force, o.id AS override_in_force",
                            " JOIN immigration_requests r ON r.id = x.id" NEWEST_JOIN("r")},
    [STORE_REC_DECISIONS] = {
        /* The provisions a decision cites, kept beside it (version 19), or from its JSON when
         * it was written around holdcheck (no row kept). */
        ", CASE WHEN c.decision_id IS NULL THEN " SQ_CITED_BASIS("x.decision_json")
        " ELSE c.basis END AS basis,"
        " CASE WHEN c.decision_id IS NULL THEN " SQ_CITED_QUALIFYING("x.decision_json")
        " ELSE c.qualifying END AS qualifying,"
        " CASE WHEN c.decision_id IS NULL THEN " SQ_CITED_CONDITIONS("x.decision_json")
        " ELSE c.conditions END AS conditions",
        " LEFT JOIN decision_citations c ON c.decision_id = x.id"
        " JOIN immigration_requests r ON r.id = x.request_id"},
};

/* The columns every record starts with (fill_record reads them): its table, id, request, the
 * instant of its time, the request's type, and its request's booking (whom the request is
 * about: store_report_bookings reads the booking's number and its person). */
#define REC_HEAD_COLS 10

/* " WHERE" time column x.time in the period [?1, ?2) into b (IN_PERIOD for a column named at
 * run time). */
static void period_where(const char *time, struct hc_buf *b)
{
    hc_buf_puts(b, " WHERE julianday(x.");
    hc_buf_puts(b, time);
    hc_buf_puts(b, ") >= julianday(?1) AND julianday(x.");
    hc_buf_puts(b, time);
    hc_buf_puts(b, ") < julianday(?2)");
}

/* The SELECT of table t into b: the head, x's own columns, the extra; from x joined with its
 * request (its own join, or by request_id); in the period, in the order of its time (the
 * index of version 15). */
static void record_sql(size_t t, struct hc_buf *b)
{
    const struct sql_report_table *rt = &sql_report_tables[t];
    hc_buf_puts(b, "SELECT '");
    hc_buf_puts(b, rt->table);
    hc_buf_puts(b, "', x.id, r.id, CAST(strftime('%s', x.");
    hc_buf_puts(b, rt->time);
    hc_buf_puts(b, ") AS INTEGER), r.type, 0, r.booking_id, NULL, NULL, NULL");
    sql_report_cols(rt, b);
    if (rec_tables[t].extra != NULL)
        hc_buf_puts(b, rec_tables[t].extra);
    hc_buf_puts(b, " FROM ");
    hc_buf_puts(b, rt->table);
    hc_buf_puts(b, " x");
    hc_buf_puts(b, rec_tables[t].join ? rec_tables[t].join
                                      : " JOIN immigration_requests r ON r.id = x.request_id");
    period_where(rt->time, b);
    hc_buf_puts(b, " ORDER BY julianday(x.");
    hc_buf_puts(b, rt->time);
    hc_buf_puts(b, "), x.id");
}

/* The tally of the same records (fill_tally's columns: v[0] the table, v[1] the request's
 * type, n[0] the person): one statement, each table's rows by their request's booking (no
 * join with people, no view); the period test on the same time columns. */
#define TALLY_REC(tbl, x, t)                                                                   \
    " SELECT " x ".request_id, " x ".id, '" tbl "', r.type, NULL, NULL, b.person_id, 0, 0, 0, 0" \
    " FROM " tbl " " x ", immigration_requests r, bookings b"                                   \
    " WHERE r.id = " x ".request_id AND b.id = r.booking_id AND" IN_PERIOD(t)
static const char sql_tally_cpra[] =
    "SELECT r.id, r.id, 'immigration_requests', r.type, NULL, NULL, b.person_id, 0, 0, 0, 0"
    " FROM immigration_requests r, bookings b WHERE b.id = r.booking_id AND"
    IN_PERIOD("r.received_at")
    " UNION ALL" TALLY_REC("request_warrants", "w", "w.recorded_at")
    " UNION ALL" TALLY_REC("decisions", "d", "d.decided_at")
    " UNION ALL" TALLY_REC("overrides", "o", "o.created_at")
    " UNION ALL" TALLY_REC("request_intents", "i", "i.recorded_at")
    " UNION ALL" TALLY_REC("request_actions", "a", "a.at")
    " UNION ALL" TALLY_REC("release_disclosures", "x", "x.told_at")
    " UNION ALL" TALLY_REC("notices", "n", "n.generated_at")
    " UNION ALL" TALLY_REC("interview_consents", "c", "c.recorded_at")
    " UNION ALL" TALLY_REC("interviews", "v", "v.recorded_at");

/* Record r from q's row: the head columns, then the record's own, named by names[] (the
 * statement's columns past the head, copied once for all its rows). */
static void fill_record(sqlite3_stmt *q, struct hc_arena *a, const char *const *names,
                        struct store_report_record *r, int *oom)
{
    int i, n = sqlite3_column_count(q) - REC_HEAD_COLS;
    r->table = names[STORE_REPORT_RECORD_FIELDS]; /* the table's name, copied with the names */
    r->id = sqlite3_column_int64(q, 1);
    r->request_id = sqlite3_column_int64(q, 2);
    r->epoch = sqlite3_column_int64(q, 3);
    r->request_type = sq_col_dup(a, q, 4, oom);
    r->person_id = 0;
    r->booking_id = sqlite3_column_int64(q, 6);
    r->person_name = r->birth_date = r->booking_no = NULL;
    r->nfields = 0;
    for (i = 0; i < n && i < STORE_REPORT_RECORD_FIELDS; i++) {
        r->field[i] = names[i];
        r->value[i] = sq_col_dup(a, q, REC_HEAD_COLS + i, oom);
        r->nfields++;
    }
}

/* The rows of q (a record_sql statement) into *out and *n (in a), in an array of room for
 * expect rows (the period's count, read first in the same snapshot; grown in a when more come
 * all the same), the column names copied once: an array doubled as it fills would leave every
 * smaller copy behind. */
static int read_records(struct store_sqlite *s, sqlite3_stmt *q, struct hc_arena *a,
                        size_t expect, struct store_report_record **out, size_t *n)
{
    const char *names[STORE_REPORT_RECORD_FIELDS + 1] = {NULL};
    struct store_report_record *rows = NULL, *p;
    size_t cnt = 0, cap = 0;
    int i, ncols = sqlite3_column_count(q) - REC_HEAD_COLS, oom = 0, step;
    const char *name;

    *out = NULL;
    *n = 0;
    for (i = 0; i < ncols && i < STORE_REPORT_RECORD_FIELDS; i++)
        if ((name = sqlite3_column_name(q, REC_HEAD_COLS + i)) == NULL ||
            (names[i] = hc_arena_strndup(a, name, strlen(name))) == NULL)
            return HC_ENOMEM;
    while ((step = sqlite3_step(q)) == SQLITE_ROW && !oom) {
        if (cnt == cap) {
            size_t ncap = cap ? 2 * cap : expect > 0 ? expect : 16;
            if ((p = hc_arena_alloc(a, ncap * sizeof *rows)) == NULL) {
                oom = 1;
                break;
            }
            if (cnt > 0)
                memcpy(p, rows, cnt * sizeof *rows);
            rows = p;
            cap = ncap;
        }
        if (cnt == 0 && (names[STORE_REPORT_RECORD_FIELDS] = sq_col_dup(a, q, 0, &oom)) == NULL)
            oom = 1;
        fill_record(q, a, names, &rows[cnt++], &oom);
    }
    if (oom)
        return HC_ENOMEM;
    if (step != SQLITE_DONE)
        return sq_map_rc(s, step);
    *out = rows;
    *n = cnt;
    return HC_OK;
}

/* How many rows of table t have their time in the period: read_records' room. 0 when the
 * count cannot be read (read_records then grows its array). */
static size_t count_period(struct store_sqlite *s, size_t t, const char *from, const char *to)
{
    char sql[256];
    struct hc_buf b;
    sqlite3_stmt *q;
    size_t n = 0;
    hc_buf_init(&b, sql, sizeof sql);
    hc_buf_puts(&b, "SELECT count(*) FROM ");
    hc_buf_puts(&b, sql_report_tables[t].table);
    hc_buf_puts(&b, " x");
    period_where(sql_report_tables[t].time, &b);
    if (b.full || b.len + 1 > sizeof sql ||
        (q = prepare_period(s, hc_buf_cstr(&b), from, to)) == NULL)
        return 0;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) > 0)
        n = (size_t)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Statement sql prepared with the ids v[0..n) bound as its parameter ?1, a JSON array (its
 * text in *mem, malloc'd: the caller frees it after finalizing the statement), for
 * "WHERE id IN (SELECT value FROM json_each(?1))", which SQLite walks sorted. NULL with *rc
 * set (HC_ENOMEM or a store error) when it cannot. */
static sqlite3_stmt *prepare_id_list(struct store_sqlite *s, const char *sql, const int64_t *v,
                                     size_t n, char **mem, int *rc)
{
    size_t i, room = n * 21 + 3; /* "[", at most 20 characters and a comma an id, "]" */
    sqlite3_stmt *q = NULL;
    struct hc_buf list;
    int prc;

    if ((*mem = malloc(room)) == NULL) {
        *rc = HC_ENOMEM;
        return NULL;
    }
    hc_buf_init(&list, *mem, room);
    hc_buf_putc(&list, '[');
    for (i = 0; i < n; i++) {
        if (i)
            hc_buf_putc(&list, ',');
        if (v[i] < 0)
            hc_buf_putc(&list, '-');
        hc_buf_putu(&list, v[i] < 0 ? 0u - (unsigned long)v[i] : (unsigned long)v[i]);
    }
    hc_buf_putc(&list, ']');
    if ((prc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL)) != SQLITE_OK) {
        sqlite3_finalize(q);
        *rc = sq_map_rc(s, prc);
        return NULL;
    }
    sqlite3_bind_text(q, 1, list.data, (int)list.len, SQLITE_STATIC);
    *rc = HC_OK;
    return q;
}

static void fill_booking(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_booking *w = el;
    w->booking_id = sqlite3_column_int64(q, 0);
    w->person_id = sqlite3_column_int64(q, 1);
    w->person_name = sq_col_dup(a, q, 2, oom);
    w->birth_date = sq_col_dup(a, q, 3, oom);
    w->booking_no = sq_col_dup(a, q, 4, oom);
}

/* One statement over the list of bookings (a JSON array, the parameter), read in id order:
 * SQLite walks the list sorted, so the lookups in the million-row tables go forward. */
static int sq_report_bookings(struct hc_store *st, const int64_t *ids, size_t n,
                              struct hc_arena *a, struct store_report_booking **out,
                              size_t *nout)
{
    static const char sql[] =
        "SELECT b.id, b.person_id, p.name, p.date_of_birth, b.booking_no"
        " FROM bookings b JOIN people p ON p.id = b.person_id"
        " WHERE b.id IN (SELECT value FROM json_each(?1)) ORDER BY b.id";
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char *mem = NULL;
    int rc;

    *out = NULL;
    *nout = 0;
    if (n == 0)
        return HC_OK;
    if ((q = prepare_id_list(s, sql, ids, n, &mem, &rc)) != NULL) {
        rc = sq_read_rows(s, q, a, sizeof **out, fill_booking, (void **)out, nout);
        sqlite3_finalize(q);
    }
    free(mem);
    return rc;
}

static int sq_report_records(struct hc_store *st, enum store_report_record_table t,
                             const char *from, const char *to, struct hc_arena *a,
                             struct store_report_record **out, size_t *n)
{
    char sql[4096];
    struct hc_buf b;
    sqlite3_stmt *q;
    int rc;
    if ((int)t < 0 || t >= STORE_REC_NTABLES)
        return HC_EINVAL;
    hc_buf_init(&b, sql, sizeof sql);
    record_sql(t, &b);
    if (b.full || b.len + 1 > sizeof sql)
        return HC_ENOMEM; /* the table above outgrew sql: a programmer's error */
    if ((q = prepare_period(sq(st), hc_buf_cstr(&b), from, to)) == NULL)
        return HC_EIO;
    rc = read_records(sq(st), q, a, count_period(sq(st), t, from, to), out, n);
    sqlite3_finalize(q);
    return rc;
}

/* STORE_TALLY_CPRA (sq_report_tally). */
static int sq_report_tally_cpra(struct hc_store *st, const char *from, const char *to,
                                struct hc_arena *a, struct store_report_tally **out, size_t *n)
{
    return read_period(sq(st), sql_tally_cpra, from, to, a, sizeof **out, fill_tally,
                       (void **)out, n);
}

/* ------------------------------------------------------------------------------------------ */
/* Verifying the rows a report could have read against the audit chain                       */

/* The ids of sql's rows (column 0 an id, column 1 a request id or anything) into *out,
 * ascending: every row when keep is NULL, else the rows whose column 1 is in keep[0..nkeep)
 * (ascending). */
static int read_ids(struct store_sqlite *s, const char *sql, const int64_t *keep, size_t nkeep,
                    struct hc_ids *out)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL), step;
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return sq_map_rc(s, rc);
    }
    rc = HC_OK;
    while (rc == HC_OK && (step = sqlite3_step(q)) == SQLITE_ROW)
        if (keep == NULL || hc_ids_has(keep, nkeep, sqlite3_column_int64(q, 1)))
            rc = hc_ids_push(out, sqlite3_column_int64(q, 0));
    if (rc == HC_OK && step != SQLITE_DONE)
        rc = sq_map_rc(s, step);
    sqlite3_finalize(q);
    if (rc == HC_OK)
        hc_ids_settle(out);
    return rc;
}

/* Every decision of the requests of the decisions d[0..n) (ascending) into *out: first the
 * requests of those decisions, then their decisions, from the index (request_id, version). */
static int decisions_of_requests(struct store_sqlite *s, const int64_t *d, size_t n,
                                 struct hc_ids *out)
{
    struct hc_ids req = {NULL, 0, 0};
    int rc = read_ids(s, "SELECT request_id, id FROM decisions INDEXED BY decisions_newest", d, n,
                      &req);
    if (rc == HC_OK)
        rc = read_ids(s, "SELECT id, request_id FROM decisions INDEXED BY decisions_newest",
                      req.v, req.n, out);
    free(req.v);
    return rc;
}

/* The provisions kept beside each decision ids[0..n) (decision_citations, version 19) against
 * its JSON, which the chain vouches for: one that differs is a problem of rep
 * (STORE_AUDIT_ROW_CHANGED, table decision_citations), as an edited row would be (a decision
 * with none kept is read from its JSON: no problem). */
static int check_citations(struct hc_store *st, const int64_t *ids, size_t n,
                           struct store_audit_report *rep)
{
    struct store_sqlite *s = sq(st);
    static const char sql[] =
        "SELECT d.id FROM decisions d JOIN decision_citations c ON c.decision_id = d.id"
        " WHERE d.id IN (SELECT value FROM json_each(?1)) AND"
        " (c.basis, c.qualifying, c.conditions) IS NOT (SELECT"
        SQ_DECISION_CITATIONS("d.decision_json") ") ORDER BY d.id";
    sqlite3_stmt *q;
    char *mem = NULL;
    int rc, step;

    if (n == 0)
        return HC_OK;
    if ((q = prepare_id_list(s, sql, ids, n, &mem, &rc)) == NULL) {
        free(mem);
        return rc;
    }
    while ((step = sqlite3_step(q)) == SQLITE_ROW)
        sql_report_citation_problem(rep, sqlite3_column_int64(q, 0));
    rc = step == SQLITE_DONE ? HC_OK : sq_map_rc(s, step);
    sqlite3_finalize(q);
    free(mem);
    return rc;
}

/* The readers of the shared verification (sql_report_verify). */
static int whole_ids(struct hc_store *st, const char *sql, struct hc_ids *out)
{
    return read_ids(sq(st), sql, NULL, 0, out);
}

static int report_decisions(struct hc_store *st, const int64_t *d, size_t n, struct hc_ids *out)
{
    return decisions_of_requests(sq(st), d, n, out);
}

static int sq_report_verify(struct hc_store *st, const struct store_report_read *rd,
                            struct store_audit_report *rep)
{
    static const struct sql_report_verify_fns fns = {whole_ids, report_decisions,
                                                     sq_audit_verify_only, check_citations};
    return sql_report_verify(st, &fns, rd, rep);
}

const struct store_reports_ops sq_reports_ops = {STORE_REPORTS_OPS(SQ_OP)};

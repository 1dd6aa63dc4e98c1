/* SPDX-License-Identifier: MIT
 * pg_reports.c: the PostgreSQL side of the statutory reports (store_reports.h): the rows of a
 * period and the plain tallies `holdcheck report --check` recomputes the figures from, on the
 * tables and columns both backends read alike (sql_reports.c). Stored times carry offsets
 * ("2026-03-04T10:00:00-08:00") or are UTC: each comparison casts to timestamptz, which reads
 * the instant a time names (the session's zone is UTC, pg_open), as julianday() does on SQLite.
 * Row-level security keeps every table to the connection's agency, and each statement names
 * the agency of its rows besides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bound.h"
#include "buf.h"
#include "date.h"
#include "ids.h"
#include "pg_int.h"
#include "sql.h"

/* The instant of stored time t, and its seconds since the epoch (as SQLite's strftime('%s')). */
#define TS(t) "(" t ")::timestamptz"
#define EPOCH(t) "floor(extract(epoch FROM " TS(t) "))::bigint"
/* The period test of t against [$1, $2), and the agency of the row x ($3). */
#define IN_PERIOD(t) " " TS(t) " >= $1::timestamptz AND " TS(t) " < $2::timestamptz"
#define OWN(x) " " x ".agency_id = $3"

/* The newest decision of request r (d) and the override in force on it (o), in the order of
 * the view request_outcome (sql.h): the outcome in force is coalesce(o.outcome, d.outcome). */
#define NEWEST_JOIN(r)                                                                         \
    " LEFT JOIN decisions d ON d.id = (SELECT x.id FROM decisions x WHERE x.request_id = " r   \
    ".id ORDER BY x.version DESC LIMIT 1)"                                                     \
    " LEFT JOIN overrides o ON o.id = (SELECT y.id FROM overrides y WHERE y.decision_id = d.id" \
    " ORDER BY CASE y.outcome WHEN 'prohibited' THEN 3 WHEN 'review' THEN 2"                   \
    " WHEN 'permitted_with_conditions' THEN 1 ELSE 0 END DESC, y.id DESC LIMIT 1)"
#define OUTCOME_IN_FORCE "coalesce(o.outcome, d.outcome)"

/* The provisions a decision's JSON dj cites, each list joined by "; " in its order (NULL when
 * it has none), as the SQLite backend's SQ_CITED_* read them. */
#define JSON_LIST(dj, key)                                                                     \
    "CASE jsonb_typeof((" dj ")::jsonb -> '" key "') WHEN 'array' THEN (" dj ")::jsonb -> '"   \
    key "' ELSE '[]'::jsonb END"
#define CITED_TEXTS(dj, key)                                                                   \
    "(SELECT string_agg(e.v, '; ' ORDER BY e.k) FROM jsonb_array_elements_text("              \
    JSON_LIST(dj, key) ") WITH ORDINALITY AS e(v, k))"
#define CITED_QUALIFYING(dj)                                                                   \
    "(SELECT string_agg((e.v ->> 'provision') || coalesce(' (' || (e.v ->> 'citation') || ')'," \
    " ''), '; ' ORDER BY e.k) FROM jsonb_array_elements(" JSON_LIST(dj, "qualifying")          \
    ") WITH ORDINALITY AS e(v, k))"

/* The statements of fixed text, in this file's slots (PG_X_REPORTS + id). */
enum {
    S_TRANSFERS, S_RELEASES, S_RELEASE_ACTIONS, S_FORUM, /* S_FORUM + 0..3 */
    S_TALLY_TRANSFERS = S_FORUM + 4, S_TALLY_RELEASES, S_TALLY_FORUM, S_TALLY_CPRA,
    S_TALLY_NOTIFIED, S_BOOKINGS, S_DEC_REQUESTS, S_DEC_OF_REQUESTS, S_CITATIONS,
    S_RECORDS, /* S_RECORDS + t: table t's records (built once, the same text each time) */
    S_COUNT = S_RECORDS + STORE_REC_NTABLES
};
_Static_assert(S_COUNT <= 32, "this file's statements fit its slots (pg_int.h: 128..159)");
_Static_assert(PG_X_REPORTS + S_COUNT <= PG_STMT_MAX, "this file's statements fit its slots");

static const char sql_transfers[] =
    "SELECT a.id, a.request_id, a.at, " EPOCH("a.at") ", r.type, a.contrary,"
    " " OUTCOME_IN_FORCE ", d.ruleset, d.decision_json, coalesce(d.id, 0), coalesce(o.id, 0)"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    NEWEST_JOIN("r")
    " WHERE a.kind = 'transferred' AND" OWN("a") " AND" IN_PERIOD("a.at")
    " ORDER BY " TS("a.at") ", a.id";

/* The notification requests of the bookings released in the period. */
#define RELEASED_REQUESTS                                                                      \
    " FROM bookings b JOIN immigration_requests r"                                             \
    " ON r.booking_id = b.id AND r.type = 'notification'"                                      \
    " WHERE b.released_at IS NOT NULL AND" OWN("b") " AND" IN_PERIOD("b.released_at")

static const char sql_releases[] =
    "SELECT b.id, r.id, " EPOCH("b.released_at") ", " EPOCH("r.received_at") ", d.outcome,"
    " " OUTCOME_IN_FORCE ", coalesce(o.id, 0), d.ruleset, coalesce(d.id, 0)"
    " FROM bookings b JOIN immigration_requests r"
    " ON r.booking_id = b.id AND r.type = 'notification'"
    NEWEST_JOIN("r")
    " WHERE b.released_at IS NOT NULL AND" OWN("b") " AND" IN_PERIOD("b.released_at")
    " ORDER BY " TS("b.released_at") ", b.id, r.id";

static const char sql_release_actions[] =
    "SELECT a.request_id, a.kind, " EPOCH("a.at") ", a.id"
    " FROM request_actions a WHERE a.agency_id = $3 AND a.request_id IN (SELECT r.id"
    RELEASED_REQUESTS ") ORDER BY a.request_id, a.id";

/* The forum packet's records (struct store_report_event's columns, in order). An action's
 * person is read only for the kinds whose age is counted (notified, transferred). */
static const char *const sql_forum[4] = {
    "SELECT r.id, r.id, " EPOCH("r.received_at") ", r.type, " OUTCOME_IN_FORCE ", NULL, NULL,"
    " d.ruleset, 0, coalesce(d.id, 0), coalesce(o.id, 0), 0"
    " FROM immigration_requests r" NEWEST_JOIN("r")
    " WHERE" OWN("r") " AND" IN_PERIOD("r.received_at")
    " ORDER BY " TS("r.received_at") ", r.id",
    "SELECT a.id, a.request_id, " EPOCH("a.at") ", r.type, a.kind, a.ice_reason,"
    " p.date_of_birth, NULL, a.contrary, 0, 0, coalesce(b.id, 0)"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    " LEFT JOIN bookings b ON a.kind IN ('notified', 'transferred') AND b.id = r.booking_id"
    " LEFT JOIN people p ON p.id = b.person_id"
    " WHERE" OWN("a") " AND" IN_PERIOD("a.at") " ORDER BY " TS("a.at") ", a.id",
    "SELECT i.id, i.request_id, " EPOCH("i.recorded_at") ", r.type, NULL, NULL,"
    " p.date_of_birth, NULL, 0, 0, 0, coalesce(b.id, 0)"
    " FROM interviews i JOIN immigration_requests r ON r.id = i.request_id"
    " LEFT JOIN bookings b ON b.id = r.booking_id LEFT JOIN people p ON p.id = b.person_id"
    " WHERE i.status = 'granted' AND" OWN("i") " AND" IN_PERIOD("i.recorded_at")
    " ORDER BY i.id",
    "SELECT n.id, n.request_id, " EPOCH("n.generated_at") ", r.type, n.kind, NULL, NULL, NULL,"
    " (n.served_at IS NOT NULL)::int, 0, 0, 0"
    " FROM notices n JOIN immigration_requests r ON r.id = n.request_id"
    " WHERE" OWN("n") " AND" IN_PERIOD("n.generated_at") " ORDER BY n.id",
};

/* The tallies: no view, no join with request_outcome, the newest decision found again. */
#define NEWEST_DECISION(col)                                                                   \
    "(SELECT x." col " FROM decisions x WHERE x.request_id = r.id"                              \
    " ORDER BY x.version DESC LIMIT 1)"

static const char sql_tally_transfers[] =
    "SELECT a.request_id, a.id,"
    " (" NEWEST_DECISION("decision_json") ")::jsonb #>> '{qualifying,0,provision}',"
    " (" NEWEST_DECISION("decision_json") ")::jsonb #>> '{qualifying,0,fact}',"
    " (" NEWEST_DECISION("decision_json") ")::jsonb #>> '{qualifying,0,citation}',"
    " " NEWEST_DECISION("outcome") ", a.contrary, 0, 0, 0, 0"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    " WHERE a.kind = 'transferred' AND" OWN("a") " AND" IN_PERIOD("a.at");

/* An action kind on r at or before b's release. */
#define ACTIONS_BY_RELEASE(kind)                                                               \
    "(SELECT count(*) FROM request_actions a WHERE a.request_id = r.id AND a.kind = '" kind "'" \
    " AND " TS("a.at") " <= " TS("b.released_at") ")"

static const char sql_tally_releases[] =
    "SELECT r.id, b.id, " NEWEST_DECISION("outcome") ", NULL, NULL, NULL,"
    " (" TS("r.received_at") " > " TS("b.released_at") ")::int,"
    " " ACTIONS_BY_RELEASE("notified") ", " ACTIONS_BY_RELEASE("lifted_by_ice") ","
    " " ACTIONS_BY_RELEASE("declined") ","
    " (SELECT count(*) FROM overrides o WHERE o.decision_id = " NEWEST_DECISION("id")
    " AND o.outcome IN ('prohibited', 'review'))"
    RELEASED_REQUESTS " ORDER BY b.id, r.id";

/* The forum packet's records, with the instant (column 11) and birth date (column 12) of
 * which the local month of a request and the age at an action or interview are computed in
 * the process's zone (fill_forum_tally), as SQLite's 'localtime' does: the database server's
 * zone is not the agency's. */
static const char sql_tally_forum[] =
    "SELECT r.id, r.id, r.type, NULL, ro.outcome, 'request', 0, 0, 0, 0, 0,"
    " " EPOCH("r.received_at") ", NULL"
    " FROM immigration_requests r JOIN request_outcome ro ON ro.request_id = r.id"
    " WHERE" OWN("r") " AND" IN_PERIOD("r.received_at")
    " UNION ALL SELECT a.request_id, a.id, a.kind, a.ice_reason, r.type, 'action', a.contrary,"
    " -1, 0, 0, 0, " EPOCH("a.at") ", p.date_of_birth"
    " FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id"
    " JOIN bookings b ON b.id = r.booking_id JOIN people p ON p.id = b.person_id"
    " WHERE" OWN("a") " AND" IN_PERIOD("a.at")
    " UNION ALL SELECT i.request_id, i.id, NULL, NULL, r.type, 'interview', 0, -1, 0, 0, 0,"
    " " EPOCH("i.recorded_at") ", p.date_of_birth"
    " FROM interviews i JOIN immigration_requests r ON r.id = i.request_id"
    " JOIN bookings b ON b.id = r.booking_id JOIN people p ON p.id = b.person_id"
    " WHERE i.status = 'granted' AND" OWN("i") " AND" IN_PERIOD("i.recorded_at")
    " UNION ALL SELECT n.request_id, n.id, n.kind, NULL, NULL, 'notice',"
    " (n.served_at IS NOT NULL)::int, 0, 0, 0, 0, 0, NULL"
    " FROM notices n WHERE" OWN("n") " AND" IN_PERIOD("n.generated_at");

static const char sql_tally_notified[] =
    "SELECT DISTINCT 0, r.booking_id, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0"
    " FROM immigration_requests r WHERE r.type = 'notification' AND r.agency_id = $3"
    " AND $1::text IS NOT NULL AND $2::text IS NOT NULL ORDER BY r.booking_id";

/* Each table's records of the cpra bundle by their request's booking (fill_tally's columns). */
#define TALLY_REC(tbl, x, t)                                                                   \
    " SELECT " x ".request_id, " x ".id, '" tbl "', r.type, NULL, NULL, b.person_id, 0, 0, 0, 0" \
    " FROM " tbl " " x ", immigration_requests r, bookings b"                                   \
    " WHERE r.id = " x ".request_id AND b.id = r.booking_id AND" OWN(x) " AND" IN_PERIOD(t)
static const char sql_tally_cpra[] =
    "SELECT r.id, r.id, 'immigration_requests', r.type, NULL, NULL, b.person_id, 0, 0, 0, 0"
    " FROM immigration_requests r, bookings b WHERE b.id = r.booking_id AND" OWN("r") " AND"
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

/* The bookings of the list $1 (an array's text, "{1,2}") with whom each is about. */
static const char sql_bookings[] =
    "SELECT b.id, b.person_id, p.name, p.date_of_birth, b.booking_no"
    " FROM bookings b JOIN people p ON p.id = b.person_id"
    " WHERE b.id = ANY($1::bigint[]) AND b.agency_id = $2 ORDER BY b.id";

/* Verification: the requests of the decisions $1, then every decision of the requests $1; the
 * decisions $1 whose provisions kept beside them are not what their JSON cites. */
static const char sql_dec_requests[] =
    "SELECT DISTINCT request_id, 0 FROM decisions WHERE id = ANY($1::bigint[])"
    " AND agency_id = $2";
static const char sql_dec_of_requests[] =
    "SELECT id, 0 FROM decisions WHERE request_id = ANY($1::bigint[]) AND agency_id = $2";
static const char sql_citations[] =
    "SELECT d.id FROM decisions d JOIN decision_citations c ON c.decision_id = d.id"
    " WHERE d.id = ANY($1::bigint[]) AND d.agency_id = $2 AND"
    " (c.basis, c.qualifying, c.conditions) IS DISTINCT FROM"
    " (" CITED_TEXTS("d.decision_json", "basis") ", " CITED_QUALIFYING("d.decision_json") ","
    " " CITED_TEXTS("d.decision_json", "conditions") ") ORDER BY d.id";

/* ------------------------------------------------------------------------------------------ */
/* Reading rows                                                                               */

/* Column c of row i of r in a (NULL for SQL NULL; *oom set when a is full). */
static const char *col_str(const PGresult *r, int i, int c, struct hc_arena *a, int *oom)
{
    const char *v;
    if (PQgetisnull(r, i, c))
        return NULL;
    if ((v = hc_arena_strndup(a, PQgetvalue(r, i, c), (size_t)PQgetlength(r, i, c))) == NULL)
        *oom = 1;
    return v;
}

static int64_t col_i64(const PGresult *r, int i, int c)
{
    return PQgetisnull(r, i, c) ? 0 : strtoll(PQgetvalue(r, i, c), NULL, 10);
}

/* Fill el from row i of r. */
typedef void (*pg_fill_fn)(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom);

/* The rows of r into an array of size-byte elements in a (*out, *n). HC_ENOMEM when a is
 * full. r is cleared. */
static int take_rows(PGresult *r, struct hc_arena *a, size_t size, pg_fill_fn fill, void **out,
                     size_t *n)
{
    int i, rows = PQntuples(r), oom = 0;
    char *v = hc_arena_zalloc(a, (size_t)(rows > 0 ? rows : 1) * size);
    for (i = 0; v != NULL && i < rows && !oom; i++)
        fill(r, i, a, v + (size_t)i * size, &oom);
    PQclear(r);
    if (v == NULL || oom)
        return HC_ENOMEM;
    *out = v;
    *n = (size_t)rows;
    return HC_OK;
}

/* The period [from, to) and the connection's agency as $1, $2, $3. */
static void period_params(struct pg_params *p, const struct store_pg *s, const char *from,
                          const char *to)
{
    p->n = 0;
    pg_param_str(p, from);
    pg_param_str(p, to);
    pg_param_i64(p, s->agency);
}

/* Statement id (sql) over the period, its rows by fill into *out and *n (in a). */
static int read_period(struct store_pg *s, int id, const char *sql, const char *from,
                       const char *to, struct hc_arena *a, size_t size, pg_fill_fn fill,
                       void **out, size_t *n)
{
    struct pg_params p;
    PGresult *r;
    int rc;
    *out = NULL;
    *n = 0;
    period_params(&p, s, from, to);
    if ((r = pg_run(s, PG_X_REPORTS + id, sql, &p, &rc)) == NULL)
        return rc;
    return take_rows(r, a, size, fill, out, n);
}

static void fill_transfer(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_transfer *t = el;
    t->action_id = col_i64(r, i, 0);
    t->request_id = col_i64(r, i, 1);
    t->at = col_str(r, i, 2, a, oom);
    t->at_epoch = col_i64(r, i, 3);
    t->request_type = col_str(r, i, 4, a, oom);
    t->contrary = col_i64(r, i, 5) != 0;
    t->outcome = col_str(r, i, 6, a, oom);
    t->ruleset = col_str(r, i, 7, a, oom);
    t->decision_json = col_str(r, i, 8, a, oom);
    t->decision_id = col_i64(r, i, 9);
    t->override_id = col_i64(r, i, 10);
}

static void fill_release(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_release *x = el;
    x->booking_id = col_i64(r, i, 0);
    x->request_id = col_i64(r, i, 1);
    x->released_epoch = col_i64(r, i, 2);
    x->received_epoch = col_i64(r, i, 3);
    x->engine_outcome = col_str(r, i, 4, a, oom);
    x->outcome = col_str(r, i, 5, a, oom);
    x->override_id = col_i64(r, i, 6);
    x->ruleset = col_str(r, i, 7, a, oom);
    x->decision_id = col_i64(r, i, 8);
}

static void fill_action(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_action *x = el;
    x->request_id = col_i64(r, i, 0);
    x->kind = col_str(r, i, 1, a, oom);
    x->at_epoch = col_i64(r, i, 2);
    x->id = col_i64(r, i, 3);
}

static void fill_event(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_event *e = el;
    e->id = col_i64(r, i, 0);
    e->request_id = col_i64(r, i, 1);
    e->epoch = col_i64(r, i, 2);
    e->request_type = col_str(r, i, 3, a, oom);
    e->kind = col_str(r, i, 4, a, oom);
    e->reason = col_str(r, i, 5, a, oom);
    e->birth_date = col_str(r, i, 6, a, oom);
    e->ruleset = col_str(r, i, 7, a, oom);
    e->flag = col_i64(r, i, 8) != 0;
    e->decision_id = col_i64(r, i, 9);
    e->override_id = col_i64(r, i, 10);
    e->booking_id = col_i64(r, i, 11);
}

static void fill_tally(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_tally *t = el;
    int c;
    t->request_id = col_i64(r, i, 0);
    t->id = col_i64(r, i, 1);
    for (c = 0; c < 4; c++)
        t->v[c] = col_str(r, i, 2 + c, a, oom);
    for (c = 0; c < 5; c++)
        t->n[c] = col_i64(r, i, 6 + c);
}

/* The age in whole years, on the local day of epoch, of a person born on dob ("YYYY-MM-DD"),
 * or -1 when dob is NULL or does not read (SQLite's AGE_AT). */
static int64_t age_on(int64_t epoch, const char *dob)
{
    time_t t = (time_t)epoch;
    struct tm lt;
    hc_day born;
    int y, m, d;
    if (dob == NULL || hc_date_parse(dob, strlen(dob), &born) != 0 ||
        localtime_r(&t, &lt) == NULL)
        return -1;
    hc_date_to_ymd(born, &y, &m, &d);
    return (int64_t)(lt.tm_year + 1900 - y) -
           (lt.tm_mon + 1 < m || (lt.tm_mon + 1 == m && lt.tm_mday < d));
}

/* A forum tally row: fill_tally's columns, then the local month of a request's receipt
 * (v[1]) and the age at an action or interview (n[1]) from the instant and birth date. */
static void fill_forum_tally(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_tally *t = el;
    int64_t epoch = col_i64(r, i, 11);
    const char *dob = PQgetisnull(r, i, 12) ? NULL : PQgetvalue(r, i, 12);
    fill_tally(r, i, a, el, oom);
    if (t->v[3] != NULL && strcmp(t->v[3], "request") == 0) {
        time_t tt = (time_t)epoch;
        struct tm lt;
        char month[16];
        if (localtime_r(&tt, &lt) != NULL && strftime(month, sizeof month, "%Y-%m", &lt) > 0 &&
            (t->v[1] = hc_arena_strndup(a, month, strlen(month))) == NULL)
            *oom = 1;
    } else if (t->v[3] != NULL && strcmp(t->v[3], "notice") != 0) {
        t->n[1] = age_on(epoch, dob);
    }
}

static int pg_report_transfers(struct hc_store *st, const char *from, const char *to,
                               struct hc_arena *a, struct store_report_transfer **out, size_t *n)
{
    return read_period(pgs(st), S_TRANSFERS, sql_transfers, from, to, a, sizeof **out,
                       fill_transfer, (void **)out, n);
}

static int pg_report_releases(struct hc_store *st, const char *from, const char *to,
                              struct hc_arena *a, struct store_report_release **out, size_t *n,
                              struct store_report_action **acts, size_t *nacts)
{
    int rc = read_period(pgs(st), S_RELEASES, sql_releases, from, to, a, sizeof **out,
                         fill_release, (void **)out, n);
    if (rc != HC_OK)
        return rc;
    return read_period(pgs(st), S_RELEASE_ACTIONS, sql_release_actions, from, to, a,
                       sizeof **acts, fill_action, (void **)acts, nacts);
}

static int pg_report_forum(struct hc_store *st, const char *from, const char *to,
                           struct hc_arena *a, struct store_report_forum *out)
{
    struct store_report_event **lists[4] = {&out->requests, &out->actions, &out->interviews,
                                            &out->notices};
    size_t *counts[4] = {&out->nrequests, &out->nactions, &out->ninterviews, &out->nnotices};
    int i, rc = HC_OK;
    memset(out, 0, sizeof *out);
    for (i = 0; i < 4 && rc == HC_OK; i++)
        rc = read_period(pgs(st), S_FORUM + i, sql_forum[i], from, to, a, sizeof **lists[i],
                         fill_event, (void **)lists[i], counts[i]);
    return rc;
}

static int pg_report_tally(struct hc_store *st, enum store_report_tally_kind k, const char *from,
                           const char *to, struct hc_arena *a, struct store_report_tally **out,
                           size_t *n)
{
    /* Each tally's statement and how its rows are read, by enum store_report_tally_kind. */
    static const struct {
        int id;
        const char *sql;
        pg_fill_fn fill;
    } tally[] = {
        [STORE_TALLY_TRANSFERS] = {S_TALLY_TRANSFERS, sql_tally_transfers, fill_tally},
        [STORE_TALLY_RELEASES] = {S_TALLY_RELEASES, sql_tally_releases, fill_tally},
        [STORE_TALLY_FORUM] = {S_TALLY_FORUM, sql_tally_forum, fill_forum_tally},
        [STORE_TALLY_CPRA] = {S_TALLY_CPRA, sql_tally_cpra, fill_tally},
        [STORE_TALLY_NOTIFIED_BOOKINGS] = {S_TALLY_NOTIFIED, sql_tally_notified, fill_tally},
    };
    if ((int)k < 0 || (size_t)k >= sizeof tally / sizeof tally[0])
        return HC_EINVAL;
    return read_period(pgs(st), tally[k].id, tally[k].sql, from, to, a, sizeof **out,
                       tally[k].fill, (void **)out, n);
}

/* ------------------------------------------------------------------------------------------ */
/* The cpra bundle (struct store_report_record)                                               */

/* What each table of the bundle reads besides its own columns, and its FROM beyond "table x"
 * (by its request_id when NULL), as the SQLite backend's. */
static const struct {
    const char *extra, *join;
} rec_more[STORE_REC_NTABLES] = {
    [STORE_REC_REQUESTS] = {", d.outcome AS engine_outcome, " OUTCOME_IN_FORCE
                            " AS outcome_in_force, o.id AS override_in_force",
                            " JOIN immigration_requests r ON r.id = x.id" NEWEST_JOIN("r")},
    [STORE_REC_DECISIONS] = {
        /* The provisions kept beside the decision, or from its JSON when none are kept. */
        ", CASE WHEN c.decision_id IS NULL THEN " CITED_TEXTS("x.decision_json", "basis")
        " ELSE c.basis END AS basis,"
        " CASE WHEN c.decision_id IS NULL THEN " CITED_QUALIFYING("x.decision_json")
        " ELSE c.qualifying END AS qualifying,"
        " CASE WHEN c.decision_id IS NULL THEN " CITED_TEXTS("x.decision_json", "conditions")
        " ELSE c.conditions END AS conditions",
        " LEFT JOIN decision_citations c ON c.decision_id = x.id"
        " JOIN immigration_requests r ON r.id = x.request_id"},
};

/* The columns every record starts with: its id, request, the instant of its time, the
 * request's type and booking. */
#define REC_HEAD_COLS 5

/* The SELECT of table t into b: the head, x's own columns (each "x.col AS col"), the extra;
 * x joined with its request; the agency's rows in the period, by their time then id. */
static void record_sql(size_t t, struct hc_buf *b)
{
    const struct sql_report_table *rt = &sql_report_tables[t];
    hc_buf_puts(b, "SELECT x.id, r.id, floor(extract(epoch FROM x.");
    hc_buf_puts(b, rt->time);
    hc_buf_puts(b, "::timestamptz))::bigint, r.type, r.booking_id");
    sql_report_cols(rt, b);
    if (rec_more[t].extra != NULL)
        hc_buf_puts(b, rec_more[t].extra);
    hc_buf_puts(b, " FROM ");
    hc_buf_puts(b, rt->table);
    hc_buf_puts(b, " x");
    hc_buf_puts(b, rec_more[t].join ? rec_more[t].join
                                    : " JOIN immigration_requests r ON r.id = x.request_id");
    hc_buf_puts(b, " WHERE x.agency_id = $3 AND x.");
    hc_buf_puts(b, rt->time);
    hc_buf_puts(b, "::timestamptz >= $1::timestamptz AND x.");
    hc_buf_puts(b, rt->time);
    hc_buf_puts(b, "::timestamptz < $2::timestamptz ORDER BY x.");
    hc_buf_puts(b, rt->time);
    hc_buf_puts(b, "::timestamptz, x.id");
}

static int pg_report_records(struct hc_store *st, enum store_report_record_table t,
                             const char *from, const char *to, struct hc_arena *a,
                             struct store_report_record **out, size_t *n)
{
    const char *names[STORE_REPORT_RECORD_FIELDS] = {NULL};
    struct store_pg *s = pgs(st);
    struct store_report_record *rows;
    struct pg_params p;
    struct hc_buf b;
    char sql[4096];
    PGresult *r;
    int rc, i, c, nrows, ncols, oom = 0;

    *out = NULL;
    *n = 0;
    if ((int)t < 0 || t >= STORE_REC_NTABLES)
        return HC_EINVAL;
    hc_buf_init(&b, sql, sizeof sql);
    record_sql(t, &b);
    if (b.full || b.len + 1 > sizeof sql)
        return HC_ENOMEM; /* the table above outgrew sql: a programmer's error */
    period_params(&p, s, from, to);
    if ((r = pg_run(s, PG_X_REPORTS + S_RECORDS + (int)t, hc_buf_cstr(&b), &p, &rc)) == NULL)
        return rc;
    nrows = PQntuples(r);
    ncols = PQnfields(r) - REC_HEAD_COLS;
    if (ncols > STORE_REPORT_RECORD_FIELDS)
        ncols = STORE_REPORT_RECORD_FIELDS;
    /* The column names, copied once for all the rows. */
    for (c = 0; c < ncols && !oom; c++) {
        const char *name = PQfname(r, REC_HEAD_COLS + c);
        oom = (names[c] = hc_arena_strndup(a, name, strlen(name))) == NULL;
    }
    rows = oom ? NULL : hc_arena_zalloc(a, (size_t)(nrows > 0 ? nrows : 1) * sizeof *rows);
    for (i = 0; rows != NULL && i < nrows && !oom; i++) {
        struct store_report_record *x = &rows[i];
        x->table = sql_report_tables[t].table;
        x->id = col_i64(r, i, 0);
        x->request_id = col_i64(r, i, 1);
        x->epoch = col_i64(r, i, 2);
        x->request_type = col_str(r, i, 3, a, &oom);
        x->booking_id = col_i64(r, i, 4);
        for (c = 0; c < ncols; c++) {
            x->field[c] = names[c];
            x->value[c] = col_str(r, i, REC_HEAD_COLS + c, a, &oom);
        }
        x->nfields = (size_t)ncols;
    }
    PQclear(r);
    if (rows == NULL || oom)
        return HC_ENOMEM;
    *out = rows;
    *n = (size_t)nrows;
    return HC_OK;
}

/* The text of an array of the ids v[0..n) ("{1,2,3}"), malloc'd into *mem (the caller frees
 * it). HC_ENOMEM. */
static int id_array(const int64_t *v, size_t n, char **mem)
{
    size_t i, room = n * 21 + 3; /* "{", at most 20 characters and a comma an id, "}" */
    struct hc_buf list;
    if ((*mem = malloc(room)) == NULL)
        return HC_ENOMEM;
    hc_buf_init(&list, *mem, room);
    hc_buf_putc(&list, '{');
    for (i = 0; i < n; i++) {
        if (i)
            hc_buf_putc(&list, ',');
        if (v[i] < 0)
            hc_buf_putc(&list, '-');
        hc_buf_putu(&list, v[i] < 0 ? 0u - (unsigned long)v[i] : (unsigned long)v[i]);
    }
    hc_buf_putc(&list, '}');
    hc_buf_cstr(&list);
    return HC_OK;
}

/* Statement id (sql) with the ids v[0..n) as $1 and the agency as $2: its result, or NULL
 * with *rc set. */
static PGresult *run_id_list(struct store_pg *s, int id, const char *sql, const int64_t *v,
                             size_t n, int *rc)
{
    struct pg_params p = {0};
    PGresult *r;
    char *mem = NULL;
    if ((*rc = id_array(v, n, &mem)) != HC_OK)
        return NULL;
    pg_param_str(&p, mem);
    pg_param_i64(&p, s->agency);
    r = pg_run(s, PG_X_REPORTS + id, sql, &p, rc);
    free(mem);
    return r;
}

static void fill_booking(const PGresult *r, int i, struct hc_arena *a, void *el, int *oom)
{
    struct store_report_booking *w = el;
    w->booking_id = col_i64(r, i, 0);
    w->person_id = col_i64(r, i, 1);
    w->person_name = col_str(r, i, 2, a, oom);
    w->birth_date = col_str(r, i, 3, a, oom);
    w->booking_no = col_str(r, i, 4, a, oom);
}

static int pg_report_bookings(struct hc_store *st, const int64_t *ids, size_t n,
                              struct hc_arena *a, struct store_report_booking **out,
                              size_t *nout)
{
    PGresult *r;
    int rc;
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return HC_OK;
    if ((r = run_id_list(pgs(st), S_BOOKINGS, sql_bookings, ids, n, &rc)) == NULL)
        return rc;
    return take_rows(r, a, sizeof **out, fill_booking, (void **)out, nout);
}

/* ------------------------------------------------------------------------------------------ */
/* Verifying the rows a report could have read against the audit chain                       */

/* The ids in column 0 of r into *out, ascending, each once; r is cleared. */
static int take_ids(PGresult *r, struct hc_ids *out)
{
    int i, rc = HC_OK;
    for (i = 0; rc == HC_OK && i < PQntuples(r); i++)
        rc = hc_ids_push(out, col_i64(r, i, 0));
    PQclear(r);
    if (rc == HC_OK)
        hc_ids_settle(out);
    return rc;
}

/* Every id of the agency's rows of a table read whole (whole: sql_report_whole's) into *out. */
static int whole_ids(struct hc_store *st, const char *whole, struct hc_ids *out)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char sql[128];
    PGresult *r;
    snprintf(sql, sizeof sql, "%s WHERE agency_id = $1", whole);
    pg_param_i64(&p, s->agency);
    r = PQexecParams(s->conn, sql, p.n, NULL, p.v, NULL, NULL, 0);
    if (r == NULL)
        return HC_ENOMEM;
    if (pg_map_result(r) != HC_OK) {
        int rc = pg_map_result(r);
        PQclear(r);
        return rc;
    }
    return take_ids(r, out);
}

/* Every decision of the requests of the decisions d[0..n) into *out. */
static int decisions_of_requests(struct hc_store *st, const int64_t *d, size_t n,
                                 struct hc_ids *out)
{
    struct store_pg *s = pgs(st);
    struct hc_ids req = {NULL, 0, 0};
    PGresult *r;
    int rc;
    if ((r = run_id_list(s, S_DEC_REQUESTS, sql_dec_requests, d, n, &rc)) == NULL ||
        (rc = take_ids(r, &req)) != HC_OK) {
        free(req.v);
        return rc;
    }
    if ((r = run_id_list(s, S_DEC_OF_REQUESTS, sql_dec_of_requests, req.v, req.n, &rc)) != NULL)
        rc = take_ids(r, out);
    free(req.v);
    return rc;
}

/* The provisions kept beside each decision ids[0..n) against its JSON: one that differs is a
 * problem of rep (STORE_AUDIT_ROW_CHANGED, table decision_citations). */
static int check_citations(struct hc_store *st, const int64_t *ids, size_t n,
                           struct store_audit_report *rep)
{
    PGresult *r;
    int rc, i;
    if ((r = run_id_list(pgs(st), S_CITATIONS, sql_citations, ids, n, &rc)) == NULL)
        return rc;
    for (i = 0; i < PQntuples(r); i++)
        sql_report_citation_problem(rep, col_i64(r, i, 0));
    PQclear(r);
    return HC_OK;
}

static int pg_report_verify(struct hc_store *st, const struct store_report_read *rd,
                            struct store_audit_report *rep)
{
    static const struct sql_report_verify_fns fns = {whole_ids, decisions_of_requests,
                                                     pg_audit_verify_only, check_citations};
    return sql_report_verify(st, &fns, rd, rep);
}

const struct store_reports_ops pg_reports_ops = {STORE_REPORTS_OPS(PG_OP)};

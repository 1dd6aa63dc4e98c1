/* SPDX-License-Identifier: MIT
 * pg_requests.c: immigration requests, their versioned decisions, overrides and actions on
 * PostgreSQL, on the SQLite backend's statements (sql.h). Row-level security keeps each to the
 * connection's agency; every read of a request takes its outcome from the view request_outcome.
 * Each write and its audit entry commit in one transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "pg_int.h"
#include "sql.h"

/* The shared statements (sql.h), then this backend's own. */
enum { S_REQ_LOCK = SRQ_COUNT, S_COUNT };

/* A decision's version is the request's next: two writers deciding the same request at once
 * take turns on its row, so that neither reads a version the other is writing (READ
 * COMMITTED; SQLite has one writer at a time). */
static const char req_lock_sql[] = "SELECT id FROM immigration_requests WHERE id = $1 FOR UPDATE";

_Static_assert(PG_X_REQUESTS + S_COUNT <= PG_STMT_MAX, "this file's statements fit its slots");

static int slot(int id)
{
    return PG_X_REQUESTS + id;
}

static PGresult *run(struct store_pg *s, enum sql_requests id, const struct pg_params *p,
                     int *rc)
{
    return pg_run(s, slot((int)id), sql_requests[id], p, rc);
}

/* The rows of statement id for the one row id, by rd, into *out and *n (in a). */
static int read_by_id(struct store_pg *s, enum sql_requests id, int64_t row, struct hc_arena *a,
                      const struct sf_record *rd, void **out, size_t *n)
{
    struct pg_params p;
    pg_params_id(&p, row);
    return pg_read_recs(s, slot(id), sql_requests[id], &p, a, rd, out, n);
}

int pg_requests_of_booking(struct store_pg *s, int64_t booking_id, struct hc_arena *a,
                           struct store_request **out, size_t *n)
{
    void *rows = NULL;
    int rc = read_by_id(s, SRQ_BY_BOOKING, booking_id, a, &sql_request_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int pg_request_add(struct hc_store *st, int64_t booking_id,
                          const struct store_request *rq, const char *actor,
                          int64_t *request_id)
{
    return pg_add_audited(st, slot(SRQ_INSERT), sql_requests[SRQ_INSERT], "booking_id",
                          booking_id, &sql_request_rec, rq, actor, "request.receive", "request",
                          request_id);
}

static int pg_decision_add(struct hc_store *st, const struct store_decision *dec,
                           int64_t *decision_id)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    char entity[48], at[HC_CLOCK_UTC_LEN];
    int64_t id = 0;
    json_t *pl = NULL;
    PGresult *r = NULL;
    int rc;

    if ((rc = sql_decision_payload(dec, &pl)) != HC_OK || (rc = store_begin(st)) != HC_OK) {
        json_decref(pl);
        return rc;
    }
    hc_clock_utc(hc_clock_now(), at);
    pg_params_id(&p, dec->request_id);
    rc = pg_exec_stmt(s, slot(S_REQ_LOCK), req_lock_sql, &p, NULL, NULL);
    p.n = 0;
    if (rc == HC_OK && (rc = pg_param_fields(&p, dec, &sql_decision_new_rec, NULL)) == HC_OK) {
        pg_param_str(&p, at); /* decided_at */
        r = run(s, SRQ_DEC_INSERT, &p, &rc);
    }
    if (r != NULL) {
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        json_object_set_new(pl, "id", json_integer(id));
        json_object_set_new(pl, "version", json_integer(strtoll(PQgetvalue(r, 0, 1), NULL, 10)));
        json_object_set_new(pl, "decided_at", json_string(at));
        PQclear(r);
        snprintf(entity, sizeof entity, "decision/%" PRId64, id);
        rc = pg_audit_append(st, dec->decided_by, "decision.record", entity, pl);
    }
    json_decref(pl);
    rc = pg_tx_leave(s, rc);
    if (rc == HC_OK)
        *decision_id = id;
    return rc;
}

static int pg_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                          struct store_request_detail *out)
{
    struct store_pg *s = pgs(st);
    struct store_request_detail d;
    struct pg_params p;
    void *dec = NULL, *ovr = NULL;
    PGresult *r;
    int rc, oom = 0, i;

    pg_params_id(&p, request_id);
    memset(&d, 0, sizeof d);
    if ((r = pg_run_one(s, slot(SRQ_BY_ID), sql_requests[SRQ_BY_ID], &p, &rc)) == NULL)
        return rc;
    i = pg_fill_fields(r, 0, 0, a, &d.req, &sql_request_rec, &oom);
    d.booking_no = hc_arena_strndup(a, PQgetvalue(r, 0, i), (size_t)PQgetlength(r, 0, i));
    PQclear(r);
    if (oom || d.booking_no == NULL)
        return HC_ENOMEM;
    if ((rc = read_by_id(s, SRQ_DEC_BY_REQ, request_id, a, &sql_decision_rec, &dec, &d.ndec)) !=
            HC_OK ||
        (rc = read_by_id(s, SRQ_OVR_BY_REQ, request_id, a, &sql_override_rec, &ovr, &d.novr)) !=
            HC_OK)
        return rc;
    d.dec = dec;
    d.ovr = ovr;
    *out = d;
    return HC_OK;
}

static int pg_request_list(struct hc_store *st, const struct store_request_filter *f,
                           struct hc_arena *a, struct store_request_item **out, size_t *n)
{
    struct pg_params p;
    struct store_request_item *items;
    PGresult *r;
    int rc, i, rows, oom = 0;

    pg_params_id(&p, f->after_id);
    if (f->limit < 1 || f->limit > 500 || f->offset < 0)
        return HC_EINVAL;
    pg_param_str(&p, f->type);
    pg_param_str(&p, f->outcome);
    pg_param_str(&p, f->from);
    pg_param_str(&p, f->to);
    pg_param_str(&p, f->booking_no);
    pg_param_i64(&p, f->contrary != 0);
    pg_param_i64(&p, f->limit);
    pg_param_i64(&p, f->offset);
    if ((r = run(pgs(st), SRQ_LIST, &p, &rc)) == NULL)
        return rc;
    rows = PQntuples(r);
    items = hc_arena_zalloc(a, (size_t)(rows > 0 ? rows : 1) * sizeof *items);
    for (i = 0; items != NULL && i < rows; i++) {
        int c = pg_fill_fields(r, i, 0, a, &items[i].req, &sql_request_rec, &oom);
        items[i].booking_no = hc_arena_strndup(a, PQgetvalue(r, i, c),
                                               (size_t)PQgetlength(r, i, c));
        oom |= items[i].booking_no == NULL;
        items[i].ndecisions = strtoll(PQgetvalue(r, i, c + 1), NULL, 10);
        items[i].noverrides = strtoll(PQgetvalue(r, i, c + 2), NULL, 10);
    }
    PQclear(r);
    if (items == NULL || oom)
        return HC_ENOMEM;
    *out = items;
    *n = (size_t)rows;
    return HC_OK;
}

static int pg_override_add(struct hc_store *st, const struct store_override *o,
                           int64_t *override_id)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    int64_t id = 0, same = 0;
    int rc;

    pg_params_id(&p, o->decision_id);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_i64(&p, o->request_id);
    rc = pg_exec_stmt(s, slot(SRQ_DEC_CHECK), sql_requests[SRQ_DEC_CHECK], &p, NULL, &same);
    if (rc == HC_OK && same != 1)
        rc = HC_EINVAL; /* the decision is another request's */
    /* The insert nests in this transaction, so the check holds when the row is written. */
    if (rc == HC_OK)
        rc = pg_add_audited(st, slot(SRQ_OVR_INSERT), sql_requests[SRQ_OVR_INSERT], NULL, 0,
                            &sql_override_rec, o, o->created_by, "override.record", "override",
                            &id);
    rc = pg_tx_leave(s, rc);
    if (rc == HC_OK)
        *override_id = id;
    return rc;
}

static int pg_action_add(struct hc_store *st, const struct store_action *x, int64_t *action_id)
{
    return pg_add_audited(st, slot(SRQ_ACT_INSERT), sql_requests[SRQ_ACT_INSERT], NULL, 0,
                          &sql_action_rec, x, x->recorded_by, "action.record", "action",
                          action_id);
}

static int pg_actions_list(struct hc_store *st, const struct store_action_filter *f,
                           struct hc_arena *a, struct store_action **out, size_t *n)
{
    struct pg_params p;
    void *rows = NULL;
    int rc;

    pg_params_id(&p, f->after_id);
    if (f->limit < 1 || f->limit > 1000)
        return HC_EINVAL;
    pg_param_i64(&p, f->request_id);
    pg_param_str(&p, f->from);
    pg_param_str(&p, f->to);
    pg_param_i64(&p, f->contrary != 0);
    pg_param_i64(&p, f->limit);
    rc = pg_read_recs(pgs(st), slot(SRQ_ACT_LIST), sql_requests[SRQ_ACT_LIST], &p, a, &sql_action_rec,
                      &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

/* The index of outcome o in struct store_outcome_counts' arrays, or -1 (undecided). */
static int outcome_index(const char *o)
{
    static const char *const names[4] = {"permitted", "permitted_with_conditions", "review",
                                         "prohibited"};
    int i;
    for (i = 0; i < 4; i++)
        if (strcmp(o, names[i]) == 0)
            return i;
    return -1;
}

static int pg_outcome_counts(struct hc_store *st, struct store_outcome_counts *out)
{
    struct store_outcome_counts c;
    PGresult *r;
    int rc, i;

    memset(&c, 0, sizeof c);
    if ((r = run(pgs(st), SRQ_OUTCOME_COUNTS, NULL, &rc)) == NULL)
        return rc;
    for (i = 0; i < PQntuples(r); i++) {
        int f = PQgetisnull(r, i, 0) ? -1 : outcome_index(PQgetvalue(r, i, 0));
        int e = PQgetisnull(r, i, 1) ? -1 : outcome_index(PQgetvalue(r, i, 1));
        int64_t k = strtoll(PQgetvalue(r, i, 2), NULL, 10);
        if (f >= 0)
            c.in_force[f] += k;
        else
            c.undecided += k;
        if (e >= 0)
            c.engine[e] += k;
        c.contrary += strtoll(PQgetvalue(r, i, 3), NULL, 10);
    }
    PQclear(r);
    *out = c;
    return HC_OK;
}

/* What-if replay reads the SQLite backend only so far (docs/replay.md): the statement is
 * shared (SRQ_DECIDED_LIST), reading its mixed row here is not written yet. */
static int pg_decided_list(struct hc_store *st, const struct store_period_filter *f,
                           struct hc_arena *a, struct store_decided_request **out, size_t *n)
{
    (void)st;
    (void)f;
    (void)a;
    *out = NULL;
    *n = 0;
    return STORE_ENOTSUP;
}

const struct store_requests_ops pg_requests_ops = {
    STORE_REQUESTS_OPS(PG_OP)
};

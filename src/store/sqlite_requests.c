/* SPDX-License-Identifier: MIT
 * sqlite_requests.c: immigration requests, their versioned decisions and overrides, as rows. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

/* This file's prepared statements (slots SQ_X_REQUESTS..), kept for the life of the connection. */
/* Every read of a request takes its outcome from the view request_outcome (migration 7), the
 * one place the outcome in force is computed. This file's prepared statements are sql.h's
 * (slots SQ_X_REQUESTS..). */
_Static_assert(SQ_X_REQUESTS + SRQ_COUNT <= SQ_X_USERS, "this file's statements fit its slots");

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum sql_requests id)
{
    return sq_xstmt(s, SQ_X_REQUESTS + (int)id, sql_requests[id]);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests, decisions and overrides                                                          */

int sq_requests_of_booking(struct store_sqlite *s, int64_t booking_id, struct hc_arena *a,
                           struct store_request **out, size_t *n)
{
    void *rows = NULL;
    int rc = sq_read_rows_by_id(s, stmt(s, SRQ_BY_BOOKING), booking_id, a, &sq_request_rec,
                                &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_request_add(struct hc_store *st, int64_t booking_id,
                              const struct store_request *rq, const char *actor,
                              int64_t *request_id)
{
    return sq_add_audited_child(st, SQ_X_REQUESTS + SRQ_INSERT, sql_requests[SRQ_INSERT],
                                "booking_id", booking_id, &sq_request_rec, rq, actor,
                                "request.receive", "request", request_id);
}

/* The version number of decision id (0 when unreadable); for the audit payload. */
static int64_t decision_version(struct store_sqlite *s, int64_t id)
{
    sqlite3_stmt *q = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT version FROM decisions WHERE id = ?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    return v;
}

/* Keep beside decision id the provisions it cites (decision_citations, version 19): read
 * from its JSON once here, not by every report that lists them. */
static int keep_citations(struct store_sqlite *s, int64_t id)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO decision_citations (decision_id, basis, qualifying, conditions)"
        " SELECT id," SQ_DECISION_CITATIONS("decision_json") " FROM decisions WHERE id = ?1";
    sqlite3_stmt *q = sq_xstmt(s, SQ_X_CITATIONS, sql);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    return sq_exec_stmt(s, q);
}

static int sq_decision_add(struct hc_store *st, const struct store_decision *dec,
                               int64_t *decision_id)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = NULL;
    sqlite3_stmt *q;
    int64_t id = 0;
    char entity[48], at[21];
    int rc;

    if ((rc = sql_decision_payload(dec, &pl)) != HC_OK || (rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, SRQ_DEC_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        int i = sq_bind_fields(q, 1, dec, &sql_decision_new_rec, NULL);
        sq_bind_str(q, i, at); /* decided_at */
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK)
        rc = keep_citations(s, id = sqlite3_last_insert_rowid(s->db));
    if (rc == HC_OK) {
        json_object_set_new(pl, "id", json_integer(id));
        json_object_set_new(pl, "version", json_integer(decision_version(s, id)));
        sq_jset_str(pl, "decided_at", at);
        snprintf(entity, sizeof entity, "decision/%" PRId64, id);
        rc = sq_audit_write(s, dec->decided_by, "decision.record", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *decision_id = id;
out:
    json_decref(pl);
    return rc;
}

static int sq_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                              struct store_request_detail *out)
{
    struct store_sqlite *s = sq(st);
    struct store_request_detail r;
    void *dec = NULL, *ovr = NULL;
    sqlite3_stmt *q = stmt(s, SRQ_BY_ID);
    int rc, oom = 0;

    memset(&r, 0, sizeof r);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, request_id);
    if ((rc = sq_step_row(s, q)) != HC_OK)
        return rc;
    r.booking_no = sq_col_dup(a, q, sq_fill_fields(q, 0, a, &r.req, &sq_request_rec, &oom), &oom);
    sqlite3_reset(q);
    if (oom)
        return HC_ENOMEM;
    if ((rc = sq_read_rows_by_id(s, stmt(s, SRQ_DEC_BY_REQ), request_id, a, &sql_decision_rec, &dec,
                                 &r.ndec)) != HC_OK ||
        (rc = sq_read_rows_by_id(s, stmt(s, SRQ_OVR_BY_REQ), request_id, a, &sql_override_rec, &ovr,
                                 &r.novr)) != HC_OK)
        return rc;
    r.dec = dec;
    r.ovr = ovr;
    *out = r;
    return HC_OK;
}

static void fill_request_item(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_request_item *it = el;
    int i = sq_fill_fields(q, 0, a, &it->req, &sq_request_rec, oom);
    it->booking_no = sq_col_dup(a, q, i, oom);
    it->ndecisions = sqlite3_column_int64(q, i + 1);
    it->noverrides = sqlite3_column_int64(q, i + 2);
}

static int sq_request_list(struct hc_store *st, const struct store_request_filter *f,
                               struct hc_arena *a, struct store_request_item **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, SRQ_LIST);
    void *rows = NULL;
    int rc;

    if (q == NULL)
        return HC_EIO;
    if (f->limit < 1 || f->limit > 500 || f->offset < 0)
        return HC_EINVAL;
    sqlite3_bind_int64(q, 1, f->after_id);
    sq_bind_str(q, 2, f->type);
    sq_bind_str(q, 3, f->outcome);
    sq_bind_str(q, 4, f->from);
    sq_bind_str(q, 5, f->to);
    sq_bind_str(q, 6, f->booking_no);
    sqlite3_bind_int(q, 7, f->contrary != 0);
    sqlite3_bind_int(q, 8, f->limit);
    sqlite3_bind_int64(q, 9, f->offset);
    rc = sq_read_rows(s, q, a, sizeof **out, fill_request_item, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_override_add(struct hc_store *st, const struct store_override *o,
                               int64_t *override_id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t id = 0;
    int rc;

    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = stmt(s, SRQ_DEC_CHECK)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int64(q, 1, o->decision_id);
    sqlite3_bind_int64(q, 2, o->request_id);
    rc = sqlite3_step(q);
    rc = rc == SQLITE_ROW ? (sqlite3_column_int(q, 0) == 1 ? HC_OK : HC_EINVAL) : sq_map_rc(s, rc);
    sqlite3_reset(q);
    /* The insert nests in this transaction, so the check holds when the row is written. */
    if (rc == HC_OK)
        rc = sq_add_audited(st, SQ_X_REQUESTS + SRQ_OVR_INSERT, sql_requests[SRQ_OVR_INSERT],
                            &sql_override_rec, o, o->created_by, "override.record", "override", &id);
out:
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *override_id = id;
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static int sq_action_add(struct hc_store *st, const struct store_action *x, int64_t *action_id)
{
    return sq_add_audited(st, SQ_X_REQUESTS + SRQ_ACT_INSERT, sql_requests[SRQ_ACT_INSERT], &sql_action_rec,
                          x, x->recorded_by, "action.record", "action", action_id);
}

static int sq_actions_list(struct hc_store *st, const struct store_action_filter *f,
                           struct hc_arena *a, struct store_action **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, SRQ_ACT_LIST);
    void *rows = NULL;
    int rc;

    if (q == NULL)
        return HC_EIO;
    if (f->limit < 1 || f->limit > 1000)
        return HC_EINVAL;
    sqlite3_bind_int64(q, 1, f->after_id);
    sqlite3_bind_int64(q, 2, f->request_id);
    sq_bind_str(q, 3, f->from);
    sq_bind_str(q, 4, f->to);
    sqlite3_bind_int(q, 5, f->contrary != 0);
    sqlite3_bind_int(q, 6, f->limit);
    rc = sq_read_recs(s, q, a, &sql_action_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

/* The index of outcome o in struct store_outcome_counts, or -1 (NULL: undecided). */
static int outcome_slot(const unsigned char *o)
{
    static const char *const names[4] = {"permitted", "permitted_with_conditions", "review",
                                         "prohibited"};
    int i;
    for (i = 0; o != NULL && i < 4; i++)
        if (strcmp((const char *)o, names[i]) == 0)
            return i;
    return -1;
}

static int sq_outcome_counts(struct hc_store *st, struct store_outcome_counts *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, SRQ_OUTCOME_COUNTS);
    struct store_outcome_counts c;
    int rc;

    if (q == NULL)
        return HC_EIO;
    memset(&c, 0, sizeof c);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int f = outcome_slot(sqlite3_column_text(q, 0)), e = outcome_slot(sqlite3_column_text(q, 1));
        int64_t n = sqlite3_column_int64(q, 2);
        if (f >= 0)
            c.in_force[f] += n;
        else
            c.undecided += n;
        if (e >= 0)
            c.engine[e] += n;
        c.contrary += sqlite3_column_int64(q, 3);
    }
    rc = rc == SQLITE_DONE ? HC_OK : sq_map_rc(s, rc);
    sqlite3_reset(q);
    if (rc == HC_OK)
        *out = c;
    return rc;
}

static void fill_decided(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_decided_request *x = el;
    x->request_id = sqlite3_column_int64(q, 0);
    x->type = sq_col_dup(a, q, 1, oom);
    x->received_at = sq_col_dup(a, q, 2, oom);
    x->outcome = sq_col_dup(a, q, 3, oom);
    x->override_id = sqlite3_column_int64(q, 4);
    (void)sq_fill_fields(q, 5, a, &x->dec, &sql_decision_rec, oom);
}

static int sq_decided_list(struct hc_store *st, const struct store_period_filter *f,
                           struct hc_arena *a, struct store_decided_request **out, size_t *n)
{
    sqlite3_stmt *q;
    void *rows = NULL;
    int rc = HC_EINVAL;

    /* The period is required: a replay never reads every request by accident. */
    if (f->limit >= 1 && f->limit <= 1000 && f->from != NULL && f->to != NULL) {
        rc = HC_EIO;
        if ((q = stmt(sq(st), SRQ_DECIDED_LIST)) != NULL) {
            sqlite3_bind_int64(q, 1, f->after_id);
            sq_bind_str(q, 2, f->from);
            sq_bind_str(q, 3, f->to);
            sqlite3_bind_int(q, 4, f->limit);
            if ((rc = sq_read_rows(sq(st), q, a, sizeof **out, fill_decided, &rows, n)) == HC_OK)
                *out = rows;
        }
    }
    return rc;
}

const struct store_requests_ops sq_requests_ops = {
    STORE_REQUESTS_OPS(SQ_OP)
};

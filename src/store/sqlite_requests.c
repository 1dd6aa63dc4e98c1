/* SPDX-License-Identifier: MIT
 * sqlite_requests.c: immigration requests, their versioned decisions and overrides, as rows. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

/* This file's prepared statements (slots SQ_X_REQUESTS..), kept for the life of the connection. */
enum stmt_id {
    S_REQ_BY_BOOKING, S_REQ_INSERT, S_DEC_INSERT, S_REQ_BY_ID, S_DEC_BY_REQ, S_OVR_BY_REQ,
    S_OVR_INSERT, S_REQ_LIST, S_DEC_CHECK, S_ACT_INSERT, S_ACT_LIST, S_OUTCOME_COUNTS,
    S_DECIDED_LIST, S_COUNT
};

/* The columns of decision d (decision_fields), its decision_json given as dj. */
#define DECISION_COLS(dj)                                                                      \
    "d.id, d.version, d.outcome, d.ruleset, d.case_json, " dj ", d.decided_at, d.decided_by,"  \
    " d.catalog_version, d.settings_json, d.engine_version"

/* Every read of a request takes its outcome from the view request_outcome (migration 7), the
 * one place the outcome in force is computed. */
static const char *const stmt_sql[S_COUNT] = {
    [S_REQ_BY_BOOKING] = "SELECT " SQ_REQUEST_COLS("d.decision_json")
                         " FROM immigration_requests r"
                         " JOIN request_outcome ro ON ro.request_id = r.id"
                         " LEFT JOIN decisions d ON d.id = ro.decision_id"
                         " WHERE r.booking_id = ? ORDER BY r.id",
    [S_REQ_INSERT] = "INSERT INTO immigration_requests (booking_id, type, form, received_at,"
                     " issuing_office, judicial_warrant, judicial_probable_cause,"
                     " federal_felony_warrant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_DEC_INSERT] = "INSERT INTO decisions (request_id, version, outcome, ruleset, case_json,"
                     " decision_json, decided_by, catalog_version, settings_json,"
                     " engine_version, decided_at) VALUES (?1,"
                     " (SELECT coalesce(max(version), 0) + 1 FROM decisions WHERE request_id = ?1),"
                     " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_REQ_BY_ID] = "SELECT " SQ_REQUEST_COLS("d.decision_json") ", b.booking_no"
                    " FROM immigration_requests r"
                    " JOIN request_outcome ro ON ro.request_id = r.id"
                    " JOIN bookings b ON b.id = r.booking_id"
                    " LEFT JOIN decisions d ON d.id = ro.decision_id"
                    " WHERE r.id = ?",
    [S_DEC_BY_REQ] = "SELECT " DECISION_COLS("decision_json")
                     " FROM decisions d WHERE request_id = ? ORDER BY version",
    [S_OVR_BY_REQ] = "SELECT id, request_id, decision_id, outcome, reason, created_at,"
                     " created_by FROM overrides WHERE request_id = ? ORDER BY id",
    [S_OVR_INSERT] = "INSERT INTO overrides (request_id, decision_id, outcome, reason,"
                     " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
    [S_REQ_LIST] = "SELECT " SQ_REQUEST_COLS("NULL") ", b.booking_no,"
                   " (SELECT count(*) FROM decisions WHERE request_id = r.id),"
                   " (SELECT count(*) FROM overrides WHERE request_id = r.id)"
                   " FROM immigration_requests r"
                   " JOIN request_outcome ro ON ro.request_id = r.id"
                   " JOIN bookings b ON b.id = r.booking_id"
                   " WHERE r.id > ?1 AND (?2 IS NULL OR r.type = ?2)"
                   " AND (?3 IS NULL OR ro.outcome = ?3)"
                   " AND (?4 IS NULL OR substr(r.received_at, 1, 10) >= ?4)"
                   " AND (?5 IS NULL OR substr(r.received_at, 1, 10) <= ?5)"
                   " AND (?6 IS NULL OR b.booking_no = ?6)"
                   " AND (?9 = 0 OR ro.contrary_actions > 0)"
                   " ORDER BY r.id LIMIT ?7 OFFSET ?8",
    [S_DEC_CHECK] = "SELECT count(*) FROM decisions WHERE id = ? AND request_id = ?",
    [S_ACT_INSERT] = "INSERT INTO request_actions (request_id, kind, at, method, acted_by, office,"
                     " ice_reason, outcome_in_force, contrary, reason, recorded_by, recorded_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_ACT_LIST] = "SELECT id, request_id, kind, at, method, acted_by, office, ice_reason,"
                   " outcome_in_force, contrary, reason, recorded_by, recorded_at"
                   " FROM request_actions WHERE id > ?1 AND (?2 = 0 OR request_id = ?2)"
                   " AND (?3 IS NULL OR substr(at, 1, 10) >= ?3)"
                   " AND (?4 IS NULL OR substr(at, 1, 10) <= ?4)"
                   " AND (?5 = 0 OR contrary = 1)"
                   " ORDER BY id LIMIT ?6",
    [S_OUTCOME_COUNTS] = "SELECT outcome, engine_outcome, count(*), sum(contrary_actions > 0)"
                         " FROM request_outcome GROUP BY outcome, engine_outcome",
    /* The decision without its rendered text, which a replay makes anew. */
    [S_DECIDED_LIST] = "SELECT r.id, b.booking_no, r.type, r.received_at, ro.outcome,"
                       " ro.override_id, " DECISION_COLS("NULL")
                       " FROM immigration_requests r"
                       " JOIN request_outcome ro ON ro.request_id = r.id"
                       " JOIN decisions d ON d.id = ro.decision_id"
                       " JOIN bookings b ON b.id = r.booking_id"
                       " WHERE r.id > ?1 AND substr(r.received_at, 1, 10) >= ?2"
                       " AND substr(r.received_at, 1, 10) <= ?3"
                       " ORDER BY r.id LIMIT ?4",
};

_Static_assert(SQ_X_REQUESTS + S_COUNT <= SQ_X_USERS, "this file's statements fit its slots");

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
    return sq_xstmt(s, SQ_X_REQUESTS + (int)id, stmt_sql[id]);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests, decisions and overrides                                                          */

/* The columns of a request row (SQ_REQUEST_COLS); after the booking's id, the parameters of
 * S_REQ_INSERT. */
static const struct sf_field request_fields[] = {
    SF_FIELD(struct store_request, id, SF_I64, SF_COL),
    SF_FIELD(struct store_request, type, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_request, form, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_request, received_at, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_request, issuing_office, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_request, judicial_warrant, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_request, judicial_probable_cause, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_request, federal_felony_warrant, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_request, outcome, SF_STR, SF_COL),
    SF_FIELD(struct store_request, decision_json, SF_STR, SF_COL),
    SF_FIELD(struct store_request, engine_outcome, SF_STR, SF_COL),
    SF_FIELD(struct store_request, override_id, SF_REF, SF_COL),
    SF_FIELD(struct store_request, nactions, SF_I64, SF_COL),
    SF_FIELD(struct store_request, ncontrary, SF_I64, SF_COL),
};
const struct sf_record sq_request_rec = SF_RECORD(struct store_request, request_fields);

int sq_requests_of_booking(struct store_sqlite *s, int64_t booking_id, struct hc_arena *a,
                           struct store_request **out, size_t *n)
{
    void *rows = NULL;
    int rc = sq_read_rows_by_id(s, stmt(s, S_REQ_BY_BOOKING), booking_id, a, &sq_request_rec,
                                &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_request_add(struct hc_store *st, int64_t booking_id,
                              const struct store_request *rq, const char *actor,
                              int64_t *request_id)
{
    return sq_add_audited_child(st, SQ_X_REQUESTS + S_REQ_INSERT, stmt_sql[S_REQ_INSERT],
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

/* The parameters of S_DEC_INSERT but the last, decided_at; the decision's members of its audit
 * payload. */
static const struct sf_field decision_new_fields[] = {
    SF_FIELD(struct store_decision, request_id, SF_I64, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, outcome, SF_STR, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, ruleset, SF_STR, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, case_json, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, decision_json, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, decided_by, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, catalog_version, SF_STR, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, settings_json, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, engine_version, SF_REF, SF_BIND | SF_JSON),
};
static const struct sf_record decision_new_rec = SF_RECORD(struct store_decision,
                                                           decision_new_fields);

static int sq_decision_add(struct hc_store *st, const struct store_decision *dec,
                               int64_t *decision_id)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object(), *jd = NULL, *jc = NULL;
    sqlite3_stmt *q;
    int64_t id = 0;
    char entity[48], at[21];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    /* The audit entry holds the decision and the case it was made on as JSON values, so the
     * chain alone shows what was decided and why. */
    jd = json_loads(dec->decision_json, 0, NULL);
    jc = json_loads(dec->case_json, 0, NULL);
    if (jd == NULL || jc == NULL) {
        rc = HC_EINVAL;
        goto out;
    }
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, S_DEC_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        int i = sq_bind_fields(q, 1, dec, &decision_new_rec, NULL);
        sq_bind_str(q, i, at); /* decided_at */
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        id = sqlite3_last_insert_rowid(s->db);
        json_object_set_new(pl, "id", json_integer(id));
        sf_jset_fields(pl, dec, &decision_new_rec, NULL);
        json_object_set_new(pl, "version", json_integer(decision_version(s, id)));
        sq_jset_str(pl, "decided_at", at);
        json_object_set(pl, "case", jc);
        json_object_set(pl, "decision", jd);
        snprintf(entity, sizeof entity, "decision/%" PRId64, id);
        rc = sq_audit_write(s, dec->decided_by, "decision.record", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *decision_id = id;
out:
    json_decref(jd);
    json_decref(jc);
    json_decref(pl);
    return rc;
}

/* Columns of S_DEC_BY_REQ (DECISION_COLS). */
static const struct sf_field decision_fields[] = {
    SF_FIELD(struct store_decision_row, id, SF_I64, SF_COL),
    SF_FIELD(struct store_decision_row, version, SF_INT, SF_COL),
    SF_FIELD(struct store_decision_row, outcome, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, ruleset, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, case_json, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, decision_json, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, decided_at, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, decided_by, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, catalog_version, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, settings_json, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, engine_version, SF_REF, SF_COL),
};
static const struct sf_record decision_rec = SF_RECORD(struct store_decision_row, decision_fields);

/* Columns of S_OVR_BY_REQ; the parameters of S_OVR_INSERT. */
static const struct sf_field override_fields[] = {
    SF_FIELD(struct store_override, id, SF_I64, SF_COL),
    SF_FIELD(struct store_override, request_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_override, decision_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_override, outcome, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_override, reason, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_override, created_at, SF_STR, SF_STORED | SF_AT),
    SF_FIELD(struct store_override, created_by, SF_STR, SF_STORED),
};
static const struct sf_record override_rec = SF_RECORD(struct store_override, override_fields);

static int sq_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                              struct store_request_detail *out)
{
    struct store_sqlite *s = sq(st);
    struct store_request_detail r;
    void *dec = NULL, *ovr = NULL;
    sqlite3_stmt *q = stmt(s, S_REQ_BY_ID);
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
    if ((rc = sq_read_rows_by_id(s, stmt(s, S_DEC_BY_REQ), request_id, a, &decision_rec, &dec,
                                 &r.ndec)) != HC_OK ||
        (rc = sq_read_rows_by_id(s, stmt(s, S_OVR_BY_REQ), request_id, a, &override_rec, &ovr,
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
    sqlite3_stmt *q = stmt(s, S_REQ_LIST);
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
    sqlite3_bind_int(q, 7, f->limit);
    sqlite3_bind_int64(q, 8, f->offset);
    sqlite3_bind_int(q, 9, f->contrary != 0);
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
    if ((q = stmt(s, S_DEC_CHECK)) == NULL) {
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
        rc = sq_add_audited(st, SQ_X_REQUESTS + S_OVR_INSERT, stmt_sql[S_OVR_INSERT],
                            &override_rec, o, o->created_by, "override.record", "override", &id);
out:
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *override_id = id;
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

/* Columns of S_ACT_LIST; the parameters of S_ACT_INSERT and the audit payload. */
static const struct sf_field action_fields[] = {
    SF_FIELD(struct store_action, id, SF_I64, SF_COL),
    SF_FIELD(struct store_action, request_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_action, kind, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_action, at, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_action, method, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_action, acted_by, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_action, office, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_action, ice_reason, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_action, outcome_in_force, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_action, contrary, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_action, reason, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_action, recorded_by, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_action, recorded_at, SF_STR, SF_AUDITED | SF_AT),
};
static const struct sf_record action_rec = SF_RECORD(struct store_action, action_fields);

static int sq_action_add(struct hc_store *st, const struct store_action *x, int64_t *action_id)
{
    return sq_add_audited(st, SQ_X_REQUESTS + S_ACT_INSERT, stmt_sql[S_ACT_INSERT], &action_rec,
                          x, x->recorded_by, "action.record", "action", action_id);
}

static int sq_actions_list(struct hc_store *st, const struct store_action_filter *f,
                           struct hc_arena *a, struct store_action **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_ACT_LIST);
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
    rc = sq_read_recs(s, q, a, &action_rec, &rows, n);
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
    sqlite3_stmt *q = stmt(s, S_OUTCOME_COUNTS);
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
    x->booking_no = sq_col_dup(a, q, 1, oom);
    x->type = sq_col_dup(a, q, 2, oom);
    x->received_at = sq_col_dup(a, q, 3, oom);
    x->outcome = sq_col_dup(a, q, 4, oom);
    x->override_id = sqlite3_column_int64(q, 5);
    (void)sq_fill_fields(q, 6, a, &x->dec, &decision_rec, oom);
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
        if ((q = stmt(sq(st), S_DECIDED_LIST)) != NULL) {
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

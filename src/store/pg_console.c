/* SPDX-License-Identifier: MIT
 * pg_console.c: the staff console on PostgreSQL (docs/console.md): the TRUTH Act notices of a
 * request and their service, consent, intent, release dates told, interviews, warrants, the
 * queue, a request's audit trail and a person's bookings, on the statements and records both
 * backends share (sql.h, sql_console.c). Row-level security keeps every statement to the
 * connection's agency, and each row's agency_id is the connection's (the column's default);
 * the request a row belongs to must be the agency's own (a foreign key on (agency_id,
 * request_id)). Each write and its audit entry commit in one transaction, and a notice, a
 * bound table (bound.h), is bound into the entry that wrote it and the entry that served it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"
#include "sql.h"

/* The shared statements (sql.h), then this backend's own. */
enum { S_PERSON_ID = SCX_COUNT, S_COUNT };

static const char person_id_sql[] = SQL_PERSON_ID;

_Static_assert(PG_X_CONSOLE + S_COUNT <= PG_X_REPORTS, "this file's statements fit its slots");

static int slot(int id)
{
    return PG_X_CONSOLE + id;
}

/* Write rec, a console record of kind k, with its audit entry in one transaction. */
static int record_add(struct hc_store *st, enum sql_console_kind k, const void *rec,
                      int64_t *out_id)
{
    const struct sql_console_write *w = &sql_console_writes[k];
    return pg_add_audited(st, slot((int)w->insert), sql_console[w->insert], NULL, 0, w->rd, rec,
                          sql_console_actor(w, rec), w->action, w->what, out_id);
}

/* The rows of statement id for the one row id, by rd, into *out and *n (in a). */
static int read_by_id(struct store_pg *s, enum sql_console id, int64_t row, struct hc_arena *a,
                      const struct sf_record *rd, void **out, size_t *n)
{
    struct pg_params p;
    pg_params_id(&p, row);
    return pg_read_recs(s, slot((int)id), sql_console[id], &p, a, rd, out, n);
}

static int pg_notice_add(struct hc_store *st, const struct store_notice *n, int64_t *notice_id)
{
    return record_add(st, SCK_NOTICE, n, notice_id);
}

static int pg_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                         struct store_notice *out)
{
    struct pg_params p;
    pg_params_id(&p, notice_id);
    return pg_read_rec(pgs(st), slot(SCX_NOTICE_GET), sql_console[SCX_NOTICE_GET], &p, a,
                       &sql_notice_rec, out);
}

static int pg_notice_serve(struct hc_store *st, int64_t notice_id,
                           const struct store_notice_service *sv, struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    struct store_notice cur;
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN], entity[48], mem[4096];
    struct hc_arena a;
    int64_t changed = 0;
    json_t *pl = NULL;
    int rc;

    if (sv->served_by == NULL)
        return HC_EINVAL;
    hc_arena_init(&a, mem, sizeof mem);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = sql_notice_serve_check(pg_notice_get(st, notice_id, &a, &cur), &cur, sv, at, sizeof at,
                                d);
    if (rc != HC_OK)
        goto out;
    pg_param_str(&p, at);
    pg_param_str(&p, sv->served_by);
    pg_param_str(&p, sv->served_to);
    pg_param_str(&p, sv->method);
    pg_param_i64(&p, notice_id);
    /* Served by another writer since the read: the UPDATE, which waits for that writer's row
     * and then finds it served, changes nothing. */
    rc = pg_exec_stmt(s, slot(SCX_NOTICE_SERVE), sql_console[SCX_NOTICE_SERVE], &p, &changed,
                      NULL);
    if (rc == HC_OK &&
        (rc = sql_notice_serve_entry(changed, notice_id, &cur, at, sv, entity, sizeof entity,
                                     &pl, d)) == HC_OK) {
        rc = pg_audit_append(st, sv->served_by, "notice.serve", entity, pl);
        json_decref(pl);
    }
out:
    return pg_tx_leave(s, rc);
}

static int pg_consent_add(struct hc_store *st, const struct store_consent *c, int64_t *consent_id)
{
    return record_add(st, SCK_CONSENT, c, consent_id);
}

static int pg_intent_add(struct hc_store *st, const struct store_intent *in, int64_t *intent_id)
{
    return record_add(st, SCK_INTENT, in, intent_id);
}

static int pg_disclosure_add(struct hc_store *st, const struct store_disclosure *dc,
                             int64_t *disclosure_id)
{
    return record_add(st, SCK_DISCLOSURE, dc, disclosure_id);
}

static int pg_interview_add(struct hc_store *st, const struct store_interview *iv,
                            int64_t *interview_id)
{
    return record_add(st, SCK_INTERVIEW, iv, interview_id);
}

static int pg_warrant_add(struct hc_store *st, const struct store_warrant *w, int64_t *warrant_id)
{
    return record_add(st, SCK_WARRANT, w, warrant_id);
}

static int pg_console_state(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                            struct store_console_state *out)
{
    static const struct {
        enum sql_console id;
        const struct sf_record *rd;
    } lists[6] = {
        {SCX_NOTICES_OF, &sql_notice_rec},         {SCX_CONSENTS_OF, &sql_consent_rec},
        {SCX_INTENTS_OF, &sql_intent_rec},         {SCX_DISCLOSURES_OF, &sql_disclosure_rec},
        {SCX_INTERVIEWS_OF, &sql_interview_rec},   {SCX_WARRANTS_OF, &sql_warrant_rec},
    };
    struct store_console_state r;
    void *p[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    size_t *n[6];
    size_t i;
    int rc;

    memset(&r, 0, sizeof r);
    n[0] = &r.nnotices;
    n[1] = &r.nconsents;
    n[2] = &r.nintents;
    n[3] = &r.ndisclosures;
    n[4] = &r.ninterviews;
    n[5] = &r.nwarrants;
    for (i = 0; i < 6; i++)
        if ((rc = read_by_id(pgs(st), lists[i].id, request_id, a, lists[i].rd, &p[i], n[i])) !=
            HC_OK)
            return rc;
    r.notices = p[0];
    r.consents = p[1];
    r.intents = p[2];
    r.disclosures = p[3];
    r.interviews = p[4];
    r.warrants = p[5];
    *out = r;
    return HC_OK;
}


static int pg_console_queue(struct hc_store *st, int in_custody_only, int limit,
                            struct hc_arena *a, struct store_queue_item **out, size_t *n)
{
    struct store_queue_item *items;
    struct pg_params p;
    PGresult *r;
    int rc, i, rows, oom = 0;

    if (limit < 1 || limit > 500)
        return HC_EINVAL;
    pg_params_id(&p, in_custody_only != 0);
    pg_param_i64(&p, limit);
    if ((r = pg_run(pgs(st), slot(SCX_QUEUE), sql_console[SCX_QUEUE], &p, &rc)) == NULL)
        return rc;
    rows = PQntuples(r);
    items = hc_arena_zalloc(a, (size_t)(rows > 0 ? rows : 1) * sizeof *items);
    for (i = 0; items != NULL && i < rows; i++) {
        struct store_queue_item *it = &items[i];
        int c = pg_fill_fields(r, i, 0, a, &it->req, &sql_request_rec, &oom);
        it->ruleset = pg_col_dup(r, i, c, a, &oom);
        it->booking_no = pg_col_dup(r, i, c + 1, a, &oom);
        it->booking_status = pg_col_dup(r, i, c + 2, a, &oom);
        it->scheduled_release = pg_col_dup(r, i, c + 3, a, &oom);
        it->person_id = strtoll(PQgetvalue(r, i, c + 4), NULL, 10);
        it->person_name = pg_col_dup(r, i, c + 5, a, &oom);
    }
    PQclear(r);
    if (items == NULL || oom)
        return HC_ENOMEM;
    *out = items;
    *n = (size_t)rows;
    return HC_OK;
}

static int pg_request_audit(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                            struct store_audit_entry **out, size_t *n)
{
    void *rows = NULL;
    int rc = read_by_id(pgs(st), SCX_REQUEST_AUDIT, request_id, a, &sql_audit_entry_rec, &rows,
                        n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int pg_person_bookings(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                              const char ***booking_nos, size_t *n)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    void *rows = NULL;
    int64_t id = 0;
    int rc;

    pg_params_id(&p, person_id);
    if ((rc = pg_exec_stmt(s, slot(S_PERSON_ID), person_id_sql, &p, NULL, &id)) != HC_OK)
        return rc; /* HC_ENOENT: no such person of this agency */
    rc = read_by_id(s, SCX_PERSON_BOOKINGS, person_id, a, &sql_booking_no_rec, &rows, n);
    if (rc == HC_OK)
        *booking_nos = rows;
    return rc;
}

const struct store_console_ops pg_console_ops = {
    STORE_CONSOLE_OPS(PG_OP)
};

/* SPDX-License-Identifier: MIT
 * sqlite_console.c: the SQLite side of the staff console (docs/console.md): the TRUTH
 * Act notices generated and served for a request, the person's answer to an interview request,
 * the agency's stated intent, the release dates it gave immigration authorities, the
 * interview's steps, a judicial warrant's court and judge, the queue of open requests, a
 * request's audit trail and a person's bookings, on the statements and records both backends
 * share (sql.h, sql_console.c). The invariant: every write and its audit entry (actor: the
 * acting user) commit in one transaction, and the check that lets an interview be granted runs
 * in that transaction too. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

/* This file's prepared statements are sql.h's (slots SQ_X_NOTICE..), the records
 * sql_console.c's. */
_Static_assert(SQ_X_NOTICE + SCX_COUNT <= SQ_XSTMT_MAX, "this file's statements fit its slots");

static sqlite3_stmt *cx(struct store_sqlite *s, enum sql_console id)
{
    return sq_xstmt(s, SQ_X_NOTICE + (int)id, sql_console[id]);
}

/* Write rec, a console record of kind k, with its audit entry (sq_add_audited). */
static int record_add(struct hc_store *st, enum sql_console_kind k, const void *rec,
                      int64_t *out_id)
{
    const struct sql_console_write *w = &sql_console_writes[k];
    return sq_add_audited(st, SQ_X_NOTICE + (int)w->insert, sql_console[w->insert], w->rd, rec,
                          sql_console_actor(w, rec), w->action, w->what, out_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Notices                                                                                    */

static int sq_notice_add(struct hc_store *st, const struct store_notice *n, int64_t *notice_id)
{
    return record_add(st, SCK_NOTICE, n, notice_id);
}

static int sq_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                         struct store_notice *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = cx(s, SCX_NOTICE_GET);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, notice_id);
    return sq_read_rec(s, q, a, &sql_notice_rec, out);
}

static int sq_notice_serve(struct hc_store *st, int64_t notice_id,
                           const struct store_notice_service *sv, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    struct store_notice cur;
    char at[HC_CLOCK_UTC_LEN], entity[48], mem[4096];
    struct hc_arena a;
    json_t *pl = NULL;
    int rc;

    if (sv->served_by == NULL)
        return HC_EINVAL;
    hc_arena_init(&a, mem, sizeof mem);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    rc = sql_notice_serve_check(sq_notice_get(st, notice_id, &a, &cur), &cur, sv, at, sizeof at,
                                d);
    if (rc != HC_OK)
        goto out;
    if ((q = cx(s, SCX_NOTICE_SERVE)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, at);
    sq_bind_str(q, 2, sv->served_by);
    sq_bind_str(q, 3, sv->served_to);
    sq_bind_str(q, 4, sv->method);
    sqlite3_bind_int64(q, 5, notice_id);
    rc = sq_exec_stmt(s, q);
    if (rc == HC_OK &&
        (rc = sql_notice_serve_entry(sqlite3_changes(s->db), notice_id, &cur, at, sv, entity,
                                     sizeof entity, &pl, d)) == HC_OK) {
        rc = sq_audit_write(s, sv->served_by, "notice.serve", entity, pl);
        json_decref(pl);
    }
out:
    return sq_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Consent, intent, release dates, interviews                                                 */

static int sq_consent_add(struct hc_store *st, const struct store_consent *c, int64_t *consent_id)
{
    return record_add(st, SCK_CONSENT, c, consent_id);
}

static int sq_intent_add(struct hc_store *st, const struct store_intent *in, int64_t *intent_id)
{
    return record_add(st, SCK_INTENT, in, intent_id);
}

static int sq_disclosure_add(struct hc_store *st, const struct store_disclosure *dc,
                             int64_t *disclosure_id)
{
    return record_add(st, SCK_DISCLOSURE, dc, disclosure_id);
}

static int sq_interview_add(struct hc_store *st, const struct store_interview *iv,
                            int64_t *interview_id)
{
    return record_add(st, SCK_INTERVIEW, iv, interview_id);
}

static int sq_warrant_add(struct hc_store *st, const struct store_warrant *w, int64_t *warrant_id)
{
    return record_add(st, SCK_WARRANT, w, warrant_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading: one request's records, the queue, the audit trail, a person's bookings            */

/* Read the rows of statement id for request_id into *out / *n. */
static int read_of(struct store_sqlite *s, enum sql_console id, int64_t request_id,
                   struct hc_arena *a,
                   const struct sf_record *rd, void **out, size_t *n)
{
    return sq_read_rows_by_id(s, cx(s, id), request_id, a, rd, out, n);
}

static int sq_console_state(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                            struct store_console_state *out)
{
    struct store_sqlite *s = sq(st);
    struct store_console_state r;
    void *p[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    int rc;

    memset(&r, 0, sizeof r);
    if ((rc = read_of(s, SCX_NOTICES_OF, request_id, a, &sql_notice_rec, &p[0], &r.nnotices)) !=
            HC_OK ||
        (rc = read_of(s, SCX_CONSENTS_OF, request_id, a, &sql_consent_rec, &p[1], &r.nconsents)) !=
            HC_OK ||
        (rc = read_of(s, SCX_INTENTS_OF, request_id, a, &sql_intent_rec, &p[2], &r.nintents)) !=
            HC_OK ||
        (rc = read_of(s, SCX_DISCLOSURES_OF, request_id, a, &sql_disclosure_rec, &p[3],
                      &r.ndisclosures)) != HC_OK ||
        (rc = read_of(s, SCX_INTERVIEWS_OF, request_id, a, &sql_interview_rec, &p[4],
                      &r.ninterviews)) != HC_OK ||
        (rc = read_of(s, SCX_WARRANTS_OF, request_id, a, &sql_warrant_rec, &p[5], &r.nwarrants)) !=
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

static void fill_queue(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_queue_item *it = el;
    int i;
    memset(it, 0, sizeof *it);
    i = sq_fill_fields(q, 0, a, &it->req, &sq_request_rec, oom);
    it->ruleset = sq_col_dup(a, q, i, oom);
    it->booking_no = sq_col_dup(a, q, i + 1, oom);
    it->booking_status = sq_col_dup(a, q, i + 2, oom);
    it->scheduled_release = sq_col_dup(a, q, i + 3, oom);
    it->person_id = sqlite3_column_int64(q, i + 4);
    it->person_name = sq_col_dup(a, q, i + 5, oom);
}

static int sq_console_queue(struct hc_store *st, int in_custody_only, int limit, struct hc_arena *a,
                            struct store_queue_item **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = cx(s, SCX_QUEUE);
    void *rows = NULL;
    int rc;
    if (limit < 1 || limit > 500)
        return HC_EINVAL;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int(q, 1, in_custody_only != 0);
    sqlite3_bind_int(q, 2, limit);
    rc = sq_read_rows(s, q, a, sizeof **out, fill_queue, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_request_audit(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                            struct store_audit_entry **out, size_t *n)
{
    void *rows = NULL;
    int rc = read_of(sq(st), SCX_REQUEST_AUDIT, request_id, a, &sql_audit_entry_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_person_bookings(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                              const char ***booking_nos, size_t *n)
{
    struct store_sqlite *s = sq(st);
    void *rows = NULL;
    int rc;

    if ((rc = sq_person_exists(s, person_id)) != HC_OK)
        return rc;
    rc = read_of(s, SCX_PERSON_BOOKINGS, person_id, a, &sql_booking_no_rec, &rows, n);
    if (rc == HC_OK)
        *booking_nos = rows;
    return rc;
}

const struct store_console_ops sq_console_ops = {
    STORE_CONSOLE_OPS(SQ_OP)
};

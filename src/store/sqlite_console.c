/* SPDX-License-Identifier: MIT
 * sqlite_console.c: the SQLite side of the staff console (docs/console.md): the TRUTH
 * Act notices generated and served for a request, the person's answer to an interview request,
 * the agency's stated intent, the release dates it gave immigration authorities, the
 * interview's steps, a judicial warrant's court and judge, the queue of open requests, a
 * request's audit trail and a person's bookings. Statements use slots
 * SQ_X_NOTICE..SQ_X_NOTICE+63. The invariant: every write and its audit entry (actor: the
 * acting user) commit in one transaction, and the check that lets an interview be granted runs
 * in that transaction too. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

enum cx_id {
    CX_NOTICE_INSERT, CX_NOTICE_GET, CX_NOTICE_SERVE, CX_NOTICES_OF,
    CX_CONSENT_INSERT, CX_CONSENTS_OF,
    CX_INTENT_INSERT, CX_INTENTS_OF,
    CX_DISCLOSURE_INSERT, CX_DISCLOSURES_OF,
    CX_INTERVIEW_INSERT, CX_INTERVIEWS_OF, CX_WARRANT_INSERT, CX_WARRANTS_OF,
    CX_QUEUE, CX_REQUEST_AUDIT, CX_PERSON_BOOKINGS,
    CX_COUNT
};

_Static_assert(SQ_X_NOTICE + CX_COUNT <= SQ_XSTMT_MAX, "this file's statements fit its slots");

#define NOTICE_COLUMNS                                                                            \
    "SELECT id, request_id, kind, recipient, recipient_name, language, subdivision, intent,"     \
    " release_date, generated_at, generated_by, served_at, served_by, served_to, method"         \
    " FROM notices"

static const char *const cx_sql[CX_COUNT] = {
    [CX_NOTICE_INSERT] = "INSERT INTO notices (request_id, kind, recipient, recipient_name,"
                         " language, subdivision, intent, release_date, generated_at,"
                         " generated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [CX_NOTICE_GET] = NOTICE_COLUMNS " WHERE id = ?",
    [CX_NOTICE_SERVE] = "UPDATE notices SET served_at = ?, served_by = ?, served_to = ?,"
                        " method = ? WHERE id = ? AND served_at IS NULL",
    [CX_NOTICES_OF] = NOTICE_COLUMNS " WHERE request_id = ? ORDER BY id",
    [CX_CONSENT_INSERT] = "INSERT INTO interview_consents (request_id, answer, attorney,"
                          " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
    [CX_CONSENTS_OF] = "SELECT id, request_id, answer, attorney, recorded_by, recorded_at"
                       " FROM interview_consents WHERE request_id = ? ORDER BY id",
    [CX_INTENT_INSERT] = "INSERT INTO request_intents (request_id, intent, recorded_by,"
                         " recorded_at) VALUES (?, ?, ?, ?)",
    [CX_INTENTS_OF] = "SELECT id, request_id, intent, recorded_by, recorded_at"
                      " FROM request_intents WHERE request_id = ? ORDER BY id",
    [CX_DISCLOSURE_INSERT] = "INSERT INTO release_disclosures (request_id, release_date, told_at,"
                             " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
    [CX_DISCLOSURES_OF] = "SELECT id, request_id, release_date, told_at, recorded_by,"
                          " recorded_at FROM release_disclosures WHERE request_id = ?"
                          " ORDER BY id",
    [CX_INTERVIEW_INSERT] = "INSERT INTO interviews (request_id, status, at, consent_id,"
                            " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
    [CX_INTERVIEWS_OF] = "SELECT id, request_id, status, at, consent_id, recorded_by,"
                         " recorded_at FROM interviews WHERE request_id = ? ORDER BY id",
    [CX_WARRANT_INSERT] = "INSERT INTO request_warrants (request_id, court, judge, recorded_by,"
                          " recorded_at) VALUES (?, ?, ?, ?, ?)",
    [CX_WARRANTS_OF] = "SELECT id, request_id, court, judge, recorded_by, recorded_at"
                       " FROM request_warrants WHERE request_id = ? ORDER BY id",
    /* ?1: in custody only; ?2: limit. The request's columns (SQ_REQUEST_COLS, its outcome in
     * force from the view request_outcome; no decision JSON), then the newest decision's
     * ruleset. */
    [CX_QUEUE] =
        "SELECT " SQ_REQUEST_COLS("NULL") ", d.ruleset,"
        " b.booking_no, b.status, b.scheduled_release, p.id, p.name"
        " FROM immigration_requests r JOIN request_outcome ro ON ro.request_id = r.id"
        " JOIN bookings b ON b.id = r.booking_id"
        " JOIN people p ON p.id = b.person_id"
        " LEFT JOIN decisions d ON d.id = ro.decision_id"
        " WHERE (?1 = 0 OR b.status = 'in_custody')"
        " ORDER BY b.scheduled_release IS NULL, b.scheduled_release, r.received_at DESC, r.id DESC"
        " LIMIT ?2",
    /* Every entity about request ?1 (index audit_log_entity, migration 5). */
    [CX_REQUEST_AUDIT] =
        "SELECT seq, at, actor, action, entity, payload, hash FROM audit_log WHERE entity IN ("
        " SELECT 'request/' || ?1"
        " UNION ALL SELECT 'decision/' || id FROM decisions WHERE request_id = ?1"
        " UNION ALL SELECT 'override/' || id FROM overrides WHERE request_id = ?1"
        " UNION ALL SELECT 'notice/' || id FROM notices WHERE request_id = ?1"
        " UNION ALL SELECT 'consent/' || id FROM interview_consents WHERE request_id = ?1"
        " UNION ALL SELECT 'intent/' || id FROM request_intents WHERE request_id = ?1"
        " UNION ALL SELECT 'disclosure/' || id FROM release_disclosures WHERE request_id = ?1"
        " UNION ALL SELECT 'interview/' || id FROM interviews WHERE request_id = ?1"
        " UNION ALL SELECT 'warrant/' || id FROM request_warrants WHERE request_id = ?1"
        " UNION ALL SELECT 'action/' || id FROM request_actions WHERE request_id = ?1)"
        " ORDER BY seq LIMIT 1000",
    [CX_PERSON_BOOKINGS] = "SELECT booking_no FROM bookings WHERE person_id = ?"
                           " ORDER BY booked_at DESC, id DESC",
};

static sqlite3_stmt *cx(struct store_sqlite *s, enum cx_id id)
{
    return sq_xstmt(s, SQ_X_NOTICE + (int)id, cx_sql[id]);
}

/* A console record's write with its audit entry (sq_add_audited), by its INSERT's slot. */
static int record_add(struct hc_store *st, enum cx_id slot, const struct sf_record *rd,
                      const void *rec, const char *actor, const char *action, const char *what,
                      int64_t *out_id)
{
    return sq_add_audited(st, SQ_X_NOTICE + (int)slot, cx_sql[slot], rd, rec, actor, action,
                          what, out_id);
}

/* The fields every record of a request's course starts with (its row id, read back only, and
 * the request) and ends with (who recorded it, required, and when: the time of the write). */
#define REQUEST_ROW_HEAD(T)                                                                        \
    SF_FIELD(T, id, SF_I64, SF_COL), SF_FIELD(T, request_id, SF_I64, SF_AUDITED)
#define REQUEST_ROW_TAIL(T)                                                                        \
    SF_FIELD(T, recorded_by, SF_STR, SF_STORED | SF_REQ),                                        \
        SF_FIELD(T, recorded_at, SF_STR, SF_AUDITED | SF_AT)

/* ------------------------------------------------------------------------------------------ */
/* Notices                                                                                    */

/* Columns of NOTICE_COLUMNS; parameters of CX_NOTICE_INSERT. */
static const struct sf_field notice_fields[] = {
    SF_FIELD(struct store_notice, id, SF_I64, SF_COL),
    SF_FIELD(struct store_notice, request_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_notice, kind, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, recipient, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, recipient_name, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, language, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, subdivision, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, intent, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, release_date, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_notice, generated_at, SF_STR, SF_AUDITED | SF_AT),
    SF_FIELD(struct store_notice, generated_by, SF_STR, SF_STORED | SF_REQ),
    SF_FIELD(struct store_notice, served_at, SF_STR, SF_COL),
    SF_FIELD(struct store_notice, served_by, SF_STR, SF_COL),
    SF_FIELD(struct store_notice, served_to, SF_STR, SF_COL),
    SF_FIELD(struct store_notice, method, SF_STR, SF_COL),
};
static const struct sf_record notice_rec = SF_RECORD(struct store_notice, notice_fields);

static int sq_notice_add(struct hc_store *st, const struct store_notice *n, int64_t *notice_id)
{
    return record_add(st, CX_NOTICE_INSERT, &notice_rec, n, n->generated_by, "notice.generate",
                      "notice", notice_id);
}

static int sq_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                         struct store_notice *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = cx(s, CX_NOTICE_GET);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, notice_id);
    return sq_read_rec(s, q, a, &notice_rec, out);
}

static int sq_notice_serve(struct hc_store *st, int64_t notice_id,
                           const struct store_notice_service *sv, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    struct store_notice cur;
    char at[HC_CLOCK_UTC_LEN], entity[48], mem[4096];
    struct hc_arena a;
    json_t *pl;
    int rc;

    if (sv->served_by == NULL)
        return HC_EINVAL;
    hc_arena_init(&a, mem, sizeof mem);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    rc = sq_notice_get(st, notice_id, &a, &cur);
    if (rc == HC_ENOENT)
        hc_diag_set(d, "id", "no such notice", NULL);
    if (rc != HC_OK)
        goto out;
    if (cur.served_at != NULL) {
        rc = STORE_ECONFLICT;
        hc_diag_set(d, "id", "this notice was already served at ", cur.served_at);
        goto out;
    }
    if (sv->served_at != NULL) {
        snprintf(at, sizeof at, "%s", sv->served_at);
    } else {
        sq_now_utc(at);
    }
    if ((q = cx(s, CX_NOTICE_SERVE)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, at);
    sq_bind_str(q, 2, sv->served_by);
    sq_bind_str(q, 3, sv->served_to);
    sq_bind_str(q, 4, sv->method);
    sqlite3_bind_int64(q, 5, notice_id);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    if (sqlite3_changes(s->db) != 1) {
        rc = STORE_ECONFLICT;
        hc_diag_set(d, "id", "this notice was already served", NULL);
        goto out;
    }
    pl = json_object();
    json_object_set_new(pl, "id", json_integer(notice_id));
    json_object_set_new(pl, "request_id", json_integer(cur.request_id));
    sq_jset_str(pl, "kind", cur.kind);
    sq_jset_str(pl, "recipient", cur.recipient);
    sq_jset_str(pl, "language", cur.language);
    sq_jset_str(pl, "served_at", at);
    sq_jset_str(pl, "served_to", sv->served_to);
    sq_jset_str(pl, "method", sv->method);
    snprintf(entity, sizeof entity, "notice/%" PRId64, notice_id);
    rc = sq_audit_write(s, sv->served_by, "notice.serve", entity, pl);
    json_decref(pl);
out:
    return sq_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Consent, intent, release dates, interviews                                                 */

static const struct sf_field consent_fields[] = {
    REQUEST_ROW_HEAD(struct store_consent),
    SF_FIELD(struct store_consent, answer, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_consent, attorney, SF_STR, SF_AUDITED),
    REQUEST_ROW_TAIL(struct store_consent),
};
static const struct sf_record consent_rec = SF_RECORD(struct store_consent, consent_fields);

static int sq_consent_add(struct hc_store *st, const struct store_consent *c, int64_t *consent_id)
{
    return record_add(st, CX_CONSENT_INSERT, &consent_rec, c, c->recorded_by, "consent.record",
                      "consent", consent_id);
}

static const struct sf_field intent_fields[] = {
    REQUEST_ROW_HEAD(struct store_intent),
    SF_FIELD(struct store_intent, intent, SF_STR, SF_AUDITED),
    REQUEST_ROW_TAIL(struct store_intent),
};
static const struct sf_record intent_rec = SF_RECORD(struct store_intent, intent_fields);

static int sq_intent_add(struct hc_store *st, const struct store_intent *in, int64_t *intent_id)
{
    return record_add(st, CX_INTENT_INSERT, &intent_rec, in, in->recorded_by, "intent.record",
                      "intent", intent_id);
}

static const struct sf_field disclosure_fields[] = {
    REQUEST_ROW_HEAD(struct store_disclosure),
    SF_FIELD(struct store_disclosure, release_date, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_disclosure, told_at, SF_STR, SF_AUDITED | SF_REQ),
    REQUEST_ROW_TAIL(struct store_disclosure),
};
static const struct sf_record disclosure_rec = SF_RECORD(struct store_disclosure,
                                                         disclosure_fields);

static int sq_disclosure_add(struct hc_store *st, const struct store_disclosure *dc,
                             int64_t *disclosure_id)
{
    return record_add(st, CX_DISCLOSURE_INSERT, &disclosure_rec, dc, dc->recorded_by,
                      "release.disclose", "disclosure", disclosure_id);
}

static const struct sf_field interview_fields[] = {
    REQUEST_ROW_HEAD(struct store_interview),
    SF_FIELD(struct store_interview, status, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_interview, at, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_interview, consent_id, SF_REF, SF_AUDITED),
    REQUEST_ROW_TAIL(struct store_interview),
};
static const struct sf_record interview_rec = SF_RECORD(struct store_interview, interview_fields);

static int sq_interview_add(struct hc_store *st, const struct store_interview *iv,
                            int64_t *interview_id)
{
    return record_add(st, CX_INTERVIEW_INSERT, &interview_rec, iv, iv->recorded_by,
                      "interview.record", "interview", interview_id);
}

static const struct sf_field warrant_fields[] = {
    REQUEST_ROW_HEAD(struct store_warrant),
    SF_FIELD(struct store_warrant, court, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_warrant, judge, SF_STR, SF_AUDITED | SF_REQ),
    REQUEST_ROW_TAIL(struct store_warrant),
};
static const struct sf_record warrant_rec = SF_RECORD(struct store_warrant, warrant_fields);

static int sq_warrant_add(struct hc_store *st, const struct store_warrant *w, int64_t *warrant_id)
{
    return record_add(st, CX_WARRANT_INSERT, &warrant_rec, w, w->recorded_by, "warrant.record",
                      "warrant", warrant_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading: one request's records, the queue, the audit trail, a person's bookings            */

/* Read the rows of statement id for request_id into *out / *n. */
static int read_of(struct store_sqlite *s, enum cx_id id, int64_t request_id, struct hc_arena *a,
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
    if ((rc = read_of(s, CX_NOTICES_OF, request_id, a, &notice_rec, &p[0], &r.nnotices)) !=
            HC_OK ||
        (rc = read_of(s, CX_CONSENTS_OF, request_id, a, &consent_rec, &p[1], &r.nconsents)) !=
            HC_OK ||
        (rc = read_of(s, CX_INTENTS_OF, request_id, a, &intent_rec, &p[2], &r.nintents)) !=
            HC_OK ||
        (rc = read_of(s, CX_DISCLOSURES_OF, request_id, a, &disclosure_rec, &p[3],
                      &r.ndisclosures)) != HC_OK ||
        (rc = read_of(s, CX_INTERVIEWS_OF, request_id, a, &interview_rec, &p[4],
                      &r.ninterviews)) != HC_OK ||
        (rc = read_of(s, CX_WARRANTS_OF, request_id, a, &warrant_rec, &p[5], &r.nwarrants)) !=
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
    sqlite3_stmt *q = cx(s, CX_QUEUE);
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
    int rc = read_of(sq(st), CX_REQUEST_AUDIT, request_id, a, &sq_audit_entry_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

/* A row of CX_PERSON_BOOKINGS: one string. */
static const struct sf_field booking_no_field[] = {{"booking_no", 0, SF_STR, SF_COL}};
static const struct sf_record booking_no_rec = {booking_no_field, 1, sizeof(const char *)};

static int sq_person_bookings(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                              const char ***booking_nos, size_t *n)
{
    struct store_sqlite *s = sq(st);
    void *rows = NULL;
    int rc;

    if ((rc = sq_person_exists(s, person_id)) != HC_OK)
        return rc;
    rc = read_of(s, CX_PERSON_BOOKINGS, person_id, a, &booking_no_rec, &rows, n);
    if (rc == HC_OK)
        *booking_nos = rows;
    return rc;
}

const struct store_console_ops sq_console_ops = {
    STORE_CONSOLE_OPS(SQ_OP)
};

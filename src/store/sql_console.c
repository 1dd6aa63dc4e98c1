/* SPDX-License-Identifier: MIT
 * sql_console.c: the staff console's statements and field descriptors (sql.h), run by
 * sqlite_console.c and pg_console.c: one text and one descriptor a record, so that the columns,
 * the audit payloads and the queue's order cannot drift apart between the backends. On
 * PostgreSQL, row-level security narrows each statement to the connection's agency. */
#include "sql.h"

#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "clock.h"
#include "err.h"

/* The fields every record of a request's course starts with (its row id, read back only, and
 * the request) and ends with (who recorded it, required, and when: the time of the write). */
#define REQUEST_ROW_HEAD(T)                                                                        \
    SF_FIELD(T, id, SF_I64, SF_COL), SF_FIELD(T, request_id, SF_I64, SF_AUDITED)
#define REQUEST_ROW_TAIL(T)                                                                        \
    SF_FIELD(T, recorded_by, SF_STR, SF_STORED | SF_REQ),                                        \
        SF_FIELD(T, recorded_at, SF_STR, SF_AUDITED | SF_AT)

/* Columns of NOTICE_COLUMNS; parameters of SCX_NOTICE_INSERT. */
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
const struct sf_record sql_notice_rec = SF_RECORD(struct store_notice, notice_fields);

static const struct sf_field consent_fields[] = {
    REQUEST_ROW_HEAD(struct store_consent),
    SF_FIELD(struct store_consent, answer, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_consent, attorney, SF_STR, SF_AUDITED),
    REQUEST_ROW_TAIL(struct store_consent),
};
const struct sf_record sql_consent_rec = SF_RECORD(struct store_consent, consent_fields);

static const struct sf_field intent_fields[] = {
    REQUEST_ROW_HEAD(struct store_intent),
    SF_FIELD(struct store_intent, intent, SF_STR, SF_AUDITED),
    REQUEST_ROW_TAIL(struct store_intent),
};
const struct sf_record sql_intent_rec = SF_RECORD(struct store_intent, intent_fields);

static const struct sf_field disclosure_fields[] = {
    REQUEST_ROW_HEAD(struct store_disclosure),
    SF_FIELD(struct store_disclosure, release_date, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_disclosure, told_at, SF_STR, SF_AUDITED | SF_REQ),
    REQUEST_ROW_TAIL(struct store_disclosure),
};
const struct sf_record sql_disclosure_rec = SF_RECORD(struct store_disclosure, disclosure_fields);

static const struct sf_field interview_fields[] = {
    REQUEST_ROW_HEAD(struct store_interview),
    SF_FIELD(struct store_interview, status, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_interview, at, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_interview, consent_id, SF_REF, SF_AUDITED),
    REQUEST_ROW_TAIL(struct store_interview),
};
const struct sf_record sql_interview_rec = SF_RECORD(struct store_interview, interview_fields);

static const struct sf_field warrant_fields[] = {
    REQUEST_ROW_HEAD(struct store_warrant),
    SF_FIELD(struct store_warrant, court, SF_STR, SF_AUDITED | SF_REQ),
    SF_FIELD(struct store_warrant, judge, SF_STR, SF_AUDITED | SF_REQ),
    REQUEST_ROW_TAIL(struct store_warrant),
};
const struct sf_record sql_warrant_rec = SF_RECORD(struct store_warrant, warrant_fields);

static const struct sf_field audit_entry_fields[] = {
    SF_FIELD(struct store_audit_entry, seq, SF_I64, SF_COL),
    SF_FIELD(struct store_audit_entry, at, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, actor, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, action, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, entity, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, payload, SF_STR, SF_COL),
    SF_FIELD(struct store_audit_entry, hash, SF_STR, SF_COL),
};
const struct sf_record sql_audit_entry_rec = SF_RECORD(struct store_audit_entry,
                                                       audit_entry_fields);

static const struct sf_field booking_no_field[] = {{"booking_no", 0, SF_STR, SF_COL}};
const struct sf_record sql_booking_no_rec = {booking_no_field, 1, sizeof(const char *)};

#define NOTICE_COLUMNS                                                                            \
    "SELECT id, request_id, kind, recipient, recipient_name, language, subdivision, intent,"     \
    " release_date, generated_at, generated_by, served_at, served_by, served_to, method"         \
    " FROM notices"

/* The rows of a request's course of table t, by the descriptor whose columns are cols. */
#define ROWS_OF(cols, t) "SELECT " cols " FROM " t " WHERE request_id = $1 ORDER BY id"

const char *const sql_console[SCX_COUNT] = {
    [SCX_NOTICE_INSERT] = "INSERT INTO notices (request_id, kind, recipient, recipient_name,"
                          " language, subdivision, intent, release_date, generated_at,"
                          " generated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                          " RETURNING id",
    [SCX_NOTICE_GET] = NOTICE_COLUMNS " WHERE id = $1",
    [SCX_NOTICE_SERVE] = "UPDATE notices SET served_at = $1, served_by = $2, served_to = $3,"
                         " method = $4 WHERE id = $5 AND served_at IS NULL",
    [SCX_NOTICES_OF] = NOTICE_COLUMNS " WHERE request_id = $1 ORDER BY id",
    [SCX_CONSENT_INSERT] = "INSERT INTO interview_consents (request_id, answer, attorney,"
                           " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [SCX_CONSENTS_OF] = ROWS_OF("id, request_id, answer, attorney, recorded_by, recorded_at",
                                "interview_consents"),
    [SCX_INTENT_INSERT] = "INSERT INTO request_intents (request_id, intent, recorded_by,"
                          " recorded_at) VALUES ($1, $2, $3, $4) RETURNING id",
    [SCX_INTENTS_OF] = ROWS_OF("id, request_id, intent, recorded_by, recorded_at",
                               "request_intents"),
    [SCX_DISCLOSURE_INSERT] = "INSERT INTO release_disclosures (request_id, release_date,"
                              " told_at, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)"
                              " RETURNING id",
    [SCX_DISCLOSURES_OF] = ROWS_OF("id, request_id, release_date, told_at, recorded_by,"
                                   " recorded_at", "release_disclosures"),
    [SCX_INTERVIEW_INSERT] = "INSERT INTO interviews (request_id, status, at, consent_id,"
                             " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)"
                             " RETURNING id",
    [SCX_INTERVIEWS_OF] = ROWS_OF("id, request_id, status, at, consent_id, recorded_by,"
                                  " recorded_at", "interviews"),
    [SCX_WARRANT_INSERT] = "INSERT INTO request_warrants (request_id, court, judge, recorded_by,"
                           " recorded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [SCX_WARRANTS_OF] = ROWS_OF("id, request_id, court, judge, recorded_by, recorded_at",
                                "request_warrants"),
    /* Scheduled releases first, soonest first (false sorts before true in both). */
    [SCX_QUEUE] =
        "SELECT " SQL_REQUEST_COLS("NULL") ", d.ruleset,"
        " b.booking_no, b.status, b.scheduled_release, p.id, p.name"
        " FROM immigration_requests r JOIN request_outcome ro ON ro.request_id = r.id"
        " JOIN bookings b ON b.id = r.booking_id"
        " JOIN people p ON p.id = b.person_id"
        " LEFT JOIN decisions d ON d.id = ro.decision_id"
        " WHERE ($1 = 0 OR b.status = 'in_custody')"
        " ORDER BY b.scheduled_release IS NULL, b.scheduled_release, r.received_at DESC, r.id DESC"
        " LIMIT $2",
    /* Every entity about request $1 (the index audit_log_entity). $1 is cast where it is
     * compared and where it is joined to text alike, so that PostgreSQL gives it one type. */
    [SCX_REQUEST_AUDIT] =
        "SELECT seq, at, actor, action, entity, payload, hash FROM audit_log WHERE entity IN ("
        " SELECT 'request/' || CAST($1 AS bigint)"
        " UNION ALL SELECT 'decision/' || id FROM decisions WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'override/' || id FROM overrides WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'notice/' || id FROM notices WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'consent/' || id FROM interview_consents"
        "   WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'intent/' || id FROM request_intents"
        "   WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'disclosure/' || id FROM release_disclosures"
        "   WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'interview/' || id FROM interviews WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'warrant/' || id FROM request_warrants"
        "   WHERE request_id = CAST($1 AS bigint)"
        " UNION ALL SELECT 'action/' || id FROM request_actions"
        "   WHERE request_id = CAST($1 AS bigint))"
        " ORDER BY seq LIMIT 1000",
    [SCX_PERSON_BOOKINGS] = "SELECT booking_no FROM bookings WHERE person_id = $1"
                            " ORDER BY booked_at DESC, id DESC",
};

#define CONSOLE_WRITE(insert, rd, action, what, T, actor)                                      \
    {(insert), (rd), (action), (what), offsetof(T, actor)}

const struct sql_console_write sql_console_writes[SCK_COUNT] = {
    [SCK_NOTICE] = CONSOLE_WRITE(SCX_NOTICE_INSERT, &sql_notice_rec, "notice.generate", "notice",
                                 struct store_notice, generated_by),
    [SCK_CONSENT] = CONSOLE_WRITE(SCX_CONSENT_INSERT, &sql_consent_rec, "consent.record",
                                  "consent", struct store_consent, recorded_by),
    [SCK_INTENT] = CONSOLE_WRITE(SCX_INTENT_INSERT, &sql_intent_rec, "intent.record", "intent",
                                 struct store_intent, recorded_by),
    [SCK_DISCLOSURE] = CONSOLE_WRITE(SCX_DISCLOSURE_INSERT, &sql_disclosure_rec,
                                     "release.disclose", "disclosure", struct store_disclosure,
                                     recorded_by),
    [SCK_INTERVIEW] = CONSOLE_WRITE(SCX_INTERVIEW_INSERT, &sql_interview_rec, "interview.record",
                                    "interview", struct store_interview, recorded_by),
    [SCK_WARRANT] = CONSOLE_WRITE(SCX_WARRANT_INSERT, &sql_warrant_rec, "warrant.record",
                                  "warrant", struct store_warrant, recorded_by),
};

int sql_notice_serve_entry(int64_t changed, int64_t id, const struct store_notice *cur,
                           const char *at, const struct store_notice_service *sv, char *entity,
                           size_t entlen, json_t **pl, struct hc_diag *d)
{
    const char *const keys[] = {"kind", "recipient", "language", "served_at", "served_to",
                                "method"};
    const char *const vals[] = {cur->kind, cur->recipient, cur->language, at, sv->served_to,
                                sv->method};
    size_t i;

    if (changed != 1) {
        hc_diag_set(d, "id", "this notice was already served", NULL);
        return STORE_ECONFLICT;
    }
    if ((*pl = json_object()) == NULL)
        return HC_ENOMEM;
    json_object_set_new(*pl, "id", json_integer(id));
    json_object_set_new(*pl, "request_id", json_integer(cur->request_id));
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set_new(*pl, keys[i], sql_text_json(vals[i]));
    snprintf(entity, entlen, "notice/%" PRId64, id);
    return HC_OK;
}

int sql_notice_serve_check(int rc, const struct store_notice *cur,
                           const struct store_notice_service *sv, char *at, size_t atlen,
                           struct hc_diag *d)
{
    if (rc == HC_ENOENT)
        hc_diag_set(d, "id", "no such notice", NULL);
    if (rc != HC_OK)
        return rc;
    if (cur->served_at != NULL) {
        hc_diag_set(d, "id", "this notice was already served at ", cur->served_at);
        return STORE_ECONFLICT;
    }
    if (sv->served_at != NULL) {
        snprintf(at, atlen, "%s", sv->served_at);
    } else {
        char now[HC_CLOCK_UTC_LEN];
        hc_clock_utc(hc_clock_now(), now);
        snprintf(at, atlen, "%s", now);
    }
    return HC_OK;
}

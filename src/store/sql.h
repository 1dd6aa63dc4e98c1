/* SPDX-License-Identifier: MIT
 * sql.h: the statements both backends run, one list an area, in SQL that SQLite and PostgreSQL
 * read alike: parameters are written $1, $2, ... in the order they first appear (SQLite numbers
 * a named parameter by its first appearance, so $n is parameter n in both), inserts end
 * RETURNING id, and times and flags are the text and 0/1 integers of both schemas. One text for
 * both keeps the backends in step; only what a backend does differently (SQLite's bulk import,
 * PostgreSQL's COPY) stays in its own files. For the backends' files only (src/store). */
#ifndef HC_STORE_SQL_H
#define HC_STORE_SQL_H

#include <stddef.h>
#include <stdint.h>

/* Users, API tokens and web sessions (sql_users.c). The columns of a user are sf_user_rec's. */
enum sql_users {
    SU_USER_INSERT, SU_USER_BY_NAME, SU_USER_ALL, SU_USER_DISABLE, SU_TOKEN_INSERT, SU_TOKEN_USER,
    SU_TOKEN_TOUCH, SU_SESSION_INSERT, SU_SESSION_USER, SU_SESSION_DELETE, SU_USER_ID,
    SU_USER_SET_PASSWORD, SU_TOKENS_OF_USER_DELETE, SU_SESSIONS_OF_USER_DELETE, SU_COUNT
};
extern const char *const sql_users[SU_COUNT];

/* The outcome in force of every request (the view request_outcome of both schemas; the
 * comment at SQLite's migration 7 says how it is chosen). */
#define SQL_REQUEST_OUTCOME                                                                    \
    " SELECT r.id AS request_id, d.id AS decision_id,"                                         \
    " d.outcome AS engine_outcome, o.id AS override_id,"                                       \
    " coalesce(o.outcome, d.outcome) AS outcome,"                                              \
    " (SELECT count(*) FROM request_actions a WHERE a.request_id = r.id) AS actions,"          \
    " (SELECT count(*) FROM request_actions a WHERE a.request_id = r.id AND a.contrary = 1)"   \
    "   AS contrary_actions"                                                                   \
    " FROM immigration_requests r"                                                             \
    " LEFT JOIN decisions d ON d.id = (SELECT x.id FROM decisions x WHERE x.request_id = r.id" \
    "   ORDER BY x.version DESC LIMIT 1)"                                                      \
    " LEFT JOIN overrides o ON o.id = (SELECT y.id FROM overrides y WHERE y.decision_id = d.id"\
    "   ORDER BY CASE y.outcome WHEN 'prohibited' THEN 3 WHEN 'review' THEN 2"                 \
    "   WHEN 'permitted_with_conditions' THEN 1 ELSE 0 END DESC, y.id DESC LIMIT 1)"

/* The decimal text of the integer constant x, to write a C constant into a statement. */
#define SQL_TEXT(x) SQL_TEXT_(x)
#define SQL_TEXT_(x) #x

/* Which staff records changed (store_changes): the booking numbers of the marks after $1, oldest
 * first, at most $2 of them; and the newest mark. */
#define SQL_CHANGES_SINCE                                                                      \
    "SELECT b.booking_no, c.seq FROM record_marks c JOIN bookings b ON b.id = c.booking_id"    \
    " WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
#define SQL_CHANGES_LAST "SELECT coalesce(max(seq), 0) FROM record_marks"

/* ------------------------------------------------------------------------------------------ */
/* People, bookings and the court record (store_records.h). The records' field descriptors are
 * in sql_records.c; the statements are macros, so that each backend keeps them in its own table
 * of prepared statements beside the ones only it runs (SQLite's row INSERTs, which its bulk
 * import repeats into multi-row INSERTs; PostgreSQL's agency settings upsert). */

#include "fields.h"
#include "rows_records.h"

/* people: id (read back), then name, date_of_birth, local_id, registrant_290 (the parameters of
 * the person INSERT, before created_at and name_key). */
extern const struct sf_record sql_person_rec;
/* bookings: id (read back), then the INSERT's parameters booking_no ... release_reason. */
extern const struct sf_record sql_booking_rec;
/* convictions and charges: the INSERT's parameters after the parent's id, then id (read back). */
extern const struct sf_record sql_conviction_rec, sql_charge_rec;
/* agency_settings: release_dates_public, personal_info_public, policy_json. */
extern const struct sf_record sql_agency_rec;

/* The booking numbered $1 and its person (the foreign key guarantees the person), then whether
 * the person has convictions and the booking requests (1 or 0: one index probe each, which
 * spares the statements that would return nothing). */
#define SQL_BOOKING_BY_NO                                                                      \
    "SELECT b.id, b.booking_no, b.person_id, b.booked_at, b.facility, b.status,"               \
    " b.scheduled_release, b.released_at, b.release_reason,"                                   \
    " p.id, p.name, p.date_of_birth, p.local_id, p.registrant_290,"                            \
    " CASE WHEN EXISTS (SELECT 1 FROM convictions WHERE person_id = p.id) THEN 1 ELSE 0 END,"  \
    " CASE WHEN EXISTS (SELECT 1 FROM immigration_requests WHERE booking_id = b.id)"           \
    "   THEN 1 ELSE 0 END"                                                                     \
    " FROM bookings b JOIN people p ON p.id = b.person_id WHERE b.booking_no = $1"
/* The convictions of person $1 and the charges of booking $1, by sql_conviction_rec and
 * sql_charge_rec, oldest first. */
#define SQL_CONV_BY_PERSON                                                                     \
    "SELECT citation, level, date, court, prop47_reduced, federal_aggravated_felony,"          \
    " jurisdiction, id FROM convictions WHERE person_id = $1 ORDER BY id"
#define SQL_CHARGES_BY_BOOKING                                                                 \
    "SELECT citation, level, status, magistrate_probable_cause, id FROM charges"               \
    " WHERE booking_id = $1 ORDER BY id"
#define SQL_BOOKING_COUNT "SELECT count(*) FROM bookings"
/* The agency's settings by sql_agency_rec; an agency that never set them has the defaults of
 * SQLite's first migration (nothing public, no policy). */
#define SQL_AGENCY_GET                                                                         \
    "SELECT coalesce(s.release_dates_public, 0), coalesce(s.personal_info_public, 0),"         \
    " coalesce(s.policy_json, '{}') FROM (SELECT 1 AS one) AS o"                               \
    " LEFT JOIN agency_settings s ON s.id = 1"
#define SQL_BOOKING_ID "SELECT id FROM bookings WHERE booking_no = $1"
#define SQL_PERSON_ID "SELECT id FROM people WHERE id = $1"
/* The rows a booking is made of, in the order of SQLite's enum sq_insert. */
enum sql_row { SQL_ROW_PERSON, SQL_ROW_CONVICTION, SQL_ROW_BOOKING, SQL_ROW_CHARGE };
/* A backend's insert of one row of kind k, in the caller's transaction: row is a struct
 * store_person (created now, with its search key), store_conviction (of person parent_id),
 * store_booking (of its person_id) or store_charge (of booking parent_id); *id (OUT) its id.
 * Returns HC_OK or the store error the database's refusal maps to (STORE_ECONFLICT a duplicate,
 * HC_ENOENT a missing row it refers to, HC_EINVAL another refused value). */
typedef int (*sql_insert_fn)(void *backend, enum sql_row k, int64_t parent_id, const void *row,
                             int64_t *id);
/* What a refused write says in d, by rc: STORE_ECONFLICT (dup_field, dup_msg), HC_ENOENT
 * (ref_field, ref_msg), HC_EINVAL (bad_field, bad_msg); a NULL message says nothing. Returns
 * rc. */
struct sql_refusal {
    const char *dup_field, *dup_msg, *ref_field, *ref_msg, *bad_field, *bad_msg;
};
int sql_refused(int rc, const struct sql_refusal *r, struct hc_diag *d);
/* Write booking b by insert (store_booking_add's rows: a new person and their convictions when
 * b->booking.person_id is 0, the booking, its charges) in the caller's transaction. pl (a JSON
 * object) gets the audit payload's members "person" and "convictions" (a new person),
 * "booking" and "charges", each row with its new "id"; *id (OUT) the booking's id. A refused
 * row is named in d as store_booking_add says. */
int sql_booking_write(sql_insert_fn insert, void *backend, const struct store_booking_new *b,
                      json_t *pl, int64_t *id, struct hc_diag *d);
/* Insert a charge (of booking parent_id) or a conviction (of person parent_id) by insert in the
 * caller's transaction: *id (OUT) its id, and pl gets it as member key ({"id", then its
 * audited fields}). A value the schema refuses is reported in d with refusal. */
int sql_court_row_add(sql_insert_fn insert, void *backend, enum sql_row k, int64_t parent_id,
                      const void *row, const char *key, const char *refusal, json_t *pl,
                      int64_t *id, struct hc_diag *d);

/* The changeable columns of a charge and of a conviction (SQL_CHARGE_GET and SQL_CONV_GET read
 * them, SQL_CHARGE_SET and SQL_CONV_SET write them); prop47_reduced -1 is NULL. */
struct sql_charge_cols {
    const char *level, *status;
    int magistrate_probable_cause;
};
struct sql_conviction_cols {
    const char *level;
    int prop47_reduced;
    const char *federal_aggravated_felony;
};
/* Apply patch p to a charge's columns old into *next, and return the audit payload of the
 * change: booking_no, charge_id, citation and "changes", each changed column as {"from", "to"}
 * (empty when p changes nothing). NULL when memory ran out. The caller releases it. */
json_t *sql_charge_change(const char *booking_no, int64_t charge_id, const char *citation,
                          const struct sql_charge_cols *old, const struct store_charge_patch *p,
                          struct sql_charge_cols *next);
/* The same for a conviction of person person_id. */
json_t *sql_conviction_change(int64_t person_id, int64_t conviction_id, const char *citation,
                              const struct sql_conviction_cols *old,
                              const struct store_conviction_patch *p,
                              struct sql_conviction_cols *next);
/* The audit payload of decision dec before it is written: its case and decision as JSON
 * values, so the chain alone shows what was decided and why, and the fields of
 * sql_decision_new_rec. HC_EINVAL when either is not JSON; HC_ENOMEM. *out (OUT) on HC_OK. */
int sql_decision_payload(const struct store_decision *dec, json_t **out);
/* v as a JSON value: a string, or null for NULL (a new reference). */
json_t *sql_text_json(const char *v);

/* A booking's changeable columns (store_booking_state), by number; and written by id ($8). */
#define SQL_BOOKING_STATE_GET                                                                  \
    "SELECT id, booking_no, facility, status, scheduled_release, released_at, release_reason," \
    " bail, next_court_date FROM bookings WHERE booking_no = $1"
#define SQL_BOOKING_STATE_SET                                                                  \
    "UPDATE bookings SET facility = $1, status = $2, scheduled_release = $3,"                  \
    " released_at = $4, release_reason = $5, bail = $6, next_court_date = $7 WHERE id = $8"
/* The court record after booking: a charge with its booking's number, and a conviction with
 * its person, read before a change and written by id. */
#define SQL_CHARGE_GET                                                                         \
    "SELECT c.citation, c.level, c.status, c.magistrate_probable_cause, b.booking_no"          \
    " FROM charges c JOIN bookings b ON b.id = c.booking_id WHERE c.id = $1"
#define SQL_CHARGE_SET                                                                         \
    "UPDATE charges SET level = $1, status = $2, magistrate_probable_cause = $3 WHERE id = $4"
#define SQL_CONV_GET                                                                           \
    "SELECT citation, level, prop47_reduced, federal_aggravated_felony, person_id"             \
    " FROM convictions WHERE id = $1"
#define SQL_CONV_SET                                                                           \
    "UPDATE convictions SET level = $1, prop47_reduced = $2, federal_aggravated_felony = $3"   \
    " WHERE id = $4"

/* ------------------------------------------------------------------------------------------ */
/* Immigration requests, decisions, overrides and actions (store_requests.h). Descriptors in
 * sql_records.c; every read of a request takes its outcome from the view request_outcome. */

/* immigration_requests r joined with request_outcome ro: id, the INSERT's parameters (type ...
 * federal_felony_warrant), then what is read back (outcome ... ncontrary). */
extern const struct sf_record sql_request_rec;
/* decisions: the INSERT's parameters but the last (decided_at), and the audit payload's. */
extern const struct sf_record sql_decision_new_rec;
/* decisions as read back (store_decision_row). */
extern const struct sf_record sql_decision_rec;
/* overrides: id (read back), then the INSERT's parameters. */
extern const struct sf_record sql_override_rec;
/* request_actions: id (read back), then the INSERT's parameters (recorded_at the write's time). */
extern const struct sf_record sql_action_rec;

/* The requests area's statements (sql_records.c: the texts below, in this order). */
enum sql_requests {
    SRQ_BY_BOOKING, SRQ_INSERT, SRQ_DEC_INSERT, SRQ_BY_ID, SRQ_DEC_BY_REQ, SRQ_OVR_BY_REQ,
    SRQ_OVR_INSERT, SRQ_LIST, SRQ_DEC_CHECK, SRQ_ACT_INSERT, SRQ_ACT_LIST, SRQ_OUTCOME_COUNTS,
    SRQ_DECIDED_LIST, SRQ_COUNT
};
extern const char *const sql_requests[SRQ_COUNT];

/* The columns of sql_request_rec; dj is the decision JSON's column (d: the newest decision). */
#define SQL_REQUEST_COLS(dj)                                                                   \
    "r.id, r.type, r.form, r.received_at, r.issuing_office, r.judicial_warrant,"               \
    " r.judicial_probable_cause, r.federal_felony_warrant, ro.outcome, " dj ","                 \
    " ro.engine_outcome, ro.override_id, ro.actions, ro.contrary_actions"
/* The requests of booking $1, oldest first, each with its newest decision's JSON. */
#define SQL_REQ_BY_BOOKING                                                                     \
    "SELECT " SQL_REQUEST_COLS("d.decision_json") " FROM immigration_requests r"               \
    " JOIN request_outcome ro ON ro.request_id = r.id"                                         \
    " LEFT JOIN decisions d ON d.id = ro.decision_id WHERE r.booking_id = $1 ORDER BY r.id"
/* Request $1 and its booking's number. */
#define SQL_REQ_BY_ID                                                                          \
    "SELECT " SQL_REQUEST_COLS("d.decision_json") ", b.booking_no FROM immigration_requests r" \
    " JOIN request_outcome ro ON ro.request_id = r.id JOIN bookings b ON b.id = r.booking_id"  \
    " LEFT JOIN decisions d ON d.id = ro.decision_id WHERE r.id = $1"
/* Inserts, each returning the new row's id: a request of booking $1; a decision, numbered the
 * request's next version; an override; an action. */
#define SQL_REQ_INSERT                                                                         \
    "INSERT INTO immigration_requests (booking_id, type, form, received_at, issuing_office,"   \
    " judicial_warrant, judicial_probable_cause, federal_felony_warrant)"                      \
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
#define SQL_DEC_INSERT                                                                         \
    "INSERT INTO decisions (request_id, version, outcome, ruleset, case_json, decision_json,"  \
    " decided_by, catalog_version, settings_json, engine_version, decided_at) VALUES ($1,"     \
    " (SELECT coalesce(max(version), 0) + 1 FROM decisions WHERE request_id = $1),"            \
    " $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, version"
#define SQL_OVR_INSERT                                                                         \
    "INSERT INTO overrides (request_id, decision_id, outcome, reason, created_at, created_by)" \
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
#define SQL_ACT_INSERT                                                                         \
    "INSERT INTO request_actions (request_id, kind, at, method, acted_by, office, ice_reason," \
    " outcome_in_force, contrary, reason, recorded_by, recorded_at)"                           \
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
/* The decisions (sql_decision_rec) and the overrides (sql_override_rec) of request $1. */
#define SQL_DECISION_COLS(dj)                                                                  \
    "d.id, d.version, d.outcome, d.ruleset, d.case_json, " dj ", d.decided_at, d.decided_by,"  \
    " d.catalog_version, d.settings_json, d.engine_version"
#define SQL_DEC_BY_REQ                                                                         \
    "SELECT " SQL_DECISION_COLS("d.decision_json")                                             \
    " FROM decisions d WHERE d.request_id = $1 ORDER BY d.version"
#define SQL_OVR_BY_REQ                                                                         \
    "SELECT id, request_id, decision_id, outcome, reason, created_at, created_by"              \
    " FROM overrides WHERE request_id = $1 ORDER BY id"
/* Whether decision $1 is one of request $2's (1 or 0). */
#define SQL_DEC_CHECK "SELECT count(*) FROM decisions WHERE id = $1 AND request_id = $2"
/* Requests (sql_request_rec, then the booking's number and the numbers of decisions and
 * overrides) after id $1, by type $2, outcome in force $3, received from $4 to $5 (dates),
 * booking $6, only those with a contrary action when $7 is 1; $8 of them after skipping $9. */
#define SQL_REQ_LIST                                                                           \
    "SELECT " SQL_REQUEST_COLS("NULL") ", b.booking_no,"                                       \
    " (SELECT count(*) FROM decisions WHERE request_id = r.id),"                               \
    " (SELECT count(*) FROM overrides WHERE request_id = r.id)"                                \
    " FROM immigration_requests r JOIN request_outcome ro ON ro.request_id = r.id"             \
    " JOIN bookings b ON b.id = r.booking_id WHERE r.id > $1"                                  \
    " AND (CAST($2 AS text) IS NULL OR r.type = $2)"                                           \
    " AND (CAST($3 AS text) IS NULL OR ro.outcome = $3)"                                       \
    " AND (CAST($4 AS text) IS NULL OR substr(r.received_at, 1, 10) >= $4)"                    \
    " AND (CAST($5 AS text) IS NULL OR substr(r.received_at, 1, 10) <= $5)"                    \
    " AND (CAST($6 AS text) IS NULL OR b.booking_no = $6)"                                     \
    " AND ($7 = 0 OR ro.contrary_actions > 0) ORDER BY r.id LIMIT $8 OFFSET $9"
/* Actions (sql_action_rec) after id $1, of request $2 (0: any), happened from $3 to $4
 * (dates), only contrary ones when $5 is 1; $6 of them. */
#define SQL_ACT_LIST                                                                           \
    "SELECT id, request_id, kind, at, method, acted_by, office, ice_reason, outcome_in_force," \
    " contrary, reason, recorded_by, recorded_at FROM request_actions"                         \
    " WHERE id > $1 AND ($2 = 0 OR request_id = $2)"                                           \
    " AND (CAST($3 AS text) IS NULL OR substr(at, 1, 10) >= $3)"                               \
    " AND (CAST($4 AS text) IS NULL OR substr(at, 1, 10) <= $4) AND ($5 = 0 OR contrary = 1)"  \
    " ORDER BY id LIMIT $6"
/* Requests counted by outcome in force and the engine's, and of them those with a contrary
 * action. */
/* The decided requests received from $2 to $3 (dates) after id $1, oldest first, $4 of them:
 * id, booking number, type, received_at, outcome in force, override id, then the newest
 * decision (sql_decision_rec) without its rendered text, which a replay makes anew. */
#define SQL_DECIDED_LIST                                                                       \
    "SELECT r.id, r.type, r.received_at, ro.outcome, ro.override_id, "                         \
    SQL_DECISION_COLS("NULL") " FROM immigration_requests r"                                    \
    " JOIN request_outcome ro ON ro.request_id = r.id JOIN decisions d ON d.id = ro.decision_id" \
    " WHERE r.id > $1"                                                                         \
    " AND substr(r.received_at, 1, 10) >= $2 AND substr(r.received_at, 1, 10) <= $3"           \
    " ORDER BY r.id LIMIT $4"
#define SQL_OUTCOME_COUNTS                                                                     \
    "SELECT outcome, engine_outcome, count(*),"                                                \
    " sum(CASE WHEN contrary_actions > 0 THEN 1 ELSE 0 END)"                                   \
    " FROM request_outcome GROUP BY outcome, engine_outcome"

/* ------------------------------------------------------------------------------------------ */
/* The staff console (store_console.h): notices and their service, consent, intent, release
 * dates told, interviews, warrants, the queue, a request's audit trail, a person's bookings.
 * Statements and descriptors in sql_console.c, in SQL both backends read alike. */

#include "rows_audit.h"
#include "rows_console.h"

/* Each record of a request's course: id (read back), the INSERT's parameters in descriptor
 * order (recorded_at, generated_at: the time of the write), the audited ones its payload's. */
extern const struct sf_record sql_notice_rec, sql_consent_rec, sql_intent_rec,
    sql_disclosure_rec, sql_interview_rec, sql_warrant_rec;
/* An audit entry from the columns seq, at, actor, action, entity, payload, hash. */
extern const struct sf_record sql_audit_entry_rec;
/* One booking number (an element is a const char *). */
extern const struct sf_record sql_booking_no_rec;

/* The console's statements (sql_console.c), in this order. Each *_INSERT binds its record's
 * parameters and returns the new id; NOTICE_GET reads notice $1; NOTICE_SERVE writes the
 * service ($1 served_at, $2 served_by, $3 served_to, $4 method) into notice $5 unless it was
 * served; each *_OF reads the rows of request $1, oldest first; QUEUE reads sql_request_rec
 * (no decision JSON), the newest decision's ruleset, the booking's number, status and
 * scheduled release, the person's id and name, for bookings in custody only when $1 is 1, $2
 * of them; REQUEST_AUDIT the entries about request $1 (store_request_audit's); PERSON_BOOKINGS
 * the booking numbers of person $1, newest first. */
enum sql_console {
    SCX_NOTICE_INSERT, SCX_NOTICE_GET, SCX_NOTICE_SERVE, SCX_NOTICES_OF,
    SCX_CONSENT_INSERT, SCX_CONSENTS_OF, SCX_INTENT_INSERT, SCX_INTENTS_OF,
    SCX_DISCLOSURE_INSERT, SCX_DISCLOSURES_OF, SCX_INTERVIEW_INSERT, SCX_INTERVIEWS_OF,
    SCX_WARRANT_INSERT, SCX_WARRANTS_OF, SCX_QUEUE, SCX_REQUEST_AUDIT, SCX_PERSON_BOOKINGS,
    SCX_COUNT
};
extern const char *const sql_console[SCX_COUNT];

/* The console's audited records, one a kind: the INSERT that writes it, its record, the audit
 * entry's action and the entity's prefix ("consent" for "consent/12"), and the offset of the
 * record's field naming who wrote it (generated_by or recorded_by), the entry's actor. One
 * table for both backends, so that a request's audit trail reads alike on each. */
enum sql_console_kind {
    SCK_NOTICE, SCK_CONSENT, SCK_INTENT, SCK_DISCLOSURE, SCK_INTERVIEW, SCK_WARRANT, SCK_COUNT
};
struct sql_console_write {
    enum sql_console insert;
    const struct sf_record *rd;
    const char *action, *what;
    size_t actor;
};
extern const struct sql_console_write sql_console_writes[SCK_COUNT];

/* The actor of record rec of kind w. */
static inline const char *sql_console_actor(const struct sql_console_write *w, const void *rec)
{
    return *(const char *const *)(const void *)((const char *)rec + w->actor);
}

/* The checks before the service of a notice, in its transaction, the same for both backends:
 * rc is the result of reading the notice into cur; returns it as store_notice_serve reports it
 * (HC_ENOENT naming "id" in d), or STORE_ECONFLICT (naming "id") when cur was served already.
 * On HC_OK, at is the time of the service: sv->served_at, else now. */
int sql_notice_serve_check(int rc, const struct store_notice *cur,
                           const struct store_notice_service *sv, char *at, size_t atlen,
                           struct hc_diag *d);
/* After the service's UPDATE changed `changed` rows of notice id (cur: the notice as it was;
 * at: when it was served): STORE_ECONFLICT (naming "id" in d) unless it changed one, the notice
 * having been served by another writer since it was read; else HC_OK with the audit entry's
 * entity ("notice/ID", in entity) and payload in *pl (its id, request, kind, recipient and
 * language, then served_at, served_to and method; the caller releases it), or HC_ENOMEM. */
int sql_notice_serve_entry(int64_t changed, int64_t id, const struct store_notice *cur,
                           const char *at, const struct store_notice_service *sv, char *entity,
                           size_t entlen, json_t **pl, struct hc_diag *d);
/* The register of task forces (store_taskforce.h; sql_taskforce.c). */

#include "rows_taskforce.h"

/* task_forces: id (read back), then the INSERT's parameters (recorded_at the write's time). */
extern const struct sf_record sql_task_force_rec;
/* task_force_arrests: the same. */
extern const struct sf_record sql_tf_arrests_rec;
/* The columns of SQL_TF_TALLY (struct store_tf_tally). */
extern const struct sf_record sql_tf_tally_rec;
/* What a refused task force or arrests entry says in d (sql_refused). */
extern const struct sql_refusal sql_tf_refusal, sql_tf_arrests_refusal;

enum sql_taskforce { STF_INSERT, STF_ARRESTS_INSERT, STF_LIST, STF_ARRESTS_OF, STF_ARRESTS_ALL,
                     STF_COUNT };
extern const char *const sql_taskforce[STF_COUNT];

/* For each task force whose membership meets the days $1..$2, by id: the sums of its entries
 * within the days, their ids, and the count and ids of those overlapping the days without lying
 * within them (sql_tf_tally_rec). ids(x) is the backend's aggregate of the ids x.id of rows x
 * (columns id, period_from) into "2,3", in the order period_from, id: SQLite's group_concat
 * keeps the order of its ordered subquery, PostgreSQL's string_agg is given it. */
#define SQL_TF_WITHIN "e.period_from >= $1 AND e.period_to <= $2"
#define SQL_TF_STRADDLING                                                                      \
    "e.period_from <= $2 AND e.period_to >= $1 AND NOT (" SQL_TF_WITHIN ")"
#define SQL_TF_IDS(ids, cond)                                                                  \
    " (SELECT " ids " FROM (SELECT e.id, e.period_from FROM task_force_arrests e"              \
    "   WHERE e.task_force_id = t.id AND " cond " ORDER BY e.period_from, e.id) x)"
#define SQL_TF_TALLY(ids)                                                                      \
    "SELECT t.id,"                                                                             \
    " (SELECT coalesce(sum(e.arrests), 0) FROM task_force_arrests e"                           \
    "   WHERE e.task_force_id = t.id AND " SQL_TF_WITHIN "),"                                  \
    " (SELECT coalesce(sum(e.immigration_arrests), 0) FROM task_force_arrests e"               \
    "   WHERE e.task_force_id = t.id AND " SQL_TF_WITHIN "),"                                  \
    SQL_TF_IDS(ids, SQL_TF_WITHIN) ","                                                         \
    " (SELECT count(*) FROM task_force_arrests e WHERE e.task_force_id = t.id"                 \
    "   AND " SQL_TF_STRADDLING "),"                                                           \
    SQL_TF_IDS(ids, SQL_TF_STRADDLING)                                                         \
    " FROM task_forces t WHERE t.joined <= $2 AND (t.left_on IS NULL OR t.left_on >= $1)"      \
    " ORDER BY t.id"

/* ------------------------------------------------------------------------------------------ */
/* The read-access log (store_readlog.h; sql_readlog.c). Times compare as text: they are
 * always "YYYY-MM-DDTHH:MM:SSZ". */

#include <stddef.h>

#include "rows_readlog.h"

/* The log is not indexed by the record read (schema version 20 says why): read_log_seen keeps
 * which records were read in which hour ("YYYY-MM-DDTHH", the first 13 characters of at), and
 * a listing by record seeks it hour by hour and reads those hours' entries through the index
 * on at: a statement of each backend's own, since SQLite must be told the joins' order.
 * SRL_INSERT: an entry, $1..$11 at, user_id, user_name, role, method, route, kind, object,
 * query ("" stored as NULL), client, status. SRL_SEEN: that record ($2, kind $3) read in the
 * hour of $1, once. SRL_LIST: the columns of SQL_READ_COLS after id $1, each of user_name $2,
 * from $3, to $4 (excluded), kind $5, object $6 open when NULL, $7 of them by id (a listing by
 * object takes the backend's own statement, with the same parameters). SRL_PRUNE: the entries
 * before $1; SRL_PRUNE_SEEN: the hours before $1's. */
enum sql_readlog { SRL_INSERT, SRL_SEEN, SRL_LIST, SRL_PRUNE, SRL_PRUNE_SEEN, SRL_COUNT };
extern const char *const sql_readlog[SRL_COUNT];
/* The bound an hour's entries lie under: no minute reaches 60 ("YYYY-MM-DDTHH" || this), in
 * byte order and in a collation that ignores punctuation alike. */
#define SQL_READ_HOUR_END "':60'"
/* Whether e[i] names the record, kind and hour of one of the few entries just before it in
 * its batch (a record read again at once: its read_log_seen row is written already). */
int sql_read_seen_before(const struct store_read_entry *e, size_t i);
/* Whether the batch e[0..n) may be appended: HC_OK, or HC_EINVAL for n == 0 or an entry without
 * at, a user name, route, kind or client. */
int sql_read_batch_ok(const struct store_read_entry *e, size_t n);
/* Copy the text t (len bytes; NULL for SQL NULL) into dst (n >= 1 bytes), cut to fit; "" for
 * NULL. */
void sql_read_copy(char *dst, size_t n, const char *t, size_t len);

/* ------------------------------------------------------------------------------------------ */
/* Victim notification (store_victims.h; sql_victims.c): registrations and their notices. */

#include "rows_victims.h"

/* The columns of SQL_VX_COLS (struct store_victim), of SVX_NOTICES (struct
 * store_victim_notice) and of SVX_JOB (struct store_victim_job). */
extern const struct sf_record sql_victim_rec, sql_victim_notice_rec, sql_victim_job_rec;

/* SVX_INSERT: a registration for booking $9 (its person the booking's), $1..$8
 * follows_person, name, relation, channel, target, lang, created_by, created_at, returning its
 * id (no row when there is no such booking). SVX_SET: $1..$9 follows_person ... lang, state,
 * changed_by, changed_at of registration $10. SVX_GET, SVX_LIST, SVX_LIST_ALL: registration $1,
 * those of booking number $1, all (newest first, 500). SVX_OF_BOOKING: the active ones naming
 * booking $1 or its person. SVX_NOTICE_ADD: a notice of registration $1 about booking $2, kind
 * $3, data $4, made and due at $5. SVX_NOTICES: those of registration $1, newest first, 200.
 * SVX_REQUEUE: "sending" back to "pending". SVX_DUE: the pending notice due soonest at $1.
 * SVX_CLAIM: notice $1 "sending", its attempt counted. SVX_JOB: notice $1 with what sending it
 * takes. SVX_FINISH: notice $5 set to status $1 (next attempt $2 unless NULL, error $3,
 * delivered at $4 when "delivered"). */
enum sql_victims {
    SVX_INSERT, SVX_GET, SVX_LIST, SVX_LIST_ALL, SVX_SET, SVX_OF_BOOKING, SVX_NOTICE_ADD,
    SVX_NOTICES, SVX_REQUEUE, SVX_DUE, SVX_CLAIM, SVX_JOB, SVX_FINISH, SVX_COUNT
};
extern const char *const sql_victims[SVX_COUNT];
/* The text of SVX_DUE, which PostgreSQL runs FOR UPDATE SKIP LOCKED. */
#define SQL_VX_DUE                                                                             \
    "SELECT id FROM victim_notices WHERE status = 'pending' AND next_attempt_at <= $1"        \
    " ORDER BY next_attempt_at, id LIMIT 1"
/* Whether status (and next_attempt_at) may end a claimed notice (store_victim_notice_finish). */
int sql_victim_finish_ok(const char *status, const char *next_attempt_at);
/* The statutory reports (store_reports.h): what both backends read alike. The statements
 * differ (an instant is julianday() on SQLite, a timestamptz on PostgreSQL), the tables and
 * columns do not (sql_reports.c). */

/* A table of the cpra bundle (enum store_report_record_table): its name, the column of its
 * own time, and its own columns, space-separated, in the order a record lists them. */
struct sql_report_table {
    const char *table, *time, *cols;
};
extern const struct sql_report_table sql_report_tables[];

/* Append to b rt's own columns, each as ", x.col AS col" (x: the table's alias). */
struct hc_buf;
void sql_report_cols(const struct sql_report_table *rt, struct hc_buf *b);

/* The bound table (bound.h) of each table of enum store_report_table, and for the tables a
 * report verification reads whole, their ids ("SELECT id, 0 FROM t"), else NULL. */
extern const char *const sql_report_read_tables[];
extern const char *const sql_report_whole[];

struct hc_ids;
struct hc_store;
struct store_audit_report;
struct store_report_read;

/* What a backend reads for the verification of a report's rows (sql_report_verify). */
struct sql_report_verify_fns {
    /* Every id of the rows of sql ("SELECT id, 0 FROM t": sql_report_whole) into *out. */
    int (*whole)(struct hc_store *st, const char *sql, struct hc_ids *out);
    /* Every decision of the requests of the decisions d[0..n) into *out. */
    int (*decisions)(struct hc_store *st, const int64_t *d, size_t n, struct hc_ids *out);
    /* The backend's verification of some rows only (bound_verify_only). */
    int (*verify_only)(struct hc_store *st, const int64_t *const *ids, const size_t *n,
                       struct store_audit_report *rep);
    /* The provisions kept beside each decision ids[0..n) that are not what its JSON cites:
     * each a problem of rep (sql_report_citation_problem). */
    int (*citations)(struct hc_store *st, const int64_t *ids, size_t n,
                     struct store_audit_report *rep);
};

/* A backend's report_verify (store_report_verify's contract) by its readers f: the ids of the
 * rows rd says the report read, or could have, then the chain against them and the kept
 * provisions against the decisions, in one read snapshot unless st is in a transaction. */
int sql_report_verify(struct hc_store *st, const struct sql_report_verify_fns *f,
                      const struct store_report_read *rd, struct store_audit_report *rep);

/* Add to rep the problem of decision_id's kept provisions (STORE_AUDIT_ROW_CHANGED, table
 * decision_citations), as an edited row's. */
void sql_report_citation_problem(struct store_audit_report *rep, int64_t decision_id);

#endif

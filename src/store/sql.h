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

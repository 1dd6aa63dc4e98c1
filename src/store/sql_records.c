/* SPDX-License-Identifier: MIT
 * sql_records.c: the field descriptors (fields.h) of the records and requests areas, which both
 * backends bind, read and audit by (sql.h): one table a record, so that the columns and the
 * audit payloads of the two backends cannot drift apart. */
#include "sql.h"

#include "rows_records.h"

static const struct sf_field person_fields[] = {
    SF_FIELD(struct store_person, id, SF_I64, SF_COL),
    SF_FIELD(struct store_person, name, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_person, date_of_birth, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_person, local_id, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_person, registrant_290, SF_BOOL, SF_AUDITED),
};
const struct sf_record sql_person_rec = SF_RECORD(struct store_person, person_fields);

static const struct sf_field booking_fields[] = {
    SF_FIELD(struct store_booking, id, SF_I64, SF_COL),
    SF_FIELD(struct store_booking, booking_no, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_booking, person_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_booking, booked_at, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_booking, facility, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_booking, status, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_booking, scheduled_release, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_booking, released_at, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_booking, release_reason, SF_STR, SF_AUDITED),
};
const struct sf_record sql_booking_rec = SF_RECORD(struct store_booking, booking_fields);

static const struct sf_field conviction_fields[] = {
    SF_FIELD(struct store_conviction, citation, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_conviction, level, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_conviction, date, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_conviction, court, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_conviction, prop47_reduced, SF_TRI, SF_AUDITED),
    SF_FIELD(struct store_conviction, federal_aggravated_felony, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_conviction, jurisdiction, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_conviction, id, SF_I64, SF_COL),
};
const struct sf_record sql_conviction_rec = SF_RECORD(struct store_conviction, conviction_fields);

static const struct sf_field charge_fields[] = {
    SF_FIELD(struct store_charge, citation, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_charge, level, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_charge, status, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_charge, magistrate_probable_cause, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_charge, id, SF_I64, SF_COL),
};
const struct sf_record sql_charge_rec = SF_RECORD(struct store_charge, charge_fields);

static const struct sf_field agency_fields[] = {
    SF_FIELD(struct store_agency, release_dates_public, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_agency, personal_info_public, SF_BOOL, SF_AUDITED),
    SF_FIELD(struct store_agency, policy_json, SF_STR, SF_STORED),
};
const struct sf_record sql_agency_rec = SF_RECORD(struct store_agency, agency_fields);

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
const struct sf_record sql_request_rec = SF_RECORD(struct store_request, request_fields);

static const struct sf_field decision_new_fields[] = {
    SF_FIELD(struct store_decision, request_id, SF_I64, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, outcome, SF_STR, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, ruleset, SF_STR, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, case_json, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, decision_json, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, decided_by, SF_STR, SF_BIND),
};
const struct sf_record sql_decision_new_rec = SF_RECORD(struct store_decision,
                                                        decision_new_fields);

static const struct sf_field decision_fields[] = {
    SF_FIELD(struct store_decision_row, id, SF_I64, SF_COL),
    SF_FIELD(struct store_decision_row, version, SF_INT, SF_COL),
    SF_FIELD(struct store_decision_row, outcome, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, ruleset, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, case_json, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, decision_json, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, decided_at, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, decided_by, SF_STR, SF_COL),
};
const struct sf_record sql_decision_rec = SF_RECORD(struct store_decision_row, decision_fields);

static const struct sf_field override_fields[] = {
    SF_FIELD(struct store_override, id, SF_I64, SF_COL),
    SF_FIELD(struct store_override, request_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_override, decision_id, SF_I64, SF_AUDITED),
    SF_FIELD(struct store_override, outcome, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_override, reason, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_override, created_at, SF_STR, SF_STORED | SF_AT),
    SF_FIELD(struct store_override, created_by, SF_STR, SF_STORED),
};
const struct sf_record sql_override_rec = SF_RECORD(struct store_override, override_fields);

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
const struct sf_record sql_action_rec = SF_RECORD(struct store_action, action_fields);

/* SPDX-License-Identifier: MIT
 * sql_records.c: the field descriptors (fields.h) of the records and requests areas, which both
 * backends bind, read and audit by (sql.h): one table a record, so that the columns and the
 * audit payloads of the two backends cannot drift apart. */
#include "sql.h"

#include <stdio.h>

#include "err.h"
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
    SF_FIELD(struct store_decision, catalog_version, SF_STR, SF_BIND | SF_JSON),
    SF_FIELD(struct store_decision, settings_json, SF_STR, SF_BIND),
    SF_FIELD(struct store_decision, engine_version, SF_REF, SF_BIND | SF_JSON),
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
    SF_FIELD(struct store_decision_row, catalog_version, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, settings_json, SF_STR, SF_COL),
    SF_FIELD(struct store_decision_row, engine_version, SF_REF, SF_COL),
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

const char *const sql_requests[SRQ_COUNT] = {
    [SRQ_BY_BOOKING] = SQL_REQ_BY_BOOKING,
    [SRQ_INSERT] = SQL_REQ_INSERT,
    [SRQ_DEC_INSERT] = SQL_DEC_INSERT,
    [SRQ_BY_ID] = SQL_REQ_BY_ID,
    [SRQ_DEC_BY_REQ] = SQL_DEC_BY_REQ,
    [SRQ_OVR_BY_REQ] = SQL_OVR_BY_REQ,
    [SRQ_OVR_INSERT] = SQL_OVR_INSERT,
    [SRQ_LIST] = SQL_REQ_LIST,
    [SRQ_DEC_CHECK] = SQL_DEC_CHECK,
    [SRQ_ACT_INSERT] = SQL_ACT_INSERT,
    [SRQ_ACT_LIST] = SQL_ACT_LIST,
    [SRQ_OUTCOME_COUNTS] = SQL_OUTCOME_COUNTS,
    [SRQ_DECIDED_LIST] = SQL_DECIDED_LIST,
};

/* ------------------------------------------------------------------------------------------ */
/* A booking's rows, written through a backend's insert                                       */

static const struct sf_record *const row_rec[] = {
    [SQL_ROW_PERSON] = &sql_person_rec, [SQL_ROW_CONVICTION] = &sql_conviction_rec,
    [SQL_ROW_BOOKING] = &sql_booking_rec, [SQL_ROW_CHARGE] = &sql_charge_rec};

int sql_refused(int rc, const struct sql_refusal *r, struct hc_diag *d)
{
    const char *field = NULL, *msg = NULL;
    switch (rc) {
    case STORE_ECONFLICT:
        field = r->dup_field;
        msg = r->dup_msg;
        break;
    case HC_ENOENT:
        field = r->ref_field;
        msg = r->ref_msg;
        break;
    case HC_EINVAL:
        field = r->bad_field;
        msg = r->bad_msg;
        break;
    default:
        break;
    }
    if (msg != NULL)
        hc_diag_set(d, field, msg, NULL);
    return rc;
}

/* Insert row (kind k) of parent_id; o gets its "id" and audited fields. */
static int insert_one(sql_insert_fn insert, void *backend, enum sql_row k, int64_t parent_id,
                      const void *row, json_t *o, int64_t *id)
{
    int rc = insert(backend, k, parent_id, row, id);
    if (rc == HC_OK) {
        json_object_set_new(o, "id", json_integer(*id));
        sf_jset_fields(o, row, row_rec[k], NULL);
    }
    return rc;
}

/* The n rows at rows of kind k, each of parent_id, each appended to arr; a refused one is named
 * "field[i]" in d with msg. */
static int insert_all(sql_insert_fn insert, void *backend, enum sql_row k, int64_t parent_id,
                      const void *rows, size_t n, json_t *arr, const char *field, const char *msg,
                      struct hc_diag *d)
{
    size_t i;
    for (i = 0; i < n; i++) {
        json_t *o = json_object();
        int64_t id = 0;
        int rc;
        json_array_append_new(arr, o);
        rc = insert_one(insert, backend, k, parent_id,
                        (const char *)rows + i * row_rec[k]->size, o, &id);
        if (rc != HC_OK) {
            char f[48];
            snprintf(f, sizeof f, "%s[%zu]", field, i);
            hc_diag_set(d, f, msg, NULL);
            return rc;
        }
    }
    return HC_OK;
}

static const struct sql_refusal person_refusal = {
    "person.local_id", "a person with this local_id already exists", NULL, NULL,
    "person", "the database refused the person"};
static const struct sql_refusal booking_refusal = {
    "booking_no", "a booking with this number already exists", "person_id", "no such person",
    "", "the database refused the booking"};

int sql_booking_write(sql_insert_fn insert, void *backend, const struct store_booking_new *b,
                      json_t *pl, int64_t *id, struct hc_diag *d)
{
    struct store_booking bk = b->booking;
    json_t *jb, *jc;
    int rc;

    if (bk.person_id == 0) {
        json_t *jp = json_object(), *jv = json_array();
        json_object_set_new(pl, "person", jp);
        json_object_set_new(pl, "convictions", jv);
        rc = insert_one(insert, backend, SQL_ROW_PERSON, 0, &b->person, jp, &bk.person_id);
        if (sql_refused(rc, &person_refusal, d) != HC_OK ||
            (rc = insert_all(insert, backend, SQL_ROW_CONVICTION, bk.person_id, b->conv,
                             b->nconv, jv, "person.convictions",
                             "the database refused the conviction", d)) != HC_OK)
            return rc;
    }
    jb = json_object();
    jc = json_array();
    json_object_set_new(pl, "booking", jb);
    json_object_set_new(pl, "charges", jc);
    rc = insert_one(insert, backend, SQL_ROW_BOOKING, 0, &bk, jb, id);
    if (sql_refused(rc, &booking_refusal, d) != HC_OK)
        return rc;
    return insert_all(insert, backend, SQL_ROW_CHARGE, *id, b->charges, b->ncharges, jc,
                      "charges", "the database refused the charge", d);
}

int sql_court_row_add(sql_insert_fn insert, void *backend, enum sql_row k, int64_t parent_id,
                      const void *row, const char *key, const char *refusal, json_t *pl,
                      int64_t *id, struct hc_diag *d)
{
    const struct sql_refusal r = {NULL, NULL, NULL, NULL, "", refusal};
    json_t *o = json_object();
    int rc = sql_refused(insert_one(insert, backend, k, parent_id, row, o, id), &r, d);
    if (rc == HC_OK)
        json_object_set_new(pl, key, o);
    else
        json_decref(o);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The court record's changes and the decisions' payloads, the same for both backends          */

json_t *sql_text_json(const char *v)
{
    return v != NULL ? json_string(v) : json_null();
}

static json_t *tri_json(int v)
{
    return v < 0 ? json_null() : json_boolean(v);
}

/* Record {"from", "to"} under key in changes when the two values differ (takes both). */
static void note_change(json_t *changes, const char *key, json_t *from, json_t *to)
{
    if (!json_equal(from, to))
        json_object_set_new(changes, key, json_pack("{s:o,s:o}", "from", from, "to", to));
    else {
        json_decref(from);
        json_decref(to);
    }
}

json_t *sql_charge_change(const char *booking_no, int64_t charge_id, const char *citation,
                          const struct sql_charge_cols *old, const struct store_charge_patch *p,
                          struct sql_charge_cols *next)
{
    json_t *pl = json_pack("{s:s,s:I,s:s,s:{}}", "booking_no", booking_no, "charge_id",
                           (json_int_t)charge_id, "citation", citation, "changes");
    json_t *changes = json_object_get(pl, "changes");

    next->level = (p->set & STORE_CHG_LEVEL) ? p->level : old->level;
    next->status = (p->set & STORE_CHG_STATUS) ? p->status : old->status;
    next->magistrate_probable_cause = (p->set & STORE_CHG_MAGISTRATE)
                                          ? p->magistrate_probable_cause != 0
                                          : old->magistrate_probable_cause;
    if (changes != NULL) {
        note_change(changes, "level", sql_text_json(old->level), sql_text_json(next->level));
        note_change(changes, "status", sql_text_json(old->status), sql_text_json(next->status));
        note_change(changes, "magistrate_probable_cause",
                    tri_json(old->magistrate_probable_cause),
                    tri_json(next->magistrate_probable_cause));
    }
    return pl;
}

json_t *sql_conviction_change(int64_t person_id, int64_t conviction_id, const char *citation,
                              const struct sql_conviction_cols *old,
                              const struct store_conviction_patch *p,
                              struct sql_conviction_cols *next)
{
    json_t *pl = json_pack("{s:I,s:I,s:s,s:{}}", "person_id", (json_int_t)person_id,
                           "conviction_id", (json_int_t)conviction_id, "citation", citation,
                           "changes");
    json_t *changes = json_object_get(pl, "changes");

    next->level = (p->set & STORE_CONV_LEVEL) ? p->level : old->level;
    next->prop47_reduced = (p->set & STORE_CONV_PROP47) ? p->prop47_reduced
                                                          : old->prop47_reduced;
    next->federal_aggravated_felony = (p->set & STORE_CONV_AGG) ? p->federal_aggravated_felony
                                                                : old->federal_aggravated_felony;
    if (changes != NULL) {
        note_change(changes, "level", sql_text_json(old->level), sql_text_json(next->level));
        note_change(changes, "prop47_reduced", tri_json(old->prop47_reduced),
                    tri_json(next->prop47_reduced));
        note_change(changes, "federal_aggravated_felony",
                    sql_text_json(old->federal_aggravated_felony),
                    sql_text_json(next->federal_aggravated_felony));
    }
    return pl;
}

int sql_decision_payload(const struct store_decision *dec, json_t **out)
{
    json_t *jd = json_loads(dec->decision_json, 0, NULL);
    json_t *jc = json_loads(dec->case_json, 0, NULL);
    json_t *pl = NULL;
    int rc = HC_EINVAL;

    if (jd != NULL && jc != NULL) {
        pl = json_pack("{s:O,s:O}", "case", jc, "decision", jd);
        rc = pl != NULL ? HC_OK : HC_ENOMEM;
    }
    if (pl != NULL)
        sf_jset_fields(pl, dec, &sql_decision_new_rec, NULL);
    json_decref(jd);
    json_decref(jc);
    *out = pl;
    return rc;
}

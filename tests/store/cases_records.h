/* SPDX-License-Identifier: MIT
 * cases_records.h: what the records area of the store promises (store_records.h), checked the
 * same way against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL.
 * The caller gives a fresh store with no bookings and a struct cases_env: an arena,
 * count(ctx, sql), which runs a `SELECT count(*) ...` beside the store on the same database,
 * and exec(ctx, sql), which runs SQL there as someone with the database would (0 on success).
 * Every booking number, person and id is synthetic. */
#ifndef HC_TEST_CASES_RECORDS_H
#define HC_TEST_CASES_RECORDS_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cases_changes.h"
#include "cases_users.h"
#include "store.h"

/* What a case is given besides the store. */
struct cases_env {
    struct hc_arena *a;
    cases_count_fn count;
    cases_exec_fn exec;
    void *ctx;
};
/* One case of this file or of cases_requests.h: run it on a fresh store. */
typedef void (*cases_fn)(struct hc_store *st, const struct cases_env *e);

/* e's count and exec. */
static long long nrows(const struct cases_env *e, const char *sql)
{
    return e->count(e->ctx, sql);
}

static int run_sql(const struct cases_env *e, const char *sql)
{
    return e->exec(e->ctx, sql);
}

static const struct store_conviction cases_convs[] = {
    {"PC 245(a)(1)", "felony", "2015-03-02", "Test Court", -1, NULL, NULL, 0},
    {"PC 484", "misdemeanor", "2021-07-01", NULL, 0, NULL, "CA", 0},
    {"18 USC 2113(a)", "felony", "2010-01-05", NULL, -1, "F", NULL, 0},
};
static const struct store_charge cases_charges[] = {
    {"PC 211", "felony", "pending", 1, 0},
    {"PC 602", "misdemeanor", "dismissed", 0, 0},
};

/* Book a new person (local id local_id) as booking no, with three convictions and two
 * charges; returns the booking's id. */
static int64_t cases_add_booking(struct hc_store *st, const char *no, const char *local_id)
{
    struct store_booking_new b;
    struct hc_diag d;
    int64_t id = 0;
    memset(&b, 0, sizeof b);
    b.booking.booking_no = no;
    b.booking.booked_at = "2024-04-30T22:10:00-07:00";
    b.booking.facility = "Test Jail";
    b.booking.status = "in_custody";
    b.person.name = "Testperson, Alpha";
    b.person.date_of_birth = "1990-02-03";
    b.person.local_id = local_id;
    b.conv = cases_convs;
    b.nconv = 3;
    b.charges = cases_charges;
    b.ncharges = 2;
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    assert_true(id > 0);
    return id;
}

/* A booking is written whole with its person, convictions, charges and one audit entry, and
 * read back as written; a duplicate number or person, an unknown person or a value the schema
 * refuses leaves nothing behind, named in the diag. */
static void cases_booking_roundtrip(struct hc_store *st, const struct cases_env *e)
{
    struct store_record r;
    struct store_booking_new b;
    struct hc_diag d;
    int64_t id, n = 0, pid;

    cases_add_booking(st, "T-0001", "TP-1");
    assert_int_equal(store_record_get(st, "T-0001", e->a, &r), HC_OK);
    assert_string_equal(r.booking.booking_no, "T-0001");
    assert_string_equal(r.booking.facility, "Test Jail");
    assert_string_equal(r.booking.status, "in_custody");
    assert_null(r.booking.released_at);
    assert_string_equal(r.person.name, "Testperson, Alpha");
    assert_string_equal(r.person.local_id, "TP-1");
    assert_int_equal(r.booking.person_id, r.person.id);
    assert_int_equal(r.nconv, 3);
    assert_string_equal(r.conv[0].citation, "PC 245(a)(1)");
    assert_int_equal(r.conv[0].prop47_reduced, -1);
    assert_int_equal(r.conv[1].prop47_reduced, 0);
    assert_string_equal(r.conv[1].jurisdiction, "CA");
    assert_string_equal(r.conv[2].federal_aggravated_felony, "F");
    assert_int_equal(r.ncharges, 2);
    assert_string_equal(r.charges[1].status, "dismissed");
    assert_int_equal(r.charges[0].magistrate_probable_cause, 1);
    assert_int_equal(r.nreq, 0);
    assert_int_equal(store_record_get(st, "T-0404", e->a, &r), HC_ENOENT);
    pid = r.person.id;
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'booking.create'"
                              " AND payload LIKE '%\"local_id\":\"TP-1\"%'"
                              " AND payload LIKE '%\"citation\":\"PC 602\"%'"),
                     1);
    /* The public search key is written with the person. */
    assert_int_equal(nrows(e, "SELECT count(*) FROM people WHERE name_key IS NOT NULL"), 1);

    /* Same number: conflict, and nothing of the failed write remains. */
    memset(&b, 0, sizeof b);
    b.booking.booking_no = "T-0001";
    b.booking.booked_at = "2024-06-01";
    b.booking.facility = "J";
    b.booking.status = "in_custody";
    b.person.name = "Testperson, Bravo";
    b.person.local_id = "TP-2";
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), STORE_ECONFLICT);
    assert_string_equal(d.field, "booking_no");
    assert_int_equal(nrows(e, "SELECT count(*) FROM people"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 1);
    /* Same person number: conflict on the person. */
    b.booking.booking_no = "T-0002";
    b.person.local_id = "TP-1";
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), STORE_ECONFLICT);
    assert_string_equal(d.field, "person.local_id");
    /* An existing person by id; an unknown one. */
    b.booking.person_id = pid;
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    b.booking.booking_no = "T-0003";
    b.booking.person_id = pid + 100000;
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_ENOENT);
    assert_string_equal(d.field, "person_id");
    /* The schema refuses what the API would: a bad status. */
    b.booking.person_id = pid;
    b.booking.status = "escaped";
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_EINVAL);
    assert_int_equal(store_booking_count(st, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 2);
}

/* The court record after booking: each write with its audit entry, no-ops write nothing,
 * unknown ids name their field, and a refused value leaves nothing behind. */
static void cases_court_record(struct hc_store *st, const struct cases_env *e)
{
    struct store_charge c = {"PC 245(a)(1)", "felony", NULL, 0, 0};
    struct store_charge_patch cp;
    struct store_conviction cv = {"PC 211", "felony", "2004-06-01", "Example Court", -1, NULL,
                                  NULL, 0};
    struct store_conviction_patch vp;
    struct store_court_change out;
    struct store_audit_report rep;
    struct store_record r;
    struct hc_diag d;
    int64_t cid = 0, vid = 0, pid;
    long long audits;

    cases_add_booking(st, "CR-1", "L-CR-1");
    hc_diag_clear(&d);
    assert_int_equal(store_charge_add(st, "CR-1", &c, "clerk1", &cid, &d), HC_OK);
    assert_true(cid > 0);
    assert_int_equal(store_record_get(st, "CR-1", e->a, &r), HC_OK);
    assert_int_equal(r.ncharges, 3);
    assert_int_equal(r.charges[2].id, cid);
    assert_string_equal(r.charges[2].status, "pending");
    pid = r.person.id;
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'charge.add'"
                              " AND actor = 'clerk1' AND entity = 'CR-1'"),
                     1);

    /* a magistrate's finding: from/to in the audit entry */
    memset(&cp, 0, sizeof cp);
    cp.set = STORE_CHG_MAGISTRATE;
    cp.magistrate_probable_cause = 1;
    assert_int_equal(store_charge_update(st, cid, &cp, "clerk1", &out, &d), HC_OK);
    assert_true(out.changed);
    assert_string_equal(out.booking_no, "CR-1");
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'charge.update'"
                              " AND payload LIKE '%\"changes\":{\"magistrate_probable_cause\":"
                              "{\"from\":false,\"to\":true}}%'"),
                     1);
    /* the same again: nothing written */
    audits = nrows(e, "SELECT count(*) FROM audit_log");
    assert_int_equal(store_charge_update(st, cid, &cp, "clerk1", &out, &d), HC_OK);
    assert_false(out.changed);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), audits);
    /* a disposition and a corrected level in one change */
    cp = (struct store_charge_patch){STORE_CHG_STATUS | STORE_CHG_LEVEL, "dismissed",
                                     "misdemeanor", 0};
    assert_int_equal(store_charge_update(st, cid, &cp, "clerk2", &out, &d), HC_OK);
    assert_true(out.changed);
    assert_int_equal(nrows(e, "SELECT count(*) FROM charges WHERE status = 'dismissed'"
                              " AND level = 'misdemeanor' AND citation = 'PC 245(a)(1)'"),
                     1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE actor = 'clerk2' AND"
                              " payload LIKE '%\"level\":{\"from\":\"felony\","
                              "\"to\":\"misdemeanor\"}%'"),
                     1);
    /* unknown ids */
    hc_diag_clear(&d);
    assert_int_equal(store_charge_update(st, cid + 100000, &cp, "clerk1", &out, &d), HC_ENOENT);
    assert_string_equal(d.field, "id");
    hc_diag_clear(&d);
    assert_int_equal(store_charge_add(st, "NOPE", &c, "clerk1", &cid, &d), HC_ENOENT);
    assert_string_equal(d.field, "booking_no");
    hc_diag_clear(&d);
    assert_int_equal(store_conviction_add(st, pid + 100000, &cv, "clerk1", &vid, &d), HC_ENOENT);
    assert_string_equal(d.field, "person_id");

    /* a conviction, then its Prop 47 reduction */
    assert_int_equal(store_conviction_add(st, pid, &cv, "clerk1", &vid, &d), HC_OK);
    vp = (struct store_conviction_patch){.set = STORE_CONV_PROP47, .prop47_reduced = 1};
    assert_int_equal(store_conviction_update(st, vid, &vp, "clerk1", &out, &d), HC_OK);
    assert_true(out.changed);
    assert_int_equal(out.person_id, pid);
    /* the row and its entry: 1 + 1 */
    assert_int_equal(nrows(e, "SELECT (SELECT prop47_reduced FROM convictions WHERE"
                              " court = 'Example Court') + (SELECT count(*) FROM audit_log"
                              " WHERE action = 'conviction.update' AND payload LIKE"
                              " '%\"prop47_reduced\":{\"from\":null,\"to\":true}%')"),
                     2);
    assert_int_equal(store_conviction_update(st, vid + 100000, &vp, "clerk1", &out, &d),
                     HC_ENOENT);
    assert_string_equal(d.field, "id");

    /* a value the schema refuses: nothing of the write is left, the chain still verifies */
    audits = nrows(e, "SELECT count(*) FROM audit_log");
    cv.level = "wobbler";
    hc_diag_clear(&d);
    assert_int_not_equal(store_conviction_add(st, pid, &cv, "clerk1", &vid, &d), HC_OK);
    assert_int_equal(nrows(e, "SELECT count(*) FROM convictions WHERE level = 'wobbler'"), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), audits);
    memset(&cp, 0, sizeof cp);
    cp.set = STORE_CHG_STATUS;
    cp.status = "acquitted";
    assert_int_not_equal(store_charge_update(st, cid, &cp, "clerk1", &out, &d), HC_OK);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), audits);
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
}

/* A booking's changeable columns: read by number, written by id inside the caller's
 * transaction with the caller's audit entry, which binds the row as changed (bound.h), so the
 * chain vouches for it; a change around the store is then found. */
static void cases_booking_state(struct hc_store *st, const struct cases_env *e)
{
    struct store_booking_state b;
    struct store_audit_report rep;
    int64_t id = 0, bid = cases_add_booking(st, "BS-1", "L-BS-1");
    json_t *pl;

    assert_int_equal(store_booking_state_get(st, "BS-1", e->a, &id, &b), HC_OK);
    assert_int_equal(id, bid);
    assert_string_equal(b.facility, "Test Jail");
    assert_int_equal(b.has_bail, 0);
    assert_null(b.next_court_date);
    assert_int_equal(store_booking_state_get(st, "BS-404", e->a, &id, &b), HC_ENOENT);

    b.status = "released";
    b.released_at = "2024-05-05T10:00:00Z";
    b.release_reason = "bail posted";
    b.has_bail = 1;
    b.bail = 25000;
    b.next_court_date = "2024-06-01";
    assert_int_equal(store_begin(st), HC_OK);
    assert_int_equal(store_booking_state_set(st, bid, &b), HC_OK);
    pl = json_pack("{s:s}", "status", "released");
    assert_int_equal(store_audit_append(st, "clerk1", "booking.update", "BS-1", pl), HC_OK);
    json_decref(pl);
    assert_int_equal(store_commit(st), HC_OK);
    assert_int_equal(store_booking_state_get(st, "BS-1", e->a, &id, &b), HC_OK);
    assert_string_equal(b.status, "released");
    assert_string_equal(b.release_reason, "bail posted");
    assert_int_equal(b.has_bail, 1);
    assert_int_equal(b.bail, 25000);
    assert_string_equal(b.next_court_date, "2024-06-01");
    /* The entry binds the booking row as changed: the chain vouches for every bound row. */
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'booking.update'"
                              " AND payload LIKE '%\"bound\":[{\"hash\":%\"table\":"
                              "\"bookings\"}]%'"),
                     1);
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.bound_rows, 1);
    /* A value the schema refuses. */
    b.status = "escaped";
    assert_int_equal(store_begin(st), HC_OK);
    assert_int_equal(store_booking_state_set(st, bid, &b), HC_EINVAL);
    store_rollback(st);
    /* Changed around the store: verification names the row. */
    assert_int_equal(run_sql(e, "UPDATE bookings SET facility = 'Annex' WHERE booking_no ="
                                " 'BS-1'"),
                     0);
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.row_problems, 1);
    assert_string_equal(rep.row[0].table, "bookings");
    assert_int_equal(rep.row[0].id, bid);
    assert_int_equal(rep.row[0].problem, STORE_AUDIT_ROW_CHANGED);
}

/* The agency settings: the defaults before any change, then what was set, each change
 * audited with its policy; a policy that is not a JSON object is refused. */
static void cases_agency(struct hc_store *st, const struct cases_env *e)
{
    struct store_agency ag;

    assert_int_equal(store_agency_get(st, e->a, &ag), HC_OK);
    assert_int_equal(ag.release_dates_public, 0);
    assert_int_equal(ag.personal_info_public, 0);
    assert_string_equal(ag.policy_json, "{}");
    ag.release_dates_public = 1;
    ag.personal_info_public = 1;
    ag.policy_json = "{\"notification\":\"never\"}";
    assert_int_equal(store_agency_set(st, &ag, "admin-1"), HC_OK);
    ag.personal_info_public = 0;
    assert_int_equal(store_agency_set(st, &ag, "admin-2"), HC_OK);
    memset(&ag, 0, sizeof ag);
    assert_int_equal(store_agency_get(st, e->a, &ag), HC_OK);
    assert_int_equal(ag.release_dates_public, 1);
    assert_int_equal(ag.personal_info_public, 0);
    assert_string_equal(ag.policy_json, "{\"notification\":\"never\"}");
    ag.policy_json = "[1]";
    assert_int_equal(store_agency_set(st, &ag, "admin-3"), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'agency.update'"
                              " AND payload LIKE '%\"policy\":{\"notification\":\"never\"}%'"),
                     2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE actor = 'admin-3'"), 0);
}

/* Transactions nest over the records' writes: a rollback drops every booking and entry. */
static void cases_records_rollback(struct hc_store *st, const struct cases_env *e)
{
    int64_t n = -1;
    assert_int_equal(store_begin(st), HC_OK);
    cases_add_booking(st, "RB-1", "L-RB-1");
    cases_add_booking(st, "RB-2", "L-RB-2");
    store_rollback(st);
    assert_int_equal(store_booking_count(st, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 0);
    assert_int_equal(store_commit(st), HC_EINVAL); /* nothing open */
    assert_int_equal(store_begin(st), HC_OK);
    cases_add_booking(st, "RB-1", "L-RB-1");
    assert_int_equal(store_commit(st), HC_OK);
    assert_int_equal(store_booking_count(st, &n), HC_OK);
    assert_int_equal(n, 1);
}

#endif

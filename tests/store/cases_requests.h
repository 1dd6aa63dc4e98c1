/* SPDX-License-Identifier: MIT
 * cases_requests.h: what the requests area of the store promises (store_requests.h), checked
 * the same way against each backend: test_store.c runs these on SQLite, test_pg.c on
 * PostgreSQL. The caller gives a fresh store with no bookings, an arena, nrows(e, sql) and
 * run_sql(e, sql) as for cases_records.h. The rules (which outcome, which override is allowed,
 * which action is contrary) are the service layer's: these write the rows directly. */
#ifndef HC_TEST_CASES_REQUESTS_H
#define HC_TEST_CASES_REQUESTS_H

#include <stdio.h>
#include <string.h>

#include "cases_records.h"
#include "store.h"

/* Receive a request of type on booking booking_id (received on received) and decide it
 * outcome by decided_by; *decision_id (OUT, may be NULL) the decision. Returns the request. */
static int64_t cases_request(struct hc_store *st, int64_t booking_id, const char *type,
                             const char *received, const char *outcome, const char *decided_by,
                             int64_t *decision_id)
{
    const struct store_request rq = {.type = type, .form = "I-247A", .received_at = received};
    struct store_decision dec = {.outcome = outcome, .ruleset = "CA-2018-01-01",
                                 .case_json = "{\"as_of\":\"2024-05-02\"}",
                                 .decision_json = "{\"outcome\":\"test\"}",
                                 .decided_by = decided_by};
    int64_t rid = 0, did = 0;

    assert_int_equal(store_request_add(st, booking_id, &rq, "clerk-1", &rid), HC_OK);
    assert_true(rid > 0);
    dec.request_id = rid;
    assert_int_equal(store_decision_add(st, &dec, &did), HC_OK);
    assert_true(did > 0);
    if (decision_id != NULL)
        *decision_id = did;
    return rid;
}

/* Requests and their versioned decisions: each version is added, never changed; the booking
 * and the request show the newest; each write is audited with what it wrote. */
static void cases_request_decisions(struct hc_store *st, const struct cases_env *e)
{
    static const char *const refused[] = {"UPDATE decisions SET outcome = 'permitted'",
                                          "DELETE FROM decisions"};
    struct store_request_detail det;
    struct store_record r;
    int64_t bid = cases_add_booking(st, "RQ-1", "L-RQ-1"), did = 0, d1 = 0;
    int64_t rid = cases_request(st, bid, "notification", "2024-05-02", "permitted", "clerk-1",
                                &d1);
    struct store_decision dec = {.request_id = rid, .outcome = "prohibited",
                                 .ruleset = "CA-2018-01-01",
                                 .case_json = "{\"as_of\":\"2024-05-03\"}",
                                 .decision_json = "{\"outcome\":\"prohibited\"}",
                                 .decided_by = "clerk-2"};
    size_t i;

    assert_int_equal(store_decision_add(st, &dec, &did), HC_OK);
    assert_true(did > d1);
    assert_int_equal(store_request_get(st, rid, e->a, &det), HC_OK);
    assert_string_equal(det.booking_no, "RQ-1");
    assert_string_equal(det.req.type, "notification");
    assert_string_equal(det.req.form, "I-247A");
    assert_int_equal(det.ndec, 2);
    assert_int_equal(det.dec[0].version, 1);
    assert_string_equal(det.dec[0].outcome, "permitted");
    assert_string_equal(det.dec[0].decided_by, "clerk-1");
    assert_int_equal(det.dec[1].version, 2);
    assert_int_equal(det.dec[1].id, did);
    assert_string_equal(det.dec[1].decided_by, "clerk-2");
    assert_string_equal(det.req.outcome, "prohibited"); /* the newest */
    assert_string_equal(det.req.engine_outcome, "prohibited");
    assert_string_equal(det.req.decision_json, "{\"outcome\":\"prohibited\"}");
    assert_int_equal(det.novr, 0);
    assert_int_equal(store_request_get(st, rid + 100000, e->a, &det), HC_ENOENT);
    /* The booking shows the request once, with its newest outcome. */
    assert_int_equal(store_record_get(st, "RQ-1", e->a, &r), HC_OK);
    assert_int_equal(r.nreq, 1);
    assert_int_equal(r.req[0].id, rid);
    assert_string_equal(r.req[0].outcome, "prohibited");
    /* A request about no booking, a decision about no request, a case that is not JSON. */
    {
        struct store_request rq;
        int64_t x = 0;
        memset(&rq, 0, sizeof rq);
        rq.type = "hold";
        rq.received_at = "2024-05-02";
        assert_int_equal(store_request_add(st, bid + 100000, &rq, "clerk-1", &x), HC_ENOENT);
        dec.request_id = rid + 100000;
        assert_int_not_equal(store_decision_add(st, &dec, &x), HC_OK);
        dec.request_id = rid;
        dec.case_json = "not json";
        assert_int_equal(store_decision_add(st, &dec, &x), HC_EINVAL);
    }
    /* Decisions are never updated or deleted, even with raw SQL. */
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_int_not_equal(run_sql(e, refused[i]), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM decisions"), 2);
    /* booking.create, request.receive, 2 x decision.record: the decisions with their case. */
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 4);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'request.receive'"
                              " AND actor = 'clerk-1' AND payload LIKE '%\"type\":"
                              "\"notification\"%'"),
                     1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action ="
                              " 'decision.record' AND actor = 'clerk-2' AND payload LIKE"
                              " '%\"case\":{\"as_of\":\"2024-05-03\"}%' AND payload LIKE"
                              " '%\"version\":2%'"),
                     1);
}

/* Overrides: the store keeps any whose decision is the request's, with its audit entry; the
 * outcome in force is the most restrictive override of the newest decision. */
static void cases_overrides(struct hc_store *st, const struct cases_env *e)
{
    struct store_request_detail det;
    struct store_override o;
    int64_t bid = cases_add_booking(st, "OV-1", "L-OV-1"), permitted, hold, dp = 0, dh = 0;
    int64_t oid = 0;
    long long audit;

    permitted = cases_request(st, bid, "notification", "2024-05-02", "permitted", "c", &dp);
    hold = cases_request(st, bid, "hold", "2024-05-02", "prohibited", "c", &dh);
    audit = nrows(e, "SELECT count(*) FROM audit_log");
    memset(&o, 0, sizeof o);
    o.request_id = permitted;
    o.decision_id = dh; /* the hold request's decision */
    o.outcome = "prohibited";
    o.reason = "x";
    o.created_by = "sup";
    assert_int_equal(store_override_add(st, &o, &oid), HC_EINVAL);
    o.decision_id = dp;
    o.reason = "";
    assert_int_equal(store_override_add(st, &o, &oid), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM overrides"), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), audit);

    o.outcome = "review";
    o.reason = "needs a second look";
    assert_int_equal(store_override_add(st, &o, &oid), HC_OK);
    assert_true(oid > 0);
    o.outcome = "prohibited";
    o.reason = "county policy";
    assert_int_equal(store_override_add(st, &o, &oid), HC_OK);
    /* An older, looser one written later does not loosen it. */
    o.outcome = "permitted_with_conditions";
    o.reason = "older rule";
    assert_int_equal(store_override_add(st, &o, &dh), HC_OK);
    assert_int_equal(store_request_get(st, permitted, e->a, &det), HC_OK);
    assert_int_equal(det.novr, 3);
    assert_string_equal(det.ovr[0].outcome, "review");
    assert_string_equal(det.ovr[1].reason, "county policy");
    assert_string_equal(det.ovr[1].created_by, "sup");
    assert_non_null(det.ovr[1].created_at);
    assert_int_equal(det.ovr[1].decision_id, dp);
    assert_string_equal(det.req.outcome, "prohibited");
    assert_string_equal(det.req.engine_outcome, "permitted");
    assert_int_equal(det.req.override_id, oid);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action ="
                              " 'override.record' AND actor = 'sup'"),
                     3);
    assert_int_equal(store_request_get(st, hold, e->a, &det), HC_OK);
    assert_int_equal(det.req.override_id, 0);
    assert_string_equal(det.req.outcome, "prohibited");
}

/* Actions: each with its audit entry; the schema refuses what it checks; listed by request,
 * period and contrary; the request list and counts follow the outcome in force. */
static void cases_actions_and_lists(struct hc_store *st, const struct cases_env *e)
{
    struct store_action x, *acts = NULL;
    struct store_action_filter af;
    struct store_request_filter f;
    struct store_request_item *it = NULL;
    struct store_outcome_counts oc;
    int64_t bid = cases_add_booking(st, "AC-1", "L-AC-1"), n1, h2, n3, aid = 0;
    size_t n = 0;

    n1 = cases_request(st, bid, "notification", "2024-05-02", "permitted", "c", NULL);
    h2 = cases_request(st, bid, "hold", "2024-05-03T10:00:00-07:00", "prohibited", "c", NULL);
    n3 = cases_request(st, bid, "notification", "2024-05-04", "permitted", "c", NULL);

    x = (struct store_action){.request_id = h2, .kind = "transferred",
                              .at = "2024-05-03T08:00:00Z", .office = "SF",
                              .outcome_in_force = "prohibited", .contrary = 1,
                              .recorded_by = "sup"};
    assert_int_equal(store_action_add(st, &x, &aid), HC_EINVAL); /* contrary needs a reason */
    x.reason = "federal criminal warrant";
    assert_int_equal(store_action_add(st, &x, &aid), HC_OK);
    assert_true(aid > 0);
    x = (struct store_action){.request_id = n1, .kind = "declined", .at = "2024-06-01T08:00:00Z",
                              .outcome_in_force = "permitted", .ice_reason = "declined_by_lea",
                              .recorded_by = "clerk-1"};
    assert_int_equal(store_action_add(st, &x, &aid), HC_OK);
    x.kind = NULL;
    assert_int_equal(store_action_add(st, &x, &aid), HC_EINVAL); /* nothing written */
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'action.record'"),
                     2);
    assert_int_not_equal(run_sql(e, "UPDATE request_actions SET contrary = 0"), 0);
    assert_int_not_equal(run_sql(e, "DELETE FROM request_actions"), 0);

    memset(&af, 0, sizeof af);
    af.limit = 10;
    assert_int_equal(store_actions_list(st, &af, e->a, &acts, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(acts[0].kind, "transferred");
    assert_string_equal(acts[0].office, "SF");
    assert_non_null(acts[0].recorded_at);
    af.from = "2024-06-01";
    assert_int_equal(store_actions_list(st, &af, e->a, &acts, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(acts[0].kind, "declined");
    af.from = NULL;
    af.to = "2024-05-31";
    assert_int_equal(store_actions_list(st, &af, e->a, &acts, &n), HC_OK);
    assert_int_equal(n, 1);
    af.to = NULL;
    af.request_id = h2;
    af.contrary = 1;
    assert_int_equal(store_actions_list(st, &af, e->a, &acts, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(acts[0].reason, "federal criminal warrant");
    af.request_id = n3;
    assert_int_equal(store_actions_list(st, &af, e->a, &acts, &n), HC_OK);
    assert_int_equal(n, 0);
    af.limit = 0;
    assert_int_equal(store_actions_list(st, &af, e->a, &acts, &n), HC_EINVAL);

    memset(&f, 0, sizeof f);
    f.limit = 500;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(it[0].booking_no, "AC-1");
    assert_int_equal(it[0].ndecisions, 1);
    assert_int_equal(it[0].noverrides, 0);
    assert_null(it[0].req.decision_json); /* lists carry no decision JSON */
    assert_int_equal(it[1].req.nactions, 1);
    assert_int_equal(it[1].req.ncontrary, 1);
    f.type = "notification";
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 2);
    f.type = NULL;
    f.outcome = "prohibited";
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(it[0].req.type, "hold");
    f.outcome = NULL;
    f.from = "2024-05-03";
    f.to = "2024-05-03";
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].req.id, h2);
    f.from = f.to = NULL;
    f.contrary = 1;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].req.id, h2);
    f.contrary = 0;
    f.booking_no = "AC-404";
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 0);
    f.booking_no = "AC-1";
    f.limit = 2;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 2);
    f.after_id = it[1].req.id;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].req.id, n3);
    f.after_id = 0;
    f.offset = 1;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_OK);
    assert_int_equal(it[0].req.id, h2);
    f.limit = 0;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_EINVAL);
    f.limit = 501;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_EINVAL);
    f.limit = 10;
    f.offset = -1;
    assert_int_equal(store_request_list(st, &f, e->a, &it, &n), HC_EINVAL);

    assert_int_equal(store_outcome_counts(st, &oc), HC_OK);
    assert_int_equal(oc.in_force[0], 2); /* permitted */
    assert_int_equal(oc.in_force[3], 1); /* prohibited */
    assert_int_equal(oc.engine[0], 2);
    assert_int_equal(oc.undecided, 0);
    assert_int_equal(oc.contrary, 1);
}

/* Every decision, override and action the chain holds binds its row (bound.h): verification
 * checks them all. */
static void cases_requests_bound(struct hc_store *st, const struct cases_env *e)
{
    struct store_audit_report rep;
    int64_t did = 0, id = 0;
    int64_t rid = cases_request(st, cases_add_booking(st, "BD-1", "L-BD-1"), "hold",
                                "2024-05-02", "prohibited", "c", &did);
    const struct store_override o = {.request_id = rid, .decision_id = did,
                                     .outcome = "prohibited", .reason = "second reason",
                                     .created_by = "sup"};
    const struct store_action x = {.request_id = rid, .kind = "released_before_ice",
                                   .at = "2024-05-03T08:00:00Z", .recorded_by = "clerk-1"};

    assert_int_equal(store_override_add(st, &o, &id), HC_OK);
    assert_int_equal(store_action_add(st, &x, &id), HC_OK);
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.bound_rows, 4); /* the booking, decision, override and action */
    (void)e;
}

#endif

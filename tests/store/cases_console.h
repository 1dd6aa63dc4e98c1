/* SPDX-License-Identifier: MIT
 * cases_console.h: what the console area of the store promises (store_console.h), checked the
 * same way against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL.
 * The caller gives a fresh store with no bookings and a struct cases_env (cases_records.h).
 * Which notices are owed and whether an interview may be granted are the service layer's
 * (src/notice/rules.h, src/app/truth.h): these write the rows directly. Every name, number and
 * date is synthetic. */
#ifndef HC_TEST_CASES_CONSOLE_H
#define HC_TEST_CASES_CONSOLE_H

#include <stdio.h>
#include <string.h>

#include "cases_records.h"
#include "cases_requests.h"
#include "store.h"

/* Book person (new, local id local_id) as booking no, booked at booked_at, with status and
 * scheduled_release (NULL: none); returns the booking's id. */
static int64_t console_booking(struct hc_store *st, const char *no, const char *local_id,
                               const char *booked_at, const char *status,
                               const char *scheduled_release)
{
    struct store_booking_new b;
    struct hc_diag d;
    int64_t id = 0;
    memset(&b, 0, sizeof b);
    b.booking.booking_no = no;
    b.booking.booked_at = booked_at;
    b.booking.facility = "Test Jail";
    b.booking.status = status;
    b.booking.scheduled_release = scheduled_release;
    if (strcmp(status, "released") == 0)
        b.booking.released_at = "2024-05-04T09:00:00Z";
    b.person.name = local_id; /* a synthetic name that tells the people apart */
    b.person.local_id = local_id;
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    return id;
}

/* The number of audit entries of action whose entity is entity. */
static long long console_entries(const struct cases_env *e, const char *action,
                                 const char *what, int64_t id)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = '%s'"
             " AND entity = '%s/%lld'", action, what, (long long)id);
    return nrows(e, sql);
}

/* A notice is recorded with its generation time and read back as written; it is served once,
 * and a second service, an unknown notice or a refused value changes nothing; each write has
 * its audit entry, and the chain vouches for the notice as generated and then as served. */
static void cases_console_notices(struct hc_store *st, const struct cases_env *e)
{
    int64_t rid = cases_request(st, cases_add_booking(st, "NT-1", "L-NT-1"), "hold",
                                "2024-05-02", "prohibited", "c", NULL);
    struct store_notice n = {.request_id = rid, .kind = "copy", .recipient = "person",
                             .language = "es", .subdivision = "7283.1(b), first sentence",
                             .intent = "no", .generated_by = "clerk-1"};
    struct store_notice_service sv = {.served_at = "2024-05-02T17:00:00Z",
                                      .served_to = "Testperson, Alpha", .method = "in_person",
                                      .served_by = "clerk-2"};
    struct store_notice got;
    struct store_audit_report rep;
    struct hc_diag d;
    int64_t nid = 0, rel = 0, id = 0;

    assert_int_equal(store_notice_add(st, &n, &nid), HC_OK);
    assert_true(nid > 0);
    assert_int_equal(store_notice_get(st, nid, e->a, &got), HC_OK);
    assert_int_equal(got.id, nid);
    assert_int_equal(got.request_id, rid);
    assert_string_equal(got.kind, "copy");
    assert_string_equal(got.recipient, "person");
    assert_null(got.recipient_name);
    assert_string_equal(got.language, "es");
    assert_string_equal(got.subdivision, "7283.1(b), first sentence");
    assert_string_equal(got.intent, "no");
    assert_null(got.release_date);
    assert_string_equal(got.generated_by, "clerk-1");
    assert_non_null(got.generated_at);
    assert_null(got.served_at);
    assert_null(got.served_by);
    assert_int_equal(console_entries(e, "notice.generate", "notice", nid), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'notice.generate'"
                              " AND payload LIKE '%\"kind\":\"copy\"%'"
                              " AND payload LIKE '%\"language\":\"es\"%'"),
                     1);
    assert_int_equal(store_notice_get(st, nid + 1000, e->a, &got), HC_ENOENT);

    /* A release notice to an attorney, with its date. */
    n.kind = "release";
    n.recipient = "attorney";
    n.recipient_name = "Testlawyer, Alpha";
    n.intent = NULL;
    n.release_date = "2024-05-09";
    n.subdivision = "7283.1(b), second sentence";
    assert_int_equal(store_notice_add(st, &n, &rel), HC_OK);
    assert_true(rel > nid);
    assert_int_equal(store_notice_get(st, rel, e->a, &got), HC_OK);
    assert_string_equal(got.recipient_name, "Testlawyer, Alpha");
    assert_string_equal(got.release_date, "2024-05-09");

    /* Refused: no such request; values the schema refuses; no author. Nothing is written. */
    n.request_id = rid + 1000;
    assert_int_equal(store_notice_add(st, &n, &id), HC_ENOENT);
    n.request_id = rid;
    n.release_date = NULL; /* a release notice without its date */
    assert_int_equal(store_notice_add(st, &n, &id), HC_EINVAL);
    n.release_date = "2024-05-09";
    n.kind = "copy"; /* a copy to anyone but the person */
    assert_int_equal(store_notice_add(st, &n, &id), HC_EINVAL);
    n.kind = "summons";
    n.recipient = "person";
    assert_int_equal(store_notice_add(st, &n, &id), HC_EINVAL);
    n.kind = "copy";
    n.language = "xx";
    assert_int_equal(store_notice_add(st, &n, &id), HC_EINVAL);
    n.language = "en";
    n.generated_by = NULL;
    assert_int_equal(store_notice_add(st, &n, &id), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM notices"), 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'notice.generate'"),
                     2);

    /* Served once, as given. */
    hc_diag_clear(&d);
    sv.method = "pigeon"; /* refused by the schema: still unserved */
    assert_int_equal(store_notice_serve(st, nid, &sv, &d), HC_EINVAL);
    sv.method = "in_person";
    assert_int_equal(store_notice_get(st, nid, e->a, &got), HC_OK);
    assert_null(got.served_at);
    assert_int_equal(store_notice_serve(st, nid, &sv, &d), HC_OK);
    assert_int_equal(store_notice_get(st, nid, e->a, &got), HC_OK);
    assert_string_equal(got.served_at, "2024-05-02T17:00:00Z");
    assert_string_equal(got.served_by, "clerk-2");
    assert_string_equal(got.served_to, "Testperson, Alpha");
    assert_string_equal(got.method, "in_person");
    assert_string_equal(got.generated_by, "clerk-1"); /* the rest unchanged */
    assert_int_equal(console_entries(e, "notice.serve", "notice", nid), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'notice.serve'"
                              " AND actor = 'clerk-2'"
                              " AND payload LIKE '%\"served_to\":\"Testperson, Alpha\"%'"),
                     1);
    /* A second service: a conflict, and the first stands. */
    hc_diag_clear(&d);
    sv.served_to = "Someone Else";
    assert_int_equal(store_notice_serve(st, nid, &sv, &d), STORE_ECONFLICT);
    assert_string_equal(d.field, "id");
    assert_int_equal(store_notice_get(st, nid, e->a, &got), HC_OK);
    assert_string_equal(got.served_to, "Testperson, Alpha");
    assert_int_equal(console_entries(e, "notice.serve", "notice", nid), 1);
    /* No such notice; no server. */
    hc_diag_clear(&d);
    assert_int_equal(store_notice_serve(st, nid + 1000, &sv, &d), HC_ENOENT);
    assert_string_equal(d.field, "id");
    sv.served_by = NULL;
    assert_int_equal(store_notice_serve(st, rel, &sv, &d), HC_EINVAL);
    /* Served now when no time is given. */
    sv.served_by = "clerk-3";
    sv.served_at = NULL;
    sv.method = "mail";
    assert_int_equal(store_notice_serve(st, rel, &sv, &d), HC_OK);
    assert_int_equal(store_notice_get(st, rel, e->a, &got), HC_OK);
    assert_non_null(got.served_at);
    assert_string_equal(got.method, "mail");
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'notice.serve'"), 2);

    /* The chain vouches for both notices as they now are (served after their generation). */
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.bound_rows, 4); /* the booking, the decision and the two notices */
}

/* Consent, intent, release dates told, interview steps and warrants are each added with the
 * time of the write and an audit entry, refused whole for no such request or a value the
 * schema refuses, and read back by store_console_state, oldest first, for their request only. */
static void cases_console_records(struct hc_store *st, const struct cases_env *e)
{
    int64_t bid = cases_add_booking(st, "CR-1", "L-CR-1");
    int64_t rid = cases_request(st, bid, "interview", "2024-05-02", "permitted_with_conditions",
                                "c", NULL);
    int64_t other = cases_request(st, bid, "hold", "2024-05-03", "prohibited", "c", NULL);
    struct store_consent c = {.request_id = rid, .answer = "attorney_only",
                              .attorney = "Testlawyer, Bravo", .recorded_by = "clerk-1"};
    struct store_intent in = {.request_id = rid, .intent = "undecided", .recorded_by = "clerk-1"};
    struct store_disclosure dc = {.request_id = rid, .release_date = "2024-05-09T08:00:00Z",
                                  .told_at = "2024-05-03T10:00:00Z", .recorded_by = "clerk-2"};
    struct store_interview iv = {.request_id = rid, .status = "scheduled",
                                 .at = "2024-05-05T14:00:00Z", .recorded_by = "clerk-1"};
    struct store_warrant w = {.request_id = rid, .court = "Test District Court",
                              .judge = "Testjudge, Alpha", .recorded_by = "clerk-2"};
    struct store_console_state cs;
    int64_t c1 = 0, c2 = 0, i1 = 0, i2 = 0, dc1 = 0, iv1 = 0, iv2 = 0, w1 = 0, id = 0;

    assert_int_equal(store_consent_add(st, &c, &c1), HC_OK);
    c.answer = "consent";
    c.attorney = NULL;
    assert_int_equal(store_consent_add(st, &c, &c2), HC_OK);
    assert_true(c2 > c1);
    assert_int_equal(store_intent_add(st, &in, &i1), HC_OK);
    in.intent = "no";
    assert_int_equal(store_intent_add(st, &in, &i2), HC_OK);
    assert_int_equal(store_disclosure_add(st, &dc, &dc1), HC_OK);
    assert_int_equal(store_interview_add(st, &iv, &iv1), HC_OK);
    iv.status = "granted";
    iv.at = NULL;
    iv.consent_id = c2;
    assert_int_equal(store_interview_add(st, &iv, &iv2), HC_OK);
    assert_int_equal(store_warrant_add(st, &w, &w1), HC_OK);

    /* Each with its audit entry, naming the row. */
    assert_int_equal(console_entries(e, "consent.record", "consent", c1), 1);
    assert_int_equal(console_entries(e, "consent.record", "consent", c2), 1);
    assert_int_equal(console_entries(e, "intent.record", "intent", i2), 1);
    assert_int_equal(console_entries(e, "release.disclose", "disclosure", dc1), 1);
    assert_int_equal(console_entries(e, "interview.record", "interview", iv2), 1);
    assert_int_equal(console_entries(e, "warrant.record", "warrant", w1), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'consent.record'"
                              " AND actor = 'clerk-1'"
                              " AND payload LIKE '%\"attorney\":\"Testlawyer, Bravo\"%'"),
                     1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'warrant.record'"
                              " AND payload LIKE '%\"judge\":\"Testjudge, Alpha\"%'"),
                     1);

    /* Refused whole: no such request, a value the schema refuses, a missing value. */
    c.request_id = in.request_id = dc.request_id = iv.request_id = w.request_id = rid + 1000;
    iv.consent_id = 0;
    assert_int_equal(store_consent_add(st, &c, &id), HC_ENOENT);
    assert_int_equal(store_intent_add(st, &in, &id), HC_ENOENT);
    assert_int_equal(store_disclosure_add(st, &dc, &id), HC_ENOENT);
    assert_int_equal(store_interview_add(st, &iv, &id), HC_ENOENT);
    assert_int_equal(store_warrant_add(st, &w, &id), HC_ENOENT);
    c.request_id = in.request_id = dc.request_id = iv.request_id = w.request_id = rid;
    c.answer = "maybe";
    assert_int_equal(store_consent_add(st, &c, &id), HC_EINVAL);
    in.intent = "perhaps";
    assert_int_equal(store_intent_add(st, &in, &id), HC_EINVAL);
    dc.told_at = NULL;
    assert_int_equal(store_disclosure_add(st, &dc, &id), HC_EINVAL);
    iv.status = "postponed";
    assert_int_equal(store_interview_add(st, &iv, &id), HC_EINVAL);
    w.judge = NULL;
    assert_int_equal(store_warrant_add(st, &w, &id), HC_EINVAL);
    c.answer = "consent";
    c.recorded_by = NULL;
    assert_int_equal(store_consent_add(st, &c, &id), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM interview_consents"), 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM request_intents"), 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM release_disclosures"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM interviews"), 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM request_warrants"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 13); /* 1 + 2 x 2 + 8 */

    /* Read back, oldest first. */
    assert_int_equal(store_console_state(st, rid, e->a, &cs), HC_OK);
    assert_int_equal(cs.nnotices, 0);
    assert_int_equal(cs.nconsents, 2);
    assert_int_equal(cs.consents[0].id, c1);
    assert_string_equal(cs.consents[0].answer, "attorney_only");
    assert_string_equal(cs.consents[0].attorney, "Testlawyer, Bravo");
    assert_string_equal(cs.consents[0].recorded_by, "clerk-1");
    assert_non_null(cs.consents[0].recorded_at);
    assert_int_equal(cs.consents[1].id, c2);
    assert_null(cs.consents[1].attorney);
    assert_int_equal(cs.nintents, 2);
    assert_string_equal(cs.intents[0].intent, "undecided");
    assert_string_equal(cs.intents[1].intent, "no");
    assert_int_equal(cs.ndisclosures, 1);
    assert_string_equal(cs.disclosures[0].release_date, "2024-05-09T08:00:00Z");
    assert_string_equal(cs.disclosures[0].told_at, "2024-05-03T10:00:00Z");
    assert_string_equal(cs.disclosures[0].recorded_by, "clerk-2");
    assert_int_equal(cs.ninterviews, 2);
    assert_string_equal(cs.interviews[0].status, "scheduled");
    assert_string_equal(cs.interviews[0].at, "2024-05-05T14:00:00Z");
    assert_int_equal(cs.interviews[0].consent_id, 0);
    assert_int_equal(cs.interviews[1].id, iv2);
    assert_string_equal(cs.interviews[1].status, "granted");
    assert_null(cs.interviews[1].at);
    assert_int_equal(cs.interviews[1].consent_id, c2);
    assert_int_equal(cs.nwarrants, 1);
    assert_string_equal(cs.warrants[0].court, "Test District Court");
    assert_string_equal(cs.warrants[0].judge, "Testjudge, Alpha");
    assert_int_equal(cs.warrants[0].request_id, rid);
    /* Another request of the same booking, and a request that does not exist: empty. */
    assert_int_equal(store_console_state(st, other, e->a, &cs), HC_OK);
    assert_int_equal(cs.nconsents + cs.nintents + cs.ndisclosures + cs.ninterviews +
                         cs.nwarrants + cs.nnotices,
                     0);
    assert_int_equal(store_console_state(st, rid + 1000, e->a, &cs), HC_OK);
    assert_int_equal(cs.nconsents + cs.ninterviews, 0);
}

/* The queue: bookings with a scheduled release first, soonest first, then the others, the
 * newest request first within a date; in custody only on request; at most limit (1..500);
 * each with its outcome in force, newest ruleset, booking and person. */
static void cases_console_queue(struct hc_store *st, const struct cases_env *e)
{
    int64_t later = console_booking(st, "Q-LATER", "L-Q-1", "2024-05-01T08:00:00Z",
                                    "in_custody", "2024-06-01T09:00:00Z");
    int64_t soon = console_booking(st, "Q-SOON", "L-Q-2", "2024-05-01T09:00:00Z", "in_custody",
                                   "2024-05-10T09:00:00Z");
    int64_t open = console_booking(st, "Q-OPEN", "L-Q-3", "2024-05-01T10:00:00Z", "in_custody",
                                   NULL);
    int64_t gone = console_booking(st, "Q-GONE", "L-Q-4", "2024-05-01T11:00:00Z", "released",
                                   NULL);
    int64_t r_later, r_soon, r_old, r_new, r_gone, did = 0, oid = 0;
    struct store_queue_item *q = NULL;
    struct store_override o;
    size_t n = 99;

    r_later = cases_request(st, later, "hold", "2024-05-02", "prohibited", "c", NULL);
    r_old = cases_request(st, open, "notification", "2024-05-02", "permitted", "c", NULL);
    r_soon = cases_request(st, soon, "hold", "2024-05-02", "prohibited", "c", NULL);
    r_gone = cases_request(st, gone, "hold", "2024-05-04", "prohibited", "c", NULL);
    r_new = cases_request(st, open, "transfer", "2024-05-03", "review", "c", &did);
    memset(&o, 0, sizeof o);
    o.request_id = r_new;
    o.decision_id = did;
    o.outcome = "prohibited";
    o.reason = "a supervisor's review";
    o.created_by = "sup";
    assert_int_equal(store_override_add(st, &o, &oid), HC_OK);

    assert_int_equal(store_console_queue(st, 0, 500, e->a, &q, &n), HC_OK);
    assert_int_equal(n, 5);
    assert_int_equal(q[0].req.id, r_soon);
    assert_string_equal(q[0].booking_no, "Q-SOON");
    assert_string_equal(q[0].scheduled_release, "2024-05-10T09:00:00Z");
    assert_string_equal(q[0].booking_status, "in_custody");
    assert_string_equal(q[0].person_name, "L-Q-2");
    assert_true(q[0].person_id > 0);
    assert_string_equal(q[0].ruleset, "CA-2018-01-01");
    assert_string_equal(q[0].req.outcome, "prohibited");
    assert_null(q[0].req.decision_json);
    assert_int_equal(q[1].req.id, r_later);
    /* No scheduled release: newest request first. */
    assert_int_equal(q[2].req.id, r_gone);
    assert_string_equal(q[2].booking_status, "released");
    assert_null(q[2].scheduled_release);
    assert_int_equal(q[3].req.id, r_new);
    assert_string_equal(q[3].req.type, "transfer");
    assert_string_equal(q[3].req.outcome, "prohibited"); /* the override is in force */
    assert_string_equal(q[3].req.engine_outcome, "review");
    assert_int_equal(q[3].req.override_id, oid);
    assert_int_equal(q[4].req.id, r_old);
    assert_int_equal(q[3].person_id, q[4].person_id);

    /* In custody only: the released booking's request is left out. */
    assert_int_equal(store_console_queue(st, 1, 500, e->a, &q, &n), HC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(q[2].req.id, r_new);
    /* At most limit. */
    assert_int_equal(store_console_queue(st, 0, 2, e->a, &q, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(q[1].req.id, r_later);
    assert_int_equal(store_console_queue(st, 0, 0, e->a, &q, &n), HC_EINVAL);
    assert_int_equal(store_console_queue(st, 0, 501, e->a, &q, &n), HC_EINVAL);
}

/* A request's audit trail holds the entries about it and its rows, oldest first, and none
 * about another request; a person's bookings are listed newest first. */
static void cases_console_trail(struct hc_store *st, const struct cases_env *e)
{
    int64_t bid = console_booking(st, "TR-1", "L-TR-1", "2024-01-05T08:00:00Z", "in_custody",
                                  NULL);
    int64_t did = 0, rid = cases_request(st, bid, "interview", "2024-05-02",
                                         "permitted_with_conditions", "c", &did);
    int64_t other = cases_request(st, bid, "hold", "2024-05-03", "prohibited", "c", NULL);
    struct store_notice n = {.request_id = rid, .kind = "consent", .recipient = "person",
                             .language = "en", .subdivision = "7283.1(a)",
                             .generated_by = "clerk-1"};
    struct store_notice_service sv = {.served_to = "Testperson", .method = "in_person",
                                      .served_by = "clerk-1"};
    struct store_consent c = {.request_id = rid, .answer = "consent", .recorded_by = "clerk-1"};
    struct store_intent in = {.request_id = rid, .intent = "yes", .recorded_by = "clerk-1"};
    struct store_disclosure dc = {.request_id = rid, .release_date = "2024-05-09",
                                  .told_at = "2024-05-03T10:00:00Z", .recorded_by = "clerk-1"};
    struct store_interview iv = {.request_id = rid, .status = "refused",
                                 .recorded_by = "clerk-1"};
    struct store_warrant w = {.request_id = rid, .court = "Test Court", .judge = "Testjudge",
                              .recorded_by = "clerk-1"};
    struct store_override o = {.request_id = rid, .decision_id = did, .outcome = "review",
                               .reason = "a second look", .created_by = "sup"};
    struct store_action x = {.request_id = rid, .kind = "released_before_ice",
                             .at = "2024-05-03T08:00:00Z", .recorded_by = "clerk-1"};
    static const char *const actions[] = {
        "request.receive", "decision.record", "notice.generate", "notice.serve",
        "consent.record",  "intent.record",   "release.disclose", "interview.record",
        "warrant.record",  "override.record", "action.record"};
    struct store_audit_entry *t = NULL;
    const char **nos = NULL;
    struct store_record r;
    struct hc_diag d;
    int64_t nid = 0, id = 0, pid;
    size_t k = 99, i;

    assert_int_equal(store_notice_add(st, &n, &nid), HC_OK);
    assert_int_equal(store_notice_serve(st, nid, &sv, &d), HC_OK);
    assert_int_equal(store_consent_add(st, &c, &id), HC_OK);
    assert_int_equal(store_intent_add(st, &in, &id), HC_OK);
    assert_int_equal(store_disclosure_add(st, &dc, &id), HC_OK);
    assert_int_equal(store_interview_add(st, &iv, &id), HC_OK);
    assert_int_equal(store_warrant_add(st, &w, &id), HC_OK);
    assert_int_equal(store_override_add(st, &o, &id), HC_OK);
    assert_int_equal(store_action_add(st, &x, &id), HC_OK);
    /* Another request's rows: not in this one's trail. */
    c.request_id = other;
    assert_int_equal(store_consent_add(st, &c, &id), HC_OK);

    assert_int_equal(store_request_audit(st, rid, e->a, &t, &k), HC_OK);
    assert_int_equal(k, sizeof actions / sizeof actions[0]);
    for (i = 0; i < k; i++) {
        assert_string_equal(t[i].action, actions[i]);
        if (i > 0)
            assert_true(t[i].seq > t[i - 1].seq);
        assert_non_null(t[i].hash);
        assert_non_null(t[i].payload);
    }
    assert_string_equal(t[2].entity, t[3].entity); /* the notice, generated then served */
    assert_int_equal(store_request_audit(st, other, e->a, &t, &k), HC_OK);
    assert_int_equal(k, 3); /* received, decided, the consent */
    assert_int_equal(store_request_audit(st, rid + 1000, e->a, &t, &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 1 + 11 + 3);

    /* The person's bookings, newest first; an unknown person. */
    assert_int_equal(store_record_get(st, "TR-1", e->a, &r), HC_OK);
    pid = r.person.id;
    {
        struct store_booking_new b;
        memset(&b, 0, sizeof b);
        b.booking.person_id = pid;
        b.booking.booked_at = "2024-03-05T08:00:00Z";
        b.booking.facility = "Test Jail";
        b.booking.status = "in_custody";
        b.booking.booking_no = "TR-3";
        assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
        b.booking.booked_at = "2023-11-05T08:00:00Z";
        b.booking.booking_no = "TR-0";
        assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    }
    console_booking(st, "TR-X", "L-TR-X", "2024-09-01T08:00:00Z", "in_custody", NULL);
    assert_int_equal(store_person_bookings(st, pid, e->a, &nos, &k), HC_OK);
    assert_int_equal(k, 3);
    assert_string_equal(nos[0], "TR-3");
    assert_string_equal(nos[1], "TR-1");
    assert_string_equal(nos[2], "TR-0");
    assert_int_equal(store_person_bookings(st, pid + 1000, e->a, &nos, &k), HC_ENOENT);
}

#endif

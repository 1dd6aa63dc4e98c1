/* SPDX-License-Identifier: MIT
 * cases_reports.h: what the reports area of the store promises (store_reports.h), checked the
 * same way against each backend: test_store.c runs it on SQLite, test_pg.c on PostgreSQL, so
 * that the same records give the same rows and tallies on both. The caller gives a fresh store
 * with no bookings and a struct cases_env (cases_records.h). A small year of records is
 * written through the store's own writes: bookings (some released), requests, versioned
 * decisions, an override, actions, and notices where the backend has the console area. Every
 * booking number, person and id is synthetic. */
#ifndef HC_TEST_CASES_REPORTS_H
#define HC_TEST_CASES_REPORTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_records.h"
#include "clock.h"
#include "store.h"

/* The period: the year 2025 in UTC. */
#define CASES_FROM "2025-01-01T00:00:00Z"
#define CASES_TO "2026-01-01T00:00:00Z"

/* A decision's JSON that cites a qualifying fact. */
#define CASES_CITING                                                                           \
    "{\"outcome\":\"prohibited\",\"basis\":[\"Gov. Code 7284.6(a)(1)(B)\",\"SB 54\"],"         \
    "\"qualifying\":[{\"provision\":\"7282.5(a)(1)\",\"fact\":\"serious felony\","             \
    "\"citation\":\"PC 1192.7(c)\"},{\"provision\":\"7282.5(a)(3)\"}],\"conditions\":[]}"

/* Book person name (born dob) as booking no, released at released (NULL: in custody). */
static int64_t cases_report_booking(struct hc_store *st, const char *no, const char *name,
                                    const char *dob, const char *released)
{
    struct store_booking_new b;
    struct hc_diag d;
    int64_t id = 0;
    memset(&b, 0, sizeof b);
    b.booking.booking_no = no;
    b.booking.booked_at = "2024-10-01T08:00:00-07:00";
    b.booking.facility = "Test Jail";
    b.booking.status = released ? "released" : "in_custody";
    b.booking.released_at = released;
    b.person.name = name;
    b.person.date_of_birth = dob;
    b.person.local_id = no;
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    return id;
}

/* Receive a request of type on booking (received) and decide it outcome with decision_json;
 * *did (OUT) the decision. Returns the request. */
static int64_t cases_report_request(struct hc_store *st, int64_t booking, const char *type,
                                    const char *received, const char *outcome, const char *json,
                                    int64_t *did)
{
    const struct store_request rq = {.type = type, .form = "I-247A", .received_at = received};
    struct store_decision dec = {.outcome = outcome, .ruleset = "CA-2018-01-01",
                                 .case_json = "{\"as_of\":\"2025-01-01\"}",
                                 .decision_json = json, .decided_by = "clerk-1"};
    int64_t rid = 0;
    assert_int_equal(store_request_add(st, booking, &rq, "clerk-1", &rid), HC_OK);
    dec.request_id = rid;
    assert_int_equal(store_decision_add(st, &dec, did), HC_OK);
    return rid;
}

/* Record action kind on request at; returns its id. */
static int64_t cases_report_action(struct hc_store *st, int64_t request, const char *kind,
                                   const char *at, int contrary)
{
    struct store_action x = {.request_id = request, .kind = kind, .at = at,
                             .recorded_by = "clerk-1", .contrary = contrary};
    int64_t id = 0;
    if (strcmp(kind, "notified") == 0) {
        x.method = "phone";
        x.acted_by = "Deputy Test";
    }
    if (strcmp(kind, "transferred") == 0)
        x.office = "Test ERO";
    if (strcmp(kind, "lifted_by_ice") == 0)
        x.ice_reason = "case_closed";
    if (contrary)
        x.reason = "a federal criminal warrant";
    assert_int_equal(store_action_add(st, &x, &id), HC_OK);
    return id;
}

/* The value of field name of record r, or NULL. */
static const char *cases_field(const struct store_report_record *r, const char *name)
{
    size_t i;
    for (i = 0; i < r->nfields; i++)
        if (strcmp(r->field[i], name) == 0)
            return r->value[i];
    fail_msg("%s has no field %s", r->table, name);
    return NULL;
}

/* rd: a report that read the bookings b[0..nb) and the decisions d[0..nd) with the provisions
 * kept beside them, and could have read any override or action. */
static void cases_report_read(struct store_report_read *rd, const int64_t *b, size_t nb,
                              const int64_t *d, size_t nd)
{
    memset(rd, 0, sizeof *rd);
    rd->tables = (1u << STORE_REPORT_BOOKINGS) | (1u << STORE_REPORT_DECISIONS) |
                 (1u << STORE_REPORT_OVERRIDES) | (1u << STORE_REPORT_ACTIONS);
    rd->ids[STORE_REPORT_BOOKINGS] = b;
    rd->n[STORE_REPORT_BOOKINGS] = nb;
    rd->ids[STORE_REPORT_DECISIONS] = d;
    rd->n[STORE_REPORT_DECISIONS] = nd;
    rd->citations = 1;
}

/* A small year of records, and every row and tally each operation gives for it: the period
 * is read as the instants the stored times name (offsets honoured), the outcome in force is
 * the newest decision's with its most restrictive override, and only what the year holds is
 * read. */
static void cases_reports_year(struct hc_store *st, const struct cases_env *e)
{
    struct store_report_transfer *tr = NULL;
    struct store_report_release *rel = NULL;
    struct store_report_action *acts = NULL;
    struct store_report_forum fo;
    struct store_report_tally *ty = NULL;
    struct store_report_record *rec = NULL;
    struct store_report_booking *bk = NULL;
    struct store_report_read rd;
    struct store_audit_report rep;
    int64_t b1, b2, b3, b4, n1, n2, h3, x0, x9, n4, d1, d2, d3, d3b, dx = 0, o2 = 0;
    int64_t a_notified, a_lifted, a_transferred, a_declined, notice = 0;
    int64_t bids[3], decs[1];
    size_t n = 0, nacts = 0, i;
    int has_notices = st->console != NULL;

    hc_clock_set(1746057600); /* 2025-05-01T00:00:00Z: decisions, overrides and notices */
    b1 = cases_report_booking(st, "RPT-1", "Testperson, One", "1990-02-03",
                              "2025-03-10T12:00:00-08:00");
    b2 = cases_report_booking(st, "RPT-2", "Testperson, Two", NULL, "2025-06-01T00:00:00Z");
    b3 = cases_report_booking(st, "RPT-3", "Testperson, Three", "2000-12-31", NULL);
    b4 = cases_report_booking(st, "RPT-4", "Testperson, Four", "1980-01-01",
                              "2024-11-01T00:00:00Z");
    n1 = cases_report_request(st, b1, "notification", "2025-03-01T09:00:00-08:00", "permitted",
                              "{\"outcome\":\"permitted\"}", &d1);
    /* A date alone: midnight UTC, as on SQLite. */
    n2 = cases_report_request(st, b2, "notification", "2025-06-02", "permitted",
                              "{\"outcome\":\"permitted\"}", &d2);
    h3 = cases_report_request(st, b3, "hold", "2025-04-01T10:00:00Z", "review",
                              "{\"outcome\":\"review\"}", &d3);
    /* In the period by its instant (2025-01-01T07:00Z), though its local date is 2024's. */
    x0 = cases_report_request(st, b3, "transfer", "2024-12-31T23:00:00-08:00", "permitted",
                              "{\"outcome\":\"permitted\"}", &dx);
    /* Out of the period by its instant (2026-01-01T04:00Z). */
    x9 = cases_report_request(st, b3, "transfer", "2025-12-31T20:00:00-08:00", "permitted",
                              "{\"outcome\":\"permitted\"}", &dx);
    n4 = cases_report_request(st, b4, "notification", "2024-10-15T00:00:00Z", "permitted",
                              "{\"outcome\":\"permitted\"}", &dx);
    {
        /* h3 decided again: the newest decision is the one in force. */
        struct store_decision dec = {.request_id = h3, .outcome = "prohibited",
                                     .ruleset = "CA-2024-01-01",
                                     .case_json = "{\"as_of\":\"2025-04-01\"}",
                                     .decision_json = CASES_CITING, .decided_by = "clerk-2"};
        struct store_override o = {.request_id = n2, .decision_id = d2, .outcome = "review",
                                   .reason = "a second look", .created_by = "sup"};
        assert_int_equal(store_decision_add(st, &dec, &d3b), HC_OK);
        assert_int_equal(store_override_add(st, &o, &o2), HC_OK);
    }
    a_notified = cases_report_action(st, n1, "notified", "2025-03-09T10:00:00Z", 0);
    a_lifted = cases_report_action(st, n1, "lifted_by_ice", "2025-03-11T10:00:00Z", 0);
    a_transferred = cases_report_action(st, h3, "transferred", "2025-04-02T10:00:00-07:00", 1);
    a_declined = cases_report_action(st, n2, "declined", "2025-06-01T00:00:00Z", 0);
    cases_report_action(st, n4, "notified", "2024-10-20T00:00:00Z", 0); /* out of the year */
    if (has_notices) {
        const struct store_notice nt = {.request_id = h3, .kind = "copy", .recipient = "person",
                                        .language = "en", .subdivision = "7283.1(b)",
                                        .intent = "undecided", .generated_by = "clerk-1"};
        assert_int_equal(store_notice_add(st, &nt, &notice), HC_OK);
    }
    hc_clock_set(0);

    /* Transfers: the transferred action, with the newest decision and its outcome. */
    assert_int_equal(store_report_transfers(st, CASES_FROM, CASES_TO, e->a, &tr, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tr[0].action_id, a_transferred);
    assert_int_equal(tr[0].request_id, h3);
    assert_string_equal(tr[0].at, "2025-04-02T10:00:00-07:00");
    assert_int_equal(tr[0].at_epoch, 1743613200);
    assert_string_equal(tr[0].request_type, "hold");
    assert_int_equal(tr[0].contrary, 1);
    assert_string_equal(tr[0].outcome, "prohibited");
    assert_string_equal(tr[0].ruleset, "CA-2024-01-01");
    assert_string_equal(tr[0].decision_json, CASES_CITING);
    assert_int_equal(tr[0].decision_id, d3b);
    assert_int_equal(tr[0].override_id, 0);
    /* The period's end is not in it; a period with nothing in it is empty. */
    assert_int_equal(store_report_transfers(st, CASES_FROM, "2025-04-02T17:00:00Z", e->a, &tr,
                                            &n), HC_OK);
    assert_int_equal(n, 0);

    /* Releases: by release time, with every action on their requests. */
    assert_int_equal(store_report_releases(st, CASES_FROM, CASES_TO, e->a, &rel, &n, &acts,
                                           &nacts), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rel[0].booking_id, b1);
    assert_int_equal(rel[0].request_id, n1);
    assert_int_equal(rel[0].released_epoch, 1741636800);
    assert_int_equal(rel[0].received_epoch, 1740848400);
    assert_string_equal(rel[0].engine_outcome, "permitted");
    assert_string_equal(rel[0].outcome, "permitted");
    assert_int_equal(rel[0].override_id, 0);
    assert_string_equal(rel[0].ruleset, "CA-2018-01-01");
    assert_int_equal(rel[0].decision_id, d1);
    assert_int_equal(rel[1].booking_id, b2);
    assert_int_equal(rel[1].request_id, n2);
    assert_int_equal(rel[1].released_epoch, 1748736000);
    assert_int_equal(rel[1].received_epoch, 1748822400);
    assert_string_equal(rel[1].engine_outcome, "permitted");
    assert_string_equal(rel[1].outcome, "review"); /* the override */
    assert_int_equal(rel[1].override_id, o2);
    assert_int_equal(nacts, 3);
    assert_int_equal(acts[0].id, a_notified);
    assert_int_equal(acts[0].request_id, n1);
    assert_string_equal(acts[0].kind, "notified");
    assert_int_equal(acts[0].at_epoch, 1741514400);
    assert_int_equal(acts[1].id, a_lifted);
    assert_int_equal(acts[2].id, a_declined);
    assert_int_equal(acts[2].request_id, n2);

    /* The forum packet: requests received, actions taken, notices generated in the year. */
    assert_int_equal(store_report_forum(st, CASES_FROM, CASES_TO, e->a, &fo), HC_OK);
    assert_int_equal(fo.nrequests, 4);
    assert_int_equal(fo.requests[0].id, x0);
    assert_int_equal(fo.requests[0].epoch, 1735714800);
    assert_int_equal(fo.requests[1].id, n1);
    assert_string_equal(fo.requests[1].kind, "permitted");
    assert_int_equal(fo.requests[1].decision_id, d1);
    assert_int_equal(fo.requests[2].id, h3);
    assert_string_equal(fo.requests[2].kind, "prohibited");
    assert_string_equal(fo.requests[2].ruleset, "CA-2024-01-01");
    assert_int_equal(fo.requests[3].id, n2);
    assert_string_equal(fo.requests[3].kind, "review");
    assert_int_equal(fo.requests[3].override_id, o2);
    assert_int_equal(fo.nactions, 4);
    assert_int_equal(fo.actions[0].id, a_notified);
    assert_string_equal(fo.actions[0].birth_date, "1990-02-03");
    assert_int_equal(fo.actions[0].booking_id, b1);
    assert_int_equal(fo.actions[1].id, a_lifted);
    assert_string_equal(fo.actions[1].reason, "case_closed");
    assert_null(fo.actions[1].birth_date); /* not a kind whose age is counted */
    assert_int_equal(fo.actions[1].booking_id, 0);
    assert_int_equal(fo.actions[2].id, a_transferred);
    assert_int_equal(fo.actions[2].flag, 1);
    assert_string_equal(fo.actions[2].request_type, "hold");
    assert_int_equal(fo.actions[3].id, a_declined);
    assert_int_equal(fo.ninterviews, 0);
    assert_int_equal(fo.nnotices, has_notices ? 1 : 0);
    if (has_notices) {
        assert_int_equal(fo.notices[0].id, notice);
        assert_string_equal(fo.notices[0].kind, "copy");
        assert_int_equal(fo.notices[0].flag, 0);
    }

    /* The tallies. */
    assert_int_equal(store_report_tally(st, STORE_TALLY_TRANSFERS, CASES_FROM, CASES_TO, e->a,
                                        &ty, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ty[0].request_id, h3);
    assert_int_equal(ty[0].id, a_transferred);
    assert_string_equal(ty[0].v[0], "7282.5(a)(1)");
    assert_string_equal(ty[0].v[1], "serious felony");
    assert_string_equal(ty[0].v[2], "PC 1192.7(c)");
    assert_string_equal(ty[0].v[3], "prohibited");
    assert_int_equal(ty[0].n[0], 1);
    assert_int_equal(store_report_tally(st, STORE_TALLY_RELEASES, CASES_FROM, CASES_TO, e->a,
                                        &ty, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ty[0].id, b1);
    assert_int_equal(ty[0].request_id, n1);
    assert_string_equal(ty[0].v[0], "permitted");
    assert_null(ty[0].v[1]);
    assert_int_equal(ty[0].n[0], 0); /* received before the release */
    assert_int_equal(ty[0].n[1], 1); /* notified before it */
    assert_int_equal(ty[0].n[2], 0); /* lifted after it */
    assert_int_equal(ty[0].n[3], 0);
    assert_int_equal(ty[0].n[4], 0);
    assert_int_equal(ty[1].id, b2);
    assert_int_equal(ty[1].n[0], 1); /* received after the release */
    assert_int_equal(ty[1].n[1], 0);
    assert_int_equal(ty[1].n[3], 1); /* declined at the release */
    assert_int_equal(ty[1].n[4], 1); /* the review override */
    assert_int_equal(store_report_tally(st, STORE_TALLY_FORUM, CASES_FROM, CASES_TO, e->a, &ty,
                                        &n), HC_OK);
    assert_int_equal(n, 4 + 4 + (has_notices ? 1 : 0));
    for (i = 0; i < n; i++) {
        const struct store_report_tally *t = &ty[i];
        if (strcmp(t->v[3], "request") == 0 && t->id == n1) {
            assert_string_equal(t->v[0], "notification");
            assert_string_equal(t->v[1], "2025-03");
            assert_string_equal(t->v[2], "permitted");
        } else if (strcmp(t->v[3], "request") == 0 && t->id == n2) {
            assert_string_equal(t->v[2], "review");
        } else if (strcmp(t->v[3], "action") == 0 && t->id == a_notified) {
            assert_string_equal(t->v[0], "notified");
            assert_null(t->v[1]);
            assert_string_equal(t->v[2], "notification");
            assert_int_equal(t->n[0], 0);
            assert_int_equal(t->n[1], 35); /* born 1990-02-03, acted 2025-03-09 */
        } else if (strcmp(t->v[3], "action") == 0 && t->id == a_transferred) {
            assert_int_equal(t->n[0], 1);
            assert_int_equal(t->n[1], 24); /* born 2000-12-31, acted 2025-04-02 */
        } else if (strcmp(t->v[3], "action") == 0 && t->id == a_declined) {
            assert_int_equal(t->n[1], -1); /* no birth date */
        } else if (strcmp(t->v[3], "action") == 0 && t->id == a_lifted) {
            assert_string_equal(t->v[1], "case_closed");
        } else if (strcmp(t->v[3], "notice") == 0) {
            assert_int_equal(t->id, notice);
            assert_string_equal(t->v[0], "copy");
        } else {
            assert_string_equal(t->v[3], "request");
            assert_true(t->id == x0 || t->id == h3);
        }
    }
    assert_int_equal(store_report_tally(st, STORE_TALLY_CPRA, CASES_FROM, CASES_TO, e->a, &ty,
                                        &n), HC_OK);
    /* 4 requests, the 7 decisions of 2025-05-01, the override, 4 actions, the notice. */
    assert_int_equal(n, 4 + 7 + 1 + 4 + (has_notices ? 1 : 0));
    {
        size_t per[4] = {0, 0, 0, 0};
        static const char *const tables[4] = {"immigration_requests", "decisions", "overrides",
                                              "request_actions"};
        for (i = 0; i < n; i++) {
            size_t j;
            for (j = 0; j < 4; j++)
                per[j] += strcmp(ty[i].v[0], tables[j]) == 0;
            if (strcmp(ty[i].v[0], "overrides") == 0) {
                assert_int_equal(ty[i].id, o2);
                assert_int_equal(ty[i].request_id, n2);
                assert_string_equal(ty[i].v[1], "notification");
                assert_true(ty[i].n[0] > 0); /* the person of RPT-2 */
            }
        }
        assert_int_equal(per[0], 4);
        assert_int_equal(per[1], 7);
        assert_int_equal(per[2], 1);
        assert_int_equal(per[3], 4);
    }
    assert_int_equal(store_report_tally(st, STORE_TALLY_NOTIFIED_BOOKINGS, CASES_FROM, CASES_TO,
                                        e->a, &ty, &n), HC_OK);
    assert_int_equal(n, 3); /* b1, b2 and b4, released in another year */
    assert_int_equal(ty[0].id, b1);
    assert_int_equal(ty[1].id, b2);
    assert_int_equal(ty[2].id, b4);
    assert_int_equal(store_report_tally(st, (enum store_report_tally_kind)99, CASES_FROM,
                                        CASES_TO, e->a, &ty, &n), HC_EINVAL);

    /* The cpra bundle's records, table by table, each with its own columns. */
    assert_int_equal(store_report_records(st, STORE_REC_REQUESTS, CASES_FROM, CASES_TO, e->a,
                                          &rec, &n), HC_OK);
    assert_int_equal(n, 4);
    assert_string_equal(rec[0].table, "immigration_requests");
    assert_int_equal(rec[0].id, x0);
    assert_int_equal(rec[0].epoch, 1735714800);
    assert_int_equal(rec[0].booking_id, b3);
    assert_int_equal(rec[0].person_id, 0); /* the caller's to fill */
    assert_null(rec[0].person_name);
    assert_string_equal(cases_field(&rec[0], "received_at"), "2024-12-31T23:00:00-08:00");
    assert_string_equal(cases_field(&rec[0], "form"), "I-247A");
    assert_string_equal(cases_field(&rec[0], "judicial_warrant"), "0");
    assert_int_equal(rec[3].id, n2);
    assert_string_equal(cases_field(&rec[3], "engine_outcome"), "permitted");
    assert_string_equal(cases_field(&rec[3], "outcome_in_force"), "review");
    assert_int_equal(strtoll(cases_field(&rec[3], "override_in_force"), NULL, 10), o2);
    assert_null(cases_field(&rec[0], "override_in_force"));
    assert_int_equal(store_report_records(st, STORE_REC_DECISIONS, CASES_FROM, CASES_TO, e->a,
                                          &rec, &n), HC_OK);
    assert_int_equal(n, 7);
    for (i = 0; i < n && rec[i].id != d3b; i++)
        ;
    assert_true(i < n);
    assert_int_equal(rec[i].request_id, h3);
    assert_string_equal(rec[i].request_type, "hold");
    assert_string_equal(cases_field(&rec[i], "version"), "2");
    assert_string_equal(cases_field(&rec[i], "outcome"), "prohibited");
    assert_string_equal(cases_field(&rec[i], "decided_by"), "clerk-2");
    assert_string_equal(cases_field(&rec[i], "basis"), "Gov. Code 7284.6(a)(1)(B); SB 54");
    assert_string_equal(cases_field(&rec[i], "qualifying"),
                        "7282.5(a)(1) (PC 1192.7(c)); 7282.5(a)(3)");
    assert_null(cases_field(&rec[i], "conditions"));
    assert_int_equal(store_report_records(st, STORE_REC_ACTIONS, CASES_FROM, CASES_TO, e->a,
                                          &rec, &n), HC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rec[0].id, a_notified);
    assert_int_equal(rec[2].id, a_transferred);
    assert_int_equal(rec[2].epoch, 1743613200);
    assert_string_equal(cases_field(&rec[2], "office"), "Test ERO");
    assert_string_equal(cases_field(&rec[2], "contrary"), "1");
    assert_null(cases_field(&rec[2], "method"));
    assert_int_equal(rec[2].nfields, 11);
    assert_int_equal(store_report_records(st, STORE_REC_OVERRIDES, CASES_FROM, CASES_TO, e->a,
                                          &rec, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(cases_field(&rec[0], "reason"), "a second look");
    assert_int_equal(store_report_records(st, STORE_REC_NOTICES, CASES_FROM, CASES_TO, e->a,
                                          &rec, &n), HC_OK);
    assert_int_equal(n, has_notices ? 1 : 0);
    for (i = 0; i < STORE_REC_NTABLES; i++)
        assert_int_equal(store_report_records(st, (enum store_report_record_table)i,
                                              "2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z",
                                              e->a, &rec, &n), HC_OK);
    assert_int_equal(store_report_records(st, STORE_REC_NTABLES, CASES_FROM, CASES_TO, e->a,
                                          &rec, &n), HC_EINVAL);

    /* Whom bookings are about: the stored ones, in id order. */
    bids[0] = b1;
    bids[1] = b3;
    bids[2] = b4 + 1000;
    assert_int_equal(store_report_bookings(st, bids, 3, e->a, &bk, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(bk[0].booking_id, b1);
    assert_string_equal(bk[0].booking_no, "RPT-1");
    assert_string_equal(bk[0].person_name, "Testperson, One");
    assert_string_equal(bk[0].birth_date, "1990-02-03");
    assert_true(bk[0].person_id > 0);
    assert_string_equal(bk[1].booking_no, "RPT-3");
    assert_int_equal(store_report_bookings(st, bids, 0, e->a, &bk, &n), HC_OK);
    assert_int_equal(n, 0);

    /* The rows a report read, against the chain: all agree, until one is edited. */
    bids[0] = b1;
    bids[1] = b2;
    decs[0] = d3b;
    cases_report_read(&rd, bids, 2, decs, 1);
    assert_int_equal(store_report_verify(st, &rd, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    /* 2 bookings, both of h3's decisions, the override, the 5 actions. */
    assert_int_equal(rep.bound_rows, 2 + 2 + 1 + 5);
    assert_int_equal(run_sql(e, "UPDATE bookings SET facility = 'Elsewhere'"
                                " WHERE booking_no = 'RPT-2'"), 0);
    assert_int_equal(store_report_verify(st, &rd, &rep), HC_OK);
    assert_int_equal(rep.row_problems, 1);
    assert_string_equal(rep.row[0].table, "bookings");
    assert_int_equal(rep.row[0].id, b2);
    assert_int_equal(rep.row[0].problem, STORE_AUDIT_ROW_CHANGED);
    rd.n[STORE_REPORT_BOOKINGS] = 1; /* RPT-2 not read: not checked */
    assert_int_equal(store_report_verify(st, &rd, &rep), HC_OK);
    assert_int_equal(rep.row_problems, 0);
    (void)x9;
}

#endif

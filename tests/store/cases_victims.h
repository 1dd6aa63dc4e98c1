/* SPDX-License-Identifier: MIT
 * cases_victims.h: what victim notification's rows promise (store_victims.h), checked the same
 * way against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL, on a
 * fresh store with a struct cases_env (cases_records.h). Every name and address is synthetic. */
#ifndef HC_TEST_CASES_VICTIMS_H
#define HC_TEST_CASES_VICTIMS_H

#include <string.h>

#include "cases_records.h"
#include "store.h"

/* A registration for booking no by a synthetic registrant (target addr). */
static struct store_victim cases_victim(const char *no, int follows_person, const char *addr)
{
    struct store_victim v;
    memset(&v, 0, sizeof v);
    v.booking_no = no;
    v.follows_person = follows_person;
    v.name = "Registrant, Test";
    v.relation = "victim";
    v.channel = "email";
    v.target = addr;
    v.lang = "es";
    v.created_by = "v-clerk";
    return v;
}

/* Book another booking, number no, of the person of booking `of`; returns its id. */
static int64_t cases_rebook(struct hc_store *st, const struct cases_env *e, const char *of,
                            const char *no)
{
    struct store_booking_new b;
    struct store_record r;
    struct hc_diag d;
    int64_t id = 0;
    assert_int_equal(store_record_get(st, of, e->a, &r), HC_OK);
    memset(&b, 0, sizeof b);
    b.booking.booking_no = no;
    b.booking.person_id = r.person.id;
    b.booking.booked_at = "2025-06-01T10:00:00Z";
    b.booking.facility = "Test Jail";
    b.booking.status = "in_custody";
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    return id;
}

/* Registrations: written for a booking (its person taken from it), read back, listed newest
 * first, changed; those that name a booking or its person found; an unknown booking or
 * registration, or a value the schema refuses, changes nothing. The store writes no audit
 * entry of its own, so neither the name nor the target reaches the chain from here. */
static void cases_victim_registrations(struct hc_store *st, const struct cases_env *e)
{
    struct store_victim v, got, *list = NULL;
    int64_t b1 = cases_add_booking(st, "VB-1", "L-VB-1"), b2, r1 = 0, r2 = 0, id = 0;
    size_t n = 9;

    b2 = cases_rebook(st, e, "VB-1", "VB-2");
    v = cases_victim("VB-9", 0, "reg1@example.org");
    assert_int_equal(store_victim_add(st, &v, "2026-01-01T00:00:00Z", &id), HC_ENOENT);
    v = cases_victim("VB-1", 0, "reg1@example.org");
    v.relation = "neighbour";
    assert_int_equal(store_victim_add(st, &v, "2026-01-01T00:00:00Z", &id), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM victim_registrations"), 0);
    v.relation = "victim";
    assert_int_equal(store_victim_add(st, &v, "2026-01-01T00:00:00Z", &r1), HC_OK);
    v = cases_victim("VB-1", 1, "reg2@example.org");
    v.relation = "designee";
    assert_int_equal(store_victim_add(st, &v, "2026-01-01T00:05:00Z", &r2), HC_OK);
    assert_true(r1 > 0 && r2 > r1);

    assert_int_equal(store_victim_get(st, r1, e->a, &got), HC_OK);
    assert_int_equal(got.id, r1);
    assert_string_equal(got.booking_no, "VB-1");
    assert_true(got.person_id > 0);
    assert_int_equal(got.follows_person, 0);
    assert_string_equal(got.name, "Registrant, Test");
    assert_string_equal(got.relation, "victim");
    assert_string_equal(got.channel, "email");
    assert_string_equal(got.target, "reg1@example.org");
    assert_string_equal(got.lang, "es");
    assert_string_equal(got.state, "active");
    assert_string_equal(got.created_by, "v-clerk");
    assert_string_equal(got.created_at, "2026-01-01T00:00:00Z");
    assert_null(got.changed_by);
    assert_null(got.changed_at);
    assert_int_equal(store_victim_get(st, r2 + 1000, e->a, &got), HC_ENOENT);

    assert_int_equal(store_victim_list(st, "VB-1", e->a, &list, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, r2);
    assert_int_equal(list[0].follows_person, 1);
    assert_int_equal(store_victim_list(st, "VB-2", e->a, &list, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_victim_list(st, NULL, e->a, &list, &n), HC_OK);
    assert_int_equal(n, 2);

    /* Both name the person of VB-1, so both are found for the person's other booking. */
    assert_int_equal(store_victim_of_booking(st, b2, e->a, &list, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, r1); /* oldest first */

    /* A change and a removal; an unknown registration; a refused value. */
    assert_int_equal(store_victim_get(st, r1, e->a, &v), HC_OK);
    v.lang = "vi";
    v.target = "reg1-new@example.org";
    v.state = "removed";
    v.changed_by = "v-sup";
    assert_int_equal(store_victim_set(st, &v, "2026-01-02T00:00:00Z"), HC_OK);
    assert_int_equal(store_victim_get(st, r1, e->a, &got), HC_OK);
    assert_string_equal(got.lang, "vi");
    assert_string_equal(got.target, "reg1-new@example.org");
    assert_string_equal(got.state, "removed");
    assert_string_equal(got.changed_by, "v-sup");
    assert_string_equal(got.changed_at, "2026-01-02T00:00:00Z");
    v.id = r2 + 1000;
    assert_int_equal(store_victim_set(st, &v, "2026-01-02T00:00:00Z"), HC_ENOENT);
    v.id = r1;
    v.lang = "xx";
    assert_int_equal(store_victim_set(st, &v, "2026-01-03T00:00:00Z"), HC_EINVAL);
    assert_int_equal(store_victim_get(st, r1, e->a, &got), HC_OK);
    assert_string_equal(got.lang, "vi");
    /* Only active registrations are found for a booking. */
    assert_int_equal(store_victim_of_booking(st, b1, e->a, &list, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, r2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE payload LIKE '%Registrant, Test%'"
                              " OR payload LIKE '%@example.org%'"),
                     0);
}

/* The queue: a notice is due at once, claimed only when due and only once (its attempt
 * counted), put back by a requeue, finished with a status the contract names. */
static void cases_victim_notices(struct hc_store *st, const struct cases_env *e)
{
    struct store_victim v = cases_victim("VN-1", 0, "notice@example.org");
    struct store_victim_notice *ns = NULL;
    struct store_victim_job j;
    int64_t b = cases_add_booking(st, "VN-1", "L-VN-1"), r = 0, id = 0, k = -1;
    size_t n = 9;

    assert_int_equal(store_victim_add(st, &v, "2026-01-01T00:00:00Z", &r), HC_OK);
    assert_int_equal(store_victim_notice_add(st, r, b, "paroled", "{}", "2026-02-01T00:00:00Z",
                                             &id),
                     HC_EINVAL);
    assert_int_equal(store_victim_notice_add(st, r, b, "released", "{\"facility\":\"Test Jail\"}",
                                             "2026-02-01T00:00:00Z", &id),
                     HC_OK);
    assert_int_equal(store_victim_notices(st, r, e->a, &ns, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ns[0].id, id);
    assert_int_equal(ns[0].registration_id, r);
    assert_string_equal(ns[0].booking_no, "VN-1");
    assert_string_equal(ns[0].kind, "released");
    assert_string_equal(ns[0].status, "pending");
    assert_int_equal(ns[0].attempts, 0);
    assert_null(ns[0].delivered_at);

    /* Not due yet; due; claimed once. */
    assert_int_equal(store_victim_notice_claim(st, "2026-01-31T23:59:59Z", e->a, &j), HC_ENOENT);
    assert_int_equal(store_victim_notice_claim(st, "2026-02-01T00:00:00Z", e->a, &j), HC_OK);
    assert_int_equal(j.id, id);
    assert_int_equal(j.registration_id, r);
    assert_int_equal(j.attempts, 1);
    assert_string_equal(j.kind, "released");
    assert_string_equal(j.data, "{\"facility\":\"Test Jail\"}");
    assert_string_equal(j.booking_no, "VN-1");
    assert_string_equal(j.person_name, "Testperson, Alpha");
    assert_string_equal(j.name, "Registrant, Test");
    assert_string_equal(j.target, "notice@example.org");
    assert_string_equal(j.lang, "es");
    assert_string_equal(j.reg_state, "active");
    assert_int_equal(store_victim_notice_claim(st, "2026-03-01T00:00:00Z", e->a, &j), HC_ENOENT);
    assert_int_equal(store_victim_notice_requeue(st, &k), HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(store_victim_notice_claim(st, "2026-03-01T00:00:00Z", e->a, &j), HC_OK);
    assert_int_equal(j.attempts, 2);

    /* Finished: refused statuses; a retry later; delivered. */
    assert_int_equal(store_victim_notice_finish(st, id, "pending", NULL, "x",
                                                "2026-03-01T00:00:01Z"),
                     HC_EINVAL);
    assert_int_equal(store_victim_notice_finish(st, id, "sent", NULL, NULL,
                                                "2026-03-01T00:00:01Z"),
                     HC_EINVAL);
    assert_int_equal(store_victim_notice_finish(st, id + 1000, "failed", NULL, NULL,
                                                "2026-03-01T00:00:01Z"),
                     HC_ENOENT);
    assert_int_equal(store_victim_notice_finish(st, id, "pending", "2026-03-02T00:00:00Z",
                                                "mail server busy", "2026-03-01T00:00:01Z"),
                     HC_OK);
    assert_int_equal(store_victim_notices(st, r, e->a, &ns, &n), HC_OK);
    assert_string_equal(ns[0].status, "pending");
    assert_string_equal(ns[0].last_error, "mail server busy");
    assert_int_equal(store_victim_notice_claim(st, "2026-03-01T12:00:00Z", e->a, &j), HC_ENOENT);
    assert_int_equal(store_victim_notice_claim(st, "2026-03-02T00:00:00Z", e->a, &j), HC_OK);
    assert_int_equal(j.attempts, 3);
    assert_int_equal(store_victim_notice_finish(st, id, "delivered", NULL, NULL,
                                                "2026-03-02T00:00:05Z"),
                     HC_OK);
    assert_int_equal(store_victim_notices(st, r, e->a, &ns, &n), HC_OK);
    assert_string_equal(ns[0].status, "delivered");
    assert_int_equal(ns[0].attempts, 3);
    assert_string_equal(ns[0].delivered_at, "2026-03-02T00:00:05Z");
    assert_null(ns[0].last_error); /* the retry's error is replaced by the outcome's (none) */
    assert_int_equal(store_victim_notice_requeue(st, &k), HC_OK);
    assert_int_equal(k, 0);
}

#endif

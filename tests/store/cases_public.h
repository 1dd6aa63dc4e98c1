/* SPDX-License-Identifier: MIT
 * cases_public.h: what the public portal's rows promise (store_public.h), checked the same way
 * against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL, on a fresh
 * store with a struct cases_env (cases_records.h). Every name, number and address is
 * synthetic. */
#ifndef HC_TEST_CASES_PUBLIC_H
#define HC_TEST_CASES_PUBLIC_H

#include <string.h>

#include "cases_records.h"
#include "cases_victims.h"
#include "store.h"

/* Book a new person named name (local id local) as booking no at facility, in custody, or
 * released at released_at when it is not NULL; returns the booking's id. */
static int64_t cases_pub_booking(struct hc_store *st, const char *no, const char *local,
                                 const char *name, const char *facility, const char *released_at)
{
    struct store_booking_new b;
    struct hc_diag d;
    int64_t id = 0;
    memset(&b, 0, sizeof b);
    b.booking.booking_no = no;
    b.booking.booked_at = "2026-01-02T08:00:00Z";
    b.booking.facility = facility;
    b.booking.status = released_at != NULL ? "released" : "in_custody";
    b.booking.released_at = released_at;
    b.booking.scheduled_release = released_at == NULL ? "2026-03-10" : NULL;
    b.person.name = name;
    b.person.date_of_birth = "1991-04-05";
    b.person.local_id = local;
    b.charges = cases_charges;
    b.ncharges = 2;
    assert_int_equal(store_booking_add(st, &b, "test", &id, &d), HC_OK);
    return id;
}

/* The policy: nothing published, at version 1, until it is first set; a setting out of range
 * changes nothing; each change counts a version, names its author, derives the agency's
 * release_dates_public (published scheduled releases, or release dates public elsewhere) and
 * is audited "publication.update". */
static void cases_public_policy(struct hc_store *st, const struct cases_env *e)
{
    struct store_public_policy p, got;
    unsigned fields = 99;

    assert_int_equal(store_public_policy_get(st, e->a, &got), HC_OK);
    assert_int_equal(got.fields, 0);
    assert_int_equal(got.version, 1);
    assert_null(got.updated_at);
    assert_int_equal(got.release_dates_public, 0);
    assert_int_equal(store_public_policy_fields(st, &fields), HC_OK);
    assert_int_equal(fields, 0);

    memset(&p, 0, sizeof p);
    p.fields = STORE_PUB_ALL + 1;
    p.recent_days = 7;
    assert_int_equal(store_public_policy_set(st, &p, "pub-admin"), HC_EINVAL);
    p.fields = STORE_PUB_NAME;
    p.recent_days = 91;
    assert_int_equal(store_public_policy_set(st, &p, "pub-admin"), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'publication.update'"),
                     0);

    p.fields = STORE_PUB_NAME | STORE_PUB_SCHEDULED_RELEASE;
    p.recent_days = 14;
    assert_int_equal(store_public_policy_set(st, &p, "pub-admin"), HC_OK);
    assert_int_equal(store_public_policy_get(st, e->a, &got), HC_OK);
    assert_int_equal(got.fields, p.fields);
    assert_int_equal(got.recent_days, 14);
    assert_int_equal(got.release_elsewhere, 0);
    assert_int_equal(got.version, 2);
    assert_non_null(got.updated_at);
    assert_string_equal(got.updated_by, "pub-admin");
    assert_int_equal(got.release_dates_public, 1);
    assert_int_equal(store_public_policy_fields(st, &fields), HC_OK);
    assert_int_equal(fields, p.fields);

    p.fields = STORE_PUB_NAME;
    p.release_elsewhere = 1;
    assert_int_equal(store_public_policy_set(st, &p, "pub-admin2"), HC_OK);
    assert_int_equal(store_public_policy_get(st, e->a, &got), HC_OK);
    assert_int_equal(got.version, 3);
    assert_int_equal(got.release_elsewhere, 1);
    assert_int_equal(got.release_dates_public, 1);
    p.release_elsewhere = 0;
    assert_int_equal(store_public_policy_set(st, &p, "pub-admin2"), HC_OK);
    assert_int_equal(store_public_policy_get(st, e->a, &got), HC_OK);
    assert_int_equal(got.release_dates_public, 0);
    assert_string_equal(got.updated_by, "pub-admin2");
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'publication.update' AND entity = 'public_policy'"),
                     3);
}

/* An empty query of the whole population, newest first, limit rows. */
static struct store_public_query cases_pub_query(unsigned fields, int limit)
{
    struct store_public_query q;
    memset(&q, 0, sizeof q);
    q.fields = fields;
    q.released_since = "2026-01-01";
    q.limit = limit;
    q.max_names = 100;
    return q;
}

/* Public search: by booking (newest first, paged by the cursor), by booking number (as
 * written, or in capitals or small letters), by last-name prefix or whole last name (in key
 * order) with a first-name prefix, and the filters; the population is the bookings in custody
 * and, only when published, those released since released_since; charges are read without the
 * dismissed ones. Too many last names for a first-name prefix is HC_ERANGE. */
static void cases_public_search(struct hc_store *st, const struct cases_env *e)
{
    struct store_public_query q = cases_pub_query(STORE_PUB_ALL, 10);
    struct store_public_row *rows = NULL;
    char **names = NULL;
    int64_t b1, b2, b3, b4, b5;
    size_t n = 0;

    b1 = cases_pub_booking(st, "PS-1", "L-PS-1", "Garcia, Ana", "North Jail", NULL);
    b2 = cases_pub_booking(st, "PS-2", "L-PS-2", "Garcia Lopez, Bea", "South Jail", NULL);
    b3 = cases_pub_booking(st, "PS-3", "L-PS-3", "Garcia, Carlos", "North Jail", NULL);
    b4 = cases_pub_booking(st, "PS-4", "L-PS-4", "Gates, Ana", "North Jail",
                           "2026-01-05T10:00:00Z");
    b5 = cases_pub_booking(st, "PS-5", "L-PS-5", "Garcia, Ana", "North Jail",
                           "2025-06-05T10:00:00Z");
    (void)b5;

    /* By booking, newest first, with the recently released (not the older release). */
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].booking_id, b4);
    assert_int_equal(rows[3].booking_id, b1);
    assert_string_equal(rows[3].name, "Garcia, Ana");
    assert_string_equal(rows[3].facility, "North Jail");
    assert_string_equal(rows[3].status, "in_custody");
    assert_string_equal(rows[3].scheduled_release, "2026-03-10");
    assert_int_equal(rows[3].has_bail, 0);
    assert_int_equal(rows[3].ncharges, 1); /* the dismissed charge is never read */
    assert_string_equal(rows[3].charges[0].citation, "PC 211");
    assert_string_equal(rows[3].charges[0].status, "pending");
    q.fields = STORE_PUB_ALL & ~(unsigned)(STORE_PUB_RECENTLY_RELEASED | STORE_PUB_CHARGES);
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].booking_id, b3);
    assert_int_equal(rows[2].ncharges, 0); /* charges unpublished: not read */
    q.limit = 2;
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 2);
    q.has_after = 1;
    q.after_id = rows[1].booking_id;
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].booking_id, b1);
    q.limit = 0;
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_EINVAL);

    /* By number, as written or in another case; never outside the population. */
    q = cases_pub_query(STORE_PUB_ALL, 10);
    q.booking_no = "ps-2";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].booking_id, b2);
    q.booking_no = "PS-5";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 0);

    /* By name: a last-name prefix, in key order ("garcia" before "garcia lopez"). */
    q = cases_pub_query(STORE_PUB_ALL, 10);
    q.by_name = 1;
    q.last = "garc";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].name, "Garcia, Ana");
    assert_string_equal(rows[1].name, "Garcia, Carlos");
    assert_int_equal(rows[2].booking_id, b2);
    q.limit = 1;
    q.has_after = 1;
    q.after_id = rows[0].booking_id;
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].booking_id, b3);
    q = cases_pub_query(STORE_PUB_ALL, 10);
    q.by_name = 1;
    q.last = "garcia";
    q.last_whole = 1;
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 2);
    q.last = "ga";
    q.last_whole = 0;
    q.first = "an";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].booking_id, b1);
    assert_int_equal(rows[1].booking_id, b4);
    q.max_names = 1; /* garcia, garcia lopez, gates: more than one last name to visit */
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_ERANGE);

    /* The filters. */
    q = cases_pub_query(STORE_PUB_ALL, 10);
    q.facility = "South Jail";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].booking_id, b2);
    q.facility = NULL;
    q.custody_status = "released";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].booking_id, b4);
    q.custody_status = NULL;
    q.dob = "1991-04-06";
    assert_int_equal(store_public_search(st, &q, e->a, &rows, &n), HC_OK);
    assert_int_equal(n, 0);

    /* The last names with a prefix, every person's, in key order, at most max. */
    assert_int_equal(store_public_last_names(st, "ga", 5, e->a, &names, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "garcia");
    assert_string_equal(names[1], "garcia lopez");
    assert_string_equal(names[2], "gates");
    assert_int_equal(store_public_last_names(st, "ga", 2, e->a, &names, &n), HC_ERANGE);
    assert_int_equal(n, 2);
    assert_int_equal(store_public_last_names(st, "ga", 0, e->a, &names, &n), HC_EINVAL);
    assert_int_equal(store_public_last_names(st, "zz", 5, e->a, &names, &n), HC_OK);
    assert_int_equal(n, 0);
}

/* Counts the rows store_public_export gives, and stops after stop of them (0: never). */
struct cases_pub_count {
    int n, stop;
    int64_t last_id;
};

static int cases_pub_count_row(void *ctx, const struct store_public_row *r)
{
    struct cases_pub_count *c = ctx;
    assert_true(r->booking_id > c->last_id); /* by id */
    c->last_id = r->booking_id;
    c->n++;
    return c->stop != 0 && c->n >= c->stop ? 7 : 0;
}

/* The export gives every booking of the population by id, whatever the filters and the limit,
 * and stops with the callback's own non-zero value. */
static void cases_public_export(struct hc_store *st, const struct cases_env *e)
{
    struct store_public_query q = cases_pub_query(STORE_PUB_ALL, 1);
    struct cases_pub_count c = {0, 0, 0};
    (void)e;
    cases_pub_booking(st, "PX-1", "L-PX-1", "Hall, Ann", "North Jail", NULL);
    cases_pub_booking(st, "PX-2", "L-PX-2", "Hall, Ben", "South Jail", NULL);
    cases_pub_booking(st, "PX-3", "L-PX-3", "Hall, Cy", "South Jail", "2025-01-01T00:00:00Z");
    q.facility = "South Jail";
    assert_int_equal(store_public_export(st, &q, cases_pub_count_row, &c), HC_OK);
    assert_int_equal(c.n, 2);
    c.n = 0;
    c.last_id = 0;
    c.stop = 1;
    assert_int_equal(store_public_export(st, &q, cases_pub_count_row, &c), 7);
    assert_int_equal(c.n, 1);
}

/* The status line: a facility touched in a change's transaction is listed with its time, the
 * newest time is the overall one; the scan marks the facilities whose bookings or charges are
 * new since the last scan, and only those. */
static void cases_public_status(struct hc_store *st, const struct cases_env *e)
{
    struct store_facility_status *fs = NULL;
    const char *overall = "x";
    size_t n = 9;
    int changed = -1;

    assert_int_equal(store_public_status(st, e->a, &fs, &n, &overall), HC_OK);
    assert_int_equal(n, 0);
    assert_null(overall);
    assert_int_equal(store_begin(st), HC_OK);
    assert_int_equal(store_facility_touch(st, "West Jail", "2026-01-03T00:00:00Z"), HC_OK);
    assert_int_equal(store_facility_touch(st, "East Jail", "2026-01-04T00:00:00Z"), HC_OK);
    assert_int_equal(store_facility_touch(st, "West Jail", "2026-01-02T00:00:00Z"), HC_OK);
    assert_int_equal(store_commit(st), HC_OK);
    assert_int_equal(store_public_status(st, e->a, &fs, &n, &overall), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(fs[0].facility, "East Jail");
    assert_string_equal(fs[1].facility, "West Jail");
    assert_string_equal(fs[1].changed_at, "2026-01-02T00:00:00Z");
    assert_string_equal(overall, "2026-01-04T00:00:00Z");

    cases_pub_booking(st, "SS-1", "L-SS-1", "Stone, Al", "North Jail", NULL);
    assert_int_equal(store_public_status_scan(st, &changed), HC_OK);
    assert_int_equal(changed, 2); /* North Jail: a new booking, and its new charges */
    assert_int_equal(store_public_status(st, e->a, &fs, &n, &overall), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(fs[1].facility, "North Jail");
    assert_int_equal(store_public_status_scan(st, &changed), HC_OK);
    assert_int_equal(changed, 0);
}

/* The backfill gives a search key to each person written without one, and to no one twice. */
static void cases_public_namekey_backfill(struct hc_store *st, const struct cases_env *e)
{
    char **names = NULL;
    int64_t filled = -1;
    size_t n = 9;
    cases_pub_booking(st, "NK-1", "L-NK-1", "Keyed, Ann", "North Jail", NULL);
    assert_int_equal(run_sql(e, "INSERT INTO people (name, created_at) VALUES"
                                " ('Backfill, Ann', '2026-01-01T00:00:00Z'),"
                                " ('Backfill Jr, Bo', '2026-01-01T00:00:00Z')"),
                     0);
    assert_int_equal(store_public_last_names(st, "backf", 5, e->a, &names, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_namekey_backfill(st, &filled), HC_OK);
    assert_int_equal(filled, 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM people WHERE name_key IS NULL"), 0);
    assert_int_equal(store_public_last_names(st, "backf", 5, e->a, &names, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "backfill");
    assert_string_equal(names[1], "backfill jr");
    assert_int_equal(store_namekey_backfill(st, &filled), HC_OK);
    assert_int_equal(filled, 0);
}

/* A subscription request for booking no, channel email, to target, with tokens made of tag. */
static struct store_subscription cases_pub_sub(const char *no, const char *target,
                                               const char *confirm, const char *unsub)
{
    struct store_subscription s;
    memset(&s, 0, sizeof s);
    s.booking_no = no;
    s.channel = "email";
    s.target = target;
    s.events = STORE_EVT_ALL;
    s.advance_days = 3;
    s.lang = "en";
    s.confirm_token = confirm;
    s.unsubscribe_token = unsub;
    return s;
}

/* Subscriptions: a request for an unknown booking is HC_ENOENT; a new one is pending with its
 * confirmation queued, audited without the target; a repeated pending one is renewed (the
 * newest token confirms, the earlier message withdrawn); a confirmed one is only recorded
 * ("subscription.repeat", no delivery); the target's limit is recorded as refused, the
 * booking's pending limit is HC_ERANGE; a confirmation link works within its time, and after
 * confirmation always; unsubscribing ends it and cancels what is pending, once; the purge
 * removes the expired pending ones with their deliveries. */
static void cases_public_subscriptions(struct hc_store *st, const struct cases_env *e)
{
    struct store_subscription s = cases_pub_sub("SB-9", "sub1@example.org", "c1", "u1");
    struct store_subscription_info info;
    int64_t d1 = 0, d2 = 0, d = -1, k = -1;

    cases_pub_booking(st, "SB-1", "L-SB-1", "Reed, Ann", "North Jail", NULL);
    cases_pub_booking(st, "SB-2", "L-SB-2", "Reed, Bo", "North Jail", NULL);
    assert_int_equal(store_subscription_add(st, &s, &d1), HC_ENOENT);
    s.booking_no = "SB-1";
    assert_int_equal(store_subscription_add(st, &s, &d1), HC_OK);
    assert_true(d1 > 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions WHERE state = 'pending'"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'subscription.create'"),
                     1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE payload LIKE '%sub1@%'"), 0);
    s.confirm_token = "c2";
    assert_int_equal(store_subscription_add(st, &s, &d2), HC_OK);
    assert_true(d2 > d1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM deliveries WHERE status = 'cancelled'"), 1);

    assert_int_equal(store_subscription_confirm(st, "c1", "2000-01-01T00:00:00Z", e->a, &info),
                     HC_ENOENT);
    assert_int_equal(store_subscription_confirm(st, "c2", "2999-01-01T00:00:00Z", e->a, &info),
                     HC_ENOENT); /* expired */
    assert_int_equal(store_subscription_confirm(st, "c2", "2000-01-01T00:00:00Z", e->a, &info),
                     HC_OK);
    assert_string_equal(info.state, "confirmed");
    assert_string_equal(info.booking_no, "SB-1");
    assert_int_equal(info.events, STORE_EVT_ALL);
    assert_int_equal(info.advance_days, 3);
    assert_int_equal(store_subscription_confirm(st, "c2", "2999-01-01T00:00:00Z", e->a, &info),
                     HC_OK); /* confirmed already: the link still answers */
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'subscription.confirm'"),
                     1);
    s.confirm_token = "c3";
    s.unsubscribe_token = "u3";
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(d, 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'subscription.repeat'"),
                     1);

    /* The limits: this target has one live subscription; SB-2 may have one pending. */
    s = cases_pub_sub("SB-2", "sub1@example.org", "c4", "u4");
    s.max_per_target = 1;
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(d, 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'subscription.refused'"),
                     1);
    s = cases_pub_sub("SB-2", "sub2@example.org", "c5", "u5");
    s.max_pending_per_booking = 1;
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_true(d > 0);
    s = cases_pub_sub("SB-2", "sub3@example.org", "c6", "u6");
    s.max_pending_per_booking = 1;
    assert_int_equal(store_subscription_add(st, &s, &d), HC_ERANGE);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions"), 2);

    /* Unsubscribing: the pending confirmation of SB-2's is cancelled, once. */
    assert_int_equal(store_subscription_unsubscribe(st, "nope", &k), HC_ENOENT);
    assert_int_equal(store_subscription_unsubscribe(st, "u5", &k), HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(store_subscription_unsubscribe(st, "u5", &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_subscription_confirm(st, "c5", "2000-01-01T00:00:00Z", e->a, &info),
                     HC_ENOENT);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'subscription.end'"),
                     1);

    /* The purge: only pending ones created before the time, with their deliveries. */
    s = cases_pub_sub("SB-2", "sub4@example.org", "c7", "u7");
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(store_subscription_purge(st, "2000-01-01T00:00:00Z", &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_subscription_purge(st, "2999-01-01T00:00:00Z", &k), HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions"), 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM deliveries WHERE subscription_id NOT IN"
                              " (SELECT id FROM subscriptions)"),
                     0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"
                              " WHERE action = 'subscription.purge'"),
                     1);
}

/* A confirmed subscription of booking no to target (tokens from tag); returns its id. */
static int64_t cases_pub_confirmed(struct hc_store *st, const struct cases_env *e, const char *no,
                                   const char *target, const char *confirm, const char *unsub)
{
    struct store_subscription s = cases_pub_sub(no, target, confirm, unsub);
    struct store_subscription_info info;
    int64_t d = 0;
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(store_subscription_confirm(st, confirm, "2000-01-01T00:00:00Z", e->a, &info),
                     HC_OK);
    return info.id;
}

/* Events and deliveries: an event with a dedupe key is written once; it is queued to the
 * confirmed subscriptions that want it, and with follow_since to those of the person's earlier
 * bookings; a claim takes an event's delivery before any confirmation's, counts the attempt
 * and reads the job whole; nothing due is HC_ENOENT; finishing records the result (a retry
 * needs its time); the requeue puts "sending" back; the list never needs the target; an
 * advance notice is queued once per subscription and date. */
static void cases_public_deliveries(struct hc_store *st, const struct cases_env *e)
{
    struct store_delivery_job job;
    struct store_delivery_row *dl = NULL;
    int64_t b1, b2, sid, ev = 0, ev2 = -1, queued = 0, k = -1;
    size_t n = 0;

    b1 = cases_pub_booking(st, "DV-1", "L-DV-1", "Ford, Ann", "North Jail", NULL);
    sid = cases_pub_confirmed(st, e, "DV-1", "dv@example.org", "dc1", "du1");
    b2 = cases_rebook(st, e, "DV-1", "DV-2");

    /* The events are due long after the confirmation, which the claims pass over all the
     * same while an event's delivery is due. */
    assert_int_equal(store_begin(st), HC_OK);
    assert_int_equal(store_event_add(st, b1, "released", "{\"a\":1}", "2998-01-01T00:00:00Z",
                                     "rel:DV-1", &ev),
                     HC_OK);
    assert_true(ev > 0);
    assert_int_equal(store_event_add(st, b1, "released", "{}", "2998-01-01T00:00:00Z",
                                     "rel:DV-1", &ev2),
                     HC_OK);
    assert_int_equal(ev2, 0);
    assert_int_equal(store_event_deliver(st, ev, b1, STORE_EVT_RELEASED,
                                         "2998-01-01T00:00:00Z", NULL, &queued),
                     HC_OK);
    assert_int_equal(queued, 1);
    assert_int_equal(store_event_add(st, b2, "transferred", "{}", "2998-01-02T00:00:00Z", NULL,
                                     &ev2),
                     HC_OK);
    assert_int_equal(store_event_deliver(st, ev2, b2, STORE_EVT_TRANSFERRED,
                                         "2998-01-02T00:00:00Z", NULL, &queued),
                     HC_OK);
    assert_int_equal(queued, 1); /* no subscription of DV-2's own */
    assert_int_equal(store_event_deliver(st, ev2, b2, STORE_EVT_TRANSFERRED,
                                         "2998-01-02T00:00:00Z", "2999-01-01T00:00:00Z", &queued),
                     HC_OK);
    assert_int_equal(queued, 1); /* confirmed before follow_since: does not follow */
    assert_int_equal(store_event_deliver(st, ev2, b2, STORE_EVT_TRANSFERRED,
                                         "2998-01-02T00:00:00Z", "2000-01-01T00:00:00Z", &queued),
                     HC_OK);
    assert_int_equal(queued, 2); /* DV-1's follows the person */
    assert_int_equal(store_commit(st), HC_OK);

    assert_int_equal(store_delivery_claim(st, "2000-01-01T00:00:00Z", e->a, &job), HC_ENOENT);
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_OK);
    assert_int_equal(job.event_id, ev);
    assert_int_equal(job.subscription_id, sid);
    assert_int_equal(job.attempts, 1);
    assert_string_equal(job.kind, "released");
    assert_string_equal(job.event_data, "{\"a\":1}");
    assert_string_equal(job.event_at, "2998-01-01T00:00:00Z");
    assert_string_equal(job.booking_no, "DV-1");
    assert_string_equal(job.channel, "email");
    assert_string_equal(job.target, "dv@example.org");
    assert_string_equal(job.lang, "en");
    assert_string_equal(job.sub_state, "confirmed");
    assert_string_equal(job.confirm_token, "dc1");
    assert_string_equal(job.unsubscribe_token, "du1");
    assert_string_equal(job.person_name, "Ford, Ann");
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_RETRY, NULL, NULL),
                     HC_EINVAL);
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_RETRY,
                                           "2998-06-01T00:00:00Z", "timeout"),
                     HC_OK);
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_OK);
    assert_string_equal(job.kind, "transferred");
    assert_string_equal(job.booking_no, "DV-2");
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_DELIVERED, NULL, NULL),
                     HC_OK);
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_OK);
    assert_string_equal(job.kind, "released");
    assert_int_equal(job.attempts, 2); /* left "sending", as by a stopped process */
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_OK);
    assert_string_equal(job.kind, "confirm");
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_DELIVERED, NULL, NULL),
                     HC_OK);
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_ENOENT);
    assert_int_equal(store_delivery_requeue(st, &k), HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_OK);
    assert_int_equal(job.attempts, 3);
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_FAILED, NULL, "bounced"),
                     HC_OK);

    assert_int_equal(store_delivery_list(st, "delivered", 0, 10, e->a, &dl, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(dl[0].kind, "confirm");
    assert_non_null(dl[0].delivered_at);
    assert_int_equal(store_delivery_list(st, NULL, 0, 10, e->a, &dl, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(dl[1].kind, "released");
    assert_string_equal(dl[1].status, "failed");
    assert_string_equal(dl[1].last_error, "bounced");
    assert_string_equal(dl[1].next_attempt_at, "2998-06-01T00:00:00Z");
    assert_int_equal(dl[1].attempts, 3);
    assert_null(dl[1].delivered_at);
    assert_int_equal(store_delivery_list(st, NULL, dl[0].id, 1, e->a, &dl, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(dl[0].kind, "released");
    assert_int_equal(store_delivery_list(st, NULL, 0, 0, e->a, &dl, &n), HC_EINVAL);

    /* Advance notices: DV-1 (in custody, release 2026-03-10), three days ahead, once. */
    assert_int_equal(store_advance_scan(st, "2026-03-06", NULL, &queued), HC_OK);
    assert_int_equal(queued, 0);
    assert_int_equal(store_advance_scan(st, "2026-03-07", NULL, &queued), HC_OK);
    assert_int_equal(queued, 1);
    assert_int_equal(store_advance_scan(st, "2026-03-08", NULL, &queued), HC_OK);
    assert_int_equal(queued, 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM public_events WHERE kind = 'advance_notice'"
                              " AND data = '{\"days_before\":3,\"scheduled_release\":"
                              "\"2026-03-10\"}'"),
                     1);
}

/* Advance notices follow the person: a subscription of an earlier booking, confirmed at or
 * after follow_since, hears of the release date of the person's booking in custody; without
 * follow_since, or confirmed before it, it does not. */
static void cases_public_advance_follows(struct hc_store *st, const struct cases_env *e)
{
    int64_t queued = -1;
    cases_pub_booking(st, "AF-1", "L-AF-1", "Ames, Ann", "North Jail", NULL);
    cases_pub_confirmed(st, e, "AF-1", "af@example.org", "afc", "afu");
    cases_rebook(st, e, "AF-1", "AF-2");
    assert_int_equal(run_sql(e, "UPDATE bookings SET status = 'released',"
                                " released_at = '2026-02-01T00:00:00Z' WHERE booking_no = 'AF-1'"),
                     0);
    assert_int_equal(run_sql(e, "UPDATE bookings SET scheduled_release = '2026-03-10'"
                                " WHERE booking_no = 'AF-2'"),
                     0);
    assert_int_equal(store_advance_scan(st, "2026-03-07", NULL, &queued), HC_OK);
    assert_int_equal(queued, 0);
    assert_int_equal(store_advance_scan(st, "2026-03-07", "2999-01-01T00:00:00Z", &queued),
                     HC_OK);
    assert_int_equal(queued, 0);
    assert_int_equal(store_advance_scan(st, "2026-03-07", "2000-01-01T00:00:00Z", &queued),
                     HC_OK);
    assert_int_equal(queued, 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM public_events WHERE kind = 'advance_notice'"
                              " AND booking_id = (SELECT id FROM bookings"
                              " WHERE booking_no = 'AF-2')"),
                     1);
}

/* SMS: a code is tried on the newest pending subscription of the number and booking, created
 * after the time and below the tries allowed, each try counted; an opt-out ends every live SMS
 * subscription of the number, cancels their pending deliveries, queues one reply in the
 * language of its newest subscription (the given one when it has none) and is audited without
 * the number; a reply is claimed once, put back by the requeue, retried and finished. */
static void cases_public_sms(struct hc_store *st, const struct cases_env *e)
{
    struct store_subscription s = cases_pub_sub("SM-1", "+15105550100", "sc1", "su1");
    struct store_subscription_info info;
    struct store_code_try ct;
    struct store_sms_reply r;
    int64_t d = 0, ended = -1, k = -1;

    cases_pub_booking(st, "SM-1", "L-SM-1", "Sims, Ann", "North Jail", NULL);
    cases_pub_booking(st, "SM-2", "L-SM-2", "Sims, Bo", "North Jail", NULL);
    s.channel = "sms";
    s.lang = "vi";
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(store_subscription_code_try(st, "+15105550199", "SM-1",
                                                 "2000-01-01T00:00:00Z", 2, e->a, &ct),
                     HC_ENOENT);
    assert_int_equal(store_subscription_code_try(st, "+15105550100", "SM-1",
                                                 "2999-01-01T00:00:00Z", 2, e->a, &ct),
                     HC_ENOENT);
    assert_int_equal(store_subscription_code_try(st, "+15105550100", "SM-1",
                                                 "2000-01-01T00:00:00Z", 2, e->a, &ct),
                     HC_OK);
    assert_int_equal(ct.tries, 1);
    assert_string_equal(ct.confirm_token, "sc1");
    assert_string_equal(ct.unsubscribe_token, "su1");
    assert_int_equal(store_subscription_code_try(st, "+15105550100", "SM-1",
                                                 "2000-01-01T00:00:00Z", 2, e->a, &ct),
                     HC_OK);
    assert_int_equal(ct.tries, 2);
    assert_int_equal(store_subscription_code_try(st, "+15105550100", "SM-1",
                                                 "2000-01-01T00:00:00Z", 2, e->a, &ct),
                     HC_ENOENT); /* out of tries */
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions WHERE code_tries = 2"), 1);

    s = cases_pub_sub("SM-2", "+15105550100", "sc2", "su2");
    s.channel = "sms";
    s.lang = "ko";
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(store_subscription_confirm(st, "sc2", "2000-01-01T00:00:00Z", e->a, &info),
                     HC_OK);
    assert_int_equal(store_sms_stop(st, "+15105550100", "en", "STOP", &ended), HC_OK);
    assert_int_equal(ended, 2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions WHERE state = 'unsubscribed'"),
                     2);
    assert_int_equal(nrows(e, "SELECT count(*) FROM deliveries WHERE status = 'pending'"), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE action = 'subscription.stop'"
                              " AND payload NOT LIKE '%5550100%'"),
                     1);
    assert_int_equal(store_sms_stop(st, "+15105550111", "es", "ALTO", &ended), HC_OK);
    assert_int_equal(ended, 0);

    assert_int_equal(store_sms_reply_claim(st, "2000-01-01T00:00:00Z", e->a, &r), HC_ENOENT);
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_OK);
    assert_string_equal(r.target, "+15105550100");
    assert_string_equal(r.lang, "ko");
    assert_int_equal(r.attempts, 1);
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_OK);
    assert_string_equal(r.lang, "es");
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_ENOENT);
    assert_int_equal(store_delivery_requeue(st, &k), HC_OK);
    assert_int_equal(k, 0); /* the count is the deliveries': the replies go back all the same */
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_OK);
    assert_int_equal(r.attempts, 2);
    assert_int_equal(store_sms_reply_finish(st, r.id, STORE_DELIVERY_RETRY, NULL, NULL),
                     HC_EINVAL);
    assert_int_equal(store_sms_reply_finish(st, r.id, STORE_DELIVERY_CANCELLED, NULL, NULL),
                     HC_EINVAL);
    assert_int_equal(store_sms_reply_finish(st, r.id, STORE_DELIVERY_RETRY,
                                            "2998-01-01T00:00:00Z", "busy"),
                     HC_OK);
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_OK);
    assert_string_equal(r.lang, "es"); /* due before the retry */
    assert_int_equal(r.attempts, 2);
    assert_int_equal(store_sms_reply_finish(st, r.id, STORE_DELIVERY_FAILED, NULL, "gone"),
                     HC_OK);
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_OK);
    assert_string_equal(r.lang, "ko");
    assert_int_equal(r.attempts, 3);
    assert_int_equal(store_sms_reply_finish(st, r.id, STORE_DELIVERY_DELIVERED, NULL, NULL),
                     HC_OK);
    assert_int_equal(store_sms_reply_claim(st, "2999-01-01T00:00:00Z", e->a, &r), HC_ENOENT);
    assert_int_equal(nrows(e, "SELECT count(*) FROM sms_stops WHERE status = 'delivered'"), 1);
}

/* The webhook results: a challenge echoed confirms the subscription, a 410 ends it, each
 * audited once. */
static void cases_public_webhook_results(struct hc_store *st, const struct cases_env *e)
{
    struct store_subscription s = cases_pub_sub("WH-1", "https://hook.example.org/x", "wc1",
                                                "wu1");
    struct store_delivery_job job;
    int64_t d = 0;

    cases_pub_booking(st, "WH-1", "L-WH-1", "Webb, Ann", "North Jail", NULL);
    s.channel = "webhook";
    s.secret = "00ff";
    assert_int_equal(store_subscription_add(st, &s, &d), HC_OK);
    assert_int_equal(store_delivery_claim(st, "2999-01-01T00:00:00Z", e->a, &job), HC_OK);
    assert_string_equal(job.secret, "00ff");
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_CONFIRMED, NULL, NULL),
                     HC_OK);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions WHERE state = 'confirmed'"), 1);
    assert_int_equal(store_delivery_finish(st, job.id, STORE_DELIVERY_GONE, NULL, "410"), HC_OK);
    assert_int_equal(nrows(e, "SELECT count(*) FROM subscriptions WHERE state = 'unsubscribed'"),
                     1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log WHERE actor = 'delivery'"), 2);
    assert_int_equal(store_delivery_finish(st, job.id, (enum store_delivery_result)99, NULL, NULL),
                     HC_EINVAL);
}

/* Snapshots: recorded, replaced by date, listed newest first, forgotten (a date never
 * recorded too). */
static void cases_public_snapshots(struct hc_store *st, const struct cases_env *e)
{
    struct store_snapshot s1 = {"2026-01-01", "2026-01-01T08:00:00Z", 10, 3, 2};
    struct store_snapshot s2 = {"2026-01-02", "2026-01-02T08:00:00Z", 11, 3, 2};
    struct store_snapshot *list = NULL;
    size_t n = 9;

    assert_int_equal(store_snapshot_list(st, e->a, &list, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_snapshot_put(st, &s1), HC_OK);
    assert_int_equal(store_snapshot_put(st, &s2), HC_OK);
    s1.rows = 12;
    s1.policy_version = 3;
    assert_int_equal(store_snapshot_put(st, &s1), HC_OK);
    assert_int_equal(store_snapshot_list(st, e->a, &list, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].date, "2026-01-02");
    assert_string_equal(list[1].date, "2026-01-01");
    assert_int_equal(list[1].rows, 12);
    assert_int_equal(list[1].fields, 3);
    assert_int_equal(list[1].policy_version, 3);
    assert_int_equal(store_snapshot_delete(st, "2026-01-02"), HC_OK);
    assert_int_equal(store_snapshot_delete(st, "2026-01-09"), HC_OK);
    assert_int_equal(store_snapshot_list(st, e->a, &list, &n), HC_OK);
    assert_int_equal(n, 1);
}

#endif

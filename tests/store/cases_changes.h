/* SPDX-License-Identifier: MIT
 * cases_changes.h: which staff records changed (store_changes, store_conn.h), checked the same
 * way against each backend: test_store.c runs it on SQLite, test_pg.c on PostgreSQL. The caller
 * gives a fresh store with no bookings and exec(ctx, sql), which runs SQL on the same database
 * as some other writer would (0 on success): the marks are the database's own, so a write that
 * bypasses the store must be seen too. */
#ifndef HC_TEST_CASES_CHANGES_H
#define HC_TEST_CASES_CHANGES_H

#include <string.h>

#include "store.h"

typedef int (*cases_exec_fn)(void *ctx, const char *sql);

/* The booking numbers store_changes reported, space-separated. */
struct changes_seen {
    char list[256];
};

static void changes_note(void *ctx, const char *booking_no, size_t len)
{
    struct changes_seen *s = ctx;
    size_t used = strlen(s->list);
    assert_true(used + len + 2 < sizeof s->list);
    if (used > 0)
        s->list[used++] = ' ';
    memcpy(s->list + used, booking_no, len);
    s->list[used + len] = '\0';
}

/* The changes after *seq, as a list; *seq moves on. */
static const char *changes_after(struct hc_store *st, int64_t *seq, size_t limit, int *more,
                                 struct changes_seen *s)
{
    s->list[0] = '\0';
    assert_int_equal(store_changes(st, seq, limit, changes_note, s, more), HC_OK);
    return s->list;
}

static void changes_count(void *ctx, const char *booking_no, size_t len)
{
    (void)booking_no;
    (void)len;
    ++*(size_t *)ctx;
}

/* The changes after *seq, counted only (more than a list holds); *seq moves on. */
static size_t changes_after_quiet(struct hc_store *st, int64_t *seq, size_t limit, int *more)
{
    size_t n = 0;
    assert_int_equal(store_changes(st, seq, limit, changes_count, &n, more), HC_OK);
    return n;
}

static void cases_changes(struct hc_store *st, cases_exec_fn exec, void *ctx)
{
    struct changes_seen s;
    int64_t seq = -1, start;
    size_t n;
    int more = -1;

    assert_int_equal(exec(ctx, "INSERT INTO people (name, created_at) VALUES"
                               " ('CHANGES, ALPHA', '2026-01-02T00:00:00Z'),"
                               " ('CHANGES, BETA', '2026-01-02T00:00:00Z')"), 0);
    assert_int_equal(exec(ctx, "INSERT INTO bookings (booking_no, person_id, booked_at, facility,"
                               " status) SELECT 'CH-' || name, id, '2026-01-02T00:00:00Z',"
                               " 'Main', 'in_custody' FROM people WHERE name LIKE 'CHANGES%'"),
                     0);
    assert_int_equal(exec(ctx, "INSERT INTO bookings (booking_no, person_id, booked_at, facility,"
                               " status) SELECT 'CH-SECOND', id, '2026-01-03T00:00:00Z',"
                               " 'Main', 'in_custody' FROM people WHERE name = 'CHANGES, ALPHA'"),
                     0);
    /* New bookings are not marks: nothing could have kept their record. */
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "");
    assert_int_equal(more, 0);
    assert_true(seq >= 0);
    start = seq;
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "");
    assert_int_equal(seq, start);

    /* Each table a record shows marks the bookings it belongs to, once, oldest first. */
    assert_int_equal(exec(ctx, "UPDATE bookings SET facility = 'East'"
                               " WHERE booking_no = 'CH-CHANGES, BETA'"), 0);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "CH-CHANGES, BETA");
    assert_true(seq > start);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "");
    assert_int_equal(exec(ctx, "INSERT INTO charges (booking_id, citation, status)"
                               " SELECT id, 'PC 459', 'pending' FROM bookings"
                               " WHERE booking_no = 'CH-SECOND'"), 0);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "CH-SECOND");
    /* A person's change marks every booking of theirs. */
    assert_int_equal(exec(ctx, "INSERT INTO convictions (person_id, citation)"
                               " SELECT id, 'PC 211' FROM people WHERE name = 'CHANGES, ALPHA'"),
                     0);
    changes_after(st, &seq, 10, &more, &s);
    assert_true(strcmp(s.list, "CH-CHANGES, ALPHA CH-SECOND") == 0 ||
                strcmp(s.list, "CH-SECOND CH-CHANGES, ALPHA") == 0);
    assert_int_equal(exec(ctx, "INSERT INTO immigration_requests (booking_id, type, received_at)"
                               " SELECT id, 'hold', '2026-01-04T00:00:00Z' FROM bookings"
                               " WHERE booking_no = 'CH-CHANGES, BETA'"), 0);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "CH-CHANGES, BETA");
    assert_int_equal(exec(ctx, "INSERT INTO decisions (request_id, version, outcome, ruleset,"
                               " case_json, decision_json, decided_at, decided_by)"
                               " SELECT id, 1, 'review', 'test', '{}', '{}', '2026-01-04T00:00:01Z', 'test'"
                               " FROM immigration_requests"), 0);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "CH-CHANGES, BETA");
    /* A booking changed twice is reported at each change, in order. */
    assert_int_equal(exec(ctx, "UPDATE bookings SET facility = 'West'"
                               " WHERE booking_no = 'CH-SECOND'"), 0);
    assert_int_equal(exec(ctx, "UPDATE bookings SET facility = 'North'"
                               " WHERE booking_no = 'CH-CHANGES, BETA'"), 0);
    assert_int_equal(exec(ctx, "UPDATE bookings SET facility = 'South'"
                               " WHERE booking_no = 'CH-SECOND'"), 0);
    start = seq;
    assert_string_equal(changes_after(st, &seq, 10, &more, &s),
                        "CH-SECOND CH-CHANGES, BETA CH-SECOND");
    /* More than the limit: told so, and moved past all of them. */
    seq = start;
    changes_after(st, &seq, 1, &more, &s);
    assert_int_equal(more, 1);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "");
    assert_int_equal(more, 0);
    /* Asking for the newest only. */
    start = seq;
    seq = -1;
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "");
    assert_int_equal(seq, start);

    /* A reader far behind: BETA changed, then 10,000 more marks (charges of CH-SECOND), so
     * that the database deleted BETA's mark. Asked with any limit, it is told to forget
     * everything: were it listed the marks kept, BETA's record would stay as it was. */
    assert_int_equal(exec(ctx, "UPDATE bookings SET facility = 'Far'"
                               " WHERE booking_no = 'CH-CHANGES, BETA'"), 0);
    assert_int_equal(exec(ctx, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                               " SELECT i + 1 FROM n WHERE i < 10000)"
                               " INSERT INTO charges (booking_id, citation, status)"
                               " SELECT b.id, 'PC 602', 'pending' FROM n, bookings b"
                               " WHERE b.booking_no = 'CH-SECOND'"), 0);
    seq = start;
    n = changes_after_quiet(st, &seq, 1000000, &more);
    assert_int_equal(more, 1);
    assert_int_equal(n, STORE_MARKS_KEPT - 1);
    assert_true(seq > start + 10000);
    /* The database kept the newest marks only: from STORE_MARKS_KEPT to 1,023 more (a write
     * of a person with no name fails, and is made only when the count is out of bounds). */
    assert_int_equal(exec(ctx, "INSERT INTO people (name, created_at) SELECT NULL, NULL"
                               " WHERE (SELECT count(*) FROM record_marks)"
                               " NOT BETWEEN 8192 AND 9215"), 0);
    /* and from there on it reads one change at a time again. */
    assert_int_equal(exec(ctx, "UPDATE bookings SET facility = 'Near'"
                               " WHERE booking_no = 'CH-CHANGES, BETA'"), 0);
    assert_string_equal(changes_after(st, &seq, 10, &more, &s), "CH-CHANGES, BETA");
    assert_int_equal(more, 0);
}

#endif

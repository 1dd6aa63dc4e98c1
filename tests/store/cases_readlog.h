/* SPDX-License-Identifier: MIT
 * cases_readlog.h: what the read-access log promises (store_readlog.h), checked the same way
 * against each backend: test_store.c runs this on SQLite, test_pg.c on PostgreSQL, on a fresh
 * store with a struct cases_env (cases_records.h). Every user and address is synthetic. */
#ifndef HC_TEST_CASES_READLOG_H
#define HC_TEST_CASES_READLOG_H

#include <stdio.h>
#include <string.h>

#include "cases_records.h"
#include "store.h"

/* A staff read by user (id uid) of kind object (or a list when object is ""), at at. */
static struct store_read_entry cases_read(const char *at, int64_t uid, const char *user,
                                          const char *kind, const char *object,
                                          const char *query)
{
    struct store_read_entry r;
    memset(&r, 0, sizeof r);
    snprintf(r.at, sizeof r.at, "%s", at);
    r.user_id = uid;
    snprintf(r.user_name, sizeof r.user_name, "%s", user);
    snprintf(r.role, sizeof r.role, "clerk");
    snprintf(r.method, sizeof r.method, "GET");
    snprintf(r.route, sizeof r.route, "/api/v1/%s/{id}", kind);
    snprintf(r.kind, sizeof r.kind, "%s", kind);
    snprintf(r.object, sizeof r.object, "%s", object);
    snprintf(r.query, sizeof r.query, "%s", query);
    snprintf(r.client, sizeof r.client, "192.0.2.7");
    r.status = 200;
    return r;
}

/* A filter of limit entries after after, open otherwise. */
static struct store_read_filter cases_read_filter(int64_t after, int limit)
{
    struct store_read_filter f;
    memset(&f, 0, sizeof f);
    f.after = after;
    f.limit = limit;
    return f;
}

/* Entries are appended in batches, all or none (in the caller's transaction when there is
 * one), read back as written oldest first, filtered and paged by id, and pruned by age; the
 * log is outside the audit chain. */
static void cases_readlog(struct hc_store *st, const struct cases_env *e)
{
    struct store_read_entry in[4], *out = NULL;
    struct store_read_filter f = cases_read_filter(0, 1000);
    int64_t removed = -1;
    size_t n = 9;

    in[0] = cases_read("2026-01-01T08:00:00Z", 3, "clerk-a", "person", "17", "");
    in[1] = cases_read("2026-01-02T09:30:00Z", 4, "clerk-b", "booking", "BK-1", "full=1");
    in[2] = cases_read("2026-01-03T10:00:00Z", 3, "clerk-a", "booking", "", "limit=50");
    in[3] = cases_read("2026-01-04T11:00:00Z", 3, "clerk-a", "person", "17", "");

    /* Refused whole: no entries, an entry without its client. */
    assert_int_equal(store_readlog_append(st, in, 0), HC_EINVAL);
    in[1].client[0] = '\0';
    assert_int_equal(store_readlog_append(st, in, 2), HC_EINVAL);
    in[1].route[0] = '\0';
    snprintf(in[1].client, sizeof in[1].client, "2001:db8::9");
    assert_int_equal(store_readlog_append(st, in, 2), HC_EINVAL);
    snprintf(in[1].route, sizeof in[1].route, "/api/v1/bookings/{no}");
    assert_int_equal(nrows(e, "SELECT count(*) FROM read_log"), 0);
    /* In the caller's transaction: rolled back with it. */
    assert_int_equal(store_begin(st), HC_OK);
    assert_int_equal(store_readlog_append(st, in, 4), HC_OK);
    store_rollback(st);
    assert_int_equal(nrows(e, "SELECT count(*) FROM read_log"), 0);

    assert_int_equal(store_readlog_append(st, in, 3), HC_OK);
    assert_int_equal(store_readlog_append(st, &in[3], 1), HC_OK);
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 4);
    assert_true(out[0].id < out[1].id && out[1].id < out[2].id && out[2].id < out[3].id);
    assert_string_equal(out[1].at, "2026-01-02T09:30:00Z");
    assert_int_equal(out[1].user_id, 4);
    assert_string_equal(out[1].user_name, "clerk-b");
    assert_string_equal(out[1].role, "clerk");
    assert_string_equal(out[1].method, "GET");
    assert_string_equal(out[1].route, "/api/v1/bookings/{no}");
    assert_string_equal(out[1].object, "BK-1");
    assert_string_equal(out[1].query, "full=1");
    assert_string_equal(out[1].client, "2001:db8::9");
    assert_int_equal(out[1].status, 200);
    assert_string_equal(out[2].object, ""); /* none: stored as NULL, read back as "" */
    assert_int_equal(nrows(e, "SELECT count(*) FROM read_log WHERE object IS NULL"), 1);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), 0);

    /* The limit's bounds; each filter; the cursor. */
    f.limit = 0;
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_EINVAL);
    f.limit = 1001;
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_EINVAL);
    f = cases_read_filter(0, 1000);
    f.user_name = "clerk-a";
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 3);
    f.kind = "person";
    f.object = "17";
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 2);
    f = cases_read_filter(0, 1000);
    f.from = "2026-01-02T09:30:00Z"; /* included */
    f.to = "2026-01-04T11:00:00Z";   /* excluded */
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].user_name, "clerk-b");
    f = cases_read_filter(0, 1);
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 1);
    f = cases_read_filter(out[0].id, 2);
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].at, "2026-01-02T09:30:00Z");
    assert_string_equal(out[1].at, "2026-01-03T10:00:00Z");

    /* Pruning: every entry before the time, counted. */
    assert_int_equal(store_readlog_prune(st, "2026-01-03T10:00:00Z", &removed), HC_OK);
    assert_int_equal(removed, 2);
    assert_int_equal(store_readlog_prune(st, "2026-01-03T10:00:00Z", &removed), HC_OK);
    assert_int_equal(removed, 0);
    f = cases_read_filter(0, 1000);
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].at, "2026-01-03T10:00:00Z");
}

/* A record's reads by object over hours and days, in one batch or several, with the kind
 * telling a person 5 from a request 5 and an object alone finding both; a period bounds them;
 * pruning forgets the hours it empties (read_log_seen, sql.h). */
static void cases_readlog_by_record(struct hc_store *st, const struct cases_env *e)
{
    static const char *const at[] = {"2026-03-01T08:59:59Z", "2026-03-01T09:00:00Z",
                                     "2026-03-01T09:59:59Z", "2026-03-04T17:00:01Z"};
    struct store_read_entry in[3 * 4], *out = NULL;
    struct store_read_filter f;
    size_t n = 0, i, k = 0;
    int64_t removed = 0;

    for (i = 0; i < 4; i++) {
        in[k++] = cases_read(at[i], 3, "clerk-a", "person", "5", "");
        in[k++] = cases_read(at[i], 3, "clerk-a", "person", "6", "");
        in[k++] = cases_read(at[i], 3, "clerk-a", "request", "5", "");
    }
    assert_int_equal(store_readlog_append(st, in, 6), HC_OK);
    assert_int_equal(store_readlog_append(st, &in[6], 6), HC_OK);
    f = cases_read_filter(0, 20);
    f.kind = "person";
    f.object = "5";
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
        assert_string_equal(out[i].at, at[i]);
        assert_string_equal(out[i].kind, "person");
        assert_string_equal(out[i].object, "5");
    }
    f.kind = NULL;
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 8);
    f.kind = "person";
    f.from = "2026-03-01T09:00:00Z";
    f.to = "2026-03-04T17:00:01Z"; /* excluded */
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].at, at[1]);
    assert_string_equal(out[1].at, at[2]);
    assert_int_equal(store_readlog_prune(st, "2026-03-02T00:00:00Z", &removed), HC_OK);
    assert_int_equal(removed, 9);
    assert_int_equal(nrows(e, "SELECT count(*) FROM read_log_seen WHERE hour < '2026-03-02'"), 0);
    f = cases_read_filter(0, 20);
    f.object = "5";
    assert_int_equal(store_readlog_list(st, &f, e->a, &out, &n), HC_OK);
    assert_int_equal(n, 2);
}

#endif

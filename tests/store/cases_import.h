/* SPDX-License-Identifier: MIT
 * cases_import.h: what bulk import and export promise (store_import.h), checked the same way
 * against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL, on a fresh
 * store with a struct cases_env (cases_records.h). Every person, number and id is synthetic. */
#ifndef HC_TEST_CASES_IMPORT_H
#define HC_TEST_CASES_IMPORT_H

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cases_records.h"
#include "store.h"

/* The rows a report function was told of (store_import_begin), and those store_import_row
 * refused itself, by tag. */
struct cases_refusals {
    int n;
    long tag[16];
    int rc[16];
    char field[16][96];
};

static void cases_refused(void *ctx, long tag, int rc, const struct hc_diag *d)
{
    struct cases_refusals *r = ctx;
    assert_true(r->n < 16);
    r->tag[r->n] = tag;
    r->rc[r->n] = rc;
    snprintf(r->field[r->n], sizeof r->field[0], "%s", d->field);
    r->n++;
}

/* store_import_row of r, a refusal it returns itself noted in refs as the report would be. */
static int cases_import_put(struct hc_store *st, struct store_import_row *r,
                            struct cases_refusals *refs)
{
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    rc = store_import_row(st, r, &d);
    if (rc == HC_ENOENT || rc == STORE_ECONFLICT || rc == HC_EINVAL)
        cases_refused(refs, r->tag, rc, &d);
    return rc;
}

/* Import row r alone, a file of kind, and commit it. */
static void cases_import_one(struct hc_store *st, enum store_kind kind,
                             struct store_import_row *r)
{
    struct cases_refusals refs = {0};
    struct store_import_summary sum;
    assert_int_equal(store_import_begin(st, kind, 0, cases_refused, &refs), HC_OK);
    assert_int_equal(cases_import_put(st, r, &refs), HC_OK);
    assert_int_equal(store_import_commit(st, "importer", "one.csv", "csv", &sum), HC_OK);
    assert_int_equal(refs.n, 0);
    assert_int_equal(sum.rows, 1);
}

static struct store_import_row cases_imp_person(const char *local_id, const char *dob, int r290)
{
    struct store_import_row r;
    memset(&r, 0, sizeof r);
    r.person.local_id = local_id;
    r.person.name = "Testperson, Import";
    r.person.date_of_birth = dob;
    r.person.registrant_290 = r290;
    return r;
}

static struct store_import_row cases_imp_booking(const char *no, const char *local_id,
                                                 const char *facility, long tag)
{
    struct store_import_row r;
    memset(&r, 0, sizeof r);
    r.booking.booking_no = no;
    r.booking.booked_at = "2026-03-01T08:00:00-08:00";
    r.booking.facility = facility;
    r.booking.status = "in_custody";
    r.booking.scheduled_release = "2026-06-01";
    r.person_local_id = local_id;
    r.tag = tag;
    return r;
}

/* The export's rows of one kind, hashed as the import hashes its rows (docs/import.md,
 * "Audit"), and counted. */
struct cases_export {
    crypto_generichash_state h;
    size_t rows, cols;
    char first[8][64]; /* the first row's columns ("(null)" for NULL) */
};

static int cases_export_row(void *ctx, const char *const *v, size_t n)
{
    struct cases_export *x = ctx;
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char len[8];
        uint64_t l = v[i] != NULL ? (uint64_t)strlen(v[i]) : UINT64_MAX;
        int b;
        for (b = 0; b < 8; b++)
            len[b] = (unsigned char)(l >> (56 - 8 * b));
        crypto_generichash_update(&x->h, len, sizeof len);
        if (v[i] != NULL)
            crypto_generichash_update(&x->h, (const unsigned char *)v[i], strlen(v[i]));
        if (x->rows == 0 && i < 8)
            snprintf(x->first[i], sizeof x->first[i], "%s", v[i] != NULL ? v[i] : "(null)");
    }
    x->rows++;
    x->cols = n;
    return 0;
}

/* Export kind and check that it holds rows rows whose hash is hex. */
static void cases_export_check(struct hc_store *st, enum store_kind kind, size_t rows,
                               const char *hex, struct cases_export *x)
{
    unsigned char hash[crypto_generichash_BYTES];
    char got[2 * crypto_generichash_BYTES + 1];
    memset(x, 0, sizeof *x);
    crypto_generichash_init(&x->h, NULL, 0, sizeof hash);
    assert_int_equal(store_export(st, kind, cases_export_row, x), HC_OK);
    crypto_generichash_final(&x->h, hash, sizeof hash);
    sodium_bin2hex(got, sizeof got, hash, sizeof hash);
    assert_int_equal(x->rows, rows);
    if (hex != NULL)
        assert_string_equal(got, hex);
}

/* A bulk import of people then of their bookings (more than any backend's batch) commits
 * every row with one audit entry each; the summary's count, ids and rows hash are those of the
 * entry and of what the export then gives (so the hash can be recomputed from an export); a
 * value with a tab, backslash or line break comes back as it went in; each booking is bound
 * into the chain, and an edit of one afterwards is found. */
static void cases_import_bulk(struct hc_store *st, const struct cases_env *e)
{
    struct store_import_summary sum, bsum;
    struct store_audit_report rep;
    struct store_import_row r;
    struct cases_refusals refs = {0};
    struct cases_export x;
    struct store_import_known k;
    char no[32], pid[32], sql[256];
    const long nb = 5000;
    long i;

    assert_int_equal(store_import_begin(st, STORE_KIND_PEOPLE, 0, cases_refused, &refs), HC_OK);
    for (i = 0; i < 3; i++) {
        snprintf(pid, sizeof pid, "IMP-P%ld", i);
        r = cases_imp_person(pid, i == 1 ? NULL : "1980-01-02", i == 2);
        r.tag = i + 2;
        assert_int_equal(cases_import_put(st, &r, &refs), HC_OK);
    }
    assert_int_equal(store_import_flush(st), HC_OK);
    assert_int_equal(store_import_commit(st, "importer", "people.csv", "csv", &sum), HC_OK);
    assert_int_equal(refs.n, 0);
    assert_int_equal(sum.rows, 3);
    assert_true(sum.first_id > 0 && sum.last_id >= sum.first_id + 2);
    assert_true(sum.audit_seq > 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM people"), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE seq = %lld AND action ="
             " 'import.commit' AND entity = 'import/people' AND payload LIKE '%%%s%%'",
             (long long)sum.audit_seq, sum.rows_hash);
    assert_int_equal(nrows(e, sql), 1);
    cases_export_check(st, STORE_KIND_PEOPLE, 3, sum.rows_hash, &x);
    assert_string_equal(x.first[0], "IMP-P0");
    assert_string_equal(x.first[3], "false");

    assert_int_equal(store_import_begin(st, STORE_KIND_BOOKINGS, 0, cases_refused, &refs),
                     HC_OK);
    for (i = 0; i < nb; i++) {
        snprintf(no, sizeof no, "IMP-B%05ld", i);
        snprintf(pid, sizeof pid, "IMP-P%ld", i % 3);
        r = cases_imp_booking(no, pid, i == 0 ? "Test\tJail \\ North\nAnnex\r" : "Test Jail",
                              i + 2);
        assert_int_equal(cases_import_put(st, &r, &refs), HC_OK);
    }
    assert_int_equal(store_import_commit(st, "importer", "bookings.csv", "csv", &bsum), HC_OK);
    assert_int_equal(refs.n, 0);
    assert_int_equal(bsum.rows, nb);
    assert_true(bsum.last_id >= bsum.first_id + nb - 1);
    assert_true(bsum.audit_seq > sum.audit_seq);
    assert_int_equal(nrows(e, "SELECT count(*) FROM bookings"), nb);
    cases_export_check(st, STORE_KIND_BOOKINGS, (size_t)nb, bsum.rows_hash, &x);
    assert_string_equal(x.first[0], "IMP-B00000");
    assert_string_equal(x.first[1], "IMP-P0");
    assert_string_equal(x.first[3], "Test\tJail \\ North\nAnnex\r");
    assert_string_equal(x.first[6], "(null)");

    /* Read back as stored, outside any import too. */
    assert_int_equal(store_import_booking_get(st, "IMP-B00004", e->a, &k), HC_OK);
    assert_string_equal(k.person_local_id, "IMP-P1");
    assert_string_equal(k.booked_at, "2026-03-01T08:00:00-08:00");
    assert_string_equal(k.state.scheduled_release, "2026-06-01");
    assert_int_equal(k.state.has_bail, 0);
    assert_int_equal(store_import_booking_get(st, "IMP-NONE", e->a, &k), HC_ENOENT);

    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.entries, 2);
    assert_int_equal(rep.bound_rows, nb);
    assert_int_equal(run_sql(e, "UPDATE bookings SET facility = 'Elsewhere'"
                                " WHERE booking_no = 'IMP-B00007'"), 0);
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.row_problems, 1);
    assert_string_equal(rep.row[0].table, "bookings");
}

/* A refused row leaves the import usable: later rows go in, and the refusals come back by tag
 * with their reason (an unknown person, a number stored already or given earlier in the same
 * import), from store_import_row or at the latest by store_import_flush. An import with a
 * refused row commits nothing and writes no audit entry. */
static void cases_import_refused(struct hc_store *st, const struct cases_env *e)
{
    struct store_import_summary sum;
    struct store_import_known k;
    struct store_import_row r;
    struct cases_refusals refs = {0};
    long long entries;
    int i;

    cases_add_booking(st, "IMP-OLD", "IMP-L-OLD");
    entries = nrows(e, "SELECT count(*) FROM audit_log");
    assert_int_equal(store_import_begin(st, STORE_KIND_BOOKINGS, 0, cases_refused, &refs),
                     HC_OK);
    r = cases_imp_booking("IMP-N1", "IMP-L-OLD", "Test Jail", 2);
    assert_int_equal(cases_import_put(st, &r, &refs), HC_OK);
    r = cases_imp_booking("IMP-N2", "IMP-L-NOBODY", "Test Jail", 3);
    (void)cases_import_put(st, &r, &refs);
    r = cases_imp_booking("IMP-N3", "IMP-L-OLD", "Test Jail", 4);
    assert_int_equal(cases_import_put(st, &r, &refs), HC_OK);
    r = cases_imp_booking("IMP-N1", "IMP-L-OLD", "Test Jail", 5);
    (void)cases_import_put(st, &r, &refs);
    r = cases_imp_booking("IMP-OLD", "IMP-L-OLD", "Test Jail", 6);
    (void)cases_import_put(st, &r, &refs);
    assert_int_equal(store_import_flush(st), HC_OK);
    assert_int_equal(refs.n, 3);
    for (i = 0; i < 3; i++) {
        static const long tags[] = {3, 5, 6};
        static const int rcs[] = {HC_ENOENT, STORE_ECONFLICT, STORE_ECONFLICT};
        static const char *const fields[] = {"person_local_id", "booking_no", "booking_no"};
        assert_int_equal(refs.tag[i], tags[i]);
        assert_int_equal(refs.rc[i], rcs[i]);
        assert_string_equal(refs.field[i], fields[i]);
    }
    /* The row after the refusals is in, within the import. */
    assert_int_equal(store_import_booking_get(st, "IMP-N3", e->a, &k), HC_OK);
    assert_int_not_equal(store_import_commit(st, "importer", "bad.csv", "csv", &sum), HC_OK);
    assert_int_equal(nrows(e, "SELECT count(*) FROM bookings WHERE booking_no LIKE 'IMP-N%'"), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), entries);

    /* The same rows once more, rolled back by the caller after a refusal: nothing stays. */
    refs.n = 0;
    assert_int_equal(store_import_begin(st, STORE_KIND_PEOPLE, 0, cases_refused, &refs), HC_OK);
    r = cases_imp_person("IMP-L-NEW", NULL, 0);
    assert_int_equal(cases_import_put(st, &r, &refs), HC_OK);
    r = cases_imp_person("IMP-L-OLD", NULL, 0);
    r.tag = 3;
    (void)cases_import_put(st, &r, &refs);
    assert_int_equal(store_import_flush(st), HC_OK);
    assert_int_equal(refs.n, 1);
    assert_int_equal(refs.rc[0], STORE_ECONFLICT);
    assert_string_equal(refs.field[0], "local_id");
    store_rollback(st);
    assert_int_equal(nrows(e, "SELECT count(*) FROM people WHERE local_id = 'IMP-L-NEW'"), 0);
    assert_int_equal(nrows(e, "SELECT count(*) FROM audit_log"), entries);
    /* The handle takes the next import. */
    r = cases_imp_person("IMP-L-NEW", NULL, 0);
    cases_import_one(st, STORE_KIND_PEOPLE, &r);
    assert_int_equal(nrows(e, "SELECT count(*) FROM people WHERE local_id = 'IMP-L-NEW'"), 1);
}

/* An upsert's reads: a stored person with the count and newest of their bookings, and a
 * person the import inserted itself; store_import_commit_plain refuses an import that
 * inserted a row (rolling it back) and commits one that did not. Idempotency keys: kept once
 * within the push's transaction, read back after it. */
static void cases_import_in_place(struct hc_store *st, const struct cases_env *e)
{
    struct store_import_person p;
    struct store_import_row r;
    struct store_feed_key fk = {"ab12", 201, "{\"created\":1}"}, got;
    struct cases_refusals refs = {0};
    int64_t b1 = cases_add_booking(st, "IMP-U1", "IMP-L-U");

    assert_int_equal(store_import_begin(st, STORE_KIND_PEOPLE, STORE_IMPORT_IN_PLACE,
                                        cases_refused, &refs),
                     HC_OK);
    assert_int_equal(store_import_person_get(st, "IMP-L-U", e->a, &p), HC_OK);
    assert_int_equal(p.bookings, 1);
    assert_int_equal(p.last_booking_id, b1);
    assert_string_equal(p.person.name, "Testperson, Alpha");
    assert_string_equal(p.person.date_of_birth, "1990-02-03");
    assert_int_equal(store_import_person_get(st, "IMP-L-V", e->a, &p), HC_ENOENT);
    r = cases_imp_person("IMP-L-V", "1970-05-06", 1);
    assert_int_equal(cases_import_put(st, &r, &refs), HC_OK);
    assert_int_equal(store_import_flush(st), HC_OK);
    assert_int_equal(store_import_person_get(st, "IMP-L-V", e->a, &p), HC_OK);
    assert_int_equal(p.bookings, 0);
    assert_int_equal(p.last_booking_id, 0);
    assert_int_equal(p.person.registrant_290, 1);
    assert_int_equal(store_import_commit_plain(st), HC_EINVAL);
    assert_int_equal(nrows(e, "SELECT count(*) FROM people WHERE local_id = 'IMP-L-V'"), 0);

    assert_int_equal(store_import_begin(st, STORE_KIND_BOOKINGS, STORE_IMPORT_IN_PLACE,
                                        cases_refused, &refs),
                     HC_OK);
    assert_int_equal(store_feed_key_get(st, "key-1", e->a, &got), HC_ENOENT);
    assert_int_equal(store_feed_key_put(st, "key-1", &fk), HC_OK);
    assert_int_equal(store_feed_key_put(st, "key-1", &fk), STORE_ECONFLICT);
    assert_int_equal(store_import_commit_plain(st), HC_OK);
    assert_int_equal(store_import_commit_plain(st), HC_EINVAL); /* none open */
    assert_int_equal(store_feed_key_get(st, "key-1", e->a, &got), HC_OK);
    assert_string_equal(got.body_hash, "ab12");
    assert_int_equal(got.status, 201);
    assert_string_equal(got.answer, "{\"created\":1}");
    assert_int_equal(refs.n, 0);
}

#endif

/* SPDX-License-Identifier: MIT
 * test_bound.c: the records the audit chain vouches for (src/store/bound.h), without a
 * database: the canonical row hash (independent of the SELECT's column order; NULL, '' and 0
 * apart; every column, the table and the value's bytes count; a nullable column added later
 * leaves old rows' hashes alone), the registry and the entities
 * that name its rows, and the map of bindings: the latest binding of a row counts, a run binds
 * consecutive ids, and unbound, changed and deleted rows are reported with table and id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bound.h"

/* The hash of a row of table given as n (name, value) pairs; a value NULL is SQL NULL. */
static void hash_of(const char *table, size_t n, const char *const *names,
                    const char *const *vals, unsigned char out[CHAIN_HASH_LEN])
{
    size_t lens[16], i;
    for (i = 0; i < n; i++)
        lens[i] = vals[i] != NULL ? strlen(vals[i]) : 0;
    bound_row_hash(table, n, names, vals, lens, out);
}

static void test_row_hash_null_empty_zero(void **state)
{
    const char *n[] = {"id", "intent"};
    const char *vnull[] = {"1", NULL}, *vempty[] = {"1", ""}, *vzero[] = {"1", "0"};
    unsigned char h0[CHAIN_HASH_LEN], h1[CHAIN_HASH_LEN], h2[CHAIN_HASH_LEN];
    (void)state;
    hash_of("notices", 2, n, vnull, h0);
    hash_of("notices", 2, n, vempty, h1);
    hash_of("notices", 2, n, vzero, h2);
    assert_memory_not_equal(h0, h1, CHAIN_HASH_LEN);
    assert_memory_not_equal(h0, h2, CHAIN_HASH_LEN);
    assert_memory_not_equal(h1, h2, CHAIN_HASH_LEN);
}

static void test_row_hash_what_counts(void **state)
{
    const char *n[] = {"id", "a", "b"}, *v[] = {"1", "x", "yz"};
    const char *n_select[] = {"b", "id", "a"}, *v_select[] = {"yz", "1", "x"};
    const char *moved[] = {"1", "xy", "z"}, *renamed[] = {"id", "a", "c"};
    unsigned char base[CHAIN_HASH_LEN], h[CHAIN_HASH_LEN];
    (void)state;
    hash_of("t", 3, n, v, base);
    hash_of("t", 3, n_select, v_select, h); /* the SELECT's column order does not count */
    assert_memory_equal(base, h, CHAIN_HASH_LEN);
    hash_of("t", 3, n, moved, h); /* the same bytes, split otherwise */
    assert_memory_not_equal(base, h, CHAIN_HASH_LEN);
    hash_of("t", 3, renamed, v, h);
    assert_memory_not_equal(base, h, CHAIN_HASH_LEN);
    hash_of("u", 3, n, v, h); /* the same row in another table */
    assert_memory_not_equal(base, h, CHAIN_HASH_LEN);
    hash_of("t", 2, n, v, h); /* a column left out */
    assert_memory_not_equal(base, h, CHAIN_HASH_LEN);
    hash_of("t", 3, n, v, h);
    assert_memory_equal(base, h, CHAIN_HASH_LEN);
}

/* A nullable column added to a table later leaves the hash of its old rows as it was. */
static void test_row_hash_added_null_column(void **state)
{
    const char *n[] = {"id", "status", "transfer_to"}, *v[] = {"1", "released", NULL};
    const char *v_set[] = {"1", "released", "ICE Adelanto"};
    unsigned char before[CHAIN_HASH_LEN], after[CHAIN_HASH_LEN];
    (void)state;
    hash_of("bookings", 2, n, v, before);
    hash_of("bookings", 3, n, v, after);
    assert_memory_equal(before, after, CHAIN_HASH_LEN);
    hash_of("bookings", 3, n, v_set, after);
    assert_memory_not_equal(before, after, CHAIN_HASH_LEN);
}

static void test_registry_and_entities(void **state)
{
    static const char *const want[] = {"decisions", "overrides", "notices", "bookings"};
    int64_t id = 0;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        int t = bound_table_find(want[i]);
        assert_true(t >= 0);
        assert_non_null(strstr(bound_tables[t].columns, "id, "));
    }
    assert_int_equal(bound_table_find("audit_log"), -1);
    assert_int_equal(bound_entity_row("decision/12", &id), bound_table_find("decisions"));
    assert_int_equal(id, 12);
    assert_int_equal(bound_entity_row("booking/3", &id), bound_table_find("bookings"));
    assert_int_equal(id, 3);
    assert_int_equal(bound_entity_row("request/12", &id), -1);
    assert_int_equal(bound_entity_row("decision/", &id), -1);
    assert_int_equal(bound_entity_row("decision/012", &id), -1);
    assert_int_equal(bound_entity_row("decision/1x", &id), -1);
    assert_int_equal(bound_entity_row("B-1", &id), -1);
}

/* The canonical payload text of an entry whose "bound" holds arr (consumed). */
static char *payload_with(json_t *arr)
{
    json_t *pl = json_pack("{s:s, s:o}", "note", "x", "bound", arr);
    char *s = json_dumps(pl, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(pl);
    return s;
}

static void test_map_latest_binding_and_problems(void **state)
{
    unsigned char h[5][CHAIN_HASH_LEN];
    struct store_audit_report rep;
    struct bound_map m;
    struct bound_run run;
    json_t *arr;
    char *p;
    int d = bound_table_find("decisions"), b = bound_table_find("bookings"), i;
    int64_t seq = 0;
    (void)state;

    for (i = 0; i < 5; i++)
        memset(h[i], 'a' + i, CHAIN_HASH_LEN);
    bound_map_init(&m);
    /* Entry 1: bookings 10..12 as a run, decision 4 alone. */
    arr = json_array();
    bound_run_begin(&run);
    for (i = 0; i < 3; i++)
        assert_int_equal(bound_run_add(&run, arr, b, 10 + i, h[i]), HC_OK);
    assert_int_equal(bound_run_end(&run, arr), HC_OK);
    assert_int_equal(bound_json_row(arr, d, 4, h[3]), HC_OK);
    assert_int_equal(json_array_size(arr), 2);
    p = payload_with(arr);
    assert_int_equal(bound_map_entry(&m, 1, p, strlen(p)), HC_OK);
    free(p);
    /* Entry 2: booking 11 changed. */
    arr = json_array();
    assert_int_equal(bound_json_row(arr, b, 11, h[4]), HC_OK);
    p = payload_with(arr);
    assert_int_equal(bound_map_entry(&m, 2, p, strlen(p)), HC_OK);
    free(p);
    assert_true(bound_map_has(&m, b, 11, &seq));
    assert_int_equal(seq, 2);
    assert_true(bound_map_has(&m, b, 12, &seq));
    assert_int_equal(seq, 1);

    memset(&rep, 0, sizeof rep);
    assert_int_equal(bound_check_row(&m, b, 10, h[0], &rep), HC_OK); /* agrees */
    assert_int_equal(bound_check_row(&m, b, 11, h[1], &rep), HC_OK); /* its first binding */
    assert_int_equal(bound_check_row(&m, b, 13, h[0], &rep), HC_OK); /* no binding */
    assert_int_equal(bound_check_row(&m, d, 4, h[3], &rep), HC_OK);  /* agrees */
    bound_check_missing(&m, &rep);                                   /* booking 12 */
    assert_int_equal(rep.bound_rows, 4);
    assert_int_equal(rep.row_problems, 3);
    assert_int_equal(rep.nrows, 3);
    assert_string_equal(rep.row[0].table, "bookings");
    assert_int_equal(rep.row[0].id, 11);
    assert_int_equal(rep.row[0].seq, 2);
    assert_int_equal(rep.row[0].problem, STORE_AUDIT_ROW_CHANGED);
    assert_int_equal(rep.row[1].id, 13);
    assert_int_equal(rep.row[1].problem, STORE_AUDIT_ROW_UNBOUND);
    assert_int_equal(rep.row[2].id, 12);
    assert_int_equal(rep.row[2].seq, 1);
    assert_int_equal(rep.row[2].problem, STORE_AUDIT_ROW_DELETED);
    bound_map_release(&m);
}

static void test_map_malformed(void **state)
{
    struct bound_map m;
    const char *bad[] = {"{\"bound\":{}}", "{\"bound\":[{\"table\":\"decisions\",\"id\":1}]}",
                         "{\"bound\":[{\"table\":\"decisions\",\"first_id\":1,\"hashes\":\"ab\"}]}",
                         "{\"bound\":[3]}"};
    const char *fine = "{\"bound\":[{\"table\":\"later_table\",\"id\":1,\"hash\":\"x\"}]}";
    size_t i;
    (void)state;
    bound_map_init(&m);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(bound_map_entry(&m, 1, bad[i], strlen(bad[i])), HC_EIO);
    assert_int_equal(bound_map_entry(&m, 1, fine, strlen(fine)), HC_OK); /* not bound here */
    assert_int_equal(bound_map_entry(&m, 1, "{\"x\":1}", 7), HC_OK);
    assert_int_equal(m.n, 0);
    bound_map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_hash_null_empty_zero),
        cmocka_unit_test(test_row_hash_what_counts),
        cmocka_unit_test(test_row_hash_added_null_column),
        cmocka_unit_test(test_registry_and_entities),
        cmocka_unit_test(test_map_latest_binding_and_problems),
        cmocka_unit_test(test_map_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

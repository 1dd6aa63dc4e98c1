/* SPDX-License-Identifier: MIT
 * test_dob_budget.c: the daily budget of date-of-birth searches per last name
 * (src/http/dob_budget.h), on days the test chooses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dob_budget.h"
#include "stripe.h"

#define DAY 20000 /* a day, in days since the epoch */

/* Spend n of name's searches on day; how many were allowed. */
static int spend_n(struct http_dob_budget *b, const char *name, int64_t day, int n)
{
    int ok = 0;
    while (n-- > 0)
        ok += http_dob_budget_spend(b, name, day);
    return ok;
}

/* A name's budget is the same from every caller, and comes back the next day only. */
static void test_per_name_per_day(void **state)
{
    struct http_dob_budget *b = http_dob_budget_new(3);
    (void)state;
    assert_non_null(b);
    assert_int_equal(spend_n(b, "garcia", DAY, 5), 3);
    assert_int_equal(http_dob_budget_spend(b, "garcia", DAY), 0);
    assert_int_equal(spend_n(b, "nguyen", DAY, 3), 3); /* another name: its own */
    assert_int_equal(spend_n(b, "garcia", DAY + 1, 4), 3);
    http_dob_budget_free(b);
}

/* 0: no search with a date of birth at all. */
static void test_none(void **state)
{
    struct http_dob_budget *b = http_dob_budget_new(0);
    (void)state;
    assert_non_null(b);
    assert_int_equal(http_dob_budget_spend(b, "garcia", DAY), 0);
    http_dob_budget_free(b);
    assert_null(http_dob_budget_new(HTTP_DOB_PER_DAY_MAX + 1));
}

/* Names whose keys fall in one set: a flood of other names never gives a counted name a fresh
 * budget, and names the full set cannot hold share one overflow budget. */
static void test_full_set(void **state)
{
    const size_t sets = HTTP_DOB_ENTRIES / 8;
    char names[10][16];
    size_t found = 0, target = 0;
    unsigned i;
    struct http_dob_budget *b = http_dob_budget_new(2);
    (void)state;
    assert_non_null(b);
    for (i = 0; found < 10 && i < 10000000; i++) {
        char nm[16];
        uint64_t k;
        snprintf(nm, sizeof nm, "n%u", i);
        k = hc_stripe_hash('d', nm, strlen(nm));
        if (found == 0)
            target = (size_t)(k % sets);
        if ((size_t)(k % sets) == target)
            snprintf(names[found++], sizeof names[0], "%s", nm);
    }
    assert_int_equal(found, 10);
    assert_int_equal(spend_n(b, names[0], DAY, 2), 2); /* spent */
    for (i = 1; i < 8; i++)
        assert_int_equal(http_dob_budget_spend(b, names[i], DAY), 1); /* the set is full */
    /* The ninth and tenth name share the set's overflow budget. */
    assert_int_equal(http_dob_budget_spend(b, names[8], DAY), 1);
    assert_int_equal(http_dob_budget_spend(b, names[9], DAY), 1);
    assert_int_equal(http_dob_budget_spend(b, names[8], DAY), 0);
    assert_int_equal(http_dob_budget_spend(b, names[9], DAY), 0);
    /* The first name stays spent, whatever the others did. */
    assert_int_equal(http_dob_budget_spend(b, names[0], DAY), 0);
    /* The next day the set's ways are free again. */
    assert_int_equal(spend_n(b, names[9], DAY + 1, 3), 2);
    assert_int_equal(spend_n(b, names[0], DAY + 1, 3), 2);
    http_dob_budget_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_name_per_day),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_full_set),
    };
    return cmocka_run_group_tests_name("dob_budget", tests, NULL, NULL);
}

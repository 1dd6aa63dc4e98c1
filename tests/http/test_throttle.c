/* SPDX-License-Identifier: MIT
 * test_throttle.c: the failed-login rules of src/http/throttle.h, on a clock the test moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "throttle.h"

static const unsigned char ADDR1[16] = {127, 0, 0, 1};
static const unsigned char ADDR2[16] = {10, 1, 2, 3};

static int setup(void **state)
{
    *state = http_throttle_new();
    return *state == NULL;
}

static int teardown(void **state)
{
    http_throttle_free(*state);
    return 0;
}

/* Fail name from addr n times at now; returns the wait after the last one. */
static int64_t fail_n(struct http_throttle *t, const unsigned char *addr, const char *name,
                      int n, int64_t now)
{
    int64_t w = 0;
    int i;
    for (i = 0; i < n; i++)
        w = http_throttle_fail(t, addr, name, now);
    return w;
}

static void test_name_locks_at_threshold(void **state)
{
    struct http_throttle *t = *state;
    assert_int_equal(fail_n(t, ADDR1, "alice", HTTP_THROTTLE_NAME_FAILS - 1, 1000), 0);
    assert_int_equal(http_throttle_check(t, ADDR1, "alice", 1000), 0);
    assert_int_equal(http_throttle_fail(t, ADDR1, "alice", 1000), HTTP_THROTTLE_LOCK_S);
    /* the name is refused from any address; another name from the same address is not */
    assert_int_equal(http_throttle_check(t, ADDR2, "alice", 1000), HTTP_THROTTLE_LOCK_S);
    assert_int_equal(http_throttle_check(t, ADDR1, "bob", 1000), 0);
    /* the lock runs out */
    assert_int_equal(http_throttle_check(t, ADDR1, "alice", 1000 + HTTP_THROTTLE_LOCK_S - 1), 1);
    assert_int_equal(http_throttle_check(t, ADDR1, "alice", 1000 + HTTP_THROTTLE_LOCK_S), 0);
}

static void test_lock_doubles_and_caps(void **state)
{
    struct http_throttle *t = *state;
    int64_t now = 5000, w;
    fail_n(t, ADDR1, "carol", HTTP_THROTTLE_NAME_FAILS, now);
    assert_int_equal(http_throttle_fail(t, ADDR1, "carol", now), 2 * HTTP_THROTTLE_LOCK_S);
    assert_int_equal(http_throttle_fail(t, ADDR1, "carol", now), 4 * HTTP_THROTTLE_LOCK_S);
    w = fail_n(t, ADDR1, "carol", 10, now);
    assert_int_equal(w, HTTP_THROTTLE_LOCK_MAX_S);
}

static void test_window_forgets(void **state)
{
    struct http_throttle *t = *state;
    fail_n(t, ADDR1, "dave", HTTP_THROTTLE_NAME_FAILS - 1, 100);
    /* after the window, the count starts again: one more failure does not lock */
    assert_int_equal(http_throttle_fail(t, ADDR1, "dave", 100 + HTTP_THROTTLE_WINDOW_S + 1), 0);
}

static void test_success_clears_name_not_address(void **state)
{
    struct http_throttle *t = *state;
    char name[32];
    int i;
    fail_n(t, ADDR2, "erin", HTTP_THROTTLE_NAME_FAILS - 1, 100);
    http_throttle_ok(t, "erin");
    assert_int_equal(http_throttle_fail(t, ADDR2, "erin", 100), 0);
    /* the address counted all of them: 4 + 1 so far; more, each under another name */
    for (i = 0; i < HTTP_THROTTLE_ADDR_FAILS - 6; i++) {
        snprintf(name, sizeof name, "x%d", i);
        assert_int_equal(http_throttle_fail(t, ADDR2, name, 100), 0);
    }
    assert_int_equal(http_throttle_fail(t, ADDR2, "last", 100), HTTP_THROTTLE_LOCK_S);
    assert_int_equal(http_throttle_check(t, ADDR2, "frank", 100), HTTP_THROTTLE_LOCK_S);
    assert_int_equal(http_throttle_check(t, ADDR1, "frank", 100), 0);
}

static void test_many_names_bounded(void **state)
{
    struct http_throttle *t = *state;
    char name[32];
    int i;
    /* far more keys than entries: old ones are forgotten, nothing breaks, new ones count */
    for (i = 0; i < 4 * HTTP_THROTTLE_ENTRIES; i++) {
        unsigned char addr[16] = {0};
        memcpy(addr, &i, sizeof i);
        snprintf(name, sizeof name, "user%d", i);
        http_throttle_fail(t, addr, name, 10 + i);
    }
    assert_int_equal(fail_n(t, ADDR1, "last", HTTP_THROTTLE_NAME_FAILS, 1000000),
                     HTTP_THROTTLE_LOCK_S);
}

/* Issue 15: a locked name stays locked whatever other traffic does. Lock one name, then fail
 * far more other names than the table holds, each from an address of its own, so that every
 * set of the table, the locked name's included, overflows. */
static void test_lock_survives_flood(void **state)
{
    struct http_throttle *t = *state;
    char name[32];
    int i, k;
    assert_int_equal(fail_n(t, ADDR1, "alice", HTTP_THROTTLE_NAME_FAILS, 1000),
                     HTTP_THROTTLE_LOCK_S);
    for (i = 0; i < 4 * HTTP_THROTTLE_ENTRIES; i++) {
        unsigned char addr[16] = {10, 9};
        memcpy(addr + 4, &i, sizeof i);
        snprintf(name, sizeof name, "flood%d", i);
        for (k = 0; k < 2; k++)
            http_throttle_fail(t, addr, name, 1001);
    }
    assert_int_equal(http_throttle_check(t, ADDR2, "alice", 1001), HTTP_THROTTLE_LOCK_S - 1);
    /* a name the full table could not count is refused too, rather than guessed for free */
    assert_true(http_throttle_check(t, ADDR2, "mallory", 1001) > 0);
    /* once the locks and windows are over, everyone may try again */
    assert_int_equal(http_throttle_check(t, ADDR2, "alice", 1001 + HTTP_THROTTLE_WINDOW_S
                                                                 + HTTP_THROTTLE_LOCK_MAX_S), 0);
    assert_int_equal(http_throttle_check(t, ADDR2, "mallory", 1001 + HTTP_THROTTLE_WINDOW_S
                                                                   + HTTP_THROTTLE_LOCK_MAX_S), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_name_locks_at_threshold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_doubles_and_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_clears_name_not_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_names_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_survives_flood, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

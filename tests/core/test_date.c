/* SPDX-License-Identifier: MIT
 * test_date.c: calendar arithmetic and the lookback boundary of Gov. Code 7282.5(a)(3). */
#include "testutil.h"

#include "date.h"

static hc_day D(const char *s)
{
    hc_day d = 0;
    assert_int_equal(hc_date_parse(s, strlen(s), &d), HC_OK);
    return d;
}

static void test_parse_valid(void **state)
{
    static const char *const ok[] = {"1900-01-01", "2000-02-29", "2024-02-29", "2199-12-31",
                                     "2018-01-01", "2014-11-05"};
    size_t i;
    char out[11];
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        hc_date_format(D(ok[i]), out);
        assert_string_equal(out, ok[i]);
    }
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("2018-01-01"), 17532);
}

static void test_parse_invalid(void **state)
{
    static const char *const bad[] = {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
                                      "2024-04-31", "2024-4-01", "2024/04/01", "20240401",
                                      "1899-12-31", "2200-01-01", "2024-04-01T00", "", "abcd-ef-gh"};
    size_t i;
    hc_day d = 42;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(hc_date_parse(bad[i], strlen(bad[i]), &d), HC_EINVAL);
        assert_int_equal(d, 42); /* untouched on failure */
    }
}

static void test_roundtrip_every_day(void **state)
{
    hc_day d;
    (void)state;
    for (d = D("1990-01-01"); d <= D("2030-12-31"); d++) {
        int y, m, dd;
        hc_date_to_ymd(d, &y, &m, &dd);
        assert_int_equal(hc_date_from_ymd(y, m, dd), d);
    }
}

static void test_minus_years(void **state)
{
    (void)state;
    assert_int_equal(hc_date_minus_years(D("2024-05-01"), 5), D("2019-05-01"));
    assert_int_equal(hc_date_minus_years(D("2024-05-01"), 15), D("2009-05-01"));
    /* 29 February back to a year without one is 28 February. */
    assert_int_equal(hc_date_minus_years(D("2024-02-29"), 5), D("2019-02-28"));
    assert_int_equal(hc_date_minus_years(D("2024-02-29"), 4), D("2020-02-29"));
    assert_int_equal(hc_date_minus_years(D("2025-03-01"), 1), D("2024-03-01"));
}

/* Gov. Code 7282.5(a)(3): "within the past five years" / "within the last 15 years". The same
 * month and day N years back is outside; the next day is inside (docs/case-format.md). */
static void test_within_boundaries(void **state)
{
    static const struct {
        const char *event, *as_of;
        int years, inside;
    } rows[] = {
        {"2019-05-01", "2024-05-01", 5, 0}, /* exactly five years: outside */
        {"2019-05-02", "2024-05-01", 5, 1}, /* one day inside */
        {"2019-04-30", "2024-05-01", 5, 0},
        {"2009-05-01", "2024-05-01", 15, 0},
        {"2009-05-02", "2024-05-01", 15, 1},
        {"2024-05-01", "2024-05-01", 5, 1}, /* the same day counts */
        {"2024-05-02", "2024-05-01", 5, 0}, /* after as_of is not "within the past" */
        {"2019-02-28", "2024-02-29", 5, 0}, /* leap day: 2019 has no 29th */
        {"2019-03-01", "2024-02-29", 5, 1},
        {"2020-02-29", "2025-02-28", 5, 1}, /* 2020-02-28 is the boundary */
        {"2020-02-29", "2025-03-01", 5, 0},
        {"2020-03-01", "2025-02-28", 5, 1},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int got = hc_date_within_years(D(rows[i].event), D(rows[i].as_of), rows[i].years);
        if (got != rows[i].inside)
            fail_msg("%s within %d years of %s: got %d", rows[i].event, rows[i].years,
                     rows[i].as_of, got);
    }
}

/* The first ten bytes of s (its date) in out. */
static const char *strndup_date(const char *s, char out[11])
{
    memcpy(out, s, 10);
    out[10] = '\0';
    return out;
}

/* Moments as ISO 8601's extended form writes them; the UTC second of each zoned one is worked
 * out by hand: 2024-05-01 is day 19844 (1,714,521,600 s), 09:00 at -07:00 is 16:00Z. */
static void test_time_parse(void **state)
{
    static const struct {
        const char *s;
        int has_time, has_zone;
        int64_t utc; /* when has_zone */
        int32_t secs;
    } ok[] = {
        {"2024-05-01", 0, 0, 0, 0},
        {"2024-05-01T09:00:00", 1, 0, 0, 32400},
        {"2024-05-01T09:00:00Z", 1, 1, 1714554000, 32400},
        {"2024-05-01T09:00:00-07:00", 1, 1, 1714579200, 32400},
        {"2024-05-01T09:00:00+14:00", 1, 1, 1714503600, 32400},
        {"2024-05-01T09:00:00.123456-07:00", 1, 1, 1714579200, 32400},
        {"2024-05-01T00:00:00+05:30", 1, 1, 1714501800, 0},
        {"2016-12-31T23:59:60Z", 1, 1, 1483228800, 86400}, /* a leap second */
    };
    static const char *const bad[] = {
        "2024-05-01T", "2024-05-01T9:00:00", "2024-05-01T24:00:00", "2024-05-01T12:60:00",
        "2024-05-01T12:00:61", "2024-05-01T12:00", "2024-05-01 12:00:00", "2024-05-01T12:00:00.",
        "2024-05-01T12:00:00+14:01", "2024-05-01T12:00:00-15:00", "2024-05-01T12:00:00+01:60",
        "2024-05-01T12:00:00+0100", "2024-05-01T12:00:00ZZ", "2024-05-01T12:00:00Z ",
        "2024-02-30T12:00:00Z", "2199-12-31T12:00:00+99:99", "2024-05-01x",
    };
    struct hc_time t;
    char date[11];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (hc_time_parse(ok[i].s, strlen(ok[i].s), &t) != 0)
            fail_msg("%s: refused", ok[i].s);
        assert_int_equal(t.day, D(strndup_date(ok[i].s, date)));
        assert_int_equal(t.has_time, ok[i].has_time);
        assert_int_equal(t.has_zone, ok[i].has_zone);
        assert_int_equal(t.secs, ok[i].secs);
        if (t.has_zone && hc_time_utc(&t) != ok[i].utc)
            fail_msg("%s: %lld s, want %lld", ok[i].s, (long long)hc_time_utc(&t),
                     (long long)ok[i].utc);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (hc_time_parse(bad[i], strlen(bad[i]), &t) == 0)
            fail_msg("%s: accepted", bad[i]);
    /* The length bounds the text: a NUL-free prefix is read as itself. */
    assert_int_equal(hc_time_parse("2024-05-01T09:00:00Zjunk", 20, &t), 0);
    assert_int_equal(hc_time_parse("2024-05-01T09:00:00Z", 19, &t), 0);
    assert_int_equal(t.has_zone, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_roundtrip_every_day),
        cmocka_unit_test(test_minus_years),
        cmocka_unit_test(test_within_boundaries),
        cmocka_unit_test(test_time_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * test_namekey.c: folding names into search keys (src/core/namekey.c): case, accents of the
 * Latin-1 Supplement and Latin Extended-A, apostrophes, separators, invalid UTF-8, the key's
 * last/first split and its sort order, and the output bounds. */
#include "testutil.h"

#include "namekey.h"

static void check_fold(const char *in, const char *want)
{
    char out[256];
    long n = hc_namekey_fold(in, strlen(in), out, sizeof out);
    if (n < 0 || strcmp(out, want) != 0)
        fail_msg("fold(\"%s\") = \"%s\" (%ld), want \"%s\"", in, out, n, want);
    assert_int_equal((size_t)n, strlen(want));
    assert_true(strlen(out) <= strlen(in));
}

static void test_fold_table(void **state)
{
    static const char *const cases[][2] = {
        {"GONZALEZ", "gonzalez"},
        {"González", "gonzalez"},
        {"GONZÁLEZ", "gonzalez"},
        {"Muñoz", "munoz"},
        {"Strauß", "strauss"},
        {"Søren Ørsted", "soren orsted"},
        {"Łukasz Wałęsa", "lukasz walesa"},
        {"Æsir Œuvre", "aesir oeuvre"},
        {"Þórr", "thorr"},
        {"Ĳssel", "ijssel"},
        {"Dvořák", "dvorak"},
        {"Şahin Çelik", "sahin celik"},
        {"Ÿvette ÿ", "yvette y"},
        {"Ðorđe", "dorde"},
        {"ſ", "s"},
        {"O'Brien", "obrien"},
        {"O\xe2\x80\x99" "Brien", "obrien"},            /* U+2019 */
        {"D`Angelo", "dangelo"},
        {"Smith-Jones", "smith jones"},
        {"  St. John  ", "st john"},
        {"a\t\n b", "a b"},
        {"e\xcc\x81" "tienne", "etienne"},              /* e + combining acute */
        {"x\xc3\x97y", "x y"},                          /* multiplication sign separates */
        {"\xc2\xa0nbsp\xc2\xa0", "nbsp"},               /* no-break spaces */
        {"Jean\xff" "Luc", "jean luc"},                 /* invalid byte separates */
        {"\xc3", "" },                                  /* truncated sequence */
        {"\xc0\xaf", ""},                               /* overlong '/' */
        {"\xed\xa0\x80", ""},                           /* surrogate */
        {"Иванов", "Иванов"},                           /* kept as is */
        {"李", "李"},
        {"R2-D2", "r2 d2"},
        {"", ""},
        {"---", ""},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_fold(cases[i][0], cases[i][1]);
}

/* Every letter of both blocks folds to one or two lower-case ASCII letters (or, for the two
 * signs, separates), never to more bytes than its encoding. */
static void test_fold_blocks(void **state)
{
    unsigned cp;
    (void)state;
    for (cp = 0xc0; cp < 0x180; cp++) {
        char in[3] = {(char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)), 0}, out[8];
        long n = hc_namekey_fold(in, 2, out, sizeof out);
        size_t k;
        if (cp == 0xd7 || cp == 0xf7) {
            assert_int_equal(n, 0);
            continue;
        }
        if (n < 1 || n > 2)
            fail_msg("U+%04X folds to %ld bytes", cp, n);
        for (k = 0; k < (size_t)n; k++)
            if (out[k] < 'a' || out[k] > 'z')
                fail_msg("U+%04X folds to \"%s\"", cp, out);
    }
}

static void test_key(void **state)
{
    char out[64];
    (void)state;
    assert_int_equal(hc_namekey("Testperson, Alpha", 17, out, sizeof out), 16);
    assert_string_equal(out, "testperson\talpha");
    assert_true(hc_namekey("GONZÁLEZ,  José María", strlen("GONZÁLEZ,  José María"), out,
                           sizeof out) > 0);
    assert_string_equal(out, "gonzalez\tjose maria");
    assert_true(hc_namekey("Cher", 4, out, sizeof out) == 5);
    assert_string_equal(out, "cher\t");
    assert_true(hc_namekey("Doe, John, Jr.", 14, out, sizeof out) > 0);
    assert_string_equal(out, "doe\tjohn jr");
    assert_true(hc_namekey(", Alone", 7, out, sizeof out) == 6);
    assert_string_equal(out, "\talone");
}

/* Keys sort by last name first: "smith" < "smith jones" < "smithers". */
static void test_key_order(void **state)
{
    static const char *const sorted[] = {"Ñandú, Ana", "Núñez, Bea", "Smith, Zed",
                                         "Smith Jones, Amy", "Smithers, Al"};
    char a[64], b[64];
    size_t i;
    (void)state;
    for (i = 0; i + 1 < sizeof sorted / sizeof sorted[0]; i++) {
        assert_true(hc_namekey(sorted[i], strlen(sorted[i]), a, sizeof a) > 0);
        assert_true(hc_namekey(sorted[i + 1], strlen(sorted[i + 1]), b, sizeof b) > 0);
        if (strcmp(a, b) >= 0)
            fail_msg("key of \"%s\" does not sort before \"%s\"", sorted[i], sorted[i + 1]);
    }
}

/* cap = len + 1 (fold) and len + 2 (key) always suffice; one byte less may not. */
static void test_bounds(void **state)
{
    static const char *const in[] = {"Strauß", "Ĳssel, Þór", "abc", "a, b", "Иванов, Ива"};
    char out[64];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof in / sizeof in[0]; i++) {
        size_t len = strlen(in[i]);
        assert_true(hc_namekey_fold(in[i], len, out, len + 1) >= 0);
        assert_true(hc_namekey(in[i], len, out, len + 2) >= 0);
    }
    assert_int_equal(hc_namekey_fold("abc", 3, out, 3), -1);
    assert_string_equal(out, "");
    assert_int_equal(hc_namekey("abc", 3, out, 4), -1);
    assert_int_equal(hc_namekey_fold("abc", 3, out, 0), -1);
}

static int dist(const char *a, const char *b, int limit)
{
    return hc_namekey_prefix_distance(a, strlen(a), b, strlen(b), limit);
}

/* A typed word's distance from being a prefix of a stored one (expectations by hand). */
static void test_prefix_distance(void **state)
{
    char long_word[HC_NAMEKEY_DISTANCE_MAX_LEN + 2];
    (void)state;
    assert_int_equal(dist("gonz", "gonzalez", 2), 0);       /* a prefix */
    assert_int_equal(dist("gonzalez", "gonzalez", 2), 0);
    assert_int_equal(dist("gonzales", "gonzalez", 2), 1);   /* one substituted */
    assert_int_equal(dist("gonzlez", "gonzalez", 2), 1);    /* one left out */
    assert_int_equal(dist("gonzaalez", "gonzalez", 2), 1);  /* one too many */
    assert_int_equal(dist("nugyen", "nguyen", 2), 1);       /* two swapped */
    assert_int_equal(dist("gnozales", "gonzalez", 2), 2);
    assert_int_equal(dist("garcia", "gonzalez", 2), 3);     /* above the limit: limit + 1 */
    assert_int_equal(dist("okafro", "okafor", 1), 1);
    assert_int_equal(dist("smith", "jones", 0), 1);
    assert_int_equal(dist("", "x", 1), 0);
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    assert_int_equal(dist(long_word, long_word, 2), 3);     /* too long to compare */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_table), cmocka_unit_test(test_fold_blocks),
        cmocka_unit_test(test_key),        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_bounds),     cmocka_unit_test(test_prefix_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * test_cite.c: the citation parser accepts what jail and court systems write and rejects the
 * rest; the subdivision rule decides what a catalog listing covers. */
#include "testutil.h"

#include "cite.h"

static void canon(const char *in, char *out, size_t cap, int *rc)
{
    struct hc_cite c;
    struct hc_buf b;
    *rc = hc_cite_parse(in, strlen(in), &c, NULL);
    out[0] = '\0';
    if (*rc != HC_OK)
        return;
    hc_buf_init(&b, out, cap - 1);
    hc_cite_format(&c, &b);
    out[b.len] = '\0';
}

static void test_accepts(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"PC 245(a)(1)", "PC 245(a)(1)"},
        {"245(A)(1) PC", "PC 245(a)(1)"},
        {"Penal Code § 245(a)(1)", "PC 245(a)(1)"},
        {"PC245(a)(1)", "PC 245(a)(1)"},
        {"HS 11350(a)", "HS 11350(a)"},
        {"VC 23152(a)-F", "VC 23152(a)"},
        {"H&S 11378", "HS 11378"},
        {"H & S 11378", "HS 11378"},
        {"Health and Safety Code section 11377(a)", "HS 11377(a)"},
        {"P.C. 273.5", "PC 273.5"},
        {"Cal. Penal Code 273.5(a)", "PC 273.5(a)"},
        {"pc 288a(c)(1)", "PC 288a(c)(1)"},
        {"PC 273ab", "PC 273ab"},
        {"W&I 707(b)", "WI 707(b)"},
        {"18 U.S.C. § 2113(a)", "18 USC 2113(a)"},
        {"21 USC 841(a)(1)", "21 USC 841(a)(1)"},
        {"8 usc 1326(b)(2)", "8 USC 1326(b)(2)"},
        {"PC 664/187(a)", "PC 664/187(a)"},
        {"PC 211/664", "PC 664/211"},
        {"PC 182(a)(1)/HS 11352", "PC 182(a)(1)/HS 11352"},
        {"PC 664/11352 HS", "PC 664/HS 11352"}, /* a trailing code names the object offense */
        {"664/211 PC", "PC 664/211"},
        {"PC 459 1st", "PC 459 1st"},
        {"PC 459 second degree", "PC 459 2nd"},
        {"PC 459(1st)", "PC 459 1st"},
        {"VC 23152(a) F", "VC 23152(a)"},
        {"245 (a) (1) PC", "PC 245(a)(1)"},
        {"  PC 12022.53(d)  ", "PC 12022.53(d)"},
        {"Vehicle Code 20001(c)", "VC 20001(c)"},
    };
    size_t i;
    char out[128];
    int rc;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        canon(rows[i].in, out, sizeof out, &rc);
        if (rc != HC_OK || strcmp(out, rows[i].want) != 0)
            fail_msg("'%s': rc %d, got '%s', want '%s'", rows[i].in, rc, out, rows[i].want);
    }
}

static void test_level_suffix(void **state)
{
    struct hc_cite c;
    (void)state;
    assert_int_equal(hc_cite_parse("VC 23152(a)-F", 13, &c, NULL), HC_OK);
    assert_int_equal(c.level_suffix, HC_LEVEL_FELONY);
    assert_int_equal(hc_cite_parse("PC 484 - M", 10, &c, NULL), HC_OK);
    assert_int_equal(c.level_suffix, HC_LEVEL_MISDEMEANOR);
    assert_int_equal(hc_cite_parse("PC 484", 6, &c, NULL), HC_OK);
    assert_int_equal(c.level_suffix, HC_LEVEL_UNKNOWN);
}

static void test_inchoate(void **state)
{
    struct hc_cite c;
    (void)state;
    assert_int_equal(hc_cite_parse("PC 664/211", 10, &c, NULL), HC_OK);
    assert_int_equal(c.inchoate, HC_INCHOATE_ATTEMPT);
    assert_true(c.has_target);
    assert_string_equal(c.target.sec, "211");
    assert_int_equal(hc_cite_parse("PC 182", 6, &c, NULL), HC_OK);
    assert_int_equal(c.inchoate, HC_INCHOATE_CONSPIRACY);
    assert_false(c.has_target);
}

static void test_rejects(void **state)
{
    static const char *const bad[] = {
        "", "245", "XX 245", "PC", "PC (a)", "PC 245(", "PC 245(a", "PC 245()", "PC 245 banana",
        "USC 2113", "99 USC 1", "PC 245/246", "PC 664/182", "PC 245(abcdefgh)",
        "PC 1(a)(b)(c)(d)(e)(f)(g)", "PC 2\x01" "45", "NRS 200.380", "PC 12345678901234567890",
    };
    size_t i;
    struct hc_cite c;
    struct hc_diag d;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hc_diag_clear(&d);
        if (hc_cite_parse(bad[i], strlen(bad[i]), &c, &d) != HC_EINVAL)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(d.msg[0] != '\0'); /* always says why */
    }
}

static struct hc_cite_part P(const char *s)
{
    struct hc_cite c;
    assert_int_equal(hc_cite_parse(s, strlen(s), &c, NULL), HC_OK);
    return c.main;
}

/* A listing covers everything beneath it and nothing beside it. */
static void test_relate(void **state)
{
    static const struct {
        const char *list, *cited;
        int rel;
    } rows[] = {
        {"PC 245", "PC 245(a)(1)", HC_CITE_COVERS},
        {"PC 245(a)(1)", "PC 245(a)(1)", HC_CITE_COVERS},
        {"PC 245(a)(1)", "PC 245", HC_CITE_NARROWER},
        {"PC 243(d)", "PC 243(e)", HC_CITE_UNRELATED},
        {"PC 243(d)", "PC 243(e)(1)", HC_CITE_UNRELATED},
        {"PC 243(d)", "PC 243", HC_CITE_NARROWER},
        {"PC 245", "PC 246", HC_CITE_UNRELATED},
        {"PC 245", "VC 245", HC_CITE_UNRELATED},
        {"PC 459", "PC 459 1st", HC_CITE_COVERS},
        {"PC 459 1st", "PC 459", HC_CITE_NARROWER},
        {"PC 459 1st", "PC 459 2nd", HC_CITE_UNRELATED},
        {"PC 273.5", "PC 273.5(a)", HC_CITE_COVERS},
        {"PC 273", "PC 273.5", HC_CITE_UNRELATED},
        {"18 USC 922(g)", "18 USC 922(g)(1)", HC_CITE_COVERS},
        {"18 USC 922", "21 USC 922", HC_CITE_UNRELATED},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct hc_cite_part l = P(rows[i].list), c = P(rows[i].cited);
        if ((int)hc_cite_relate(&l, &c) != rows[i].rel)
            fail_msg("%s vs %s: got %d want %d", rows[i].list, rows[i].cited,
                     hc_cite_relate(&l, &c), rows[i].rel);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),  cmocka_unit_test(test_level_suffix),
        cmocka_unit_test(test_inchoate), cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_relate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * test_catalog.c: the catalog loader rejects malformed tables with file, line and cell, and the
 * lookup gives what the statute lists say of real offenses on real dates. */
#include "testutil.h"

static hc_day D(const char *s)
{
    hc_day d = 0;
    assert_int_equal(hc_date_parse(s, strlen(s), &d), HC_OK);
    return d;
}

static void look(struct tu *t, const char *cite, const char *on, struct hc_offense *o)
{
    struct hc_cite c;
    assert_int_equal(hc_cite_parse(cite, strlen(cite), &c, NULL), HC_OK);
    hc_catalog_resolve(&t->cat, &c, D(on), o);
}

static void test_load_errors(void **state)
{
    static const struct {
        const char *text, *cell;
        int line;
    } rows[] = {
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", NULL, 0},
        {"# c\nPC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\n", "fewer than 13", 2},
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\tz\n", "flags", 1},
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\t-\n", NULL, 0},
        {"8 USC 1325\t-\t-\tM\t-\t-\t-\tnone\t-\t-\t-\tx\ty\tstatus\n", NULL, 0},
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\t-\tz\n", "more than 14", 1},
        {"PC 1\t-\t-\tX\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", "kind", 1},
        {"PC 1\t-\t-\tF\tjail\t-\t-\t-\t-\t-\t-\tx\ty\n", "sentence", 1},
        {"PC 1\t-\t-\tM\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", "sentence", 1},
        {"PC 1\t2020-02-30\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", "from", 1},
        {"PC 1\t2020-01-01\t2019-01-01\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", "to", 1},
        {"PC 1\t-\t-\tF\tprison\t-\t-\tAF\t-\t-\t-\tx\ty\n", "cats", 1},
        {"PC 1\t-\t-\tF\tprison\t-\t-\tA,\t-\t-\t-\tx\ty\n", "cats", 1},
        {"PC 1\t-\t-\tF\tprison\t0\t-\t-\t-\t-\t-\tx\ty\n", "serious", 1},
        {"XX 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", "cite", 1},
        {"PC 664/211\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n", "cite", 1},
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\tN\t-\t-\tx\ty\n", "reg290", 1},
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\tQ\t-\tx\ty\n", "prop47", 1},
        {"PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\tZ\tx\ty\n", "agg", 1},
        {"PC 1\t-\t-\tF\t\t-\t-\t-\t-\t-\t-\tx\ty\n", "empty cell", 1},
        {"8 USC 1326\t-\t-\tF\t-\t-\t-\tnone\t-\t-\t-\tx\ty\n", NULL, 0},
        {"PC 1\t-\t-\tF\tprison\t-\t-\tnone\t-\t-\t-\tx\ty\n", "cats", 1},
        {"PC 1\t-\t-\tL\tprison\t5\t-\t-\t-\t-\t-\tx\ty\n", "list row", 1},
        {"PC 1\t2024-01-01\t-\tL\t-\t5\t-\t-\t-\t-\t-\tx\ty\n", NULL, 0},
        {"8 USC 1326\t-\t-\tF\t-\t-\t-\tnone,A\t-\t-\t-\tx\ty\n", "cats", 1},
    };
    static char mem[1 << 16];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct hc_catalog cat;
        struct hc_memfile src = {"t.tsv", NULL, (const unsigned char *)rows[i].text,
                                 strlen(rows[i].text)};
        struct hc_arena a;
        struct hc_diag d;
        int rc;
        hc_arena_init(&a, mem, sizeof mem);
        rc = hc_catalog_load(&cat, &src, 1, &a, &d);
        if (rows[i].cell == NULL) {
            assert_int_equal(rc, HC_OK);
            assert_int_equal(cat.nrows, 1);
            continue;
        }
        if (rc != HC_EINVAL || strstr(d.msg, rows[i].cell) == NULL || d.line != rows[i].line ||
            strstr(d.field, "t.tsv:") == NULL)
            fail_msg("row %zu: rc %d field '%s' msg '%s' line %d", i, rc, d.field, d.msg, d.line);
    }
}

/* The catalog's version (catalog.h): a function of the rows the loader reads and the tables'
 * names, not of comments, blank lines, line endings or where the tables were read from; known
 * for a fixed input (BLAKE2b-256 of "ca/t.tsv\nPC 1\t...\n", so a change of the hash or of
 * the bytes hashed shows); and what hc_catalog_load stores. */
static void test_version(void **state)
{
    static const char row[] = "PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n";
    static const char commented[] = "# a comment\n\nPC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\r\n";
    static const char other[] = "PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\tz\n";
    struct hc_memfile a = {"data/ca/t.tsv", NULL, (const unsigned char *)row, sizeof row - 1};
    struct hc_memfile b = {"/elsewhere/ca/t.tsv", NULL, (const unsigned char *)commented,
                           sizeof commented - 1};
    struct hc_memfile c = {"data/ca/t.tsv", NULL, (const unsigned char *)other, sizeof other - 1};
    struct hc_memfile e = {"data/ca/u.tsv", NULL, (const unsigned char *)row, sizeof row - 1};
    char va[HC_CATALOG_VERSION_LEN], vb[HC_CATALOG_VERSION_LEN], vc[HC_CATALOG_VERSION_LEN],
        ve[HC_CATALOG_VERSION_LEN];
    static char mem[1 << 16];
    struct hc_catalog cat;
    struct hc_arena ar;
    (void)state;

    hc_catalog_version(&a, 1, va);
    hc_catalog_version(&b, 1, vb);
    hc_catalog_version(&c, 1, vc);
    hc_catalog_version(&e, 1, ve);
    assert_int_equal(strlen(va), 64);
    /* printf 'ca/t.tsv\nPC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n' | b2sum -l 256 */
    assert_string_equal(va, "11f635b3986aff18a24a3bfab433df3250090988113eba6eb32fd9c1dec91148");
    assert_string_equal(va, vb); /* comments, blank lines, CRLF, the directory: no change */
    assert_string_not_equal(va, vc); /* one cell */
    assert_string_not_equal(va, ve); /* the table's name */
    hc_arena_init(&ar, mem, sizeof mem);
    assert_int_equal(hc_catalog_load(&cat, &a, 1, &ar, NULL), HC_OK);
    assert_string_equal(cat.version, va);
}

static void test_arena_too_small(void **state)
{
    static char mem[64];
    const char *text = "PC 1\t-\t-\tF\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n";
    struct hc_catalog cat;
    struct hc_memfile src = {"t.tsv", NULL, (const unsigned char *)text, strlen(text)};
    struct hc_arena a;
    (void)state;
    hc_arena_init(&a, mem, sizeof mem);
    assert_int_equal(hc_catalog_load(&cat, &src, 1, &a, NULL), HC_ENOMEM);
}

/* PC 1192.7(c)(31): assault with a deadly weapon is serious; 245(a)(4) (force likely to produce
 * great bodily injury) is not; "PC 245" alone cannot say. */
static void test_subdivisions(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "PC 245(a)(1)", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_YES);
    assert_int_equal(o.serious_para, 31);
    assert_true(o.cats_yes & hc_cat_bit("A", 1));
    assert_int_equal(o.sentence, HC_SENT_PRISON);
    look(t, "PC 245(a)(4)", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_NO);
    assert_true(o.cats_yes & hc_cat_bit("A", 1));
    look(t, "PC 245", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_MAYBE);
    /* Before AB 1026 (2012) 245(a)(1) also covered force likely to produce GBI. */
    look(t, "PC 245(a)(1)", "2010-01-01", &o);
    assert_int_equal(o.serious, HC_MAYBE);
}

/* PC 1192.7(c)(18): first-degree burglary is serious; second degree is a 1170(h) felony from
 * realignment (2011-10-01), a state-prison felony before it. */
static void test_degree_and_realignment(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "PC 459 1st", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_YES);
    look(t, "PC 459 2nd", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_NO);
    assert_int_equal(o.sentence, HC_SENT_1170H);
    look(t, "PC 459 2nd", "2005-01-01", &o);
    assert_int_equal(o.sentence, HC_SENT_PRISON);
    look(t, "PC 459", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_MAYBE);
    /* Grand theft: PC 489(c)(1) is read as amended by SB 903 (in force 2020-09-28); the text in
     * force before it was not read, so the sentence is open there. */
    look(t, "PC 487(a)", "2021-01-01", &o);
    assert_int_equal(o.sentence, HC_SENT_1170H);
    assert_int_equal(o.kind, 'W');
    look(t, "PC 487(a)", "2015-01-01", &o);
    assert_int_equal(o.sentence, HC_SENT_UNKNOWN);
}

/* Proposition 47 (in force 2014-11-05) made simple possession a misdemeanor. */
static void test_prop47(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "HS 11350(a)", "2016-01-01", &o);
    assert_int_equal(o.prop47, 'Y');
    /* A misdemeanor, except a 1170(h) felony for people with super-strike or PC 290 priors:
     * a misdemeanor conviction is not one for "a crime punishable as either". */
    assert_int_equal(o.kind, 'R');
    assert_int_equal(o.misd_wobbler, HC_NO);
    assert_int_equal(o.sentence, HC_SENT_1170H);
    look(t, "HS 11350(a)", "2013-01-01", &o);
    assert_int_equal(o.kind, 'F');
    look(t, "PC 490.2", "2016-01-01", &o);
    assert_int_equal(o.prop47, 'Y');
}

/* Attempts: PC 1192.7(c)(39) (not assaults), (c)(9) and 667.5(c)(12) for attempted murder,
 * category (P) when the object offense is specified in 7282.5. */
static void test_inchoate(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "PC 664/211", "2015-01-01", &o);
    assert_int_equal(o.serious, HC_YES);
    assert_int_equal(o.serious_para, 39);
    assert_int_equal(o.violent, HC_NO);
    assert_true(o.cats_yes & hc_cat_bit("P", 1));
    look(t, "PC 664/187", "2015-01-01", &o);
    assert_int_equal(o.serious_para, 9);
    assert_int_equal(o.violent, HC_YES);
    assert_int_equal(o.violent_para, 12);
    look(t, "PC 664", "2015-01-01", &o);
    assert_false(o.found);
    look(t, "PC 182(a)(1)/211", "2015-01-01", &o);
    assert_int_equal(o.serious_para, 42);
}

/* A misdemeanor conviction can only be under a subdivision that allows one (PC 288.4(a)(1) is a
 * straight misdemeanor; (a)(2) and (b) are felonies), and whether it is "a crime punishable as
 * either" is judged over those subdivisions only. */
static void test_misdemeanor_wobbler(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "PC 288.4", "2020-01-01", &o);
    assert_int_equal(o.misd_wobbler, HC_NO);
    look(t, "PC 245", "2020-01-01", &o);
    assert_int_equal(o.misd_wobbler, HC_YES);
    look(t, "PC 236", "2020-01-01", &o);
    assert_int_equal(o.misd_wobbler, HC_MAYBE);
    look(t, "PC 242", "2020-01-01", &o);
    assert_int_equal(o.misd_wobbler, HC_NO);
}

static void test_federal_and_unknown(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "21 USC 841(a)(1)", "2015-01-01", &o);
    assert_int_equal(o.agg, 'B');
    look(t, "18 USC 3146", "2015-01-01", &o);
    assert_true(o.agg == 0 || o.agg > 'P');
    assert_true(o.no_ca); /* no California counterpart: cats none */
    assert_int_equal(o.cats_yes & ~HC_CAT_ALL, 0);
    look(t, "8 USC 1326(b)(2)", "2015-01-01", &o);
    assert_true(o.no_ca);
    look(t, "18 USC 2113(a)", "2015-01-01", &o);
    assert_false(o.no_ca); /* bank robbery: PC 211 may match it */
    look(t, "PC 99999", "2015-01-01", &o);
    assert_false(o.found);
    assert_int_equal(o.serious, HC_MAYBE);
    assert_int_equal(o.cats_maybe, HC_CAT_ALL);
}

/* For a conviction whose date is not known: the sentencing the section had on any day up to
 * the decision. PC 594(b)(1) was a state-prison felony until realignment (2011-10-01) and a
 * PC 1170(h) one after; PC 245(a)(1) is state prison before realignment and from its 2012
 * split, and unknown in the quarter between, whose text was not read. */
static unsigned sentences(struct tu *t, const char *cite, const char *lo, const char *hi)
{
    struct hc_cite c;
    assert_int_equal(hc_cite_parse(cite, strlen(cite), &c, NULL), HC_OK);
    return hc_catalog_sentences(&t->cat, &c, D(lo), D(hi));
}

static void test_sentences_over_time(void **state)
{
    struct tu *t = *state;
    const unsigned prison = 1u << HC_SENT_PRISON, county = 1u << HC_SENT_1170H;
    assert_int_equal(sentences(t, "PC 594(b)(1)", "1900-01-01", "2024-05-01"), prison | county);
    assert_int_equal(sentences(t, "PC 594(b)(1)", "2011-10-01", "2024-05-01"), county);
    assert_int_equal(sentences(t, "PC 594(b)(1)", "1900-01-01", "2011-09-30"), prison);
    assert_int_equal(sentences(t, "PC 245(a)(1)", "2012-01-01", "2024-05-01"), prison);
    assert_int_equal(sentences(t, "PC 245(a)(1)", "1900-01-01", "2011-09-30"), prison);
    assert_int_equal(sentences(t, "PC 245(a)(1)", "1900-01-01", "2024-05-01"),
                     prison | (1u << HC_SENT_UNKNOWN));
    /* An attempt follows the object offense's rows. */
    assert_int_equal(sentences(t, "PC 664/594(b)(1)", "1900-01-01", "2024-05-01"),
                     prison | county);
    assert_int_equal(sentences(t, "PC 99999", "1900-01-01", "2024-05-01"), 0);
}

/* Does s contain w, ignoring ASCII case? */
static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w), i, j;
    for (i = 0; s[i] != '\0'; i++) {
        for (j = 0; j < n && s[i + j] != '\0'; j++) {
            char a = s[i + j], b = w[j];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (a != b)
                break;
        }
        if (j == n)
            return 1;
    }
    return 0;
}

/* data/README.md, "Verified rows": no row the engine relies on is unverified. A row's source
 * never says a value is from memory, not checked, unverified or from secondary sources; where
 * a value could not be confirmed the cell is ? and the source says "sentence open" or "kind
 * open", so the engine answers review wherever that value would decide. */
static void test_every_row_verified(void **state)
{
    struct tu *t = *state;
    static const char *const unverified[] = {"from memory", "not checked", "unverified",
                                             "secondary"};
    size_t i, k, bad = 0;
    for (i = 0; i < t->cat.nrows; i++) {
        const struct hc_offense_row *r = &t->cat.rows[i];
        for (k = 0; k < sizeof unverified / sizeof unverified[0]; k++)
            if (has_word(r->source, unverified[k])) {
                print_error("row %s %s: source says '%s': %s\n", r->cite.sec, r->desc,
                            unverified[k], r->source);
                bad++;
            }
        if (has_word(r->source, "sentence open") && r->sentence != HC_SENT_UNKNOWN) {
            print_error("row %s %s: sentence open but the cell is not ?\n", r->cite.sec, r->desc);
            bad++;
        }
        if (has_word(r->source, "kind open") && r->kind != '?') {
            print_error("row %s %s: kind open but the cell is not ?\n", r->cite.sec, r->desc);
            bad++;
        }
        /* A row the engine reads a definite sentence from names where it comes from. */
        if (r->source[0] == '\0' || strcmp(r->source, "-") == 0) {
            print_error("row %s %s: no source\n", r->cite.sec, r->desc);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* PC 67.5(a) "is guilty of a misdemeanor"; 67.5(b) is a felony; 4532(a), (b) are punished in
 * the state prison or county jail; 4532(c) is a misdemeanor from 2011-10-01 and open before. */
static void test_subdivision_kinds(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "PC 67.5(a)", "2022-01-01", &o);
    assert_int_equal(o.kind, 'M');
    assert_int_equal(o.misd_wobbler, HC_NO);
    assert_true(o.cats_yes & hc_cat_bit("I", 1));
    look(t, "PC 67.5", "2022-01-01", &o);
    assert_int_equal(o.kind, '?');
    assert_int_equal(o.misd_wobbler, HC_NO); /* a misdemeanor can only be under (a) */
    look(t, "PC 67.5(b)", "2022-01-01", &o);
    assert_int_equal(o.kind, 'F');
    assert_int_equal(o.sentence, HC_SENT_1170H);
    look(t, "PC 4532(a)(1)", "2003-01-01", &o);
    assert_int_equal(o.kind, 'W');
    assert_int_equal(o.sentence, HC_SENT_PRISON);
    look(t, "PC 4532(b)(1)", "2022-01-01", &o);
    assert_int_equal(o.sentence, HC_SENT_PRISON);
    look(t, "PC 4532(c)", "2022-01-01", &o); /* "is guilty of a misdemeanor" (AB 109 text) */
    assert_int_equal(o.kind, 'M');
    assert_int_equal(o.misd_wobbler, HC_NO);
    look(t, "PC 4532(c)", "2010-01-01", &o); /* the text before 2011-10-01 was not read */
    assert_int_equal(o.kind, '?');
    assert_int_equal(o.misd_wobbler, HC_MAYBE);
    look(t, "PC 594.7", "2020-01-01", &o);
    assert_int_equal(o.sentence, HC_SENT_PRISON);
}

/* A list row (kind L) adds membership by the decision date and never makes an offense known. */
static void test_list_rows(void **state)
{
    static char mem[1 << 16];
    const char *text = "PC 1\t-\t2019-12-31\tF\tprison\t-\t-\t-\t-\t-\t-\told\ts\n"
                       "PC 2\t2020-01-01\t-\tL\t-\t5\t-\t-\t-\t-\t-\tlisted\ts\n"
                       "PC 1\t2020-01-01\t-\tL\t-\t5\t-\t-\t-\t-\t-\tlisted\ts\n";
    struct hc_memfile src = {"t.tsv", NULL, (const unsigned char *)text, strlen(text)};
    struct hc_catalog cat;
    struct hc_arena a;
    struct hc_cite c;
    struct hc_offense o;
    (void)state;
    hc_arena_init(&a, mem, sizeof mem);
    assert_int_equal(hc_catalog_load(&cat, &src, 1, &a, NULL), HC_OK);
    assert_int_equal(hc_cite_parse("PC 1", 4, &c, NULL), HC_OK);
    /* Convicted in 2019 (offense row in force), decided in 2021 (list row in force). */
    hc_catalog_resolve_at(&cat, &c, D("2019-06-01"), D("2021-01-01"), &o);
    assert_int_equal(o.found, 1);
    assert_int_equal(o.serious, HC_YES);
    assert_int_equal(o.serious_para, 5);
    assert_int_equal(o.kind, 'F');
    assert_int_equal(o.sentence, HC_SENT_PRISON);
    assert_string_equal(o.desc, "old");
    /* Decided in 2019: the list did not name it yet. */
    hc_catalog_resolve_at(&cat, &c, D("2019-06-01"), D("2019-06-02"), &o);
    assert_int_equal(o.serious, HC_NO);
    /* Only a list row names PC 2: still an unknown offense. */
    assert_int_equal(hc_cite_parse("PC 2", 4, &c, NULL), HC_OK);
    hc_catalog_resolve_at(&cat, &c, D("2021-01-01"), D("2021-01-01"), &o);
    assert_int_equal(o.found, 0);
}

/* SB 14 (in force 2024-01-01, a list row) and Proposition 36 (in force 2024-12-18, new offenses);
 * look() uses one date for both, so the SB 14 boundary shows as on the decision date. */
static void test_2024_changes(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    look(t, "PC 236.1(c)(1)", "2023-12-31", &o);
    assert_int_equal(o.serious, HC_NO);
    look(t, "PC 236.1(c)(1)", "2024-01-01", &o);
    assert_int_equal(o.serious, HC_YES);
    assert_int_equal(o.serious_para, 43);
    look(t, "PC 666.1(a)(1)", "2024-12-17", &o);
    assert_int_equal(o.found, 0);
    look(t, "PC 666.1(a)(1)", "2024-12-18", &o);
    assert_int_equal(o.found, 1);
    assert_int_equal(o.kind, 'W');
    assert_true(o.cats_yes & hc_cat_bit("F", 1));
    look(t, "HS 11395", "2024-12-17", &o);
    assert_int_equal(o.found, 0);
    look(t, "HS 11395", "2024-12-18", &o);
    assert_true(o.cats_yes & hc_cat_bit("M", 1));
}

/* Charges whose naming says something immigration-related (data/README.md, flags "status"):
 * the offense itself, a narrower part of it, an attempt of it, whatever the date; never an
 * offense that does not. */
static void test_reveals_status(void **state)
{
    struct tu *t = *state;
    struct hc_offense o;
    static const char *const yes[] = {"8 USC 1326", "8 USC 1326(b)(2)", "8 USC 1326(d)",
                                      "8 USC 1325(a)", "18 USC 922(g)(5)", "18 USC 911",
                                      "18 USC 1546(a)", "8 USC 1324(a)"};
    static const char *const no[] = {"18 USC 922(g)(1)", "21 USC 841", "PC 211", "PC 529",
                                      "VC 12500(a)", "PC 999999"};
    size_t i;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        look(t, yes[i], "2025-01-01", &o);
        if (!o.reveals_status)
            fail_msg("%s: not flagged", yes[i]);
        look(t, yes[i], "1990-01-01", &o);
        if (!o.reveals_status)
            fail_msg("%s in 1990: not flagged", yes[i]);
    }
    for (i = 0; i < sizeof no / sizeof no[0]; i++) {
        look(t, no[i], "2025-01-01", &o);
        if (o.reveals_status)
            fail_msg("%s: flagged", no[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_arena_too_small),
        cmocka_unit_test(test_subdivisions),
        cmocka_unit_test(test_degree_and_realignment),
        cmocka_unit_test(test_prop47),
        cmocka_unit_test(test_inchoate),
        cmocka_unit_test(test_misdemeanor_wobbler),
        cmocka_unit_test(test_federal_and_unknown),
        cmocka_unit_test(test_sentences_over_time),
        cmocka_unit_test(test_every_row_verified),
        cmocka_unit_test(test_subdivision_kinds),
        cmocka_unit_test(test_2024_changes),
        cmocka_unit_test(test_list_rows),
        cmocka_unit_test(test_reveals_status),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}

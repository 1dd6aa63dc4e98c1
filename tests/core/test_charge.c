/* SPDX-License-Identifier: MIT
 * test_charge.c: the charge-string reader reads every string of tests/charges/corpus.tsv (raw
 * strings from public California sources, normalised by hand) to its expected citations and
 * level; each form it knows, its ambiguity, its bounds and its refusals, one by one. Run from
 * the source tree (make unit does). */
#include "testutil.h"

#include "charge.h"
#include "file.h"

#define CORPUS "tests/charges/corpus.tsv"

static struct hc_charge_catalog cat_ctx(struct tu *t)
{
    struct hc_charge_catalog cc;
    cc.cat = &t->cat;
    cc.on = hc_date_from_ymd(2025, 1, 1);
    return cc;
}

/* Read s with the catalog (or none) and write the charges, " ; " between them, into out.
 * Returns hc_charge_read's result. */
static int read_fmt(struct tu *t, const char *s, size_t len, int use_cat, struct hc_charge_readings *ch,
                    char *out, size_t cap)
{
    struct hc_charge_catalog cc = cat_ctx(t);
    struct hc_buf b;
    size_t i;
    int rc = hc_charge_read(s, len, use_cat ? hc_charge_catalog_exists : NULL, &cc, ch, NULL);
    hc_buf_init(&b, out, cap - 1);
    for (i = 0; rc > 0 && i < ch->n; i++) {
        if (i > 0)
            hc_buf_puts(&b, " ; ");
        hc_charge_reading_format(&ch->c[i], &b);
    }
    out[b.len] = '\0';
    return rc;
}

/* Whether the candidates of c are exactly the " | "-separated list want, in any order. */
static int same_candidates(const struct hc_charge_reading *c, const char *want)
{
    char one[128];
    const char *p = want;
    size_t n = 0, i;
    unsigned used = 0;
    while (*p != '\0') {
        const char *e = strstr(p, " | ");
        size_t l = e != NULL ? (size_t)(e - p) : strlen(p);
        int hit = 0;
        for (i = 0; i < c->ncand; i++) {
            struct hc_buf b;
            hc_buf_init(&b, one, sizeof one - 1);
            hc_cite_format(&c->cand[i], &b);
            one[b.len] = '\0';
            if (!(used & (1u << i)) && strlen(one) == l && memcmp(one, p, l) == 0) {
                used |= 1u << i;
                hit = 1;
                break;
            }
        }
        if (!hit)
            return 0;
        n++;
        p = e != NULL ? e + 3 : p + l;
    }
    return n == c->ncand;
}

static int level_letter(int level)
{
    return level == HC_LEVEL_FELONY ? 'F' : level == HC_LEVEL_MISDEMEANOR ? 'M'
                                          : level == HC_LEVEL_INFRACTION   ? 'I'
                                                                          : '-';
}

/* Check one corpus line; returns 1 when it reads as expected, else prints why. */
static int check_line(struct tu *t, int lineno, char *raw, const char *want, const char *level,
                      int *conf_count)
{
    struct hc_charge_readings ch;
    char got[1024];
    size_t i;
    int rc = read_fmt(t, raw, strlen(raw), 1, &ch, got, sizeof got);
    int lv = 0, lv_conflict = 0;
    if (strcmp(want, "NONE") == 0) {
        if (rc >= 0) {
            print_error("corpus:%d: '%s': want no charge, got '%s'\n", lineno, raw, got);
            return 0;
        }
        conf_count[0]++;
        return 1;
    }
    if (rc <= 0) {
        print_error("corpus:%d: '%s': want '%s', got error %d\n", lineno, raw, want, rc);
        return 0;
    }
    if (strncmp(want, "AMBIGUOUS: ", 11) == 0) {
        if (ch.n != 1 || ch.c[0].conf != HC_CHARGE_AMBIGUOUS ||
            !same_candidates(&ch.c[0], want + 11)) {
            print_error("corpus:%d: '%s': want '%s', got '%s'\n", lineno, raw, want, got);
            return 0;
        }
    } else {
        if (strcmp(got, want) != 0) {
            print_error("corpus:%d: '%s': want '%s', got '%s'\n", lineno, raw, want, got);
            return 0;
        }
        for (i = 0; i < ch.n; i++) {
            if (ch.c[i].conf == HC_CHARGE_AMBIGUOUS || ch.c[i].ncand != 1) {
                print_error("corpus:%d: '%s': charge %zu is ambiguous\n", lineno, raw, i);
                return 0;
            }
        }
    }
    for (i = 0; i < ch.n; i++) {
        conf_count[ch.c[i].conf]++;
        if (ch.c[i].level != 0) {
            if (lv != 0 && lv != ch.c[i].level)
                lv_conflict = 1;
            lv = ch.c[i].level;
        }
        if (ch.c[i].cand[0].level_suffix != ch.c[i].level) {
            print_error("corpus:%d: '%s': level_suffix disagrees with level\n", lineno, raw);
            return 0;
        }
    }
    if (lv_conflict || level_letter(lv) != level[0] || level[1] != '\0') {
        print_error("corpus:%d: '%s': want level %s, got %c\n", lineno, raw, level,
                    level_letter(lv));
        return 0;
    }
    return 1;
}

/* The file at path, NUL-terminated (hc_file_read), or NULL; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
    char *buf = NULL;
    return hc_file_read(path, 0, &buf, len, NULL) == HC_OK ? buf : NULL;
}

/* The next data line of the corpus text at *line (comments and blank lines passed over), split
 * into its four columns f[0..3]; *lineno counts lines. Returns 0 at the end of the text. */
static int corpus_next(char **line, int *lineno, char *f[4])
{
    while (*line != NULL && **line != '\0') {
        char *cur = *line, *next = strchr(cur, '\n');
        int k;
        if (next != NULL)
            *next++ = '\0';
        *line = next;
        ++*lineno;
        if (cur[0] == '#' || cur[0] == '\0')
            continue;
        f[0] = cur;
        for (k = 1; k < 4; k++) {
            if ((f[k] = strchr(f[k - 1], '\t')) == NULL)
                fail_msg("corpus:%d: want 4 TAB-separated columns", *lineno);
            *f[k]++ = '\0';
        }
        if (f[3][0] == '\0' || strchr(f[3], '\t') != NULL)
            fail_msg("corpus:%d: the source column is empty or followed by more", *lineno);
        return 1;
    }
    return 0;
}

/* Every string of the corpus reads to its hand-written form. */
static void test_corpus(void **state)
{
    struct tu *t = *state;
    size_t len;
    char *text = slurp(CORPUS, &len), *line = text, *f[4];
    int lineno = 0, n = 0, bad = 0;
    int conf[4] = {0, 0, 0, 0}; /* NONE, EXACT, READ, AMBIGUOUS */
    if (text == NULL)
        fail_msg("cannot read %s (run from the source tree)", CORPUS);
    while (corpus_next(&line, &lineno, f)) {
        n++;
        if (!check_line(t, lineno, f[0], f[1], f[2], conf))
            bad++;
    }
    free(text);
    print_message("corpus: %d strings: %d exact, %d read, %d ambiguous, %d no citation\n", n,
                  conf[HC_CHARGE_EXACT], conf[HC_CHARGE_READ], conf[HC_CHARGE_AMBIGUOUS], conf[0]);
    assert_true(n >= 300);
    if (bad != 0)
        fail_msg("%d of %d corpus strings misread", bad, n);
}

/* A conviction of citation (JSON-escaped here) on 2020-01-01, judged for a notification
 * request on 2025-01-01, with the level when level is F, M or I; decided into t->d. */
static void decide_conviction(struct tu *t, const char *citation, const char *level)
{
    char json[1024], esc[600];
    size_t i, n = 0;
    const char *lv = level[0] == 'F' ? ",\"level\":\"felony\""
                     : level[0] == 'M' ? ",\"level\":\"misdemeanor\""
                     : level[0] == 'I' ? ",\"level\":\"infraction\"" : "";
    for (i = 0; citation[i] != '\0' && n + 2 < sizeof esc; i++) {
        if (citation[i] == '"' || citation[i] == '\\')
            esc[n++] = '\\';
        esc[n++] = citation[i];
    }
    esc[n] = '\0';
    snprintf(json, sizeof json, "{\"as_of\":\"2025-01-01\",\"request\":{\"type\":\"notification\"},"
             "\"person\":{\"convictions\":[{\"citation\":\"%s\",\"date\":\"2020-01-01\"%s}]}}",
             esc, lv);
    assert_int_equal(tu_decide(t, json), HC_OK);
}

/* The engine decides on each raw string what it decides on its hand-written reading, or
 * `review` where the string is ambiguous: the reader sits in front of every decision. */
static void test_corpus_decides(void **state)
{
    struct tu *t = *state;
    size_t len;
    char *text = slurp(CORPUS, &len), *line = text, *f[4];
    int lineno = 0, same = 0, review = 0, bad = 0;
    if (text == NULL)
        fail_msg("cannot read %s (run from the source tree)", CORPUS);
    while (corpus_next(&line, &lineno, f)) {
        unsigned char outcome, nbasis, prov0;
        if (strcmp(f[1], "NONE") == 0 || strstr(f[1], " ; ") != NULL)
            continue; /* several citations in one string: each is its own entry */
        if (strncmp(f[1], "AMBIGUOUS", 9) == 0) {
            decide_conviction(t, f[0], "-");
            if (t->d.outcome == HC_OUT_REVIEW) {
                review++;
            } else {
                print_error("corpus:%d: '%s' is ambiguous but decided %d\n", lineno, f[0],
                            t->d.outcome);
                bad++;
            }
            continue;
        }
        decide_conviction(t, f[1], f[2]);
        outcome = t->d.outcome;
        nbasis = t->d.nbasis;
        prov0 = nbasis > 0 ? t->d.basis[0].prov : 0;
        decide_conviction(t, f[0], "-");
        if (t->d.outcome == outcome && t->d.nbasis == nbasis &&
            (nbasis == 0 || t->d.basis[0].prov == prov0)) {
            same++;
        } else {
            print_error("corpus:%d: '%s' decided %d, its reading '%s' %d\n", lineno, f[0],
                        t->d.outcome, f[1], outcome);
            bad++;
        }
    }
    free(text);
    print_message("corpus decisions: %d as their reading, %d ambiguous ones review\n", same,
                  review);
    assert_true(same >= 300);
    if (bad != 0)
        fail_msg("%d corpus strings decided otherwise than their reading", bad);
}

/* Each form, one line each: what it reads to and its level and confidence. */
static void test_forms(void **state)
{
    static const struct {
        const char *in, *want;
        int level, conf;
    } rows[] = {
        {"PC 245(a)(1)", "PC 245(a)(1)", 0, HC_CHARGE_EXACT},
        {"245(A)(1) PC", "PC 245(a)(1)", 0, HC_CHARGE_EXACT},
        {"496(A) PC RECEIVE KNOWN STOLEN PROP", "PC 496(a)", 0, HC_CHARGE_READ},
        {"10851(A) VC-TAKE VEHICLE W/O CONSENT", "VC 10851(a)", 0, HC_CHARGE_READ},
        {"PC_459", "PC 459", 0, HC_CHARGE_READ},
        {"HS11378-F", "HS 11378", HC_LEVEL_FELONY, HC_CHARGE_EXACT},
        {"VC 23152(B) DUI .08 M", "VC 23152(b)", HC_LEVEL_MISDEMEANOR, HC_CHARGE_READ},
        {"243(E)(1)/M", "PC 243(e)(1)", HC_LEVEL_MISDEMEANOR, HC_CHARGE_READ},
        {"PC 243(E)(1)/M BATTERY ON SPOUSE", "PC 243(e)(1)", HC_LEVEL_MISDEMEANOR, HC_CHARGE_READ},
        {"PC 594(B)(1)/F VANDALISM", "PC 594(b)(1)", HC_LEVEL_FELONY, HC_CHARGE_READ},
        {"PC4532B1-F", "PC 4532(b)(1)", HC_LEVEL_FELONY, HC_CHARGE_READ},
        {"(Pen. Code, § 211; count 3)", "PC 211", 0, HC_CHARGE_READ},
        {"Penal Code section 245, subdivision (a)(1)", "PC 245(a)(1)", 0, HC_CHARGE_READ},
        {"PC 187 (a) MURDER 1ST", "PC 187(a) 1st", 0, HC_CHARGE_READ},
        {"23152(A)VC", "VC 23152(a)", 0, HC_CHARGE_EXACT},
        {"PC 664/211", "PC 664/211", 0, HC_CHARGE_EXACT},
        {"PC 211/664", "PC 664/211", 0, HC_CHARGE_EXACT},
        {"PC 182(a)(1)", "PC 182(a)(1)", 0, HC_CHARGE_EXACT},
        {"HS 11351.5", "HS 11351.5", 0, HC_CHARGE_EXACT},
        {"PC 12022.53(d)", "PC 12022.53(d)", 0, HC_CHARGE_EXACT},
        {"11375(B)2HS", "HS 11375(b)(2)", 0, HC_CHARGE_READ},
        {"484E(A)PC", "PC 484e(a)", 0, HC_CHARGE_EXACT},
        {"484PCTFMV", "PC 484", 0, HC_CHARGE_READ},
        {"3000.08FPC", "PC 3000.08(f)", 0, HC_CHARGE_READ},
        {"PC 530.5(A)F", "PC 530.5(a)", HC_LEVEL_FELONY, HC_CHARGE_EXACT},
        {"4575(B) PC - INMATE POSSESS TOBACCO (I)", "PC 4575(b)", HC_LEVEL_INFRACTION, HC_CHARGE_READ},
        {"1320(B) PC - FTA ON FELONY CHARGE (M)", "PC 1320(b)", HC_LEVEL_MISDEMEANOR, HC_CHARGE_READ},
        {"PC 148(A)(1) RESIST MISD", "PC 148(a)(1)", HC_LEVEL_MISDEMEANOR, HC_CHARGE_READ},
        {"459 PC-BURGLARY:SECOND DEGREE", "PC 459 2nd", 0, HC_CHARGE_READ},
        {"P.C. 459 BURG 2ND DEG", "PC 459 2nd", 0, HC_CHARGE_READ},
        {"(Pen. Code, §§ 664, 187, subd. (a))", "PC 664/187(a)", 0, HC_CHARGE_READ},
        {"PC 664/11352 HS", "PC 664/HS 11352", 0, HC_CHARGE_EXACT},
        {"18 U.S.C. § 2113(a)", "18 USC 2113(a)", 0, HC_CHARGE_EXACT},
        {"Health and Safety Code section 11377(a)", "HS 11377(a)", 0, HC_CHARGE_EXACT},
        {"W&I 707(b)", "WI 707(b)", 0, HC_CHARGE_EXACT},
        {"Bus. & Prof. Code, § 25662, subd. (a)", "BP 25662(a)", 0, HC_CHARGE_READ},
        {"PC 273A", "PC 273a", 0, HC_CHARGE_EXACT},
    };
    struct tu *t = *state;
    struct hc_charge_readings ch;
    char got[512];
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int rc = read_fmt(t, rows[i].in, strlen(rows[i].in), 1, &ch, got, sizeof got);
        if (rc != 1 || strcmp(got, rows[i].want) != 0 || ch.c[0].level != rows[i].level ||
            ch.c[0].conf != rows[i].conf)
            fail_msg("'%s': rc %d, got '%s' level %d conf %d; want '%s' level %d conf %d",
                     rows[i].in, rc, got, rc > 0 ? ch.c[0].level : -1,
                     rc > 0 ? ch.c[0].conf : -1, rows[i].want, rows[i].level, rows[i].conf);
    }
}

static void test_degree_and_inchoate(void **state)
{
    struct tu *t = *state;
    struct hc_charge_readings ch;
    char got[256];
    assert_int_equal(read_fmt(t, "PC 187 (a) MURDER 1ST", 21, 1, &ch, got, sizeof got), 1);
    assert_int_equal(ch.c[0].cand[0].main.degree, 1);
    assert_int_equal(read_fmt(t, "PC 664/211 ATT ROBBERY", 22, 1, &ch, got, sizeof got), 1);
    assert_int_equal(ch.c[0].cand[0].inchoate, HC_INCHOATE_ATTEMPT);
    assert_true(ch.c[0].cand[0].has_target);
    assert_string_equal(ch.c[0].cand[0].target.sec, "211");
    assert_int_equal(read_fmt(t, "182(A)(1) PC-CONSPIRACY", 23, 1, &ch, got, sizeof got), 1);
    assert_int_equal(ch.c[0].cand[0].inchoate, HC_INCHOATE_CONSPIRACY);
    /* "1ST OFFENSE" is not a degree; "1ST" closing the text is. */
    assert_int_equal(read_fmt(t, "VC 23152(A) DUI 1ST OFFENSE", 27, 1, &ch, got, sizeof got), 1);
    assert_int_equal(ch.c[0].cand[0].main.degree, 0);
}

/* Several citations in one string are several charges, in order, each with its own level. */
static void test_several(void **state)
{
    struct tu *t = *state;
    struct hc_charge_readings ch;
    char got[512];
    const char *s = "PC 459-F ; HS 11377(A) M ; VC 12500(A)";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 3);
    assert_string_equal(got, "PC 459 ; HS 11377(a) ; VC 12500(a)");
    assert_int_equal(ch.c[0].level, HC_LEVEL_FELONY);
    assert_int_equal(ch.c[1].level, HC_LEVEL_MISDEMEANOR);
    assert_int_equal(ch.c[2].level, HC_LEVEL_UNKNOWN);
    /* Another subdivision of the same section is another charge, with the same level. */
    s = "23152(A)/(B) VC DUI M";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 2);
    assert_string_equal(got, "VC 23152(a) ; VC 23152(b)");
    assert_int_equal(ch.c[1].level, HC_LEVEL_MISDEMEANOR);
    /* A level in parentheses after the slash is the level, not another subdivision. */
    s = "VC 23152(A)/(B)/(MISD)";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 2);
    assert_string_equal(got, "VC 23152(a) ; VC 23152(b)");
    assert_int_equal(ch.c[1].level, HC_LEVEL_MISDEMEANOR);
    s = "VC 10851(A)/(FEL)";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 1);
    assert_string_equal(got, "VC 10851(a)");
    assert_int_equal(ch.c[0].level, HC_LEVEL_FELONY);
    s = "VC 10851(A)/(MISDEMEANOR)";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 1);
    assert_string_equal(got, "VC 10851(a)");
    assert_int_equal(ch.c[0].level, HC_LEVEL_MISDEMEANOR);
    s = "PC 245(A)(1) & (4)";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 2);
    assert_string_equal(got, "PC 245(a)(1) ; PC 245(a)(4)");
    s = "PC 273A(A)/(B)";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), 2);
    assert_string_equal(got, "PC 273a(a) ; PC 273a(b)");
    s = "PC 1 PC 2 PC 3 PC 4 PC 5 PC 6 PC 7 PC 8";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), HC_CHARGE_MAX);
    s = "PC 1 PC 2 PC 3 PC 4 PC 5 PC 6 PC 7 PC 8 PC 9";
    assert_int_equal(read_fmt(t, s, strlen(s), 1, &ch, got, sizeof got), HC_ERANGE);
    assert_int_equal(ch.n, 0);
}

/* A predicate that knows only the sections listed in ctx (a NULL-terminated array of
 * canonical parts such as "PC 422.1"). */
static int only_these(void *ctx, const struct hc_cite_part *p)
{
    const char *const *known = ctx;
    char one[64];
    struct hc_cite_part q = *p;
    struct hc_buf b;
    q.nsub = 0;
    q.degree = 0;
    hc_buf_init(&b, one, sizeof one - 1);
    hc_cite_part_format(&q, &b);
    one[b.len] = '\0';
    for (; *known != NULL; known++)
        if (strcmp(*known, one) == 0)
            return 1;
    return 0;
}

static void test_ambiguity(void **state)
{
    static const char *const k4221[] = {"PC 4221", NULL};
    static const char *const k4221d[] = {"PC 422.1", NULL};
    static const char *const kboth[] = {"PC 4221", "PC 422.1", NULL};
    static const char *const knone[] = {NULL};
    static const char *const k288[] = {"PC 288", "PC 288a", NULL};
    static const char *const k288a[] = {"PC 288a", NULL};
    static const char *const k487[] = {"PC 487", NULL};
    struct hc_charge_readings ch;
    struct hc_diag d;
    char got[256];
    struct hc_buf b;
    (void)state;
#define READ(s, known)                                                                             \
    do {                                                                                           \
        int rc_ = hc_charge_read(s, strlen(s), only_these, (void *)(uintptr_t)(known), &ch, &d);              \
        assert_int_equal(rc_, 1);                                                                  \
        hc_buf_init(&b, got, sizeof got - 1);                                                      \
        hc_charge_reading_format(&ch.c[0], &b);                                                            \
        got[b.len] = '\0';                                                                         \
    } while (0)
    /* The catalog decides between sections that exist... */
    READ("PC4221A", k4221d);
    assert_string_equal(got, "PC 422.1(a)");
    assert_int_equal(ch.c[0].conf, HC_CHARGE_READ);
    READ("PC4221A", k4221);
    assert_string_equal(got, "AMBIGUOUS: PC 4221(a) | PC 4221a");
    /* ...and when it cannot, every candidate is named, never a guess. */
    READ("PC4221A", kboth);
    assert_int_equal(ch.c[0].conf, HC_CHARGE_AMBIGUOUS);
    assert_true(same_candidates(&ch.c[0], "PC 4221(a) | PC 4221a | PC 422.1(a)"));
    READ("PC4221A", knone);
    assert_true(same_candidates(&ch.c[0], "PC 4221(a) | PC 4221a | PC 422.1(a)"));
    /* A letter is a section suffix only on positive evidence. */
    READ("PC 288A", k288);
    assert_true(same_candidates(&ch.c[0], "PC 288(a) | PC 288a"));
    READ("PC 288A", k288a);
    assert_string_equal(got, "PC 288a");
    READ("487I PC", k487);
    assert_true(same_candidates(&ch.c[0], "PC 487(i) | PC 487i"));
    /* Letters before "(" are the section's; a letter before glued digits a subdivision. */
    READ("484E(A)PC", knone);
    assert_string_equal(got, "PC 484e(a)");
    /* "CPC" is the Penal Code or "C" and PC. */
    READ("587CPC", knone);
    assert_true(same_candidates(&ch.c[0], "PC 587 | PC 587(c) | PC 587c"));
    READ("308BPC", knone);
    assert_true(same_candidates(&ch.c[0], "BP 308 | PC 308(b) | PC 308b"));
    /* Without any predicate a compressed citation names its decimal reading too. */
    assert_int_equal(hc_charge_read("PC4532B1", 8, NULL, NULL, &ch, NULL), 1);
    assert_true(same_candidates(&ch.c[0], "PC 4532(b)(1) | PC 453.2(b)(1)"));
    /* A string naming no code needs the predicate to find the section in one code only. */
    assert_int_equal(hc_charge_read("243(E)(1)/M", 11, NULL, NULL, &ch, &d), HC_EINVAL);
#undef READ
}

/* The reader never reads past len: the same bytes followed by more text read the same, and
 * a string cut anywhere is read from its first len bytes only. */
static void test_bounds(void **state)
{
    struct tu *t = *state;
    struct hc_charge_readings ch;
    char got[256], *heap;
    const char *s = "PC 245(A)(1)-F ASSAULT W/DEADLY WEAPON";
    size_t len = strlen(s), cut;
    for (cut = 0; cut <= len; cut++) {
        /* An exact-size heap copy, so AddressSanitizer traps any read past it. */
        heap = malloc(cut > 0 ? cut : 1);
        assert_non_null(heap);
        memcpy(heap, s, cut);
        (void)read_fmt(t, heap, cut, 1, &ch, got, sizeof got);
        free(heap);
    }
    assert_int_equal(read_fmt(t, "PC 459 PC 460", 6, 1, &ch, got, sizeof got), 1);
    assert_string_equal(got, "PC 459");
    assert_int_equal(read_fmt(t, "PC 4592", 6, 1, &ch, got, sizeof got), 1);
    assert_string_equal(got, "PC 459");
    assert_int_equal(read_fmt(t, "PC 459", 0, 1, &ch, got, sizeof got), HC_EINVAL);
    {
        static char big[HC_CHARGE_TEXT_MAX + 1];
        memset(big, ' ', sizeof big);
        memcpy(big, "PC 459", 6);
        assert_int_equal(read_fmt(t, big, HC_CHARGE_TEXT_MAX, 1, &ch, got, sizeof got), 1);
        assert_int_equal(read_fmt(t, big, sizeof big, 1, &ch, got, sizeof got), HC_EINVAL);
        /* A token for every byte: the citation at the end of 505 "(" is still read. */
        memset(big, '(', sizeof big);
        memcpy(big + HC_CHARGE_TEXT_MAX - 7, " PC 459", 7);
        assert_int_equal(read_fmt(t, big, HC_CHARGE_TEXT_MAX, 1, &ch, got, sizeof got), 1);
        assert_string_equal(got, "PC 459");
    }
}

/* Text with no citation gives an error and no charge, never a guess. */
static void test_garbage(void **state)
{
    static const char *const bad[] = {
        "", " ", "FTA WARRANT", "DUI .08", "HOLD FOR ICE", "459", "459 BURGLARY", "PC", "PC PC",
        "(a)(1)", "///---", "PC (A)", "A484PC", "41.27CLAMC", "1090 GC - CONFLICT", "18 1708",
        "USC 2113", "99 USC 1", "count 3", "\xff\xfe\x00\x01", "NRS 200.380", "PCS5S305",
        "PC 12345678901234567890", "PC 245(A)(B)(C)(D)(E)(F)(G)",
    };
    struct tu *t = *state;
    struct hc_charge_readings ch;
    struct hc_diag d;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct hc_charge_catalog cc = cat_ctx(t);
        size_t len = i == 19 ? 4 : strlen(bad[i]);
        int rc;
        hc_diag_clear(&d);
        rc = hc_charge_read(bad[i], len, hc_charge_catalog_exists, &cc, &ch, &d);
        if (rc >= 0)
            fail_msg("'%s' was read as %d charges", bad[i], rc);
        assert_int_equal(ch.n, 0);
        assert_true(d.msg[0] != '\0');
    }
}

/* The catalog adapter finds sections, not subdivisions, on the day asked. */
static void test_catalog_adapter(void **state)
{
    struct tu *t = *state;
    struct hc_charge_catalog cc = cat_ctx(t);
    struct hc_cite c;
    assert_int_equal(hc_cite_parse("PC 4532(z)", 10, &c, NULL), HC_OK);
    assert_true(hc_charge_catalog_exists(&cc, &c.main));
    assert_int_equal(hc_cite_parse("PC 4221", 7, &c, NULL), HC_OK);
    assert_false(hc_charge_catalog_exists(&cc, &c.main));
    /* PC 288a was renumbered 287 from 2019. */
    assert_int_equal(hc_cite_parse("PC 288a", 7, &c, NULL), HC_OK);
    assert_false(hc_charge_catalog_exists(&cc, &c.main));
    cc.on = hc_date_from_ymd(2015, 1, 1);
    assert_true(hc_charge_catalog_exists(&cc, &c.main));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),          cmocka_unit_test(test_corpus_decides),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_degree_and_inchoate), cmocka_unit_test(test_several),
        cmocka_unit_test(test_ambiguity),       cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_garbage),         cmocka_unit_test(test_catalog_adapter),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}

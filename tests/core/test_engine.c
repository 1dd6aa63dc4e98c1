/* SPDX-License-Identifier: MIT
 * test_engine.c: one row per provision of Gov. Code 7282.5, 7283.1 and 7284.6, written from the
 * statute; each row names the provision that justifies its expected outcome. */
#include "testutil.h"

#define REQ(t) "\"request\":{\"type\":\"" t "\""
#define CONV(cite, level, date) "{\"citation\":\"" cite "\",\"level\":\"" level "\",\"date\":\"" date "\"}"
/* A felony of an offense Proposition 47 partly reclassified, dated before 2014-11-05, stated not
 * reduced under PC 1170.18 (absent, the reduction is not known and may decide the outcome). */
#define CONV_NR(cite, date) "{\"citation\":\"" cite "\",\"level\":\"felony\",\"date\":\"" date "\",\"prop47_reduced\":false}"

struct row {
    const char *provision; /* the law the row checks */
    const char *json;
    int outcome;
    const char *basis;     /* must appear in some basis entry, or NULL */
    const char *not_basis; /* must appear in none, or NULL */
    const char *out_has;   /* substring of the rendered JSON, or NULL */
};

static const struct row rows[] = {
    /* 7284.6(a)(1)(B): no detention on a hold request, whatever the record. */
    {"7284.6(a)(1)(B)",
     "{\"as_of\":\"2024-05-01\"," REQ("hold") ",\"judicial_warrant\":true,\"federal_felony_warrant\":true},"
     "\"person\":{\"convictions\":[" CONV("PC 211", "felony", "2020-01-01") "],\"registrant_290\":true},"
     "\"agency\":{\"release_dates_public\":true}}",
     HC_OUT_PROHIBITED, "7284.6(a)(1)(B)", "7282.5", "7283.1(b)"},
    /* 7284.6(a)(1)(C): public release information may be given. */
    {"7284.6(a)(1)(C) public",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"agency\":{\"release_dates_public\":true}}",
     HC_OUT_PERMITTED, "7284.6(a)(1)(C)", NULL, "agency.release_dates_public"},
    {"7284.6(a)(1)(C) nothing",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "}}", HC_OUT_PROHIBITED, "7284.6(a)(1)(C)",
     "7282.5(a)", NULL},
    /* 7282.5(a)(1): serious or violent felony, no lookback. */
    {"7282.5(a)(1)",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 211", "felony", "1990-06-01") "]}}",
     HC_OUT_PERMITTED, "7282.5(a)(1)", NULL, "1192.7(c)(19)"},
    /* 7282.5(a)(2): state-prison felony, no lookback (PC 245(a)(4) is not serious). */
    {"7282.5(a)(2)",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") "},\"person\":{\"convictions\":[" CONV("PC 245(a)(4)", "felony", "2000-06-01") "]}}",
     HC_OUT_PERMITTED, "7282.5(a)(2)", "7282.5(a)(1)", "7284.6(c)(2)"},
    /* 7282.5(a)(3): a 1170(h) felony in category (F) within 15 years... */
    {"7282.5(a)(3)(F) inside",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV_NR("PC 487(a)", "2012-06-01") "]}}",
     HC_OUT_PERMITTED, "7282.5(a)(3)(F)", "7282.5(a)(2)", "\"years\":15"},
    /* ...and a wobbler misdemeanor within five years; outside five it does not count. */
    {"7282.5(a)(3)(B) wobbler misdemeanor",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 273.5", "misdemeanor", "2019-05-02") "]}}",
     HC_OUT_PERMITTED, "7282.5(a)(3)(B)", NULL, "\"years\":5"},
    {"7282.5(a)(3) five-year boundary",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 273.5", "misdemeanor", "2019-05-01") "]}}",
     HC_OUT_PROHIBITED, "7284.6(a)(1)(C)", NULL, NULL},
    /* A straight misdemeanor never counts, even in a listed section. */
    {"7282.5(a)(3) straight misdemeanor",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 242", "misdemeanor", "2023-01-01") "]}}",
     HC_OUT_PROHIBITED, NULL, "7282.5", NULL},
    /* (G) counts only a felony DUI. */
    {"7282.5(a)(3)(G) misdemeanor DUI",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("VC 23153", "misdemeanor", "2023-01-01") "]}}",
     HC_OUT_PROHIBITED, NULL, "7282.5", NULL},
    /* 7282.5(a)(4): current registrant. */
    {"7282.5(a)(4)",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") "},\"person\":{\"registrant_290\":true}}",
     HC_OUT_PERMITTED, "7282.5(a)(4)", NULL, "person.registrant_290"},
    /* 7282.5(a)(5): federal aggravated felony (A)-(P) or federal felony warrant. */
    {"7282.5(a)(5) letter",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"21 USC 841(a)(1)\",\"level\":\"felony\",\"date\":\"2001-01-01\",\"federal_aggravated_felony\":true}]}}",
     HC_OUT_PERMITTED, "7282.5(a)(5)", NULL, "1101(a)(43)(B)"},
    /* (T) is outside (A)-(P), and failure to appear has no California counterpart among
     * (a)(1)-(3) (catalog cats none), so PC 667(d) through 7282(a) does not reach it either. */
    {"7282.5(a)(5) outside (A)-(P)",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"18 USC 3146\",\"level\":\"felony\",\"date\":\"2001-01-01\",\"federal_aggravated_felony\":\"T\"}]}}",
     HC_OUT_PROHIBITED, NULL, "7282.5(a)(5)", NULL},
    /* (R) is outside (A)-(P) too, but counterfeiting may have a California counterpart (forgery,
     * 7282.5(a)(3)(F)) through 7282(a) (PC 667(d)): a person must match it. */
    {"7282.5(a)(5) outside (A)-(P), counterpart possible",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"18 USC 471\",\"level\":\"felony\",\"date\":\"2015-01-01\",\"federal_aggravated_felony\":\"R\"}]}}",
     HC_OUT_REVIEW, NULL, "7282.5(a)(5)", ".ca_equivalent"},
    {"7282.5(a)(5) warrant",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") ",\"federal_felony_warrant\":true}}",
     HC_OUT_PERMITTED, "7282.5(a)(5)", NULL, "request.federal_felony_warrant"},
    /* A judge's criminal warrant offered for a civil-warrant arrest: still (a)(1)(E), but the
     * explanation says it is no civil immigration warrant and points to a transfer. */
    {"7284.6(a)(1)(E) with a judicial warrant",
     "{\"as_of\":\"2024-05-01\"," REQ("civil_warrant_arrest") ",\"judicial_warrant\":true}}",
     HC_OUT_PROHIBITED, "7284.6(a)(1)(E)", NULL, "not a civil immigration warrant"},
    /* 7282.5(b): magistrate finding opens notification only. */
    {"7282.5(b) notification",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"pending_charges\":[{\"citation\":\"PC 211\",\"level\":\"felony\",\"magistrate_probable_cause\":true}]}}",
     HC_OUT_PERMITTED, "7282.5(b)", NULL, "pending_charges[0]"},
    {"7282.5(b) not transfer",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") "},\"person\":{\"pending_charges\":[{\"citation\":\"PC 211\",\"level\":\"felony\",\"magistrate_probable_cause\":true}]}}",
     HC_OUT_PROHIBITED, "7284.6(a)(4)", "7282.5(b)", NULL},
    {"7282.5(b) 1170(h) charge",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"pending_charges\":[{\"citation\":\"PC 487(a)\",\"level\":\"felony\",\"magistrate_probable_cause\":true}]}}",
     HC_OUT_PROHIBITED, NULL, "7282.5(b)", NULL},
    /* 7284.6(a)(4): judicial warrant; public release dates do not open a transfer. */
    {"7284.6(a)(4) judicial warrant",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") ",\"judicial_warrant\":true}}",
     HC_OUT_PERMITTED, "7284.6(a)(4)", NULL, "request.judicial_warrant"},
    {"7284.6(a)(4) public dates",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") "},\"agency\":{\"release_dates_public\":true}}",
     HC_OUT_PROHIBITED, "7284.6(a)(4)", NULL, NULL},
    /* 7284.6(a)(1)(D): personal information only if public; 7282.5 does not open it. */
    {"7284.6(a)(1)(D)",
     "{\"as_of\":\"2024-05-01\"," REQ("personal_info") "},\"person\":{\"convictions\":[" CONV("PC 211", "felony", "2020-01-01") "]}}",
     HC_OUT_PROHIBITED, "7284.6(a)(1)(D)", "7282.5", NULL},
    {"7284.6(a)(1)(D) public",
     "{\"as_of\":\"2024-05-01\"," REQ("personal_info") "},\"agency\":{\"personal_info_public\":true}}",
     HC_OUT_PERMITTED, "7284.6(a)(1)(D)", NULL, NULL},
    /* 7284.6(b)(5) and 7283.1(a): interviews need the consent form. */
    {"7284.6(b)(5), 7283.1(a)",
     "{\"as_of\":\"2024-05-01\"," REQ("interview") "}}", HC_OUT_PERMITTED_COND, "7284.6(b)(5)", NULL,
     "7283.1(a)"},
    {"7284.6(b)(2)", "{\"as_of\":\"2024-05-01\"," REQ("criminal_history") "}}", HC_OUT_PERMITTED,
     "7284.6(b)(2)", NULL, NULL},
    {"7284.6(a)(1)(A)", "{\"as_of\":\"2024-05-01\"," REQ("status_inquiry") "}}", HC_OUT_PROHIBITED,
     "7284.6(a)(1)(A)", NULL, "7284.6(e)"},
    {"7284.6(a)(1)(E)", "{\"as_of\":\"2024-05-01\"," REQ("civil_warrant_arrest") "}}",
     HC_OUT_PROHIBITED, "7284.6(a)(1)(E)", NULL, NULL},
    {"7284.6(e)", "{\"as_of\":\"2024-05-01\"," REQ("status_information_exchange") "}}",
     HC_OUT_PERMITTED, "7284.6(e)", NULL, NULL},
    /* 7282.5(a)(6): a Prop 47 misdemeanor never qualifies... */
    {"7282.5(a)(6) offense",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"PC 496(a)\",\"level\":\"misdemeanor\",\"date\":\"2023-01-01\",\"prop47_reduced\":true}]}}",
     HC_OUT_PROHIBITED, "7282.5(a)(6)", NULL, NULL},
    /* ...and, read at person level, excludes the person from all 7282.5 cooperation. */
    {"7282.5(a)(6) person",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 211", "felony", "2020-01-01") ","
     "{\"citation\":\"HS 11350(a)\",\"level\":\"misdemeanor\",\"date\":\"2021-01-01\"}]},"
     "\"agency\":{\"settings\":{\"prop47_scope\":\"person\"}}}",
     HC_OUT_PROHIBITED, "7282.5(a)(6)", NULL, "\"settings\":[\"prop47_scope\"]"},
    /* Unknown facts: review, naming them. */
    {"review: level unknown",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"PC 496(a)\",\"date\":\"2015-01-01\"}]}}",
     HC_OUT_REVIEW, "7284.6(a)(1)(C)", NULL, "convictions[0].level"},
    {"review: unknown section",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 99999", "felony", "2015-01-01") "]}}",
     HC_OUT_REVIEW, NULL, NULL, "not in the offense catalog"},
    {"review: unreadable citation",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") "},\"person\":{\"convictions\":[{\"citation\":\"robbery\",\"level\":\"felony\",\"date\":\"2015-01-01\"}]}}",
     HC_OUT_REVIEW, NULL, NULL, "could not be read"},
    {"review: attempt without object",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 664", "felony", "2015-01-01") "]}}",
     HC_OUT_REVIEW, NULL, NULL, "must name the offense attempted"},
    /* A record that contradicts the offense's own level is never the basis of a permission. */
    {"review: felony record of a misdemeanor-only offense",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 243(e)(1)", "felony", "2020-01-01") "]}}",
     HC_OUT_REVIEW, NULL, "7282.5(a)(3)", "catalog lists PC 243(e)(1) as a misdemeanor only"},
    {"review: misdemeanor record of a felony-only offense",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 211", "misdemeanor", "2022-01-01") "]}}",
     HC_OUT_REVIEW, NULL, NULL, "catalog lists PC 211 as a felony only"},
    /* state_prison_at: a pre-realignment 1170(h)-type felony older than 15 years. */
    {"state_prison_at review",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV_NR("PC 487(a)", "2005-01-01") "]}}",
     HC_OUT_REVIEW, NULL, NULL, "\"settings\":[\"state_prison_at\"]"},
    {"state_prison_at conviction",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV_NR("PC 487(a)", "2005-01-01") "]},"
     "\"agency\":{\"settings\":{\"state_prison_at\":\"conviction\"}}}",
     HC_OUT_PERMITTED, "7282.5(a)(2)", NULL, "\"settings\":[\"state_prison_at\"]"},
    {"state_prison_at decision",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV_NR("PC 487(a)", "2005-01-01") "]},"
     "\"agency\":{\"settings\":{\"state_prison_at\":\"decision\"}}}",
     HC_OUT_PROHIBITED, NULL, "7282.5(a)(2)", NULL},
    /* Juvenile adjudications are not convictions by default (WI 203). */
    {"juvenile excluded",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"PC 211\",\"level\":\"felony\",\"date\":\"2020-01-01\",\"juvenile\":true}]}}",
     HC_OUT_PROHIBITED, NULL, "7282.5", "juvenile_adjudications"},
    /* 7282(f): out-of-state serious felony via its California equivalent. */
    {"7282(f)",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"NRS 200.380\",\"jurisdiction\":\"NV\",\"ca_equivalent\":\"PC 211\",\"level\":\"felony\",\"date\":\"2019-01-01\"}]}}",
     HC_OUT_PERMITTED, "7282(f), (g)", NULL, NULL},
    /* 7282(a): a conviction as in PC 667(d), which counts a federal conviction for an offense
     * with all the elements of the California one. */
    {"7282(a) federal with equivalent",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"18 USC 2111\",\"level\":\"felony\",\"date\":\"2010-03-01\",\"ca_equivalent\":\"PC 211\"}]}}",
     HC_OUT_PERMITTED, "7282(a)", "7282.5(a)(5)", "\"ca_equivalent\":\"PC 211\""},
    {"7282(a) federal without equivalent",
     "{\"as_of\":\"2024-05-01\"," REQ("transfer") "},\"person\":{\"convictions\":[{\"citation\":\"18 USC 2111\",\"level\":\"felony\",\"date\":\"2010-03-01\"}]}}",
     HC_OUT_REVIEW, "7282.5(a)(1)", NULL, "convictions[0].ca_equivalent"},
    /* An absent date that decides (a)(2): PC 594(b)(1) was state prison until 2011-09-30. */
    {"7282.5(a)(2) undated",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"PC 594(b)(1)\",\"level\":\"felony\"}]}}",
     HC_OUT_REVIEW, "7282.5(a)(2)", NULL, "convictions[0].date: not given"},
    {"7282.5(a)(2) undated, decision-date reading",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"PC 594(b)(1)\",\"level\":\"felony\"}]},"
     "\"agency\":{\"settings\":{\"state_prison_at\":\"decision\"}}}",
     HC_OUT_PROHIBITED, NULL, "7282.5(a)(2)", NULL},
    /* A review cites the provisions whose facts are missing, and only met conditions else. */
    {"review basis: strike adjudication",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[{\"citation\":\"PC 211\",\"level\":\"felony\",\"date\":\"2020-01-01\",\"juvenile\":true,\"strike_adjudication\":true}]}}",
     HC_OUT_REVIEW, "7282.5(a)(1)", "7282.5(a)(3)(F)", "\"qualifying\":[]"},
    {"review basis: TRUST",
     "{\"as_of\":\"2016-05-01\"," REQ("hold") "},\"person\":{\"convictions\":[" CONV("PC 594(b)(1)", "felony", "2005-01-01") "]}}",
     HC_OUT_REVIEW, "7282.5(a)(2) (TRUST Act", NULL, "state_prison_at"},
    /* PC 1170.18: a pre-Proposition 47 felony of a Prop 47 offense may since have been reduced. */
    {"7282.5(a)(6) felony reduction unknown",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("HS 11350(a)", "felony", "2012-01-01") "]}}",
     HC_OUT_REVIEW, "7282.5(a)(3)", "7282.5(a)(3)(M)", "convictions[0].prop47_reduced"},
    /* Agency policy may only restrict. */
    {"policy never",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"agency\":{\"release_dates_public\":true,\"policy\":{\"notification\":\"never\"}}}",
     HC_OUT_PROHIBITED, "agency policy", NULL, NULL},
    {"policy serious_violent_only",
     "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[" CONV("PC 487(a)", "felony", "2015-01-01") "]},"
     "\"agency\":{\"policy\":{\"notification\":\"serious_violent_only\"}}}",
     HC_OUT_PROHIBITED, "agency policy", NULL, NULL},
    {"policy conflict",
     "{\"as_of\":\"2024-05-01\"," REQ("hold") "},\"agency\":{\"policy\":{\"hold\":\"always\"}}}",
     HC_OUT_PROHIBITED, "7284.6(a)(1)(B)", NULL, "conflicts with Gov. Code § 7284.6(a)(1)(B)"},
    /* The law in force on the date. */
    {"TRUST 7282.5(a)(1) hold 2015",
     "{\"as_of\":\"2015-05-01\"," REQ("hold") "},\"person\":{\"convictions\":[" CONV("PC 211", "felony", "2000-01-01") "]}}",
     HC_OUT_PERMITTED, "7282.5(a)(1) (TRUST Act", NULL, "CA-2014-01-01"},
    {"TRUST 7282.5(b) hold 2016",
     "{\"as_of\":\"2016-05-01\"," REQ("hold") "}}", HC_OUT_PROHIBITED, "7282.5(b) (TRUST Act", NULL,
     "CA-2014-01-01"},
    {"TRUST (a)(3) felony at any time",
     "{\"as_of\":\"2016-05-01\"," REQ("hold") "},\"person\":{\"convictions\":[" CONV("PC 530.5(a)", "felony", "2012-01-01") "]}}",
     HC_OUT_PERMITTED, "7282.5(a)(3)(F) (TRUST Act", NULL, NULL},
    {"TRUST notification unrestricted",
     "{\"as_of\":\"2016-05-01\"," REQ("notification") "}}", HC_OUT_PERMITTED, "before 2018", "TRUST Act", NULL},
    /* The TRUST Act limited holds only: a 2017 interview rests on the TRUTH Act, 7283.1(a). */
    {"TRUTH 7283.1(a) 2017",
     "{\"as_of\":\"2017-01-01\"," REQ("interview") "}}", HC_OUT_PERMITTED_COND, "7283.1(a)", "TRUST Act", "7283.1(a)"},
    {"TRUST criminal history 2016",
     "{\"as_of\":\"2016-05-01\"," REQ("criminal_history") "}}", HC_OUT_PERMITTED, "before 2018", "7282.5", NULL},
    /* serious_violent_only narrows an interview or a criminal-history request to (a)(1). */
    {"policy serious_violent_only interview",
     "{\"as_of\":\"2024-05-01\"," REQ("interview") "},\"person\":{\"convictions\":[" CONV("PC 211", "felony", "2001-01-01") "]},"
     "\"agency\":{\"policy\":{\"interview\":\"serious_violent_only\"}}}",
     HC_OUT_PERMITTED_COND, "7282.5(a)(1)", NULL, "7283.1(a)"},
    {"policy serious_violent_only criminal history, no serious felony",
     "{\"as_of\":\"2024-05-01\"," REQ("criminal_history") "},\"person\":{\"convictions\":[" CONV("PC 459 2nd", "felony", "2020-01-01") "]},"
     "\"agency\":{\"policy\":{\"criminal_history\":\"serious_violent_only\"}}}",
     HC_OUT_PROHIBITED, "agency policy", NULL, NULL},
    /* 7284.6(e), 8 USC 1373(a): a policy forbidding status exchange gets a warning. */
    {"policy never on status exchange",
     "{\"as_of\":\"2024-05-01\"," REQ("status_information_exchange") "},"
     "\"agency\":{\"policy\":{\"status_information_exchange\":\"never\"}}}",
     HC_OUT_PROHIBITED, "agency policy", NULL, "1373(a)"},
    /* 7284.6(a)(1)(A) bars using agency resources to inquire, for immigration enforcement. */
    {"7284.6(a)(1)(A) wording",
     "{\"as_of\":\"2024-05-01\"," REQ("status_inquiry") "}}", HC_OUT_PROHIBITED, "7284.6(a)(1)(A)", NULL,
     "immigration enforcement, which includes inquiring"},
    {"TRUTH 7283.1(b) 2017 hold",
     "{\"as_of\":\"2017-06-01\"," REQ("hold") "}}", HC_OUT_PROHIBITED, NULL, NULL, "7283.1(b)"},
    {"no TRUTH in 2016",
     "{\"as_of\":\"2016-12-31\"," REQ("interview") "}}", HC_OUT_PERMITTED, NULL, NULL, "\"conditions\":[]"},
};

static void test_rows(void **state)
{
    struct tu *t = *state;
    size_t i;
    int failed = 0;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        int rc = tu_decide(t, r->json);
        const char *why = NULL;
        if (rc != HC_OK)
            why = "decide failed";
        else if (t->d.outcome != r->outcome)
            why = "outcome";
        else if (r->basis && !tu_has_basis(t, r->basis))
            why = "basis lacks";
        else if (r->not_basis && tu_has_basis(t, r->not_basis))
            why = "basis has";
        else if (r->out_has && strstr(t->out, r->out_has) == NULL)
            why = "output lacks";
        if (why != NULL) {
            print_error("FAIL [%s] %s: %s\n", r->provision, why, t->out);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* juvenile_adjudications=count reaches only what PC 667(d)(3) reaches (WIC 707(b) offenses and
 * serious or violent felonies); WIC 203 leaves every other adjudication outside, and the
 * explanation says so without calling it an open point. */
static void test_juvenile_within_667d3(void **state)
{
    struct tu *t = *state;
    static const char *const forgery =
        "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":["
        "{\"citation\":\"PC 470(a)\",\"level\":\"felony\",\"date\":\"2020-01-01\","
        "\"juvenile\":true}]},\"agency\":{\"settings\":{\"juvenile_adjudications\":\"count\"}}}";
    static const char *const robbery =
        "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":["
        "{\"citation\":\"PC 211\",\"level\":\"felony\",\"date\":\"2020-01-01\","
        "\"juvenile\":true}]},\"agency\":{\"settings\":{\"juvenile_adjudications\":\"count\"}}}";
    assert_int_equal(tu_decide(t, forgery), HC_OK);
    assert_int_equal(t->d.outcome, HC_OUT_PROHIBITED);
    assert_non_null(strstr(t->out, "Welf. & Inst. Code § 203"));
    assert_non_null(strstr(t->out, "707(b)"));
    assert_null(strstr(t->out, "leaves open"));
    assert_int_equal(tu_decide(t, robbery), HC_OK);
    assert_int_equal(t->d.outcome, HC_OUT_PERMITTED);
    assert_non_null(strstr(t->out, "667(d)(3)"));
    assert_null(strstr(t->out, "leaves open"));
    assert_null(strstr(t->out, "for counsel"));
}

/* What a refused request must not say: a prohibited interview lists no step for holding one,
 * a refused criminal-history request no rule for sharing it; the status-inquiry text does not
 * say officers may never ask anyone about status. */
static void test_refusals_say_no_steps(void **state)
{
    struct tu *t = *state;
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2024-05-01\"," REQ("interview") "},"
                                  "\"agency\":{\"policy\":{\"interview\":\"never\"}}}"),
                     HC_OK);
    assert_int_equal(t->d.outcome, HC_OUT_PROHIBITED);
    assert_null(strstr(t->out, "consent form"));
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2024-05-01\"," REQ("criminal_history") "},"
                                  "\"agency\":{\"policy\":{\"criminal_history\":\"never\"}}}"),
                     HC_OK);
    assert_int_equal(t->d.outcome, HC_OUT_PROHIBITED);
    assert_null(strstr(t->out, "7284.6(b)(2): share"));
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2024-05-01\"," REQ("status_inquiry") "}}"), HC_OK);
    assert_null(strstr(t->out, "may not ask anyone"));
}

/* Before 2014-01-01 no statute applies: an error, never a guess. */
static void test_before_2014(void **state)
{
    struct tu *t = *state;
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2013-12-31\"," REQ("hold") "}}"), HC_ERANGE);
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2014-01-01\"," REQ("hold") "}}"), HC_OK);
    assert_int_equal(t->d.ruleset, HC_RULES_TRUST);
}

/* The values_act_start setting moves 1-3 January 2018 between the regimes. */
static void test_values_act_start(void **state)
{
    struct tu *t = *state;
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2018-01-02\"," REQ("notification") "}}"), HC_OK);
    assert_int_equal(t->d.ruleset, HC_RULES_VALUES);
    assert_int_equal(t->d.outcome, HC_OUT_PROHIBITED);
    assert_true(t->d.settings_changed & HC_SET_SB54_START);
    assert_int_equal(tu_decide(t, "{\"as_of\":\"2018-01-02\"," REQ("notification") "},"
                                  "\"agency\":{\"settings\":{\"values_act_start\":\"2018-01-04\"}}}"), HC_OK);
    assert_int_equal(t->d.ruleset, HC_RULES_TRUTH);
    assert_int_equal(t->d.outcome, HC_OUT_PERMITTED);
}

/* Many convictions: every qualifying fact is kept up to the cap, and the count of the rest is
 * reported; missing facts are listed only for review. */
static void test_many_convictions(void **state)
{
    struct tu *t = *state;
    static char big[1 << 16];
    size_t n = 0;
    int i;
    n += (size_t)snprintf(big, sizeof big, "{\"as_of\":\"2024-05-01\"," REQ("notification") "},\"person\":{\"convictions\":[");
    for (i = 0; i < 300; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s" CONV("PC 211", "felony", "2020-01-01"), i ? "," : "");
    snprintf(big + n, sizeof big - n, "]}}");
    assert_int_equal(tu_decide(t, big), HC_OK);
    assert_int_equal(t->d.outcome, HC_OUT_PERMITTED);
    assert_int_equal(t->d.nqual, HC_MAX_QUAL);
    assert_true(t->d.qual_dropped > 0);
    assert_int_equal(t->d.nmissing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_before_2014),
        cmocka_unit_test(test_values_act_start),
        cmocka_unit_test(test_many_convictions),
        cmocka_unit_test(test_juvenile_within_667d3),
        cmocka_unit_test(test_refusals_say_no_steps),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}

/* SPDX-License-Identifier: MIT
 * test_rules.c: the TRUTH Act notices owed (src/notice/rules.c), one table row per request type,
 * outcome and release-date fact. The expectations are written from the text of Gov. Code
 * 7283.1, not from the code:
 *
 *  (a) "In advance of any interview between ICE and an individual in local law enforcement
 *      custody regarding civil immigration violations, the local law enforcement entity shall
 *      provide the individual with a written consent form ..."
 *  (b) s1 "Upon receiving any ICE hold, notification, or transfer request, the local law
 *      enforcement agency shall provide a copy of the request to the individual and inform the
 *      individual whether the law enforcement agency intends to comply with the request."
 *  (b) s2 "If a local law enforcement agency provides ICE with notification that an individual
 *      is being, or will be, released on a certain date, the local law enforcement agency shall
 *      promptly provide the same notification in writing to the individual and to the
 *      individual's attorney or to one additional person who the individual shall be permitted
 *      to designate."
 *
 * Expected sets are written "kind>recipient", space separated, in the order copy, release to
 * the person, release to counsel, consent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "case.h"
#include "engine.h"
#include "render.h"
#include "rules.h"

#define PERM HC_OUT_PERMITTED
#define COND HC_OUT_PERMITTED_COND
#define PROH HC_OUT_PROHIBITED
#define REVW HC_OUT_REVIEW

#define COPY "copy>person"
#define REL "release>person release>counsel"
#define CONS "consent>person"

struct row {
    int type, outcome, released;
    const char *expect;
    const char *why; /* the subdivision that makes each notice owed, or why none is */
};

/* Every request type of the brief x every outcome x whether a release date went to ICE. The
 * TRUTH Act does not look at the outcome for (b): the copy is owed "upon receiving" the request,
 * and the release notice whenever a date is actually given to ICE. */
static const struct row table[] = {
    /* hold: an ICE hold request -> (b) s1 copy on receipt, whatever the outcome. */
    {HC_REQ_HOLD, PERM, 0, COPY, "(b) s1: hold request received"},
    {HC_REQ_HOLD, COND, 0, COPY, "(b) s1: hold request received"},
    {HC_REQ_HOLD, PROH, 0, COPY, "(b) s1: hold request received; prohibited does not matter"},
    {HC_REQ_HOLD, REVW, 0, COPY, "(b) s1: hold request received"},
    {HC_REQ_HOLD, PERM, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    {HC_REQ_HOLD, COND, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    {HC_REQ_HOLD, PROH, 1, COPY " " REL, "(b) s1 copy; (b) s2 turns on the act, not its legality"},
    {HC_REQ_HOLD, REVW, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    /* notification: an ICE notification request -> (b) s1. */
    {HC_REQ_NOTIFICATION, PERM, 0, COPY, "(b) s1: notification request received, no date sent"},
    {HC_REQ_NOTIFICATION, COND, 0, COPY, "(b) s1: notification request received"},
    {HC_REQ_NOTIFICATION, PROH, 0, COPY, "(b) s1: notification request received"},
    {HC_REQ_NOTIFICATION, REVW, 0, COPY, "(b) s1: notification request received"},
    {HC_REQ_NOTIFICATION, PERM, 1, COPY " " REL, "(b) s1 copy; (b) s2 person and attorney/designee"},
    {HC_REQ_NOTIFICATION, COND, 1, COPY " " REL, "(b) s1 copy; (b) s2 person and attorney/designee"},
    {HC_REQ_NOTIFICATION, PROH, 1, COPY " " REL, "(b) s1 copy; (b) s2 even if the date was sent unlawfully"},
    {HC_REQ_NOTIFICATION, REVW, 1, COPY " " REL, "(b) s1 copy; (b) s2 person and attorney/designee"},
    /* transfer: an ICE transfer request -> (b) s1. */
    {HC_REQ_TRANSFER, PERM, 0, COPY, "(b) s1: transfer request received"},
    {HC_REQ_TRANSFER, COND, 0, COPY, "(b) s1: transfer request received"},
    {HC_REQ_TRANSFER, PROH, 0, COPY, "(b) s1: transfer request received"},
    {HC_REQ_TRANSFER, REVW, 0, COPY, "(b) s1: transfer request received"},
    {HC_REQ_TRANSFER, PERM, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    {HC_REQ_TRANSFER, COND, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    {HC_REQ_TRANSFER, PROH, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    {HC_REQ_TRANSFER, REVW, 1, COPY " " REL, "(b) s1 copy; (b) s2 release date given to ICE"},
    /* interview: not a hold, notification or transfer request, so no (b) s1 copy. (a): the
     * consent form before any interview; none when the interview may not take place. */
    {HC_REQ_INTERVIEW, PERM, 0, CONS, "(a): consent form before the interview"},
    {HC_REQ_INTERVIEW, COND, 0, CONS, "(a): consent form before the interview"},
    {HC_REQ_INTERVIEW, PROH, 0, "", "(a) needs an interview; a prohibited one does not happen"},
    {HC_REQ_INTERVIEW, REVW, 0, CONS, "(a): owed before the interview, if it proceeds"},
    {HC_REQ_INTERVIEW, PERM, 1, REL " " CONS, "(b) s2 release date given; (a) consent form"},
    {HC_REQ_INTERVIEW, COND, 1, REL " " CONS, "(b) s2 release date given; (a) consent form"},
    {HC_REQ_INTERVIEW, PROH, 1, REL, "(b) s2 release date given; no interview, no (a) form"},
    {HC_REQ_INTERVIEW, REVW, 1, REL " " CONS, "(b) s2 release date given; (a) consent form"},
    /* personal_info: not a hold, notification or transfer request, not an interview. Only
     * (b) s2 when a release date actually goes to ICE. */
    {HC_REQ_PERSONAL_INFO, PERM, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_PERSONAL_INFO, COND, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_PERSONAL_INFO, PROH, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_PERSONAL_INFO, REVW, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_PERSONAL_INFO, PERM, 1, REL, "(b) s2: a release date went to ICE"},
    {HC_REQ_PERSONAL_INFO, COND, 1, REL, "(b) s2: a release date went to ICE"},
    {HC_REQ_PERSONAL_INFO, PROH, 1, REL, "(b) s2: a release date went to ICE"},
    {HC_REQ_PERSONAL_INFO, REVW, 1, REL, "(b) s2: a release date went to ICE"},
    /* criminal_history: the same. */
    {HC_REQ_CRIMINAL_HISTORY, PERM, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_CRIMINAL_HISTORY, COND, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_CRIMINAL_HISTORY, PROH, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_CRIMINAL_HISTORY, REVW, 0, "", "none: 7283.1 names no notice for this request"},
    {HC_REQ_CRIMINAL_HISTORY, PERM, 1, REL, "(b) s2: a release date went to ICE"},
    {HC_REQ_CRIMINAL_HISTORY, COND, 1, REL, "(b) s2: a release date went to ICE"},
    {HC_REQ_CRIMINAL_HISTORY, PROH, 1, REL, "(b) s2: a release date went to ICE"},
    {HC_REQ_CRIMINAL_HISTORY, REVW, 1, REL, "(b) s2: a release date went to ICE"},
    /* Beyond the six: a request type 7283.1 does not name at all. */
    {HC_REQ_STATUS_INQUIRY, PROH, 0, "", "none: not a request 7283.1 names"},
    {HC_REQ_STATUS_EXCHANGE, PERM, 1, REL, "(b) s2: a release date went to ICE"},
};

/* The citation each notice must carry, from the statute: (b) for the copy and the release
 * notice, (a) for the consent form. */
static const char *expected_cite(int kind)
{
    return kind == NOTICE_CONSENT ? "Gov. Code § 7283.1(a)" : "Gov. Code § 7283.1(b)";
}

static void owed_string(const struct notice_owed *o, size_t n, char *out, size_t cap)
{
    size_t i, len = 0;
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        int w = snprintf(out + len, cap - len, "%s%s>%s", i ? " " : "",
                         notice_kind_name(o[i].kind), notice_owed_to_name(o[i].to));
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
}

static void run_row(const struct row *r, int ruleset, int intent, const char *expect)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    struct hc_diag d;
    char got[256];
    size_t n = 99, i;

    memset(&s, 0, sizeof s);
    s.type = r->type;
    s.outcome = r->outcome;
    s.ruleset = ruleset;
    s.intent = intent;
    s.release_date_provided = r->released;
    assert_int_equal(notice_owed(&s, o, &n, &d), 0);
    owed_string(o, n, got, sizeof got);
    if (strcmp(got, expect) != 0) {
        print_error("type %s outcome %s released %d: got \"%s\", want \"%s\" (%s)\n",
                    hc_request_name(r->type), hc_outcome_name(r->outcome), r->released, got,
                    expect, r->why);
        fail();
    }
    for (i = 0; i < n; i++) {
        assert_string_equal(o[i].cite, expected_cite(o[i].kind));
        assert_true(o[i].intent != NOTICE_INTENT_UNSET);
    }
}

static void test_table_values_act(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof table / sizeof table[0]; i++)
        run_row(&table[i], HC_RULES_VALUES, NOTICE_INTENT_UNSET, table[i].expect);
}

/* 2017: the TRUTH Act is in force, the Values Act is not; 7283.1 reads the same. */
static void test_table_truth_2017(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof table / sizeof table[0]; i++)
        run_row(&table[i], HC_RULES_TRUTH, NOTICE_INTENT_UNSET, table[i].expect);
}

/* 2014-2016: the TRUTH Act (Stats. 2016, ch. 768) was not yet in force: nothing is owed. */
static void test_table_before_truth(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof table / sizeof table[0]; i++)
        run_row(&table[i], HC_RULES_TRUST, NOTICE_INTENT_UNSET, "");
}

/* The table is complete: every one of the six types x four outcomes x two release facts. */
static void test_table_complete(void **state)
{
    static const int types[] = {HC_REQ_HOLD, HC_REQ_NOTIFICATION, HC_REQ_TRANSFER,
                                HC_REQ_INTERVIEW, HC_REQ_PERSONAL_INFO, HC_REQ_CRIMINAL_HISTORY};
    size_t t, i;
    int o, rel;
    (void)state;
    for (t = 0; t < sizeof types / sizeof types[0]; t++)
        for (o = PERM; o <= REVW; o++)
            for (rel = 0; rel <= 1; rel++) {
                int found = 0;
                for (i = 0; i < sizeof table / sizeof table[0]; i++)
                    found += table[i].type == types[t] && table[i].outcome == o &&
                             table[i].released == rel;
                if (found != 1) {
                    print_error("%s/%s/%d has %d rows\n", hc_request_name(types[t]),
                                hc_outcome_name(o), rel, found);
                    fail();
                }
            }
}

/* (b) s1 requires telling the person "whether the law enforcement agency intends to comply".
 * The copy says what the agency decided; a prohibited request cannot be complied with. */
static void test_intent(void **state)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    struct hc_diag d;
    size_t n;
    (void)state;

    memset(&s, 0, sizeof s);
    s.type = HC_REQ_HOLD;
    s.outcome = PROH;
    s.ruleset = HC_RULES_VALUES;
    assert_int_equal(notice_owed(&s, o, &n, &d), 0);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].intent, NOTICE_INTENT_NO); /* prohibited: will not comply */
    assert_int_equal(o[0].flags & NOTICE_F_INTENT_PENDING, 0);

    s.type = HC_REQ_NOTIFICATION;
    s.outcome = PERM;
    assert_int_equal(notice_owed(&s, o, &n, &d), 0);
    assert_int_equal(o[0].intent, NOTICE_INTENT_UNDECIDED); /* permitted is not required */
    assert_true(o[0].flags & NOTICE_F_INTENT_PENDING);

    s.intent = NOTICE_INTENT_YES;
    assert_int_equal(notice_owed(&s, o, &n, &d), 0);
    assert_int_equal(o[0].intent, NOTICE_INTENT_YES);
    assert_int_equal(o[0].flags & NOTICE_F_INTENT_PENDING, 0);

    s.outcome = PROH; /* intent yes on a prohibited request: refused, naming the field */
    n = 7;
    assert_int_equal(notice_owed(&s, o, &n, &d), HC_EINVAL);
    assert_int_equal(n, 0);
    assert_string_equal(d.field, "intent");
}

/* (a): "any interview ... regarding civil immigration violations". */
static void test_interview_variants(void **state)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    size_t n;
    (void)state;

    memset(&s, 0, sizeof s);
    s.type = HC_REQ_INTERVIEW;
    s.outcome = COND;
    s.ruleset = HC_RULES_VALUES;
    s.intent = NOTICE_INTENT_NO; /* the agency will not allow the interview: no form owed */
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 0);

    s.intent = NOTICE_INTENT_YES;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].kind, NOTICE_CONSENT);
    assert_string_equal(o[0].subdivision, "7283.1(a)");
    assert_int_equal(o[0].due.anchor, NOTICE_ANCHOR_INTERVIEW);

    s.outcome = PROH; /* the agency undecided, but state law forbids the interview: no form */
    s.intent = NOTICE_INTENT_UNDECIDED;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 0);

    s.outcome = COND;
    s.intent = NOTICE_INTENT_YES;
    s.interview_not_civil = 1; /* not about civil immigration violations: outside (a) */
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 0);

    s.interview_not_civil = 0;
    s.outcome = REVW;
    s.intent = NOTICE_INTENT_UNSET;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_true(o[0].flags & NOTICE_F_IF_INTERVIEW_PROCEEDS);
}

static void test_invalid(void **state)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    struct hc_diag d;
    size_t n;
    (void)state;

    memset(&s, 0, sizeof s);
    s.ruleset = HC_RULES_VALUES;
    s.type = HC_REQ_COUNT;
    assert_int_equal(notice_owed(&s, o, &n, &d), HC_EINVAL);
    assert_string_equal(d.field, "type");
    s.type = -1;
    assert_int_equal(notice_owed(&s, o, &n, &d), HC_EINVAL);
    s.type = HC_REQ_HOLD;
    s.outcome = 4;
    assert_int_equal(notice_owed(&s, o, &n, &d), HC_EINVAL);
    assert_string_equal(d.field, "outcome");
    s.outcome = PERM;
    s.ruleset = 3;
    assert_int_equal(notice_owed(&s, o, &n, &d), HC_EINVAL);
    assert_string_equal(d.field, "ruleset");
    s.ruleset = HC_RULES_VALUES;
    s.intent = 9;
    assert_int_equal(notice_owed(&s, o, &n, NULL), HC_EINVAL);
}

/* The clocks: the statute's words, and the hours the agency reads them as. */
static void test_due_words(void **state)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    size_t n;
    (void)state;

    memset(&s, 0, sizeof s);
    s.type = HC_REQ_NOTIFICATION;
    s.outcome = PERM;
    s.ruleset = HC_RULES_VALUES;
    s.release_date_provided = 1;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 3);
    assert_string_equal(o[0].due.words, "upon receiving");       /* (b) s1 */
    assert_int_equal(o[0].due.anchor, NOTICE_ANCHOR_RECEIPT);
    assert_string_equal(o[1].due.words, "promptly");              /* (b) s2 */
    assert_int_equal(o[1].due.anchor, NOTICE_ANCHOR_ICE_NOTIFIED);
    assert_int_equal(o[2].to, NOTICE_OWED_COUNSEL);
    assert_string_equal(o[2].subdivision, "7283.1(b), second sentence");
}

static void test_deadlines(void **state)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    struct notice_clock c;
    struct notice_times t;
    int64_t due = 0;
    size_t n;
    const int64_t H = 3600, T0 = 1717200000; /* 2024-06-01T00:00:00Z */
    (void)state;

    memset(&s, 0, sizeof s);
    s.type = HC_REQ_NOTIFICATION;
    s.outcome = PERM;
    s.ruleset = HC_RULES_VALUES;
    s.release_date_provided = 1;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    notice_clock_defaults(&c);
    assert_int_equal(c.receipt_hours, 8);
    assert_int_equal(c.promptly_hours, 24);
    notice_times_init(&t);

    /* No receipt time yet: no deadline. */
    assert_int_equal(notice_deadline(&o[0], &c, &t, &due), HC_ENOENT);
    assert_int_equal(notice_state(&o[0], &c, &t, NOTICE_TIME_NONE, T0), NOTICE_ST_PENDING);

    t.received = T0;
    assert_int_equal(notice_deadline(&o[0], &c, &t, &due), 0);
    assert_true(due == T0 + 8 * H);
    assert_int_equal(notice_state(&o[0], &c, &t, NOTICE_TIME_NONE, T0 + 8 * H), NOTICE_ST_PENDING);
    assert_int_equal(notice_state(&o[0], &c, &t, NOTICE_TIME_NONE, T0 + 8 * H + 1),
                     NOTICE_ST_OVERDUE);
    assert_int_equal(notice_state(&o[0], &c, &t, T0 + 8 * H, T0 + 99 * H), NOTICE_ST_SERVED);
    assert_int_equal(notice_state(&o[0], &c, &t, T0 + 9 * H, T0 + 99 * H), NOTICE_ST_SERVED_LATE);

    /* A release sooner than the clock brings the deadline forward. */
    t.release = T0 + 2 * H;
    assert_int_equal(notice_deadline(&o[0], &c, &t, &due), 0);
    assert_true(due == T0 + 2 * H);

    /* "promptly" after the date went to ICE; configurable. */
    t.release = NOTICE_TIME_NONE;
    assert_int_equal(notice_deadline(&o[1], &c, &t, &due), HC_ENOENT);
    t.ice_notified = T0 + 5 * H;
    assert_int_equal(notice_deadline(&o[1], &c, &t, &due), 0);
    assert_true(due == T0 + 29 * H);
    c.promptly_hours = 4;
    assert_int_equal(notice_deadline(&o[2], &c, &t, &due), 0);
    assert_true(due == T0 + 9 * H);
    c.promptly_hours = 721;
    assert_int_equal(notice_deadline(&o[2], &c, &t, &due), HC_EINVAL);
    assert_int_equal(notice_state(&o[2], &c, &t, NOTICE_TIME_NONE, T0), HC_EINVAL);

    /* The consent form: before the interview starts, not after the release. */
    notice_clock_defaults(&c);
    s.type = HC_REQ_INTERVIEW;
    s.release_date_provided = 0;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(notice_deadline(&o[0], &c, &t, &due), HC_ENOENT);
    t.interview = T0 + 30 * H;
    t.release = T0 + 1 * H;
    assert_int_equal(notice_deadline(&o[0], &c, &t, &due), 0);
    assert_true(due == T0 + 30 * H);
    assert_int_equal(notice_state(&o[0], &c, &t, T0 + 31 * H, T0 + 40 * H), NOTICE_ST_SERVED_LATE);

    /* No overflow at the end of time. */
    t.interview = NOTICE_TIME_NONE;
    t.received = INT64_MAX - 10;
    s.type = HC_REQ_HOLD;
    assert_int_equal(notice_owed(&s, o, &n, NULL), 0);
    t.release = NOTICE_TIME_NONE;
    assert_int_equal(notice_deadline(&o[0], &c, &t, &due), 0);
    assert_true(due == INT64_MAX);
}

static void test_names(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < NOTICE_KIND_COUNT; i++)
        assert_int_equal(notice_kind_from_name(notice_kind_name(i)), i);
    assert_null(notice_kind_name(NOTICE_KIND_COUNT));
    assert_null(notice_kind_name(-1));
    assert_int_equal(notice_kind_from_name("copies"), -1);
    for (i = NOTICE_INTENT_UNSET; i <= NOTICE_INTENT_NO; i++)
        assert_int_equal(notice_intent_from_name(notice_intent_name(i)), i);
    assert_string_equal(notice_state_name(NOTICE_ST_SERVED_LATE), "served_late");
    assert_string_equal(notice_anchor_name(NOTICE_ANCHOR_ICE_NOTIFIED), "ice_notified");
    assert_string_equal(notice_owed_to_name(NOTICE_OWED_COUNSEL), "counsel");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_complete),
        cmocka_unit_test(test_table_values_act),
        cmocka_unit_test(test_table_truth_2017),
        cmocka_unit_test(test_table_before_truth),
        cmocka_unit_test(test_intent),
        cmocka_unit_test(test_interview_variants),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_due_words),
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

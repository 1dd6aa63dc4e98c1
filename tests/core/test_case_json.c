/* SPDX-License-Identifier: MIT
 * test_case_json.c: the case reader accepts the documented format, and rejects everything else
 * with the field that is wrong and the line it is on. */
#include "testutil.h"

static char mem[1 << 20];

static int rd(const char *json, struct hc_case *c, struct hc_diag *d)
{
    struct hc_arena a;
    size_t pos = 0;
    hc_arena_init(&a, mem, sizeof mem);
    return hc_case_read(json, strlen(json), &pos, 1, c, &a, d);
}

static void test_full_case(void **state)
{
    struct hc_case c;
    struct hc_diag d;
    const char *j =
        "{\"id\":\"c1\",\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"transfer\","
        "\"form\":\"I-247A\",\"judicial_warrant\":true,\"federal_felony_warrant\":false},"
        "\"person\":{\"convictions\":[{\"citation\":\"PC 245(a)(1)\",\"level\":\"felony\","
        "\"date\":\"2015-03-02\"},{\"citation\":\"VC 23152(a)-M\",\"wobbler\":null,"
        "\"prop47_reduced\":false},{\"citation\":\"18 USC 2113\",\"federal_aggravated_felony\":\"F\"},"
        "{\"citation\":\"NRS 200.380\",\"jurisdiction\":\"NV\",\"ca_equivalent\":\"PC 211\"}],"
        "\"pending_charges\":[{\"citation\":\"PC 211\",\"level\":\"felony\","
        "\"magistrate_probable_cause\":true}],\"registrant_290\":true},"
        "\"agency\":{\"release_dates_public\":true,\"personal_info_public\":false,"
        "\"policy\":{\"notification\":\"never\"},\"settings\":{\"prop47_scope\":\"person\"}}}";
    (void)state;
    assert_int_equal(rd(j, &c, &d), HC_OK);
    assert_string_equal(c.id, "c1");
    assert_int_equal(c.type, HC_REQ_TRANSFER);
    assert_string_equal(c.form, "I-247A");
    assert_true(c.judicial_warrant);
    assert_int_equal(c.nconv, 4);
    assert_int_equal(c.conv[0].level, HC_LEVEL_FELONY);
    assert_int_equal(c.conv[1].level, HC_LEVEL_MISDEMEANOR); /* from the -M suffix */
    assert_int_equal(c.conv[1].wobbler, -1);
    assert_int_equal(c.conv[1].prop47, 0);
    assert_int_equal(c.conv[1].date, HC_DAY_NONE);
    assert_int_equal(c.conv[2].juris, HC_JURIS_FEDERAL);
    assert_int_equal(c.conv[2].agg, 'F');
    assert_int_equal(c.conv[3].juris, HC_JURIS_OTHER);
    assert_false(c.conv[3].cite_ok); /* NRS is not a code holdcheck reads */
    assert_true(c.conv[3].equiv_ok);
    assert_int_equal(c.ncharges, 1);
    assert_true(c.charges[0].magistrate_pc);
    assert_true(c.registrant_290);
    assert_true(c.release_public);
    assert_int_equal(c.policy[HC_REQ_NOTIFICATION], HC_POLICY_NEVER);
    assert_int_equal(c.settings.prop47_scope, HC_P47_PERSON);
}

static void test_minimal_and_numeric_id(void **state)
{
    struct hc_case c;
    struct hc_diag d;
    (void)state;
    assert_int_equal(rd("{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"}}", &c, &d), HC_OK);
    assert_null(c.id);
    assert_int_equal(c.nconv, 0);
    assert_int_equal(rd("{\"id\":17,\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},"
                        "\"person\":{\"convictions\":[]}}", &c, &d), HC_OK);
    assert_string_equal(c.id, "17");
    assert_true(c.id_is_number);
    assert_int_equal(rd(" \n ", &c, &d), HC_ENOENT);
}

/* Each bad input names the field at fault. */
static void test_errors_name_field(void **state)
{
    static const struct {
        const char *json, *field;
    } rows[] = {
        {"{\"request\":{\"type\":\"hold\"}}", "as_of"},
        {"{\"as_of\":\"2020-13-01\",\"request\":{\"type\":\"hold\"}}", "as_of"},
        {"{\"as_of\":\"2020-01-01\"}", "request"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{}}", "request.type"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"detain\"}}", "request.type"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\",\"judicial_warrant\":\"yes\"}}", "request.judicial_warrant"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"color\":1}", "color"},
        {"{\"as_of\":\"2020-01-01\",\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"}}", "as_of"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"convictions\":[{\"level\":\"felony\"}]}}", "person.convictions[0].citation"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"convictions\":[{\"citation\":\"PC 1\"},{\"citation\":\"PC 1\",\"level\":\"felon\"}]}}", "person.convictions[1].level"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"convictions\":[{\"citation\":\"PC 1\",\"date\":\"2020/01/01\"}]}}", "person.convictions[0].date"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"convictions\":[{\"citation\":\"PC 1\",\"federal_aggravated_felony\":\"Z\"}]}}", "federal_aggravated_felony"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"agency\":{\"policy\":{\"hold\":\"sometimes\"}}}", "agency.policy.hold"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"agency\":{\"policy\":{\"lunch\":\"never\"}}}", "agency.policy.lunch"},
        /* serious_violent_only reads the record's (a)(1); a status inquiry has no record test. */
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"agency\":{\"policy\":{\"status_inquiry\":\"serious_violent_only\"}}}", "agency.policy.status_inquiry"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"agency\":{\"settings\":{\"prop47_scope\":\"all\"}}}", "agency.settings.prop47_scope"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"registrant_290\":1}}", "person.registrant_290"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},}", ""},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"ho\xffld\"}}", "request.type"},
        {"{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"}", ""},
        {"[1,2]", "case"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct hc_case c;
        struct hc_diag d;
        int rc = rd(rows[i].json, &c, &d);
        if (rc != HC_EINVAL || strstr(d.field, rows[i].field) == NULL || d.msg[0] == '\0' ||
            d.line != 1)
            fail_msg("row %zu: rc %d field '%s' msg '%s'", i, rc, d.field, d.msg);
    }
}

/* serious_violent_only is accepted for interviews and criminal-history requests: an agency may
 * restrict these further than state law (7284.6(b) opening words). */
static void test_serious_violent_only_types(void **state)
{
    static const char *const types[] = {"hold", "notification", "transfer", "interview",
                                        "criminal_history"};
    char json[256];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct hc_case c;
        struct hc_diag d;
        int n = snprintf(json, sizeof json,
                         "{\"as_of\":\"2024-01-01\",\"request\":{\"type\":\"%s\"},"
                         "\"agency\":{\"policy\":{\"%s\":\"serious_violent_only\"}}}",
                         types[i], types[i]);
        assert_true(n > 0 && (size_t)n < sizeof json);
        if (rd(json, &c, &d) != HC_OK)
            fail_msg("%s: %s %s", types[i], d.field, d.msg);
    }
}

/* docs/case-format.md: null is "absent" for every optional member (found by fuzz_case). */
static void test_nulls_are_absent(void **state)
{
    static const char *const rows[] = {
        "{\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"hold\",\"form\":null,\"received\":null,\"issuing_office\":null}}",
        "{\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"convictions\":[{\"citation\":\"PC 211\",\"date\":null,\"level\":null,\"federal_aggravated_felony\":null,\"jurisdiction\":null,\"ca_equivalent\":null,\"court\":null}]}}",
        "{\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"pending_charges\":[{\"citation\":\"PC 211\",\"status\":null}],\"convictions\":null}}",
        "{\"id\":\"x\",\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"hold\"},\"person\":null,\"agency\":{\"policy\":null,\"settings\":null,\"name\":null}}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct hc_case c;
        struct hc_diag d;
        int rc = rd(rows[i], &c, &d);
        if (rc != HC_OK)
            fail_msg("row %zu: rc %d field '%s' msg '%s'", i, rc, d.field, d.msg);
    }
}

static void test_line_numbers(void **state)
{
    struct hc_case c;
    struct hc_diag d;
    (void)state;
    assert_int_equal(rd("{\n\"as_of\": \"2020-01-01\",\n\"request\": {\"type\": 5}}", &c, &d), HC_EINVAL);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.field, "request.type");
}

static void test_limits(void **state)
{
    static char big[64 * 1024];
    struct hc_case c;
    struct hc_diag d;
    size_t n = 0;
    int i;
    (void)state;
    n += (size_t)snprintf(big + n, sizeof big - n,
                          "{\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"},\"person\":{\"convictions\":[");
    for (i = 0; i < 501; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s{\"citation\":\"PC 1\"}", i ? "," : "");
    snprintf(big + n, sizeof big - n, "]}}");
    assert_int_equal(rd(big, &c, &d), HC_EINVAL);
    assert_non_null(strstr(d.msg, "too many"));
    /* Escapes and UTF-8 decode; a NUL escape is refused. */
    assert_int_equal(rd("{\"id\":\"\\u00e9\\ud83d\\ude00\\n\",\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"}}", &c, &d), HC_OK);
    assert_string_equal(c.id, "\xc3\xa9\xf0\x9f\x98\x80\n");
    assert_int_equal(rd("{\"id\":\"a\\u0000\",\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"}}", &c, &d), HC_EINVAL);
    assert_int_equal(rd("{\"id\":\"\\ud800\",\"as_of\":\"2020-01-01\",\"request\":{\"type\":\"hold\"}}", &c, &d), HC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_case),
        cmocka_unit_test(test_minimal_and_numeric_id),
        cmocka_unit_test(test_errors_name_field),
        cmocka_unit_test(test_serious_violent_only_types),
        cmocka_unit_test(test_nulls_are_absent),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

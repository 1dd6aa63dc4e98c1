/* SPDX-License-Identifier: MIT
 * test_sms_text.c: the SMS rules of src/app/sms.c: numbers normalized to E.164, opt-out words,
 * the confirmation code, the gateway body's escaping, segment counting, and every message in
 * every language within one segment with a name and booking number of usual length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sms.h"
#include "subscribe.h"

static void test_numbers(void **state)
{
    static const char *const same[] = {"(555) 010-0123", "555.010.0123", "+1 555 010 0123",
                                       "5550100123", "1-555-010-0123", " 555 010 0123"};
    static const char *const bad[] = {"555-0123", "call me", "1-800-FLOWERS", "+0 555 010 0123",
                                      "555 010 0123 x12", "+1 555 010 01234", "055 010 0123",
                                      "+12345", "+1234567890123456", "", "+"};
    char out[SMS_E164_MAX];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(sms_number_normalize(same[i], out), HC_OK);
        assert_string_equal(out, "+15550100123");
    }
    assert_int_equal(sms_number_normalize("+44 20 7946 0958", out), HC_OK);
    assert_string_equal(out, "+442079460958");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sms_number_normalize(bad[i], out) != HC_EINVAL)
            fail_msg("'%s' taken as %s", bad[i], out);
}

static void test_stop_words(void **state)
{
    static const char *const yes[] = {"STOP", "stop", " Stop \n", "s t o p", "STOPALL",
                                      "unsubscribe", "Cancel", "END", "quit", "ARRÊT", "arrêt",
                                      "ARRET", "alto", "Para"};
    static const char *const no[] = {"STOP IT", "stopp", "please stop", "", "HELP", "START",
                                     "AR RÊTS", "1"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (sms_stop_word(yes[i]) == NULL)
            fail_msg("'%s' not taken for an opt-out", yes[i]);
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
        if (sms_stop_word(no[i]) != NULL)
            fail_msg("'%s' taken for an opt-out", no[i]);
    assert_string_equal(sms_stop_word("arrêt"), "ARRET");
    assert_string_equal(sms_stop_lang("ALTO"), "es");
    assert_string_equal(sms_stop_lang("STOP"), "en");
}

static void test_code(void **state)
{
    char a[SMS_CODE_LEN + 1], b[SMS_CODE_LEN + 1];
    (void)state;
    sms_code("00aa", a);
    sms_code("00aa", b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), SMS_CODE_LEN);
    assert_int_equal(strspn(a, "0123456789"), SMS_CODE_LEN);
    sms_code("00ab", b);
    assert_string_not_equal(a, b);
}

static void test_body(void **state)
{
    char mem[512];
    struct hc_buf b;
    int json;
    (void)state;
    hc_buf_init(&b, mem, sizeof mem);
    sms_body(NULL, "+15550100123", "+15550100000", "a \"b\" \\ c\n é", &b, &json);
    hc_buf_putc(&b, '\0');
    assert_int_equal(json, 1);
    assert_string_equal(mem, "{\"to\":\"+15550100123\",\"from\":\"+15550100000\","
                             "\"text\":\"a \\\"b\\\" \\\\ c\\u000a é\"}");
    hc_buf_init(&b, mem, sizeof mem);
    sms_body("To={to}&From={from}&Body={text}", "+15550100123", "HC", "a&b=c é", &b, &json);
    hc_buf_putc(&b, '\0');
    assert_int_equal(json, 0);
    assert_string_equal(mem, "To=%2B15550100123&From=HC&Body=a%26b%3Dc%20%C3%A9");
}

static void test_segments(void **state)
{
    char s[200];
    int units, ucs2;
    (void)state;
    memset(s, 'a', 160);
    s[160] = '\0';
    assert_int_equal(sms_segments(s, &units, &ucs2), 1);
    assert_int_equal(ucs2, 0);
    s[159] = '[';
    assert_int_equal(sms_segments(s, &units, &ucs2), 2); /* '[' costs two septets */
    assert_int_equal(units, 161);
    assert_int_equal(sms_segments("é ñ ü à", &units, &ucs2), 1);
    assert_int_equal(ucs2, 0);
    assert_int_equal(sms_segments("ó", &units, &ucs2), 1);
    assert_int_equal(ucs2, 1);
    assert_int_equal(sms_segments("登記號", &units, &ucs2), 1);
    assert_int_equal(units, 3);
    assert_int_equal(ucs2, 1);
}

/* Every kind in every language, with a name and a booking number of usual length: one
 * segment; no word of immigration in any. */
static void test_messages_fit(void **state)
{
    static const char *const kinds[] = {"confirm", "released", "transferred", "release_date",
                                        "advance_notice", "rebooked", "stop"};
    static const char *const banned[] = {"mmigra", "ICE", "inmigra", "移民", "이민", "nhập cư",
                                         "imigrasyon", "deport"};
    const char *const *l;
    size_t k, i;
    int fails = 0;
    (void)state;
    for (l = subscribe_langs; *l != NULL; l++) {
        for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            struct sms_event ev;
            char mem[SMS_TEXT_MAX];
            struct hc_buf b;
            int units, ucs2, n;
            memset(&ev, 0, sizeof ev);
            ev.kind = kinds[k];
            ev.lang = *l;
            ev.booking_no = "26-004512";
            ev.name = "GARCIA, MARIA";
            ev.when = strcmp(kinds[k], "released") == 0 ? "2026-12-09T08:00:00-08:00"
                                                         : "2026-12-09";
            ev.facility = "Main Jail";
            ev.other = strcmp(kinds[k], "rebooked") == 0 ? "26-004977" : "North Annex";
            ev.days = 3;
            ev.code = "042917";
            hc_buf_init(&b, mem, sizeof mem - 1);
            sms_message(&ev, &b);
            mem[b.len] = '\0';
            assert_false(b.full);
            assert_true(b.len > 0);
            n = sms_segments(mem, &units, &ucs2);
            printf("%s %-14s %s %3d %d  %s\n", *l, kinds[k], ucs2 ? "ucs2" : "gsm7", units, n,
                   mem);
            if (n != 1)
                fails++;
            for (i = 0; i < sizeof banned / sizeof banned[0]; i++)
                assert_null(strstr(mem, banned[i]));
            assert_null(strpbrk(mem, "{}[]")); /* every placeholder and group rendered */
        }
    }
    assert_int_equal(fails, 0);
}

/* A value not known (not published) leaves out its bracketed words, never a placeholder. */
static void test_messages_unknown_values(void **state)
{
    const char *const *l;
    (void)state;
    for (l = subscribe_langs; *l != NULL; l++) {
        struct sms_event ev;
        char mem[SMS_TEXT_MAX];
        struct hc_buf b;
        memset(&ev, 0, sizeof ev);
        ev.kind = "rebooked";
        ev.lang = *l;
        ev.booking_no = "26-004512";
        hc_buf_init(&b, mem, sizeof mem - 1);
        sms_message(&ev, &b);
        mem[b.len] = '\0';
        assert_true(strstr(mem, "26-004512") != NULL);
        assert_null(strpbrk(mem, "{}[]"));
        assert_null(strstr(mem, ": ."));
        assert_null(strstr(mem, "(null)"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),   cmocka_unit_test(test_stop_words),
        cmocka_unit_test(test_code),      cmocka_unit_test(test_body),
        cmocka_unit_test(test_segments),  cmocka_unit_test(test_messages_fit),
        cmocka_unit_test(test_messages_unknown_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

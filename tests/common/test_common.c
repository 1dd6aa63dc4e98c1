/* SPDX-License-Identifier: MIT
 * test_common.c: the shared helpers of src/common: the JSON string escaper, the clock's parser
 * and formats, the identifier validators and the in-memory file lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "clock.h"
#include "err.h"
#include "ident.h"
#include "json.h"
#include "memfile.h"
#include "url.h"

/* s[0..n) through hc_buf_put_jstr, as a C string. */
static const char *esc(const char *s, size_t n)
{
    static char mem[256];
    struct hc_buf b;
    hc_buf_init(&b, mem, sizeof mem);
    hc_buf_put_jstr(&b, s, n);
    return hc_buf_cstr(&b);
}
#define ESC(lit) esc(lit, sizeof lit - 1)

static void test_json_escape(void **state)
{
    (void)state;
    assert_string_equal(ESC("plain"), "\"plain\"");
    assert_string_equal(ESC(""), "\"\"");
    assert_string_equal(ESC("a\"b\\c"), "\"a\\\"b\\\\c\"");
    assert_string_equal(ESC("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
    /* Other control characters as \u00XX in upper case, as jansson writes them. */
    assert_string_equal(ESC("\x01\x1f"), "\"\\u0001\\u001F\"");
    assert_string_equal(ESC("a\0b"), "\"a\\u0000b\"");
    /* Well-formed UTF-8 is copied as it is: 2, 3 and 4 byte sequences. */
    assert_string_equal(ESC("Jos\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"),
                        "\"Jos\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"");
    /* Anything else becomes U+FFFD, one per bad byte, so the output stays valid UTF-8. */
    assert_string_equal(ESC("a\xff" "b"), "\"a\xef\xbf\xbd" "b\"");
    assert_string_equal(ESC("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");      /* overlong */
    assert_string_equal(ESC("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
    assert_string_equal(ESC("\xf4\x90\x80\x80"),
                        "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* > U+10FFFF */
    assert_string_equal(ESC("\xe4\xb8"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");     /* cut short */
}

/* HTML escaping: the five characters that can end a text or a quoted attribute, nothing else. */
static void test_html_escape(void **state)
{
    static const char in[] = "a<b>&\"c\"'d' \xc3\xa9";
    char mem[64], small[8];
    struct hc_buf b;
    (void)state;
    hc_buf_init(&b, mem, sizeof mem);
    hc_buf_put_html(&b, in, sizeof in - 1);
    assert_string_equal(hc_buf_cstr(&b), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; \xc3\xa9");
    hc_buf_init(&b, small, sizeof small);
    hc_buf_put_html(&b, "<<<", 3);
    assert_true(b.full); /* never a cut entity without saying so */
}

/* Text for a mail: a value cannot break a header line (CR, LF) nor carry other controls;
 * bytes of UTF-8 and everything printable stay as they are. */
static void test_puts_text(void **state)
{
    char mem[64];
    struct hc_buf b;
    (void)state;
    hc_buf_init(&b, mem, sizeof mem);
    hc_buf_puts_text(&b, "A\r\nBcc: x@example.test\t\x7f\x01 \xc3\xa9!");
    hc_buf_puts_text(&b, NULL);
    assert_string_equal(hc_buf_cstr(&b), "A  Bcc: x@example.test    \xc3\xa9!");
}

static void test_utf8_seq_len(void **state)
{
    (void)state;
    assert_int_equal(hc_utf8_seq_len((const unsigned char *)"a", 1), 1);
    assert_int_equal(hc_utf8_seq_len((const unsigned char *)"\xc3\xa9", 2), 2);
    assert_int_equal(hc_utf8_seq_len((const unsigned char *)"\xc3\xa9", 1), 0);
    assert_int_equal(hc_utf8_seq_len((const unsigned char *)"\x80", 1), 0);
    assert_int_equal(hc_utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
}

static void test_clock(void **state)
{
    char utc[HC_CLOCK_UTC_LEN], day[HC_CLOCK_DATE_LEN], mail[HC_CLOCK_MAIL_LEN];
    int64_t t = 0;
    (void)state;
    assert_int_equal(hc_clock_parse("2024-02-29T12:34:56Z", &t), HC_OK);
    assert_int_equal(t, 1709210096);
    assert_int_equal(hc_clock_parse("1970-01-01T00:00:00Z", &t), HC_OK);
    assert_int_equal(t, 0);
    assert_int_equal(hc_clock_parse("1709210096", &t), HC_OK);
    assert_int_equal(t, 1709210096);
    assert_int_equal(hc_clock_parse("2024-13-01T00:00:00Z", &t), HC_EINVAL);
    assert_int_equal(hc_clock_parse("2024-02-29", &t), HC_EINVAL);
    assert_int_equal(hc_clock_parse("soon", &t), HC_EINVAL);
    hc_clock_utc(1709210096, utc);
    assert_string_equal(utc, "2024-02-29T12:34:56Z");
    hc_clock_date(1709210096, day);
    assert_string_equal(day, "2024-02-29");
    /* The arithmetic agrees with gmtime_r over leap days, century years, the epoch's both
     * sides and every hour of a sample of days, and gives "" past year 9999. */
    {
        static const int64_t at[] = {0, -1, 86399, 86400, 951782400 /* 2000-02-29 */,
                                     4107542400 /* 2100-03-01 */, -2208988800 /* 1900 */,
                                     253402300799 /* 9999-12-31T23:59:59 */};
        char want[64], wday[16];
        size_t i;
        int64_t k;
        for (i = 0; i < sizeof at / sizeof at[0] + 4000; i++) {
            time_t tt;
            struct tm tm;
            k = i < sizeof at / sizeof at[0] ? at[i] : -4000000000 + (int64_t)i * 2000003;
            tt = (time_t)k;
            gmtime_r(&tt, &tm);
            strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
            strftime(wday, sizeof wday, "%Y-%m-%d", &tm);
            hc_clock_utc(k, utc);
            assert_string_equal(utc, want);
            hc_clock_date(k, day);
            assert_string_equal(day, wday);
        }
        hc_clock_utc(253402300800, utc); /* 10000-01-01 */
        assert_string_equal(utc, "");
    }
    hc_clock_mail(1709210096, mail);
    assert_string_equal(mail, "Thu, 29 Feb 2024 12:34:56 +0000");
    /* A fixed time is what everyone reads until it is unset. */
    hc_clock_set(1709210096);
    assert_int_equal(hc_clock_now(), 1709210096);
    hc_clock_set(0);
    assert_true(hc_clock_now() > 1709210096);
    assert_true(hc_clock_mono_ms() > 0);
}

static void test_ident(void **state)
{
    static const char forty[] = "0123456789012345678901234567890123456789";
    (void)state;
    assert_true(hc_booking_no_valid("DEMO-000001", 11));
    assert_true(hc_booking_no_valid("a.b_c-d", 7));
    assert_true(hc_booking_no_valid(forty, 40));
    assert_false(hc_booking_no_valid("", 0));
    assert_false(hc_booking_no_valid("A B", 3));
    assert_false(hc_booking_no_valid("a@b", 3));
    assert_false(hc_booking_no_valid("x" "0123456789012345678901234567890123456789", 41));
    assert_true(hc_user_name_valid("alice@example.org", 17));
    assert_false(hc_user_name_valid("a b", 3));
    assert_false(hc_user_name_valid("", 0));
    assert_true(hc_user_name_valid("x" "012345678901234567890123456789012345678901234567890123456789"
                                   "012", 64));
    assert_false(hc_user_name_valid("x" "012345678901234567890123456789012345678901234567890123456789"
                                    "0123", 65));
}

static void test_memfile_find(void **state)
{
    static const unsigned char a[] = "A", b[] = "B", c[] = "C";
    static const struct hc_memfile t[] = {
        {"a.txt", NULL, a, 1}, {"js/b.js", NULL, b, 1}, {"z.css", NULL, c, 1}};
    (void)state;
    assert_ptr_equal(hc_memfile_find(t, 3, "a.txt"), &t[0]);
    assert_ptr_equal(hc_memfile_find(t, 3, "js/b.js"), &t[1]);
    assert_ptr_equal(hc_memfile_find(t, 3, "z.css"), &t[2]);
    assert_null(hc_memfile_find(t, 3, "b.js"));
    assert_null(hc_memfile_find(t, 0, "a.txt"));
}

/* The message hc_url_parse gives for s, or "ok". */
static const char *url_msg(const char *s, struct hc_url *u)
{
    static struct hc_diag d;
    hc_diag_clear(&d);
    if (hc_url_parse(s, u, "url", &d) == HC_OK)
        return "ok";
    assert_string_equal(d.field, "url");
    return d.msg;
}

static void test_url(void **state)
{
    struct hc_url u;
    (void)state;
    assert_string_equal(url_msg("http://example.org/hook?a=1", &u), "ok");
    assert_string_equal(u.scheme, "http");
    assert_string_equal(u.host, "example.org");
    assert_int_equal(u.port, 80);
    assert_string_equal(u.path, "/hook?a=1");
    assert_string_equal(url_msg("HTTPS://Example.org:8443", &u), "ok");
    assert_string_equal(u.scheme, "https");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.path, "");
    assert_string_equal(url_msg("http://[::1]:9/x", &u), "ok");
    assert_true(u.ipv6);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 9);
    assert_string_equal(url_msg("http://h?q", &u), "ok");
    assert_string_equal(u.path, "?q");
    assert_string_equal(url_msg("ftp://h/", &u), "expected an http:// URL");
    assert_string_equal(url_msg("http:///x", &u), "no host");
    assert_string_equal(url_msg("http://h_x/", &u), "bad host name");
    assert_string_equal(url_msg("http://[]/", &u), "bad IPv6 host");
    assert_string_equal(url_msg("http://h:0/", &u), "bad port");
    assert_string_equal(url_msg("http://h:65536/", &u), "bad port");
    assert_string_equal(url_msg("http://h:80x/", &u), "bad port");
    assert_string_equal(url_msg("http://h/#f", &u), "no fragment (#) in a webhook URL");
    assert_string_equal(url_msg("http://h#f", &u), "no fragment (#) in a webhook URL");
    assert_string_equal(url_msg("http://h/a b", &u), "only printable ASCII, no spaces");
    assert_string_equal(url_msg("http://[::1]x/", &u), "bad URL");
}

static void test_ipv4_private(void **state)
{
    static const unsigned char private_[][4] = {
        {0, 1, 2, 3},   {10, 0, 0, 1},   {127, 0, 0, 1}, {169, 254, 1, 1}, {172, 16, 0, 1},
        {172, 31, 255, 255}, {192, 168, 1, 1}, {100, 64, 0, 1}, {100, 127, 0, 1}, {224, 0, 0, 1},
        {255, 255, 255, 255}};
    static const unsigned char public_[][4] = {
        {8, 8, 8, 8}, {172, 15, 0, 1}, {172, 32, 0, 1}, {100, 63, 0, 1}, {100, 128, 0, 1},
        {169, 253, 1, 1}, {192, 167, 1, 1}, {223, 255, 255, 255}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof private_ / sizeof private_[0]; i++)
        assert_true(hc_ipv4_private(private_[i]));
    for (i = 0; i < sizeof public_ / sizeof public_[0]; i++)
        assert_false(hc_ipv4_private(public_[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escape), cmocka_unit_test(test_utf8_seq_len),
        cmocka_unit_test(test_html_escape), cmocka_unit_test(test_puts_text),
        cmocka_unit_test(test_clock),       cmocka_unit_test(test_ident),
        cmocka_unit_test(test_memfile_find), cmocka_unit_test(test_url),
        cmocka_unit_test(test_ipv4_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * test_netio.c: the pure rules behind deliveries, without the network: how a host that looks
 * like a number is read (netio_parse_ipv4, as inet_aton and URL parsers read it), which
 * addresses count as not public (netio_addr_private, netio_host_public on literals), and the
 * CSV cell every export writes (hc_csv_cell). Expected values come from inet_aton(3), RFC
 * 6890's special-purpose registries and OWASP's "CSV Injection" page. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "csv.h"
#include "netio.h"

static void ipv4_spellings(void **state)
{
    static const struct {
        const char *host;
        int r;
        unsigned char a[4];
    } cases[] = {
        {"127.0.0.1", 1, {127, 0, 0, 1}},
        {"127.1", 1, {127, 0, 0, 1}},
        {"127.0.1", 1, {127, 0, 0, 1}},
        {"2130706433", 1, {127, 0, 0, 1}},
        {"0x7f.1", 1, {127, 0, 0, 1}},
        {"0X7F000001", 1, {127, 0, 0, 1}},
        {"017700000001", 1, {127, 0, 0, 1}},
        {"0177.0.0.01", 1, {127, 0, 0, 1}},
        {"127.0.0.1.", 1, {127, 0, 0, 1}},
        {"10.0.65535", 1, {10, 0, 255, 255}},
        {"192.11010305", 1, {192, 168, 1, 1}}, /* 168 * 65536 + 1 * 256 + 1 */
        {"0", 1, {0, 0, 0, 0}},
        {"4294967295", 1, {255, 255, 255, 255}},
        {"4294967296", -1, {0}},  /* more than 32 bits */
        {"256.1.1.1", -1, {0}},   /* a part over 255 */
        {"1.2.3.256", -1, {0}},
        {"1.2.65536", -1, {0}},   /* the last of three parts over 16 bits */
        {"1.2.3.4.5", -1, {0}},   /* five parts */
        {"08.1.1.1", -1, {0}},    /* 8 is not an octal digit */
        {"0x.1", 1, {0, 0, 0, 1}}, /* "0x" alone is 0 (WHATWG URL, IPv4 number parser) */
        {"1..1", -1, {0}},        /* an empty part */
        {"hooks.example.org", 0, {0}},
        {"1.2.3.example", 0, {0}}, /* the last label is a name: a name */
        {"localhost", 0, {0}},
        {"0xg", 0, {0}},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char a[4] = {9, 9, 9, 9};
        int r = netio_parse_ipv4(cases[i].host, a);
        if (r != cases[i].r)
            fail_msg("%s: %d, want %d", cases[i].host, r, cases[i].r);
        if (r == 1 && memcmp(a, cases[i].a, 4) != 0)
            fail_msg("%s: %u.%u.%u.%u", cases[i].host, a[0], a[1], a[2], a[3]);
    }
}

/* netio_addr_private of a text address. */
static int private_text(const char *s)
{
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (inet_pton(AF_INET, s, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        return netio_addr_private((const struct sockaddr *)(const void *)&v4);
    }
    assert_int_equal(inet_pton(AF_INET6, s, &v6.sin6_addr), 1);
    v6.sin6_family = AF_INET6;
    return netio_addr_private((const struct sockaddr *)(const void *)&v6);
}

static void private_addresses(void **state)
{
    static const char *const priv[] = {
        "0.0.0.0", "10.0.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.1", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.168.0.1", "224.0.0.1", "255.255.255.255", "::",
        "::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::127.0.0.1", "fe80::1", "febf::1",
        "fec0::1", "fc00::1", "fdff::1", "ff02::1",
    };
    static const char *const pub[] = {
        "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
        "169.253.0.1", "192.167.1.1", "2606:4700::1111", "::ffff:8.8.8.8", "fe7f::1",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof priv / sizeof priv[0]; i++)
        if (!private_text(priv[i]))
            fail_msg("%s counts as public", priv[i]);
    for (i = 0; i < sizeof pub / sizeof pub[0]; i++)
        if (private_text(pub[i]))
            fail_msg("%s counts as private", pub[i]);
}

static void hosts_without_the_network(void **state)
{
    struct hc_diag d;
    (void)state;
    assert_int_equal(netio_host_public("127.1", 0, "url", &d), HC_ERANGE);
    assert_string_equal(d.field, "url");
    assert_int_equal(netio_host_public("localhost.", 0, "url", &d), HC_ERANGE);
    assert_int_equal(netio_host_public("Api.LocalHost", 0, "url", &d), HC_ERANGE);
    assert_int_equal(netio_host_public("::ffff:127.0.0.1", 1, "url", &d), HC_ERANGE);
    assert_int_equal(netio_host_public("fe80::1%eth0", 1, "url", &d), HC_EINVAL);
    assert_int_equal(netio_host_public("256.0.0.1", 0, "url", &d), HC_EINVAL);
    assert_int_equal(netio_host_public("134744072", 0, "url", &d), HC_OK);
    assert_int_equal(netio_host_public("2606:4700::1111", 1, "url", &d), HC_OK);
}

/* hc_csv_cell(s) as a string. */
static const char *cell(const char *s, char *mem, size_t n)
{
    struct hc_buf b;
    hc_buf_init(&b, mem, n - 1);
    hc_csv_cell(&b, s);
    mem[b.len] = '\0';
    return mem;
}

static void csv_cells(void **state)
{
    char m[128];
    (void)state;
    assert_string_equal(cell("=1+1", m, sizeof m), "\"'=1+1\"");
    assert_string_equal(cell("+1", m, sizeof m), "\"'+1\"");
    assert_string_equal(cell("-1", m, sizeof m), "\"'-1\"");
    assert_string_equal(cell("@SUM(A1)", m, sizeof m), "\"'@SUM(A1)\"");
    assert_string_equal(cell("\tx", m, sizeof m), "\"'\tx\"");
    assert_string_equal(cell("\rx", m, sizeof m), "\"'\rx\"");
    assert_string_equal(cell("=\"a\",b", m, sizeof m), "\"'=\"\"a\"\",b\"");
    assert_string_equal(cell("a=1", m, sizeof m), "a=1");
    assert_string_equal(cell("Doe, Jane", m, sizeof m), "\"Doe, Jane\"");
    assert_string_equal(cell("say \"hi\"", m, sizeof m), "\"say \"\"hi\"\"\"");
    assert_string_equal(cell("Pe\xf1" "a", m, sizeof m), "Pe\xef\xbf\xbd" "a");
    assert_string_equal(cell("", m, sizeof m), "");
    assert_string_equal(cell(NULL, m, sizeof m), "");
    assert_false(hc_csv_formula(NULL));
    assert_false(hc_csv_formula(""));
    assert_true(hc_csv_formula("-"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_spellings),
        cmocka_unit_test(private_addresses),
        cmocka_unit_test(hosts_without_the_network),
        cmocka_unit_test(csv_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * fuzz_headers.c: libFuzzer target for what the server reads from the headers of every request
 * before anything else: who the client is (http__client, src/http/client.h: X-Forwarded-For,
 * X-Forwarded-Proto and RFC 7239 Forwarded from a trusted proxy) and the session cookie
 * (http__session_cookie, src/http/session.c).
 *
 * The input's first byte chooses the peer (a trusted proxy or not, IPv4 or IPv6) and which
 * header the proxies write; the rest is header lines "name: value" (names lowercased, as h2o
 * hands them over). Checked:
 *   - the client is the peer, without TLS, whatever the headers say, when the peer is not
 *     trusted;
 *   - from a trusted peer, the request is seen as through a proxy, and the client's text reads
 *     back as an address (inet_pton); without a proxy header the client is the peer;
 *   - the cookie: 0 with a value of 1..63 RFC 6265 cookie-octets (no NUL cutting it short),
 *     HC_ENOENT, or HC_EINVAL;
 *   - both are deterministic.
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <arpa/inet.h>
#include <h2o.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "err.h"
#include "http_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_headers: contract broken: %s\n", what);
    __builtin_trap();
}

static struct sockaddr_storage peer;
static socklen_t peer_len;

static socklen_t get_peername(h2o_conn_t *conn, struct sockaddr *sa)
{
    (void)conn;
    memcpy(sa, &peer, peer_len);
    return peer_len;
}

/* The peer's address in IPv6 form, as client.c keeps it. */
static void peer_v6(unsigned char a[16])
{
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (peer.ss_family == AF_INET) {
        memcpy(a, v4mapped, 12);
        memcpy(a + 12, &((struct sockaddr_in *)&peer)->sin_addr, 4);
    } else {
        memcpy(a, ((struct sockaddr_in6 *)&peer)->sin6_addr.s6_addr, 16);
    }
}

/* text as an address in IPv6 form; -1 when it is not one. */
static int text_v6(const char *text, unsigned char a[16])
{
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned char b[4];
    if (inet_pton(AF_INET, text, b) == 1) {
        memcpy(a, v4mapped, 12);
        memcpy(a + 12, b, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, a) == 1 ? 0 : -1;
}

/* Whether some Cookie header of req holds "hc_session=" value, ended by ';' or its end. */
static int cookie_sent(h2o_req_t *req, const char *value)
{
    ssize_t i = -1;
    size_t n = strlen(value);
    while ((i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) >= 0) {
        const h2o_iovec_t *v = &req->headers.entries[i].value;
        size_t p;
        for (p = 0; p + sizeof HTTP_SESSION_COOKIE + n <= v->len; p++)
            if (memcmp(v->base + p, HTTP_SESSION_COOKIE "=", sizeof HTTP_SESSION_COOKIE) == 0 &&
                memcmp(v->base + p + sizeof HTTP_SESSION_COOKIE, value, n) == 0 &&
                (p + sizeof HTTP_SESSION_COOKIE + n == v->len ||
                 v->base[p + sizeof HTTP_SESSION_COOKIE + n] == ';'))
                return 1;
    }
    return 0;
}

/* Whether req carries the header px's proxies write the client in. */
static int proxy_header_sent(h2o_req_t *req, const struct http_proxies *px)
{
    return px->header == HTTP_PROXY_FORWARDED
               ? h2o_find_header_by_str(&req->headers, H2O_STRLIT("forwarded"), -1) >= 0
               : h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-forwarded-for"), -1) >= 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct http_worker w;
    static struct http_proxies px[2];
    static h2o_conn_callbacks_t cbs;
    static int ready;
    h2o_conn_t conn;
    h2o_req_t req;
    struct http_client cl, cl2;
    unsigned char p6[16], c6[16];
    char cookie[64], cookie2[64];
    size_t i;
    int mode, trusted, rc, rc2;

    if (!ready) {
        struct hc_diag d;
        if (http__proxies_parse("127.0.0.1, 10.0.0.0/8, ::1", HTTP_PROXY_X_FORWARDED_FOR, &px[0],
                                &d) != HC_OK ||
            http__proxies_parse("127.0.0.1, 10.0.0.0/8, ::1", HTTP_PROXY_FORWARDED, &px[1],
                                &d) != HC_OK)
            abort();
        cbs.get_peername = get_peername;
        ready = 1;
    }
    if (size < 1 || size > 8192)
        return 0;
    mode = data[0];
    memset(&peer, 0, sizeof peer);
    switch (mode & 3) {
    case 0: /* a trusted proxy */
    case 1: /* not trusted */
        peer.ss_family = AF_INET;
        inet_pton(AF_INET, (mode & 3) == 0 ? "127.0.0.1" : "192.0.2.9",
                  &((struct sockaddr_in *)&peer)->sin_addr);
        peer_len = sizeof(struct sockaddr_in);
        break;
    default: /* IPv6, trusted (::1) or not */
        peer.ss_family = AF_INET6;
        inet_pton(AF_INET6, (mode & 3) == 2 ? "::1" : "2001:db8::9",
                  &((struct sockaddr_in6 *)&peer)->sin6_addr);
        peer_len = sizeof(struct sockaddr_in6);
        break;
    }
    trusted = (mode & 3) == 0 || (mode & 3) == 2;
    w.proxies = (mode & 4) ? &px[1] : &px[0];
    if (mode & 8)
        w.proxies = NULL; /* no proxy trusted at all */
    memset(&conn, 0, sizeof conn);
    conn.ctx = &w.ctx;
    conn.callbacks = &cbs;
    memset(&req, 0, sizeof req);
    h2o_mem_init_pool(&req.pool);
    req.conn = &conn;
    req.input.scheme = &H2O_URL_SCHEME_HTTP;
    for (i = 1; i < size;) {
        size_t e = i, colon, v;
        char *name;
        while (e < size && data[e] != '\n')
            e++;
        for (colon = i; colon < e && data[colon] != ':'; colon++)
            ;
        if (colon > i && colon < e) {
            size_t k, nl = colon - i;
            name = h2o_mem_alloc_pool(&req.pool, nl);
            for (k = 0; k < nl; k++)
                name[k] = (char)(data[i + k] >= 'A' && data[i + k] <= 'Z' ? data[i + k] + 32
                                                                           : data[i + k]);
            for (v = colon + 1; v < e && data[v] == ' '; v++)
                ;
            h2o_add_header_by_str(&req.pool, &req.headers, name, nl, 1, NULL,
                                  (const char *)data + v, e - v);
        }
        i = e + 1;
    }

    http__client(&req, &cl);
    http__client(&req, &cl2);
    if (memcmp(&cl, &cl2, sizeof cl) != 0)
        contract("the client decided twice differs");
    if (memchr(cl.text, '\0', sizeof cl.text) == NULL || text_v6(cl.text, c6) != 0)
        contract("the client's text is not an address");
    peer_v6(p6);
    if (!trusted || w.proxies == NULL) {
        if (memcmp(c6, p6, 16) != 0 || cl.via_proxy || cl.tls)
            contract("an untrusted peer's headers changed the client");
    } else {
        if (!cl.via_proxy)
            contract("a trusted peer not seen as a proxy");
        if (memcmp(c6, p6, 16) != 0 && !proxy_header_sent(&req, w.proxies))
            contract("the client is not the peer, with no proxy header");
    }

    rc = http__session_cookie(&req, cookie, sizeof cookie);
    rc2 = http__session_cookie(&req, cookie2, sizeof cookie2);
    if (rc != rc2 || (rc == HC_OK && strcmp(cookie, cookie2) != 0))
        contract("the cookie read twice differs");
    if (rc == HC_OK) {
        size_t n = strnlen(cookie, sizeof cookie), k;
        if (n == 0 || n >= sizeof cookie)
            contract("a session cookie empty or too long");
        for (k = 0; k < n; k++)
            if ((unsigned char)cookie[k] < 0x21 || (unsigned char)cookie[k] > 0x7e ||
                strchr("\";,\\", cookie[k]) != NULL)
                contract("a session cookie holding a byte that is not a cookie-octet");
        if (!cookie_sent(&req, cookie))
            contract("a session cookie that is not what was sent, whole");
    } else if (rc != HC_ENOENT && rc != HC_EINVAL) {
        contract("a cookie result other than 0, HC_ENOENT and HC_EINVAL");
    }
    h2o_mem_clear_pool(&req.pool);
    return 0;
}

/* SPDX-License-Identifier: MIT
 * client.c: the client of a request and whether it came over TLS (client.h), and the trusted
 * proxies that decision believes. Addresses are kept in IPv6 form (an IPv4 address as
 * ::ffff:a.b.c.d), so one comparison serves both families and a dual-stack socket's mapped
 * peers match IPv4 entries.
 *
 * The proxy header is walked from the right: the right-most entry is what the trusted peer
 * itself saw, each entry to its left was written by the hop before. Walking stops at the first
 * address that is not a trusted proxy (the client), at an entry that is not an address (the
 * hop to its right is the last one known), or after HOPS_MAX entries; an all-trusted chain
 * gives its left-most address. */
#include <arpa/inet.h>
#include <h2o.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "ascii.h"
#include "client.h"
#include "http.h"
#include "http_int.h"

#define HOPS_MAX 32     /* entries of a proxy header looked at, from the right */
#define HEADERS_MAX 16  /* header lines of that name looked at, the last ones */

static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* s[0..n) without leading and trailing spaces and tabs. */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* The address text s[0..n) ("192.0.2.1", "2001:db8::1") into a (IPv6 form). 0 or -1. */
static int parse_addr(const char *s, size_t n, unsigned char a[16])
{
    char buf[64];
    struct in_addr v4;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET, buf, &v4) == 1) {
        memcpy(a, v4mapped, sizeof v4mapped);
        memcpy(a + 12, &v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, buf, a) == 1 ? 0 : -1;
}

/* A node as proxies write it into a (IPv6 form): an X-Forwarded-For entry or a Forwarded for=
 * value, perhaps quoted, perhaps with a port: "192.0.2.1", "192.0.2.1:4711", "2001:db8::1",
 * "[2001:db8::1]:4711". "unknown" and obfuscated names ("_hidden") are not addresses. 0 or
 * -1. */
static int parse_node(const char *s, size_t n, unsigned char a[16])
{
    const char *colon;
    trim(&s, &n);
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    if (n > 0 && s[0] == '[') {
        const char *end = memchr(s, ']', n);
        return end == NULL ? -1 : parse_addr(s + 1, (size_t)(end - s - 1), a);
    }
    /* One colon: IPv4 and a port. More: a bare IPv6 address. */
    colon = memchr(s, ':', n);
    if (colon != NULL && memchr(colon + 1, ':', n - (size_t)(colon - s) - 1) == NULL)
        n = (size_t)(colon - s);
    return parse_addr(s, n, a);
}

/* ------------------------------------------------------------------------------------------ */
/* Trusted proxies                                                                            */

int http__proxies_trust(const struct http_proxies *px, const unsigned char a[16])
{
    size_t i;
    for (i = 0; px != NULL && i < px->n; i++) {
        const struct http_proxy_net *p = &px->net[i];
        int full = p->bits / 8, rest = p->bits % 8;
        if (memcmp(a, p->addr, (size_t)full) != 0)
            continue;
        if (rest == 0 || ((a[full] ^ p->addr[full]) & (0xff << (8 - rest)) & 0xff) == 0)
            return 1;
    }
    return 0;
}

/* One entry of a trusted_proxies list, s[0..n): ADDRESS or ADDRESS/BITS. */
static int parse_net(const char *s, size_t n, struct http_proxy_net *out, struct hc_diag *d)
{
    char entry[80];
    const char *slash = memchr(s, '/', n);
    size_t alen = slash != NULL ? (size_t)(slash - s) : n;
    int bits, max, i;

    snprintf(entry, sizeof entry, "%.*s'", (int)(n < 70 ? n : 70), s);
    if (parse_addr(s, alen, out->addr) != 0)
        return hc_diag_set(d, "trusted_proxies", "not an IPv4 or IPv6 address or network: '",
                           entry);
    max = memcmp(out->addr, v4mapped, sizeof v4mapped) == 0 && memchr(s, ':', alen) == NULL
              ? 32 : 128;
    bits = max;
    if (slash != NULL) {
        const char *p = slash + 1, *end = s + n;
        if (p == end || end - p > 3)
            return hc_diag_set(d, "trusted_proxies", "bad prefix length in '", entry);
        for (bits = 0; p < end; p++) {
            if (!hc_is_digit(*p))
                return hc_diag_set(d, "trusted_proxies", "bad prefix length in '", entry);
            bits = bits * 10 + (*p - '0');
        }
        if (bits > max)
            return hc_diag_set(d, "trusted_proxies", "prefix length past the address's bits in '",
                               entry);
    }
    out->bits = bits + (128 - max);
    /* Clear the host bits, so that 10.1.2.3/8 means 10.0.0.0/8. */
    for (i = 0; i < 16; i++) {
        int keep = out->bits - i * 8;
        if (keep <= 0)
            out->addr[i] = 0;
        else if (keep < 8)
            out->addr[i] &= (unsigned char)(0xff << (8 - keep));
    }
    return HC_OK;
}

int http__proxies_parse(const char *list, enum http_proxy_header header, struct http_proxies *out,
                        struct hc_diag *d)
{
    const char *p = list != NULL ? list : "";
    memset(out, 0, sizeof *out);
    out->header = header;
    for (;;) {
        size_t n;
        int rc;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '\0')
            return HC_OK;
        n = strcspn(p, " \t,");
        if (out->n == HTTP_PROXIES_MAX)
            return hc_diag_set(d, "trusted_proxies", "more than 64 entries", NULL);
        if ((rc = parse_net(p, n, &out->net[out->n], d)) != HC_OK)
            return rc;
        out->n++;
        p += n;
    }
}

int http_trusted_proxies_check(const char *list, struct hc_diag *d)
{
    struct http_proxies px;
    return http__proxies_parse(list, HTTP_PROXY_X_FORWARDED_FOR, &px, d);
}

/* ------------------------------------------------------------------------------------------ */
/* The proxy header                                                                           */

/* What walking the chain has found so far. */
struct walk {
    const struct http_proxies *px;
    unsigned char addr[16]; /* the candidate: the last address taken */
    int have;               /* addr holds one */
    int hops;               /* entries looked at */
    int done;               /* the client is found, or the chain can be read no further */
};

/* The value of parameter name (lower case) in the Forwarded element s[0..n), or -1. */
static int forwarded_param(const char *s, size_t n, const char *name, const char **v, size_t *vn)
{
    size_t name_len = strlen(name);
    while (n > 0) {
        const char *semi = memchr(s, ';', n);
        size_t pn = semi != NULL ? (size_t)(semi - s) : n;
        const char *pair = s;
        size_t len = pn;
        trim(&pair, &len);
        if (len > name_len && pair[name_len] == '=' && strncasecmp(pair, name, name_len) == 0) {
            *v = pair + name_len + 1;
            *vn = len - name_len - 1;
            return 0;
        }
        if (semi == NULL)
            break;
        s = semi + 1;
        n -= pn + 1;
    }
    return -1;
}

/* One entry of the chain, s[0..n), the next from the right. */
static void walk_entry(struct walk *w, int forwarded, const char *s, size_t n)
{
    unsigned char a[16];
    if (w->done)
        return;
    if (forwarded && forwarded_param(s, n, "for", &s, &n) != 0)
        n = 0;
    if (++w->hops > HOPS_MAX || parse_node(s, n, a) != 0) {
        w->done = 1;
        return;
    }
    memcpy(w->addr, a, sizeof a);
    w->have = 1;
    if (!http__proxies_trust(w->px, a))
        w->done = 1;
}

/* The indexes of the last HEADERS_MAX request headers called name into idx; their number. */
static size_t header_lines(h2o_req_t *req, const char *name, size_t name_len,
                           ssize_t idx[HEADERS_MAX])
{
    ssize_t i = -1;
    size_t n = 0;
    while ((i = h2o_find_header_by_str(&req->headers, name, name_len, i)) >= 0) {
        if (n == HEADERS_MAX) {
            memmove(idx, idx + 1, (HEADERS_MAX - 1) * sizeof *idx);
            n--;
        }
        idx[n++] = i;
    }
    return n;
}

/* Walk the proxy header's entries from the right (the last line's last entry first). */
static void walk_chain(h2o_req_t *req, struct walk *w)
{
    int fwd = w->px->header == HTTP_PROXY_FORWARDED;
    ssize_t idx[HEADERS_MAX];
    size_t k = fwd ? header_lines(req, H2O_STRLIT("forwarded"), idx)
                   : header_lines(req, H2O_STRLIT("x-forwarded-for"), idx);
    while (k-- > 0 && !w->done) {
        const h2o_iovec_t *v = &req->headers.entries[idx[k]].value;
        size_t end = v->len;
        for (;;) {
            size_t start = end;
            while (start > 0 && v->base[start - 1] != ',')
                start--;
            walk_entry(w, fwd, v->base + start, end - start);
            if (start == 0 || w->done)
                break;
            end = start - 1;
        }
    }
}

/* Whether the trusted peer says the client's connection to it is TLS: the right-most entry of
 * the last X-Forwarded-Proto line, or proto= of the right-most Forwarded element (what the peer
 * itself wrote), is "https". */
static int proxy_says_https(h2o_req_t *req, const struct http_proxies *px)
{
    int fwd = px->header == HTTP_PROXY_FORWARDED;
    ssize_t idx[HEADERS_MAX];
    size_t k = fwd ? header_lines(req, H2O_STRLIT("forwarded"), idx)
                   : header_lines(req, H2O_STRLIT("x-forwarded-proto"), idx);
    const h2o_iovec_t *v;
    const char *s;
    size_t start, n;
    if (k == 0)
        return 0;
    v = &req->headers.entries[idx[k - 1]].value;
    for (start = v->len; start > 0 && v->base[start - 1] != ','; start--)
        ;
    s = v->base + start;
    n = v->len - start;
    if (fwd && forwarded_param(s, n, "proto", &s, &n) != 0)
        return 0;
    trim(&s, &n);
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    return n == 5 && strncasecmp(s, "https", 5) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The decision                                                                               */

/* The peer's address into a (IPv6 form). 0, or -1 when it is not known. */
static int peer_addr(h2o_req_t *req, unsigned char a[16])
{
    struct sockaddr_storage ss;
    if (req->conn->callbacks->get_peername == NULL ||
        req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss) == 0)
        return -1;
    if (ss.ss_family == AF_INET) {
        memcpy(a, v4mapped, sizeof v4mapped);
        memcpy(a + 12, &((const struct sockaddr_in *)(const void *)&ss)->sin_addr, 4);
        return 0;
    }
    if (ss.ss_family == AF_INET6) {
        memcpy(a, ((const struct sockaddr_in6 *)(const void *)&ss)->sin6_addr.s6_addr, 16);
        return 0;
    }
    return -1;
}

/* a's key (http__client_key) and text. */
static void describe(const unsigned char a[16], struct http_client *out)
{
    memset(out->key, 0, sizeof out->key);
    if (memcmp(a, v4mapped, sizeof v4mapped) == 0) {
        memcpy(out->key, a + 12, 4);
        inet_ntop(AF_INET, a + 12, out->text, sizeof out->text);
    } else {
        out->key[15] = 6; /* never equal to an IPv4 key */
        memcpy(out->key, a, 8);
        inet_ntop(AF_INET6, a, out->text, sizeof out->text);
    }
}

void http__client(h2o_req_t *req, struct http_client *out)
{
    const struct http_proxies *px = http__worker(req)->proxies;
    unsigned char peer[16];

    memset(out, 0, sizeof *out);
    out->tls = req->input.scheme == &H2O_URL_SCHEME_HTTPS;
    if (peer_addr(req, peer) != 0) {
        snprintf(out->text, sizeof out->text, "unknown");
        return;
    }
    if (px != NULL && px->n > 0 && http__proxies_trust(px, peer)) {
        struct walk w;
        memset(&w, 0, sizeof w);
        w.px = px;
        walk_chain(req, &w);
        out->via_proxy = 1;
        out->tls = out->tls || proxy_says_https(req, px);
        if (w.have)
            memcpy(peer, w.addr, sizeof peer);
    }
    describe(peer, out);
}

void http__client_key(h2o_req_t *req, unsigned char key[16])
{
    struct http_client cl;
    http__client(req, &cl);
    memcpy(key, cl.key, sizeof cl.key);
}

void http__client_text(h2o_req_t *req, char out[HTTP_CLIENT_TEXT_LEN])
{
    struct http_client cl;
    http__client(req, &cl);
    memcpy(out, cl.text, sizeof cl.text);
}

void http__call_client(struct http_call *c)
{
    struct http_client cl;
    if (c->client_known)
        return;
    http__client(c->req, &cl);
    memcpy(c->client_key, cl.key, sizeof cl.key);
    memcpy(c->client_text, cl.text, sizeof cl.text);
    c->client_tls = cl.tls;
    c->client_known = 1;
}

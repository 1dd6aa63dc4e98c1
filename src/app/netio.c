/* SPDX-License-Identifier: MIT
 * netio.c: deliveries through libcurl, and the address rule of webhooks (netio.h). The rule is
 * applied where the socket is opened (CURLOPT_OPENSOCKETFUNCTION sees the very address libcurl
 * is about to connect to, after its own resolution), so there is no gap between checking a
 * name and connecting to what it resolves to. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netio.h"
#include "url.h"

#define NETIO_RESPONSE_MAX 65536 /* a webhook answer longer than this is cut off */

int netio_global_init(struct hc_diag *d)
{
    /* Repeated calls only count references in libcurl; serve calls this once. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return hc_diag_set(d, "", "libcurl failed to initialise", NULL), HC_EIO;
    return HC_OK;
}

void netio_global_cleanup(void)
{
    curl_global_cleanup();
}

int netio_split_hostport(const char *s, char *host, size_t hostlen, int min_port, int *port)
{
    const char *h = s, *he, *colon;
    char *end;
    long p;
    if (s[0] == '[') {
        h = s + 1;
        he = strchr(h, ']');
        if (he == NULL || he[1] != ':')
            return -1;
        colon = he + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL)
            return -1;
        he = colon;
    }
    if (he == h || (size_t)(he - h) >= hostlen)
        return -1;
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    if (errno != 0 || *end != '\0' || colon[1] == '\0' || p < min_port || p > 65535)
        return -1;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    *port = (int)p;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Which addresses are public                                                                 */

static int ipv6_private(const unsigned char a[16])
{
    static const unsigned char zero[12];
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, v4mapped, 12) == 0) /* ::ffff:a.b.c.d */
        return hc_ipv4_private(a + 12);
    if (memcmp(a, zero, 12) == 0) /* ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d */
        return 1;
    return (a[0] & 0xfe) == 0xfc /* fc00::/7 */ ||
           (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) /* fe80::/10 */ ||
           (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) /* fec0::/10, site-local */ || a[0] == 0xff;
}

int netio_addr_private(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return hc_ipv4_private(
            (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr);
    if (sa->sa_family == AF_INET6)
        return ipv6_private(((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr);
    return 1;
}

/* One part of an inet_aton address: decimal, 0-octal or 0x-hex, s[0..n). 0 and *v, or -1. */
static int ipv4_part(const char *s, size_t n, unsigned long long *v)
{
    unsigned base = 10;
    size_t i = 0;
    *v = 0;
    if (n == 0)
        return -1;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n >= 2 && s[0] == '0') {
        base = 8;
        i = 1;
    }
    for (; i < n; i++) {
        int c = (unsigned char)s[i], dv;
        if (c >= '0' && c <= '9')
            dv = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            dv = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            dv = c - 'A' + 10;
        else
            return -1;
        if ((unsigned)dv >= base)
            return -1;
        *v = *v * base + (unsigned)dv;
        if (*v > 0xffffffffULL)
            return -1;
    }
    return 0;
}

/* Whether s[0..n) is all decimal digits, or 0x and hex digits (the WHATWG URL standard's "ends
 * in a number": such a host is an IPv4 address or invalid, never a name). */
static int numeric_label(const char *s, size_t n)
{
    size_t i = 0;
    int hex = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (n == 0)
        return 0;
    for (i = hex ? 2 : 0; i < n; i++)
        if (!(s[i] >= '0' && s[i] <= '9') &&
            !(hex && ((s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))))
            return 0;
    return 1;
}

int netio_parse_ipv4(const char *host, unsigned char a[4])
{
    size_t n = strlen(host), start = 0, i, np = 0;
    unsigned long long part[4], v;
    const char *last;
    if (n > 0 && host[n - 1] == '.')
        n--;
    if (n == 0)
        return 0;
    for (last = host + n; last > host && last[-1] != '.'; last--)
        ;
    if (!numeric_label(last, (size_t)(host + n - last)))
        return 0;
    for (i = 0; i <= n; i++) {
        if (i < n && host[i] != '.')
            continue;
        if (np == 4 || ipv4_part(host + start, i - start, &part[np]) != 0)
            return -1;
        np++;
        start = i + 1;
    }
    /* a.b.c.d, a.b.c (c: 16 bits), a.b (b: 24 bits), a (32 bits), as inet_aton reads them. */
    for (i = 0; i + 1 < np; i++)
        if (part[i] > 255)
            return -1;
    if (part[np - 1] >= (1ULL << (8 * (5 - np))))
        return -1;
    v = part[np - 1];
    for (i = 0; i + 1 < np; i++)
        v |= part[i] << (8 * (3 - i));
    a[0] = (unsigned char)(v >> 24);
    a[1] = (unsigned char)(v >> 16);
    a[2] = (unsigned char)(v >> 8);
    a[3] = (unsigned char)v;
    return 1;
}

static const char refused_msg[] = "webhooks to loopback, private or link-local addresses are "
                                  "not allowed on this server";

/* Whether name (without a trailing dot) is localhost or a name under it (RFC 6761 6.3). */
static int is_localhost(const char *name, size_t n)
{
    return (n == 9 && strncasecmp(name, "localhost", 9) == 0) ||
           (n > 10 && strncasecmp(name + n - 10, ".localhost", 10) == 0);
}

int netio_host_public(const char *host, int ipv6, const char *field, struct hc_diag *d)
{
    struct addrinfo hints, *res = NULL, *ai;
    unsigned char a4[4], a6[16];
    size_t n = strlen(host);
    int r, bad = 0;

    if (ipv6) {
        if (inet_pton(AF_INET6, host, a6) != 1)
            return hc_diag_set(d, field, "bad IPv6 address", NULL);
        return ipv6_private(a6) ? (hc_diag_set(d, field, refused_msg, NULL), HC_ERANGE) : HC_OK;
    }
    if ((r = netio_parse_ipv4(host, a4)) < 0)
        return hc_diag_set(d, field, "the host looks like an IPv4 address but is not one", NULL);
    if (r == 1)
        return hc_ipv4_private(a4) ? (hc_diag_set(d, field, refused_msg, NULL), HC_ERANGE)
                                   : HC_OK;
    if (n > 0 && host[n - 1] == '.')
        n--;
    if (is_localhost(host, n))
        return hc_diag_set(d, field, refused_msg, NULL), HC_ERANGE;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return HC_OK;
    for (ai = res; ai != NULL; ai = ai->ai_next)
        bad |= netio_addr_private(ai->ai_addr);
    freeaddrinfo(res);
    if (bad)
        return hc_diag_set(d, field, "the host name resolves to a loopback, private or "
                           "link-local address, which webhooks may not reach on this server",
                           NULL), HC_ERANGE;
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Transfers                                                                                  */

/* One transfer: its handle and what its callbacks share. */
struct xfer {
    CURL *h;
    long code;           /* the last SMTP reply code or the HTTP status, 0 when none */
    const char *out;     /* SMTP: the message still to send */
    size_t outlen;
    char *resp;          /* HTTP: the answer's start */
    size_t resplen, got, total;
    int allow_private;
    int refused;         /* a connection to a private address was refused */
};

/* CURLOPT_OPENSOCKETFUNCTION: the check on the address actually connected to. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose,
                                 struct curl_sockaddr *addr)
{
    struct xfer *x = clientp;
    (void)purpose;
    if (!x->allow_private && netio_addr_private(&addr->addr)) {
        x->refused = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

static size_t read_message(char *buf, size_t size, size_t nitems, void *userp)
{
    struct xfer *x = userp;
    size_t n = size * nitems;
    if (n > x->outlen)
        n = x->outlen;
    memcpy(buf, x->out, n);
    x->out += n;
    x->outlen -= n;
    return n;
}

static size_t write_answer(char *p, size_t size, size_t nmemb, void *userp)
{
    struct xfer *x = userp;
    size_t n = size * nmemb;
    if (x->got + 1 < x->resplen) {
        size_t keep = x->resplen - 1 - x->got;
        if (keep > n)
            keep = n;
        memcpy(x->resp + x->got, p, keep);
        x->got += keep;
        x->resp[x->got] = '\0';
    }
    x->total += n;
    return x->total > NETIO_RESPONSE_MAX ? 0 : n;
}

/* Start a transfer to url with the options every one shares: its time bound, no signals, no
 * proxy from the environment, no redirect, only the given protocols, peer and host name
 * verified (against ca_file when not NULL), and the socket check. 0, or -1 (out of memory). */
static int xfer_open(struct xfer *x, const char *url, const char *protocols, int allow_private,
                     const char *ca_file, int timeout_ms)
{
    memset(x, 0, sizeof *x);
    x->allow_private = allow_private;
    if ((x->h = curl_easy_init()) == NULL)
        return -1;
    curl_easy_setopt(x->h, CURLOPT_URL, url);
    curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(x->h, CURLOPT_PROXY, "");
    curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_file != NULL)
        curl_easy_setopt(x->h, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(x->h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(x->h, CURLOPT_OPENSOCKETDATA, x);
    return 0;
}

/* Run the transfer; x->code gets the last reply code. */
static CURLcode xfer_run(struct xfer *x)
{
    CURLcode rc = curl_easy_perform(x->h);
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->code);
    return rc;
}

static void xfer_close(struct xfer *x)
{
    if (x->h != NULL)
        curl_easy_cleanup(x->h);
    x->h = NULL;
}

/* A libcurl failure as text: the code's description only. libcurl's error buffer names the
 * host and port, and a subscriber's webhook host or mail domain is confidential while the
 * delivery list shows this text to admins (docs/public.md). */
static void curl_reason(CURLcode rc, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", curl_easy_strerror(rc));
}

/* Whether host (brackets removed) is a loopback literal or localhost. */
static int host_loopback(const char *host)
{
    unsigned char a[16];
    if (strcasecmp(host, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, host, a) == 1)
        return a[0] == 127;
    return inet_pton(AF_INET6, host, a) == 1 && IN6_IS_ADDR_LOOPBACK((struct in6_addr *)a);
}

enum netio_result netio_smtp_send(const struct netio_smtp *s, const char *from, const char *to,
                                  const char *msg, size_t len, int timeout_ms, char *err,
                                  size_t errlen)
{
    char host[256], url[300], addr[300];
    struct curl_slist *rcpt = NULL;
    enum netio_result r = NETIO_TEMPORARY;
    struct xfer x;
    CURLcode rc;
    int port;

    if (strpbrk(from, "\r\n<>") != NULL || strpbrk(to, "\r\n<>") != NULL) {
        snprintf(err, errlen, "bad address");
        return NETIO_PERMANENT;
    }
    if (netio_split_hostport(s->relay, host, sizeof host, 1, &port) != 0) {
        snprintf(err, errlen, "bad smtp_relay '%s': expected HOST:PORT", s->relay);
        return NETIO_TEMPORARY;
    }
    snprintf(url, sizeof url, strchr(host, ':') ? "%s://[%s]:%d/holdcheck" : "%s://%s:%d/holdcheck",
             s->tls == NETIO_SMTP_SMTPS ? "smtps" : "smtp", host, port);
    snprintf(addr, sizeof addr, "<%s>", to);
    /* The relay is the operator's own: loopback and private addresses are expected. */
    if (xfer_open(&x, url, "smtp,smtps", 1, s->ca_file, timeout_ms) != 0 ||
        (rcpt = curl_slist_append(NULL, addr)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    x.out = msg;
    x.outlen = len;
    /* STARTTLS: required, except that a relay on loopback may speak plain SMTP. */
    if (s->tls != NETIO_SMTP_SMTPS)
        curl_easy_setopt(x.h, CURLOPT_USE_SSL,
                         s->tls == NETIO_SMTP_AUTO && host_loopback(host) ? (long)CURLUSESSL_TRY
                                                                          : (long)CURLUSESSL_ALL);
    snprintf(addr, sizeof addr, "<%s>", from);
    curl_easy_setopt(x.h, CURLOPT_MAIL_FROM, addr);
    curl_easy_setopt(x.h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(x.h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(x.h, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(x.h, CURLOPT_READDATA, &x);
    curl_easy_setopt(x.h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    if ((rc = xfer_run(&x)) == CURLE_OK) {
        r = NETIO_SENT;
    } else if (x.code >= 400) {
        /* The code only: a relay's text may quote the recipient, which stays confidential. */
        snprintf(err, errlen, "the relay refused: %ld", x.code);
        r = x.code >= 500 ? NETIO_PERMANENT : NETIO_TEMPORARY;
    } else {
        curl_reason(rc, err, errlen);
    }
out:
    curl_slist_free_all(rcpt);
    xfer_close(&x);
    return r;
}

enum netio_result netio_http_post(const char *url, int allow_private, const char *ca_file,
                                  const char *content_type, const char *const *hdrs,
                                  size_t nhdrs, const char *body, size_t len, int timeout_ms,
                                  int *status, char *resp, size_t resplen, char *err,
                                  size_t errlen)
{
    char ctype[96];
    const char *const fixed[] = {ctype, "Expect:"};
    struct curl_slist *hl = NULL, *t;
    enum netio_result r = NETIO_TEMPORARY;
    struct xfer x;
    CURLcode rc;
    size_t i;

    resp[0] = '\0';
    snprintf(ctype, sizeof ctype, "Content-Type: %s",
             content_type != NULL ? content_type : "application/json");
    if (xfer_open(&x, url, "http,https", allow_private, ca_file, timeout_ms) != 0)
        goto oom;
    for (i = 0; i < 2 + nhdrs; i++) {
        if ((t = curl_slist_append(hl, i < 2 ? fixed[i] : hdrs[i - 2])) == NULL)
            goto oom;
        hl = t;
    }
    x.resp = resp;
    x.resplen = resplen;
    curl_easy_setopt(x.h, CURLOPT_USERAGENT, "holdcheck");
    curl_easy_setopt(x.h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(x.h, CURLOPT_POST, 1L);
    curl_easy_setopt(x.h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(x.h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(x.h, CURLOPT_WRITEFUNCTION, write_answer);
    curl_easy_setopt(x.h, CURLOPT_WRITEDATA, &x);
    rc = xfer_run(&x);
    /* An answer cut off past NETIO_RESPONSE_MAX still has its status. */
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && x.code > 0)) {
        *status = (int)x.code;
        r = NETIO_SENT;
    } else if (x.refused) {
        snprintf(err, errlen, "the host resolves to a loopback or private address, which this "
                 "server does not deliver to");
        r = NETIO_PERMANENT;
    } else {
        curl_reason(rc, err, errlen);
    }
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
out:
    curl_slist_free_all(hl);
    xfer_close(&x);
    return r;
}

/* SPDX-License-Identifier: MIT
 * client.h: who the client of a request is, and whether it reached us over TLS. One function
 * (http__client) decides both, for the public rate limit, the login throttle, the session
 * cookie's Secure, HSTS and the server log. The client is the peer of the connection, except
 * when the peer is a trusted proxy (http_config.trusted_proxies): then it is the right-most
 * address of the proxy header (X-Forwarded-For, or RFC 7239 Forwarded for=) that is not itself
 * a trusted proxy. From any other peer those headers are ignored entirely, so a client cannot
 * choose its own rate-limit bucket or lock out somebody else's address. */
#ifndef HC_HTTP_CLIENT_H
#define HC_HTTP_CLIENT_H

#include <h2o.h>
#include <stddef.h>

#include "err.h"
#include "http.h"
#include "http_int.h"

#define HTTP_PROXIES_MAX 64 /* entries of trusted_proxies */

/* One trusted network: an address in IPv6 form (IPv4 as ::ffff:a.b.c.d) and its prefix length
 * in that form (an IPv4 /8 is 104), host bits cleared. */
struct http_proxy_net {
    unsigned char addr[16];
    int bits;
};

/* The trusted proxies and which header they write. All zero: none (the default). */
struct http_proxies {
    struct http_proxy_net net[HTTP_PROXIES_MAX];
    size_t n;
    enum http_proxy_header header; /* the one header read; the other is ignored */
};

/* Parse list (http_trusted_proxies_check's syntax) into *out with header. Returns 0, or
 * HC_EINVAL with d naming the entry at fault; *out is then undefined. */
int http__proxies_parse(const char *list, enum http_proxy_header header, struct http_proxies *out,
                        struct hc_diag *d);

/* Whether a (IPv6 form) is inside one of px's networks. */
int http__proxies_trust(const struct http_proxies *px, const unsigned char a[16]);

/* The client of a request, as http__client decides it. */
struct http_client {
    unsigned char key[16];          /* as http__client_key describes it (http_int.h) */
    char text[HTTP_CLIENT_TEXT_LEN]; /* "192.0.2.7", "2001:db8::1", or "unknown" */
    int tls;  /* the client's own connection is TLS: ours, or a trusted proxy's that says so
               * (X-Forwarded-Proto: https, or proto=https in its Forwarded element) */
    int via_proxy; /* the peer is a trusted proxy */
};

/* Decide req's client (above) with the trusted proxies of req's worker. Loop thread only: it
 * asks the connection for its peer. Never fails: an unknown peer gives an all-zero key and
 * "unknown". */
void http__client(h2o_req_t *req, struct http_client *out);

#endif

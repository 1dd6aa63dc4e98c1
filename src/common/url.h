/* SPDX-License-Identifier: MIT
 * url.h: the one URL parser, for the http:// URLs holdcheck takes (webhooks) and calls. It checks
 * the form only; what a caller allows (schemes, private addresses) is the caller's rule. */
#ifndef HC_URL_H
#define HC_URL_H

#include "err.h"

#define HC_URL_MAX 2048     /* bytes */
#define HC_URL_HOST_MAX 256 /* bytes, with the NUL */

struct hc_url {
    char scheme[8];             /* "http" or "https", lower case */
    char host[HC_URL_HOST_MAX]; /* a name, an IPv4 address, or an IPv6 address without [] */
    int ipv6;                   /* host was written as [IPv6] */
    int port;                   /* the port given, or the scheme's default (80, 443) */
    const char *path;           /* into the parsed string: "/..." or "?...", "" when none */
};

/* Parse s as SCHEME://HOST[:PORT][PATH][?QUERY] with SCHEME http or https, HOST a name
 * (A-Z a-z 0-9 . -), an IPv4 address or [IPv6], PORT 1-65535, only printable ASCII, no spaces,
 * no fragment, at most HC_URL_MAX bytes. Fills *u (u->path points into s). Returns 0, or
 * HC_EINVAL with d's field set to `field` and a message saying what is wrong. */
int hc_url_parse(const char *s, struct hc_url *u, const char *field, struct hc_diag *d);

/* Whether the IPv4 address a (network order) is not a public one: "this network", private
 * (10/8, 172.16/12, 192.168/16), loopback, link-local, shared (100.64/10), multicast or
 * reserved. Webhooks to such addresses are refused unless the server allows them. */
int hc_ipv4_private(const unsigned char a[4]);

/* The value of the hexadecimal digit c (either case), or -1: for percent-decoding. */
int hc_url_hex_value(int c);

/* The longest decoded query parameter name and value hc_url_query reads, NUL included. */
#define HC_QUERY_NAME_MAX 40
#define HC_QUERY_VALUE_MAX 128

/* Called by hc_url_query for each parameter, with its decoded name and value (NUL-terminated,
 * valid during the call). Returns 0 to go on, or an error (HC_EINVAL with d set) to stop. */
typedef int (*hc_url_query_fn)(void *ctx, const char *name, const char *value,
                               struct hc_diag *d);

/* Read the query string q[0..len) (without the '?'): NAME=VALUE pairs joined by '&', each
 * percent-decoded with '+' as a space; empty pairs ("a=1&&b=2") are skipped. Calls fn for each
 * pair in order. Returns 0, fn's error, or HC_EINVAL with d set: a name or value that does not
 * decode (a bad %XX, a NUL byte, longer than HC_QUERY_NAME_MAX / HC_QUERY_VALUE_MAX) is named
 * (the field "" when the name itself is bad); a pair without '=' or with an empty value, "must
 * not be empty". */
int hc_url_query(const char *q, size_t len, hc_url_query_fn fn, void *ctx, struct hc_diag *d);

#endif

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

#endif

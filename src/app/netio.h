/* SPDX-License-Identifier: MIT
 * netio.h: the network side of the public portal's deliveries, through libcurl: one mail to
 * one recipient through an SMTP relay (STARTTLS or SMTPS), one POST to a webhook (http or
 * https with certificate checks), and the rule that decides which addresses a webhook may
 * reach, applied both when a subscription names its URL (netio_host_public) and to the address
 * each connection actually opens (so a name that resolves to a public address when checked and
 * to a private one later is still refused). Every transfer is bounded by a timeout and follows
 * no redirect. */
#ifndef HC_NETIO_H
#define HC_NETIO_H

#include <stddef.h>
#include <sys/socket.h>

#include "err.h"

/* Start libcurl once for the process. Call before the first transfer, from any thread (libcurl
 * 7.84 and later initialise thread-safely). Returns 0, or HC_EIO with d set. */
int netio_global_init(struct hc_diag *d);

/* Release what netio_global_init took, once per successful call, after the last transfer. */
void netio_global_cleanup(void);

/* Split "HOST:PORT" or "[V6]:PORT" into host (NUL-terminated, brackets removed) and port, which
 * must be in min_port..65535 (the server's listen address allows 0, a relay does not). 0 or -1. */
int netio_split_hostport(const char *s, char *host, size_t hostlen, int min_port, int *port);

/* Whether the socket address sa is not a public host: IPv4 per hc_ipv4_private (this network,
 * private, loopback, link-local, shared 100.64/10, multicast, reserved); IPv6 ::/96 (the
 * unspecified and loopback addresses and the deprecated IPv4-compatible ones), unique-local
 * fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast, and the IPv4-mapped form
 * ::ffff:a.b.c.d of a non-public IPv4 address. Other families count as not public. */
int netio_addr_private(const struct sockaddr *sa);

/* Read host the way a URL parser or inet_aton would read an IPv4 address: one to four parts
 * separated by dots, each decimal, octal (a leading 0) or hexadecimal (0x), the last part
 * filling the remaining bytes ("127.1", "2130706433", "0x7f.1", "017700000001"). One trailing
 * dot is allowed. Returns 1 and the address in a (network order) when host is such a number;
 * 0 when host is a name (its last label is not numeric); -1 when it looks like a number (the
 * last label is all digits or 0x-hex) but is not a valid address, e.g. "256.1.1.1". */
int netio_parse_ipv4(const char *host, unsigned char a[4]);

/* Whether a webhook may be sent to host (as struct hc_url gives it; ipv6: written as [V6]):
 * an IPv4 address in any spelling netio_parse_ipv4 reads, an IPv6 literal, "localhost" and
 * names under it (with or without a trailing dot) are checked without the network; any other
 * name is resolved and every address it has must be public. A name that does not resolve now
 * is accepted (the connection's own check refuses it later if it then resolves to a private
 * address). Returns 0; HC_ERANGE with d (field `field`) saying the host is loopback, private or
 * link-local; or HC_EINVAL with d for a host that is not a valid address. Blocks for as long as
 * the system resolver takes. */
int netio_host_public(const char *host, int ipv6, const char *field, struct hc_diag *d);

/* How the connection to the SMTP relay is secured. */
enum netio_smtp_tls {
    NETIO_SMTP_AUTO = 0,  /* STARTTLS; required unless the relay is on loopback, where it is
                           * used only when the relay offers it */
    NETIO_SMTP_STARTTLS,  /* STARTTLS, required */
    NETIO_SMTP_SMTPS      /* TLS from the first byte (SMTPS, usually port 465) */
};

/* The outcome of a transfer. */
enum netio_result {
    NETIO_SENT = 0,      /* the relay accepted the mail; the webhook answered (any status) */
    NETIO_TEMPORARY = 1, /* try again later: no connection, timeout, TLS failure, an SMTP 4xx */
    NETIO_PERMANENT = 2  /* retrying will not help: an SMTP 5xx, an address refused */
};

/* Where and how mail leaves. Strings are borrowed for the call. */
struct netio_smtp {
    const char *relay;          /* "HOST:PORT" or "[V6]:PORT" */
    enum netio_smtp_tls tls;
    const char *ca_file;        /* PEM bundle to trust instead of the system's; NULL: system */
};

/* Send msg[0..len) (headers, an empty line and the body, lines ending in CRLF; libcurl does the
 * dot-stuffing) from `from` to `to` through the relay of s, saying EHLO holdcheck, within
 * timeout_ms in all. The relay is the operator's own, so loopback and private addresses are
 * allowed. err gets the reason of a failure (the relay's reply code, never its text, which
 * may quote the recipient). Thread-safe. */
enum netio_result netio_smtp_send(const struct netio_smtp *s, const char *from, const char *to,
                                  const char *msg, size_t len, int timeout_ms, char *err,
                                  size_t errlen);

/* POST body[0..len) as content_type (NULL: application/json) to url (http:// or https://; https verifies the
 * certificate and host name against ca_file, or the system's CAs when NULL), with the extra
 * header lines hdrs[0..nhdrs) ("Name: value"). Unless allow_private, every address a
 * connection opens is checked with netio_addr_private and a private one is refused. No proxy
 * from the environment, no redirect followed, at most timeout_ms in all. Returns NETIO_SENT
 * with *status the HTTP status and resp (NUL-terminated) the start of the answer's body (at
 * most resplen - 1 bytes); NETIO_PERMANENT when the address was refused; NETIO_TEMPORARY with
 * err set otherwise. Thread-safe. */
enum netio_result netio_http_post(const char *url, int allow_private, const char *ca_file,
                                  const char *content_type, const char *const *hdrs, size_t nhdrs, const char *body,
                                  size_t len, int timeout_ms, int *status, char *resp,
                                  size_t resplen, char *err, size_t errlen);

#endif

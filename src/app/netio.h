/* SPDX-License-Identifier: MIT
 * netio.h: blocking TCP with deadlines, for the delivery thread's SMTP and webhook clients
 * (deliver.c, smtp.c). Every call waits at most until its deadline (poll), so a dead peer
 * delays a delivery, never the server's shutdown beyond it. Plain TCP only: no TLS. */
#ifndef HC_NETIO_H
#define HC_NETIO_H

#include <stddef.h>
#include <stdint.h>

/* Connect to host:port (a name or address literal) before deadline_ms. Unless allow_private,
 * addresses that are loopback, private, link-local, multicast or unspecified are refused (a
 * public webhook must not reach the jail's own network). Returns a connected blocking socket,
 * or -1 with the reason in err. */
int netio_connect(const char *host, int port, int allow_private, int64_t deadline_ms, char *err,
                  size_t errlen);

/* Write all n bytes of p. 0, or -1 with err set. */
int netio_write_all(int fd, const void *p, size_t n, int64_t deadline_ms, char *err,
                    size_t errlen);

/* Read what is available (at most n bytes, at least 1) into p. Returns the count, 0 at the end
 * of the stream, or -1 with err set (including a passed deadline). */
long netio_read(int fd, void *p, size_t n, int64_t deadline_ms, char *err, size_t errlen);

/* Split "HOST:PORT" or "[V6]:PORT" into host (NUL-terminated, brackets removed) and port, which
 * must be in min_port..65535 (the server's listen address allows 0, a relay does not). 0 or -1. */
int netio_split_hostport(const char *s, char *host, size_t hostlen, int min_port, int *port);

#endif

/* SPDX-License-Identifier: MIT
 * tls.h: the certificate and key the HTTPS socket serves, as one OpenSSL context that new
 * connections take a reference to, replaced whole when the files are read again (SIGHUP). A
 * connection keeps the context it began with until it closes, so a reload drops none. */
#ifndef HC_HTTP_TLS_H
#define HC_HTTP_TLS_H

#include <openssl/ssl.h>

#include "err.h"

struct http_tls;

/* Load the certificate chain cert and the private key key (PEM files; borrowed, must outlive
 * the holder) into a new holder *out, with TLS 1.2 at least, the server's cipher order, no
 * compression and no renegotiation; ALPN offers h2 then http/1.1 when http2 is 1, nothing
 * (HTTP/1.1) when 0. Returns 0; HC_EINVAL with d naming tls_cert or tls_key and OpenSSL's
 * reason when a file does not load or the key does not match; HC_ENOMEM. */
int http__tls_new(const char *cert, const char *key, int http2, struct http_tls **out,
                  struct hc_diag *d);

/* Free t (NULL is fine) and its reference to the current context. Connections still holding
 * one keep it until they close. */
void http__tls_free(struct http_tls *t);

/* Read the files again and, when they load, make their context the one new connections take;
 * when they do not, keep the old one. Logs which happened and why. Any thread. Returns 0 or
 * the error http__tls_new would have returned. */
int http__tls_reload(struct http_tls *t);

/* A new reference to the current context, for one connection: give it back with
 * SSL_CTX_free when the connection closes. Any thread. */
SSL_CTX *http__tls_take(struct http_tls *t);

#endif

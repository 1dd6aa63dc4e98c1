/* SPDX-License-Identifier: MIT
 * tls.c: the HTTPS socket's OpenSSL context (tls.h). The settings follow the "intermediate"
 * profile of Mozilla's server-side TLS guidance: TLS 1.2 and 1.3 only, forward-secret AEAD
 * suites for TLS 1.2 (OpenSSL's defaults for 1.3), the server's order, no TLS compression
 * (CRIME) and no renegotiation. ALPN offers h2 only when HTTP/2 is configured (http2 = yes);
 * otherwise every client speaks HTTP/1.1 (docs/operations.md, "HTTP/2"). */
#include <h2o.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "tls.h"

#define TLS12_CIPHERS                                                                          \
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

struct http_tls {
    pthread_mutex_t lock; /* guards cur */
    SSL_CTX *cur;         /* owned reference; what new connections take */
    const char *cert, *key;
    int http2;            /* offer h2 by ALPN */
};

/* OpenSSL's reason for the last failure of this thread (its error queue, then emptied). */
static void ssl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_peek_error(); /* the first: the cause, not the caller that gave up */
    if (e == 0)
        snprintf(buf, n, "unknown error");
    else
        ERR_error_string_n(e, buf, n);
    ERR_clear_error();
}

/* Set d to "field: what PATH: OpenSSL's reason"; HC_EINVAL. */
static int ssl_fail(struct hc_diag *d, const char *field, const char *what, const char *path)
{
    char reason[160], msg[224];
    ssl_reason(reason, sizeof reason);
    snprintf(msg, sizeof msg, "%s %s: ", what, path != NULL ? path : "");
    return hc_diag_set(d, field, msg, reason);
}

/* A context with the settings above and the files' certificate and key, or NULL with d set. */
static SSL_CTX *ctx_load(const char *cert, const char *key, int http2, struct hc_diag *d)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) {
        ssl_fail(d, "tls", "cannot make a TLS context", NULL);
        return NULL;
    }
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1) {
        ssl_fail(d, "tls", "cannot set the protocol versions and ciphers", NULL);
        goto fail;
    }
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION |
                                 SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
        ssl_fail(d, "tls_cert", "cannot load the certificate chain", cert);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        ssl_fail(d, "tls_key", "cannot load the private key", key);
        goto fail;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        ssl_fail(d, "tls_key", "the private key does not match the certificate of", cert);
        goto fail;
    }
    /* "h2" before "http/1.1": h2o_accept starts HTTP/2 on a connection that chose h2. */
    if (http2)
        h2o_ssl_register_alpn_protocols(ctx, h2o_alpn_protocols);
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

int http__tls_new(const char *cert, const char *key, int http2, struct http_tls **out,
                  struct hc_diag *d)
{
    struct http_tls *t;
    SSL_CTX *ctx = ctx_load(cert, key, http2, d);
    if (ctx == NULL)
        return HC_EINVAL;
    if ((t = calloc(1, sizeof *t)) == NULL) {
        SSL_CTX_free(ctx);
        return HC_ENOMEM;
    }
    pthread_mutex_init(&t->lock, NULL);
    t->cur = ctx;
    t->cert = cert;
    t->key = key;
    t->http2 = http2;
    *out = t;
    return HC_OK;
}

void http__tls_free(struct http_tls *t)
{
    if (t == NULL)
        return;
    SSL_CTX_free(t->cur);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

int http__tls_reload(struct http_tls *t)
{
    struct hc_diag d;
    SSL_CTX *ctx, *old;
    hc_diag_clear(&d);
    if ((ctx = ctx_load(t->cert, t->key, t->http2, &d)) == NULL) {
        hc_log(HC_LOG_WARN, "SIGHUP: TLS certificate not reloaded, the old one is still "
               "served: %s: %s", d.field, d.msg);
        return HC_EINVAL;
    }
    pthread_mutex_lock(&t->lock);
    old = t->cur;
    t->cur = ctx;
    pthread_mutex_unlock(&t->lock);
    SSL_CTX_free(old); /* open connections hold their own references */
    hc_log(HC_LOG_INFO, "SIGHUP: TLS certificate %s and key %s reloaded for new connections",
           t->cert, t->key);
    return HC_OK;
}

SSL_CTX *http__tls_take(struct http_tls *t)
{
    SSL_CTX *ctx;
    pthread_mutex_lock(&t->lock);
    ctx = t->cur;
    SSL_CTX_up_ref(ctx);
    pthread_mutex_unlock(&t->lock);
    return ctx;
}

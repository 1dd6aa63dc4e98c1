/* SPDX-License-Identifier: MIT
 * http.h: the holdcheck HTTP API server (h2o's libh2o-evloop). One event loop per thread, each
 * with its own database connection; every thread accepts from one shared listening socket. Routes,
 * roles and formats are in docs/server.md. */
#ifndef HC_HTTP_H
#define HC_HTTP_H

#include <stddef.h>

#include "catalog.h"
#include "err.h"
#include "service.h"

#define HTTP_BODY_MAX ((size_t)1 << 20) /* default body limit: larger bodies are refused (413) */
#define HTTP_SESSION_SECONDS_DEFAULT (8 * 3600)
/* Default budget of memory the request bodies being read may hold, all connections together
 * (http_config.body_memory_bytes). */
#define HTTP_BODY_MEMORY_DEFAULT ((size_t)384 << 20)

struct agency_conf;
struct readlog;

/* Which header a trusted proxy writes the client's address in (http_config.proxy_header). Only
 * that one is read: a proxy passes the other on as the client sent it. */
enum http_proxy_header {
    HTTP_PROXY_X_FORWARDED_FOR, /* X-Forwarded-For, with X-Forwarded-Proto */
    HTTP_PROXY_FORWARDED        /* RFC 7239 Forwarded: for= and proto= */
};

/* Default max-age of Strict-Transport-Security on HTTPS answers: one year. */
#define HTTP_HSTS_MAX_AGE_DEFAULT 31536000

struct http_config {
    const char *db_path;          /* the database (a SQLite file or a postgresql:// URL),
                                   * already migrated */
    service_open_fn db_open;      /* how each thread opens db_path; NULL: a SQLite file */
    const char *listen;           /* "HOST:PORT" or "[V6]:PORT"; port 0 picks a free port */
    int threads;                  /* event loops, 1..64 */
    size_t max_body_bytes;        /* bodies larger are refused with 413; 0 means HTTP_BODY_MAX */
    int session_seconds;          /* login session lifetime; 0 means HTTP_SESSION_SECONDS_DEFAULT */
    size_t answer_cache_bytes;    /* budget of the shared answer cache (docs/server.md); 0: off */
    /* What the bodies being read may hold at once, all connections together; 0 means
     * HTTP_BODY_MEMORY_DEFAULT. It bounds the open connections (server.c, conn_limit): a new
     * connection past the bound is answered 503 and closed. */
    size_t body_memory_bytes;
    const struct hc_catalog *cat; /* borrowed; must outlive http_serve */
    /* The public portal (issue 4, docs/public.md). */
    int public_rate;           /* requests a second per client address; 0: no limit */
    int public_burst;          /* requests at once per client address; 0: 6 x public_rate */
    unsigned dob_searches_per_name; /* searches with a date of birth a last name a day, from
                                     * all clients (dob_budget.h); 0: none */
    int public_max_age;        /* Cache-Control max-age of public answers, seconds */
    const char *snapshot_dir;  /* directory of the daily snapshots; NULL: none are served */
    int webhook_allow_private; /* subscriptions may name loopback and private webhook hosts */
    int email_off;             /* no mail relay and no outbox: email subscriptions are refused */
    int sms_off;               /* no SMS gateway: SMS subscriptions are refused */
    const char *sms_inbound_secret; /* what the SMS gateway's callbacks must carry (copied);
                                     * NULL: the inbound route refuses every call */
    /* The agency's settings the service layer applies (agency_conf.h); borrowed, must outlive
     * http_serve. NULL: the built-in defaults. */
    const struct agency_conf *agency;
    /* HTTPS (docs/operations.md, "TLS and proxies"): when tls_listen is not NULL, a second
     * socket there speaks only TLS with the certificate chain tls_cert and the private key
     * tls_key (PEM files, read again on SIGHUP). NULL: no TLS. */
    const char *tls_listen;       /* "HOST:PORT" as listen */
    const char *tls_cert;
    const char *tls_key;
    int hsts_max_age;             /* Strict-Transport-Security max-age on HTTPS answers; 0: none */
    /* The proxies whose client-address header is believed (http_trusted_proxies_check's
     * syntax; NULL or "": none), and which header that is. */
    const char *trusted_proxies;
    enum http_proxy_header proxy_header;
    /* 1: HTTP/2 offered, over TLS by ALPN ("h2" before "http/1.1") and in cleartext (h2c:
     * Upgrade and the prior-knowledge preface), with the body limits of HTTP/1.1 as far as
     * h2o 2.2.5 allows (docs/operations.md, "HTTP/2"); 0: HTTP/1.1 only. */
    int http2;
    /* The read-access log's writer (readlog.h), borrowed, outliving http_serve; NULL: staff
     * reads are not logged. */
    struct readlog *readlog;
    /* Called once the socket is bound, before serving, with the numeric host and actual port.
     * May be NULL. on_listen_tls: the same for the TLS socket, called first. */
    void (*on_listen)(const char *host, int port, void *arg);
    void (*on_listen_tls)(const char *host, int port, void *arg);
    void *arg;
};

/* Serve until SIGINT or SIGTERM. Returns 0 after a clean stop, or a negative HC_E* code with
 * the reason in d when the address, the trusted proxies or the certificate and key are bad
 * (HC_EINVAL), the socket cannot be bound or the database opened (HC_EIO). Installs handlers
 * for SIGINT and SIGTERM (stop) and SIGHUP (read the certificate and key again: new connections
 * get them, open ones keep theirs; files that do not load are logged and the old ones kept),
 * and ignores SIGPIPE. */
int http_serve(const struct http_config *cfg, struct hc_diag *d);

/* Split "HOST:PORT" / "[V6]:PORT" into host (NUL-terminated, brackets removed) and port.
 * Returns 0 or HC_EINVAL. */
int http_parse_listen(const char *s, char *host, size_t host_len, int *port);

/* Check a list of trusted proxies: addresses and networks (CIDR), IPv4 or IPv6, separated by
 * commas or spaces, at most 64: "127.0.0.1, ::1, 10.0.0.0/8, fd00::/8". Returns 0, or
 * HC_EINVAL with d->msg naming the entry at fault. */
int http_trusted_proxies_check(const char *list, struct hc_diag *d);

/* The routing table (src/http/api.c), for `holdcheck routes` and the OpenAPI test: the number
 * of routes, and route i's method, path pattern and allowed roles (enum auth_role bits).
 * http_route_get returns 0, or HC_ENOENT when i is out of range. */
size_t http_route_count(void);
int http_route_get(size_t i, const char **method, const char **pattern, int *roles);
/* What route i takes as a request body: "json" (a JSON object sent as application/json),
 * "empty" (nothing: a body is refused with 400) or "none" (a body is ignored, e.g. the form
 * of a one-click unsubscribe). NULL when i is out of range. */
const char *http_route_body(size_t i);

#endif

/* SPDX-License-Identifier: MIT
 * server.c: h2o setup, the listening sockets (plain HTTP, and HTTPS when configured), one event
 * loop per thread, a clean stop on SIGINT/SIGTERM and the certificate read again on SIGHUP.
 * Each loop wakes at least every STOP_POLL_MS to notice the flags, so a signal needs no
 * cross-thread wakeup machinery. Routing lives in router.c. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "agency_conf.h"
#include "client.h"
#include "http_int.h"
#include "log.h"
#include "netio.h"
#include "offload.h"
#include "public.h"
#include "tls.h"

#define STOP_POLL_MS 200
#define DRAIN_MS 2000 /* how long a stopping loop lets responses in progress finish */
#define MAX_THREADS 64

/* Set by the signal handler, read by every loop: a lock-free atomic, which a signal handler
 * may store to and other threads may read without a data race (volatile sig_atomic_t is only
 * for the one thread the signal interrupts). */
static atomic_int stop_requested;
static atomic_int reload_requested; /* SIGHUP: read the certificate and key again */

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_requested = 1;
    else
        stop_requested = 1;
}

/* On a loop, between events: the reload SIGHUP asked for, by whichever loop sees it first. */
static void reload_if_asked(struct http_worker *w)
{
    if (!atomic_exchange(&reload_requested, 0))
        return;
    if (w->tls != NULL)
        http__tls_reload(w->tls);
    else
        hc_log(HC_LOG_INFO, "SIGHUP: nothing to reload (no tls_cert)");
}

struct http_worker *http__worker(h2o_req_t *req)
{
    return H2O_STRUCT_FROM_MEMBER(struct http_worker, ctx, req->conn->ctx);
}

int http_parse_listen(const char *s, char *host, size_t host_len, int *port)
{
    return netio_split_hostport(s, host, host_len, 0, port) == 0 ? HC_OK : HC_EINVAL;
}

/* Bind and listen on host:port; returns the fd and the bound numeric host and port. */
static int open_listener(const char *host, int port, char *bound, size_t bound_len, int *bound_port,
                         struct hc_diag *d)
{
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char portstr[8], serv[8];
    int fd = -1, one = 1, rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%d", port);
    rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        hc_diag_set(d, "listen", "cannot resolve host: ", gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0 ||
        fcntl(fd, F_SETFL, O_NONBLOCK) != 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
        getnameinfo((struct sockaddr *)&ss, sl, bound, (socklen_t)bound_len, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        hc_diag_set(d, "listen", "cannot listen: ", strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    } else {
        *bound_port = (int)strtol(serv, NULL, 10); /* getnameinfo wrote digits */
    }
    freeaddrinfo(res);
    return fd;
}

/* h2o answers a body over its limit itself (413) on the fallback path, and its errordoc filter
 * then keeps only the content type of the problem+json api.c renders for it. This filter runs
 * after that and gives an answer without our headers the ones every answer carries. */
static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    struct http_worker *w = http__worker(req);
    (void)self;
    if (h2o_find_header_by_str(&req->res.headers, H2O_STRLIT("x-content-type-options"), -1) == -1)
        http__add_security_headers(req);
    /* Strict-Transport-Security on every answer the client gets over TLS, and on no other:
     * RFC 6797 7.2, "An HSTS Host MUST NOT include the STS header field in HTTP responses
     * conveyed over non-secure transport" (and 8.1: a browser ignores it there). */
    if (w->hsts_max_age > 0 &&
        h2o_find_header(&req->res.headers, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, -1) == -1) {
        struct http_client cl;
        http__client(req, &cl);
        if (cl.tls) {
            char v[32];
            snprintf(v, sizeof v, "max-age=%d", w->hsts_max_age);
            http__add_header(req, H2O_TOKEN_STRICT_TRANSPORT_SECURITY,
                             h2o_strdup(&req->pool, v, SIZE_MAX).base);
        }
    }
    h2o_setup_next_ostream(req, slot);
}

/* The cap on memory held by request bodies (http_config.body_memory_bytes), kept as a number
 * of open connections shared by every loop.
 *
 * h2o 2.2.5 reads a request's whole body into its connection's input buffer before it calls
 * any handler (req->entity), and offers no way to see that happen: no streaming of request
 * bodies (proceed_req and write_req came in 2.3), no allocator hook on h2o_buffer_t, and the
 * HTTP/1 connection that owns the socket is private to lib/http1.c. What it does bound is one
 * connection: HTTP/1.1 reads one request at a time, the head is at most H2O_MAX_REQLEN, the
 * body at most max_request_entity_size (413 past it), and the input buffer at most doubles
 * what it holds. So the memory of bodies in flight is at most the open connections times that,
 * and the one thing the server can decide before h2o holds anything is whether to take
 * another connection: it counts them (the socket's on_close, which h2o calls when it disposes
 * of it, gives each one back), at least one. An HTTP/2 connection (http2 = yes, see
 * http_serve) may hold up to 100 streams' bodies, which this count does not see. */
struct http_conn_budget {
    atomic_size_t open;
    size_t max;
};

static size_t conn_limit(size_t body_memory, size_t max_body)
{
    size_t n = body_memory / (2 * (max_body + H2O_MAX_REQLEN + 4096));
    return n > 0 ? n : 1;
}

static void on_conn_closed(void *data)
{
    struct http_conn_budget *b = data;
    atomic_fetch_sub_explicit(&b->open, 1, memory_order_relaxed);
}

static void on_refusal_sent(h2o_socket_t *sock, const char *err)
{
    (void)err;
    h2o_socket_close(sock);
}

/* Answer a connection the body budget has no room for, before h2o reads anything from it.
 * Constant bytes, so no thread writes them (the length is checked at compile time). */
#define REFUSAL_BODY                                                                           \
    "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"              \
    "\"detail\":\"too many connections at once; try again shortly\"}"
_Static_assert(sizeof REFUSAL_BODY - 1 == 124, "Content-Length below is the body's length");
static const char refusal[] = "HTTP/1.1 503 Service Unavailable\r\n"
                              "Content-Type: application/problem+json\r\n"
                              "X-Content-Type-Options: nosniff\r\n"
                              "Retry-After: 1\r\n"
                              "Connection: close\r\n"
                              "Content-Length: 124\r\n\r\n" REFUSAL_BODY;

static void refuse_conn(h2o_socket_t *sock)
{
    h2o_iovec_t buf = h2o_iovec_init(refusal, sizeof refusal - 1);
    h2o_socket_write(sock, &buf, 1, on_refusal_sent);
}

/* A connection from listener that the body budget has room for, or NULL (after answering a
 * plain one 503, and closing a TLS one: it expects a handshake, not an answer). */
static h2o_socket_t *accept_within_budget(struct http_worker *w, h2o_socket_t *listener, int tls)
{
    h2o_socket_t *sock;
    /* Every loop polls the same socket; the losers of a race get NULL (EAGAIN). */
    if ((sock = h2o_evloop_socket_accept(listener)) == NULL)
        return NULL;
    if (atomic_fetch_add_explicit(&w->conns->open, 1, memory_order_relaxed) >= w->conns->max) {
        atomic_fetch_sub_explicit(&w->conns->open, 1, memory_order_relaxed);
        if (tls)
            h2o_socket_close(sock);
        else
            refuse_conn(sock);
        return NULL;
    }
    return sock;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct http_worker *w = listener->data;
    h2o_socket_t *sock;
    if (err != NULL || (sock = accept_within_budget(w, listener, 0)) == NULL)
        return;
    sock->on_close.cb = on_conn_closed;
    sock->on_close.data = w->conns;
    h2o_accept(&w->accept_ctx, sock);
}

/* What a TLS connection gives back when it closes: its place in the budget and its reference
 * to the certificate it began with (tls.h). h2o 2.2.5 keeps only a bare pointer to the context
 * until the client's first bytes arrive, so the connection must hold the reference itself. */
struct tls_conn {
    struct http_conn_budget *conns;
    SSL_CTX *ssl_ctx;
};

static void on_tls_conn_closed(void *data)
{
    struct tls_conn *tc = data;
    on_conn_closed(tc->conns);
    SSL_CTX_free(tc->ssl_ctx);
    free(tc);
}

static void on_accept_tls(h2o_socket_t *listener, const char *err)
{
    struct http_worker *w = listener->data;
    struct tls_conn *tc;
    h2o_socket_t *sock;
    if (err != NULL || (sock = accept_within_budget(w, listener, 1)) == NULL)
        return;
    if ((tc = malloc(sizeof *tc)) == NULL) {
        on_conn_closed(w->conns);
        h2o_socket_close(sock);
        return;
    }
    tc->conns = w->conns;
    tc->ssl_ctx = http__tls_take(w->tls);
    sock->on_close.cb = on_tls_conn_closed;
    sock->on_close.data = tc;
    /* h2o_accept starts the handshake with the context now in the accept context. */
    w->tls_accept_ctx.ssl_ctx = tc->ssl_ctx;
    h2o_accept(&w->tls_accept_ctx, sock);
    w->tls_accept_ctx.ssl_ctx = NULL;
}

/* Stop taking connections on w's loop. */
static void close_listeners(struct http_worker *w)
{
    if (w->listener != NULL) {
        h2o_socket_read_stop(w->listener);
        h2o_socket_close(w->listener);
        w->listener = NULL;
    }
    if (w->tls_listener != NULL) {
        h2o_socket_read_stop(w->tls_listener);
        h2o_socket_close(w->tls_listener);
        w->tls_listener = NULL;
    }
}

/* Close every connection of w's loop before its context is disposed (h2o asserts that no
 * connection is left). No new connections are taken; h2o's shutdown flag makes a connection
 * close once its response is sent instead of keeping alive; connections idle between requests
 * are closed at once by running their request timeouts as if they had expired. Responses still
 * being written get DRAIN_MS. Returns the number of connections left open. */
static size_t worker_drain(struct http_worker *w)
{
    h2o_loop_t *loop = w->ctx.loop;
    uint64_t until = h2o_now(loop) + DRAIN_MS;
    size_t left = 0;
    h2o_linklist_t *l;

    close_listeners(w);
    /* What h2o_context_request_shutdown does for HTTP/1, without the HTTP/2 GOAWAY timer it
     * also arms (which would itself keep the context from being disposed). */
    w->ctx.shutdown_requested = 1;
    for (;;) {
        /* TLS handshakes not finished are closed as if they had timed out. */
        h2o_timeout_run(loop, &w->ctx.handshake_timeout, UINT64_MAX);
        h2o_timeout_run(loop, &w->ctx.http1.req_timeout, UINT64_MAX);
        h2o_evloop_run(loop, 10);
        if (h2o_linklist_is_empty(&w->ctx.http1._conns) || h2o_now(loop) >= until)
            break;
    }
    for (l = w->ctx.http1._conns.next; l != &w->ctx.http1._conns; l = l->next)
        left++;
    return left;
}

/* A count from environment variable name: its value when it is a whole number in 0..max,
 * else def (an unreadable value is logged). These size the pool of offload.h: for tests,
 * benchmarks and the operator who needs to, not in the configuration file. */
static int env_count(const char *name, int def, int max)
{
    const char *v = getenv(name);
    char *end;
    long n;
    if (v == NULL || v[0] == '\0')
        return def;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < 0 || n > max) {
        hc_log(HC_LOG_WARN, "%s=%s is not a whole number in 0..%d; using %d", name, v, max,
               def);
        return def;
    }
    return (int)n;
}

/* Make w's h2o context, loop and listening socket, on the thread that will run the loop: h2o
 * 2.2.5 binds a socket's buffers to the recycling lists of the thread that creates it
 * (thread-local, unlocked), and the context's message queue is a socket, which the pool's
 * answers make the loop read; made on another thread, two threads would share one list. */
static void worker_loop_init(struct http_worker *w)
{
    h2o_context_init(&w->ctx, h2o_evloop_create(), w->conf);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = w->conf->hosts;
    w->listener = h2o_evloop_socket_create(w->ctx.loop, w->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listen_fd = -1; /* the socket's now */
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);
    if (w->tls_listen_fd >= 0) {
        w->tls_accept_ctx.ctx = &w->ctx;
        w->tls_accept_ctx.hosts = w->conf->hosts;
        w->tls_listener = h2o_evloop_socket_create(w->ctx.loop, w->tls_listen_fd,
                                                   H2O_SOCKET_FLAG_DONT_READ);
        w->tls_listen_fd = -1;
        w->tls_listener->data = w;
        h2o_socket_read_start(w->tls_listener, on_accept_tls);
    }
    http_offload_attach(w->offload, w);
}

static void *worker_run(void *arg)
{
    struct http_worker *w = arg;
    if (w->ctx.loop == NULL)
        worker_loop_init(w);
    while (!stop_requested) {
        h2o_evloop_run(w->ctx.loop, STOP_POLL_MS);
        reload_if_asked(w);
    }
    w->open_at_stop = worker_drain(w);
    /* A job still out holds its connection open, so the drain counted it. */
    if (http_offload_detach(w) > 0 && w->open_at_stop == 0)
        w->open_at_stop = 1;
    return NULL;
}

/* What every worker shares: the listening sockets, counters, caches and the TLS settings. */
struct shared {
    int fd, tls_fd;                     /* the plain and the HTTPS socket (-1: none) */
    int secure_cookie;                  /* the plain socket is off loopback */
    struct http_metrics *metrics;
    struct http_cache *cache;
    struct http_throttle *throttle;
    struct http_dob_budget *dob_budget;
    struct http_conn_budget *conns;
    struct http_tls *tls;               /* NULL without TLS */
    const struct http_proxies *proxies;
};

/* Set up worker w but its loop (worker_loop_init, on its own thread); the listening sockets are
 * dup'd here. */
static int worker_init(struct http_worker *w, h2o_globalconf_t *conf, const struct http_config *cfg,
                       const struct shared *sh, struct hc_diag *d)
{
    int rc;
    w->listen_fd = -1;
    w->tls_listen_fd = -1;
    w->conf = conf;
    w->metrics = sh->metrics;
    w->conns = sh->conns;
    w->cache = sh->cache;
    w->throttle = sh->throttle;
    w->dob_budget = sh->dob_budget;
    w->secure_cookie = sh->secure_cookie;
    w->tls = sh->tls;
    w->proxies = sh->proxies;
    w->hsts_max_age = cfg->hsts_max_age;
    w->max_body_bytes = cfg->max_body_bytes ? cfg->max_body_bytes : HTTP_BODY_MAX;
    w->session_seconds = cfg->session_seconds ? cfg->session_seconds : HTTP_SESSION_SECONDS_DEFAULT;
    rc = service_open(cfg->db_open, cfg->db_path, 0, &w->st, d);
    if (rc != HC_OK)
        return rc;
    w->cat = cfg->cat;
    w->agency = agency_conf_or_default(cfg->agency);
    w->readlog = cfg->readlog;
    w->arena_mem = malloc(HTTP_ARENA_SIZE);
    if (w->arena_mem == NULL)
        return HC_ENOMEM;
    hc_arena_init(&w->arena, w->arena_mem, HTTP_ARENA_SIZE);
    if ((w->listen_fd = dup(sh->fd)) < 0 ||
        (sh->tls_fd >= 0 && (w->tls_listen_fd = dup(sh->tls_fd)) < 0)) {
        hc_diag_set(d, "listen", "dup: ", strerror(errno));
        return HC_EIO;
    }
    return HC_OK;
}

static void worker_dispose(struct http_worker *w)
{
    if (w->listen_fd >= 0)
        close(w->listen_fd); /* its loop never started */
    if (w->tls_listen_fd >= 0)
        close(w->tls_listen_fd);
    if (w->ctx.loop != NULL)
        http_offload_detach(w);
    close_listeners(w);
    if (w->ctx.loop != NULL && w->open_at_stop > 0) {
        /* h2o would abort disposing a context with open connections; the process is ending,
         * so leave it to the kernel to close them. */
        hc_log(HC_LOG_WARN, "%zu connection(s) still sending at stop, closed unfinished",
               w->open_at_stop);
    } else if (w->ctx.loop != NULL) {
        h2o_loop_t *loop = w->ctx.loop;
        /* Let the close above and any finished connections run their callbacks. */
        h2o_evloop_run(loop, 0);
        /* NEEDSWORK: h2o 2.2.5's h2o_context_dispose closes but never frees the context's
         * message queue (88 bytes per thread at exit; LeakSanitizer reports it). Its
         * h2o_multithread_destroy_queue crashes after dispose, so the leak stays. */
        h2o_context_dispose(&w->ctx);
        h2o_evloop_destroy(loop);
    }
    service_close(w->st);
    free(w->arena_mem);
}

/* Bind the HTTPS socket and load its certificate into sh->tls_fd and sh->tls, when cfg asks for
 * TLS; its numeric host and port into bound and *bound_port. Returns 0 or the error, with d. */
static int tls_start(const struct http_config *cfg, struct shared *sh, char *bound,
                     size_t bound_len, int *bound_port, struct hc_diag *d)
{
    char host[256];
    int port, rc;
    if (cfg->tls_listen == NULL)
        return HC_OK;
    if (http_parse_listen(cfg->tls_listen, host, sizeof host, &port) != HC_OK)
        return hc_diag_set(d, "tls_listen", "expected HOST:PORT, e.g. 0.0.0.0:8443", NULL);
    if (cfg->tls_cert == NULL || cfg->tls_key == NULL)
        return hc_diag_set(d, "tls_listen", "needs tls_cert and tls_key", NULL);
    if ((rc = http__tls_new(cfg->tls_cert, cfg->tls_key, cfg->http2, &sh->tls, d)) != HC_OK)
        return rc;
    if ((sh->tls_fd = open_listener(host, port, bound, bound_len, bound_port, d)) < 0) {
        if (d != NULL) /* open_listener names the plain socket's key */
            snprintf(d->field, sizeof d->field, "tls_listen");
        return HC_EIO;
    }
    return HC_OK;
}

int http_serve(const struct http_config *cfg, struct hc_diag *d)
{
    h2o_globalconf_t conf;
    h2o_hostconf_t *hostconf;
    h2o_pathconf_t *pathconf;
    h2o_handler_t *handler;
    struct http_worker *workers = NULL;
    struct http_conn_budget conns;
    struct http_offload *pool = NULL;
    struct http_proxies proxies;
    struct shared sh;
    struct sigaction sa;
    char host[256], bound[256], tls_bound[256];
    int port, bound_port = 0, tls_bound_port = 0, n = cfg->threads, i, rc = HC_EIO;

    if (http_parse_listen(cfg->listen, host, sizeof host, &port) != HC_OK)
        return hc_diag_set(d, "listen", "expected HOST:PORT, e.g. 127.0.0.1:8080", NULL);
    if (n < 1 || n > MAX_THREADS)
        return hc_diag_set(d, "threads", "must be 1..64", NULL);
    if (http__proxies_parse(cfg->trusted_proxies, cfg->proxy_header, &proxies, d) != HC_OK)
        return HC_EINVAL;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    stop_requested = 0;
    reload_requested = 0;

    memset(&sh, 0, sizeof sh);
    sh.fd = sh.tls_fd = -1;
    sh.conns = &conns;
    sh.proxies = &proxies;
    h2o_config_init(&conf);
    conf.max_request_entity_size = cfg->max_body_bytes ? cfg->max_body_bytes : HTTP_BODY_MAX;
    /* HTTP/2 only when asked for (http_config.http2), both cleartext (the Upgrade: h2c and the
     * prior-knowledge preface: h2o 2.2.5 gates both on this flag) and over TLS (ALPN, tls.c).
     * Over HTTP/2 h2o 2.2.5 checks no Content-Length against the limit: it reads DATA frames
     * into the stream's buffer and resets the stream (REFUSED_STREAM) once they pass
     * max_request_entity_size. So with HTTP/2 on, h2o's limit is twice ours and the router
     * answers 413 to a body over ours (router.c, routes_feed.c), on either protocol; only an
     * HTTP/2 body over twice the limit is reset instead. conn_limit counts the larger limit.
     * Still uncounted: an HTTP/2 connection may hold up to 100 streams' bodies at once. */
    conf.http1.upgrade_to_http2 = cfg->http2 != 0;
    if (cfg->http2)
        conf.max_request_entity_size *= 2;
    atomic_init(&conns.open, 0);
    conns.max = conn_limit(cfg->body_memory_bytes ? cfg->body_memory_bytes
                                                  : HTTP_BODY_MEMORY_DEFAULT,
                           conf.max_request_entity_size);
    hostconf = h2o_config_register_host(&conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    pathconf = h2o_config_register_path(hostconf, "/", 0);
    handler = h2o_create_handler(pathconf, sizeof *handler);
    handler->on_req = http__on_req;
    h2o_create_filter(pathconf, sizeof(h2o_filter_t))->on_setup_ostream = on_setup_ostream;
    /* h2o itself answers a body over the limit (413) before any handler runs, in text/plain, on
     * the host's fallback path. Its errordoc filter turns that into an internal GET of
     * HTTP_ERRDOC_413, which api.c answers with problem+json; h2o keeps the 413 status. */
    {
        h2o_errordoc_t doc = {413, h2o_iovec_init(H2O_STRLIT(HTTP_ERRDOC_413))};
        h2o_errordoc_register(&hostconf->fallback_path, &doc, 1);
    }

    if ((rc = tls_start(cfg, &sh, tls_bound, sizeof tls_bound, &tls_bound_port, d)) != HC_OK)
        goto out;
    rc = HC_EIO;
    sh.fd = open_listener(host, port, bound, sizeof bound, &bound_port, d);
    if (sh.fd < 0)
        goto out;
    sh.secure_cookie = !(strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
                         strcmp(host, "localhost") == 0);
    if ((rc = http_public_start(cfg, d)) != HC_OK) /* shared by the public routes */
        goto out;
    workers = calloc((size_t)n, sizeof *workers);
    sh.metrics = calloc(1, sizeof *sh.metrics); /* all-zero bytes are zero atomics on our targets */
    sh.throttle = http_throttle_new();
    sh.dob_budget = http_dob_budget_new(cfg->dob_searches_per_name);
    if (workers == NULL || sh.metrics == NULL || sh.throttle == NULL || sh.dob_budget == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++)
        workers[i].listen_fd = workers[i].tls_listen_fd = -1;
    if (cfg->answer_cache_bytes > 0 &&
        (sh.cache = http_cache_new(cfg->answer_cache_bytes)) == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++)
        if ((rc = worker_init(&workers[i], &conf, cfg, &sh, d)) != HC_OK)
            goto out;
    if ((pool = http_offload_new(cfg->db_open, cfg->db_path, env_count("HC_OFFLOAD_THREADS",
                                                         HTTP_OFFLOAD_THREADS_DEFAULT, 16),
                                 (size_t)env_count("HC_OFFLOAD_QUEUE", HTTP_OFFLOAD_QUEUE_DEFAULT,
                                                   4096),
                                 &workers[0], d)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    for (i = 0; i < n; i++)
        workers[i].offload = pool;
    worker_loop_init(&workers[0]); /* this thread runs it */
    if (sh.tls != NULL && cfg->on_listen_tls != NULL)
        cfg->on_listen_tls(tls_bound, tls_bound_port, cfg->arg);
    if (cfg->on_listen != NULL)
        cfg->on_listen(bound, bound_port, cfg->arg);
    for (i = 1; i < n; i++) {
        if (pthread_create(&workers[i].thread, NULL, worker_run, &workers[i]) != 0) {
            stop_requested = 1;
            hc_diag_set(d, "threads", "cannot start a thread", NULL);
            rc = HC_EIO;
            goto out;
        }
        workers[i].started = 1;
    }
    worker_run(&workers[0]);
    rc = HC_OK;
out:
    if (workers != NULL) {
        stop_requested = 1;
        for (i = 0; i < n; i++)
            if (workers[i].started)
                pthread_join(workers[i].thread, NULL);
        /* Every loop has stopped: the pool's last answers (if any) would find no one. */
        http_offload_free(pool);
        for (i = 0; i < n; i++)
            worker_dispose(&workers[i]);
        free(workers);
    }
    free(sh.metrics);
    http_cache_free(sh.cache);
    http_throttle_free(sh.throttle);
    http_dob_budget_free(sh.dob_budget);
    http_public_stop();
    if (sh.fd >= 0)
        close(sh.fd);
    if (sh.tls_fd >= 0)
        close(sh.tls_fd);
    http__tls_free(sh.tls);
    /* NEEDSWORK: h2o 2.2.5 never frees the errordoc filter of the fallback path (118 bytes at
     * exit); disposing that pathconf ourselves crashes inside h2o. */
    h2o_config_dispose(&conf);
    return rc;
}

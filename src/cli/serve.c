/* SPDX-License-Identifier: MIT
 * serve.c: `holdcheck serve [OPTIONS]`: gather the configuration (file, then environment, then
 * flags: config.h), refuse unsafe or unsupported settings, load the catalog once, then serve the
 * HTTP API (src/http) until SIGINT or SIGTERM. Plain HTTP off loopback needs an explicit
 * allow_remote (docs/configuration.md explains the choice); HTTPS (tls_listen, tls_cert,
 * tls_key) may listen anywhere. */
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "catalog_builtin.h"
#include "agency_conf.h"
#include "cli.h"
#include "config.h"
#include "deliver.h"
#include "http.h"
#include "readlog.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck serve [--config PATH] [--db PATH] [--listen HOST:PORT] [--threads N]\n"
          "                       [--max-body-bytes N] [--session-hours N] [--log-level LEVEL]\n"
          "                       [--catalog DIR] [--allow-remote] [--tls-listen HOST:PORT]\n"
          "                       [--tls-cert PEM] [--tls-key PEM] [--trusted-proxies LIST]\n"
          "                       [--print-config]\n"
          "  Try 'holdcheck serve --help' for the details.\n", f);
}

/* 1 when host resolves (as http_serve would resolve it: the first address getaddrinfo gives)
 * to a loopback address; 0 when it resolves to another; -1 when it does not resolve, which
 * http_serve reports itself. */
static int listen_is_loopback(const char *host)
{
    struct addrinfo hints, *res = NULL;
    int r = 0;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(host, "0", &hints, &res) != 0 || res == NULL)
        return -1;
    if (res->ai_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)res->ai_addr;
        r = ((const unsigned char *)&sin->sin_addr)[0] == 127;
    } else if (res->ai_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)res->ai_addr;
        const unsigned char *a = s6->sin6_addr.s6_addr;
        static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        r = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ||
            (memcmp(a, v4mapped, sizeof v4mapped) == 0 && a[12] == 127);
    }
    freeaddrinfo(res);
    return r;
}

struct announce_arg {
    const char *db;
    int log_level; /* enum cli_log_level */
    /* Issue 4: the delivery thread starts once the port is known (links in messages name it). */
    struct deliver_config dcfg;
    struct deliver *dl; /* started, or NULL */
    char https_base[300];  /* https://HOST:PORT of the HTTPS socket; "" without TLS */
    int sms_no_optout;     /* an SMS gateway but no inbound secret: STOP cannot reach serve */
    int failed;         /* it could not start: serve stops and exits 3 */
};

/* Start the public portal's delivery thread (src/app/deliver.c); on failure stop serving. */
static void start_delivery(struct announce_arg *a, const char *base)
{
    struct hc_diag d;
    hc_diag_clear(&d);
    if (a->dcfg.base_url == NULL)
        a->dcfg.base_url = base;
    a->dcfg.quiet = a->log_level < CLI_LOG_INFO;
    a->dcfg.silent = a->log_level < CLI_LOG_WARN;
    if (deliver_start(&a->dcfg, &a->dl, &d) != HC_OK) {
        fprintf(stderr, "holdcheck serve: delivery thread: %s%s%s\n", d.field,
                d.field[0] ? ": " : "", d.msg);
        a->failed = 1;
        raise(SIGTERM);
    }
}

/* The base URL of host and port under scheme into out. */
static void base_url(char *out, size_t n, const char *scheme, const char *host, int port)
{
    snprintf(out, n, strchr(host, ':') ? "%s://[%s]:%d" : "%s://%s:%d", scheme, host, port);
}

/* The HTTPS socket is bound (http_serve calls this before announce). */
static void announce_tls(const char *host, int port, void *arg)
{
    struct announce_arg *a = arg;
    base_url(a->https_base, sizeof a->https_base, "https", host, port);
}

static void announce(const char *host, int port, void *arg)
{
    struct announce_arg *a = arg;
    const char *db = a->db;
    char base[300];
    int loopback = strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
                   strncmp(host, "::ffff:127.", 11) == 0;
    base_url(base, sizeof base, "http", host, port);
    /* Links in messages go to the HTTPS socket when there is one. */
    start_delivery(a, a->https_base[0] != '\0' ? a->https_base : base);
    if (a->log_level >= CLI_LOG_INFO)
        printf("holdcheck: serving %s\n"
               "holdcheck: listening on %s\n", db, base);
    if (a->log_level >= CLI_LOG_INFO && a->https_base[0] != '\0')
        printf("holdcheck: listening on %s\n", a->https_base);
    if (a->log_level >= CLI_LOG_INFO && a->dcfg.mail_outbox != NULL)
        printf("holdcheck: mail is not sent: each one is written to %s/ as an .eml file\n",
               a->dcfg.mail_outbox);
    if (a->sms_no_optout && a->log_level >= CLI_LOG_WARN)
        fprintf(stderr, "holdcheck: WARNING: sms_gateway_url is set but sms_inbound_secret is not: "
                "the gateway's callbacks are refused, so a STOP reply cannot end a subscription "
                "here (docs/public.md, \"SMS\")\n");
    /* Only an explicit allow_remote gets here off loopback; it is still worth saying. */
    if (!loopback && a->log_level >= CLI_LOG_WARN)
        fprintf(stderr,
                "holdcheck: WARNING: %s is not a loopback address and this socket speaks plain\n"
                "           HTTP: bearer tokens and session cookies cross the network in clear.\n"
                "           Serve HTTPS (tls_listen) or put a TLS proxy in front of it.\n", host);
    if (a->log_level < CLI_LOG_INFO) {
        fflush(stdout);
        return;
    }
    printf("\nIn a browser: the public release information at %s/ and the staff console at\n"
           "%s/console/ (sign in with a user of `holdcheck user add --db %s NAME --role clerk`,\n"
           "which prints its password).\n", base, base, db);
    printf("\nTry (booking numbers of the demo database are DEMO-000001 ... ; create a user and\n"
           "its token first: holdcheck user add --db %s NAME --role clerk):\n"
           "  curl -s %s/healthz\n"
           "  curl -s -H \"Authorization: Bearer $TOKEN\" %s/api/v1/bookings/DEMO-000001\n"
           "  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
           "       -d '{\"type\":\"notification\",\"form\":\"I-247A\"}' \\\n"
           "       %s/api/v1/bookings/DEMO-000001/requests\n"
           "  curl -s -H 'Content-Type: application/json' \\\n"
           "       -d '{\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"notification\"},"
           "\"person\":{\"convictions\":\n"
           "           [{\"citation\":\"PC 245(a)(1)\",\"level\":\"felony\",\"date\":\"2015-03-02\"}]}}' \\\n"
           "       %s/api/v1/decide\n"
           "  curl -s %s/api/v1/openapi.json\n"
           "Routes, roles and formats: docs/server.md. Stop with Ctrl-C.\n\n",
           db, base, base, base, base, base);
    fflush(stdout);
}

/* A flag given on the command line, applied after the file and the environment. */
struct flag_value {
    int key;
    const char *value;
};

/* Split argv into the flags' values (in order), --config and --print-config. Returns 0, or
 * CLI_EXIT_USAGE after saying why. */
static int parse_args(int argc, char **argv, struct flag_value *fv, int *nfv,
                      const char **config, int *print)
{
    int i;
    *nfv = 0;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq = strchr(arg, '='), *value = NULL;
        char name[64];
        int key;
        /* --name=value and --name value are the same. */
        size_t n = eq != NULL && strncmp(arg, "--", 2) == 0 ? (size_t)(eq - arg) : strlen(arg);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, arg, n);
        name[n] = '\0';
        if (eq != NULL && n == (size_t)(eq - arg))
            value = eq + 1;
        if (strcmp(name, "--print-config") == 0 && value == NULL) {
            *print = 1;
            continue;
        }
        key = strcmp(name, "--config") == 0 ? -2 : cli_config_flag_find(name);
        if (key == -1) {
            fprintf(stderr, "holdcheck serve: unknown option '%s'\n", arg);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        if (key >= 0 && !cli_config_flag_takes_value(key)) {
            if (value != NULL) {
                fprintf(stderr, "holdcheck serve: %s takes no value\n", name);
                return CLI_EXIT_USAGE;
            }
            value = "yes";
        } else if (value == NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "holdcheck serve: %s needs a value\n", name);
                usage(stderr);
                return CLI_EXIT_USAGE;
            }
            value = argv[++i];
        }
        if (key == -2) {
            *config = value;
        } else {
            fv[*nfv].key = key;
            fv[*nfv].value = value;
            (*nfv)++;
        }
    }
    return 0;
}

/* Load the configuration: the file (--config, else HOLDCHECK_CONFIG, else the default path if
 * it exists), then the environment, then the flags. Returns 0, or CLI_EXIT_USAGE after saying
 * what is wrong and where. */
static int load_config(struct cli_config *c, const char *config, const struct flag_value *fv,
                       int nfv)
{
    const char *env = getenv("HOLDCHECK_CONFIG"), *why = "--config";
    struct hc_diag d;
    int i, rc;

    hc_diag_clear(&d);
    if (config == NULL && env != NULL && env[0] != '\0') {
        config = env;
        why = "HOLDCHECK_CONFIG";
    }
    if (config == NULL && access(CLI_CONFIG_DEFAULT_PATH, F_OK) == 0) {
        config = CLI_CONFIG_DEFAULT_PATH;
        why = "default";
    }
    if (config != NULL && (rc = cli_config_read_file(c, config, why, &d)) != HC_OK) {
        if (rc == HC_EIO)
            fprintf(stderr, "holdcheck serve: %s: %s\n", config, d.msg);
        else
            fprintf(stderr, "holdcheck serve: %s:%d: %s%s%s\n", config, d.line, d.field,
                    d.field[0] ? ": " : "", d.msg);
        return CLI_EXIT_USAGE;
    }
    if (cli_config_read_env(c, &d) != HC_OK) {
        fprintf(stderr, "holdcheck serve: environment: %s: %s\n", d.field, d.msg);
        return CLI_EXIT_USAGE;
    }
    for (i = 0; i < nfv; i++) {
        hc_diag_clear(&d);
        if (cli_config_set(c, fv[i].key, fv[i].value, CLI_CFG_SRC_FLAG, 0, &d) != HC_OK) {
            fprintf(stderr, "holdcheck serve: %s: %s\n", cli_config_flag_name(fv[i].key), d.msg);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

/* Name where key's value came from, for error messages: "--threads", "HOLDCHECK_THREADS",
 * "FILE:LINE" or "the default". */
static const char *origin(const struct cli_config *c, int key, char *buf, size_t len)
{
    const struct cli_config_value *v = &c->v[key];
    switch (v->src) {
    case CLI_CFG_SRC_FILE:
        snprintf(buf, len, "%s:%d", c->file, v->line);
        return buf;
    case CLI_CFG_SRC_ENV:
        return cli_config_env_name(key);
    case CLI_CFG_SRC_FLAG:
        return cli_config_flag_name(key);
    case CLI_CFG_SRC_DEFAULT:
        break;
    }
    return "the default";
}

/* HTTPS takes tls_listen, tls_cert and tls_key together: refuse any one or two of them (a
 * certificate without an address would silently serve plain HTTP only). Returns 0, or
 * CLI_EXIT_USAGE after saying which are missing. */
static int check_tls(const struct cli_config *c)
{
    static const int keys[] = {CLI_CFG_TLS_LISTEN, CLI_CFG_TLS_CERT, CLI_CFG_TLS_KEY};
    char where[1100];
    int i, set = -1, n = 0;
    for (i = 0; i < 3; i++)
        if (c->v[keys[i]].str != NULL) {
            n++;
            set = keys[i];
        }
    if (n == 0 || n == 3)
        return 0;
    fprintf(stderr, "holdcheck serve: %s (from %s) needs", cli_config_key_name(set),
            origin(c, set, where, sizeof where));
    for (i = 0; i < 3; i++)
        if (c->v[keys[i]].str == NULL)
            fprintf(stderr, " %s", cli_config_key_name(keys[i]));
    fprintf(stderr, " too: HTTPS takes tls_listen, tls_cert and tls_key together\n");
    return CLI_EXIT_USAGE;
}

/* Refuse what serve cannot do safely or at all. Returns 0, or CLI_EXIT_USAGE after saying why. */
static int check_config(const struct cli_config *c)
{
    char host[256], where[1100], where2[1100];
    int port, rc;

    if (c->v[CLI_CFG_DB].str == NULL) {
        fprintf(stderr, "holdcheck serve: no database: give --db PATH, HOLDCHECK_DB or 'db ='\n"
                        "           in the configuration file\n");
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (c->v[CLI_CFG_SMTP_RELAY].str != NULL && c->v[CLI_CFG_MAIL_OUTBOX].str != NULL) {
        fprintf(stderr, "holdcheck serve: smtp_relay (from %s) and mail_outbox (from %s) are both "
                "set: emails go to one of them; unset one\n",
                origin(c, CLI_CFG_SMTP_RELAY, where, sizeof where),
                origin(c, CLI_CFG_MAIL_OUTBOX, where2, sizeof where2));
        return CLI_EXIT_USAGE;
    }
    if ((rc = check_tls(c)) != 0)
        return rc;
    if (http_parse_listen(c->v[CLI_CFG_LISTEN].str, host, sizeof host, &port) == HC_OK &&
        listen_is_loopback(host) == 0 && !c->v[CLI_CFG_ALLOW_REMOTE].num) {
        fprintf(stderr,
                "holdcheck serve: refusing to listen on %s (from %s): it is not a loopback\n"
                "           address and listen speaks plain HTTP, so bearer tokens and\n"
                "           session cookies would cross the network in clear. Serve HTTPS\n"
                "           with tls_listen, tls_cert and tls_key (listen then stays on\n"
                "           loopback), or put a TLS proxy in front of it and pass\n"
                "           --allow-remote (or allow_remote = yes, or HOLDCHECK_ALLOW_REMOTE=yes)\n"
                "           to serve plain HTTP off loopback anyway\n",
                c->v[CLI_CFG_LISTEN].str, origin(c, CLI_CFG_LISTEN, where, sizeof where));
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int cli_serve(int argc, char **argv)
{
    struct http_config hcfg;
    struct agency_conf agency;
    struct cli_config c;
    struct hc_catalog cat;
    struct hc_diag d;
    struct announce_arg aa;
    struct flag_value *fv = cli_xmalloc((size_t)argc * sizeof *fv);
    char *snapdir = NULL;
    const char *config = NULL;
    service_open_fn db_open = NULL; /* a SQLite file */
    int nfv = 0, print = 0, rc;

    cli_config_init(&c);
    hc_diag_clear(&d);
    if ((rc = parse_args(argc, argv, fv, &nfv, &config, &print)) != 0 ||
        (rc = load_config(&c, config, fv, nfv)) != 0)
        goto out;
    if (print) {
        cli_config_print(&c, stdout);
        rc = CLI_EXIT_OK;
        goto out;
    }
    if ((rc = check_config(&c)) != 0)
        goto out;
    if (!cli_db_exists("serve", c.v[CLI_CFG_DB].str) ||
        cli_store_opener("serve", c.v[CLI_CFG_DB].str, &db_open) != 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (c.v[CLI_CFG_LOG_LEVEL].num >= CLI_LOG_DEBUG)
        cli_config_print(&c, stderr);
    if (cli_catalog_load(&cat, c.v[CLI_CFG_CATALOG_DIR].str) != HC_OK) {
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    memset(&hcfg, 0, sizeof hcfg);
    hcfg.db_path = c.v[CLI_CFG_DB].str;
    hcfg.listen = c.v[CLI_CFG_LISTEN].str;
    hcfg.threads = (int)c.v[CLI_CFG_THREADS].num;
    hcfg.max_body_bytes = (size_t)c.v[CLI_CFG_MAX_BODY_BYTES].num;
    hcfg.session_seconds = (int)c.v[CLI_CFG_SESSION_HOURS].num * 3600;
    hcfg.answer_cache_bytes = (size_t)c.v[CLI_CFG_ANSWER_CACHE_BYTES].num;
    hcfg.body_memory_bytes = (size_t)c.v[CLI_CFG_BODY_MEMORY_BYTES].num;
    hcfg.cat = &cat;
    hcfg.on_listen = announce;
    hcfg.on_listen_tls = announce_tls;
    hcfg.tls_listen = c.v[CLI_CFG_TLS_LISTEN].str;
    hcfg.tls_cert = c.v[CLI_CFG_TLS_CERT].str;
    hcfg.tls_key = c.v[CLI_CFG_TLS_KEY].str;
    hcfg.hsts_max_age = (int)c.v[CLI_CFG_HSTS_MAX_AGE].num;
    hcfg.trusted_proxies = c.v[CLI_CFG_TRUSTED_PROXIES].str;
    hcfg.proxy_header = (enum http_proxy_header)c.v[CLI_CFG_PROXY_HEADER].num;
    hcfg.http2 = (int)c.v[CLI_CFG_HTTP2].num;
    memset(&aa, 0, sizeof aa);
    aa.db = c.v[CLI_CFG_DB].str;
    aa.log_level = (int)c.v[CLI_CFG_LOG_LEVEL].num;
    hcfg.arg = &aa;
    /* The public portal (issue 4): rate limits, caching, snapshots, deliveries. */
    hcfg.public_rate = (int)c.v[CLI_CFG_PUBLIC_RATE].num;
    hcfg.public_burst = (int)c.v[CLI_CFG_PUBLIC_BURST].num;
    hcfg.dob_searches_per_name = (unsigned)c.v[CLI_CFG_DOB_SEARCHES_PER_NAME].num;
    hcfg.public_max_age = (int)c.v[CLI_CFG_PUBLIC_MAX_AGE].num;
    hcfg.webhook_allow_private = (int)c.v[CLI_CFG_WEBHOOK_ALLOW_PRIVATE].num;
    /* Email subscriptions are refused when no mail can leave (docs/public.md, "Mail"). */
    hcfg.email_off = c.v[CLI_CFG_SMTP_RELAY].str == NULL && c.v[CLI_CFG_MAIL_OUTBOX].str == NULL;
    hcfg.sms_off = c.v[CLI_CFG_SMS_GATEWAY_URL].str == NULL;
    hcfg.sms_inbound_secret = c.v[CLI_CFG_SMS_INBOUND_SECRET].str;
    cli_config_agency(&c, &agency);
    hcfg.agency = &agency;
    if (c.v[CLI_CFG_SNAPSHOT_KEEP_DAYS].num > 0 && c.v[CLI_CFG_SNAPSHOT_DIR].str != NULL) {
        snapdir = cli_xstrdup(c.v[CLI_CFG_SNAPSHOT_DIR].str);
    } else if (c.v[CLI_CFG_SNAPSHOT_KEEP_DAYS].num > 0 && db_open == NULL) {
        /* beside a SQLite file; a PostgreSQL server's snapshots need snapshot_dir */
        size_t n = strlen(c.v[CLI_CFG_DB].str) + sizeof ".snapshots";
        snapdir = cli_xmalloc(n);
        snprintf(snapdir, n, "%s.snapshots", c.v[CLI_CFG_DB].str);
    }
    hcfg.snapshot_dir = snapdir;
    hcfg.db_open = db_open;
    aa.dcfg.db_path = c.v[CLI_CFG_DB].str;
    aa.dcfg.db_open = db_open;
    aa.dcfg.cat = &cat;
    aa.dcfg.base_url = c.v[CLI_CFG_PUBLIC_BASE_URL].str;
    aa.dcfg.smtp_relay = c.v[CLI_CFG_SMTP_RELAY].str;
    aa.dcfg.smtp_from = c.v[CLI_CFG_SMTP_FROM].str;
    aa.dcfg.smtp_tls = (enum netio_smtp_tls)c.v[CLI_CFG_SMTP_TLS].num;
    aa.dcfg.mail_outbox = c.v[CLI_CFG_MAIL_OUTBOX].str;
    aa.dcfg.ca_file = c.v[CLI_CFG_TLS_CA_FILE].str;
    aa.dcfg.sms.url = c.v[CLI_CFG_SMS_GATEWAY_URL].str;
    aa.dcfg.sms.auth_header = c.v[CLI_CFG_SMS_AUTH_HEADER].str;
    aa.dcfg.sms.body_template = c.v[CLI_CFG_SMS_BODY_TEMPLATE].str;
    aa.dcfg.sms.from = c.v[CLI_CFG_SMS_FROM].str;
    aa.dcfg.sms.ca_file = c.v[CLI_CFG_SMS_CA_FILE].str;
    aa.sms_no_optout = c.v[CLI_CFG_SMS_GATEWAY_URL].str != NULL &&
                       c.v[CLI_CFG_SMS_INBOUND_SECRET].str == NULL;
    aa.dcfg.retry_seconds = (int)c.v[CLI_CFG_DELIVERY_RETRY_SECONDS].num;
    aa.dcfg.webhook_allow_private = hcfg.webhook_allow_private;
    aa.dcfg.snapshot_dir = snapdir;
    aa.dcfg.snapshot_keep_days = (int)c.v[CLI_CFG_SNAPSHOT_KEEP_DAYS].num;
    aa.dcfg.refresh_seconds = (int)c.v[CLI_CFG_EXPORT_REFRESH_SECONDS].num;
    aa.dcfg.status_seconds = (int)c.v[CLI_CFG_PUBLIC_STATUS_SECONDS].num;
    /* The read-access log's writer (src/app/readlog.c): it prunes by read_log_days now. */
    if (readlog_start(db_open, hcfg.db_path, (int)c.v[CLI_CFG_READ_LOG_DAYS].num, &hcfg.readlog,
                      &d) != HC_OK) {
        fprintf(stderr, "holdcheck serve: read-access log: %s%s%s\n", d.field,
                d.field[0] ? ": " : "", d.msg);
        free(snapdir);
        cli_catalog_free();
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    rc = http_serve(&hcfg, &d);
    /* After the loops stopped: every read they answered is queued, and committed here. */
    readlog_stop(hcfg.readlog);
    deliver_stop(aa.dl);
    free(snapdir);
    snapdir = NULL;
    cli_catalog_free();
    if (rc == HC_OK && aa.failed) {
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck serve: %s%s%s\n", d.field, d.field[0] ? ": " : "", d.msg);
        rc = rc == HC_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SOFTWARE;
        goto out;
    }
    if (aa.log_level >= CLI_LOG_INFO)
        printf("holdcheck: stopped\n");
    rc = CLI_EXIT_OK;
out:
    cli_config_release(&c);
    free(fv);
    return rc;
}

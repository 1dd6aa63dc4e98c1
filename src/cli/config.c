/* SPDX-License-Identifier: MIT
 * config.c: the settings of `holdcheck serve` (config.h). One table describes every key: its
 * names in the file, the environment and the command line, its type, range and default. Every
 * layer goes through cli_config_set, so a value is checked the same way wherever it comes from
 * and a struct cli_config never holds a value out of range. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency_conf.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "url.h"

enum cfg_type {
    CFG_T_PATH,   /* non-empty text without control characters */
    CFG_T_LISTEN, /* HOST:PORT, checked by http_parse_listen */
    CFG_T_INT,    /* whole number in [min, max] */
    CFG_T_BYTES,  /* whole number of bytes, optional KiB or MiB suffix, in [min, max] */
    CFG_T_LEVEL,  /* error, warn, info, debug */
    CFG_T_BOOL,   /* yes/no, true/false, on/off, 1/0 */
    CFG_T_INTENT_BY, /* clerk, supervisor (enum agency_intent_by) */
    CFG_T_SMTP_TLS,  /* auto, starttls, smtps (enum netio_smtp_tls) */
    CFG_T_PROXIES,   /* addresses and networks, checked by http_trusted_proxies_check */
    CFG_T_PROXY_HEADER, /* x-forwarded-for, forwarded (enum http_proxy_header) */
    CFG_T_PHONE,        /* a telephone number, checked by agency_phone_valid */
    CFG_T_WEB_URL,      /* an http:// or https:// URL, checked by hc_url_parse */
    CFG_T_SECRET        /* text as CFG_T_PATH, never printed (--print-config) */
};

struct cfg_def {
    const char *name; /* in the file */
    const char *env;  /* in the environment */
    const char *flag; /* on the command line */
    enum cfg_type type;
    long long min, max; /* CFG_T_INT and CFG_T_BYTES */
    const char *def;    /* default as text; NULL: unset */
    const char *unset;  /* what an unset value means, for --print-config */
};

static const struct cfg_def defs[CLI_CFG_NKEYS] = {
    [CLI_CFG_DB] = {"db", "HOLDCHECK_DB", "--db", CFG_T_PATH, 0, 0, NULL,
                    "serve requires it"},
    [CLI_CFG_LISTEN] = {"listen", "HOLDCHECK_LISTEN", "--listen", CFG_T_LISTEN, 0, 0,
                        "127.0.0.1:8080", NULL},
    /* The default, one per CPU, is set by cli_config_init. */
    [CLI_CFG_THREADS] = {"threads", "HOLDCHECK_THREADS", "--threads", CFG_T_INT, 1, 64, NULL,
                         NULL},
    [CLI_CFG_MAX_BODY_BYTES] = {"max_body_bytes", "HOLDCHECK_MAX_BODY_BYTES", "--max-body-bytes",
                                CFG_T_BYTES, 1024, 64LL << 20, "1048576", NULL},
    [CLI_CFG_SESSION_HOURS] = {"session_hours", "HOLDCHECK_SESSION_HOURS", "--session-hours",
                               CFG_T_INT, 1, 24, "8", NULL},
    [CLI_CFG_LOG_LEVEL] = {"log_level", "HOLDCHECK_LOG_LEVEL", "--log-level", CFG_T_LEVEL, 0, 0,
                           "info", NULL},
    [CLI_CFG_CATALOG_DIR] = {"catalog_dir", "HOLDCHECK_CATALOG_DIR", "--catalog", CFG_T_PATH, 0,
                             0, NULL, "the catalog built into the binary is used"},
    [CLI_CFG_ALLOW_REMOTE] = {"allow_remote", "HOLDCHECK_ALLOW_REMOTE", "--allow-remote",
                              CFG_T_BOOL, 0, 1, "no", NULL},
    /* The public portal (issue 4, docs/public.md and docs/configuration.md). */
    [CLI_CFG_PUBLIC_RATE] = {"public_rate", "HOLDCHECK_PUBLIC_RATE", "--public-rate", CFG_T_INT,
                             0, 1000000, "10", NULL},
    [CLI_CFG_PUBLIC_BURST] = {"public_burst", "HOLDCHECK_PUBLIC_BURST", "--public-burst",
                              CFG_T_INT, 10, 10000000, "60", NULL},
    [CLI_CFG_PUBLIC_MAX_AGE] = {"public_max_age", "HOLDCHECK_PUBLIC_MAX_AGE", "--public-max-age",
                                CFG_T_INT, 0, 86400, "60", NULL},
    [CLI_CFG_PUBLIC_BASE_URL] = {"public_base_url", "HOLDCHECK_PUBLIC_BASE_URL",
                                 "--public-base-url", CFG_T_PATH, 0, 0, NULL,
                                 "links in messages use http://HOST:PORT of listen"},
    [CLI_CFG_PUBLIC_STATUS_SECONDS] = {"public_status_seconds", "HOLDCHECK_PUBLIC_STATUS_SECONDS",
                                       "--public-status-seconds", CFG_T_INT, 1, 3600, "10", NULL},
    /* src/http/dob_budget.h: a date of birth can be confirmed, never guessed. */
    [CLI_CFG_DOB_SEARCHES_PER_NAME] = {"dob_searches_per_name", "HOLDCHECK_DOB_SEARCHES_PER_NAME",
                                       "--dob-searches-per-name", CFG_T_INT, 0, 100000, "20",
                                       NULL},
    [CLI_CFG_SNAPSHOT_DIR] = {"snapshot_dir", "HOLDCHECK_SNAPSHOT_DIR", "--snapshot-dir",
                              CFG_T_PATH, 0, 0, NULL, "the database path plus .snapshots"},
    [CLI_CFG_SNAPSHOT_KEEP_DAYS] = {"snapshot_keep_days", "HOLDCHECK_SNAPSHOT_KEEP_DAYS",
                                    "--snapshot-keep-days", CFG_T_INT, 0, 3650, "30", NULL},
    [CLI_CFG_EXPORT_REFRESH_SECONDS] = {"export_refresh_seconds", "HOLDCHECK_EXPORT_REFRESH_SECONDS",
                                        "--export-refresh-seconds", CFG_T_INT, 1, 86400, "900",
                                        NULL},
    [CLI_CFG_SMTP_RELAY] = {"smtp_relay", "HOLDCHECK_SMTP_RELAY", "--smtp-relay", CFG_T_LISTEN,
                            0, 0, NULL, "emails wait in the delivery queue"},
    [CLI_CFG_SMTP_FROM] = {"smtp_from", "HOLDCHECK_SMTP_FROM", "--smtp-from", CFG_T_PATH, 0, 0,
                           "holdcheck@localhost", NULL},
    [CLI_CFG_SMTP_TLS] = {"smtp_tls", "HOLDCHECK_SMTP_TLS", "--smtp-tls", CFG_T_SMTP_TLS, 0, 0,
                          "auto", NULL},
    [CLI_CFG_MAIL_OUTBOX] = {"mail_outbox", "HOLDCHECK_MAIL_OUTBOX", "--mail-outbox", CFG_T_PATH,
                             0, 0, NULL, "emails go to smtp_relay"},
    [CLI_CFG_TLS_CA_FILE] = {"tls_ca_file", "HOLDCHECK_TLS_CA_FILE", "--tls-ca-file", CFG_T_PATH,
                             0, 0, NULL, "the system's certificate authorities"},
    /* SMS through a generic HTTPS gateway (docs/public.md, "SMS"; src/app/sms.h). */
    [CLI_CFG_SMS_GATEWAY_URL] = {"sms_gateway_url", "HOLDCHECK_SMS_GATEWAY_URL",
                                 "--sms-gateway-url", CFG_T_WEB_URL, 0, 0, NULL,
                                 "no SMS: subscriptions by SMS are refused"},
    [CLI_CFG_SMS_AUTH_HEADER] = {"sms_auth_header", "HOLDCHECK_SMS_AUTH_HEADER",
                                 "--sms-auth-header", CFG_T_SECRET, 0, 0, NULL,
                                 "the gateway is called without credentials"},
    [CLI_CFG_SMS_BODY_TEMPLATE] = {"sms_body_template", "HOLDCHECK_SMS_BODY_TEMPLATE",
                                   "--sms-body-template", CFG_T_PATH, 0, 0, NULL,
                                   "{\"to\":\"{to}\",\"from\":\"{from}\",\"text\":\"{text}\"}"},
    [CLI_CFG_SMS_FROM] = {"sms_from", "HOLDCHECK_SMS_FROM", "--sms-from", CFG_T_PATH, 0, 0, NULL,
                          "the gateway's own sender"},
    [CLI_CFG_SMS_CA_FILE] = {"sms_ca_file", "HOLDCHECK_SMS_CA_FILE", "--sms-ca-file", CFG_T_PATH,
                             0, 0, NULL, "the system's certificate authorities"},
    [CLI_CFG_SMS_INBOUND_SECRET] = {"sms_inbound_secret", "HOLDCHECK_SMS_INBOUND_SECRET",
                                    "--sms-inbound-secret", CFG_T_SECRET, 0, 0, NULL,
                                    "the inbound route (opt-out words) refuses every call"},
    [CLI_CFG_DELIVERY_RETRY_SECONDS] = {"delivery_retry_seconds",
                                        "HOLDCHECK_DELIVERY_RETRY_SECONDS",
                                        "--delivery-retry-seconds", CFG_T_INT, 1, 86400, "30",
                                        NULL},
    [CLI_CFG_WEBHOOK_ALLOW_PRIVATE] = {"webhook_allow_private", "HOLDCHECK_WEBHOOK_ALLOW_PRIVATE",
                                       "--webhook-allow-private", CFG_T_BOOL, 0, 1, "no", NULL},
    [CLI_CFG_ANSWER_CACHE_BYTES] = {"answer_cache_bytes", "HOLDCHECK_ANSWER_CACHE_BYTES",
                                    "--answer-cache-bytes", CFG_T_BYTES, 0, 1LL << 30, "25165824",
                                    NULL},
    /* Issue 15: bounds the open connections (src/http/server.c, conn_limit). */
    [CLI_CFG_BODY_MEMORY_BYTES] = {"body_memory_bytes", "HOLDCHECK_BODY_MEMORY_BYTES",
                                   "--body-memory-bytes", CFG_T_BYTES, 1LL << 20, 64LL << 30,
                                   "402653184", NULL},
    [CLI_CFG_TLS_LISTEN] = {"tls_listen", "HOLDCHECK_TLS_LISTEN", "--tls-listen", CFG_T_LISTEN, 0,
                            0, NULL, "no HTTPS: plain HTTP on listen only"},
    [CLI_CFG_TLS_CERT] = {"tls_cert", "HOLDCHECK_TLS_CERT", "--tls-cert", CFG_T_PATH, 0, 0, NULL,
                          "no HTTPS"},
    [CLI_CFG_TLS_KEY] = {"tls_key", "HOLDCHECK_TLS_KEY", "--tls-key", CFG_T_PATH, 0, 0, NULL,
                         "no HTTPS"},
    /* One year, what RFC 6797's examples and the HSTS preload list use. */
    [CLI_CFG_HSTS_MAX_AGE] = {"hsts_max_age", "HOLDCHECK_HSTS_MAX_AGE", "--hsts-max-age",
                              CFG_T_INT, 0, 63072000, "31536000", NULL},
    [CLI_CFG_TRUSTED_PROXIES] = {"trusted_proxies", "HOLDCHECK_TRUSTED_PROXIES",
                                 "--trusted-proxies", CFG_T_PROXIES, 0, 0, NULL,
                                 "no proxy is trusted: X-Forwarded-For and Forwarded are ignored"},
    [CLI_CFG_PROXY_HEADER] = {"proxy_header", "HOLDCHECK_PROXY_HEADER", "--proxy-header",
                              CFG_T_PROXY_HEADER, 0, 0, "x-forwarded-for", NULL},
    /* Off: h2o 2.2.5's HTTP/2 holds bodies to the limits less exactly (docs/operations.md). */
    [CLI_CFG_HTTP2] = {"http2", "HOLDCHECK_HTTP2", "--http2", CFG_T_BOOL, 0, 1, "no", NULL},
    /* CJIS Security Policy 5.4.7: audit records kept at least one year (src/app/readlog.h). */
    [CLI_CFG_READ_LOG_DAYS] = {"read_log_days", "HOLDCHECK_READ_LOG_DAYS", "--read-log-days",
                               CFG_T_INT, 0, 36500, "365", NULL},
    [CLI_CFG_AGENCY_NAME] = {"agency_name", "HOLDCHECK_AGENCY_NAME", "--agency-name", CFG_T_PATH,
                             0, 0, NULL, "notices leave the agency's name blank"},
    [CLI_CFG_AGENCY_ADDRESS] = {"agency_address", "HOLDCHECK_AGENCY_ADDRESS", "--agency-address",
                                CFG_T_PATH, 0, 0, NULL, "notices print no address"},
    /* The public page's contacts (docs/public.md, "The agency's contacts"). */
    [CLI_CFG_AGENCY_PHONE] = {"agency_phone", "HOLDCHECK_AGENCY_PHONE", "--agency-phone",
                              CFG_T_PHONE, 0, 0, NULL, "the public page shows no phone number"},
    [CLI_CFG_VICTIM_SERVICES_PHONE] = {"victim_services_phone", "HOLDCHECK_VICTIM_SERVICES_PHONE",
                                       "--victim-services-phone", CFG_T_PHONE, 0, 0, NULL,
                                       "the public page shows no victim-services phone"},
    [CLI_CFG_VICTIM_SERVICES_URL] = {"victim_services_url", "HOLDCHECK_VICTIM_SERVICES_URL",
                                     "--victim-services-url", CFG_T_WEB_URL, 0, 0, NULL,
                                     "the public page links to no victim-services page"},
    /* One day: ICE sends a form once per arrest, and a re-sent copy (fax, then email) or a
     * second click arrives the same day; docs/configuration.md says more. */
    [CLI_CFG_DUPLICATE_WINDOW_HOURS] = {"duplicate_window_hours",
                                        "HOLDCHECK_DUPLICATE_WINDOW_HOURS",
                                        "--duplicate-window-hours", CFG_T_INT, 0,
                                        AGENCY_CONF_DUPLICATE_HOURS_MAX, "24", NULL},
    [CLI_CFG_INTENT_BY] = {"intent_by", "HOLDCHECK_INTENT_BY", "--intent-by", CFG_T_INTENT_BY, 0,
                           0, "clerk", NULL},
    /* Off until the agency chooses to publish its figures (docs/reports.md). */
    [CLI_CFG_TRANSPARENCY_PAGE] = {"transparency_page", "HOLDCHECK_TRANSPARENCY_PAGE",
                                   "--transparency-page", CFG_T_BOOL, 0, 1, "no", NULL},
    [CLI_CFG_NOTICE_RECEIPT_HOURS] = {"notice_receipt_hours", "HOLDCHECK_NOTICE_RECEIPT_HOURS",
                                      "--notice-receipt-hours", CFG_T_INT, 1,
                                      NOTICE_CLOCK_HOURS_MAX, "8", NULL},
    [CLI_CFG_NOTICE_PROMPTLY_HOURS] = {"notice_promptly_hours", "HOLDCHECK_NOTICE_PROMPTLY_HOURS",
                                       "--notice-promptly-hours", CFG_T_INT, 1,
                                       NOTICE_CLOCK_HOURS_MAX, "24", NULL},
};

static const char *const levels[] = {"error", "warn", "info", "debug"};

/* In the order of enum netio_smtp_tls. */
static const char *const smtp_tls_modes[] = {"auto", "starttls", "smtps"};

/* In the order of enum http_proxy_header. */
static const char *const proxy_headers[] = {"x-forwarded-for", "forwarded"};

static const char *const src_names[] = {"default", "file", "env", "flag"};

/* The key whose flag (by_flag) or name is s, or -1. */
static int def_find(const char *s, int by_flag)
{
    int k;
    for (k = 0; k < CLI_CFG_NKEYS; k++)
        if (strcmp(by_flag ? defs[k].flag : defs[k].name, s) == 0)
            return k;
    return -1;
}

int cli_config_key_find(const char *name)
{
    return def_find(name, 0);
}

int cli_config_flag_find(const char *flag)
{
    return def_find(flag, 1);
}

int cli_config_flag_takes_value(int key)
{
    return defs[key].type != CFG_T_BOOL;
}

const char *cli_config_key_name(int key)
{
    return defs[key].name;
}

const char *cli_config_env_name(int key)
{
    return defs[key].env;
}

const char *cli_config_flag_name(int key)
{
    return defs[key].flag;
}

/* Parse a whole decimal number; for bytes also a KiB or MiB suffix. 0 or -1. */
static int parse_number(const char *s, int bytes, long long *out)
{
    char *end;
    long long n;
    if (*s < '0' || *s > '9')
        return -1; /* strtoll would accept spaces and signs */
    errno = 0;
    n = strtoll(s, &end, 10);
    if (errno != 0)
        return -1;
    if (bytes && strcmp(end, "KiB") == 0) {
        if (n > LLONG_MAX >> 10)
            return -1;
        n <<= 10;
    } else if (bytes && strcmp(end, "MiB") == 0) {
        if (n > LLONG_MAX >> 20)
            return -1;
        n <<= 20;
    } else if (*end != '\0') {
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_bool(const char *s, long long *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    size_t i;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/* The index of value in names[0..n), or -1. */
static long long name_index(const char *value, const char *const *names, long long n)
{
    long long i;
    for (i = 0; i < n; i++)
        if (strcmp(value, names[i]) == 0)
            return i;
    return -1;
}

/* Set d to "KEY: MSG'VALUE'" and return HC_EINVAL. */
static int bad_value(struct hc_diag *d, const char *key, const char *msg, const char *value)
{
    hc_diag_set(d, key, msg, value);
    if (d != NULL)
        strncat(d->msg, "'", sizeof d->msg - strlen(d->msg) - 1);
    return HC_EINVAL;
}

/* Check value against def; on success set *num and write its canonical text to text. */
static int validate(const struct cfg_def *def, const char *value, long long *num, char *text,
                    size_t text_len, struct hc_diag *d)
{
    char host[256], msg[160];
    const char *p;
    int port;

    if (value[0] == '\0')
        return hc_diag_set(d, def->name, "empty value", NULL);
    for (p = value; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return hc_diag_set(d, def->name, "control character in value", NULL);
    *num = 0;
    switch (def->type) {
    case CFG_T_PATH:
    case CFG_T_SECRET:
        break;
    case CFG_T_LISTEN:
        if (http_parse_listen(value, host, sizeof host, &port) != HC_OK)
            return bad_value(d, def->name, "expected HOST:PORT or [IPV6]:PORT, e.g. "
                             "127.0.0.1:8080, not '", value);
        break;
    case CFG_T_INT:
    case CFG_T_BYTES:
        if (parse_number(value, def->type == CFG_T_BYTES, num) != 0 || *num < def->min ||
            *num > def->max) {
            if (def->type == CFG_T_BYTES)
                snprintf(msg, sizeof msg, "must be a number of bytes from %lld (%lld KiB) to "
                         "%lld (%lld MiB), with an optional KiB or MiB suffix, not '",
                         def->min, def->min >> 10, def->max, def->max >> 20);
            else
                snprintf(msg, sizeof msg, "must be a whole number from %lld to %lld, not '",
                         def->min, def->max);
            return bad_value(d, def->name, msg, value);
        }
        snprintf(text, text_len, "%lld", *num);
        return HC_OK;
    case CFG_T_LEVEL:
        if ((*num = name_index(value, levels, (long long)(sizeof levels / sizeof levels[0]))) < 0)
            return bad_value(d, def->name, "must be error, warn, info or debug, not '", value);
        break;
    case CFG_T_BOOL:
        if (parse_bool(value, num) != 0)
            return bad_value(d, def->name, "must be yes or no (or true/false, on/off, 1/0), "
                             "not '", value);
        snprintf(text, text_len, "%s", *num ? "yes" : "no");
        return HC_OK;
    case CFG_T_INTENT_BY:
        if ((*num = agency_intent_by_from_name(value)) < 0)
            return bad_value(d, def->name, "must be clerk or supervisor, not '", value);
        break;
    case CFG_T_SMTP_TLS:
        if ((*num = name_index(value, smtp_tls_modes, 3)) < 0)
            return bad_value(d, def->name, "must be auto, starttls or smtps, not '", value);
        break;
    case CFG_T_PROXIES:
        if (http_trusted_proxies_check(value, d) != HC_OK)
            return HC_EINVAL;
        break;
    case CFG_T_PROXY_HEADER:
        if ((*num = name_index(value, proxy_headers, 2)) < 0)
            return bad_value(d, def->name, "must be x-forwarded-for or forwarded, not '", value);
        break;
    case CFG_T_PHONE:
        if (!agency_phone_valid(value))
            return bad_value(d, def->name, "must be a telephone number of 7 to 15 digits, "
                             "written with digits, spaces and + ( ) - . only, not '", value);
        break;
    case CFG_T_WEB_URL: {
        struct hc_url u;
        if (hc_url_parse(value, &u, def->name, d) != HC_OK)
            return HC_EINVAL;
        break;
    }
    }
    if (strlen(value) >= text_len)
        return hc_diag_set(d, def->name, "value too long", NULL);
    memcpy(text, value, strlen(value) + 1);
    return HC_OK;
}

int cli_config_set(struct cli_config *c, int key, const char *value, enum cli_config_src src,
                   int line, struct hc_diag *d)
{
    char text[CLI_CONFIG_LINE_MAX];
    long long num = 0;
    int rc = validate(&defs[key], value, &num, text, sizeof text, d);
    if (rc != HC_OK)
        return rc;
    free(c->v[key].str);
    c->v[key].str = cli_xstrdup(text);
    c->v[key].num = num;
    c->v[key].src = src;
    c->v[key].line = line;
    return HC_OK;
}

void cli_config_init(struct cli_config *c)
{
    int k;
    memset(c, 0, sizeof *c);
    for (k = 0; k < CLI_CFG_NKEYS; k++) {
        /* A default that fails its own check is a programming error. */
        if (defs[k].def != NULL &&
            cli_config_set(c, k, defs[k].def, CLI_CFG_SRC_DEFAULT, 0, NULL) != HC_OK)
            abort();
    }
    /* One event loop per CPU unless told otherwise: each has its own database connection, so
     * reads never wait on another loop. */
    {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        char text[8];
        snprintf(text, sizeof text, "%ld", n < 1 ? 1 : n > 64 ? 64 : n);
        if (cli_config_set(c, CLI_CFG_THREADS, text, CLI_CFG_SRC_DEFAULT, 0, NULL) != HC_OK)
            abort();
    }
}

void cli_config_release(struct cli_config *c)
{
    int k;
    for (k = 0; k < CLI_CFG_NKEYS; k++)
        free(c->v[k].str);
    free(c->file);
    memset(c, 0, sizeof *c);
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Parse one line (NUL-terminated, newline removed) of a configuration file. */
static int parse_line(struct cli_config *c, char *s, int lineno, int *seen, struct hc_diag *d)
{
    char *key, *value, *p;
    int k;

    while (is_space(*s))
        s++;
    if (*s == '\0' || *s == '#')
        return HC_OK;
    key = s;
    while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')
        s++;
    if (s == key)
        return hc_diag_set(d, "", "expected 'key = value'", NULL);
    p = s;
    while (is_space(*s))
        s++;
    if (*s != '=') {
        *p = '\0';
        return hc_diag_set(d, cli_config_key_find(key) >= 0 ? key : "",
                           "expected 'key = value'", NULL);
    }
    *p = '\0';
    s++;
    if ((k = cli_config_key_find(key)) < 0) {
        hc_diag_set(d, key, "unknown key", NULL);
        return HC_EINVAL;
    }
    while (is_space(*s))
        s++;
    value = s;
    /* A comment starts at a '#' after a space: paths and values may contain '#' otherwise. */
    for (p = s; *p != '\0'; p++)
        if (*p == '#' && p > value && is_space(p[-1])) {
            *p = '\0';
            break;
        }
    p = value + strlen(value);
    while (p > value && is_space(p[-1]))
        *--p = '\0';
    if (seen[k] != 0) {
        char msg[64];
        snprintf(msg, sizeof msg, "set twice (first on line %d)", seen[k]);
        return hc_diag_set(d, key, msg, NULL);
    }
    seen[k] = lineno;
    return cli_config_set(c, k, value, CLI_CFG_SRC_FILE, lineno, d);
}

/* Read one line of f into buf (cap bytes, NUL-terminated, newline dropped). Returns 1 for a
 * line, 0 at the end of the file, or HC_EINVAL (with d set) for a line too long or holding a
 * NUL byte, which would otherwise cut the line short without a word. */
static int read_line(FILE *f, char *buf, size_t cap, struct hc_diag *d)
{
    size_t n = 0;
    int ch;
    while ((ch = getc(f)) != EOF && ch != '\n') {
        /* HC_EINVAL spelled out: the static analyzer cannot see that hc_diag_set returns it. */
        if (ch == '\0') {
            hc_diag_set(d, "", "NUL byte in line", NULL);
            return HC_EINVAL;
        }
        if (n + 1 >= cap) {
            hc_diag_set(d, "", "line too long", NULL);
            return HC_EINVAL;
        }
        buf[n++] = (char)ch;
    }
    buf[n] = '\0';
    return ch == EOF && n == 0 ? 0 : 1;
}

int cli_config_read_file(struct cli_config *c, const char *path, const char *why,
                         struct hc_diag *d)
{
    char buf[CLI_CONFIG_LINE_MAX + 1];
    int seen[CLI_CFG_NKEYS] = {0};
    int lineno = 0, rc = HC_OK, r;
    FILE *f = fopen(path, "r");

    hc_diag_clear(d);
    if (f == NULL) {
        hc_diag_set(d, "", strerror(errno), NULL);
        return HC_EIO;
    }
    free(c->file);
    c->file = cli_xstrdup(path);
    c->file_why = why;
    while ((r = read_line(f, buf, sizeof buf, d)) == 1) {
        lineno++;
        if ((rc = parse_line(c, buf, lineno, seen, d)) != HC_OK)
            break;
    }
    if (r < 0) {
        lineno++;
        rc = r;
    }
    if (rc == HC_OK && ferror(f)) {
        hc_diag_set(d, "", "cannot read: ", strerror(errno));
        rc = HC_EIO;
    }
    if (rc != HC_OK)
        d->line = lineno;
    fclose(f);
    return rc;
}

int cli_config_read_env(struct cli_config *c, struct hc_diag *d)
{
    int k, rc;
    for (k = 0; k < CLI_CFG_NKEYS; k++) {
        const char *v = getenv(defs[k].env);
        if (v == NULL || v[0] == '\0')
            continue;
        if ((rc = cli_config_set(c, k, v, CLI_CFG_SRC_ENV, 0, d)) != HC_OK) {
            snprintf(d->field, sizeof d->field, "%s", defs[k].env);
            return rc;
        }
    }
    return HC_OK;
}

void cli_config_agency(const struct cli_config *c, struct agency_conf *out)
{
    agency_conf_defaults(out);
    out->name = c->v[CLI_CFG_AGENCY_NAME].str;
    out->address = c->v[CLI_CFG_AGENCY_ADDRESS].str;
    out->phone = c->v[CLI_CFG_AGENCY_PHONE].str;
    out->victim_services_phone = c->v[CLI_CFG_VICTIM_SERVICES_PHONE].str;
    out->victim_services_url = c->v[CLI_CFG_VICTIM_SERVICES_URL].str;
    out->duplicate_window_hours = (int)c->v[CLI_CFG_DUPLICATE_WINDOW_HOURS].num;
    out->intent_by = (int)c->v[CLI_CFG_INTENT_BY].num;
    out->transparency_public = (int)c->v[CLI_CFG_TRANSPARENCY_PAGE].num;
    out->clock.receipt_hours = (unsigned)c->v[CLI_CFG_NOTICE_RECEIPT_HOURS].num;
    out->clock.promptly_hours = (unsigned)c->v[CLI_CFG_NOTICE_PROMPTLY_HOURS].num;
}

void cli_config_print(const struct cli_config *c, FILE *f)
{
    int k;
    fputs("# holdcheck serve: effective configuration (file < environment < flags)\n", f);
    if (c->file != NULL)
        fprintf(f, "# file: %s (%s)\n", c->file, c->file_why);
    else
        fprintf(f, "# file: none (%s does not exist)\n", CLI_CONFIG_DEFAULT_PATH);
    for (k = 0; k < CLI_CFG_NKEYS; k++) {
        const struct cli_config_value *v = &c->v[k];
        char lhs[CLI_CONFIG_LINE_MAX + 64];
        if (v->str == NULL) {
            fprintf(f, "# %s is not set (%s)\n", defs[k].name, defs[k].unset);
            continue;
        }
        snprintf(lhs, sizeof lhs, "%s = %s", defs[k].name,
                 defs[k].type == CFG_T_SECRET ? "(set, not shown)" : v->str);
        fprintf(f, "%-40s # %s", lhs, src_names[v->src]);
        if (v->src == CLI_CFG_SRC_FILE)
            fprintf(f, " %s:%d", c->file, v->line);
        else if (v->src == CLI_CFG_SRC_ENV)
            fprintf(f, " %s", defs[k].env);
        else if (v->src == CLI_CFG_SRC_FLAG)
            fprintf(f, " %s", defs[k].flag);
        fputc('\n', f);
    }
}

/* SPDX-License-Identifier: MIT
 * config.h: the settings of `holdcheck serve`, read from a `key = value` file, then HOLDCHECK_*
 * environment variables, then flags, each layer overriding the one before. Every value is
 * validated when it is set, so a struct cli_config only ever holds values in range; each value
 * remembers where it came from for `serve --print-config`. docs/configuration.md is the
 * user-facing description. */
#ifndef HC_CLI_CONFIG_H
#define HC_CLI_CONFIG_H

#include <stdio.h>

#include "err.h"

#define CLI_CONFIG_DEFAULT_PATH "/etc/holdcheck/holdcheck.conf"
#define CLI_CONFIG_LINE_MAX 4096 /* longer lines in a configuration file are an error */

/* The settings, in the order --print-config lists them. */
enum cli_config_key {
    CLI_CFG_DB,             /* path of the SQLite database; no default, serve requires it */
    CLI_CFG_LISTEN,         /* HOST:PORT or [V6]:PORT */
    CLI_CFG_THREADS,        /* event loops, 1..64 */
    CLI_CFG_MAX_BODY_BYTES, /* request body limit, 1 KiB..64 MiB */
    CLI_CFG_SESSION_HOURS,  /* lifetime of a login session, 1..24 */
    CLI_CFG_LOG_LEVEL,      /* enum cli_log_level */
    CLI_CFG_CATALOG_DIR,    /* offense tables directory; unset means the built-in catalog */
    CLI_CFG_ALLOW_REMOTE,   /* boolean: may listen on a non-loopback address */
    /* The public portal (issue 4, docs/public.md). */
    CLI_CFG_PUBLIC_RATE,        /* public requests a second per client address; 0: no limit */
    CLI_CFG_PUBLIC_BURST,       /* public requests at once per client address */
    CLI_CFG_PUBLIC_MAX_AGE,     /* Cache-Control max-age of public answers, seconds */
    CLI_CFG_PUBLIC_BASE_URL,    /* base of links in messages; unset: http://LISTEN */
    CLI_CFG_PUBLIC_STATUS_SECONDS, /* how often the status line and advance notices run */
    CLI_CFG_DOB_SEARCHES_PER_NAME, /* public searches with a date of birth a last name a day */
    CLI_CFG_SNAPSHOT_DIR,       /* daily snapshots; unset: DB.snapshots */
    CLI_CFG_SNAPSHOT_KEEP_DAYS, /* 0: no snapshots */
    CLI_CFG_EXPORT_REFRESH_SECONDS, /* the export is rewritten after a change at most this often */
    CLI_CFG_SMTP_RELAY,         /* HOST:PORT; unset: emails wait in the queue */
    CLI_CFG_SMTP_FROM,          /* From address of emails */
    CLI_CFG_SMTP_TLS,           /* enum netio_smtp_tls: auto, starttls, smtps */
    CLI_CFG_MAIL_OUTBOX,        /* folder where emails are written as .eml instead of sent */
    CLI_CFG_TLS_CA_FILE,        /* PEM CA bundle for the relay and https webhooks */
    CLI_CFG_DELIVERY_RETRY_SECONDS, /* first retry delay; doubles */
    CLI_CFG_WEBHOOK_ALLOW_PRIVATE,  /* boolean: webhooks may reach loopback/private hosts */
    CLI_CFG_SMS_GATEWAY_URL,        /* the SMS gateway's endpoint; unset: no SMS */
    CLI_CFG_SMS_AUTH_HEADER,        /* a header line sent to it ("Authorization: ..."); secret */
    CLI_CFG_SMS_BODY_TEMPLATE,      /* its body, with {to}, {from}, {text}: JSON or a form */
    CLI_CFG_SMS_FROM,               /* the sender number or name */
    CLI_CFG_SMS_CA_FILE,            /* PEM CA bundle for the gateway's certificate */
    CLI_CFG_SMS_INBOUND_SECRET,     /* what the gateway's callbacks carry; secret */
    CLI_CFG_ANSWER_CACHE_BYTES,     /* the shared answer cache's budget; 0: off */
    CLI_CFG_BODY_MEMORY_BYTES,      /* what request bodies being read may hold at once */
    /* HTTPS and proxies (docs/operations.md, "TLS and proxies"). */
    CLI_CFG_TLS_LISTEN,             /* HOST:PORT of the HTTPS socket; unset: no HTTPS */
    CLI_CFG_TLS_CERT,               /* PEM certificate chain served there */
    CLI_CFG_TLS_KEY,                /* PEM private key of that certificate */
    CLI_CFG_HSTS_MAX_AGE,           /* Strict-Transport-Security max-age; 0: not sent */
    CLI_CFG_TRUSTED_PROXIES,        /* addresses and networks whose proxy header is believed */
    CLI_CFG_PROXY_HEADER,           /* enum http_proxy_header: x-forwarded-for, forwarded */
    CLI_CFG_HTTP2,                  /* boolean: offer HTTP/2 (h2 over TLS by ALPN, and h2c) */
    CLI_CFG_READ_LOG_DAYS,          /* days the read-access log keeps entries; 0: forever */
    /* The agency's own settings (struct agency_conf, docs/configuration.md). */
    CLI_CFG_AGENCY_NAME,            /* printed at the head of every notice */
    CLI_CFG_AGENCY_ADDRESS,         /* printed under the name */
    CLI_CFG_AGENCY_PHONE,           /* the agency's telephone, on the public page */
    CLI_CFG_VICTIM_SERVICES_PHONE,  /* victim services' telephone, on the public page */
    CLI_CFG_VICTIM_SERVICES_URL,    /* victim services' web page, on the public page */
    CLI_CFG_DUPLICATE_WINDOW_HOURS, /* a like request within this is a duplicate; 0: off */
    CLI_CFG_INTENT_BY,              /* enum agency_intent_by: who may state the intent */
    CLI_CFG_TRANSPARENCY_PAGE,      /* publish the transparency page (app/transparency.h) */
    CLI_CFG_NOTICE_RECEIPT_HOURS,   /* "upon receiving" (copy notices), hours */
    CLI_CFG_NOTICE_PROMPTLY_HOURS,  /* "promptly" (release notices), hours */
    CLI_CFG_NKEYS
};

/* Where a value came from; a later layer overrides an earlier one. */
enum cli_config_src {
    CLI_CFG_SRC_DEFAULT,
    CLI_CFG_SRC_FILE,
    CLI_CFG_SRC_ENV,
    CLI_CFG_SRC_FLAG
};

enum cli_log_level {
    CLI_LOG_ERROR, /* only errors */
    CLI_LOG_WARN,  /* also warnings (the plain-HTTP warning off loopback) */
    CLI_LOG_INFO,  /* also the startup banner with curl examples (the default) */
    CLI_LOG_DEBUG  /* also the effective configuration at startup, on stderr */
};

struct cli_config_value {
    char *str;               /* owned: the value in canonical text form; NULL when unset */
    long long num;           /* integers, byte counts, log level (enum cli_log_level), 0/1 */
    enum cli_config_src src; /* which layer set it */
    int line;                /* the file's line when src is CLI_CFG_SRC_FILE */
};

struct cli_config {
    struct cli_config_value v[CLI_CFG_NKEYS];
    char *file;           /* owned: the configuration file read, NULL when none */
    const char *file_why; /* static: how it was chosen ("--config", "HOLDCHECK_CONFIG", "default") */
};

/* Fill c with the built-in defaults. The matching cli_config_release frees what the layers set. */
void cli_config_init(struct cli_config *c);
void cli_config_release(struct cli_config *c);

/* The key named name in a configuration file ("max_body_bytes"), or -1. */
int cli_config_key_find(const char *name);

/* The key of a serve flag ("--threads"; "--catalog" is catalog_dir), or -1. --allow-remote is
 * the one flag that takes no value. */
int cli_config_flag_find(const char *flag);
int cli_config_flag_takes_value(int key);

/* Names of key: in a file, in the environment (HOLDCHECK_THREADS) and as a flag (--threads). */
const char *cli_config_key_name(int key);
const char *cli_config_env_name(int key);
const char *cli_config_flag_name(int key);

/* Validate value for key and, if it is valid, store it as coming from src (line: the file's
 * line, else 0). Returns 0, or HC_EINVAL with d->field set to the key's name and d->msg to what
 * is wrong; c is then unchanged. */
int cli_config_set(struct cli_config *c, int key, const char *value, enum cli_config_src src,
                   int line, struct hc_diag *d);

/* Read the configuration file at path: `key = value` lines, blank lines, and comments from a
 * `#` at the start of a line or after a space to the end of the line. A key may appear once.
 * why says how the file was chosen, for --print-config (a static string). Returns 0; HC_EIO
 * when the file cannot be read (d->msg: the system's reason); or HC_EINVAL for a bad line,
 * with d->line the line, d->field the key ("" when the line has none) and d->msg the reason. */
int cli_config_read_file(struct cli_config *c, const char *path, const char *why,
                         struct hc_diag *d);

/* Apply every HOLDCHECK_* variable of the environment that names a key and is not empty.
 * Returns 0, or HC_EINVAL with d->field the variable's name and d->msg the reason. */
int cli_config_read_env(struct cli_config *c, struct hc_diag *d);

/* The agency's settings of c into *out (agency_conf.h). Strings are borrowed from c: out is
 * valid until cli_config_release(c). */
struct agency_conf;
void cli_config_agency(const struct cli_config *c, struct agency_conf *out);

/* Write the effective configuration to f as a configuration file, each line commented with
 * where its value came from. */
void cli_config_print(const struct cli_config *c, FILE *f);

#endif

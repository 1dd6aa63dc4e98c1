/* SPDX-License-Identifier: MIT
 * deliver.h: the public portal's background work in `holdcheck serve` (issue 4,
 * docs/public.md): one thread with its own database connection that works the delivery queue
 * (email through an SMTP relay or into an outbox folder, signed webhooks, SMS through a
 * gateway, and the reply owed to each SMS opt-out), queues advance notices, keeps the
 * per-facility status line and writes the daily snapshots of the public export. Also the
 * export writer that `holdcheck public-export` shares with the snapshots. */
#ifndef HC_DELIVER_H
#define HC_DELIVER_H

#include <stdint.h>
#include <stdio.h>

#include "catalog.h"
#include "err.h"
#include "netio.h"
#include "rows_public.h"
#include "service.h"
#include "sms.h"

struct hc_store;

#define DELIVER_MAX_ATTEMPTS 10
#define DELIVER_BACKOFF_MAX (6L * 3600) /* seconds between attempts, at most */

struct deliver_config {
    const char *db_path;          /* the database serve uses */
    service_open_fn db_open;      /* how to open it (service.h); NULL: a SQLite file */
    const struct hc_catalog *cat; /* borrowed: the charges' descriptions; outlives the thread */
    const char *base_url;         /* for links in messages: "https://jail.example.org" */
    const char *smtp_relay;       /* "HOST:PORT", or NULL: emails wait in the queue */
    enum netio_smtp_tls smtp_tls; /* how the relay's connection is secured */
    const char *smtp_from;        /* the From address */
    const char *mail_outbox;      /* a folder: each email is written there as an .eml file
                                   * instead of being sent (demos, tests); NULL: none. The
                                   * folder is created (0700) when missing */
    const char *ca_file;          /* PEM CA bundle for the relay's and webhooks' TLS; NULL:
                                   * the system's */
    struct sms_gateway sms;       /* the SMS gateway; sms.url NULL: SMS deliveries wait in the
                                   * queue (and subscriptions by SMS are refused, subscribe.h) */
    int retry_seconds;            /* first retry after this; doubles each time (1..86400) */
    int webhook_allow_private;    /* webhooks may reach loopback and private addresses */
    const char *snapshot_dir;     /* daily snapshots; NULL: none are written */
    int snapshot_keep_days;       /* 1..3650 */
    int refresh_seconds;          /* today's snapshot is rewritten when the data changed and it
                                   * is this old (the export's freshness); 0: 900 */
    int status_seconds;           /* how often the status line is brought up to date (1..3600) */
    int quiet;                    /* no information lines on stderr */
    int silent;                   /* not even warnings: errors only */
};

struct deliver;

/* Fill the people's name keys left empty by an older schema (store_namekey_backfill), put
 * deliveries a stopped server left "sending" back in the queue, warn (log) when the policy
 * lets anyone subscribe but neither smtp_relay nor mail_outbox is set, and start the thread.
 * Starts libcurl (netio_global_init) first. The strings of cfg are copied. Returns 0 and
 * *out (free with deliver_stop), or HC_EIO / HC_ENOMEM with d set. */
int deliver_start(const struct deliver_config *cfg, struct deliver **out, struct hc_diag *d);

/* Ask the thread to stop, wait for it (a delivery in flight finishes or times out first, 15 s
 * at most) and free everything. dl may be NULL. */
void deliver_stop(struct deliver *dl);

/* Write the public export of the database behind st under its current publication policy to
 * f: CSV (csv = 1) or JSON Lines. *rows (OUT) gets the number of records, *policy (OUT, may be
 * NULL) the policy used. Returns 0, or a store error / HC_EIO when writing fails. */
int deliver_export(struct hc_store *st, const struct hc_catalog *cat, int csv, FILE *f,
                   int64_t *rows, struct store_public_policy *policy);

/* The HMAC-SHA256 signature header value of a webhook body sent at unix time ts with the hex
 * key secret_hex: "sha256=" and 64 hex digits over "TS.BODY" (docs/public-api.md). out needs
 * 72 bytes. Returns 0, or -1 for a bad key. */
int deliver_sign(const char *secret_hex, long long ts, const char *body, size_t len,
                 char out[72]);

#endif

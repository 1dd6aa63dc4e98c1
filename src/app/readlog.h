/* SPDX-License-Identifier: MIT
 * readlog.h: the read-access log (docs/operations.md, "Read-access log"): every staff read of a
 * person, a booking, a request, a notice, a report, the audit log, the users, a search or the
 * read log itself is recorded: who, what, when, from where, with what answer. The server hands
 * each entry to a writer (readlog_note) that queues it in memory and commits the queue in one
 * transaction every second or every READLOG_BATCH entries, and at stop; the log is kept
 * read_log_days (default 365) and pruned at start, once a day, and by `holdcheck readlog
 * prune`. Auditors and administrators list and export it (readlog_list, readlog_csv). */
#ifndef HC_APP_READLOG_H
#define HC_APP_READLOG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "rows_readlog.h"
#include "service.h"

struct hc_store;

/* What a route reads, as its line of the routing table says (src/http/routes.c). UNSET is a
 * route nobody classified (a test refuses it for a staff GET); NONE reads no personal data
 * (metrics, settings, one's own session) and is not logged. Every other kind is logged, with
 * the route's path parameter as the object read. */
enum readlog_kind {
    READLOG_UNSET = 0,
    READLOG_NONE,
    READLOG_PERSON,   /* a person and their court record */
    READLOG_BOOKING,  /* a booking (custody record) */
    READLOG_REQUEST,  /* an immigration request, its decisions, actions, notices or audit trail */
    READLOG_NOTICE,   /* a TRUTH Act notice */
    READLOG_REPORT,   /* a statutory report */
    READLOG_AUDIT,    /* the audit log */
    READLOG_USER,     /* the staff's user accounts */
    READLOG_SEARCH,   /* a search of people and bookings by name, number or birth date */
    READLOG_DELIVERY, /* the public subscribers' delivery queue (their addresses) */
    READLOG_READ_LOG, /* this log */
    READLOG_VICTIM,   /* a victim notification registration (its name and address) */
    READLOG_NKINDS
};

/* The name of kind k as stored ("person", "read_log"...); "" for UNSET and NONE. */
const char *readlog_kind_name(enum readlog_kind k);

/* Entries queued before a commit is started at once instead of at the next second; the most
 * one commit takes; the most the queue holds (a reader then waits for room, READLOG_WAIT_MS at
 * most); and how long a reader waits before its entry is lost, counted, and a "lost" entry
 * says how many (the writer is stuck: the database is held by another writer or failing). */
#define READLOG_BATCH 256
#define READLOG_TAKE 2048
#define READLOG_QUEUE 4096
#define READLOG_WAIT_MS 2000
/* read_log_days when none is configured: CJIS Security Policy 5.4.7 keeps audit records at
 * least one year. 0 keeps entries forever. */
#define READLOG_KEEP_DAYS_DEFAULT 365

/* The database backend has no read log (STORE_ENOTSUP of store_reports.h: PostgreSQL for
 * now), in the app's own words for src/http. */
#define READLOG_ENOTSUP (-56)

struct readlog;

/* Start the writer: open db_path with db_open (service.h; NULL: a SQLite file) on a connection
 * of its own and start its thread, which first
 * prunes the entries older than keep_days (unless 0; a failure is logged) and then once a
 * day. *out (OUT) is the writer. Returns 0, or an error with d set (keep_days negative, the
 * database cannot be opened, the thread cannot start); *out is then NULL. */
int readlog_start(service_open_fn db_open, const char *db_path, int keep_days,
                  struct readlog **out, struct hc_diag *d);

/* Queue a copy of e (its at set to now when empty). Safe from any thread; never touches the
 * database. When the queue is full the caller waits for the writer to make room, so that a
 * burst of reads is logged whole and paced by the log's writes; only when the writer has not
 * made room for READLOG_WAIT_MS is the entry lost and counted (readlog_start's thread writes a
 * "lost" entry with the count, and logs it), and later entries are then lost at once, without
 * waiting, until the writer commits again. rl NULL: nothing happens. */
void readlog_note(struct readlog *rl, const struct store_read_entry *e);

/* Write e at once, in a transaction of its own (its at set to now when empty): for a reader
 * outside the server (`holdcheck readlog`). Returns 0 or the store's error (READLOG_ENOTSUP). */
int readlog_write(struct hc_store *st, const struct store_read_entry *e);
/* Log a reading by the command line at once (readlog_write): user and role "cli", method
 * "CLI", route (e.g. "holdcheck victim list"), kind, query (the options, or NULL), client
 * "local", status 200. Returns readlog_write's result. */
int readlog_write_cli(struct hc_store *st, const char *route, enum readlog_kind kind,
                      const char *query);

/* Commit what is queued, stop the thread, close its connection and free rl (NULL: nothing). */
void readlog_stop(struct readlog *rl);

/* Delete the entries older than keep_days days before now (seconds since the epoch), in one
 * transaction; keep_days 0 deletes nothing. *removed (OUT) counts them. Returns 0, HC_EINVAL
 * for a negative keep_days, or a store error. */
int readlog_prune(struct hc_store *st, int keep_days, int64_t now, int64_t *removed);

/* A query as an auditor writes it: each member NULL (cursor 0, limit 0) when not given. from
 * and to are dates "YYYY-MM-DD" (to inclusive) or times with a zone; kind is a kind's name or
 * "lost"; limit 1..1000 (default 100); cursor: the next_cursor of the previous page. */
struct readlog_query {
    const char *user, *from, *to, *kind, *object;
    int64_t cursor;
    int limit;
};

/* The entries q selects, oldest first, into *out (in a) and *n; *next (OUT) is the cursor of
 * the next page, or 0 when this page is the last. Returns 0; HC_EINVAL naming the field of q
 * at fault in d; HC_ENOMEM; READLOG_ENOTSUP for a backend without the read log. */
int readlog_list(struct hc_store *st, const struct readlog_query *q, struct hc_arena *a,
                 struct store_read_entry **out, size_t *n, int64_t *next, struct hc_diag *d);

/* Entries e[0..n) as CSV rows into b (hc_csv_cell), after a header line when header is set.
 * b->full when they do not fit. */
void readlog_csv(const struct store_read_entry *e, size_t n, int header, struct hc_buf *b);

/* Entry e as a JSON object (a new reference; NULL when out of memory). */
json_t *readlog_entry_json(const struct store_read_entry *e);

#endif

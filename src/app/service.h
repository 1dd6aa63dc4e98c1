/* SPDX-License-Identifier: MIT
 * service.h: a server thread's connection to holdcheck's records, as the HTTP layer holds it:
 * opening and closing it, the request-wide read snapshot, the data version the answer cache
 * keys on, the health check, and the names of the errors the service layer returns. Every other
 * read or write goes through the service function that owns it (records.h, users.h, console.h,
 * public_read.h, admin.h, and the rule-bearing modules). The handle is opaque here: only src/app
 * calls the store. */
#ifndef HC_APP_SERVICE_H
#define HC_APP_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rows_conn.h"

struct hc_store;

/* How a server thread's connection is opened: with db (a SQLite file or a postgresql:// URL),
 * flags (STORE_OPEN_*, store_conn.h; 0 for a thread that answers requests) into *out, the
 * reason of a failure in d. store_sqlite_open for a SQLite file; for PostgreSQL the backend
 * module's store_pg_open, which the command line loads and passes down (src/cli/util.c): the
 * server itself never links libpq. */
typedef int (*service_open_fn)(const char *db, int flags, struct hc_store **out,
                               struct hc_diag *d);

/* Open db with open (NULL: db is a SQLite file) and flags for one thread into *out (it must
 * exist and be at the schema version this build knows; `holdcheck migrate` brings it there).
 * Returns 0, or HC_EIO / HC_ERANGE / HC_ENOENT with the reason in d, *out then NULL. Use *out
 * from one thread at a time; free it with service_close. */
int service_open(service_open_fn open, const char *db, int flags, struct hc_store **out,
                 struct hc_diag *d);

/* Close st and free it. st may be NULL. */
void service_close(struct hc_store *st);

/* Start a read snapshot that spans every service call until service_read_end: the calls of one
 * request that only reads then see one state of the records and take the database's read lock
 * once. No write may be made inside it. Returns 0, or a store error (then nothing is open and
 * the calls read as they would without it). */
int service_read_begin(struct hc_store *st);

/* End the snapshot of service_read_begin (when one is open). */
void service_read_end(struct hc_store *st);

/* *v (OUT) gets the records' data version: equal numbers on one handle mean nothing changed in
 * between (store_version, store_conn.h, says exactly). Returns 0, or HC_EIO. */
int service_version(struct hc_store *st, uint64_t *v);

/* The bookings whose staff record changed after change number *seq: cb(ctx, booking_no, len)
 * for each, *seq (IN/OUT) moved to the newest change read, *more (OUT) 1 when more than limit
 * changed (then forget every record). *seq < 0 only reads the newest change number.
 * store_changes (store_conn.h) says exactly. Returns 0, or a store error. */
int service_changes(struct hc_store *st, int64_t *seq, size_t limit, store_change_cb cb,
                    void *ctx, int *more);

/* 0 when the database answers (for /healthz), else a store error. */
int service_ping(struct hc_store *st);

/* hc_strerror(rc), extended with the store's own codes (STORE_ECONFLICT): the text an error of
 * any service function is shown with. Static storage; never NULL. */
const char *service_strerror(int rc);

/* rc, after setting d (field, msg) when rc is HC_ENOENT: how a service function names the row
 * that a store call did not find ("id", "no such request"). d untouched otherwise. */
int service_missing(int rc, struct hc_diag *d, const char *field, const char *msg);

#endif

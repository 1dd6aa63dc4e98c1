/* SPDX-License-Identifier: MIT
 * store_import.h: bulk import and export of people, bookings, charges and convictions
 * (`holdcheck import` and `export`, docs/import.md). */
#ifndef HC_STORE_IMPORT_H
#define HC_STORE_IMPORT_H

#include "store_conn.h"
#include "store_records.h"
#include "rows_import.h"

/* The bulk import and export operations of a backend (contracts: the wrappers below). */
struct store_import_ops {
    int (*import_begin)(struct hc_store *st, enum store_kind kind, unsigned flags,
                        store_import_report_fn report, void *ctx);
    int (*import_row)(struct hc_store *st, const struct store_import_row *r, struct hc_diag *d);
    int (*import_flush)(struct hc_store *st);
    int (*import_commit)(struct hc_store *st, const char *actor, const char *source,
                         const char *format, struct store_import_summary *out);
    int (*export_rows)(struct hc_store *st, enum store_kind kind, store_export_cb cb, void *ctx);
    int (*import_booking_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                              struct store_import_known *out);
    int (*import_person_get)(struct hc_store *st, const char *local_id, struct hc_arena *a,
                             struct store_import_person *out);
    int (*import_commit_plain)(struct hc_store *st);
    int (*feed_key_get)(struct hc_store *st, const char *key, struct hc_arena *a,
                        struct store_feed_key *out);
    int (*feed_key_put)(struct hc_store *st, const char *key, const struct store_feed_key *k);
};

/* The operation names in table order. A backend fills its table with STORE_IMPORT_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_IMPORT_OPS(OP) OP(import_begin) OP(import_row) OP(import_flush) OP(import_commit) \
    OP(export_rows) OP(import_booking_get) OP(import_person_get) OP(import_commit_plain) \
    OP(feed_key_get) OP(feed_key_put)

/* Start importing rows of one kind: opens a transaction (BEGIN IMMEDIATE) that holds every row
 * and the import's single audit entry, and starts the rows' hash. Finish with
 * store_import_commit, or abandon everything with store_rollback. One import at a time per
 * handle; it must not be nested in another transaction. flags: STORE_IMPORT_IN_PLACE when the
 * import mostly reads and changes stored rows (an upsert) rather than adding many (the backend
 * may then tune its I/O differently; the result is the same). report(ctx, ...) is told of each
 * row that store_import_row held back and the database then refused. */
static inline int store_import_begin(struct hc_store *st, enum store_kind kind, unsigned flags,
                                     store_import_report_fn report, void *ctx)
{
    return st->import->import_begin(st, kind, flags, report, ctx);
}

/* Insert one row of the current import (see struct store_import_row) and add it to the hash,
 * or hold it back for a batch (see store_import_flush). A refused row leaves the transaction
 * usable, so a caller can go on checking later rows and roll back at the end. Errors:
 * STORE_ECONFLICT (d->field "local_id" or "booking_no": the key exists, in the database or
 * earlier in this import); HC_ENOENT (d->field "person_local_id" or
 * "booking_no": no such person or booking); HC_EINVAL (the schema refused a value); HC_EIO. */
static inline int store_import_row(struct hc_store *st, const struct store_import_row *r,
                                   struct hc_diag *d)
{
    return st->import->import_row(st, r, d);
}

/* Bookings and charges are inserted in batches (docs/import.md, "Speed"), and on PostgreSQL every
 * row of an import begun without STORE_IMPORT_IN_PLACE: store_import_row may copy a valid row
 * and return HC_OK before inserting it. A refused row of a batch is passed to
 * the import's report function, at the latest by this call, which inserts every row held back,
 * in order. Returns HC_OK (even when rows were refused), or a store error (HC_EIO, HC_ENOMEM).
 * Call it before reporting a problem of a later row, and before committing. */
static inline int store_import_flush(struct hc_store *st)
{
    return st->import->import_flush(st);
}

/* Append the import's audit entry ("import.commit": source, format, kind, row count, id range,
 * rows hash) and commit. *out (OUT, may be NULL) gets the summary. On failure everything of the
 * import is rolled back. source is the file name as the user gave it. */
static inline int store_import_commit(struct hc_store *st, const char *actor, const char *source,
                                      const char *format, struct store_import_summary *out)
{
    return st->import->import_commit(st, actor, source, format, out);
}

/* Call cb once per stored row of kind, oldest first, with the columns of docs/import.md. Reads
 * in one transaction, so the export is a consistent snapshot. Returns 0, cb's non-zero return,
 * or a store error. */
static inline int store_export(struct hc_store *st, enum store_kind kind, store_export_cb cb,
                               void *ctx)
{
    return st->import->export_rows(st, kind, cb, ctx);
}

/* During an import: the booking numbered booking_no as stored (*out, OUT, strings in a), for an
 * upsert to compare a row with. HC_ENOENT when there is none. Rows the import holds back are not
 * seen (store_import_flush first when that matters). */
static inline int store_import_booking_get(struct hc_store *st, const char *booking_no,
                                           struct hc_arena *a, struct store_import_known *out)
{
    return st->import->import_booking_get(st, booking_no, a, out);
}

/* During an import: the person whose local_id is local_id, with the number of their bookings
 * (*out, OUT, strings in a). HC_ENOENT when there is none. */
static inline int store_import_person_get(struct hc_store *st, const char *local_id,
                                          struct hc_arena *a, struct store_import_person *out)
{
    return st->import->import_person_get(st, local_id, a, out);
}

/* Commit the import's transaction without its "import.commit" audit entry: for an upsert that
 * inserted no row, whose changes carry entries of their own. HC_EINVAL when a row was inserted
 * or held (then store_import_commit is the way) or no import is open; the import is then rolled
 * back. */
static inline int store_import_commit_plain(struct hc_store *st)
{
    return st->import->import_commit_plain(st);
}

/* The answer kept for idempotency key key (*out, OUT, strings in a): HC_ENOENT when the key
 * was never answered. Call it inside the transaction that will store the key's answer, so two
 * pushes with one key take turns. */
static inline int store_feed_key_get(struct hc_store *st, const char *key, struct hc_arena *a,
                                     struct store_feed_key *out)
{
    return st->import->feed_key_get(st, key, a, out);
}

/* Keep answer k under idempotency key key. A row operation: call it inside the transaction of
 * the push it answers. STORE_ECONFLICT when the key is kept already. */
static inline int store_feed_key_put(struct hc_store *st, const char *key,
                                     const struct store_feed_key *k)
{
    return st->import->feed_key_put(st, key, k);
}

#endif

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
    int (*import_begin)(struct hc_store *st, enum store_kind kind, store_import_report_fn report,
                        void *ctx);
    int (*import_row)(struct hc_store *st, const struct store_import_row *r, struct hc_diag *d);
    int (*import_flush)(struct hc_store *st);
    int (*import_commit)(struct hc_store *st, const char *actor, const char *source,
                         const char *format, struct store_import_summary *out);
    int (*export_rows)(struct hc_store *st, enum store_kind kind, store_export_cb cb, void *ctx);
};

/* The operation names in table order. A backend fills its table with STORE_IMPORT_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_IMPORT_OPS(OP) OP(import_begin) OP(import_row) OP(import_flush) OP(import_commit) \
    OP(export_rows)

/* Start importing rows of one kind: opens a transaction (BEGIN IMMEDIATE) that holds every row
 * and the import's single audit entry, and starts the rows' hash. Finish with
 * store_import_commit, or abandon everything with store_rollback. One import at a time per
 * handle; it must not be nested in another transaction. report(ctx, ...) is told of each row
 * that store_import_row held back and the database then refused. */
static inline int store_import_begin(struct hc_store *st, enum store_kind kind,
                                     store_import_report_fn report, void *ctx)
{
    return st->import->import_begin(st, kind, report, ctx);
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

/* Bookings and charges are inserted in batches (docs/import.md, "Speed"): store_import_row may
 * copy a valid row and return HC_OK before inserting it. A refused row of a batch is passed to
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

#endif

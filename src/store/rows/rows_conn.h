/* SPDX-License-Identifier: MIT
 * rows_conn.h: the error code every area of the store may return beyond err.h's, as a constant
 * that layers which must not call the store (src/http) can still test for and map to a status.
 * store_strerror (store_conn.h) names it. And the callback of store_changes and the number of
 * marks behind it. */
#ifndef HC_ROWS_CONN_H
#define HC_ROWS_CONN_H

#include <stddef.h>

/* A unique key (booking_no, local_id) already exists. err.h has no code for it yet;
 * NEEDSWORK: move to err.h as HC_EEXIST. store_strerror() knows it. */
#define STORE_ECONFLICT (-32)

/* Called by store_changes with the number of one booking whose record changed (len bytes, not
 * NUL-terminated; valid during the call only). */
typedef void (*store_change_cb)(void *ctx, const char *booking_no, size_t len);

/* How many marks of changed records (store_changes) the database keeps at the least: the
 * newest STORE_MARKS_KEPT. store_changes lists at most one fewer one by one, whatever limit it
 * is given, so that a reader that missed a mark the database deleted is told to forget
 * everything. The schema's trim (sqlite_schema.c and pg_schema.c, version 17) holds the number
 * as text: never change one without a migration that changes the other. */
#define STORE_MARKS_KEPT 8192

#endif

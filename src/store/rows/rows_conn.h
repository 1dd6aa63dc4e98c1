/* SPDX-License-Identifier: MIT
 * rows_conn.h: the error code every area of the store may return beyond err.h's, as a constant
 * that layers which must not call the store (src/http) can still test for and map to a status.
 * store_strerror (store_conn.h) names it. And the callback of store_changes. */
#ifndef HC_ROWS_CONN_H
#define HC_ROWS_CONN_H

#include <stddef.h>

/* A unique key (booking_no, local_id) already exists. err.h has no code for it yet;
 * NEEDSWORK: move to err.h as HC_EEXIST. store_strerror() knows it. */
#define STORE_ECONFLICT (-32)

/* Called by store_changes with the number of one booking whose record changed (len bytes, not
 * NUL-terminated; valid during the call only). */
typedef void (*store_change_cb)(void *ctx, const char *booking_no, size_t len);

#endif

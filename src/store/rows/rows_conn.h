/* SPDX-License-Identifier: MIT
 * rows_conn.h: the error code every area of the store may return beyond err.h's, as a constant
 * that layers which must not call the store (src/http) can still test for and map to a status.
 * store_strerror (store_conn.h) names it. */
#ifndef HC_ROWS_CONN_H
#define HC_ROWS_CONN_H

/* A unique key (booking_no, local_id) already exists. err.h has no code for it yet;
 * NEEDSWORK: move to err.h as HC_EEXIST. store_strerror() knows it. */
#define STORE_ECONFLICT (-32)

#endif

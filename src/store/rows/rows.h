/* SPDX-License-Identifier: MIT
 * rows.h: holdcheck's records as every layer above the store passes them around (people,
 * bookings, requests, users, the public portal's and the console's rows), as one header for
 * callers that use several areas. Types and constants only: no store function is declared here,
 * so a layer that sees only src/store/rows (src/http) can name a record but never call the store.
 * Each store_<area>.h includes its rows_<area>.h and adds the operations. */
#ifndef HC_ROWS_H
#define HC_ROWS_H

#include "rows_audit.h"
#include "rows_conn.h"
#include "rows_console.h"
#include "rows_import.h"
#include "rows_public.h"
#include "rows_readlog.h"
#include "rows_records.h"
#include "rows_requests.h"
#include "rows_taskforce.h"
#include "rows_victims.h"
#include "rows_users.h"

#endif

/* SPDX-License-Identifier: MIT
 * rows_import.h: the kinds and rows of a bulk import, its summary, and the callbacks of import and
 * export, as holdcheck's layers pass them around. Types only: the operations on them are
 * store_import.h's, which includes this header. Code that must not call the store (src/http) sees
 * these through src/store/rows alone. */
#ifndef HC_ROWS_IMPORT_H
#define HC_ROWS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rows_records.h"

/* What `holdcheck import` loads and `holdcheck export` writes: one kind of row per file. */
enum store_kind {
    STORE_KIND_PEOPLE = 1,
    STORE_KIND_BOOKINGS,
    STORE_KIND_CHARGES,
    STORE_KIND_CONVICTIONS
};

/* How an import will write (store_import_begin). */
enum store_import_flags {
    STORE_IMPORT_IN_PLACE = 1 << 0 /* mostly changes stored rows (an upsert), adds few */
};

/* One validated row of an import. Which members are read depends on the kind of the import:
 * people: person (id ignored; local_id required);
 * bookings: booking (id and person_id ignored) and person_local_id;
 * charges: charge and booking_no;
 * convictions: conviction and person_local_id.
 * The store checks only what the schema checks and that the reference exists: callers validate
 * formats (citations, dates, levels) first. */
struct store_import_row {
    struct store_person person;
    struct store_booking booking;
    struct store_charge charge;
    struct store_conviction conviction;
    const char *person_local_id; /* bookings, convictions: the person's local_id */
    const char *booking_no;      /* charges: the booking's number */
    long tag;                    /* the caller's number for the row (its line), given back by
                                  * the import's report function (store_import_begin) */
};

/* Called with a row that store_import_row held back (tag is its r->tag) and the database then
 * refused: rc and d are what store_import_row would have returned for it. */
typedef void (*store_import_report_fn)(void *ctx, long tag, int rc, const struct hc_diag *d);

/* What one committed import wrote, as recorded in its audit entry. */
struct store_import_summary {
    int64_t rows;           /* rows inserted */
    int64_t first_id;       /* row ids first_id..last_id of the kind's table (0 when no rows) */
    int64_t last_id;
    int64_t audit_seq;      /* the audit entry */
    char rows_hash[65];     /* hex BLAKE2b-256 of the rows (docs/import.md, "Audit") */
};

/* Called by store_export with one row: v[0..n) are the columns in the order of docs/import.md
 * (NULL for SQL NULL; booleans as "true"/"false"). The strings live until cb returns. A
 * non-zero return stops the export, which returns that value. */
typedef int (*store_export_cb)(void *ctx, const char *const *v, size_t n);

/* A booking an upsert names, as stored (store_import_booking_get): its changeable columns and
 * what may not change (its booking time and its person). Strings in the caller's arena. */
struct store_import_known {
    int64_t booking_id;
    const char *booked_at;
    const char *person_local_id; /* NULL when the person has none */
    struct store_booking_state state;
};

/* A person an upsert names, as stored (store_import_person_get). */
struct store_import_person {
    struct store_person person; /* id set; strings in the caller's arena */
    int64_t bookings;           /* how many bookings the person has */
    int64_t last_booking_id;    /* the newest of them (highest id), 0 when none */
};

/* A push of the feed answered before (store_feed_key_get): the hash of its body and the answer
 * given, to give again. Strings in the caller's arena. */
struct store_feed_key {
    const char *body_hash; /* hex BLAKE2b-256 of the body */
    int status;            /* the HTTP status answered */
    const char *answer;    /* the body answered */
};

#endif

/* SPDX-License-Identifier: MIT
 * pg_int.h: shared inside the PostgreSQL backend only (src/store/pg_*.c). pg_conn.c holds the
 * connection, its agency, transactions and migrations; pg_schema.c the schema. Nothing outside
 * src/store includes this header. */
#ifndef HC_PG_INT_H
#define HC_PG_INT_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One migration: the schema is at version after its steps (SQL texts, NULL-terminated) run in
 * order, in one transaction (pg_schema.c). */
struct pg_migration {
    int version;
    const char *const *steps;
};
extern const struct pg_migration pg_migrations[];
extern const size_t pg_nmigrations;

/* One connection to a PostgreSQL database, acting for one agency. */
struct store_pg {
    struct hc_store base; /* first: the dispatch wrappers cast through it */
    PGconn *conn;
    int depth;      /* transaction nesting; 0 = none open */
    int reading;    /* a store_read_begin transaction is open */
    int64_t agency; /* the agencies row this connection acts for; 0 = none (migrate only) */
};

static inline struct store_pg *pgs(struct hc_store *st)
{
    return (struct store_pg *)st;
}

/* Run sql (one or more statements, no parameters) outside any prepared statement. Returns
 * HC_OK or pg_map_result's code for the failure. */
int pg_exec_sql(struct store_pg *s, const char *sql);

/* The HC_E* code of a finished command: HC_OK for a success; for an error its SQLSTATE class
 * decides, as sq_map_rc does for SQLite (23505 unique: STORE_ECONFLICT; 23503 foreign key:
 * HC_ENOENT; other integrity and check violations: HC_EINVAL; anything else: HC_EIO, logged).
 * Does not clear r. */
int pg_map_result(const PGresult *r);

/* Connect to the database conninfo names (a libpq connection string or postgresql:// URL) into
 * *out, acting for the agency whose slug is agency (NULL: none, for migrations). Unless flags has
 * STORE_OPEN_ANY_SCHEMA the schema must be at STORE_SCHEMA_VERSION. Returns HC_OK; HC_EIO (cannot
 * connect), HC_ERANGE (schema too old or new) or HC_ENOENT (no such agency) with the reason in d,
 * and *out NULL. Only the connection's operations (base.conn) are set; close with store_close. */
int pg_open(const char *conninfo, const char *agency, int flags, struct store_pg **out,
            struct hc_diag *d);

#endif

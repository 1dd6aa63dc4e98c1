/* SPDX-License-Identifier: MIT
 * pg_int.h: shared inside the PostgreSQL backend only (src/store/pg_*.c). pg_conn.c holds the
 * connection, its agency, transactions and migrations; pg_schema.c the schema. Nothing outside
 * src/store includes this header. */
#ifndef HC_PG_INT_H
#define HC_PG_INT_H

#include <jansson.h>
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

/* Statement slots (pg_run): each file of the backend keeps its statements, beside the code
 * that reads their columns, in a range of its own. */
#define PG_X_AUDIT 0 /* pg_audit.c: 0..7 */
#define PG_STMT_MAX 8

/* One connection to a PostgreSQL database, acting for one agency. */
struct store_pg {
    struct hc_store base; /* first: the dispatch wrappers cast through it */
    PGconn *conn;
    int depth;      /* transaction nesting; 0 = none open */
    int reading;    /* a store_read_begin transaction is open */
    int64_t agency; /* the agencies row this connection acts for; 0 = none (migrate only) */
    unsigned char prepared[PG_STMT_MAX]; /* slot i is prepared on this connection */
};

/* The parameters of one statement, as text (PostgreSQL converts them to the columns' types). */
#define PG_PARAMS_MAX 16
struct pg_params {
    int n;
    const char *v[PG_PARAMS_MAX]; /* NULL: SQL NULL */
    char num[PG_PARAMS_MAX][24];  /* the text of numeric parameters */
};

/* Append a parameter: a string (NULL for SQL NULL), or a number. At most PG_PARAMS_MAX. */
void pg_param_str(struct pg_params *p, const char *v);
void pg_param_i64(struct pg_params *p, int64_t v);

/* Run the statement of slot (0..PG_STMT_MAX-1; a slot always holds the same sql) with params p
 * (NULL: none), prepared on this connection on first use. Returns its result, which the caller
 * PQclears, with *rc HC_OK; or NULL with *rc the failure (pg_map_result's code; HC_EIO when
 * the statement could not be prepared). */
PGresult *pg_run(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 int *rc);

/* pg_audit.c: append an entry for action on entity by actor with payload (a JSON object) after
 * the head of this agency's chain (the backend's audit_append). Must run inside the write's
 * transaction; entries of one agency are appended one at a time, in the order their
 * transactions take the chain's lock. */
int pg_audit_append(struct hc_store *st, const char *actor, const char *action,
                    const char *entity, const json_t *payload);
/* Each area's table, filled by the area's STORE_<AREA>_OPS list: operation x is pg_x. */
#define PG_OP(x) .x = pg_##x,

extern const struct store_audit_ops pg_audit_ops;

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

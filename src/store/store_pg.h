/* SPDX-License-Identifier: MIT
 * store_pg.h: opening a PostgreSQL store. The PostgreSQL backend (src/store/pg_*.c) is built as
 * a module of its own, holdcheck-pg.so, linked with libpq, which the command line loads (dlopen)
 * only for a postgresql:// database: libpq and its Kerberos and LDAP libraries then never enter
 * a process that serves a SQLite file (docs/scaling.md, "Where the PostgreSQL backend stands").
 * The module takes the rest of the store (chain, fields, statements) from the program, which
 * exports its symbols for it. */
#ifndef HC_STORE_PG_H
#define HC_STORE_PG_H

#include "store_conn.h"

/* Whether db names a PostgreSQL database (a postgresql:// or postgres:// URL) rather than a
 * SQLite file. */
static inline int store_is_pg_url(const char *db)
{
    static const char *const schemes[] = {"postgresql://", "postgres://"};
    size_t i, n;
    for (i = 0; i < 2; i++) {
        for (n = 0; schemes[i][n] != '\0' && db[n] == schemes[i][n]; n++)
            ;
        if (schemes[i][n] == '\0')
            return 1;
    }
    return 0;
}

/* The module's entry point, found by this name (dlsym). Open the PostgreSQL database url into
 * *out: a libpq URL whose query may carry agency=SLUG, the agency the connection acts for (taken
 * out before libpq sees the URL); without one the connection acts for no agency, which only
 * migrating may do. flags: STORE_OPEN_ANY_SCHEMA as for store_sqlite_open (STORE_OPEN_CREATE
 * and STORE_OPEN_BACKGROUND mean nothing here). Returns 0; HC_EIO (cannot connect), HC_ERANGE
 * (schema too old or too new), HC_ENOENT (no such agency) or HC_EINVAL (a malformed URL), with
 * the reason in d and *out NULL. The areas the backend has are set in *out; an area it does not
 * have yet is NULL. Free with store_close. */
#define STORE_PG_OPEN_SYMBOL "store_pg_open"
typedef int (*store_pg_open_fn)(const char *url, int flags, struct hc_store **out,
                                struct hc_diag *d);
int store_pg_open(const char *url, int flags, struct hc_store **out, struct hc_diag *d);

#endif

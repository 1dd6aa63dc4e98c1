/* SPDX-License-Identifier: MIT
 * migrate.h: what both backends share of migrating a schema: walking their list of migrations
 * from the database's version, each pending one in a transaction of its own. For the backends'
 * files only (src/store). */
#ifndef HC_STORE_MIGRATE_H
#define HC_STORE_MIGRATE_H

#include <stddef.h>

#include "store_conn.h"

/* A backend's list of migrations: n of them, in version order. version(i) is the version the
 * schema is at after migration i; apply(st, i) runs migration i, and records the schema's new
 * version, inside the transaction store_migrate_walk opened (HC_OK, or an error that rolls the
 * migration back whole). */
struct store_migrations {
    size_t n;
    int (*version)(size_t i);
    int (*apply)(struct hc_store *st, size_t i);
    /* Optional (NULL: nothing to do): what migration i needs done outside its transaction, run
     * before the transaction opens (done = 0) and after it ends, committed or rolled back
     * (done = 1), such as SQLite's foreign_keys pragma, which a transaction ignores. An error
     * before stops the walk with nothing applied; after, it is returned once the migration's
     * outcome is settled. */
    int (*outside)(struct hc_store *st, size_t i, int done);
};

/* The conn->migrate of a backend: bring st's schema from its version (*from) through every
 * later migration of m, each committed on its own; *to is the version reached, also when a
 * migration fails. HC_ERANGE when the database is newer than this build. */
int store_migrate_walk(struct hc_store *st, const struct store_migrations *m, int *from,
                       int *to);

#endif

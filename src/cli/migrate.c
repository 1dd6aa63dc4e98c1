/* SPDX-License-Identifier: MIT
 * migrate.c: `holdcheck migrate --db PATH`: create the database if needed and bring its schema to
 * the version this build knows (the versioned list in src/store/sqlite.c, user_version pragma). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck migrate --db PATH|URL\n  Create the SQLite database at PATH if missing"
          " and apply every pending migration (a PostgreSQL URL: as the database's owner).\n", f);
}

int cli_migrate(int argc, char **argv)
{
    const char *db = NULL;
    struct hc_store *st = NULL;
    int from = 0, to = 0, rc;
    int64_t filled = 0;

    const struct cli_opt opts[] = {{"--db", &db}};

    if (!cli_opts("migrate", argc, argv, 1, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (db == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_connect("migrate", db, STORE_OPEN_CREATE | STORE_OPEN_ANY_SCHEMA, &st) != 0)
        return CLI_EXIT_USAGE;
    rc = store_migrate(st, &from, &to);
    /* Migration 4 added people.name_key, which SQL cannot compute (src/core/namekey.c): fill
     * it here, so the server does not have to when it starts. (A PostgreSQL database began
     * after it: its people are written with their keys.) */
    if (rc == HC_OK && st->pub != NULL && (rc = store_namekey_backfill(st, &filled)) == HC_OK &&
        filled > 0)
        printf("migrate: %s: filled the search keys of %" PRId64 " people\n", db, filled);
    store_close(st);
    if (rc == HC_ERANGE) {
        fprintf(stderr, "holdcheck migrate: %s: schema version %d is newer than this holdcheck (%d)\n",
                db, from, STORE_SCHEMA_VERSION);
        return CLI_EXIT_SOFTWARE;
    }
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck migrate: %s: failed at version %d: %s\n", db, to,
                store_strerror(rc));
        return CLI_EXIT_SOFTWARE;
    }
    if (from == to)
        printf("migrate: %s is at schema version %d; nothing to do\n", db, to);
    else
        printf("migrate: %s: schema version %d -> %d\n", db, from, to);
    return CLI_EXIT_OK;
}

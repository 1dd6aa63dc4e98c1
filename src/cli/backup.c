/* SPDX-License-Identifier: MIT
 * backup.c: `holdcheck backup --db PATH --out FILE`: a consistent copy of a database in use
 * (store_sqlite_backup), for the owner alone; restoring it is docs/operations.md's steps. */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck backup --db PATH --out FILE\n"
          "  Copy the database at PATH, while the server keeps writing, to the new file FILE\n"
          "  (mode 0600; an existing FILE is never overwritten), and check the copy.\n", f);
}

int cli_backup(int argc, char **argv)
{
    const char *db = NULL, *out = NULL;
    const struct cli_opt opts[] = {{"--db", &db}, {"--out", &out}};
    struct hc_diag d;
    int64_t pages = 0;
    int rc;

    hc_diag_clear(&d);
    if (!cli_opts("backup", argc, argv, 1, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (db == NULL || out == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!cli_db_exists("backup", db))
        return CLI_EXIT_USAGE;
    rc = store_sqlite_backup(db, out, &pages, &d);
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck backup: %s: %s%s\n", d.field[0] ? d.field : out, d.msg,
                rc == STORE_ECONFLICT ? " (choose a new name; a backup never overwrites)" : "");
        return rc == STORE_ECONFLICT ? CLI_EXIT_USAGE : CLI_EXIT_SOFTWARE;
    }
    printf("backup: %s -> %s: %" PRId64 " pages, integrity ok\n", db, out, pages);
    printf("backup: check its audit chain with: holdcheck audit verify --db %s\n", out);
    return CLI_EXIT_OK;
}

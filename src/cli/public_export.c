/* SPDX-License-Identifier: MIT
 * public_export.c: `holdcheck public-export --db PATH --format csv|jsonl [--out FILE]`: write
 * the public export (docs/public-api.md, "Bulk export") under the database's publication
 * policy, the same bytes a daily snapshot of the server holds. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "catalog_builtin.h"
#include "cli.h"
#include "deliver.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck public-export --db PATH --format csv|jsonl [--out FILE] "
          "[--catalog DIR]\n"
          "  Write the published fields of every publicly listed booking (docs/public-api.md).\n",
          f);
}

int cli_public_export(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *outp = NULL, *catdir = NULL;
    struct hc_store *st = NULL;
    struct hc_catalog cat;
    struct hc_diag d;
    FILE *out = stdout;
    int64_t rows = 0, filled = 0;
    int rc, csv, ret = CLI_EXIT_SOFTWARE, cat_loaded = 0;
    const struct cli_opt opts[] = {
        {"--db", &db}, {"--format", &format}, {"--out", &outp}, {"--catalog", &catdir}};

    hc_diag_clear(&d);
    if (!cli_opts("public-export", argc, argv, 1, opts, sizeof opts / sizeof opts[0], usage,
                  &rc))
        return rc;
    if (db == NULL || format == NULL ||
        (strcmp(format, "csv") != 0 && strcmp(format, "jsonl") != 0)) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    csv = strcmp(format, "csv") == 0;
    if (cli_store_open("public-export", db, 0, &st) != 0) {
        return CLI_EXIT_USAGE;
    }
    if (cli_catalog_load(&cat, catdir) != HC_OK)
        goto out;
    cat_loaded = 1;
    /* People stored before migration 4 have no search key yet; the export does not need it,
     * but filling it here keeps the database as serve would leave it. */
    if ((rc = store_namekey_backfill(st, &filled)) != HC_OK) {
        fprintf(stderr, "holdcheck public-export: %s: %s\n", db, store_strerror(rc));
        goto out;
    }
    if (outp != NULL && (out = fopen(outp, "w")) == NULL) {
        perror(outp);
        ret = CLI_EXIT_USAGE;
        goto out;
    }
    rc = deliver_export(st, &cat, csv, out, &rows, NULL);
    if (fflush(out) != 0)
        rc = HC_EIO;
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck public-export: %s\n", store_strerror(rc));
        goto out;
    }
    fprintf(stderr, "public-export: %" PRId64 " records\n", rows);
    ret = CLI_EXIT_OK;
out:
    if (out != stdout && out != NULL)
        fclose(out);
    if (cat_loaded)
        cli_catalog_free();
    store_close(st);
    return ret;
}

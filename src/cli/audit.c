/* SPDX-License-Identifier: MIT
 * audit.c: `holdcheck audit verify --db PATH`: walk the audit_log hash chain. Exit 0 when it is
 * intact, 1 naming the first entry that fails. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck audit verify --db PATH\n"
          "  Recompute the audit log's hash chain. Exit 0: intact; 1: broken (the first bad\n"
          "  entry is named); 2: usage or unreadable database.\n", f);
}

int cli_audit(int argc, char **argv)
{
    const char *db = NULL;
    struct hc_store *st = NULL;
    struct store_audit_report rep;
    struct hc_diag d;
    int i, rc;

    hc_diag_clear(&d);
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else {
            fprintf(stderr, "holdcheck audit: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (db == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (store_sqlite_open(db, 0, &st, &d) != HC_OK) {
        fprintf(stderr, "holdcheck audit: %s: %s\n", db, d.msg);
        return CLI_EXIT_USAGE;
    }
    rc = store_audit_verify(st, &rep);
    store_close(st);
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck audit: %s: %s\n", db, store_strerror(rc));
        return CLI_EXIT_SOFTWARE;
    }
    if (rep.bad_seq != 0) {
        printf("audit: chain broken at seq %" PRId64 ": %s (%" PRId64 " entries read)\n",
               rep.bad_seq, rep.reason, rep.entries);
        return CLI_EXIT_INPUT;
    }
    printf("audit: %" PRId64 " entries, chain intact, head %s\n", rep.entries,
           rep.head[0] ? rep.head : "(empty)");
    return CLI_EXIT_OK;
}

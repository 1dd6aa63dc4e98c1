/* SPDX-License-Identifier: MIT
 * audit.c: `holdcheck audit verify --db PATH [--anchor SEQ:HASH]`: walk the audit_log hash
 * chain, and check an anchor taken earlier (src/app/anchor.h). Exit 0 when both hold, 1
 * naming the first entry that fails or how the anchor fails. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "anchor.h"
#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck audit verify --db PATH [--anchor SEQ:HASH]\n"
          "  Recompute the audit log's hash chain and print its head as an anchor (SEQ:HASH):\n"
          "  keep that outside the database. With --anchor, also check that entry SEQ still has\n"
          "  HASH, which a log rewritten whole since the anchor was taken fails.\n"
          "  Exit 0: intact; 1: broken (the first bad entry is named) or the anchor fails;\n"
          "  2: usage or unreadable database.\n", f);
}

int cli_audit(int argc, char **argv)
{
    const char *db = NULL, *anchor = NULL, *why = NULL;
    struct hc_store *st = NULL;
    struct store_audit_report rep;
    struct hc_diag d;
    char hash[ANCHOR_HASH_HEX + 1];
    static char mem[1 << 16];
    struct hc_arena a;
    int64_t aseq = 0;
    int rc, held = 1;
    const struct cli_opt opts[] = {{"--db", &db}, {"--anchor", &anchor}};

    hc_diag_clear(&d);
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!cli_opts("audit", argc, argv, 2, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (db == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (anchor != NULL && anchor_parse(anchor, &aseq, hash, &d) != HC_OK) {
        fprintf(stderr, "holdcheck audit: --anchor: %s\n", d.msg);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("audit", db, &st) != 0) {
        return CLI_EXIT_USAGE;
    }
    rc = store_audit_verify(st, &rep);
    if (rc == HC_OK && anchor != NULL) {
        hc_arena_init(&a, mem, sizeof mem);
        held = anchor_check(st, aseq, hash, &a, &why);
        if (held < 0)
            rc = held;
    }
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
    if (!held) {
        printf("audit: anchor %" PRId64 " fails: %s\n", aseq, why);
        return CLI_EXIT_INPUT;
    }
    printf("audit: %" PRId64 " entries, chain intact, head %s\n", rep.entries,
           rep.head[0] ? rep.head : "(empty)");
    if (anchor != NULL)
        printf("audit: anchor %" PRId64 " holds\n", aseq);
    if (rep.head[0])
        printf("anchor: %" PRId64 ":%s\n", rep.entries, rep.head);
    return CLI_EXIT_OK;
}

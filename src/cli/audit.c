/* SPDX-License-Identifier: MIT
 * audit.c: `holdcheck audit verify --db PATH [--anchor SEQ:HASH]`: walk the audit_log hash
 * chain, check the records it vouches for against it, and check an anchor taken earlier
 * (src/app/anchor.h). Exit 0 when all hold, 1 naming the first entry that fails, each row that
 * disagrees (table and id) or how the anchor fails. `holdcheck audit bind --db PATH`: bind the
 * rows written before rows were bound into the chain, in one entry that says so. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "anchor.h"
#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck audit verify --db PATH [--anchor SEQ:HASH]\n"
          "       holdcheck audit bind --db PATH\n"
          "  verify: recompute the audit log's hash chain and print its head as an anchor\n"
          "  (SEQ:HASH): keep that outside the database. Then check every decision, override,\n"
          "  notice and booking against the content hash of the latest entry that bound it:\n"
          "  a row edited, replaced, deleted or written around holdcheck is named with its\n"
          "  table and id. With --anchor, also check that entry SEQ still has HASH, which a\n"
          "  log rewritten whole since the anchor was taken fails.\n"
          "  bind: after an upgrade, bind the rows written before rows were bound, in one\n"
          "  entry \"audit.bind\" that says it vouches for them as they are now.\n"
          "  Exit 0: intact; 1: broken (the first bad entry is named), rows disagree with the\n"
          "  chain, or the anchor fails; 2: usage or unreadable database.\n", f);
}

/* Print the rows of rep that disagree with the chain, one a line. */
static void print_rows(const struct store_audit_report *rep)
{
    size_t i;
    for (i = 0; i < rep->nrows; i++) {
        const struct store_audit_row *r = &rep->row[i];
        switch (r->problem) {
        case STORE_AUDIT_ROW_UNBOUND:
            printf("audit: %s id %" PRId64 ": no entry binds this row (written around"
                   " holdcheck, or before rows were bound: see `holdcheck audit bind`)\n",
                   r->table, r->id);
            break;
        case STORE_AUDIT_ROW_CHANGED:
            printf("audit: %s id %" PRId64 ": differs from its binding in entry %" PRId64
                   " (edited or replaced)\n", r->table, r->id, r->seq);
            break;
        case STORE_AUDIT_ROW_DELETED:
            printf("audit: %s id %" PRId64 ": bound by entry %" PRId64 " and missing"
                   " (deleted)\n", r->table, r->id, r->seq);
            break;
        }
    }
    if (rep->row_problems > (int64_t)rep->nrows)
        printf("audit: ... and %" PRId64 " more rows\n", rep->row_problems - (int64_t)rep->nrows);
}

/* `audit bind --db PATH`: st is open. */
static int audit_bind(struct hc_store *st, const char *db)
{
    struct store_audit_report rep;
    int64_t n = 0;
    int rc = store_audit_verify(st, &rep);
    if (rc == HC_OK && rep.bad_seq != 0) {
        printf("audit: chain broken at seq %" PRId64 ": %s; nothing bound\n", rep.bad_seq,
               rep.reason);
        return CLI_EXIT_INPUT;
    }
    if (rc == HC_OK)
        rc = store_audit_bind(st, "cli", &n);
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck audit: %s: %s\n", db, store_strerror(rc));
        return CLI_EXIT_SOFTWARE;
    }
    if (n == 0)
        printf("audit: every row is bound already; nothing written\n");
    else
        printf("audit: bound %" PRId64 " rows that no entry bound, in one entry (audit.bind)\n",
               n);
    return CLI_EXIT_OK;
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
    int rc, held = 1, bind;
    const struct cli_opt opts[] = {{"--db", &db}, {"--anchor", &anchor}};

    hc_diag_clear(&d);
    if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "bind") != 0)) {
        if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bind = strcmp(argv[1], "bind") == 0;
    if (!cli_opts("audit", argc, argv, 2, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (db == NULL || (bind && anchor != NULL)) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (anchor != NULL && anchor_parse(anchor, &aseq, hash, &d) != HC_OK) {
        fprintf(stderr, "holdcheck audit: --anchor: %s\n", d.msg);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("audit", db, 0, &st) != 0) {
        return CLI_EXIT_USAGE;
    }
    if (bind) {
        rc = audit_bind(st, db);
        store_close(st);
        return rc;
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
        printf("audit: chain broken at seq %" PRId64 ": %s (%" PRId64 " entries read);"
               " rows not checked\n", rep.bad_seq, rep.reason, rep.entries);
        return CLI_EXIT_INPUT;
    }
    if (!held) {
        printf("audit: anchor %" PRId64 " fails: %s\n", aseq, why);
        return CLI_EXIT_INPUT;
    }
    if (rep.row_problems != 0) {
        print_rows(&rep);
        printf("audit: %" PRId64 " entries, chain intact; %" PRId64 " of %" PRId64
               " bound rows disagree with it\n", rep.entries, rep.row_problems, rep.bound_rows);
        return CLI_EXIT_INPUT;
    }
    printf("audit: %" PRId64 " entries, chain intact, head %s\n", rep.entries,
           rep.head[0] ? rep.head : "(empty)");
    printf("audit: %" PRId64 " bound rows (decisions, overrides, notices, bookings, actions)"
           " agree with the chain\n", rep.bound_rows);
    if (anchor != NULL)
        printf("audit: anchor %" PRId64 " holds\n", aseq);
    if (rep.head[0])
        printf("anchor: %" PRId64 ":%s\n", rep.entries, rep.head);
    return CLI_EXIT_OK;
}

/* SPDX-License-Identifier: MIT
 * readlog.c: `holdcheck readlog --db PATH [--user U] [--from D] [--to D] [--kind K]
 * [--object O] [--format json|csv]` prints the read-access log (docs/operations.md,
 * "Read-access log"), every matching entry oldest first, and logs that it was read;
 * `holdcheck readlog prune --db PATH [--days N]` deletes the entries older than N days
 * (default 365). Decoding the command line is all this file does: src/app/readlog.c queries,
 * encodes and prunes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "clock.h"
#include "cli.h"
#include "readlog.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck readlog --db PATH [--user NAME] [--from DATE] [--to DATE]\n"
          "                         [--kind KIND] [--object ID] [--format json|csv]\n"
          "       holdcheck readlog prune --db PATH [--days N]\n"
          "Try 'holdcheck readlog --help' for the details.\n",
          f);
}

#define PAGE 1000
#define ARENA_BYTES ((size_t)PAGE * sizeof(struct store_read_entry) + 4096)
#define CSV_BYTES ((size_t)PAGE * 1024)

/* Log this reading itself: the CLI's own actor, the local host, the options given. */
static void log_self(struct hc_store *st, const char *options)
{
    if (readlog_write_cli(st, "holdcheck readlog", READLOG_READ_LOG, options) != HC_OK)
        fputs("holdcheck readlog: warning: this reading could not be logged\n", stderr);
}

/* Print every entry q selects, page by page. Returns an exit code. */
static int print_all(struct hc_store *st, struct readlog_query *q, int csv)
{
    char *mem = cli_xmalloc(ARENA_BYTES), *out = csv ? cli_xmalloc(CSV_BYTES) : NULL;
    struct hc_arena a;
    struct hc_diag d;
    int first = 1, rc = CLI_EXIT_OK;

    hc_diag_clear(&d);
    q->limit = PAGE;
    for (;;) {
        struct store_read_entry *e = NULL;
        size_t n = 0, i;
        int64_t next = 0;
        int r;
        hc_arena_init(&a, mem, ARENA_BYTES);
        if ((r = readlog_list(st, q, &a, &e, &n, &next, &d)) != HC_OK) {
            if (r == HC_EINVAL)
                fprintf(stderr, "holdcheck readlog: --%s: %s\n", d.field, d.msg);
            else
                fprintf(stderr, "holdcheck readlog: %s\n", r == READLOG_ENOTSUP
                        ? "this database has no read-access log"
                        : store_strerror(r));
            rc = r == HC_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SOFTWARE;
            break;
        }
        if (csv) {
            struct hc_buf b;
            hc_buf_init(&b, out, CSV_BYTES);
            readlog_csv(e, n, first, &b);
            if (fwrite(b.data, 1, b.len, stdout) != b.len)
                rc = CLI_EXIT_SOFTWARE;
        } else {
            for (i = 0; i < n; i++) {
                json_t *o = readlog_entry_json(&e[i]);
                char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
                if (s != NULL)
                    puts(s);
                free(s);
                json_decref(o);
            }
        }
        first = 0;
        if (next == 0)
            break;
        q->cursor = next;
    }
    if (fflush(stdout) != 0) {
        fputs("holdcheck readlog: write failed\n", stderr);
        rc = CLI_EXIT_SOFTWARE;
    }
    free(mem);
    free(out);
    return rc;
}

static int prune(int argc, char **argv)
{
    const char *db = NULL, *days = NULL;
    const struct cli_opt opts[] = {{"--db", &db}, {"--days", &days}};
    struct hc_store *st = NULL;
    char *end = NULL;
    long keep = READLOG_KEEP_DAYS_DEFAULT;
    int64_t removed = 0;
    int rc;

    if (!cli_opts("readlog", argc, argv, 2, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (days != NULL) {
        keep = strtol(days, &end, 10);
        if (end == days || *end != '\0' || keep < 0 || keep > 36500) {
            fputs("holdcheck readlog prune: --days: expected 0 (keep forever) to 36500\n", stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (db == NULL) {
        fputs("holdcheck readlog: --db PATH is required\n", stderr);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("readlog", db, 0, &st) != 0)
        return CLI_EXIT_USAGE;
    rc = readlog_prune(st, (int)keep, hc_clock_now(), &removed);
    store_close(st);
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck readlog prune: %s\n", store_strerror(rc));
        return CLI_EXIT_SOFTWARE;
    }
    printf("%" PRId64 " entries older than %ld days removed\n", removed, keep);
    return CLI_EXIT_OK;
}

int cli_readlog(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *cursor = NULL;
    struct readlog_query q;
    struct hc_store *st = NULL;
    const struct cli_opt opts[] = {{"--db", &db},         {"--user", &q.user},
                                   {"--from", &q.from},   {"--to", &q.to},
                                   {"--kind", &q.kind},   {"--object", &q.object},
                                   {"--format", &format}, {"--cursor", &cursor}};
    char options[STORE_READ_QUERY_LEN] = "";
    int rc, i, csv = 0;

    if (argc > 1 && strcmp(argv[1], "prune") == 0)
        return prune(argc, argv);
    memset(&q, 0, sizeof q);
    if (!cli_opts("readlog", argc, argv, 1, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (db == NULL) {
        fputs("holdcheck readlog: --db PATH is required\n", stderr);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        fputs("holdcheck readlog: --format: expected json or csv\n", stderr);
        return CLI_EXIT_USAGE;
    }
    csv = format != NULL && format[0] == 'c';
    if (cursor != NULL) {
        char *end = NULL;
        q.cursor = strtoll(cursor, &end, 10);
        if (end == cursor || *end != '\0' || q.cursor < 0) {
            fputs("holdcheck readlog: --cursor: expected a whole number\n", stderr);
            return CLI_EXIT_USAGE;
        }
    }
    /* The options given, as the entry of this reading records them (not --db). */
    for (i = 1; i + 1 < argc; i += 2) {
        size_t len = strlen(options);
        if (strcmp(argv[i], "--db") != 0)
            snprintf(options + len, sizeof options - len, "%s%s=%s", len ? "&" : "",
                     argv[i] + 2, argv[i + 1]);
    }
    if (cli_store_open("readlog", db, 0, &st) != 0)
        return CLI_EXIT_USAGE;
    rc = print_all(st, &q, csv);
    if (rc == CLI_EXIT_OK)
        log_self(st, options);
    store_close(st);
    return rc;
}

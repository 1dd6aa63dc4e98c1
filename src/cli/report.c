/* SPDX-License-Identifier: MIT
 * report.c: `holdcheck report [--check] KIND --db PATH [--year YYYY | --from D --to D]
 * [--format json|csv|html|pdf] [--lang en|es] [--agency NAME] [--out FILE] [--against FILE]
 * [--unredacted]`: a statutory report
 * (docs/reports.md) from the database, or with --check its figures recomputed independently
 * and compared. Decoding the command line is all this file does: reports_render and
 * reports_check (src/app/reports.h) build, encode and check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "catalog.h"
#include "catalog_builtin.h"
#include "cli.h"
#include "reports.h"
#include "store.h"

int cli_report(int argc, char **argv);

static void usage(FILE *f)
{
    fputs("usage: holdcheck report KIND --db PATH [--year YYYY | --from YYYY-MM-DD --to YYYY-MM-DD]\n"
          "                        [--format json|csv|html|pdf] [--lang en|es] [--agency NAME]\n"
          "                        [--out FILE] [--unredacted]\n"
          "       holdcheck report --check KIND --db PATH [period] [--against FILE]\n"
          "\n"
          "A statutory report from the stored records (docs/reports.md), for the calendar year\n"
          "(default: the current one in the local time zone, TZ) or the days --from to --to\n"
          "(inclusive, at most 366). Every figure carries the ids of the requests behind it.\n"
          "KIND:\n"
          "  doj-transfers             each transfer to immigration authorities and the basis\n"
          "                            that allowed it (Gov. Code 7284.6(c)(2))\n"
          "  releases-without-notice   releases of people with a notification request, by why\n"
          "                            no notice was given\n"
          "  truth-forum               the TRUTH Act forum packet (Gov. Code 7283.1(d)), in\n"
          "                            English or Spanish (--lang es)\n"
          "  cpra                      every record of ICE access and communication with ICE\n"
          "                            (Gov. Code 7283.1(c)), personal identifying information\n"
          "                            redacted, with a redaction log\n"
          "  task-force                the joint law enforcement task forces of the register\n"
          "                            (holdcheck task-force) and their arrests (7284.6(c)(1))\n"
          "\n"
          "--check recomputes every figure a second way (plain SQL tallies) and compares it with\n"
          "the report built now and, with --against FILE, with a JSON report written earlier;\n"
          "then verifies the audit chain and the records it vouches for. It prints one line a\n"
          "figure (ok or DIFF) and a summary.\n"
          "\n"
          "Options:\n"
          "  --db PATH        the database\n"
          "  --format F       json (default), csv, html (print-ready) or pdf\n"
          "  --agency NAME    the agency named in a PDF's header (default: the environment's\n"
          "                   HOLDCHECK_AGENCY_NAME, as for serve)\n"
          "  --out FILE       write there instead of standard output\n"
          "  --unredacted     cpra: the names and booking numbers as stored (the administrator's\n"
          "                   copy, not for release; written to the audit log as \"cli\")\n"
          "  -h, --help       this text\n"
          "\n"
          "Exit status: 0 done (with --check: no difference); 1 --check found a difference;\n"
          "2 usage error, bad period or unreadable database; 3 internal error.\n",
          f);
}

/* Take every flag out of argv[first..*argc) (a flag takes no value, so cli_opts cannot read
 * it); 1 when there was one. */
static int take_flag(int *argc, char **argv, int first, const char *flag)
{
    int i, j, found = 0;
    for (i = j = first; i < *argc; i++) {
        if (strcmp(argv[i], flag) == 0)
            found = 1;
        else
            argv[j++] = argv[i];
    }
    *argc = j;
    return found;
}

/* Write text to path ("-" or NULL: standard output). 0, or -1 after saying why. */
static int write_out(const char *path, const char *text, size_t len)
{
    FILE *f = stdout;
    int ok;
    if (path != NULL && strcmp(path, "-") != 0 && (f = fopen(path, "w")) == NULL) {
        perror(path);
        return -1;
    }
    ok = fwrite(text, 1, len, f) == len;
    if (fflush(f) != 0)
        ok = 0;
    if (f != stdout && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "holdcheck report: %s: write failed\n", path ? path : "stdout");
    return ok ? 0 : -1;
}

int cli_report(int argc, char **argv)
{
    const char *db = NULL, *year = NULL, *format = NULL, *outp = NULL, *against_path = NULL;
    char catalog_version[HC_CATALOG_VERSION_LEN];
    struct report_query q;
    struct hc_store *st = NULL;
    struct hc_diag d;
    char *text = NULL, *against = NULL, *end = NULL;
    size_t len = 0;
    int check = 0, first = 1, rc, differences = 0, ret = CLI_EXIT_SOFTWARE;
    const struct cli_opt opts[] = {{"--db", &db},         {"--year", &year},
                                   {"--from", &q.from},   {"--to", &q.to},
                                   {"--format", &format}, {"--lang", &q.lang},
                                   {"--out", &outp},      {"--against", &against_path},
                                   {"--agency", &q.agency}};

    memset(&q, 0, sizeof q);
    hc_diag_clear(&d);
    if (argc > first && strcmp(argv[first], "--check") == 0) {
        check = 1;
        first++;
    }
    if (argc <= first || argv[first][0] == '-')
        return cli_arg_rest("report", argc > first ? argv[first] : "", usage);
    q.kind = argv[first++];
    if (take_flag(&argc, argv, first, "--unredacted")) {
        if (check) {
            fputs("holdcheck report: --unredacted does not go with --check (the check writes "
                  "figures only)\n", stderr);
            return CLI_EXIT_USAGE;
        }
        /* Whoever holds the database file holds every record: the command line is the
         * administrator's, and the access is audited under "cli" like `audit bind`. */
        q.unredacted = 1;
        q.role = AUTH_ADMIN;
        q.actor = "cli";
    }
    if (!cli_opts("report", argc, argv, first, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    if (db == NULL) {
        fputs("holdcheck report: --db PATH is required\n", stderr);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (year != NULL) {
        long y = strtol(year, &end, 10);
        if (end == year || *end != '\0' || y < 2014 || y > 9999 || q.from != NULL) {
            fputs("holdcheck report: --year: expected a year from 2014 to 9999, without "
                  "--from and --to\n", stderr);
            return CLI_EXIT_USAGE;
        }
        q.year = (int)y;
    }
    if (reports_format_from_name(format ? format : "json", &q.format, &d) != HC_OK) {
        fprintf(stderr, "holdcheck report: --%s: %s\n", d.field, d.msg);
        return CLI_EXIT_USAGE;
    }
    if (q.agency == NULL)
        q.agency = getenv("HOLDCHECK_AGENCY_NAME");
    hc_catalog_version(hc_catalog_builtin, hc_catalog_builtin_n, catalog_version);
    q.catalog_version = catalog_version;
    if (against_path != NULL && (!check || cli_read_file(against_path, &against, &len) != 0)) {
        if (!check)
            fputs("holdcheck report: --against goes with --check\n", stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("report", db, STORE_OPEN_SCAN, &st) != 0) {
        free(against);
        return CLI_EXIT_USAGE;
    }
    rc = check ? reports_check(st, &q, against, &text, &len, &differences, &d)
               : reports_render(st, &q, &text, &len, &d);
    if (rc == REPORTS_ENOTSUP) {
        /* Not the database's name: a PostgreSQL URL may hold a password. */
        fprintf(stderr, "holdcheck report: this database has no %s report yet (SQLite only)\n",
                q.kind);
    } else if (rc == HC_EINVAL) {
        fprintf(stderr, "holdcheck report: --%s: %s\n",
                strcmp(d.field, "redaction") == 0 ? "unredacted" : d.field, d.msg);
        ret = CLI_EXIT_USAGE;
    } else if (rc != HC_OK) {
        fprintf(stderr, "holdcheck report: %s%s%s\n", store_strerror(rc), d.msg[0] ? ": " : "",
                d.msg);
    } else if (write_out(outp, text, len) == 0) {
        ret = differences ? CLI_EXIT_INPUT : CLI_EXIT_OK;
    }
    free(text);
    free(against);
    store_close(st);
    return ret;
}

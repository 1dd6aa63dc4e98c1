/* SPDX-License-Identifier: MIT
 * main.c: the holdcheck command: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define HOLDCHECK_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("usage: holdcheck COMMAND [ARGS]\n"
          "\n"
          "Commands:\n"
          "  decide [--explain] [FILE|-]   decide JSON cases (docs/case-format.md)\n"
          "  serve --db PATH [--listen HOST:PORT] [--threads N]\n"
          "                                serve the HTTP API (docs/server.md)\n"
          "  migrate --db PATH             create or upgrade a database\n"
          "  demo --db PATH [--bookings N] [--seed S]\n"
          "                                fill a new database with a synthetic county\n"
          "  audit verify --db PATH        check the audit log's hash chain\n"
          "  user add --db PATH NAME --role ROLE | list | disable NAME | token NAME\n"
          "                                manage the server's users and API tokens\n"
          "  version                       print the version\n"
          "  help                          this text\n"
          "\n"
          "holdcheck applies California law (Gov. Code 7282-7284.12, TRUST, Values and TRUTH\n"
          "Acts) to requests from immigration authorities about people in local custody.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "decide") == 0)
        return cli_decide(argc - 1, argv + 1);
    if (strcmp(argv[1], "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    if (strcmp(argv[1], "migrate") == 0)
        return cli_migrate(argc - 1, argv + 1);
    if (strcmp(argv[1], "demo") == 0)
        return cli_demo(argc - 1, argv + 1);
    if (strcmp(argv[1], "audit") == 0)
        return cli_audit(argc - 1, argv + 1);
    if (strcmp(argv[1], "user") == 0)
        return cli_user(argc - 1, argv + 1);
    if (strcmp(argv[1], "routes") == 0) /* hidden: for tests/http/test_roles.sh */
        return cli_routes(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        puts("holdcheck " HOLDCHECK_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    fprintf(stderr, "holdcheck: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

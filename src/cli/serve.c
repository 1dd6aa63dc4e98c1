/* SPDX-License-Identifier: MIT
 * serve.c: `holdcheck serve --db PATH [--listen HOST:PORT] [--threads N] [--catalog DIR]`: load
 * the catalog once, then serve the HTTP API (src/http) until SIGINT or SIGTERM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_builtin.h"
#include "cli.h"
#include "http.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck serve --db PATH [--listen HOST:PORT] [--threads N] [--catalog DIR]\n"
          "  Serve the HTTP API on HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one)\n"
          "  with N event loops (default 1). The database must be migrated first.\n"
          "  Create users (and their API tokens) with `holdcheck user add`.\n", f);
}

static int is_loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
}

static void announce(const char *host, int port, void *arg)
{
    const char *db = arg;
    char base[300];
    snprintf(base, sizeof base, strchr(host, ':') ? "http://[%s]:%d" : "http://%s:%d", host, port);
    printf("holdcheck: serving %s\n"
           "holdcheck: listening on %s\n", db, base);
    if (!is_loopback(host))
        printf("holdcheck: WARNING: %s is not a loopback address and this server speaks plain\n"
               "           HTTP: bearer tokens and session cookies cross the network in clear.\n"
               "           Put a TLS proxy in front of it.\n", host);
    printf("\nTry (booking numbers of the demo database are DEMO-000001 ... ; create a user and\n"
           "its token first: holdcheck user add --db %s NAME --role clerk):\n"
           "  curl -s %s/healthz\n"
           "  curl -s -H \"Authorization: Bearer $TOKEN\" %s/api/v1/bookings/DEMO-000001\n"
           "  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
           "       -d '{\"type\":\"notification\",\"form\":\"I-247A\"}' \\\n"
           "       %s/api/v1/bookings/DEMO-000001/requests\n"
           "  curl -s -H 'Content-Type: application/json' \\\n"
           "       -d '{\"as_of\":\"2024-05-01\",\"request\":{\"type\":\"notification\"},"
           "\"person\":{\"convictions\":\n"
           "           [{\"citation\":\"PC 245(a)(1)\",\"level\":\"felony\",\"date\":\"2015-03-02\"}]}}' \\\n"
           "       %s/api/v1/decide\n"
           "  curl -s %s/api/v1/openapi.json\n"
           "Routes, roles and formats: docs/server.md. Stop with Ctrl-C.\n\n",
           db, base, base, base, base, base);
    fflush(stdout);
}

int cli_serve(int argc, char **argv)
{
    struct http_config cfg;
    struct hc_catalog cat;
    struct hc_diag d;
    const char *catdir = NULL;
    char dbname[1024], *end;
    int i, rc;

    memset(&cfg, 0, sizeof cfg);
    hc_diag_clear(&d);
    cfg.listen = "127.0.0.1:8080";
    cfg.threads = 1;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            cfg.db_path = argv[++i];
        } else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
            cfg.listen = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            long n = strtol(argv[++i], &end, 10);
            if (*end != '\0' || n < 1 || n > 64) {
                fprintf(stderr, "holdcheck serve: --threads must be 1..64\n");
                return CLI_EXIT_USAGE;
            }
            cfg.threads = (int)n;
        } else if (strcmp(argv[i], "--catalog") == 0 && i + 1 < argc) {
            catdir = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else {
            fprintf(stderr, "holdcheck serve: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (cfg.db_path == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_catalog_load(&cat, catdir) != HC_OK)
        return CLI_EXIT_SOFTWARE;
    cfg.cat = &cat;
    cfg.on_listen = announce;
    snprintf(dbname, sizeof dbname, "%s", cfg.db_path); /* arg is not const */
    cfg.arg = dbname;
    rc = http_serve(&cfg, &d);
    cli_catalog_free();
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck serve: %s%s%s\n", d.field, d.field[0] ? ": " : "", d.msg);
        return rc == HC_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SOFTWARE;
    }
    printf("holdcheck: stopped\n");
    return CLI_EXIT_OK;
}

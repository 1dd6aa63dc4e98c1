/* SPDX-License-Identifier: MIT
 * util.c: allocation, file reading, opening the store and reading options for the command-line
 * front end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "file.h"
#include "store.h"

static void oom(size_t n)
{
    fprintf(stderr, "holdcheck: out of memory (%zu bytes)\n", n);
    abort();
}

void *cli_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        oom(n);
    return p;
}

void *cli_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        oom(n);
    return q;
}

char *cli_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = cli_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

int cli_read_file(const char *path, char **out, size_t *len)
{
    struct hc_diag d;
    hc_diag_clear(&d);
    if (hc_file_read(path, 0, out, len, &d) == HC_OK)
        return 0;
    fprintf(stderr, "holdcheck: %s: %s\n", path, d.msg[0] ? d.msg : "out of memory");
    return -1;
}

int cli_db_exists(const char *cmd, const char *db)
{
    if (strcmp(db, ":memory:") == 0 || access(db, F_OK) == 0)
        return 1;
    fprintf(stderr, "holdcheck %s: %s: no such database; create it first with "
                    "`holdcheck migrate --db %s`\n", cmd, db, db);
    return 0;
}

int cli_store_open(const char *cmd, const char *db, struct hc_store **st)
{
    struct hc_diag d;
    if (!cli_db_exists(cmd, db))
        return -1;
    if (store_sqlite_open(db, 0, st, &d) != HC_OK) {
        fprintf(stderr, "holdcheck %s: %s: %s\n", cmd, db, d.msg);
        return -1;
    }
    return 0;
}

int cli_arg_rest(const char *cmd, const char *arg, void (*usage)(FILE *))
{
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    fprintf(stderr, "holdcheck %s: unexpected argument '%s'\n", cmd, arg);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

int cli_opts(const char *cmd, int argc, char **argv, int first, const struct cli_opt *opts,
             size_t nopts, void (*usage)(FILE *), int *rc)
{
    int i;
    size_t k;
    for (i = first; i < argc; i++) {
        for (k = 0; k < nopts; k++)
            if (i + 1 < argc && strcmp(argv[i], opts[k].name) == 0)
                break;
        if (k == nopts) {
            *rc = cli_arg_rest(cmd, argv[i], usage);
            return 0;
        }
        *opts[k].value = argv[++i];
    }
    return 1;
}

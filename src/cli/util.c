/* SPDX-License-Identifier: MIT
 * util.c: allocation, file reading, opening the store and reading options for the command-line
 * front end. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "file.h"
#include "store.h"
#include "store_pg.h"

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

/* The areas of the store (store.h) a subcommand uses, by the members of struct hc_store. */
enum cli_area {
    AREA_RECORDS = 1 << 0, AREA_REQUESTS = 1 << 1, AREA_USERS = 1 << 2, AREA_AUDIT = 1 << 3,
    AREA_PUBLIC = 1 << 4, AREA_CONSOLE = 1 << 5, AREA_IMPORT = 1 << 6, AREA_READLOG = 1 << 7,
    AREA_TASKFORCE = 1 << 8, AREA_VICTIMS = 1 << 9, AREA_ALL = 0x3ff
};

/* Which areas each subcommand that opens a database uses; one not listed uses them all. */
static unsigned cmd_areas(const char *cmd)
{
    static const struct {
        const char *cmd;
        unsigned areas;
    } uses[] = {
        {"migrate", 0},
        {"user", AREA_USERS | AREA_AUDIT},
        {"audit", AREA_AUDIT},
        {"import", AREA_IMPORT | AREA_RECORDS | AREA_AUDIT},
        /* The feed tells subscribers of what it changes: the public area's events. */
        {"import --upsert", AREA_IMPORT | AREA_RECORDS | AREA_AUDIT | AREA_PUBLIC},
        {"export", AREA_IMPORT | AREA_RECORDS},
        {"public-export", AREA_PUBLIC},
        {"task-force", AREA_TASKFORCE | AREA_AUDIT},
        {"readlog", AREA_READLOG},
        {"victim", AREA_VICTIMS | AREA_AUDIT | AREA_READLOG}, /* a listing is a logged read */
        /* The reports read with the reports area's own statements; a kind whose records are
         * in an area the backend lacks is refused by the area (REPORTS_ENOTSUP). */
        {"report", AREA_RECORDS | AREA_REQUESTS | AREA_AUDIT},
    };
    size_t i;
    for (i = 0; i < sizeof uses / sizeof uses[0]; i++)
        if (strcmp(uses[i].cmd, cmd) == 0)
            return uses[i].areas;
    return AREA_ALL;
}

/* The first area in areas that st does not have, by name; NULL when it has them all. */
static const char *missing_area(const struct hc_store *st, unsigned areas)
{
    const struct {
        unsigned area;
        const void *ops;
        const char *name;
    } has[] = {
        {AREA_RECORDS, st->records, "records"}, {AREA_REQUESTS, st->requests, "requests"},
        {AREA_USERS, st->users, "users"},       {AREA_AUDIT, st->audit, "audit"},
        {AREA_PUBLIC, st->pub, "public"},       {AREA_CONSOLE, st->console, "console"},
        {AREA_IMPORT, st->import, "import"},   {AREA_READLOG, st->readlog, "read log"},
        {AREA_TASKFORCE, st->taskforce, "task force"}, {AREA_VICTIMS, st->victims, "victims"},
    };
    size_t i;
    for (i = 0; i < sizeof has / sizeof has[0]; i++)
        if ((areas & has[i].area) && has[i].ops == NULL)
            return has[i].name;
    return NULL;
}

/* The PostgreSQL backend's module: HOLDCHECK_PG_MODULE, else holdcheck-pg.so beside this
 * program, else in ../lib/holdcheck from it (`make install`). Loaded once, never unloaded. */
static store_pg_open_fn pg_module(const char *cmd)
{
    static store_pg_open_fn open_fn;
    static void *h; /* kept for the life of the process */
    char exe[PATH_MAX], path[PATH_MAX + 64];
    const char *env = getenv("HOLDCHECK_PG_MODULE");
    ssize_t n;

    if (open_fn != NULL)
        return open_fn;
    if (env != NULL && *env != '\0') {
        snprintf(path, sizeof path, "%s", env);
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    } else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
        char *slash;
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL)
            *slash = '\0';
        snprintf(path, sizeof path, "%s/holdcheck-pg.so", exe);
        if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
            snprintf(path, sizeof path, "%s/../lib/holdcheck/holdcheck-pg.so", exe);
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (h == NULL) {
        const char *why = dlerror();
        fprintf(stderr, "holdcheck %s: cannot load the PostgreSQL backend (holdcheck-pg.so, or "
                        "the file HOLDCHECK_PG_MODULE names): %s\n", cmd,
                why != NULL ? why : "not found");
        return NULL;
    }
    *(void **)&open_fn = dlsym(h, STORE_PG_OPEN_SYMBOL);
    if (open_fn == NULL)
        fprintf(stderr, "holdcheck %s: %s: not the PostgreSQL backend (no %s)\n", cmd, path,
                STORE_PG_OPEN_SYMBOL);
    return open_fn;
}

int cli_db_exists(const char *cmd, const char *db)
{
    if (store_is_pg_url(db)) {
        struct hc_store *st = NULL;
        int ok = cli_store_connect(cmd, db, 0, &st) == 0;
        store_close(st);
        return ok;
    }
    if (strcmp(db, ":memory:") == 0 || access(db, F_OK) == 0)
        return 1;
    fprintf(stderr, "holdcheck %s: %s: no such database; create it first with "
                    "`holdcheck migrate --db %s`\n", cmd, db, db);
    return 0;
}

int cli_store_connect(const char *cmd, const char *db, int flags, struct hc_store **st)
{
    struct hc_diag d;
    const char *q, *missing;
    store_pg_open_fn open_fn;

    hc_diag_clear(&d);
    *st = NULL;
    if (!store_is_pg_url(db)) {
        if (store_sqlite_open(db, flags, st, &d) == HC_OK)
            return 0;
        fprintf(stderr, "holdcheck %s: %s: %s\n", cmd, db, d.msg);
        return -1;
    }
    if (strcmp(cmd, "backup") == 0) {
        fprintf(stderr, "holdcheck %s: a PostgreSQL database is backed up with PostgreSQL's own"
                        " tools (pg_basebackup and WAL archiving, or pg_dump)\n", cmd);
        return -1;
    }
    /* Everything but migrating acts for one agency: its rows, its audit chain. */
    q = strchr(db, '?');
    if (cmd_areas(cmd) != 0 && (q == NULL || strstr(q, "agency=") == NULL)) {
        fprintf(stderr, "holdcheck %s: a PostgreSQL database is shared by agencies: name the "
                        "one to act for in the URL (postgresql://.../DB?agency=SLUG)\n", cmd);
        return -1;
    }
    if ((open_fn = pg_module(cmd)) == NULL)
        return -1;
    /* The URL, which may hold a password, is not repeated in the message. */
    if (open_fn(db, flags, st, &d) != HC_OK) {
        fprintf(stderr, "holdcheck %s: PostgreSQL: %s\n", cmd, d.msg);
        return -1;
    }
    if ((missing = missing_area(*st, cmd_areas(cmd))) != NULL) {
        fprintf(stderr, "holdcheck %s: the PostgreSQL backend has no %s area yet; use a SQLite "
                        "database for this command\n", cmd, missing);
        store_close(*st);
        *st = NULL;
        return -1;
    }
    return 0;
}

int cli_store_opener(const char *cmd, const char *db, service_open_fn *open)
{
    struct hc_store *st = NULL;
    *open = NULL;
    if (!store_is_pg_url(db))
        return 0;
    /* One connection first: it says, in cmd's words, what the backend cannot do for cmd. */
    if (cli_store_connect(cmd, db, 0, &st) != 0)
        return -1;
    store_close(st);
    *open = pg_module(cmd);
    return *open != NULL ? 0 : -1;
}

int cli_store_open(const char *cmd, const char *db, int flags, struct hc_store **st)
{
    if (!store_is_pg_url(db) && !cli_db_exists(cmd, db))
        return -1;
    return cli_store_connect(cmd, db, flags, st);
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

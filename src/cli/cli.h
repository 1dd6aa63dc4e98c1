/* SPDX-License-Identifier: MIT
 * cli.h: shared pieces of the command-line front end: exit codes, allocation that aborts on
 * real exhaustion, and whole-file reading. */
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "service.h"

/* Exit codes of every holdcheck command. */
enum cli_exit {
    CLI_EXIT_OK = 0,      /* everything done */
    CLI_EXIT_INPUT = 1,   /* some input was invalid; the rest was processed */
    CLI_EXIT_USAGE = 2,   /* bad command line, or an input file that cannot be read */
    CLI_EXIT_SOFTWARE = 3 /* an internal limit or error */
};

/* malloc/realloc/strdup that print a message and abort when memory is exhausted. */
void *cli_xmalloc(size_t n);
void *cli_xrealloc(void *p, size_t n);
char *cli_xstrdup(const char *s);

/* Read the whole file at path ("-" for standard input) into a malloc'd buffer with a NUL after
 * the last byte. Returns 0, or -1 after printing why to stderr. */
int cli_read_file(const char *path, char **out, size_t *len);

struct hc_store;
/* Open the existing database at db for subcommand cmd ("demo", "user"...) into *st, with the
 * store_open_flags in flags (0, or STORE_OPEN_SCAN for a report or a replay). A database that
 * is not there is not created: the message says to run `holdcheck migrate` first. Returns 0, or
 * -1 after printing why to stderr. */
int cli_store_open(const char *cmd, const char *db, int flags, struct hc_store **st);
/* Open db for subcommand cmd into *st: a SQLite file (store_sqlite_open with flags), or a
 * postgresql:// URL naming its agency (?agency=SLUG; migrate alone may leave it out) through the
 * PostgreSQL backend's module (store_pg.h), loaded on first use. A subcommand whose areas of
 * the store the PostgreSQL backend does not have yet is refused with a message naming the
 * area, as is backup. Returns 0, or -1 after printing why to stderr (*st NULL). */
int cli_store_connect(const char *cmd, const char *db, int flags, struct hc_store **st);
/* How the threads of subcommand cmd (serve) open db (service.h): *open NULL for a SQLite file;
 * for a postgresql:// URL the PostgreSQL module's opener, after one connection has shown that
 * the backend has every area cmd uses. Returns 0, or -1 after printing why to stderr. */
int cli_store_opener(const char *cmd, const char *db, service_open_fn *open);
/* Whether the database db exists (a file; a PostgreSQL URL: whether it opens for cmd); if not,
 * print what cli_store_open prints and return 0. */
int cli_db_exists(const char *cmd, const char *db);

/* An argument that no option of subcommand cmd took: "-h" or "--help" prints usage to stdout and
 * gives CLI_EXIT_OK; anything else prints "holdcheck CMD: unexpected argument 'ARG'" and usage
 * to stderr and gives CLI_EXIT_USAGE. Returns that exit code. */
int cli_arg_rest(const char *cmd, const char *arg, void (*usage)(FILE *));

/* The complete help of command cmd, as `holdcheck CMD --help` prints it (main.c keeps every
 * command's in one table), or NULL for a command without one. */
const char *cli_help_text(const char *cmd);

/* One option that takes a value, e.g. {"--db", &db}: the value of its last use goes there. */
struct cli_opt {
    const char *name;
    const char **value;
};
/* Read argv[first..argc) as options of subcommand cmd that each take a value. Returns 1 when
 * every argument was one of opts[0..nopts); otherwise 0 with *rc set to what cli_arg_rest
 * gives for the first argument that was not (an option without its value is one). */
int cli_opts(const char *cmd, int argc, char **argv, int first, const struct cli_opt *opts,
             size_t nopts, void (*usage)(FILE *), int *rc);

/* Subcommands: argc/argv start at the subcommand name. They return an enum cli_exit. */
int cli_decide(int argc, char **argv);
int cli_serve(int argc, char **argv);   /* serve.c: the HTTP API */
int cli_migrate(int argc, char **argv); /* migrate.c: create or upgrade a database */
int cli_demo(int argc, char **argv);    /* demo.c: fill a database with a synthetic county */
int cli_audit(int argc, char **argv);   /* audit.c: `audit verify`, the audit hash chain */
int cli_user(int argc, char **argv);    /* user.c: `user add|list|disable|token` */
int cli_routes(int argc, char **argv);  /* routes.c: hidden; print the HTTP routing table */
int cli_import(int argc, char **argv);  /* import.c: `import` and `export` (argv[0] says which) */
int cli_public_export(int argc, char **argv); /* public_export.c: the public export (issue 4) */
int cli_backup(int argc, char **argv);  /* backup.c: a consistent copy of a database in use */
int cli_replay(int argc, char **argv);  /* replay.c: what-if replay of stored requests */
int cli_readlog(int argc, char **argv); /* readlog.c: the read-access log: list, export, prune */

#endif

/* SPDX-License-Identifier: MIT
 * victim.c: `holdcheck victim add|list|remove`: victim notification (Penal Code 646.92,
 * 679.03; docs/public.md "Victim notification"). Decoding the command line is all this file
 * does: victims_register, victims_list and victims_remove (src/app/victims.h) check, write and
 * read. The command line runs with the database's file permissions, as an administrator would:
 * list shows names and addresses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "readlog.h"
#include "store.h"
#include "victims.h"

int cli_victim(int argc, char **argv);

#define CLI_ACTOR "cli"
#define VICTIM_ARENA ((size_t)4 << 20)

static void usage(FILE *f)
{
    fputs("usage: holdcheck victim add --db PATH --booking BOOKING_NO --name NAME --address EMAIL\n"
          "                            [--relation victim|designee|family|witness]\n"
          "                            [--lang en|es|zh|tl|vi|ko] [--follows-person yes|no]\n"
          "       holdcheck victim list --db PATH [--booking BOOKING_NO]\n"
          "       holdcheck victim remove --db PATH --id ID\n",
          f);
}

/* The exit status of rc, after saying why when it is an error. */
static int result(int rc, const struct hc_diag *d, const char *db)
{
    if (rc == HC_OK)
        return CLI_EXIT_OK;
    if (rc == VICTIMS_ENOTSUP) {
        fprintf(stderr, "holdcheck victim: %s: this database has no victim notification\n", db);
        return CLI_EXIT_SOFTWARE;
    }
    if (d->field[0] != '\0')
        fprintf(stderr, "holdcheck victim: --%s: %s\n",
                strcmp(d->field, "booking_no") == 0 ? "booking" : d->field, d->msg);
    else
        fprintf(stderr, "holdcheck victim: %s%s%s\n", store_strerror(rc), d->msg[0] ? ": " : "",
                d->msg);
    return rc == HC_EINVAL || rc == HC_ENOENT || rc == HC_ERANGE ? CLI_EXIT_INPUT
                                                                 : CLI_EXIT_SOFTWARE;
}

static int cmd_add(struct hc_store *st, const char *db, const char *const *v, struct hc_diag *d)
{
    struct store_victim r;
    int64_t id = 0;
    int rc;

    memset(&r, 0, sizeof r);
    r.booking_no = v[0];
    r.name = v[1];
    r.target = v[2];
    r.relation = v[3] != NULL ? v[3] : "victim";
    r.lang = v[4] != NULL ? v[4] : "en";
    r.channel = "email";
    if (v[5] != NULL && strcmp(v[5], "yes") != 0 && strcmp(v[5], "no") != 0) {
        fputs("holdcheck victim: --follows-person: expected yes or no\n", stderr);
        return CLI_EXIT_USAGE;
    }
    r.follows_person = v[5] != NULL && strcmp(v[5], "yes") == 0;
    if ((rc = victims_register(st, &r, CLI_ACTOR, &id, d)) == HC_OK)
        printf("registration %lld: booking %s\n", (long long)id, r.booking_no);
    return result(rc, d, db);
}

static int cmd_list(struct hc_store *st, const char *db, const char *booking, struct hc_diag *d)
{
    struct store_victim *v = NULL;
    struct hc_arena a;
    char *mem = cli_xmalloc(VICTIM_ARENA);
    size_t n = 0, i;
    int rc;

    hc_arena_init(&a, mem, VICTIM_ARENA);
    if ((rc = victims_list(st, booking, AUTH_ADMIN, &a, &v, &n, d)) == HC_OK) {
        char query[96];
        snprintf(query, sizeof query, "%s%.64s", booking != NULL ? "booking=" : "",
                 booking != NULL ? booking : "");
        if (readlog_write_cli(st, "holdcheck victim list", READLOG_VICTIM, query) != HC_OK)
            fputs("holdcheck victim: warning: this reading could not be logged\n", stderr);
        puts("id\tbooking\tstate\trelation\tchannel\tlang\tfollows_person\tname\taddress");
        for (i = 0; i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)v[i].id, v[i].booking_no,
                   v[i].state, v[i].relation, v[i].channel, v[i].lang,
                   v[i].follows_person ? "yes" : "no", v[i].name, v[i].target);
    }
    free(mem);
    return result(rc, d, db);
}

static int cmd_remove(struct hc_store *st, const char *db, const char *id_text, struct hc_diag *d)
{
    char *end = NULL;
    long long id = id_text != NULL ? strtoll(id_text, &end, 10) : 0;
    int rc;
    if (id_text == NULL || end == id_text || *end != '\0' || id <= 0) {
        fputs("holdcheck victim: --id: expected a registration id\n", stderr);
        return CLI_EXIT_USAGE;
    }
    if ((rc = victims_remove(st, (int64_t)id, CLI_ACTOR, d)) == HC_OK)
        printf("registration %lld: removed\n", id);
    return result(rc, d, db);
}

/* The options, in an order where each subcommand's are one run: add takes the first seven,
 * list --booking and --db, remove --db and --id. */
enum { O_NAME, O_ADDRESS, O_RELATION, O_LANG, O_FOLLOWS, O_BOOKING, O_DB, O_ID, O_N };
static const struct {
    const char *name;
    size_t first, n;
} subcommands[] = {{"add", O_NAME, 7}, {"list", O_BOOKING, 2}, {"remove", O_DB, 2}};

int cli_victim(int argc, char **argv)
{
    const char *val[O_N] = {NULL};
    const struct cli_opt opts[O_N] = {
        [O_NAME] = {"--name", &val[O_NAME]},         [O_ADDRESS] = {"--address", &val[O_ADDRESS]},
        [O_RELATION] = {"--relation", &val[O_RELATION]}, [O_LANG] = {"--lang", &val[O_LANG]},
        [O_FOLLOWS] = {"--follows-person", &val[O_FOLLOWS]},
        [O_BOOKING] = {"--booking", &val[O_BOOKING]}, [O_DB] = {"--db", &val[O_DB]},
        [O_ID] = {"--id", &val[O_ID]}};
    const char *add[6];
    struct hc_store *st = NULL;
    struct hc_diag d;
    size_t k;
    int rc;

    hc_diag_clear(&d);
    for (k = 0; argc >= 2 && k < sizeof subcommands / sizeof *subcommands &&
                strcmp(argv[1], subcommands[k].name) != 0;
         k++)
        ;
    if (argc < 2 || k == sizeof subcommands / sizeof *subcommands)
        return cli_arg_rest("victim", argc > 1 ? argv[1] : "", usage);
    if (!cli_opts("victim", argc, argv, 2, opts + subcommands[k].first, subcommands[k].n, usage,
                  &rc))
        return rc;
    if (val[O_DB] == NULL) {
        fputs("holdcheck victim: --db PATH is required\n", stderr);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("victim", val[O_DB], 0, &st) != 0)
        return CLI_EXIT_USAGE;
    add[0] = val[O_BOOKING], add[1] = val[O_NAME], add[2] = val[O_ADDRESS];
    add[3] = val[O_RELATION], add[4] = val[O_LANG], add[5] = val[O_FOLLOWS];
    rc = k == 0   ? cmd_add(st, val[O_DB], add, &d)
         : k == 1 ? cmd_list(st, val[O_DB], val[O_BOOKING], &d)
                  : cmd_remove(st, val[O_DB], val[O_ID], &d);
    store_close(st);
    return rc;
}

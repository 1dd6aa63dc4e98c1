/* SPDX-License-Identifier: MIT
 * replay.c: `holdcheck replay --db PATH --from D --to D [--policy FILE] [--as-of D]
 * [--format text|json] [--catalog DIR]`: what the stored requests of a period would get under
 * other agency settings or another day's law (src/app/replay.h, docs/replay.md). Writes
 * nothing to the database. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_builtin.h"
#include "cli.h"
#include "replay.h"
#include "service.h"
#include "store.h"

static void usage(FILE *f)
{
    fputs("usage: holdcheck replay --db PATH --from YYYY-MM-DD --to YYYY-MM-DD\n"
          "                        [--policy FILE] [--as-of YYYY-MM-DD] [--format text|json]\n"
          "                        [--catalog DIR | --proposed TABLE]\n"
          "  Decide again the requests received from --from to --to, from the case each stored\n"
          "  decision keeps, under the agency settings in FILE (JSON, as GET /api/v1/settings\n"
          "  writes them) and/or the law in force on --as-of, and print each request whose\n"
          "  outcome would differ, why, and a count of (old, new) outcomes. Writes nothing.\n",
          f);
}

/* What the callback prints with. */
struct out {
    int json;
    int64_t n;
};

static const char *version_note(int catalog, int engine)
{
    if (catalog == REPLAY_CHANGED)
        return engine == REPLAY_CHANGED ? "catalog and engine changed since decided"
                                        : "catalog changed since decided";
    if (engine == REPLAY_CHANGED)
        return "engine changed since decided";
    if (catalog == REPLAY_UNRECORDED)
        return "catalog and engine versions not recorded (decided before the trace)";
    return NULL;
}

static int print_change(void *ctx, const struct replay_change *ch)
{
    struct out *o = ctx;
    const char *note = version_note(ch->catalog, ch->engine);
    size_t i;

    if (o->json) {
        json_t *j = replay_change_json(ch);
        char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (t == NULL)
            return HC_ENOMEM;
        printf("%s%s", o->n++ ? "," : "", t);
        free(t);
        return HC_OK;
    }
    printf("request %" PRId64 " (booking %s, %s, received %s, decision %" PRId64 " v%d): ",
           ch->request_id, ch->booking_no ? ch->booking_no : "?", ch->type ? ch->type : "?",
           ch->received_at ? ch->received_at : "?", ch->decision_id, ch->decision_version);
    if (ch->error != NULL) {
        printf("cannot decide again: %s\n", ch->error);
    } else {
        printf("%s -> %s (in force: %s%s; ruleset %s -> %s)\n", ch->old_outcome, ch->new_outcome,
               ch->in_force ? ch->in_force : "undecided", ch->override_id ? ", an override" : "",
               ch->old_ruleset ? ch->old_ruleset : "?", ch->new_ruleset);
        for (i = 0; i < ch->nbasis; i++)
            printf("  basis: %s\n", ch->basis[i]);
        for (i = 0; i < ch->nmissing; i++)
            printf("  lacks: %s\n", ch->missing[i]);
    }
    if (ch->old_catalog_version != NULL)
        printf("  decided under: catalog %.12s, engine %" PRId64 ", settings %s\n",
               ch->old_catalog_version, ch->old_engine_version,
               ch->old_settings ? ch->old_settings : "not recorded");
    if (note != NULL)
        printf("  note: %s\n", note);
    o->n++;
    return HC_OK;
}

static void print_summary(const struct replay_summary *s)
{
    int i, j;
    printf("summary: %" PRId64 " requests decided again, %" PRId64 " with another outcome"
           " (%" PRId64 " of them under an override), %" PRId64 " could not be decided\n",
           s->decided, s->changed, s->changed_overridden, s->failed);
    for (i = 0; i < REPLAY_NOUT; i++)
        for (j = 0; j < REPLAY_NOUT; j++)
            if (s->pairs[i][j] > 0)
                printf("  %s -> %s: %" PRId64 "\n", replay_outcome_name(i),
                       replay_outcome_name(j), s->pairs[i][j]);
    printf("catalog: today's version %s; %" PRId64 " decided under another, %" PRId64
           " not recorded\n", s->catalog_version, s->catalog_changed, s->catalog_unrecorded);
    printf("engine: today's version %d; %" PRId64 " decided under another, %" PRId64
           " not recorded\n", s->engine_version, s->engine_changed, s->engine_unrecorded);
    if (s->proposed_name != NULL)
        printf("proposed: %s (catalog version %s), not the law: decided as if each of its rows"
               " took effect on its from date\n", s->proposed_name, s->proposed_version);
    printf("nothing was written\n");
}

/* Load the proposed table at path over the built-in catalog into *pcat (memory in *mem).
 * Returns 0, or -1 after printing why. */
static int load_proposed(const char *path, struct hc_catalog *pcat, void **mem, char **text)
{
    struct hc_memfile f;
    struct hc_diag d;
    size_t len;
    hc_diag_clear(&d);
    if (cli_read_file(path, text, &len) != 0)
        return -1;
    f.path = path;
    f.ctype = NULL;
    f.data = (const unsigned char *)*text;
    f.len = len;
    if (replay_catalog_proposed(hc_catalog_builtin, hc_catalog_builtin_n, &f, pcat, mem, &d) !=
        HC_OK) {
        fprintf(stderr, "holdcheck replay: proposed table %s: %s\n", d.field[0] ? d.field : path,
                d.msg[0] ? d.msg : "out of memory");
        return -1;
    }
    return 0;
}

int cli_replay(int argc, char **argv)
{
    const char *db = NULL, *format = "text", *policy = NULL, *catdir = NULL, *proposed = NULL;
    struct replay_opts ro;
    const struct cli_opt opts[] = {{"--db", &db},         {"--from", &ro.from},
                                   {"--to", &ro.to},      {"--policy", &policy},
                                   {"--as-of", &ro.as_of}, {"--format", &format},
                                   {"--catalog", &catdir}, {"--proposed", &proposed}};
    struct replay_summary sum;
    struct hc_catalog cat, pcat;
    void *pmem = NULL;
    char *ptext = NULL;
    struct hc_store *st = NULL;
    struct hc_diag d;
    struct out o;
    char *settings = NULL;
    size_t len;
    int rc, exit_code = CLI_EXIT_SOFTWARE;

    memset(&ro, 0, sizeof ro);
    memset(&o, 0, sizeof o);
    hc_diag_clear(&d);
    if (!cli_opts("replay", argc, argv, 1, opts, sizeof opts / sizeof opts[0], usage, &rc))
        return rc;
    /* A proposed table is added to the built-in tables, which another catalog would replace. */
    if (db == NULL || (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) ||
        (proposed != NULL && catdir != NULL)) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    o.json = format[0] == 'j';
    if (policy != NULL && cli_read_file(policy, &settings, &len) != 0)
        return CLI_EXIT_USAGE;
    ro.settings = settings;
    /* Every option is checked before the database is opened. */
    if (replay_check(&ro, &d) != HC_OK) {
        /* A member of the settings file is named with the file. */
        int in_file = policy != NULL && strcmp(d.field, "from") != 0 &&
                      strcmp(d.field, "to") != 0 && strcmp(d.field, "as_of") != 0;
        fprintf(stderr, "holdcheck replay: %s%s%s: %s\n", in_file ? policy : "",
                in_file && d.field[0] ? ": " : "", d.field, d.msg);
        free(settings);
        return CLI_EXIT_USAGE;
    }
    if (cli_catalog_load(&cat, catdir) != HC_OK) {
        free(settings);
        return CLI_EXIT_SOFTWARE;
    }
    if (proposed != NULL) {
        if (load_proposed(proposed, &pcat, &pmem, &ptext) != 0) {
            exit_code = CLI_EXIT_USAGE;
            goto out;
        }
        ro.proposed = &pcat;
        ro.proposed_name = proposed;
    }
    if (cli_store_open("replay", db, STORE_OPEN_SCAN, &st) != 0) {
        exit_code = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.json)
        printf("{\"changes\":[");
    rc = replay_run(st, &cat, &ro, print_change, &o, &sum, &d);
    if (rc != HC_OK) {
        if (o.json)
            printf("]}\n");
        fprintf(stderr, "holdcheck replay: %s: %s%s%s\n", db, d.field[0] ? d.field : "",
                d.field[0] ? ": " : "", d.msg[0] ? d.msg : store_strerror(rc));
        goto out;
    }
    if (o.json) {
        json_t *j = replay_summary_json(&sum);
        char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        printf("],\"summary\":%s,\"written\":false}\n", t ? t : "null");
        free(t);
    } else {
        print_summary(&sum);
    }
    exit_code = CLI_EXIT_OK;
out:
    service_close(st);
    cli_catalog_free();
    free(pmem);
    free(ptext);
    free(settings);
    return exit_code;
}

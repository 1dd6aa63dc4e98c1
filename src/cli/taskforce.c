/* SPDX-License-Identifier: MIT
 * taskforce.c: `holdcheck task-force add|arrests|list`: the register of joint law enforcement
 * task forces (Gov. Code 7284.6(c)(1), docs/reports.md "task-force"). Decoding the command
 * line is all this file does: taskforce_add, taskforce_arrests_add and taskforce_list_json
 * (src/app/taskforce.h) check, write and read. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "taskforce.h"

int cli_task_force(int argc, char **argv);

#define CLI_ACTOR "cli"
#define TF_ARENA ((size_t)16 << 20)
#define TF_MEMBERS_READ 64 /* pieces read from --members; taskforce_add refuses past 50 */

static void usage(FILE *f)
{
    fputs("usage: holdcheck task-force add --db PATH --name NAME --purpose TEXT\n"
          "                                --members \"AGENCY; AGENCY; ...\" --joined YYYY-MM-DD\n"
          "                                [--left YYYY-MM-DD]\n"
          "       holdcheck task-force arrests --db PATH --task-force ID|NAME --from YYYY-MM-DD\n"
          "                                --to YYYY-MM-DD --arrests N --immigration-arrests N\n"
          "                                [--source TEXT]\n"
          "       holdcheck task-force list --db PATH [--format text|json]\n",
          f);
}

/* A whole number 0..TASKFORCE_COUNT_MAX from s into *v; 0, or -1 after naming opt. */
static int count_arg(const char *opt, const char *s, int64_t *v)
{
    char *end = NULL;
    long long x = s != NULL ? strtoll(s, &end, 10) : -1;
    if (s == NULL || end == s || *end != '\0' || x < 0 || x > TASKFORCE_COUNT_MAX) {
        fprintf(stderr, "holdcheck task-force: %s: %s\n", opt,
                s == NULL ? "required" : "expected a whole number from 0 to 1000000000");
        return -1;
    }
    *v = (int64_t)x;
    return 0;
}

/* Split list at ';' into out[0..*n) (pieces trimmed of spaces and tabs, in buf, which list is
 * copied into, len bytes). Pieces past cap are dropped (*n is cap): cap is more than
 * taskforce_add accepts, so it refuses the list. */
static void split_members(const char *list, char *buf, size_t len, const char **out, size_t cap,
                          size_t *n)
{
    char *p = buf, *end;
    *n = 0;
    snprintf(buf, len, "%s", list);
    for (;;) {
        char *sep = strchr(p, ';');
        if (sep != NULL)
            *sep = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        end = p + strlen(p);
        while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (*n < cap)
            out[*n] = p;
        ++*n;
        if (sep == NULL)
            break;
        p = sep + 1;
    }
    if (*n > cap)
        *n = cap;
}

/* The field a diag names, as the option that gave it ("immigration_arrests" is
 * --immigration-arrests, "members[2]" is --members). */
static void say_field(const struct hc_diag *d, int rc)
{
    char opt[96];
    size_t i;
    snprintf(opt, sizeof opt, "%s", d->field);
    for (i = 0; opt[i] != '\0'; i++)
        if (opt[i] == '_')
            opt[i] = '-';
    if (d->field[0] != '\0')
        fprintf(stderr, "holdcheck task-force: --%s: %s\n", opt, d->msg);
    else
        fprintf(stderr, "holdcheck task-force: %s%s%s\n", store_strerror(rc),
                d->msg[0] ? ": " : "", d->msg);
}

/* The exit status of rc, after saying why when it is an error. */
static int result(int rc, const struct hc_diag *d, const char *db)
{
    if (rc == HC_OK)
        return CLI_EXIT_OK;
    if (rc == TASKFORCE_ENOTSUP) {
        fprintf(stderr, "holdcheck task-force: %s: this database has no task force register\n",
                db);
        return CLI_EXIT_SOFTWARE;
    }
    say_field(d, rc);
    return rc == HC_EINVAL || rc == HC_ENOENT || rc == STORE_ECONFLICT ? CLI_EXIT_INPUT
                                                                      : CLI_EXIT_SOFTWARE;
}

static int cmd_add(struct hc_store *st, const char *db, const char *const *v, struct hc_diag *d)
{
    const char *members[TF_MEMBERS_READ];
    struct taskforce_new t;
    char buf[TASKFORCE_MEMBERS_MAX * (TASKFORCE_MEMBER_MAX + 2) + 64];
    int64_t id = 0;
    int rc;

    memset(&t, 0, sizeof t);
    t.name = v[0];
    t.purpose = v[1];
    t.joined = v[3];
    t.left_on = v[4];
    if (v[2] != NULL) {
        if (strlen(v[2]) >= sizeof buf) {
            fputs("holdcheck task-force: --members: the list is too long\n", stderr);
            return CLI_EXIT_INPUT;
        }
        split_members(v[2], buf, sizeof buf, members, TF_MEMBERS_READ, &t.nmembers);
        t.members = members;
    }
    if ((rc = taskforce_add(st, &t, CLI_ACTOR, &id, d)) == HC_OK)
        printf("task force %lld: %s\n", (long long)id, t.name);
    return result(rc, d, db);
}

static int cmd_arrests(struct hc_store *st, const char *db, const char *const *v,
                       struct hc_diag *d)
{
    struct taskforce_arrests_new e;
    struct hc_arena a;
    char *mem, *end = NULL;
    int64_t id = 0;
    int rc;

    memset(&e, 0, sizeof e);
    if (v[0] == NULL) {
        fputs("holdcheck task-force: --task-force: required (an id or a name)\n", stderr);
        return CLI_EXIT_USAGE;
    }
    e.task_force_id = strtoll(v[0], &end, 10);
    if (end == v[0] || *end != '\0' || e.task_force_id <= 0) {
        e.task_force_id = 0; /* not an id: a name */
        e.task_force_name = v[0];
    }
    e.from = v[1];
    e.to = v[2];
    if (count_arg("--arrests", v[3], &e.arrests) != 0 ||
        count_arg("--immigration-arrests", v[4], &e.immigration_arrests) != 0)
        return CLI_EXIT_USAGE;
    e.source = v[5];
    mem = cli_xmalloc(TF_ARENA);
    hc_arena_init(&a, mem, TF_ARENA);
    if ((rc = taskforce_arrests_add(st, &e, CLI_ACTOR, &a, &id, d)) == HC_OK)
        printf("arrests entry %lld: %s to %s, %lld arrests, %lld for immigration enforcement "
               "purposes\n", (long long)id, e.from, e.to, (long long)e.arrests,
               (long long)e.immigration_arrests);
    free(mem);
    return result(rc, d, db);
}

/* The register as text: a task force a paragraph, an entry a line. */
static void print_text(json_t *root)
{
    json_t *t, *e, *m;
    size_t i, j;
    json_array_foreach(json_object_get(root, "task_forces"), i, t) {
        printf("%lld  %s\n    purpose: %s\n    members:", (long long)json_integer_value(json_object_get(t, "id")),
               json_string_value(json_object_get(t, "name")),
               json_string_value(json_object_get(t, "purpose")));
        json_array_foreach(json_object_get(t, "members"), j, m) {
            printf("%s %s", j ? ";" : "", json_string_value(m));
        }
        printf("\n    member from %s to %s\n", json_string_value(json_object_get(t, "joined")),
               json_is_string(json_object_get(t, "left"))
                   ? json_string_value(json_object_get(t, "left"))
                   : "(still a member)");
        json_array_foreach(json_object_get(t, "arrests"), j, e) {
            printf("    entry %lld: %s to %s: %lld arrests, %lld for immigration enforcement "
                   "purposes\n", (long long)json_integer_value(json_object_get(e, "id")),
                   json_string_value(json_object_get(e, "from")),
                   json_string_value(json_object_get(e, "to")),
                   (long long)json_integer_value(json_object_get(e, "arrests")),
                   (long long)json_integer_value(json_object_get(e, "immigration_arrests")));
        }
    }
}

static int cmd_list(struct hc_store *st, const char *db, const char *format, struct hc_diag *d)
{
    struct hc_arena a;
    json_t *root = NULL;
    char *mem;
    int rc;

    if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
        fputs("holdcheck task-force: --format: expected text or json\n", stderr);
        return CLI_EXIT_USAGE;
    }
    mem = cli_xmalloc(TF_ARENA);
    hc_arena_init(&a, mem, TF_ARENA);
    if ((rc = taskforce_list_json(st, &a, &root, d)) == HC_OK) {
        if (format != NULL && strcmp(format, "json") == 0) {
            json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            putchar('\n');
        } else {
            print_text(root);
        }
    }
    json_decref(root);
    free(mem);
    return result(rc, d, db);
}

int cli_task_force(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *v[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    const struct cli_opt add_opts[] = {{"--db", &db},         {"--name", &v[0]},
                                       {"--purpose", &v[1]},  {"--members", &v[2]},
                                       {"--joined", &v[3]},   {"--left", &v[4]}};
    const struct cli_opt arr_opts[] = {{"--db", &db},           {"--task-force", &v[0]},
                                       {"--from", &v[1]},       {"--to", &v[2]},
                                       {"--arrests", &v[3]},    {"--immigration-arrests", &v[4]},
                                       {"--source", &v[5]}};
    const struct cli_opt list_opts[] = {{"--db", &db}, {"--format", &format}};
    const struct cli_opt *opts;
    struct hc_store *st = NULL;
    struct hc_diag d;
    size_t nopts;
    int rc, which;

    hc_diag_clear(&d);
    if (argc < 2 || argv[1][0] == '-')
        return cli_arg_rest("task-force", argc > 1 ? argv[1] : "", usage);
    if (strcmp(argv[1], "add") == 0) {
        which = 0, opts = add_opts, nopts = sizeof add_opts / sizeof add_opts[0];
    } else if (strcmp(argv[1], "arrests") == 0) {
        which = 1, opts = arr_opts, nopts = sizeof arr_opts / sizeof arr_opts[0];
    } else if (strcmp(argv[1], "list") == 0) {
        which = 2, opts = list_opts, nopts = sizeof list_opts / sizeof list_opts[0];
    } else {
        return cli_arg_rest("task-force", argv[1], usage);
    }
    if (!cli_opts("task-force", argc, argv, 2, opts, nopts, usage, &rc))
        return rc;
    if (db == NULL) {
        fputs("holdcheck task-force: --db PATH is required\n", stderr);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("task-force", db, 0, &st) != 0)
        return CLI_EXIT_USAGE;
    rc = which == 0   ? cmd_add(st, db, v, &d)
         : which == 1 ? cmd_arrests(st, db, v, &d)
                      : cmd_list(st, db, format, &d);
    store_close(st);
    return rc;
}

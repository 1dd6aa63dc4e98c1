/* SPDX-License-Identifier: MIT
 * user.c: `holdcheck user add|list|disable|token|password|revoke --db PATH ...`: manage the
 * server's users.
 * `add` and `token` print a generated password and/or API token once; the database keeps only
 * their hashes (argon2id, BLAKE2b), so neither can be shown again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "cli.h"
#include "ident.h"
#include "store.h"
#include "users.h"

#define CLI_ACTOR "cli"
#define LIST_ARENA (4u << 20)

/* The help main.c keeps for `holdcheck user --help`, also for a bad command line. */
static void usage(FILE *f)
{
    fputs(cli_help_text("user"), f);
}

/* Issue a token to user_id and print it. */
static int issue_token(struct hc_store *st, int64_t user_id)
{
    char tok[AUTH_SECRET_LEN], hash[AUTH_HASH_HEX_LEN];
    int rc;
    auth_new_secret(tok);
    auth_secret_hash(tok, strlen(tok), hash);
    if ((rc = store_token_add(st, user_id, hash, CLI_ACTOR)) != HC_OK)
        return rc;
    printf("token: %s\n", tok);
    return HC_OK;
}

/* Create the user through users_create (one transaction with its token) and print the
 * generated password and token once. */
static int user_add(struct hc_store *st, const char *name, const char *role, struct hc_diag *d)
{
    struct users_new made;
    int rc = users_create(st, name, role, CLI_ACTOR, &made, d);
    if (rc != HC_OK)
        return rc;
    printf("user: %s (%s) created\npassword: %s\n", name, role, made.password);
    printf("token: %s\n", made.token);
    printf("(shown once: holdcheck keeps only their hashes)\n");
    sodium_memzero(&made, sizeof made);
    return HC_OK;
}

int cli_user(int argc, char **argv)
{
    const char *db = NULL, *name = NULL, *role = NULL, *cmd;
    struct hc_store *st = NULL;
    struct hc_diag d;
    int i, rc = HC_OK;

    hc_diag_clear(&d);
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
            role = argv[++i];
        } else if (argv[i][0] != '-' && name == NULL) {
            name = argv[i];
        } else {
            return cli_arg_rest("user", argv[i], usage);
        }
    }
    if (db == NULL || (strcmp(cmd, "list") != 0 && name == NULL) ||
        (strcmp(cmd, "add") == 0) != (role != NULL)) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (name != NULL && !hc_user_name_valid(name, strlen(name))) {
        fprintf(stderr, "holdcheck user: bad name '%s': " HC_USER_NAME_RULE "\n", name);
        return CLI_EXIT_USAGE;
    }
    if (role != NULL && auth_role_from_name(role) == 0) {
        fprintf(stderr, "holdcheck user: unknown role '%s': use clerk, supervisor, auditor or "
                        "admin\n", role);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("user", db, 0, &st) != 0) {
        return CLI_EXIT_USAGE;
    }
    if (strcmp(cmd, "add") == 0) {
        rc = user_add(st, name, role, &d);
    } else if (strcmp(cmd, "disable") == 0) {
        rc = store_user_disable(st, name, CLI_ACTOR);
        if (rc == HC_OK)
            printf("user: %s disabled\n", name);
    } else if (strcmp(cmd, "password") == 0 || strcmp(cmd, "revoke") == 0) {
        char pw[AUTH_PASSWORD_LEN], hash[AUTH_PWHASH_LEN];
        int is_pw = cmd[0] == 'p';
        int64_t ntok = 0, nses = 0;
        if (is_pw) {
            auth_new_password(pw);
            rc = auth_password_hash(pw, hash);
        }
        if (rc == HC_OK)
            rc = store_user_reset(st, name, is_pw ? hash : NULL, !is_pw, CLI_ACTOR, &ntok, &nses);
        if (rc == HC_OK && is_pw)
            printf("user: %s: new password: %s\n(shown once; %lld session(s) ended)\n", name, pw,
                   (long long)nses);
        else if (rc == HC_OK)
            printf("user: %s: %lld token(s) revoked, %lld session(s) ended\n", name,
                   (long long)ntok, (long long)nses);
    } else if (strcmp(cmd, "token") == 0) {
        static char mem[16384];
        struct hc_arena a;
        struct store_user u;
        hc_arena_init(&a, mem, sizeof mem);
        rc = store_user_get(st, name, &a, &u);
        if (rc == HC_OK && u.disabled)
            rc = HC_EINVAL;
        if (rc == HC_OK)
            rc = issue_token(st, u.id);
    } else if (strcmp(cmd, "list") == 0) {
        struct hc_arena a;
        struct store_user *us = NULL;
        size_t n = 0, k;
        char *mem = cli_xmalloc(LIST_ARENA);
        hc_arena_init(&a, mem, LIST_ARENA);
        rc = store_user_list(st, &a, &us, &n);
        for (k = 0; rc == HC_OK && k < n; k++)
            printf("%s\t%s\t%s\t%s\n", us[k].name, us[k].role, us[k].created_at,
                   us[k].disabled ? "disabled" : "active");
        free(mem);
    } else {
        fprintf(stderr, "holdcheck user: unknown subcommand '%s'\n", cmd);
        usage(stderr);
        store_close(st);
        return CLI_EXIT_USAGE;
    }
    store_close(st);
    if (rc == HC_EINVAL && d.field[0] != '\0') {
        fprintf(stderr, "holdcheck user: %s '%s': %s\n", d.field, name, d.msg);
        return CLI_EXIT_INPUT;
    }
    if (rc == STORE_ECONFLICT) {
        fprintf(stderr, "holdcheck user: '%s' already exists\n", name);
        return CLI_EXIT_INPUT;
    }
    if (rc == HC_ENOENT || rc == HC_EINVAL) {
        fprintf(stderr, "holdcheck user: no such %suser '%s'\n", rc == HC_EINVAL ? "enabled " : "",
                name);
        return CLI_EXIT_INPUT;
    }
    if (rc != HC_OK) {
        fprintf(stderr, "holdcheck user: %s\n", store_strerror(rc));
        return CLI_EXIT_SOFTWARE;
    }
    return CLI_EXIT_OK;
}

/* SPDX-License-Identifier: MIT
 * routes_users.c: users and sessions: log in (with the failed-login throttle) and out, who am
 * I, change my password; and for admins, list, create, disable, reset a password, revoke
 * tokens. */
#include <h2o.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "clock.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "log.h"
#include "users.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200

/* The session cookie is Secure when the client's connection is TLS (ours, or a trusted proxy's
 * that says so: client.h), and whenever the plain listener is off loopback. */
static void set_cookie(struct http_call *c, const char *value, int max_age)
{
    char v[256];
    http__call_client(c);
    snprintf(v, sizeof v, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
             HTTP_SESSION_COOKIE, value, max_age,
             c->w->secure_cookie || c->client_tls ? "; Secure" : "");
    http__reply_header(c, "set-cookie", v);
    sodium_memzero(v, sizeof v);
}

/* One line on the server log per login attempt: the client's address, the name as given (its
 * control characters replaced, at most 64 bytes) and what happened. Never the password. */
static void login_log(const struct http_call *c, const char *name, const char *what)
{
    char safe[65];
    size_t i;
    for (i = 0; i < sizeof safe - 1 && name[i] != '\0'; i++)
        safe[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
    safe[i] = '\0';
    hc_log(HC_LOG_INFO, "login of \"%s\" from %s %s", safe, c->client_text, what);
}

/* 429 for a login refused by the throttle (throttle.h), with Retry-After. */
static void login_throttled(struct http_call *c, int64_t wait)
{
    char v[24], detail[160];
    snprintf(v, sizeof v, "%" PRId64, wait);
    http__reply_header(c, "retry-after", v);
    snprintf(detail, sizeof detail, "too many failed logins for this name or from this address; "
             "retry in %" PRId64 " s", wait);
    http__reply_problem(c, 429, detail, NULL);
}

/* POST /api/v1/session: the body, decoded by the router. */
enum { L_NAME, L_PASSWORD };
static const struct http_field login_fields[] = {
    [L_NAME] = {"name", HTTP_F_STR, 1, HTTP_K_TEXT, 0, HC_USER_NAME_MAX},
    [L_PASSWORD] = {"password", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 200},
};
const struct http_body login_body = {login_fields, HTTP_NKEYS(login_fields)};

/* Log in: on the pool (offload.h), as argon2id takes tens of milliseconds of one core. */
static int session_create_job(struct http_call *c)
{
    struct users_login in;
    const char *name = c->in[L_NAME].s, *pw = c->in[L_PASSWORD].s;
    const unsigned char *addr = c->client_key;
    json_t *o;
    int64_t wait;
    int rc;

    hc_arena_reset(&c->w->arena);
    if ((wait = http_throttle_check(c->w->throttle, addr, name, hc_clock_mono_ms() / 1000)) > 0) {
        login_log(c, name, "refused (throttled)");
        login_throttled(c, wait);
        return HC_OK;
    }
    rc = users_login(c->w->st, name, pw, c->w->session_seconds, &c->w->arena, &in);
    if (rc == HC_OK && in.refused) {
        wait = http_throttle_fail(c->w->throttle, addr, name, hc_clock_mono_ms() / 1000);
        login_log(c, name, wait > 0 ? "failed; further attempts refused for a while"
                                    : "failed");
        http__reply_header(c, "www-authenticate", "Bearer realm=\"holdcheck\"");
        http__reply_problem(c, 401, "wrong name or password", NULL);
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    http_throttle_ok(c->w->throttle, name);
    login_log(c, name, "succeeded");
    set_cookie(c, in.secret, c->w->session_seconds);
    o = json_object();
    json_object_set_new(o, "name", json_string(in.user.name));
    json_object_set_new(o, "role", json_string(in.user.role));
    json_object_set_new(o, "expires_at", json_string(in.expires));
    http__reply_json(c, 201, o);
    sodium_memzero(in.secret, sizeof in.secret);
    return HC_OK;
}

int h_session_create(struct http_call *c)
{
    return http__offload(c, session_create_job);
}

int h_session_delete(struct http_call *c)
{
    char secret[130];
    struct hc_diag d;
    json_t *o = json_object();
    int rc = HC_OK, had = http__session_cookie(c->req, secret, sizeof secret) == HC_OK;

    hc_diag_clear(&d);
    if (had) {
        rc = users_logout(c->w->st, secret);
        http__auth_forget(c->w);
    }
    if (rc != HC_OK) {
        json_decref(o);
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    set_cookie(c, "", 0);
    json_object_set_new(o, "ended", json_boolean(had));
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

int h_session_get(struct http_call *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->who.name));
    json_object_set_new(o, "role", json_string(auth_role_name(c->who.role)));
    json_object_set_new(o, "via", json_string(c->who.via_cookie ? "cookie" : "token"));
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

int h_users_list(struct http_call *c)
{
    struct store_user *u = NULL;
    struct hc_diag d;
    size_t n = 0, i;
    json_t *o, *arr;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = users_list(c->w->st, &c->w->arena, &u, &n)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "name", http__jstr(u[i].name));
        json_object_set_new(e, "role", http__jstr(u[i].role));
        json_object_set_new(e, "created_at", http__jstr(u[i].created_at));
        json_object_set_new(e, "disabled", json_boolean(u[i].disabled));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "users", arr);
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

/* POST /api/v1/users: the body, decoded by the router. */
enum { U_NAME, U_ROLE };
static const struct http_field user_fields[] = {
    [U_NAME] = {"name", HTTP_F_STR, 1, HTTP_K_TEXT, 0, HC_USER_NAME_MAX},
    [U_ROLE] = {"role", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 20},
};
const struct http_body user_body = {user_fields, HTTP_NKEYS(user_fields)};

/* Create a user: on the pool, as the new password is hashed with argon2id. */
static int users_create_job(struct http_call *c)
{
    const char *name = c->in[U_NAME].s, *role = c->in[U_ROLE].s;
    struct users_new nu;
    json_t *o;
    int rc;

    if (!hc_user_name_valid(name, strlen(name)))
        return hc_diag_set(&c->diag, "name", HC_USER_NAME_RULE, NULL);
    if (auth_role_from_name(role) == 0)
        return hc_diag_set(&c->diag, "role", "expected clerk, supervisor, auditor or admin", NULL);
    if ((rc = users_create(c->w->st, name, role, c->who.name, &nu, &c->diag)) != HC_OK)
        return rc;
    o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "role", json_string(role));
    json_object_set_new(o, "password", json_string(nu.password));
    json_object_set_new(o, "token", json_string(nu.token));
    http__reply_json(c, 201, o);
    sodium_memzero(&nu, sizeof nu);
    return HC_OK;
}

int h_users_create(struct http_call *c)
{
    return http__offload(c, users_create_job);
}

/* The user name of the path, or NULL after answering 400. */
static const char *param_user(struct http_call *c)
{
    return http__param_str(c, hc_user_name_valid, "bad user name", "name");
}

/* After a change to a user's credentials (rc): on success forget every worker's cached
 * credentials at once and return 1; otherwise answer (404 naming "name" when there is no such
 * user) and return 0. */
static int user_changed(struct http_call *c, int rc)
{
    struct hc_diag d;
    hc_diag_clear(&d);
    if (rc == HC_OK) {
        http__auth_forget(c->w);
        return 1;
    }
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "name", "no such user", NULL);
    http__reply_problem_rc(c, rc, &d);
    return 0;
}

int h_user_disable(struct http_call *c)
{
    const char *name = param_user(c);
    json_t *o;
    if (name == NULL || !user_changed(c, users_disable(c->w->st, name, c->who.name)))
        return HC_OK;
    o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "disabled", json_true());
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

/* Answer a user_reset's outcome (user_changed), with what was done: the generated password
 * when there is one, tokens revoked unless tokens < 0, sessions ended. */
static void respond_reset(struct http_call *c, int rc, const char *name, const char *password,
                          int64_t tokens, int64_t sessions)
{
    json_t *o;
    if (!user_changed(c, rc))
        return;
    o = json_object();
    json_object_set_new(o, "name", json_string(name));
    if (password != NULL)
        json_object_set_new(o, "password", json_string(password));
    if (tokens >= 0)
        json_object_set_new(o, "tokens_revoked", json_integer(tokens));
    json_object_set_new(o, "sessions_ended", json_integer(sessions));
    http__reply_json(c, 200, o);
}

/* An admin replaces a user's password with a generated one, shown once; hashed on the pool. */
static int user_password_job(struct http_call *c)
{
    char pw[AUTH_PASSWORD_LEN];
    int64_t sessions = 0;
    int rc = users_password_reset(c->w->st, c->param, c->who.name, pw, &sessions);
    respond_reset(c, rc, c->param, pw, -1, sessions);
    sodium_memzero(pw, sizeof pw);
    return HC_OK;
}

int h_user_password(struct http_call *c)
{
    return param_user(c) == NULL ? HC_OK : http__offload(c, user_password_job);
}

/* An admin revokes every API token of a user (and ends their sessions). */
int h_user_revoke(struct http_call *c)
{
    const char *name = param_user(c);
    int64_t tokens = 0, sessions = 0;
    int rc;
    if (name == NULL)
        return HC_OK;
    rc = users_revoke(c->w->st, name, c->who.name, &tokens, &sessions);
    respond_reset(c, rc, name, NULL, tokens, sessions);
    return HC_OK;
}

/* A user changes their own password: the current one is checked (a wrong one counts as a failed
 * login for the throttle), the new one must be 12-200 bytes and differ, and every session of
 * theirs ends, this one included (the cookie is cleared). API tokens stay. */
/* PUT /api/v1/session/password: the body, decoded by the router. */
enum { P_CURRENT, P_NEW };
static const struct http_field password_fields[] = {
    [P_CURRENT] = {"current_password", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 200},
    [P_NEW] = {"new_password", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 200},
};
const struct http_body password_body = {password_fields, HTTP_NKEYS(password_fields)};

/* The password change itself: on the pool, as it verifies one argon2id hash and makes one. */
static int session_password_job(struct http_call *c)
{
    const char *cur = c->in[P_CURRENT].s, *nw = c->in[P_NEW].s;
    const unsigned char *addr = c->client_key;
    int64_t sessions = 0, wait;
    int rc, wrong;

    hc_arena_reset(&c->w->arena);
    if (strlen(nw) < 12)
        return hc_diag_set(&c->diag, "new_password", "use at least 12 characters", NULL);
    if (strcmp(nw, cur) == 0)
        return hc_diag_set(&c->diag, "new_password", "the same as the current password", NULL);
    if ((wait = http_throttle_check(c->w->throttle, addr, c->who.name, hc_clock_mono_ms() / 1000)) > 0) {
        login_log(c, c->who.name, "password change refused (throttled)");
        login_throttled(c, wait);
        return HC_OK;
    }
    if ((rc = users_password_change(c->w->st, c->who.name, cur, nw, &c->w->arena, &wrong,
                                    &sessions)) != HC_OK)
        return rc;
    if (wrong) {
        http_throttle_fail(c->w->throttle, addr, c->who.name, hc_clock_mono_ms() / 1000);
        login_log(c, c->who.name, "password change: wrong current password");
        http__reply_problem(c, 403, "wrong password", "current_password");
        return HC_OK;
    }
    login_log(c, c->who.name, "password changed");
    set_cookie(c, "", 0);
    respond_reset(c, HC_OK, c->who.name, NULL, -1, sessions);
    return HC_OK;
}

int h_session_password(struct http_call *c)
{
    return http__offload(c, session_password_job);
}

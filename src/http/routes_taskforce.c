/* SPDX-License-Identifier: MIT
 * routes_taskforce.c: the register of joint law enforcement task forces (Gov. Code
 * 7284.6(c)(1), src/app/taskforce.h): GET /api/v1/task-forces (auditors, administrators),
 * POST /api/v1/task-forces and POST /api/v1/task-forces/{id}/arrests (administrators). Each
 * handler decodes, calls one service function and encodes; the writes, which commit with a
 * flush, run on the pool. */
#include <h2o.h>
#include <stdio.h>
#include <string.h>

#include "taskforce.h"

#include "http_int.h"
#include "offload.h"
#include "routes.h"

/* The register's answers when the database has none (PostgreSQL for now). */
#define NO_REGISTER "this server's database has no task force register yet (SQLite only)"

int h_task_forces_list(struct http_call *c)
{
    json_t *root = NULL;
    int rc;

    if ((rc = taskforce_list_json(c->w->st, &c->w->arena, &root, &c->diag)) == TASKFORCE_ENOTSUP) {
        http__problem(c->req, 501, NO_REGISTER, NULL);
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    http__respond_json(c->req, 200, root);
    return HC_OK;
}

/* POST /api/v1/task-forces: decoded by the router from this table. */
enum { F_NAME, F_PURPOSE, F_MEMBERS, F_JOINED, F_LEFT };
static const struct http_field task_force_fields[] = {
    [F_NAME] = {"name", HTTP_F_STR, 1, HTTP_K_TEXT, 0, TASKFORCE_NAME_MAX},
    [F_PURPOSE] = {"purpose", HTTP_F_STR, 1, HTTP_K_TEXT, 0, TASKFORCE_PURPOSE_MAX},
    [F_MEMBERS] = {"members", HTTP_F_ARRAY, 1, HTTP_K_TEXT, 0, TASKFORCE_MEMBERS_MAX},
    [F_JOINED] = {"joined", HTTP_F_STR, 1, HTTP_K_DATE, 0, 10},
    [F_LEFT] = {"left", HTTP_F_STR, 0, HTTP_K_DATE, 0, 10},
};
const struct http_body task_force_body = {task_force_fields, HTTP_NKEYS(task_force_fields)};

/* The register's answer to a write that failed with rc: 501 without a register, else the
 * router's problem for rc. */
static int write_failed(struct http_call *c, int rc)
{
    if (rc == TASKFORCE_ENOTSUP) {
        http__reply_problem(c, 501, NO_REGISTER, NULL);
        return HC_OK;
    }
    return rc;
}

static int task_force_create_job(struct http_call *c)
{
    const char *members[TASKFORCE_MEMBERS_MAX];
    struct taskforce_new t;
    json_t *v, *o;
    size_t i;
    int64_t id = 0;
    int rc;

    memset(&t, 0, sizeof t);
    json_array_foreach(c->in[F_MEMBERS].a, i, v) {
        if (!json_is_string(v) || i >= TASKFORCE_MEMBERS_MAX) {
            char field[32];
            snprintf(field, sizeof field, "members[%zu]", i);
            return hc_diag_set(&c->diag, field, "expected the name of an agency (a string)", NULL);
        }
        members[i] = json_string_value(v);
    }
    t.name = c->in[F_NAME].s;
    t.purpose = c->in[F_PURPOSE].s;
    t.members = members;
    t.nmembers = json_array_size(c->in[F_MEMBERS].a);
    t.joined = c->in[F_JOINED].s;
    t.left_on = c->in[F_LEFT].s;
    if ((rc = taskforce_add(c->w->st, &t, c->who.name, &id, &c->diag)) != HC_OK)
        return write_failed(c, rc);
    o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "name", json_string(t.name));
    http__reply_json(c, 201, o);
    return HC_OK;
}

int h_task_force_create(struct http_call *c)
{
    return http__offload(c, task_force_create_job);
}

/* POST /api/v1/task-forces/{id}/arrests: the body, decoded after the id (http__id_and_body). */
enum { E_FROM, E_TO, E_ARRESTS, E_IMMIGRATION, E_SOURCE };
static const struct http_field arrests_fields[] = {
    [E_FROM] = {"from", HTTP_F_STR, 1, HTTP_K_DATE, 0, 10},
    [E_TO] = {"to", HTTP_F_STR, 1, HTTP_K_DATE, 0, 10},
    [E_ARRESTS] = {"arrests", HTTP_F_INT, 1, HTTP_K_TEXT, 0, TASKFORCE_COUNT_MAX},
    [E_IMMIGRATION] = {"immigration_arrests", HTTP_F_INT, 1, HTTP_K_TEXT, 0, TASKFORCE_COUNT_MAX},
    [E_SOURCE] = {"source", HTTP_F_STR, 0, HTTP_K_TEXT, 0, TASKFORCE_SOURCE_MAX},
};
static const struct http_body arrests_body = {arrests_fields, HTTP_NKEYS(arrests_fields)};

static int task_force_arrests_job(struct http_call *c)
{
    struct taskforce_arrests_new e;
    int64_t tf_id, id = 0;
    json_t *o;
    int rc;

    if ((rc = http__id_and_body(c, &arrests_body, &tf_id)) != HC_OK)
        return rc;
    memset(&e, 0, sizeof e);
    e.task_force_id = tf_id;
    e.from = c->in[E_FROM].s;
    e.to = c->in[E_TO].s;
    e.arrests = c->in[E_ARRESTS].i;
    e.immigration_arrests = c->in[E_IMMIGRATION].i;
    e.source = c->in[E_SOURCE].s;
    if ((rc = taskforce_arrests_add(c->w->st, &e, c->who.name, &c->w->arena, &id, &c->diag)) !=
        HC_OK)
        return write_failed(c, rc);
    o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "task_force_id", json_integer(tf_id));
    json_object_set_new(o, "from", json_string(e.from));
    json_object_set_new(o, "to", json_string(e.to));
    json_object_set_new(o, "arrests", json_integer(e.arrests));
    json_object_set_new(o, "immigration_arrests", json_integer(e.immigration_arrests));
    http__reply_json(c, 201, o);
    return HC_OK;
}

int h_task_force_arrests(struct http_call *c)
{
    return http__offload(c, task_force_arrests_job);
}

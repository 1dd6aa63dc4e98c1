/* SPDX-License-Identifier: MIT
 * routes_victims.c: victim notification (src/app/victims.h): GET /api/v1/victims and
 * GET /api/v1/victims/{id} (staff; the registrant's name and address only for the roles that
 * keep them), POST /api/v1/victims, PATCH and DELETE /api/v1/victims/{id} (clerks, supervisors,
 * administrators). Each handler decodes, calls one service function and encodes; the writes,
 * which commit with a flush, run on the pool. */
#include <h2o.h>
#include <stdio.h>
#include <string.h>

#include "victims.h"

#include "http_int.h"
#include "offload.h"
#include "routes.h"

/* The answers when the database has no victim notification (PostgreSQL for now). */
#define NO_VICTIMS "this server's database has no victim notification yet (SQLite only)"

/* A registration as JSON; name and address only when the service left them (the role may see
 * them). */
static json_t *victim_json(const struct store_victim *v)
{
    json_t *o = json_pack("{s:I, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}", "id",
                          (json_int_t)v->id, "booking_no", v->booking_no, "follows_person",
                          v->follows_person != 0, "relation", v->relation, "channel", v->channel,
                          "lang", v->lang, "state", v->state, "created_by", v->created_by,
                          "created_at", v->created_at, "changed_by", v->changed_by, "changed_at",
                          v->changed_at);
    if (v->name != NULL || v->target != NULL) {
        json_object_set_new(o, "name", json_string(v->name));
        json_object_set_new(o, "address", json_string(v->target));
    } else {
        json_object_set_new(o, "contact_withheld", json_true());
    }
    return o;
}

/* rc of a service call answered: 501 without the area, else the router's problem. */
static int failed(struct http_call *c, int rc, int job)
{
    if (rc != VICTIMS_ENOTSUP)
        return rc;
    if (job)
        http__reply_problem(c, 501, NO_VICTIMS, NULL);
    else
        http__problem(c->req, 501, NO_VICTIMS, NULL);
    return HC_OK;
}

int h_victims_list(struct http_call *c)
{
    struct http_query_param qp[] = {{.name = "booking_no"}};
    struct store_victim *v = NULL;
    json_t *arr;
    size_t n = 0, i;
    int rc;

    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, qp, HTTP_NKEYS(qp), &c->diag)) != HC_OK)
        return rc;
    if ((rc = victims_list(c->w->st, qp[0].present ? qp[0].value : NULL, c->who.role,
                           &c->w->arena, &v, &n, &c->diag)) != HC_OK)
        return failed(c, rc, 0);
    arr = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(arr, victim_json(&v[i]));
    http__respond_json(c->req, 200, json_pack("{s:o}", "registrations", arr));
    return HC_OK;
}

int h_victim_get(struct http_call *c)
{
    struct store_victim v;
    struct store_victim_notice *ns = NULL;
    int64_t id = http__param_id(c);
    json_t *o, *arr;
    size_t n = 0, i;
    int rc;

    if (id == 0)
        return HC_OK;
    hc_arena_reset(&c->w->arena);
    if ((rc = victims_get(c->w->st, id, c->who.role, &c->w->arena, &v, &ns, &n, &c->diag)) !=
        HC_OK)
        return failed(c, rc, 0);
    o = victim_json(&v);
    arr = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s?, s:s?}", "id",
                                             (json_int_t)ns[i].id, "booking_no", ns[i].booking_no,
                                             "kind", ns[i].kind, "status", ns[i].status,
                                             "attempts", ns[i].attempts, "created_at",
                                             ns[i].created_at, "delivered_at", ns[i].delivered_at,
                                             "last_error", ns[i].last_error));
    json_object_set_new(o, "notices", arr);
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

/* POST /api/v1/victims and PATCH /api/v1/victims/{id}: one table; POST requires booking_no,
 * name and address. */
enum { F_BOOKING, F_NAME, F_RELATION, F_CHANNEL, F_ADDRESS, F_LANG, F_FOLLOWS };
#define VICTIM_FIELDS(req)                                                                       \
    [F_BOOKING] = {"booking_no", HTTP_F_STR, req, HTTP_K_TEXT, 0, 64},                           \
    [F_NAME] = {"name", HTTP_F_STR, req, HTTP_K_TEXT, 0, VICTIMS_NAME_MAX},                      \
    [F_RELATION] = {"relation", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 16},                              \
    [F_CHANNEL] = {"channel", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 16},                                \
    [F_ADDRESS] = {"address", HTTP_F_STR, req, HTTP_K_TEXT, 0, VICTIMS_TARGET_MAX},              \
    [F_LANG] = {"lang", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 8},                                       \
    [F_FOLLOWS] = {"follows_person", HTTP_F_BOOL, 0, HTTP_K_TEXT, 0, 0},
static const struct http_field add_fields[] = {VICTIM_FIELDS(1)};
const struct http_body victim_body = {add_fields, HTTP_NKEYS(add_fields)};
static const struct http_field change_fields[] = {VICTIM_FIELDS(0)};
static const struct http_body change_body = {change_fields, HTTP_NKEYS(change_fields)};

static void from_body(const struct http_call *c, struct store_victim *v)
{
    memset(v, 0, sizeof *v);
    v->booking_no = c->in[F_BOOKING].s;
    v->name = c->in[F_NAME].s;
    v->relation = c->in[F_RELATION].s;
    v->channel = c->in[F_CHANNEL].s;
    v->target = c->in[F_ADDRESS].s;
    v->lang = c->in[F_LANG].s;
    v->follows_person = c->in[F_FOLLOWS].given && c->in[F_FOLLOWS].b;
}

/* Answer registration id as the caller may see it. */
static int reply_victim(struct http_call *c, int status, int64_t id)
{
    struct store_victim v;
    struct store_victim_notice *ns = NULL;
    size_t n = 0;
    int rc;
    hc_arena_reset(&c->w->arena);
    if ((rc = victims_get(c->w->st, id, c->who.role, &c->w->arena, &v, &ns, &n, &c->diag)) !=
        HC_OK)
        return failed(c, rc, 1);
    http__reply_json(c, status, victim_json(&v));
    return HC_OK;
}

static int victim_add_job(struct http_call *c)
{
    struct store_victim v;
    int64_t id = 0;
    int rc;
    from_body(c, &v);
    if (v.relation == NULL)
        v.relation = "victim";
    if (v.channel == NULL)
        v.channel = "email";
    if (v.lang == NULL)
        v.lang = "en";
    if ((rc = victims_register(c->w->st, &v, c->who.name, &id, &c->diag)) != HC_OK)
        return failed(c, rc, 1);
    return reply_victim(c, 201, id);
}

int h_victim_add(struct http_call *c)
{
    return http__offload(c, victim_add_job);
}

static int victim_change_job(struct http_call *c)
{
    struct store_victim v;
    int64_t id = 0;
    int rc;
    if ((rc = http__id_and_body(c, &change_body, &id)) != HC_OK)
        return rc;
    if (c->in[F_BOOKING].given)
        return hc_diag_set(&c->diag, "booking_no", "a registration keeps its booking: remove it "
                           "and register again", NULL);
    from_body(c, &v);
    if ((rc = victims_change(c->w->st, id, &v, c->in[F_FOLLOWS].given, c->who.name,
                             &c->diag)) != HC_OK)
        return failed(c, rc, 1);
    return reply_victim(c, 200, id);
}

int h_victim_change(struct http_call *c)
{
    return http__offload(c, victim_change_job);
}

static int victim_remove_job(struct http_call *c)
{
    int64_t id = http__param_id(c); /* checked on the loop already */
    int rc;
    if ((rc = victims_remove(c->w->st, id, c->who.name, &c->diag)) != HC_OK)
        return failed(c, rc, 1);
    return reply_victim(c, 200, id);
}

int h_victim_remove(struct http_call *c)
{
    if (http__param_id(c) == 0)
        return HC_OK; /* answered 400 */
    return http__offload(c, victim_remove_job);
}

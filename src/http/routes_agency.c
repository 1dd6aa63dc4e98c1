/* SPDX-License-Identifier: MIT
 * routes_agency.c: the agency's settings (the flags and per-request-type policy the engine
 * reads), the audit log and its verification against an anchor, and the service's own
 * routes: health and the OpenAPI document. */
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

#include "admin.h"
#include "anchor.h"
#include "case.h"
#include "http_int.h"
#include "routes.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200

/* GET /api/v1/audit/verify[?anchor=SEQ:HASH]: the chain, its head as an anchor to keep,
 * whether an anchor taken earlier still holds (src/app/anchor.h), and, when the chain is
 * intact, whether the rows it binds agree with it (the first that do not, with their table,
 * id and problem). */
static void audit_verify(struct http_call *c)
{
    struct http_query_param qp[] = {{.name = "anchor"}};
    struct store_audit_report rep;
    struct hc_diag d;
    char hash[ANCHOR_HASH_HEX + 1], text[96];
    const char *why = NULL;
    int64_t aseq = 0;
    json_t *o, *an;
    int rc, held = 1;

    hc_diag_clear(&d);
    if ((rc = http__parse_query(c->req, qp, HTTP_NKEYS(qp), &d)) != HC_OK ||
        (qp[0].present && (rc = anchor_parse(qp[0].value, &aseq, hash, &d)) != HC_OK)) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    rc = anchor_verify(c->w->st, aseq, qp[0].present ? hash : NULL, &c->w->arena, &rep, &held,
                       &why);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = json_object();
    json_object_set_new(o, "intact", json_boolean(rep.bad_seq == 0));
    json_object_set_new(o, "entries", json_integer(rep.entries));
    if (rep.bad_seq != 0) {
        json_object_set_new(o, "first_bad_seq", json_integer(rep.bad_seq));
        json_object_set_new(o, "reason", json_string(rep.reason));
    } else {
        json_object_set_new(o, "head", json_string(rep.head));
        if (rep.head[0]) {
            snprintf(text, sizeof text, "%" PRId64 ":%s", rep.entries, rep.head);
            json_object_set_new(o, "anchor", json_string(text));
        }
    }
    if (rep.rows_checked) {
        json_t *rows = json_array();
        size_t i;
        static const char *const problem[] = {
            [STORE_AUDIT_ROW_UNBOUND] = "unbound",
            [STORE_AUDIT_ROW_CHANGED] = "changed",
            [STORE_AUDIT_ROW_DELETED] = "deleted",
        };
        for (i = 0; i < rep.nrows; i++)
            json_array_append_new(rows, json_pack("{s:s,s:I,s:s,s:I}", "table", rep.row[i].table,
                                                  "id", (json_int_t)rep.row[i].id, "problem",
                                                  problem[rep.row[i].problem], "bound_by_seq",
                                                  (json_int_t)rep.row[i].seq));
        json_object_set_new(o, "rows_intact", json_boolean(rep.row_problems == 0));
        json_object_set_new(o, "bound_rows", json_integer(rep.bound_rows));
        json_object_set_new(o, "row_problems", json_integer(rep.row_problems));
        json_object_set_new(o, "rows", rows);
    }
    if (qp[0].present) {
        an = json_object();
        json_object_set_new(an, "seq", json_integer(aseq));
        json_object_set_new(an, "holds", json_boolean(held));
        if (!held)
            json_object_set_new(an, "reason", json_string(why));
        json_object_set_new(o, "anchor_check", an);
    }
    http__respond_json(c->req, 200, o);
}

int h_audit_verify(struct http_call *c)
{
    audit_verify(c);
    return HC_OK;
}

static void healthz(h2o_req_t *req, struct http_worker *w)
{
    if (service_ping(w->st) == HC_OK) {
        static const char ok[] = "{\"status\":\"ok\"}";
        http__respond(req, 200, "application/json", ok, sizeof ok - 1);
    } else {
        http__problem(req, 503, "database unavailable", NULL);
    }
}

int h_healthz(struct http_call *c)
{
    healthz(c->req, c->w);
    return HC_OK;
}

int h_audit_list(struct http_call *c)
{
    struct http_query_param p[] = {{"after", "", 0}, {"limit", "", 0}};
    struct store_audit_entry *e = NULL;
    struct hc_diag d;
    int64_t after = 0, limit = 100;
    size_t n = 0;
    json_t *o, *arr;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, p, HTTP_NKEYS(p), &d)) != HC_OK ||
        (p[0].present && (rc = http__query_int(&p[0], 0, INT64_MAX / 2, &after, &d)) != HC_OK) ||
        (p[1].present && (rc = http__query_int(&p[1], 1, 500, &limit, &d)) != HC_OK) ||
        (rc = admin_audit_list(c->w->st, after, (int)limit, &c->w->arena, &e, &n)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    o = json_object();
    arr = http__audit_entries_json(e, n);
    json_object_set_new(o, "entries", arr);
    json_object_set_new(o, "next_after", n == (size_t)limit ? json_integer(e[n - 1].seq)
                                                            : json_null());
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

static json_t *settings_json(const struct store_agency *ag)
{
    json_t *o = json_object(), *pol = json_loads(ag->policy_json ? ag->policy_json : "{}", 0,
                                                 NULL);
    json_object_set_new(o, "release_dates_public", json_boolean(ag->release_dates_public));
    json_object_set_new(o, "personal_info_public", json_boolean(ag->personal_info_public));
    json_object_set_new(o, "policy", pol ? pol : json_object());
    return o;
}

int h_settings_get(struct http_call *c)
{
    struct store_agency ag;
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = admin_settings_get(c->w->st, &c->w->arena, &ag)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    http__respond_json(c->req, 200, settings_json(&ag));
    return HC_OK;
}

/* Check a policy object the way a decision will read it: through the case reader. */
static int check_policy(struct http_call *c, json_t *pol, struct hc_diag *d)
{
    json_t *cs = json_pack("{s:s, s:{s:s}, s:{s:[]}, s:{s:O}}", "as_of", "2024-01-01", "request",
                           "type", "notification", "person", "convictions", "agency", "policy",
                           pol);
    char *text = cs ? json_dumps(cs, JSON_COMPACT) : NULL;
    struct hc_case hc;
    struct hc_diag cd;
    size_t pos = 0;
    int rc = HC_ENOMEM;
    json_decref(cs);
    if (text == NULL)
        return rc;
    hc_diag_clear(&cd);
    hc_arena_reset(&c->w->arena);
    rc = hc_case_read(text, strlen(text), &pos, 1, &hc, &c->w->arena, &cd);
    free(text);
    if (rc != HC_OK) {
        const char *f = strncmp(cd.field, "agency.", 7) == 0 ? cd.field + 7 : "policy";
        return hc_diag_set(d, f, cd.msg, NULL);
    }
    return HC_OK;
}

int h_settings_put(struct http_call *c)
{
    static const char *const keys[] = {"release_dates_public", "personal_info_public", "policy"};
    struct store_agency ag;
    struct hc_diag *d = &c->diag;
    json_t *pol;
    char *ptext;
    int rc;

    memset(&ag, 0, sizeof ag);
    if ((rc = http__put_body(c, keys, HTTP_NKEYS(keys), "required (PUT replaces all settings)")) ||
        (rc = http__get_bool(c->body, "", "release_dates_public", 0, &ag.release_dates_public, d)) ||
        (rc = http__get_bool(c->body, "", "personal_info_public", 0, &ag.personal_info_public, d)))
        return rc;
    pol = json_object_get(c->body, "policy");
    if (!json_is_object(pol))
        return hc_diag_set(d, "policy", "expected an object: request type -> policy name", NULL);
    if ((rc = check_policy(c, pol, d)) != HC_OK)
        return rc;
    if ((ptext = json_dumps(pol, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
        return HC_ENOMEM;
    ag.policy_json = ptext;
    rc = admin_settings_set(c->w->st, &ag, c->who.name);
    if (rc == HC_OK)
        http__respond_json(c->req, 200, settings_json(&ag));
    free(ptext);
    return rc;
}

int h_openapi(struct http_call *c)
{
    http__respond(c->req, 200, "application/json", (const char *)http_openapi[0].data,
                  http_openapi[0].len);
    return HC_OK;
}

/* SPDX-License-Identifier: MIT
 * routes_publication.c: the admin's side of the public portal: the publication policy (what
 * is published, with each field's legal effect) and the queue of deliveries to subscribers. */
#include <h2o.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"
#include "routes.h"
#include "admin.h"
#include "portal.h"
#include "publish.h"


static void respond_policy(struct http_call *c, int status)
{
    struct store_public_policy p;
    struct hc_buf b;
    size_t i;
    hc_arena_reset(&c->w->arena);
    if (http__read_policy(c, &p) != HC_OK)
        return;
    if (http__arena_buf(c->w, &b) != HC_OK) {
        http__problem(c->req, 500, "internal error; see the server log", NULL);
        return;
    }
    hc_buf_puts(&b, "{\"published\":");
    http__put_names(&b, p.fields, 0);
    hc_buf_puts(&b, ",\"recently_released_days\":");
    hc_buf_putu(&b, (unsigned long)p.recent_days);
    hc_buf_puts(&b, ",\"release_dates_public_elsewhere\":");
    hc_buf_puts(&b, p.release_elsewhere ? "true" : "false");
    hc_buf_puts(&b, ",\"release_dates_public\":");
    hc_buf_puts(&b, p.release_dates_public ? "true" : "false");
    hc_buf_puts(&b, ",\"personal_info_public\":");
    hc_buf_puts(&b, p.personal_info_public ? "true" : "false");
    hc_buf_puts(&b, ",\"version\":");
    hc_buf_putu(&b, (unsigned long)p.version);
    hc_buf_puts(&b, ",\"updated_at\":");
    http__put_jstr(&b, p.updated_at);
    hc_buf_puts(&b, ",\"updated_by\":");
    http__put_jstr(&b, p.updated_by);
    hc_buf_puts(&b, ",\"fields\":[");
    for (i = 0; i < PUBLISH_NFIELDS; i++) {
        hc_buf_puts(&b, i ? ",{\"field\":" : "{\"field\":");
        http__put_jstr(&b, publish_fields[i].name);
        hc_buf_puts(&b, ",\"published\":");
        http__put_bool(&b, publish_allows(p.fields, PUBLISH_SHOW, publish_fields[i].bit));
        hc_buf_puts(&b, ",\"legal_effect\":");
        http__put_jstr(&b, publish_fields[i].effect);
        hc_buf_putc(&b, '}');
    }
    hc_buf_puts(&b, "],\"never_public\":");
    http__put_jstr(&b, publish_never_public);
    hc_buf_putc(&b, '}');
    http__respond(c->req, status, "application/json", b.data, b.len);
}

int h_policy_get(struct http_call *c)
{
    respond_policy(c, 200);
    return HC_OK;
}

int h_policy_put(struct http_call *c)
{
    static const char *const keys[] = {"published", "recently_released_days",
                                       "release_dates_public_elsewhere"};
    struct store_public_policy p;
    struct hc_diag *d = &c->diag;
    json_t *arr, *v;
    size_t i;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = http__put_body(c, keys, HTTP_NKEYS(keys),
                             "required (PUT replaces the whole policy)")) != HC_OK)
        return rc;
    arr = json_object_get(c->body, "published");
    if (!json_is_array(arr) || json_array_size(arr) > PUBLISH_NFIELDS)
        return hc_diag_set(d, "published", "expected an array of field names", NULL);
    json_array_foreach(arr, i, v) {
        char f[40];
        unsigned bit = json_is_string(v) ? publish_field_bit(json_string_value(v)) : 0;
        snprintf(f, sizeof f, "published[%zu]", i);
        if (bit == 0)
            return hc_diag_set(d, f, "expected one of name, booking_no, booking_date, charges, "
                               "bail, next_court_date, facility, custody_status, "
                               "scheduled_release, recently_released", NULL);
        if (p.fields & bit)
            return hc_diag_set(d, f, "given twice", NULL);
        p.fields |= bit;
    }
    v = json_object_get(c->body, "recently_released_days");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 90)
        return hc_diag_set(d, "recently_released_days", "expected a whole number from 1 to 90",
                           NULL);
    p.recent_days = (int)json_integer_value(v);
    if ((rc = http__get_bool(c->body, "", "release_dates_public_elsewhere", 0,
                             &p.release_elsewhere, d)) != HC_OK ||
        (rc = admin_policy_set(c->w->st, &p, c->who.name)) != HC_OK)
        return rc;
    respond_policy(c, 200);
    return HC_OK;
}

int h_deliveries(struct http_call *c)
{
    struct http_query_param qp[] = {{.name = "status"}, {.name = "after"}, {.name = "limit"}};
    struct store_delivery_row *r = NULL;
    struct hc_diag d;
    json_t *arr;
    int64_t after = 0, lim = 100;
    size_t n = 0, i;
    const char *status = NULL;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, qp, HTTP_NKEYS(qp), &d)) != HC_OK ||
        (qp[1].present && (rc = http__query_int(&qp[1], 0, INT64_MAX / 2, &after, &d)) != HC_OK) ||
        (qp[2].present && (rc = http__query_int(&qp[2], 1, 500, &lim, &d)) != HC_OK))
        goto out;
    if (qp[0].present) {
        static const char *const st[] = {"pending", "sending", "delivered", "failed", "cancelled"};
        for (i = 0; i < HTTP_NKEYS(st) && strcmp(st[i], qp[0].value) != 0; i++)
            ;
        if (i == HTTP_NKEYS(st)) {
            rc = hc_diag_set(&d, "status", "expected pending, sending, delivered, failed or "
                             "cancelled", NULL);
            goto out;
        }
        status = qp[0].value;
    }
    if ((rc = admin_deliveries(c->w->st, status, after, (int)lim, &c->w->arena, &r, &n)))
        goto out;
    arr = json_array();
    for (i = 0; i < n; i++) {
        const struct store_delivery_row *e = &r[i];
        json_array_append_new(arr, json_pack("{s:I,s:I,s:I,s:s?,s:s?,s:s?,s:s?,s:i,s:s?,s:s?,"
            "s:s?,s:s?}", "id", (json_int_t)e->id, "event_id", (json_int_t)e->event_id,
            "subscription_id", (json_int_t)e->subscription_id, "kind", e->kind, "channel",
            e->channel, "booking_no", e->booking_no, "status", e->status, "attempts", e->attempts,
            "next_attempt_at", e->next_attempt_at, "last_error", e->last_error, "created_at",
            e->created_at, "delivered_at", e->delivered_at));
    }
    /* A full page may have a next one: the caller asks again with after=next_after. */
    http__respond_json(c->req, 200, json_pack("{s:o,s:o}", "deliveries", arr, "next_after",
        n == (size_t)lim && n > 0 ? json_integer(r[n - 1].id) : json_null()));
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    return HC_OK;
}

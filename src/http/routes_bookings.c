/* SPDX-License-Identifier: MIT
 * routes_bookings.c: changes to a booking's custody facts (PATCH /api/v1/bookings/{no}): status,
 * release, facility, scheduled release, bail, next court date. The store raises the events
 * subscribers are told of and queues their deliveries in the same transaction. */
#include <h2o.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"
#include "ident.h"
#include "portal.h"
#include "publish.h"

#define NKEYS(a) (sizeof a / sizeof a[0])

static const char *const patch_keys[] = {"status", "released_at", "release_reason", "facility",
                                         "scheduled_release", "bail", "next_court_date"};

/* A nullable string member: absent (0), null (set, NULL), or checked text (set). */
static int patch_str(json_t *root, const char *key, unsigned bit, size_t maxlen,
                     enum http_str_kind kind, struct store_booking_patch *p, const char **out,
                     struct hc_diag *d)
{
    json_t *v = json_object_get(root, key);
    if (v == NULL)
        return HC_OK;
    p->set |= bit;
    *out = NULL;
    if (json_is_null(v))
        return HC_OK;
    return http__get_str(root, "", key, 1, maxlen, kind, out, d);
}

static int h_booking_patch(struct http_call *c)
{
    struct store_booking_patch p;
    struct store_booking_state st;
    struct hc_diag d;
    json_t *root, *v;
    char out[2048];
    struct hc_buf b;
    int rc;

    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if (c->param_len >= sizeof c->param || !hc_booking_no_valid(c->param, c->param_len)) {
        http__problem(c->req, 400, "bad booking number: " HC_BOOKING_NO_RULE,
                      "booking_no");
        return HC_OK;
    }
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return HC_OK;
    }
    if ((rc = http__check_keys(root, "", patch_keys, NKEYS(patch_keys), &d)) != HC_OK ||
        (rc = patch_str(root, "status", STORE_PATCH_STATUS, 16, HTTP_K_BOOKING_STATUS, &p,
                        &p.status, &d)) ||
        (rc = patch_str(root, "released_at", STORE_PATCH_RELEASED_AT, 40, HTTP_K_TIME, &p,
                        &p.released_at, &d)) ||
        (rc = patch_str(root, "release_reason", STORE_PATCH_RELEASE_REASON, 200, HTTP_K_TEXT, &p,
                        &p.release_reason, &d)) ||
        (rc = patch_str(root, "facility", STORE_PATCH_FACILITY, 200, HTTP_K_TEXT, &p,
                        &p.facility, &d)) ||
        (rc = patch_str(root, "scheduled_release", STORE_PATCH_SCHEDULED_RELEASE, 40, HTTP_K_TIME,
                        &p, &p.scheduled_release, &d)) ||
        (rc = patch_str(root, "next_court_date", STORE_PATCH_NEXT_COURT_DATE, 40, HTTP_K_TIME, &p,
                        &p.next_court_date, &d)))
        goto out;
    if ((p.set & STORE_PATCH_STATUS) && p.status == NULL) {
        rc = hc_diag_set(&d, "status", "may not be null", NULL);
        goto out;
    }
    if ((p.set & STORE_PATCH_FACILITY) && p.facility == NULL) {
        rc = hc_diag_set(&d, "facility", "may not be null", NULL);
        goto out;
    }
    if ((v = json_object_get(root, "bail")) != NULL) {
        p.set |= STORE_PATCH_BAIL;
        if (json_is_null(v)) {
            p.has_bail = 0;
        } else if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) {
            p.has_bail = 1;
            p.bail = -1;
        } else if (json_is_integer(v) && json_integer_value(v) >= 0 &&
                   json_integer_value(v) <= 10000000000LL) {
            p.has_bail = 1;
            p.bail = json_integer_value(v);
        } else {
            rc = hc_diag_set(&d, "bail", "expected whole dollars (0 to 10000000000), \"none\" "
                             "(held without bail) or null", NULL);
            goto out;
        }
    }
    if (p.set == 0) {
        rc = hc_diag_set(&d, "", "nothing to change: give at least one of status, released_at, "
                         "release_reason, facility, scheduled_release, bail, next_court_date", NULL);
        goto out;
    }
    hc_arena_reset(&c->w->arena);
    if ((rc = store_booking_update(c->w->st, c->param, &p, c->who.name, &c->w->arena, &st, &d)))
        goto out;
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"booking_no\":");
    http__put_jstr(&b, st.booking_no);
    hc_buf_puts(&b, ",\"facility\":");
    http__put_jstr(&b, st.facility);
    hc_buf_puts(&b, ",\"status\":");
    http__put_jstr(&b, st.status);
    hc_buf_puts(&b, ",\"scheduled_release\":");
    http__put_jstr(&b, st.scheduled_release);
    hc_buf_puts(&b, ",\"released_at\":");
    http__put_jstr(&b, st.released_at);
    hc_buf_puts(&b, ",\"release_reason\":");
    http__put_jstr(&b, st.release_reason);
    hc_buf_puts(&b, ",\"bail\":");
    if (!st.has_bail) {
        hc_buf_puts(&b, "null");
    } else if (st.bail < 0) {
        hc_buf_puts(&b, "\"none\"");
    } else {
        char num[24];
        snprintf(num, sizeof num, "%" PRId64, st.bail);
        hc_buf_puts(&b, num);
    }
    hc_buf_puts(&b, ",\"next_court_date\":");
    http__put_jstr(&b, st.next_court_date);
    hc_buf_puts(&b, ",\"events\":");
    http__put_names(&b, st.events, 1);
    hc_buf_puts(&b, ",\"deliveries_queued\":");
    hc_buf_putu(&b, (unsigned long)st.deliveries);
    hc_buf_putc(&b, '}');
    http__respond(c->req, 200, "application/json", b.data, b.len);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    json_decref(root);
    return HC_OK;
}

const struct http_route http_booking_routes[] = {
    {"PATCH", "/api/v1/bookings/{booking_no}", HTTP_WRITERS, HTTP_BODY_JSON, h_booking_patch, NULL, 0, 0},
};
const size_t http_booking_nroutes = sizeof http_booking_routes / sizeof http_booking_routes[0];

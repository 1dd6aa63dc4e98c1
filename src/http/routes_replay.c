/* SPDX-License-Identifier: MIT
 * routes_replay.c: POST /api/v1/replay, what-if replay for admins (src/app/replay.h,
 * docs/replay.md): decode the period, the date and the agency settings, call replay_run, encode
 * what it found. It writes nothing. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "replay.h"
#include "routes.h"

/* Changes listed in one answer; the summary counts them all. */
#define REPLAY_LISTED_MAX 1000

static const char *const replay_keys[] = {"from", "to", "as_of", "policy"};

/* The changes as they come, at most REPLAY_LISTED_MAX of them. */
struct listed {
    json_t *arr;
    size_t n;
};

static int list_change(void *ctx, const struct replay_change *ch)
{
    struct listed *l = ctx;
    json_t *j;
    if (l->n++ >= REPLAY_LISTED_MAX)
        return HC_OK;
    if ((j = replay_change_json(ch)) == NULL)
        return HC_ENOMEM;
    json_array_append_new(l->arr, j);
    return HC_OK;
}

int h_replay(struct http_call *c)
{
    struct replay_opts ro;
    struct replay_summary sum;
    struct listed l;
    struct hc_diag *d = &c->diag;
    json_t *pol, *o;
    char *settings = NULL;
    int rc;

    memset(&ro, 0, sizeof ro);
    if ((c->body = http__parse_body(c->req, d)) == NULL)
        return HC_EINVAL;
    if ((rc = http__check_keys(c->body, "", replay_keys, 4, d)) != HC_OK ||
        (rc = http__get_str(c->body, "", "from", 1, 10, HTTP_K_DATE, &ro.from, d)) != HC_OK ||
        (rc = http__get_str(c->body, "", "to", 1, 10, HTTP_K_DATE, &ro.to, d)) != HC_OK ||
        (rc = http__get_str(c->body, "", "as_of", 0, 10, HTTP_K_DATE, &ro.as_of, d)) != HC_OK)
        return rc;
    /* policy: the agency settings as GET /api/v1/agency/settings gives them (or a part). */
    pol = json_object_get(c->body, "policy");
    if (pol != NULL && !json_is_null(pol)) {
        if (!json_is_object(pol))
            return hc_diag_set(d, "policy", "expected an object: the agency settings "
                               "(release_dates_public, personal_info_public, policy, settings)",
                               NULL);
        if ((settings = json_dumps(pol, JSON_COMPACT)) == NULL)
            return HC_ENOMEM;
        ro.settings = settings;
    }
    if ((rc = replay_check(&ro, d)) != HC_OK) {
        /* A member of the settings is named under policy, as the body has it. */
        if (strcmp(d->field, "from") != 0 && strcmp(d->field, "to") != 0 &&
            strcmp(d->field, "as_of") != 0) {
            char f[sizeof d->field];
            memcpy(f, d->field, sizeof f);
            snprintf(d->field, sizeof d->field, "policy%s%.80s", f[0] ? "." : "", f);
        }
        free(settings);
        return rc;
    }
    l.arr = json_array();
    l.n = 0;
    rc = replay_run(c->w->st, c->w->cat, &ro, list_change, &l, &sum, d);
    free(settings);
    if (rc != HC_OK) {
        json_decref(l.arr);
        return rc;
    }
    o = json_object();
    json_object_set_new(o, "changes", l.arr);
    json_object_set_new(o, "changes_listed", json_integer((json_int_t)(l.n < REPLAY_LISTED_MAX
                                                                       ? l.n
                                                                       : REPLAY_LISTED_MAX)));
    json_object_set_new(o, "changes_truncated", json_boolean(l.n > REPLAY_LISTED_MAX));
    json_object_set_new(o, "summary", replay_summary_json(&sum));
    json_object_set_new(o, "written", json_false());
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

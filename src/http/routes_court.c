/* SPDX-License-Identifier: MIT
 * routes_court.c: the court record of a booking and its person: charges (added, and their
 * status, level and probable cause changed) and convictions (added and corrected), and the
 * decoding of a charge or conviction shared with booking creation. */
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

#include "case.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "records.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200

static const char *const conviction_keys[] = {
    "citation", "level", "date", "court", "prop47_reduced", "federal_aggravated_felony",
    "jurisdiction",
};
static const char *const charge_keys[] = {"citation", "level", "status", "magistrate_probable_cause"};

/* A stated jurisdiction that contradicts the citation (hc_juris_conflict) is refused
 * here, so no record the engine would refuse later is ever stored. */
static int check_jurisdiction(const struct store_conviction *c, const char *path,
                              struct hc_diag *d)
{
    struct hc_cite cite;
    const char *why;
    char f[96];
    if (c->jurisdiction == NULL ||
        hc_cite_parse(c->citation, strlen(c->citation), &cite, NULL) != HC_OK ||
        (why = hc_juris_conflict(&cite, c->jurisdiction)) == NULL)
        return HC_OK;
    http__field_path(f, sizeof f, path, "jurisdiction");
    return hc_diag_set(d, f, why, NULL);
}

/* o.federal_aggravated_felony into *out: NULL when absent or null, "true" or "false" for a
 * boolean, or a subparagraph letter A-U. */
static int decode_agg(json_t *o, const char *path, const char **out, struct hc_diag *d)
{
    json_t *agg = json_object_get(o, "federal_aggravated_felony");
    char f[96];
    *out = NULL;
    if (json_is_boolean(agg)) {
        *out = json_is_true(agg) ? "true" : "false";
        return HC_OK;
    }
    if (agg != NULL && !json_is_null(agg) && !json_is_string(agg)) {
        http__field_path(f, sizeof f, path, "federal_aggravated_felony");
        return hc_diag_set(d, f, "expected a letter A-U or a boolean", NULL);
    }
    return http__get_str(o, path, "federal_aggravated_felony", 0, 1, HTTP_K_AGG, out, d);
}

int http__decode_conviction(json_t *o, const char *path, struct store_conviction *c,
                             struct hc_diag *d)
{
    int rc;
    if (!json_is_object(o))
        return hc_diag_set(d, path, "expected an object", NULL);
    if ((rc = http__check_keys(o, path, conviction_keys, HTTP_NKEYS(conviction_keys), d)) != HC_OK ||
        (rc = http__get_str(o, path, "citation", 1, TEXT_MAX_LEN, HTTP_K_TEXT, &c->citation, d)) != HC_OK ||
        (rc = http__get_str(o, path, "level", 0, 16, HTTP_K_LEVEL, &c->level, d)) != HC_OK ||
        (rc = http__get_str(o, path, "date", 0, 10, HTTP_K_DATE, &c->date, d)) != HC_OK ||
        (rc = http__get_str(o, path, "court", 0, TEXT_MAX_LEN, HTTP_K_TEXT, &c->court, d)) != HC_OK ||
        (rc = http__get_bool(o, path, "prop47_reduced", 1, &c->prop47_reduced, d)) != HC_OK ||
        (rc = http__get_str(o, path, "jurisdiction", 0, 40, HTTP_K_TEXT, &c->jurisdiction, d)) != HC_OK)
        return rc;
    if ((rc = decode_agg(o, path, &c->federal_aggravated_felony, d)) != HC_OK)
        return rc;
    return check_jurisdiction(c, path, d);
}

int http__decode_charge(json_t *o, const char *path, struct store_charge *c, struct hc_diag *d)
{
    int rc;
    if (!json_is_object(o))
        return hc_diag_set(d, path, "expected an object", NULL);
    if ((rc = http__check_keys(o, path, charge_keys, HTTP_NKEYS(charge_keys), d)) != HC_OK ||
        (rc = http__get_str(o, path, "citation", 1, TEXT_MAX_LEN, HTTP_K_TEXT, &c->citation, d)) != HC_OK ||
        (rc = http__get_str(o, path, "level", 0, 16, HTTP_K_LEVEL, &c->level, d)) != HC_OK ||
        (rc = http__get_str(o, path, "status", 0, 16, HTTP_K_CHARGE_STATUS, &c->status, d)) != HC_OK ||
        (rc = http__get_bool(o, path, "magistrate_probable_cause", 0, &c->magistrate_probable_cause,
                       d)) != HC_OK)
        return rc;
    if (c->status == NULL)
        c->status = "pending";
    return HC_OK;
}

static const char *const charge_patch_keys[] = {"status", "level", "magistrate_probable_cause"};
static const char *const conviction_patch_keys[] = {"level", "prop47_reduced",
                                                    "federal_aggravated_felony"};

/* A body that must name at least one of keys, all of them allowed; NULL after answering. */
static json_t *patch_body(struct http_call *c, const char *const *keys, size_t n)
{
    struct hc_diag d;
    json_t *root;
    char msg[160];
    size_t i, len = 0;
    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL ||
        http__check_keys(root, "", keys, n, &d) != HC_OK) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        json_decref(root);
        return NULL;
    }
    if (json_object_size(root) > 0)
        return root;
    len = (size_t)snprintf(msg, sizeof msg, "nothing to change: give at least one of");
    for (i = 0; i < n && len < sizeof msg; i++)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %s", i ? "," : "", keys[i]);
    http__problem(c->req, 400, msg, "");
    json_decref(root);
    return NULL;
}

int h_charge_add(struct http_call *c)
{
    const char *no = http__param_booking_no(c);
    struct store_charge ch;
    struct store_record r;
    struct hc_diag d;
    json_t *root;
    char loc[sizeof "/api/v1/bookings/" + sizeof c->param];
    int rc;

    if (no == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    if ((root = http__body_or_problem(c->req, &d)) == NULL)
        return HC_OK;
    memset(&ch, 0, sizeof ch);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__decode_charge(root, "", &ch, &d)) == HC_OK)
        rc = records_charge_add(c->w->st, no, &ch, c->who.name, &c->w->arena, &r, &d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
    } else {
        /* The booking's record exactly as GET /api/v1/bookings/{no} gives it. */
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", no);
        http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
        http__respond_record(c->req, c->w, 201, &r, NULL, 0);
    }
    json_decref(root);
    return HC_OK;
}

int h_charge_patch(struct http_call *c)
{
    int64_t id = http__param_id(c);
    struct store_charge_patch p;
    struct store_record r;
    struct hc_diag d;
    json_t *root;
    int rc = HC_OK, mpc;

    if (id == 0 || (root = patch_body(c, charge_patch_keys, HTTP_NKEYS(charge_patch_keys))) == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if (json_object_get(root, "status") != NULL) {
        p.set |= STORE_CHG_STATUS;
        rc = http__get_str(root, "", "status", 1, 16, HTTP_K_CHARGE_STATUS, &p.status, &d);
    }
    if (rc == HC_OK && json_object_get(root, "level") != NULL) {
        p.set |= STORE_CHG_LEVEL; /* null clears: the level is not known */
        rc = http__get_str(root, "", "level", 0, 16, HTTP_K_LEVEL, &p.level, &d);
    }
    if (rc == HC_OK && json_object_get(root, "magistrate_probable_cause") != NULL) {
        p.set |= STORE_CHG_MAGISTRATE;
        rc = http__get_bool(root, "", "magistrate_probable_cause", 1, &mpc, &d);
        if (rc == HC_OK && mpc < 0)
            rc = hc_diag_set(&d, "magistrate_probable_cause", "expected true or false", NULL);
        p.magistrate_probable_cause = mpc;
    }
    hc_arena_reset(&c->w->arena);
    if (rc == HC_OK)
        rc = records_charge_update(c->w->st, id, &p, c->who.name, &c->w->arena, &r, &d);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        http__respond_record(c->req, c->w, 200, &r, NULL, 0); /* as GET gives the booking */
    json_decref(root);
    return HC_OK;
}

/* The conviction as the answer of its POST and PATCH: its id, its person and whether a PATCH
 * changed anything; the person's whole record is GET /api/v1/people/{id}. */
static void respond_conviction(struct http_call *c, int status, int64_t id, int64_t person_id,
                               int changed)
{
    json_t *o = json_object();
    char loc[64];
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "person_id", json_integer(person_id));
    if (changed >= 0)
        json_object_set_new(o, "changed", json_boolean(changed));
    snprintf(loc, sizeof loc, "/api/v1/people/%" PRId64, person_id);
    http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
    http__respond_json(c->req, status, o);
}

int h_conviction_add(struct http_call *c)
{
    int64_t pid, id = 0;
    struct store_conviction cv;
    int rc;

    memset(&cv, 0, sizeof cv);
    if ((rc = http__id_and_body(c, NULL, &pid)) == HC_OK &&
        (rc = http__decode_conviction(c->body, "", &cv, &c->diag)) == HC_OK)
        rc = records_conviction_add(c->w->st, pid, &cv, c->who.name, &id, &c->diag);
    if (rc == HC_ENOENT && strcmp(c->diag.field, "person_id") == 0)
        hc_diag_set(&c->diag, "id", "no such person", NULL);
    if (rc != HC_OK)
        return rc;
    respond_conviction(c, 201, id, pid, -1);
    return HC_OK;
}

int h_conviction_patch(struct http_call *c)
{
    int64_t id = http__param_id(c);
    struct store_conviction_patch p;
    struct store_court_change out;
    struct hc_diag d;
    json_t *root;
    int rc = HC_OK;

    if (id == 0 ||
        (root = patch_body(c, conviction_patch_keys, HTTP_NKEYS(conviction_patch_keys))) == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if (json_object_get(root, "level") != NULL) {
        p.set |= STORE_CONV_LEVEL;
        rc = http__get_str(root, "", "level", 0, 16, HTTP_K_LEVEL, &p.level, &d);
    }
    if (rc == HC_OK && json_object_get(root, "prop47_reduced") != NULL) {
        p.set |= STORE_CONV_PROP47; /* null: not known */
        rc = http__get_bool(root, "", "prop47_reduced", 1, &p.prop47_reduced, &d);
    }
    if (rc == HC_OK && json_object_get(root, "federal_aggravated_felony") != NULL) {
        p.set |= STORE_CONV_AGG; /* null: not known */
        rc = decode_agg(root, "", &p.federal_aggravated_felony, &d);
    }
    if (rc == HC_OK)
        rc = records_conviction_update(c->w->st, id, &p, c->who.name, &out, &d);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_conviction(c, 200, id, out.person_id, out.changed);
    json_decref(root);
    return HC_OK;
}

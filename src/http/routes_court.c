/* SPDX-License-Identifier: MIT
 * routes_court.c: the court record of a booking and its person: charges (added, and their
 * status, level and probable cause changed) and convictions (added and corrected), and the
 * decoding of a charge or conviction shared with booking creation. */
#include <h2o.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stddef.h>
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

/* One member of a PATCH body: its bit in the patch's set, how it is read, and where its value
 * goes in the patch (offsetof a const char * for strings, an int for booleans). */
enum patch_type { PATCH_STR, PATCH_BOOL, PATCH_AGG };
struct patch_member {
    const char *name;
    unsigned bit;
    enum patch_type type;
    int nullable;            /* null is a value: not known, or cleared */
    size_t max;              /* PATCH_STR: bytes */
    enum http_str_kind kind; /* PATCH_STR: what the string must look like */
    size_t off;
};

/* PATCH /api/v1/charges/{id}: null clears the level (not known); status and
 * magistrate_probable_cause may not be null. */
static const struct patch_member charge_patch[] = {
    {"status", STORE_CHG_STATUS, PATCH_STR, 0, 16, HTTP_K_CHARGE_STATUS,
     offsetof(struct store_charge_patch, status)},
    {"level", STORE_CHG_LEVEL, PATCH_STR, 1, 16, HTTP_K_LEVEL,
     offsetof(struct store_charge_patch, level)},
    {"magistrate_probable_cause", STORE_CHG_MAGISTRATE, PATCH_BOOL, 0, 0, HTTP_K_TEXT,
     offsetof(struct store_charge_patch, magistrate_probable_cause)},
};

/* PATCH /api/v1/convictions/{id}: null is "not known" for each. */
static const struct patch_member conviction_patch[] = {
    {"level", STORE_CONV_LEVEL, PATCH_STR, 1, 16, HTTP_K_LEVEL,
     offsetof(struct store_conviction_patch, level)},
    {"prop47_reduced", STORE_CONV_PROP47, PATCH_BOOL, 1, 0, HTTP_K_TEXT,
     offsetof(struct store_conviction_patch, prop47_reduced)},
    {"federal_aggravated_felony", STORE_CONV_AGG, PATCH_AGG, 1, 0, HTTP_K_AGG,
     offsetof(struct store_conviction_patch, federal_aggravated_felony)},
};

/* The id of the path into *id, then the body into c->body: at least one member, each one of
 * m[0..n), decoded in that order into patch (whose set is *set). Returns 0, or HC_EINVAL with
 * c->diag set. */
static int patch_decode(struct http_call *c, const struct patch_member *m, size_t n, void *patch,
                        unsigned *set, int64_t *id)
{
    const char *keys[HTTP_FIELDS_MAX];
    char msg[160];
    size_t i, len;
    int rc;

    for (i = 0; i < n && i < HTTP_NKEYS(keys); i++)
        keys[i] = m[i].name;
    if ((rc = http__id_and_body(c, NULL, id)) != HC_OK ||
        (rc = http__check_keys(c->body, "", keys, i, &c->diag)) != HC_OK)
        return rc;
    if (json_object_size(c->body) == 0) {
        len = (size_t)snprintf(msg, sizeof msg, "nothing to change: give at least one of");
        for (i = 0; i < n && len < sizeof msg; i++)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %s", i ? "," : "", m[i].name);
        return hc_diag_set(&c->diag, "", msg, NULL);
    }
    for (i = 0; i < n; i++) {
        char *at = (char *)patch + m[i].off;
        if (m[i].type == PATCH_STR)
            rc = http__patch_str(c->body, m[i].name, m[i].bit, set, m[i].nullable, m[i].max,
                                 m[i].kind, (const char **)(void *)at, &c->diag);
        else if (m[i].type == PATCH_BOOL)
            rc = http__patch_bool(c->body, m[i].name, m[i].bit, set, m[i].nullable,
                                  (int *)(void *)at, &c->diag);
        else if (json_object_get(c->body, m[i].name) != NULL) {
            *set |= m[i].bit;
            rc = decode_agg(c->body, "", (const char **)(void *)at, &c->diag);
        }
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
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
        http__respond_record(c->req, c->w, 201, &r, NULL, NULL);
    }
    json_decref(root);
    return HC_OK;
}

int h_charge_patch(struct http_call *c)
{
    struct store_charge_patch p;
    struct store_record r;
    int64_t id;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = patch_decode(c, charge_patch, HTTP_NKEYS(charge_patch), &p, &p.set, &id)))
        return rc;
    hc_arena_reset(&c->w->arena);
    if ((rc = records_charge_update(c->w->st, id, &p, c->who.name, &c->w->arena, &r, &c->diag)))
        return rc;
    http__respond_record(c->req, c->w, 200, &r, NULL, NULL); /* as GET gives the booking */
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
    struct store_conviction_patch p;
    struct store_court_change out;
    int64_t id;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = patch_decode(c, conviction_patch, HTTP_NKEYS(conviction_patch), &p, &p.set, &id)))
        return rc;
    if ((rc = records_conviction_update(c->w->st, id, &p, c->who.name, &out, &c->diag)))
        return rc;
    respond_conviction(c, 200, id, out.person_id, out.changed);
    return HC_OK;
}

/* SPDX-License-Identifier: MIT
 * intake.c: stored record -> case JSON -> hc_case_read -> hc_decide -> stored decision. The case
 * goes through the same reader as `holdcheck decide` and POST /api/v1/decide, so a stored record
 * can never be decided under rules that a submitted case would not be, and the exact case text
 * is kept with the decision. */
#include "intake.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "engine.h"
#include "render.h"

#define RENDER_MAX (64u << 20) /* a decision never approaches this; it bounds the retry loop */

static int digits(const char *s, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int intake_parse_received(const char *s, hc_day *day)
{
    size_t n = strlen(s);
    const char *p = s + 10;
    hc_day dd;
    if (n < 10 || hc_date_parse(s, 10, &dd) != 0)
        return HC_EINVAL;
    if (*p != '\0') {
        if (*p != 'T' || !digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2) || p[6] != ':' ||
            !digits(p + 7, 2) || (p[1] - '0') * 10 + (p[2] - '0') > 23 ||
            (p[4] - '0') * 10 + (p[5] - '0') > 59 || (p[7] - '0') * 10 + (p[8] - '0') > 60)
            return HC_EINVAL;
        p += 9;
        if (*p == '.') {
            p++;
            if (!digits(p, 1))
                return HC_EINVAL;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            if (!digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2))
                return HC_EINVAL;
            p += 6;
        }
        if (*p != '\0')
            return HC_EINVAL;
    }
    *day = dd;
    return HC_OK;
}

void intake_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    char z[8];
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(z, sizeof z, "%z", &tm); /* "+hhmm": RFC 3339 wants "+hh:mm" */
    if (strlen(z) == 5) {
        size_t n = strlen(out);
        snprintf(out + n, 32 - n, "%c%c%c:%c%c", z[0], z[1], z[2], z[3], z[4]);
    }
}

static void jput_str(json_t *o, const char *k, const char *v)
{
    if (v != NULL)
        json_object_set_new(o, k, json_string(v));
}

/* The case-format JSON for request rq (numbered request_id) against record r and agency ag.
 * Returns a malloc'd string, or NULL when out of memory or the stored policy is not an object. */
static char *build_case(const struct store_record *r, const struct store_agency *ag,
                        const struct store_request *rq, int64_t request_id, const char *as_of,
                        struct hc_diag *d)
{
    json_t *c = json_object(), *req = json_object(), *person = json_object();
    json_t *conv = json_array(), *charges = json_array(), *agency = json_object(), *pol;
    char id[40], *text = NULL;
    size_t i;

    if (c == NULL || req == NULL || person == NULL || conv == NULL || charges == NULL ||
        agency == NULL)
        goto out;
    snprintf(id, sizeof id, "request-%lld", (long long)request_id);
    json_object_set_new(c, "id", json_string(id));
    json_object_set_new(c, "as_of", json_string(as_of));
    json_object_set(c, "request", req);
    json_object_set(c, "person", person);
    json_object_set(c, "agency", agency);
    jput_str(req, "type", rq->type);
    jput_str(req, "form", rq->form);
    json_object_set_new(req, "judicial_warrant", json_boolean(rq->judicial_warrant));
    json_object_set_new(req, "judicial_probable_cause", json_boolean(rq->judicial_probable_cause));
    json_object_set_new(req, "federal_felony_warrant", json_boolean(rq->federal_felony_warrant));

    for (i = 0; i < r->nconv; i++) {
        const struct store_conviction *cv = &r->conv[i];
        const char *agg = cv->federal_aggravated_felony;
        json_t *o = json_object();
        json_array_append_new(conv, o);
        jput_str(o, "citation", cv->citation);
        jput_str(o, "level", cv->level);
        jput_str(o, "date", cv->date);
        if (cv->prop47_reduced >= 0)
            json_object_set_new(o, "prop47_reduced", json_boolean(cv->prop47_reduced));
        if (agg != NULL && strcmp(agg, "true") == 0)
            json_object_set_new(o, "federal_aggravated_felony", json_true());
        else if (agg != NULL && strcmp(agg, "false") == 0)
            json_object_set_new(o, "federal_aggravated_felony", json_false());
        else
            jput_str(o, "federal_aggravated_felony", agg);
        jput_str(o, "jurisdiction", cv->jurisdiction);
    }
    for (i = 0; i < r->ncharges; i++) {
        const struct store_charge *ch = &r->charges[i];
        json_t *o;
        if (strcmp(ch->status, "pending") != 0)
            continue;
        o = json_object();
        json_array_append_new(charges, o);
        jput_str(o, "citation", ch->citation);
        jput_str(o, "level", ch->level);
        json_object_set_new(o, "magistrate_probable_cause",
                            json_boolean(ch->magistrate_probable_cause));
    }
    json_object_set(person, "convictions", conv);
    json_object_set(person, "pending_charges", charges);
    json_object_set_new(person, "registrant_290", json_boolean(r->person.registrant_290));

    json_object_set_new(agency, "release_dates_public", json_boolean(ag->release_dates_public));
    json_object_set_new(agency, "personal_info_public", json_boolean(ag->personal_info_public));
    pol = json_loads(ag->policy_json ? ag->policy_json : "{}", 0, NULL);
    if (!json_is_object(pol)) {
        json_decref(pol);
        hc_diag_set(d, "agency.policy", "the stored agency policy is not a JSON object", NULL);
        goto out;
    }
    json_object_set_new(agency, "policy", pol);
    text = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    json_decref(c);
    json_decref(req);
    json_decref(person);
    json_decref(conv);
    json_decref(charges);
    json_decref(agency);
    return text;
}

/* Render the decision into a malloc'd string, growing until it fits. */
static char *render(const struct hc_catalog *cat, const struct hc_case *c,
                    const struct hc_decision *dec, size_t *len)
{
    size_t room = 16384;
    while (room <= RENDER_MAX) {
        char *mem = malloc(room);
        struct hc_buf b;
        if (mem == NULL)
            return NULL;
        hc_buf_init(&b, mem, room);
        hc_render_json(cat, c, dec, &b);
        if (!b.full) {
            hc_buf_cstr(&b);
            *len = b.len;
            return mem;
        }
        free(mem);
        room *= 4;
    }
    return NULL;
}

/* Build the case for request_id from the stored record and agency settings, decide it under the
 * law in force on as_of, and add the decision inside the caller's transaction. On success out
 * holds the ids and the decision JSON (malloc'd; the caller frees it). Errors name the field:
 * received_at for a date before the first law, the record's field otherwise. */
static int decide_and_store(struct hc_store *st, const struct hc_catalog *cat,
                            const struct store_record *rec, const struct store_agency *ag,
                            const struct store_request *req, int64_t request_id,
                            const char *as_of, const char *actor, struct hc_arena *scratch,
                            struct intake_result *out, struct hc_diag *d)
{
    struct store_decision sd;
    struct hc_case c;
    struct hc_decision dec;
    struct hc_diag cd;
    char *case_json, *dec_json = NULL;
    size_t pos = 0, dec_len = 0;
    int64_t decision_id = 0;
    int rc;

    case_json = build_case(rec, ag, req, request_id, as_of, d);
    if (case_json == NULL)
        return d != NULL && d->field[0] ? HC_EINVAL : HC_ENOMEM;
    hc_diag_clear(&cd);
    rc = hc_case_read(case_json, strlen(case_json), &pos, 1, &c, scratch, &cd);
    if (rc == HC_OK)
        rc = hc_decide(cat, &c, &dec, &cd);
    if (rc != HC_OK) {
        /* The record, not the caller, made the case invalid (a date, the policy, too many
         * convictions), except for the one date the request gives. */
        if (rc == HC_ERANGE)
            hc_diag_set(d, "received_at", cd.msg, NULL);
        else
            hc_diag_set(d, cd.field[0] ? cd.field : "record", "stored record: ", cd.msg);
        goto out;
    }
    dec_json = render(cat, &c, &dec, &dec_len);
    if (dec_json == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    sd.request_id = request_id;
    sd.outcome = hc_outcome_name(dec.outcome);
    sd.ruleset = hc_ruleset_name(dec.ruleset);
    sd.case_json = case_json;
    sd.decision_json = dec_json;
    sd.decided_by = actor;
    if ((rc = store_decision_add(st, &sd, &decision_id)) != HC_OK)
        goto out;
    out->request_id = request_id;
    out->decision_id = decision_id;
    out->decision_json = dec_json;
    out->decision_len = dec_len;
    dec_json = NULL;
out:
    free(case_json);
    free(dec_json);
    return rc;
}

/* Commit the caller's transaction; on failure the decision JSON in out is freed. */
static int commit_decision(struct hc_store *st, struct intake_result *out)
{
    int rc = store_commit(st);
    if (rc != HC_OK) {
        free(out->decision_json);
        out->decision_json = NULL;
    }
    return rc;
}

int intake_submit(struct hc_store *st, const struct hc_catalog *cat, const char *booking_no,
                  const struct store_request *rq, const char *actor, struct hc_arena *scratch,
                  struct intake_result *out, struct hc_diag *d)
{
    struct store_request req = *rq;
    struct store_record rec;
    struct store_agency ag;
    char now[32], as_of[11];
    int64_t request_id = 0;
    hc_day day;
    int rc, in_tx = 0;

    hc_arena_reset(scratch);
    if (req.type == NULL || hc_request_from_name(req.type, strlen(req.type)) < 0)
        return hc_diag_set(d, "type", "unknown request type", req.type ? "" : " (missing)");
    if (req.received_at == NULL) {
        intake_now(now);
        req.received_at = now;
    }
    if (intake_parse_received(req.received_at, &day) != HC_OK)
        return hc_diag_set(d, "received_at",
                           "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or an offset", NULL);
    hc_date_format(day, as_of);

    if ((rc = store_begin(st)) != HC_OK)
        goto out;
    in_tx = 1;
    rc = store_record_get(st, booking_no, scratch, &rec);
    if (rc == HC_ENOENT)
        hc_diag_set(d, "booking_no", "no such booking", NULL);
    if (rc != HC_OK)
        goto out;
    if ((rc = store_agency_get(st, scratch, &ag)) != HC_OK ||
        (rc = store_request_add(st, rec.booking.id, &req, actor, &request_id)) != HC_OK ||
        (rc = decide_and_store(st, cat, &rec, &ag, &req, request_id, as_of, actor, scratch, out,
                               d)) != HC_OK)
        goto out;
    in_tx = 0;
    rc = commit_decision(st, out);
out:
    if (in_tx && rc != HC_OK)
        store_rollback(st);
    return rc;
}

int intake_redecide(struct hc_store *st, const struct hc_catalog *cat, int64_t request_id,
                    const char *actor, struct hc_arena *scratch, struct intake_result *out,
                    struct hc_diag *d)
{
    struct store_request_detail det;
    struct store_record rec;
    struct store_agency ag;
    char as_of[11];
    hc_day day;
    int rc, in_tx = 0;

    hc_arena_reset(scratch);
    if ((rc = store_begin(st)) != HC_OK)
        goto out;
    in_tx = 1;
    rc = store_request_get(st, request_id, scratch, &det);
    if (rc == HC_ENOENT)
        hc_diag_set(d, "id", "no such request", NULL);
    if (rc != HC_OK)
        goto out;
    if (intake_parse_received(det.req.received_at, &day) != HC_OK) {
        rc = hc_diag_set(d, "received_at", "stored request: unreadable received_at", NULL);
        goto out;
    }
    hc_date_format(day, as_of);
    if ((rc = store_record_get(st, det.booking_no, scratch, &rec)) != HC_OK ||
        (rc = store_agency_get(st, scratch, &ag)) != HC_OK ||
        (rc = decide_and_store(st, cat, &rec, &ag, &det.req, request_id, as_of, actor, scratch,
                               out, d)) != HC_OK)
        goto out;
    in_tx = 0;
    rc = commit_decision(st, out);
out:
    if (in_tx && rc != HC_OK)
        store_rollback(st);
    return rc;
}

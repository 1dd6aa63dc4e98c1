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
#include <strings.h>
#include <time.h>

#include "case.h"
#include "clock.h"
#include "charge.h"
#include "engine.h"
#include "notices.h"
#include "render.h"
#include "records.h"
#include "service.h"
#include "store.h"
#include "trace.h"

#define CASE_MAX ((size_t)1 << 20) /* a case's text: 500 convictions and 500 charges fit */

/* s (NUL-terminated) read as a moment (hc_time_parse). */
static int read_time(const char *s, struct hc_time *t)
{
    return hc_time_parse(s, strlen(s), t) == 0 ? HC_OK : HC_EINVAL;
}

int intake_parse_received(const char *s, hc_day *day)
{
    struct hc_time t;
    if (read_time(s, &t) != HC_OK)
        return HC_EINVAL;
    *day = t.day;
    return HC_OK;
}

/* How far a clock may be ahead of the server's, or a booking's time behind a request's. */
#define CLOCK_SKEW_SECS 300

/* Whether received_at can be when the request arrived about a booking made at booked_at: not
 * before the booking, not after now, to the second when both carry a zone and to the day
 * otherwise, with CLOCK_SKEW_SECS of allowance. HC_OK, or HC_EINVAL naming received_at. */
static int received_possible(const char *received_at, const char *booked_at, struct hc_diag *d)
{
    int64_t now = hc_clock_now();
    struct hc_time r, b;
    hc_day today;
    char local[HC_CLOCK_DATE_LEN];

    if (read_time(received_at, &r) != HC_OK)
        return hc_diag_set(d, "received_at", "unreadable", NULL);
    hc_clock_local_date(now + CLOCK_SKEW_SECS, local);
    if ((r.has_zone && hc_time_utc(&r) > now + CLOCK_SKEW_SECS) ||
        (!r.has_zone && hc_date_parse(local, 10, &today) == HC_OK && r.day > today))
        return hc_diag_set(d, "received_at", "is in the future", NULL);
    /* A day before the first law holdcheck encodes is the decision's to refuse (HC_ERANGE):
     * there is no law to apply, whatever the booking. */
    if (hc_ruleset_for(r.day, NULL) < 0)
        return HC_OK;
    if (booked_at == NULL || read_time(booked_at, &b) != HC_OK)
        return HC_OK; /* a booking time this program cannot read bounds nothing */
    if (r.has_zone && b.has_zone ? hc_time_utc(&r) < hc_time_utc(&b) - CLOCK_SKEW_SECS
                                 : r.day < b.day) {
        char msg[96];
        snprintf(msg, sizeof msg, "is before the booking (booked at %.40s)", booked_at);
        return hc_diag_set(d, "received_at", msg, NULL);
    }
    return HC_OK;
}

/* `,"key":` (no comma when first) and the value, the ways the case format writes them. */
static void put_key(struct hc_buf *b, const char *key, int *first)
{
    if (!*first)
        hc_buf_putc(b, ',');
    *first = 0;
    hc_buf_put_jstr(b, key, strlen(key));
    hc_buf_putc(b, ':');
}

/* key and the string v; nothing when v is NULL (the member is absent). */
static void put_str(struct hc_buf *b, const char *key, const char *v, int *first)
{
    if (v == NULL)
        return;
    put_key(b, key, first);
    hc_buf_put_jstr(b, v, strlen(v));
}

static void put_bool(struct hc_buf *b, const char *key, int v, int *first)
{
    put_key(b, key, first);
    hc_buf_puts(b, v ? "true" : "false");
}

/* Write the case-format JSON for request rq (numbered request_id) against record r and agency
 * ag into b, compact and in the member order of case-format.md (as json_dumps wrote it when
 * the case was a jansson tree). HC_EINVAL (d->field "agency.policy") when the stored policy is
 * not a JSON object; b->full tells whether it fitted. */
static int build_case(const struct store_record *r, const struct store_agency *ag,
                      const struct store_request *rq, int64_t request_id, const char *as_of,
                      struct hc_buf *b, struct hc_diag *d)
{
    json_t *pol;
    char id[40], *poltext;
    size_t i, k;
    int first = 1, f;

    /* The policy is the one part the case takes as stored JSON: parsed to check it is an
     * object, and printed compact. */
    pol = json_loads(ag->policy_json ? ag->policy_json : "{}", 0, NULL);
    if (!json_is_object(pol)) {
        json_decref(pol);
        return hc_diag_set(d, "agency.policy", "the stored agency policy is not a JSON object",
                           NULL);
    }
    poltext = json_dumps(pol, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(pol);
    if (poltext == NULL)
        return HC_ENOMEM;

    snprintf(id, sizeof id, "request-%lld", (long long)request_id);
    hc_buf_putc(b, '{');
    put_str(b, "id", id, &first);
    put_str(b, "as_of", as_of, &first);
    put_key(b, "request", &first);
    hc_buf_putc(b, '{');
    f = 1;
    put_str(b, "type", rq->type, &f);
    put_str(b, "form", rq->form, &f);
    put_bool(b, "judicial_warrant", rq->judicial_warrant, &f);
    put_bool(b, "judicial_probable_cause", rq->judicial_probable_cause, &f);
    put_bool(b, "federal_felony_warrant", rq->federal_felony_warrant, &f);
    hc_buf_putc(b, '}');

    put_key(b, "person", &first);
    hc_buf_puts(b, "{\"convictions\":[");
    for (i = 0; i < r->nconv; i++) {
        const struct store_conviction *cv = &r->conv[i];
        const char *agg = cv->federal_aggravated_felony;
        hc_buf_puts(b, i ? ",{" : "{");
        f = 1;
        put_str(b, "citation", cv->citation, &f);
        put_str(b, "level", cv->level, &f);
        put_str(b, "date", cv->date, &f);
        if (cv->prop47_reduced >= 0)
            put_bool(b, "prop47_reduced", cv->prop47_reduced, &f);
        if (agg != NULL && (strcmp(agg, "true") == 0 || strcmp(agg, "false") == 0))
            put_bool(b, "federal_aggravated_felony", agg[0] == 't', &f);
        else
            put_str(b, "federal_aggravated_felony", agg, &f);
        put_str(b, "jurisdiction", cv->jurisdiction, &f);
        hc_buf_putc(b, '}');
    }
    hc_buf_puts(b, "],\"pending_charges\":[");
    for (i = 0, k = 0; i < r->ncharges; i++) {
        const struct store_charge *ch = &r->charges[i];
        if (strcmp(ch->status, "pending") != 0)
            continue;
        hc_buf_puts(b, k++ ? ",{" : "{");
        f = 1;
        put_str(b, "citation", ch->citation, &f);
        put_str(b, "level", ch->level, &f);
        put_bool(b, "magistrate_probable_cause", ch->magistrate_probable_cause, &f);
        hc_buf_putc(b, '}');
    }
    hc_buf_putc(b, ']');
    f = 0;
    put_bool(b, "registrant_290", r->person.registrant_290, &f);
    hc_buf_putc(b, '}');

    put_key(b, "agency", &first);
    hc_buf_putc(b, '{');
    f = 1;
    put_bool(b, "release_dates_public", ag->release_dates_public, &f);
    put_bool(b, "personal_info_public", ag->personal_info_public, &f);
    put_key(b, "policy", &f);
    hc_buf_puts(b, poltext);
    hc_buf_puts(b, "}}");
    free(poltext);
    return HC_OK;
}

/* A buffer over at most max bytes of what is left of a (all of it when max is 0), or
 * HC_ENOMEM when less than 64 bytes are left. The caller gives back what the text did not use
 * (a->used -= cap - len - 1, keeping the NUL), so scratch keeps room for its owner's use. */
static int scratch_buf(struct hc_arena *a, size_t max, struct hc_buf *b)
{
    size_t room = a->cap - a->used > 64 ? a->cap - a->used - 64 : 0;
    char *mem;
    if (max != 0 && room > max)
        room = max;
    if (room == 0 || (mem = hc_arena_alloc(a, room)) == NULL)
        return HC_ENOMEM;
    hc_buf_init(b, mem, room);
    return HC_OK;
}

/* Build the case for request_id from the stored record and agency settings, decide it under the
 * law in force on as_of, and add the decision inside the caller's transaction. The case text is
 * written once into scratch and stored as it is; the decision is rendered once, into what is
 * left of scratch. On success out holds the ids, the outcome and the decision JSON (in
 * scratch). Errors name the field: received_at for a date before the first law, the record's
 * field otherwise; HC_ENOMEM when the case or the decision does not fit scratch. */
static int decide_and_store(struct hc_store *st, const struct hc_catalog *cat,
                            const struct store_record *rec, const struct store_agency *ag,
                            const struct store_request *req, int64_t request_id,
                            const char *as_of, const char *actor, struct hc_arena *scratch,
                            struct intake_result *out, struct hc_diag *d)
{
    struct store_decision sd;
    char *settings;
    struct hc_case c;
    struct hc_decision dec;
    struct hc_diag cd;
    struct hc_buf cb, db;
    size_t pos = 0;
    int64_t decision_id = 0;
    int rc;

    if ((rc = scratch_buf(scratch, CASE_MAX, &cb)) != HC_OK ||
        (rc = build_case(rec, ag, req, request_id, as_of, &cb, d)) != HC_OK)
        return rc;
    if (cb.full)
        return hc_diag_set(d, "record", "stored record too large for one case", NULL),
               HC_ENOMEM;
    hc_buf_cstr(&cb);
    /* Give back what the case text did not use. */
    scratch->used -= cb.cap - cb.len - 1;
    hc_diag_clear(&cd);
    rc = hc_case_read(cb.data, cb.len, &pos, 1, &c, scratch, &cd);
    if (rc == HC_OK)
        rc = hc_case_read_charges(&c, cat, scratch);
    if (rc == HC_OK)
        rc = hc_decide(cat, &c, &dec, &cd);
    if (rc != HC_OK) {
        /* The record, not the caller, made the case invalid (a date, the policy, too many
         * convictions), except for the one date the request gives. */
        if (rc == HC_ERANGE)
            hc_diag_set(d, "received_at", cd.msg, NULL);
        else
            hc_diag_set(d, cd.field[0] ? cd.field : "record", "stored record: ", cd.msg);
        return rc;
    }
    if ((rc = scratch_buf(scratch, 0, &db)) != HC_OK)
        return rc;
    hc_render_json(cat, &c, &dec, &db);
    if (db.full)
        return hc_diag_set(d, "record", "decision too large to render", NULL), HC_ENOMEM;
    hc_buf_cstr(&db);
    scratch->used -= db.cap - db.len - 1; /* what the decision did not use */
    sd.request_id = request_id;
    sd.outcome = hc_outcome_name(dec.outcome);
    sd.ruleset = hc_ruleset_name(dec.ruleset);
    sd.case_json = cb.data;
    sd.decision_json = db.data;
    sd.decided_by = actor;
    /* The trace: what decided besides the ruleset. The settings are the case's agency member
     * as build_case wrote it from ag (no interpretive settings: the engine's defaults). */
    sd.catalog_version = cat->version[0] != '\0' ? cat->version : NULL;
    sd.engine_version = HC_ENGINE_VERSION;
    settings = trace_settings_json(ag->release_dates_public, ag->personal_info_public,
                                   ag->policy_json, NULL);
    if (settings == NULL)
        return HC_ENOMEM; /* build_case has read the policy as an object */
    sd.settings_json = settings;
    rc = store_decision_add(st, &sd, &decision_id);
    free(settings);
    if (rc != HC_OK)
        return rc;
    out->request_id = request_id;
    out->decision_id = decision_id;
    out->outcome = (int)dec.outcome;
    out->decision_json = db.data;
    out->decision_len = db.len;
    return HC_OK;
}

/* End the transaction open on st: roll it back when rc is an error, commit it otherwise (a
 * failed commit leaves out without a decision). Returns rc, or the commit's error. */
static int end_transaction(struct hc_store *st, int rc, struct intake_result *out)
{
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st);
    if (rc != HC_OK) {
        out->decision_json = NULL;
        out->decision_len = 0;
    }
    return rc;
}

/* The newest request of rec that rq would duplicate under a window of hours: the same type, the
 * same form (both absent, or equal ignoring case), received within the window of rq (either
 * way). Its index into *at, or -1 (also when a time cannot be read: nothing to compare). */
static long find_duplicate(const struct store_record *rec, const struct store_request *rq,
                           int hours)
{
    int64_t t, u;
    size_t i;
    if (hours <= 0 || notices_time(rq->received_at, &t) != HC_OK)
        return -1;
    for (i = rec->nreq; i-- > 0;) {
        const struct store_request *x = &rec->req[i];
        if (strcmp(x->type, rq->type) != 0 ||
            ((x->form == NULL) != (rq->form == NULL)) ||
            (x->form != NULL && strcasecmp(x->form, rq->form) != 0) ||
            notices_time(x->received_at, &u) != HC_OK)
            continue;
        if ((t > u ? t - u : u - t) < (int64_t)hours * 3600)
            return (long)i;
    }
    return -1;
}

/* Refuse rq as a duplicate of rec's request dup (STORE_ECONFLICT, its id into out), naming it. */
static int refuse_duplicate(const struct store_request *dup, int hours,
                            struct intake_result *out, struct hc_diag *d)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "request #%lld of the same type and form was received at %.40s, within %d hours; "
             "send confirm_new to record a new request",
             (long long)dup->id, dup->received_at, hours);
    out->existing_id = dup->id;
    hc_diag_set(d, "type", msg, NULL);
    return STORE_ECONFLICT;
}

/* The audit entry of a request recorded although it resembles request similar_to. */
static int audit_confirm_new(struct hc_store *st, const char *actor, int64_t request_id,
                             int64_t similar_to, int hours)
{
    json_t *pl = json_pack("{s:I,s:I,s:i}", "request_id", (json_int_t)request_id, "similar_to",
                           (json_int_t)similar_to, "window_hours", hours);
    char entity[40];
    int rc;
    if (pl == NULL)
        return HC_ENOMEM;
    snprintf(entity, sizeof entity, "request/%lld", (long long)request_id);
    rc = store_audit_append(st, actor, "request.confirm_new", entity, pl);
    json_decref(pl);
    return rc;
}

/* Check rqs[0..n) and fill reqs with them, received_at "now" (in nowbuf) where absent. */
static int check_requests(const struct store_request *rqs, size_t n, struct store_request *reqs,
                          char nowbuf[HC_CLOCK_LOCAL_LEN], struct hc_diag *d)
{
    size_t i, j;
    hc_day day;
    if (n == 0 || n > INTAKE_FORM_MAX)
        return hc_diag_set(d, "types", "one form holds 1 to 8 requests", NULL);
    hc_clock_local(hc_clock_now(), nowbuf);
    for (i = 0; i < n; i++) {
        reqs[i] = rqs[i];
        if (reqs[i].type == NULL || hc_request_from_name(reqs[i].type, strlen(reqs[i].type)) < 0)
            return hc_diag_set(d, "type", "unknown request type",
                               reqs[i].type ? "" : " (missing)");
        for (j = 0; j < i; j++)
            if (strcmp(reqs[j].type, reqs[i].type) == 0)
                return hc_diag_set(d, "types", "a type is named twice: ", reqs[i].type);
        if (reqs[i].received_at == NULL)
            reqs[i].received_at = nowbuf;
        if (intake_parse_received(reqs[i].received_at, &day) != HC_OK)
            return hc_diag_set(d, "received_at", "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS "
                               "with Z or an offset", NULL);
    }
    return HC_OK;
}

int intake_take(struct hc_store *st, const struct hc_catalog *cat, const char *booking_no,
                const struct store_request *rqs, size_t n, const struct intake_opts *o,
                const char *actor, struct hc_arena *scratch, struct intake_result *out,
                struct hc_diag *d)
{
    struct store_request reqs[INTAKE_FORM_MAX];
    struct store_record rec;
    struct store_agency ag;
    char now[HC_CLOCK_LOCAL_LEN], as_of[HC_CLOCK_DATE_LEN];
    int hours = o != NULL ? o->duplicate_window_hours : 0;
    size_t i;
    hc_day day = 0; /* set by intake_parse_received: each request was checked before */
    int rc;

    hc_arena_reset(scratch);
    if (n > 0)
        memset(out, 0, n * sizeof *out);
    if ((rc = check_requests(rqs, n, reqs, now, d)) != HC_OK)
        return rc;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = service_missing(store_record_get(st, booking_no, scratch, &rec), d, "booking_no",
                         "no such booking");
    for (i = 0; rc == HC_OK && i < n; i++)
        if (rqs[i].received_at != NULL)
            rc = received_possible(reqs[i].received_at, rec.booking.booked_at, d);
    if (rc == HC_OK)
        rc = store_agency_get(st, scratch, &ag);
    for (i = 0; rc == HC_OK && i < n; i++) {
        long dup = find_duplicate(&rec, &reqs[i], hours);
        int64_t request_id = 0;
        if (dup >= 0 && (o == NULL || !o->confirm_new)) {
            rc = refuse_duplicate(&rec.req[dup], hours, &out[0], d);
            break;
        }
        (void)intake_parse_received(reqs[i].received_at, &day);
        hc_date_format(day, as_of);
        if ((rc = store_request_add(st, rec.booking.id, &reqs[i], actor, &request_id)) == HC_OK &&
            dup >= 0)
            rc = audit_confirm_new(st, actor, request_id, rec.req[dup].id, hours);
        if (rc == HC_OK)
            rc = decide_and_store(st, cat, &rec, &ag, &reqs[i], request_id, as_of, actor,
                                  scratch, &out[i], d);
    }
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_commit(st)) != HC_OK)
        for (i = 0; i < n; i++) {
            out[i].decision_json = NULL;
            out[i].decision_len = 0;
        }
    return rc;
}

int intake_submit(struct hc_store *st, const struct hc_catalog *cat, const char *booking_no,
                  const struct store_request *rq, const char *actor, struct hc_arena *scratch,
                  struct intake_result *out, struct hc_diag *d)
{
    return intake_take(st, cat, booking_no, rq, 1, NULL, actor, scratch, out, d);
}

int intake_redecide(struct hc_store *st, const struct hc_catalog *cat, int64_t request_id,
                    const char *actor, struct hc_arena *scratch, struct intake_result *out,
                    struct hc_diag *d)
{
    struct store_request_detail det;
    struct store_record rec;
    struct store_agency ag;
    char as_of[11];
    hc_day day = 0;
    int rc;

    hc_arena_reset(scratch);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = records_request_get(st, request_id, scratch, &det, d);
    if (rc == HC_OK && intake_parse_received(det.req.received_at, &day) != HC_OK)
        rc = hc_diag_set(d, "received_at", "stored request: unreadable received_at", NULL);
    if (rc == HC_OK) {
        hc_date_format(day, as_of);
        if ((rc = store_record_get(st, det.booking_no, scratch, &rec)) == HC_OK &&
            (rc = store_agency_get(st, scratch, &ag)) == HC_OK)
            rc = decide_and_store(st, cat, &rec, &ag, &det.req, request_id, as_of, actor, scratch,
                                  out, d);
    }
    return end_transaction(st, rc, out);
}

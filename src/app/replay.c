/* SPDX-License-Identifier: MIT
 * replay.c: what-if replay (replay.h, docs/replay.md). Each decision stores the case it was made
 * on (intake.c), so a replay reads that case again with today's reader, puts the other settings
 * and date into it, and decides it; nothing is written. The settings are checked once by the
 * case reader itself, on a small case that carries them, so a replay accepts exactly the
 * settings a decision would. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "charge.h"
#include "date.h"
#include "engine.h"
#include "render.h"
#include "service.h"
#include "store.h"

#define PAGE_MEM ((size_t)64 << 20)  /* one page of stored rows, cases included */
#define PAGE_ROWS 200                /* rows a page asks for; fewer when their cases are big */
#define CASE_MEM ((size_t)16 << 20)  /* one case read, as intake's scratch allows */
#define RENDER_MEM ((size_t)1 << 20) /* one decision rendered */
#define DETAIL_MEM ((size_t)4 << 20) /* a changed request's record, for its booking's number */
#define CHECK_MEM ((size_t)1 << 20)  /* the small case that carries the settings */

static const char *const out_names[REPLAY_NOUT] = {"permitted", "permitted_with_conditions",
                                                   "review", "prohibited"};

const char *replay_outcome_name(int i)
{
    return i >= 0 && i < REPLAY_NOUT ? out_names[i] : "undecided";
}

/* The summary's index of outcome name s, or -1. */
static int out_index(const char *s)
{
    int i;
    for (i = 0; s != NULL && i < REPLAY_NOUT; i++)
        if (strcmp(out_names[i], s) == 0)
            return i;
    return -1;
}

/* A date of exactly YYYY-MM-DD into *day. */
static int read_day(const char *s, hc_day *day)
{
    return s != NULL && strlen(s) == 10 && hc_date_parse(s, 10, day) == HC_OK ? HC_OK
                                                                              : HC_EINVAL;
}

/* ------------------------------------------------------------------------------------------ */
/* The settings to decide under                                                               */

/* The members of a settings object, as replay_opts.settings names them. */
static const char *const settings_keys[] = {"release_dates_public", "personal_info_public",
                                            "policy", "settings"};
#define NSETKEYS (sizeof settings_keys / sizeof settings_keys[0])

/* The settings of o read into *tmpl by the case reader (in a), and which of settings_keys
 * were given (bit i for key i) into *given. HC_EINVAL with d naming the member. */
struct overlay {
    unsigned given;
    struct hc_case tmpl;
};

static int read_overlay(const char *settings, struct overlay *ov, struct hc_arena *a,
                        struct hc_diag *d)
{
    json_t *o = json_loads(settings, 0, NULL), *cs = NULL;
    const char *k;
    json_t *v;
    char *text = NULL;
    struct hc_diag cd;
    size_t pos = 0, i;
    int rc;

    memset(ov, 0, sizeof *ov);
    if (!json_is_object(o)) {
        json_decref(o);
        return hc_diag_set(d, "", "expected a JSON object: the agency settings "
                           "(release_dates_public, personal_info_public, policy, settings)", NULL);
    }
    json_object_foreach(o, k, v) {
        for (i = 0; i < NSETKEYS && strcmp(settings_keys[i], k) != 0; i++)
            ;
        if (i == NSETKEYS) {
            rc = hc_diag_set(d, k, "unknown member (release_dates_public, personal_info_public, "
                             "policy, settings)", NULL);
            goto out;
        }
        if (i < 2 ? !json_is_boolean(v) : !json_is_object(v)) {
            rc = hc_diag_set(d, k, i < 2 ? "expected true or false" : "expected an object",
                             NULL);
            goto out;
        }
        ov->given |= 1u << i;
    }
    /* A small case that carries the settings: the case reader checks them as it would in a
     * decision, and fills the template the replay copies from. */
    cs = json_pack("{s:s,s:{s:s},s:{s:[]},s:O}", "as_of", "2024-01-01", "request", "type",
                   "notification", "person", "convictions", "agency", o);
    if (cs == NULL || (text = json_dumps(cs, JSON_COMPACT)) == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    hc_diag_clear(&cd);
    rc = hc_case_read(text, strlen(text), &pos, 1, &ov->tmpl, a, &cd);
    if (rc == HC_EINVAL)
        hc_diag_set(d, strncmp(cd.field, "agency.", 7) == 0 ? cd.field + 7 : "", cd.msg, NULL);
out:
    free(text);
    json_decref(cs);
    json_decref(o);
    return rc;
}

/* Put the overlay's given settings into case c. A policy given replaces the whole policy: a
 * request type it does not name follows state law, as when the agency saves those settings. */
static void apply_overlay(const struct overlay *ov, struct hc_case *c)
{
    if (ov->given & 1u)
        c->release_public = ov->tmpl.release_public;
    if (ov->given & 2u)
        c->personal_public = ov->tmpl.personal_public;
    if (ov->given & 4u)
        memcpy(c->policy, ov->tmpl.policy, sizeof c->policy);
    if (ov->given & 8u)
        c->settings = ov->tmpl.settings;
}

int replay_check(const struct replay_opts *o, struct hc_diag *d)
{
    hc_day from, to, as_of;
    if (read_day(o->from, &from) != HC_OK)
        return hc_diag_set(d, "from", "expected a date YYYY-MM-DD", o->from ? "" : " (missing)");
    if (read_day(o->to, &to) != HC_OK)
        return hc_diag_set(d, "to", "expected a date YYYY-MM-DD", o->to ? "" : " (missing)");
    if (to < from)
        return hc_diag_set(d, "to", "is before from", NULL);
    if (o->as_of != NULL) {
        if (read_day(o->as_of, &as_of) != HC_OK)
            return hc_diag_set(d, "as_of", "expected a date YYYY-MM-DD", NULL);
        if (hc_ruleset_for(as_of, NULL) < 0)
            return hc_diag_set(d, "as_of", "is before 2014-01-01, the first law holdcheck "
                               "encodes", NULL);
    }
    if (o->settings != NULL) {
        struct overlay ov;
        struct hc_arena a;
        char *mem = malloc(CHECK_MEM);
        int rc;
        if (mem == NULL)
            return HC_ENOMEM;
        hc_arena_init(&a, mem, CHECK_MEM);
        rc = read_overlay(o->settings, &ov, &a, d);
        free(mem);
        return rc;
    }
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* A proposed law change                                                                      */

/* An arena of room for the rows of tables t[0..n) (as cli_catalog_load sizes it), from malloc
 * into *mem. */
static int catalog_arena(const struct hc_memfile *t, size_t n, struct hc_arena *a, void **mem)
{
    size_t total = hc_catalog_arena_bytes(t, n);
    if ((*mem = malloc(total)) == NULL)
        return HC_ENOMEM;
    hc_arena_init(a, *mem, total);
    return HC_OK;
}

int replay_catalog_proposed(const struct hc_memfile *base, size_t nbase,
                            const struct hc_memfile *proposed, struct hc_catalog *out,
                            void **mem, struct hc_diag *d)
{
    struct hc_memfile *all = NULL;
    struct hc_catalog alone;
    struct hc_arena a;
    void *m = NULL;
    size_t i;
    int rc;

    *mem = NULL;
    /* The proposed table alone first: its own rows, so each can be checked for its date. */
    if ((rc = catalog_arena(proposed, 1, &a, &m)) != HC_OK)
        return rc;
    rc = hc_catalog_load(&alone, proposed, 1, &a, d);
    for (i = 0; rc == HC_OK && i < alone.nrows; i++)
        if (alone.rows[i].from == HC_DAY_NONE)
            rc = hc_diag_set(d, proposed->path, "a proposed row needs a from date (the day the "
                             "change would take effect): ", alone.rows[i].desc);
    free(m);
    if (rc != HC_OK)
        return rc;
    if ((all = malloc((nbase + 1) * sizeof *all)) == NULL)
        return HC_ENOMEM;
    memcpy(all, base, nbase * sizeof *all);
    all[nbase] = *proposed;
    if ((rc = catalog_arena(all, nbase + 1, &a, &m)) == HC_OK &&
        (rc = hc_catalog_load(out, all, nbase + 1, &a, d)) != HC_OK) {
        free(m);
        m = NULL;
    }
    free(all);
    *mem = m;
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Deciding again                                                                             */

/* The working memory of one replay. */
struct run {
    struct hc_store *st;
    const struct hc_catalog *cat;    /* today's: the versions are compared with it */
    const struct hc_catalog *decide; /* what decides: today's, or with a proposed change */
    const struct replay_opts *o;
    struct overlay ov;
    hc_day as_of;
    struct hc_arena page, kase, detail;
    char *page_mem, *case_mem, *render_mem, *detail_mem;
    replay_change_cb cb;
    void *ctx;
    struct replay_summary *sum;
};

/* Strings of member key of the rendered decision dj into out[0..max), their number. */
static size_t strings_of(json_t *dj, const char *key, const char **out, size_t max)
{
    json_t *arr = json_object_get(dj, key), *v;
    size_t i, n = 0;
    json_array_foreach(arr, i, v) {
        if (n < max && json_is_string(v))
            out[n++] = json_string_value(v);
    }
    return n;
}

/* How the stored version s compares with today's t. */
static int version_cmp(const char *s, const char *t)
{
    if (s == NULL)
        return REPLAY_UNRECORDED;
    return strcmp(s, t) == 0 ? REPLAY_SAME : REPLAY_CHANGED;
}

/* Give ch its booking's number and pass it to the caller's callback. The number is read for a
 * reported request only: the page's rows do not carry it. */
static int report_change(struct run *r, struct replay_change *ch)
{
    struct store_request_detail rd;
    int rc;
    hc_arena_reset(&r->detail);
    if ((rc = store_request_get(r->st, ch->request_id, &r->detail, &rd)) != HC_OK)
        return rc;
    ch->booking_no = rd.booking_no;
    return r->cb(r->ctx, ch);
}

/* Decide row x again and report it when its outcome differs or its case does not decide. */
static int replay_one(struct run *r, const struct store_decided_request *x)
{
    struct replay_change ch;
    struct hc_case c;
    struct hc_decision dec;
    struct hc_diag cd;
    struct hc_buf b;
    json_t *dj = NULL;
    const char *text = x->dec.case_json;
    size_t pos = 0;
    int rc, old, neu;

    memset(&ch, 0, sizeof ch);
    ch.request_id = x->request_id;
    ch.type = x->type;
    ch.received_at = x->received_at;
    ch.decision_id = x->dec.id;
    ch.decision_version = x->dec.version;
    ch.in_force = x->outcome;
    ch.override_id = x->override_id;
    ch.old_outcome = x->dec.outcome;
    ch.old_ruleset = x->dec.ruleset;
    ch.old_catalog_version = x->dec.catalog_version;
    ch.old_settings = x->dec.settings_json;
    ch.old_engine_version = x->dec.engine_version;
    ch.catalog = version_cmp(x->dec.catalog_version, r->cat->version);
    ch.engine = x->dec.engine_version <= 0 ? REPLAY_UNRECORDED
                : x->dec.engine_version == HC_ENGINE_VERSION ? REPLAY_SAME : REPLAY_CHANGED;
    r->sum->catalog_changed += ch.catalog == REPLAY_CHANGED;
    r->sum->catalog_unrecorded += ch.catalog == REPLAY_UNRECORDED;
    r->sum->engine_changed += ch.engine == REPLAY_CHANGED;
    r->sum->engine_unrecorded += ch.engine == REPLAY_UNRECORDED;

    hc_arena_reset(&r->kase);
    hc_diag_clear(&cd);
    rc = text == NULL ? HC_EINVAL : hc_case_read(text, strlen(text), &pos, 1, &c, &r->kase, &cd);
    if (rc == HC_OK)
        rc = hc_case_read_charges(&c, r->decide, &r->kase);
    if (rc == HC_OK) {
        apply_overlay(&r->ov, &c);
        if (r->o->as_of != NULL)
            c.as_of = r->as_of;
        rc = hc_decide(r->decide, &c, &dec, &cd);
    }
    if (rc != HC_OK) {
        /* A stored case today's reader refuses (or one too big for its memory): reported, not
         * guessed at. */
        r->sum->failed++;
        ch.error = text == NULL ? "the decision stored no case"
                   : rc == HC_ENOMEM ? "the stored case is too large to read" : cd.msg;
        return report_change(r, &ch);
    }
    r->sum->decided++;
    old = out_index(x->dec.outcome);
    neu = out_index(hc_outcome_name(dec.outcome));
    if (old >= 0 && neu >= 0)
        r->sum->pairs[old][neu]++;
    if (old == neu)
        return HC_OK;
    r->sum->changed++;
    r->sum->changed_overridden += x->override_id > 0;
    ch.new_outcome = hc_outcome_name(dec.outcome);
    ch.new_ruleset = hc_ruleset_name(dec.ruleset);
    /* Why: the new decision's own words, rendered as a stored decision is. */
    hc_buf_init(&b, r->render_mem, RENDER_MEM);
    hc_render_json(r->decide, &c, &dec, &b);
    if (!b.full && (dj = json_loadb(b.data, b.len, 0, NULL)) != NULL) {
        ch.nbasis = strings_of(dj, "basis", ch.basis, REPLAY_WHY_MAX);
        ch.nmissing = strings_of(dj, "missing", ch.missing, REPLAY_WHY_MAX);
    }
    rc = report_change(r, &ch);
    json_decref(dj);
    return rc;
}

/* Replay every page of the period inside the caller's read snapshot. */
static int replay_pages(struct hc_store *st, struct run *r)
{
    struct store_period_filter f;
    struct store_decided_request *rows;
    size_t n, i;
    int rc;

    memset(&f, 0, sizeof f);
    f.from = r->o->from;
    f.to = r->o->to;
    f.limit = PAGE_ROWS;
    for (;;) {
        hc_arena_reset(&r->page);
        rc = store_decided_list(st, &f, &r->page, &rows, &n);
        if (rc == HC_ENOMEM && f.limit > 1) {
            f.limit /= 2; /* big cases: fewer of them a page */
            continue;
        }
        if (rc != HC_OK || n == 0)
            return rc;
        for (i = 0; i < n; i++)
            if ((rc = replay_one(r, &rows[i])) != HC_OK)
                return rc;
        f.after_id = rows[n - 1].request_id;
        if (n < (size_t)f.limit)
            return HC_OK;
    }
}

int replay_run(struct hc_store *st, const struct hc_catalog *cat, const struct replay_opts *o,
               replay_change_cb cb, void *ctx, struct replay_summary *sum, struct hc_diag *d)
{
    struct run r;
    int rc;

    if ((rc = replay_check(o, d)) != HC_OK)
        return rc;
    memset(&r, 0, sizeof r);
    memset(sum, 0, sizeof *sum);
    memcpy(sum->catalog_version, cat->version, sizeof sum->catalog_version);
    sum->engine_version = HC_ENGINE_VERSION;
    r.st = st;
    r.cat = cat;
    r.decide = o->proposed != NULL ? o->proposed : cat;
    if (o->proposed != NULL) {
        sum->proposed_name = o->proposed_name;
        memcpy(sum->proposed_version, o->proposed->version, sizeof sum->proposed_version);
    }
    r.o = o;
    r.cb = cb;
    r.ctx = ctx;
    r.sum = sum;
    if (o->as_of != NULL)
        (void)read_day(o->as_of, &r.as_of);
    r.page_mem = malloc(PAGE_MEM);
    r.case_mem = malloc(CASE_MEM);
    r.render_mem = malloc(RENDER_MEM);
    r.detail_mem = malloc(DETAIL_MEM);
    if (r.page_mem == NULL || r.case_mem == NULL || r.render_mem == NULL ||
        r.detail_mem == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    hc_arena_init(&r.page, r.page_mem, PAGE_MEM);
    hc_arena_init(&r.kase, r.case_mem, CASE_MEM);
    hc_arena_init(&r.detail, r.detail_mem, DETAIL_MEM);
    /* The template's strings live in the case arena, which each case then reuses: nothing of
     * the template but its numbers (policy, settings, the two publication flags) is read. */
    if (o->settings != NULL && (rc = read_overlay(o->settings, &r.ov, &r.kase, d)) != HC_OK)
        goto out;
    /* One snapshot: every page sees the same records, and nothing is written. */
    if ((rc = service_read_begin(st)) != HC_OK)
        goto out;
    rc = replay_pages(st, &r);
    service_read_end(st);
out:
    free(r.page_mem);
    free(r.case_mem);
    free(r.render_mem);
    free(r.detail_mem);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                       */

static const char *version_name(int v)
{
    return v == REPLAY_SAME ? "same" : v == REPLAY_CHANGED ? "changed" : "not_recorded";
}

static json_t *strings_json(const char *const *s, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < n; i++)
        json_array_append_new(a, json_string(s[i]));
    return a;
}

json_t *replay_change_json(const struct replay_change *ch)
{
    json_t *o = json_pack("{s:I,s:s?,s:s?,s:s?,s:I,s:i,s:s?,s:s?,s:s?,s:s?,s:s?,s:s}",
                          "request_id", (json_int_t)ch->request_id, "booking_no", ch->booking_no,
                          "type", ch->type, "received_at", ch->received_at, "decision_id",
                          (json_int_t)ch->decision_id, "decision_version", ch->decision_version,
                          "old_in_force", ch->in_force, "old_engine", ch->old_outcome,
                          "old_ruleset", ch->old_ruleset, "new_outcome", ch->new_outcome,
                          "new_ruleset", ch->new_ruleset, "catalog",
                          version_name(ch->catalog));
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "engine", json_string(version_name(ch->engine)));
    /* What decided it, as its trace recorded (null: not recorded). */
    json_object_set_new(o, "old_trace", json_pack("{s:s?,s:s?,s:o,s:o}", "ruleset",
                        ch->old_ruleset, "catalog_version", ch->old_catalog_version,
                        "engine_version", ch->old_engine_version > 0
                                              ? json_integer(ch->old_engine_version)
                                              : json_null(),
                        "settings", ch->old_settings != NULL
                                        ? json_loads(ch->old_settings, 0, NULL)
                                        : json_null()));
    json_object_set_new(o, "override_id",
                        ch->override_id > 0 ? json_integer(ch->override_id) : json_null());
    json_object_set_new(o, "basis", strings_json(ch->basis, ch->nbasis));
    json_object_set_new(o, "missing", strings_json(ch->missing, ch->nmissing));
    json_object_set_new(o, "error", ch->error ? json_string(ch->error) : json_null());
    return o;
}

json_t *replay_summary_json(const struct replay_summary *s)
{
    json_t *pairs = json_array();
    int i, j;
    for (i = 0; i < REPLAY_NOUT; i++)
        for (j = 0; j < REPLAY_NOUT; j++)
            if (s->pairs[i][j] > 0)
                json_array_append_new(pairs, json_pack("{s:s,s:s,s:I}", "old", out_names[i],
                                                       "new", out_names[j], "count",
                                                       (json_int_t)s->pairs[i][j]));
    return json_pack("{s:I,s:I,s:I,s:I,s:o,s:s,s:I,s:I,s:i,s:I,s:I,s:o}", "decided",
                     (json_int_t)s->decided, "changed", (json_int_t)s->changed,
                     "changed_overridden", (json_int_t)s->changed_overridden, "failed",
                     (json_int_t)s->failed, "pairs", pairs, "catalog_version",
                     s->catalog_version, "catalog_changed", (json_int_t)s->catalog_changed,
                     "catalog_not_recorded", (json_int_t)s->catalog_unrecorded,
                     "engine_version", s->engine_version, "engine_changed",
                     (json_int_t)s->engine_changed, "engine_not_recorded",
                     (json_int_t)s->engine_unrecorded, "proposed",
                     s->proposed_name != NULL
                         ? json_pack("{s:s,s:s}", "table", s->proposed_name,
                                     "catalog_version", s->proposed_version)
                         : json_null());
}

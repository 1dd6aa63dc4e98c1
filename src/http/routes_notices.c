/* SPDX-License-Identifier: MIT
 * routes_notices.c: the TRUTH Act notices of the staff console (docs/console.md): a notice
 * generated for a request, recorded as served, and rendered as HTML and PDF (src/notice). Which
 * notices are owed and to whom is src/app/notices.c's; this file decodes, renders and encodes. */
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agency_conf.h"
#include "clock.h"
#include "console.h"
#include "http_int.h"
#include "routes.h"
#include "log.h"
#include "notice.h"
#include "notices.h"

#define NAME_MAX_LEN 200
#define HTML_MAX ((size_t)256 << 10) /* a notice's HTML: 64 KiB suffices (notice.h) */

/* The texts are loaded once, on first use, and kept for the life of the process. (A PDF is laid
 * out one at a time in a process: notice_render_pdf holds the renderer's own lock.) */
static pthread_mutex_t texts_lock = PTHREAD_MUTEX_INITIALIZER;
static struct notice_texts *texts;

/* The notice texts, loading them on first use. NULL (logged) when they do not load. */
static const struct notice_texts *console_texts(void)
{
    struct notice_texts *t;
    pthread_mutex_lock(&texts_lock);
    if (texts == NULL) {
        struct hc_diag d;
        hc_diag_clear(&d);
        if (notice_texts_new_builtin(&texts, &d) != HC_OK) {
            hc_log(HC_LOG_ERROR, "notice texts: %s: %s", d.field, d.msg);
            texts = NULL;
        }
    }
    t = texts;
    pthread_mutex_unlock(&texts_lock);
    return t;
}

/* The facts notice n states, from r and the agency's settings ag (its name and address).
 * provisions point into r->decision (keep it alive). */
static void facts_of(const struct agency_conf *ag, const struct notices_request *r,
                     const struct store_notice *n, const char **prov, struct notice_facts *f)
{
    json_t *basis = json_object_get(r->decision, "basis"), *v;
    size_t i;
    notice_facts_init(f);
    f->agency = ag->name;
    f->agency_address = ag->address;
    f->person_name = r->rec.person.name;
    f->booking_no = r->det.booking_no;
    f->request_type = r->type;
    f->form = r->det.req.form;
    f->received_at = r->det.req.received_at;
    f->outcome = r->outcome;
    f->nprovisions = 0;
    json_array_foreach(basis, i, v) {
        if (f->nprovisions >= NOTICE_MAX_PROVISIONS)
            break;
        if (json_is_string(v))
            prov[f->nprovisions++] = json_string_value(v);
    }
    f->provisions = prov;
    f->intent = n->intent ? notice_intent_from_name(n->intent) : NOTICE_INTENT_UNSET;
    if (f->intent < 0)
        f->intent = NOTICE_INTENT_UNSET;
    f->release_date = n->release_date;
    f->served_to = strcmp(n->recipient, "attorney") == 0   ? NOTICE_TO_ATTORNEY
                   : strcmp(n->recipient, "designee") == 0 ? NOTICE_TO_DESIGNEE
                                                           : NOTICE_TO_PERSON;
    f->served_to_name = n->recipient_name;
    f->generated_at = n->generated_at;
}

/* Render notice n as HTML into a malloc'd buffer (*out, *len). HC_EINVAL with d for facts the
 * renderer refuses. */
static int render_html(const struct agency_conf *ag, const struct notices_request *r, const struct store_notice *n, char **out,
                       size_t *len, struct hc_diag *d)
{
    const struct notice_texts *t = console_texts();
    const char *prov[NOTICE_MAX_PROVISIONS];
    struct notice_facts f;
    struct hc_buf b;
    char *mem;
    int rc;
    if (t == NULL)
        return HC_EIO;
    if ((mem = malloc(HTML_MAX)) == NULL)
        return HC_ENOMEM;
    facts_of(ag, r, n, prov, &f);
    hc_buf_init(&b, mem, HTML_MAX);
    rc = notice_render_html(t, notice_kind_from_name(n->kind),
                            notice_lang_from_code(n->language), &f, NOTICE_PAPER_LETTER, &b, d);
    if (rc != HC_OK) {
        free(mem);
        return rc;
    }
    *out = mem;
    *len = b.len;
    return HC_OK;
}

/* The first occurrence of lit in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit), i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return s + i;
    return NULL;
}

/* The CSP of a notice's HTML: nothing but its own inline <style> (by hash) and fonts from the
 * system. */
static void notice_csp(const char *html, size_t len, char *out, size_t n)
{
    const char *s = find(html, len, "<style>"), *e;
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    if (s == NULL || (e = find(s, len - (size_t)(s - html), "</style>")) == NULL) {
        snprintf(out, n, "default-src 'none'; frame-ancestors 'none'");
        return;
    }
    s += 7;
    crypto_hash_sha256(h, (const unsigned char *)s, (unsigned long long)(e - s));
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, n, "default-src 'none'; style-src 'sha256-%s'; frame-ancestors 'none'; "
             "base-uri 'none'; form-action 'none'", b64);
}

int h_notice_html(struct http_call *c)
{
    struct store_notice n;
    struct notices_request r;
    struct hc_diag d;
    char *html = NULL, csp[200];
    size_t len = 0;
    int rc;

    hc_diag_clear(&d);
    if (http__path_request(c, &n, &r, &d) != HC_OK)
        return HC_OK;
    rc = render_html(c->w->agency, &r, &n, &html, &len, &d);
    notices_release(&r);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    notice_csp(html, len, csp, sizeof csp);
    http__send_doc(c->req, 200, "text/html; charset=utf-8", csp, "no-store", html, len);
    free(html);
    return HC_OK;
}

int h_notice_pdf(struct http_call *c)
{
    const struct notice_texts *t = console_texts();
    const char *prov[NOTICE_MAX_PROVISIONS];
    struct store_notice n;
    struct notice_facts f;
    struct notices_request r;
    struct hc_diag d;
    char *pdf = NULL, disp[96];
    size_t len = 0;
    FILE *fp;
    int rc;

    hc_diag_clear(&d);
    if (http__path_request(c, &n, &r, &d) != HC_OK)
        return HC_OK;
    if (t == NULL || (fp = open_memstream(&pdf, &len)) == NULL) {
        notices_release(&r);
        http__problem_rc(c->req, HC_EIO, &d);
        return HC_OK;
    }
    facts_of(c->w->agency, &r, &n, prov, &f);
    rc = notice_render_pdf(t, notice_kind_from_name(n.kind), notice_lang_from_code(n.language),
                           &f, NOTICE_PAPER_LETTER, fp, &d);
    notices_release(&r);
    if (fclose(fp) != 0 && rc == HC_OK)
        rc = HC_EIO;
    if (rc != HC_OK) {
        if (rc == HC_EIO)
            hc_log(HC_LOG_ERROR, "notice %lld pdf: %s", (long long)n.id, d.msg);
        http__problem_rc(c->req, rc, &d);
        free(pdf);
        return HC_OK;
    }
    snprintf(disp, sizeof disp, "inline; filename=\"notice-%lld-%s-%s.pdf\"", (long long)n.id,
             n.kind, n.language);
    http__add_header_str(c->req, "content-disposition", h2o_strdup(&c->req->pool, disp,
                                                                    SIZE_MAX).base);
    http__send_doc(c->req, 200, "application/pdf", "default-src 'none'; frame-ancestors 'none'",
             "no-store", pdf, len);
    free(pdf);
    return HC_OK;
}

static const char *const langs[] = {"en", "es", "zh", "tl", "vi", "ko"};

/* POST /api/v1/requests/{id}/notices: the body, decoded by the router. */
enum { N_KIND, N_LANGUAGE, N_RECIPIENT, N_RECIPIENT_NAME };
static const struct http_field notice_fields[] = {
    [N_KIND] = {"kind", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 16},
    [N_LANGUAGE] = {"language", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 8},
    [N_RECIPIENT] = {"recipient", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 16},
    [N_RECIPIENT_NAME] = {"recipient_name", HTTP_F_STR, 0, HTTP_K_TEXT, 0, NAME_MAX_LEN},
};
const struct http_body notice_body = {notice_fields, 4};

int h_notice_create(struct http_call *c)
{
    struct store_notice n;
    struct notices_request r;
    struct notices_ask ask;
    struct hc_diag d;
    const char *lang = c->in[N_LANGUAGE].s, *to = NULL, *to_name = c->in[N_RECIPIENT_NAME].s;
    const struct notice_owed *o = NULL;
    char *html = NULL;
    size_t hlen;
    int64_t nid = 0, id;
    int k, rc;

    hc_diag_clear(&d);
    memset(&r, 0, sizeof r);
    if ((k = notice_kind_from_name(c->in[N_KIND].s)) < 0)
        return hc_diag_set(&c->diag, "kind", "expected copy, release or consent", NULL);
    if (!http__one_of(lang, langs, HTTP_NKEYS(langs)))
        return hc_diag_set(&c->diag, "language", "expected en, es, zh, tl, vi or ko", NULL);
    if ((id = http__param_id(c)) == 0)
        return HC_OK; /* answered */
    ask.kind = k;
    ask.recipient = c->in[N_RECIPIENT].s;
    ask.recipient_name = to_name;
    if ((rc = notices_plan(c->w->st, id, &ask, &c->w->arena, &r, &o, &to, &c->diag)) != HC_OK) {
        notices_release(&r);
        return rc;
    }
    memset(&n, 0, sizeof n);
    n.request_id = r.det.req.id;
    n.kind = notice_kind_name(k);
    n.recipient = to;
    n.recipient_name = to_name;
    n.language = lang;
    n.subdivision = o->subdivision;
    n.intent = k == NOTICE_COPY ? notice_intent_name(o->intent) : NULL;
    n.release_date = k == NOTICE_RELEASE && r.disclosure ? r.disclosure->release_date : NULL;
    n.generated_by = c->who.name;
    n.generated_at = "";
    /* Render before recording, so a notice on record always renders. */
    if ((rc = render_html(c->w->agency, &r, &n, &html, &hlen, &d)) != HC_OK) {
        if (rc == HC_EINVAL && strcmp(d.field, "served_to_name") == 0)
            hc_diag_set(&d, "recipient_name", d.msg, NULL);
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    if ((rc = console_notice_add(c->w->st, &n, &c->w->arena, &nid)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    {
        char loc[64];
        snprintf(loc, sizeof loc, "/api/v1/notices/%lld/html", (long long)nid);
        http__add_header(c->req, H2O_TOKEN_LOCATION, h2o_strdup(&c->req->pool, loc, SIZE_MAX).base);
    }
    http__respond_json(c->req, 201, http__notice_json(&n));
out:
    free(html);
    notices_release(&r);
    return HC_OK;
}

static const char *const methods[] = {"in_person", "mail", "email", "fax"};

/* POST /api/v1/notices/{id}/served: the body, decoded after the id (http__id_and_body). */
enum { V_SERVED_TO, V_METHOD, V_SERVED_AT };
static const struct http_field served_fields[] = {
    [V_SERVED_TO] = {"served_to", HTTP_F_STR, 0, HTTP_K_TEXT, 0, NAME_MAX_LEN},
    [V_METHOD] = {"method", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 16},
    [V_SERVED_AT] = {"served_at", HTTP_F_STR, 0, HTTP_K_TIME, 0, 40},
};
static const struct http_body served_body = {served_fields, HTTP_NKEYS(served_fields)};

int h_notice_served(struct http_call *c)
{
    struct store_notice_service sv;
    struct store_notice n;
    struct hc_diag *d = &c->diag;
    const char *method, *when;
    char when_utc[HC_CLOCK_UTC_LEN];
    int64_t id, t;
    int rc;

    hc_arena_reset(&c->w->arena);
    if ((rc = http__id_and_body(c, &served_body, &id)) != HC_OK)
        return rc;
    method = c->in[V_METHOD].given ? c->in[V_METHOD].s : "in_person";
    when = c->in[V_SERVED_AT].s;
    if (!http__one_of(method, methods, HTTP_NKEYS(methods)))
        return hc_diag_set(d, "method", "expected in_person, mail, email or fax", NULL);
    if ((rc = console_notice_get(c->w->st, id, &c->w->arena, &n, d)) != HC_OK)
        return rc;
    if (when != NULL) {
        int64_t gen = 0;
        if (notices_time(when, &t) != HC_OK)
            return hc_diag_set(d, "served_at", "expected a time", NULL);
        if (t > hc_clock_now() + 300)
            return hc_diag_set(d, "served_at", "is in the future", NULL);
        if (notices_time(n.generated_at, &gen) == HC_OK && t < gen)
            return hc_diag_set(d, "served_at", "is before the notice was generated at ",
                               n.generated_at);
        hc_clock_utc(t, when_utc);
        when = when_utc;
    }
    sv.served_at = when;
    sv.served_to = c->in[V_SERVED_TO].s; /* NULL: to whom the notice is addressed */
    sv.method = method;
    sv.served_by = c->who.name;
    if ((rc = console_notice_serve(c->w->st, id, &sv, &c->w->arena, &n, d)) != HC_OK)
        return rc;
    http__respond_json(c->req, 200, http__notice_json(&n));
    return HC_OK;
}

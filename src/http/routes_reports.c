/* SPDX-License-Identifier: MIT
 * routes_reports.c: GET /api/v1/reports/{kind}?from=&to=&year=&format=&lang=&redaction= for
 * auditors and administrators: a statutory report (docs/reports.md) as JSON, CSV, print-ready
 * HTML or PDF (an attachment named after the report, its period and language; laid out on the
 * pool of blocking workers, offload.h). The handler decodes the query and calls reports_render
 * (src/app/reports.h), which builds and encodes the report with the encoders the CLI uses too,
 * and decides who may have the cpra bundle unredacted (redaction=off). */
#include <h2o.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"

#include "http_int.h"
#include "routes.h"

/* A report's HTML styles itself inline, and links to the console; nothing else. */
#define REPORT_HTML_CSP "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

#define REPORT_PARAMS {{"from", "", 0}, {"to", "", 0}, {"year", "", 0}, {"format", "", 0}, \
                       {"lang", "", 0}, {"redaction", "", 0}}

/* The query of c into q (p, REPORT_PARAMS, holds its decoded values, which q's strings point
 * into). */
static int report_query_of(struct http_call *c, struct http_query_param *p, size_t np,
                           struct report_query *q)
{
    int64_t year = 0;
    int rc;

    memset(q, 0, sizeof *q);
    q->kind = c->param;
    if ((rc = http__parse_query(c->req, p, np, &c->diag)) != HC_OK ||
        (rc = http__query_period(&p[0], &q->from, &q->to, &c->diag)) != HC_OK ||
        (p[2].present && (rc = http__query_int(&p[2], 2014, 9999, &year, &c->diag)) != HC_OK))
        return rc;
    q->year = (int)year;
    if (p[3].present && (rc = reports_format_from_name(p[3].value, &q->format, &c->diag)) != HC_OK)
        return rc;
    if (p[4].present)
        q->lang = p[4].value;
    if (p[5].present && strcmp(p[5].value, "on") != 0) {
        if (strcmp(p[5].value, "off") != 0)
            return hc_diag_set(&c->diag, "redaction", "expected on or off", NULL);
        q->unredacted = 1;
        q->role = c->who.role;
        q->actor = c->who.name;
    }
    q->agency = c->w->agency->name;
    q->catalog_version = c->w->cat != NULL ? c->w->cat->version : NULL;
    return HC_OK;
}

/* Render q into *text; the answers that are not a report (501: no reports on this database;
 * 403: an unredacted bundle for someone not allowed it) are given here, on the loop or the
 * pool alike, with *text left NULL. Other errors are returned for the router. */
static int report_render(struct http_call *c, const struct report_query *q, char **text,
                         size_t *len)
{
    int rc = reports_render(c->w->st, q, text, len, &c->diag);
    if (rc == REPORTS_ENOTSUP) {
        http__reply_problem(c, 501, "this server's database has no reports yet (SQLite only)",
                            NULL);
        return HC_OK;
    }
    if (rc == REPORTS_EADMIN) {
        /* Who may see a bundle unredacted is the app's rule; the answer says so. */
        http__reply_problem(c, 403, c->diag.msg, c->diag.field);
        return HC_OK;
    }
    return rc;
}

/* The report's file name for Content-Disposition, after its kind, period and language (all
 * checked by reports_render by then: safe in a header). */
static void report_disposition(const struct report_query *q, char *out, size_t len)
{
    static const char *const exts[] = {"json", "csv", "html", "pdf"};
    char period[48] = "";
    if (q->from != NULL)
        snprintf(period, sizeof period, "-%s-to-%s", q->from, q->to);
    else if (q->year != 0)
        snprintf(period, sizeof period, "-%d", q->year);
    snprintf(out, len, "%s; filename=\"holdcheck-%s%s%s.%s\"",
             q->format == REPORT_PDF ? "attachment" : "inline", q->kind, period,
             q->lang != NULL && strcmp(q->lang, "es") == 0 ? "-es" : "", exts[q->format]);
}

/* A report as PDF, on the pool of blocking workers: laying out its pages takes long enough
 * (tens of milliseconds a page, a page a few dozen rows) to stall an event loop's other
 * connections. Answers through http__reply*. */
static int report_pdf_job(struct http_call *c)
{
    struct http_query_param p[] = REPORT_PARAMS;
    struct report_query q;
    char *pdf = NULL, disp[160];
    size_t len = 0;
    int rc;

    if ((rc = report_query_of(c, p, HTTP_NKEYS(p), &q)) != HC_OK ||
        (rc = report_render(c, &q, &pdf, &len)) != HC_OK || pdf == NULL)
        return rc;
    report_disposition(&q, disp, sizeof disp);
    http__reply_header(c, "content-disposition", disp);
    http__reply(c, 200, "application/pdf", pdf, len);
    free(pdf);
    return HC_OK;
}

int h_report(struct http_call *c)
{
    static const char *const ctypes[] = {"application/json", "text/csv; charset=utf-8",
                                         "text/html; charset=utf-8"};
    struct http_query_param p[] = REPORT_PARAMS;
    struct report_query q;
    char *text = NULL, disp[160];
    size_t len = 0;
    int rc;

    if ((rc = report_query_of(c, p, HTTP_NKEYS(p), &q)) != HC_OK)
        return rc;
    if (q.format == REPORT_PDF)
        return http__offload(c, report_pdf_job);
    if ((rc = report_render(c, &q, &text, &len)) != HC_OK || text == NULL)
        return rc;
    report_disposition(&q, disp, sizeof disp);
    http__add_header_str(c->req, "content-disposition",
                         h2o_strdup(&c->req->pool, disp, SIZE_MAX).base);
    if (q.format == REPORT_HTML)
        http__send_doc(c->req, 200, ctypes[q.format], REPORT_HTML_CSP, "no-store", text, len);
    else
        http__respond(c->req, 200, ctypes[q.format], text, len);
    free(text);
    return HC_OK;
}

/* SPDX-License-Identifier: MIT
 * routes_reports.c: GET /api/v1/reports/{kind}?from=&to=&year=&format=&lang=&redaction= for
 * auditors and administrators: a statutory report (docs/reports.md) as JSON, CSV or
 * print-ready HTML. The handler decodes the query and calls reports_render
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

int h_report(struct http_call *c)
{
    static const char *const ctypes[] = {"application/json", "text/csv; charset=utf-8",
                                         "text/html; charset=utf-8"};
    static const char *const exts[] = {"json", "csv", "html"};
    struct http_query_param p[] = {{"from", "", 0},   {"to", "", 0},   {"year", "", 0},
                                   {"format", "", 0}, {"lang", "", 0}, {"redaction", "", 0}};
    struct report_query q;
    char *text = NULL, disp[120];
    size_t len = 0;
    int64_t year = 0;
    int rc;

    memset(&q, 0, sizeof q);
    q.kind = c->param;
    if ((rc = http__parse_query(c->req, p, HTTP_NKEYS(p), &c->diag)) != HC_OK ||
        (rc = http__query_period(&p[0], &q.from, &q.to, &c->diag)) != HC_OK ||
        (p[2].present && (rc = http__query_int(&p[2], 2014, 9999, &year, &c->diag)) != HC_OK))
        return rc;
    q.year = (int)year;
    if (p[3].present && (rc = reports_format_from_name(p[3].value, &q.format, &c->diag)) != HC_OK)
        return rc;
    if (p[4].present)
        q.lang = p[4].value;
    if (p[5].present && strcmp(p[5].value, "on") != 0) {
        if (strcmp(p[5].value, "off") != 0)
            return hc_diag_set(&c->diag, "redaction", "expected on or off", NULL);
        q.unredacted = 1;
        q.role = c->who.role;
        q.actor = c->who.name;
    }
    if ((rc = reports_render(c->w->st, &q, &text, &len, &c->diag)) == REPORTS_ENOTSUP) {
        http__problem(c->req, 501, "this server's database has no reports yet (SQLite only)",
                      NULL);
        return HC_OK;
    }
    if (rc == REPORTS_EADMIN) {
        /* Who may see a bundle unredacted is the app's rule; the answer says so. */
        http__reply_problem(c, 403, c->diag.msg, c->diag.field);
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    snprintf(disp, sizeof disp, "inline; filename=\"holdcheck-%s.%s\"", q.kind, exts[q.format]);
    http__add_header_str(c->req, "content-disposition",
                         h2o_strdup(&c->req->pool, disp, SIZE_MAX).base);
    if (q.format == REPORT_HTML)
        http__send_doc(c->req, 200, ctypes[q.format], REPORT_HTML_CSP, "no-store", text, len);
    else
        http__respond(c->req, 200, ctypes[q.format], text, len);
    free(text);
    return HC_OK;
}

/* SPDX-License-Identifier: MIT
 * transparency.c: the public transparency page (transparency.h). It reads the year's figures
 * from the reports themselves (reports_render, JSON), so every number on it is one the
 * reports show and `holdcheck report --check` recomputes; it keeps only each figure's label
 * and count, never the ids of the requests behind it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "clock.h"
#include "reports.h"
#include "transparency.h"

#define PAGE_MAX ((size_t)1 << 20) /* the page or CSV: a few dozen bars, far less */
#define BARS_MAX 64                /* bars of one chart */
#define LABEL_MAX 160

/* How a chart reads a report's figures of one group. */
enum fold {
    FOLD_MONTH, /* keys "TYPE YYYY-MM": summed by month, every month of the year shown */
    FOLD_TYPE,  /* keys "TYPE YYYY-MM": summed by type */
    FOLD_KEY,   /* each key a bar, named by its key ("permitted_with_conditions") */
    FOLD_LABEL  /* each key a bar, named by the report's label */
};

struct chart {
    const char *id;     /* the element id, and the CSV's chart column */
    const char *report; /* the report kind it reads */
    const char *group;  /* the figure group */
    enum fold fold;
    const char *title[2]; /* en, es */
    const char *desc[2];
};

static const struct chart charts[] = {
    {"received-by-month", "truth-forum", "received", FOLD_MONTH,
     {"Requests received, by month", "Solicitudes recibidas, por mes"},
     {"Immigration requests the agency received each month of the year, of every type.",
      "Solicitudes de inmigración que la agencia recibió cada mes del año, de todo tipo."}},
    {"received-by-type", "truth-forum", "received", FOLD_TYPE,
     {"Requests received, by type", "Solicitudes recibidas, por tipo"},
     {"Immigration requests received in the year, by what they asked for.",
      "Solicitudes de inmigración recibidas en el año, según lo que pedían."}},
    {"outcome", "truth-forum", "outcome", FOLD_KEY,
     {"What the law allowed: the outcome in force", "Lo que la ley permitía: la decisión vigente"},
     {"Each request received in the year by its outcome in force: the decision, or a "
      "supervisor's override of it.",
      "Cada solicitud recibida en el año según la decisión vigente: la decisión, o la de un "
      "supervisor que la modificó."}},
    {"actions", "truth-forum", "action", FOLD_KEY,
     {"What was done", "Lo que se hizo"},
     {"Actions the agency recorded about the year's requests.",
      "Acciones que la agencia registró sobre las solicitudes del año."}},
    {"access", "truth-forum", "access", FOLD_KEY,
     {"ICE access, by mode", "Acceso de ICE, por modo"},
     {"Times ICE was given access to a person (Gov. Code 7283(a)), by how.",
      "Veces que ICE tuvo acceso a una persona (Código de Gobierno 7283(a)), según cómo."}},
    {"transfers-by-basis", "doj-transfers", "by_basis", FOLD_LABEL,
     {"Transfers to immigration authorities, by basis",
      "Traslados a las autoridades de inmigración, por fundamento"},
     {"Transfers under Gov. Code 7284.6(a)(4) by what allowed each one.",
      "Traslados según el Código de Gobierno 7284.6(a)(4), por lo que permitió cada uno."}},
    {"releases-without-notice", "releases-without-notice", "by_why", FOLD_LABEL,
     {"Releases of people with a notification request", "Liberaciones de personas con una "
      "solicitud de notificación"},
     {"Releases of people about whom ICE asked to be told of the release, by whether and why "
      "no notice was given.",
      "Liberaciones de personas sobre quienes ICE pidió que se le avisara, según si se avisó y "
      "por qué no."}},
};
#define NCHARTS (sizeof charts / sizeof charts[0])

struct bar {
    char label[LABEL_MAX];
    long long count;
};

struct series {
    struct bar bar[BARS_MAX];
    size_t n;
    int label_en; /* the labels are the report's English ones (written with lang="en") */
};

/* Add count to the bar named label, making it (at the end) if new. Past BARS_MAX - 1 bars, a
 * new label's count goes to a last bar "other", so that the bars still add up to the total. */
static void add(struct series *s, const char *label, size_t len, long long count)
{
    size_t i;
    if (len >= LABEL_MAX)
        len = LABEL_MAX - 1;
    for (i = 0; i < s->n; i++)
        if (strlen(s->bar[i].label) == len && memcmp(s->bar[i].label, label, len) == 0) {
            s->bar[i].count += count;
            return;
        }
    if (s->n == BARS_MAX - 1) {
        label = "other";
        len = strlen(label);
    } else if (s->n == BARS_MAX) { /* "other" exists: the loop above found it */
        s->bar[BARS_MAX - 1].count += count;
        return;
    }
    memcpy(s->bar[s->n].label, label, len);
    s->bar[s->n].label[len] = '\0';
    s->bar[s->n++].count = count;
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const struct bar *)a)->label, ((const struct bar *)b)->label);
}

/* Chart c's bars from report r (its figures, as reports_render wrote them) for year. */
static void fold(const struct chart *c, json_t *r, int year, struct series *s)
{
    json_t *f;
    size_t i;
    memset(s, 0, sizeof *s);
    if (c->fold == FOLD_MONTH)
        for (i = 1; i <= 12; i++) {
            char m[16];
            snprintf(m, sizeof m, "%04d-%02zu", year, i);
            add(s, m, 7, 0);
        }
    json_array_foreach(json_object_get(r, "figures"), i, f) {
        const char *group = json_string_value(json_object_get(f, "group"));
        const char *key = json_string_value(json_object_get(f, "key"));
        const char *label = json_string_value(json_object_get(f, "label"));
        const char *sp;
        long long n = json_integer_value(json_object_get(f, "count"));
        if (group == NULL || key == NULL || strcmp(group, c->group) != 0)
            continue;
        sp = strrchr(key, ' ');
        switch (c->fold) {
        case FOLD_MONTH:
            if (sp != NULL)
                add(s, sp + 1, strlen(sp + 1), n);
            break;
        case FOLD_TYPE:
            if (sp != NULL)
                add(s, key, (size_t)(sp - key), n);
            break;
        case FOLD_KEY:
            add(s, key, strlen(key), n);
            break;
        case FOLD_LABEL:
            add(s, label != NULL ? label : key, strlen(label != NULL ? label : key), n);
            s->label_en = 1;
            break;
        }
    }
    if (c->fold == FOLD_TYPE)
        qsort(s->bar, s->n, sizeof s->bar[0], cmp_label);
    for (i = 0; i < s->n && c->fold != FOLD_LABEL; i++) { /* "permitted_with_conditions" */
        char *p;
        for (p = s->bar[i].label; *p != '\0'; p++)
            if (*p == '_')
                *p = ' ';
    }
}

/* ---- HTML ------------------------------------------------------------------------------- */

static void put_html(struct hc_buf *b, const char *s)
{
    hc_buf_put_html(b, s, strlen(s));
}

static void put_ll(struct hc_buf *b, long long v)
{
    hc_buf_putu(b, v < 0 ? 0UL : (unsigned long)v);
}

#define SVG_W 640
#define SVG_LABEL_W 300
#define SVG_ROW 26

/* Chart c as an SVG bar chart named by its title and description, then the same figures as a
 * table; the chart is an image to assistive technology, the table carries the numbers. */
static void put_chart(struct hc_buf *b, const struct chart *c, const struct series *s, int es)
{
    long long max = 1;
    size_t i;
    unsigned long h = (unsigned long)(s->n ? s->n : 1) * SVG_ROW + 8;
    const char *lab = s->label_en && es ? " lang=\"en\"" : "";
    for (i = 0; i < s->n; i++)
        if (s->bar[i].count > max)
            max = s->bar[i].count;
    hc_buf_puts(b, "<section aria-labelledby=\"");
    hc_buf_puts(b, c->id);
    hc_buf_puts(b, "-h\"><h2 id=\"");
    hc_buf_puts(b, c->id);
    hc_buf_puts(b, "-h\">");
    put_html(b, c->title[es]);
    hc_buf_puts(b, "</h2>\n<svg role=\"img\" aria-labelledby=\"");
    hc_buf_puts(b, c->id);
    hc_buf_puts(b, "-t ");
    hc_buf_puts(b, c->id);
    hc_buf_puts(b, "-d\" viewBox=\"0 0 " "640" " ");
    hc_buf_putu(b, h);
    hc_buf_puts(b, "\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\"><title id=\"");
    hc_buf_puts(b, c->id);
    hc_buf_puts(b, "-t\">");
    put_html(b, c->title[es]);
    hc_buf_puts(b, "</title><desc id=\"");
    hc_buf_puts(b, c->id);
    hc_buf_puts(b, "-d\">");
    put_html(b, c->desc[es]);
    put_html(b, es ? " La tabla siguiente da las mismas cifras." :
                     " The table below gives the same figures.");
    hc_buf_puts(b, "</desc>\n");
    for (i = 0; i < s->n; i++) {
        unsigned long y = (unsigned long)i * SVG_ROW + 4;
        unsigned long w = (unsigned long)(s->bar[i].count * (SVG_W - SVG_LABEL_W - 60) / max);
        hc_buf_puts(b, "<text x=\"");
        hc_buf_putu(b, SVG_LABEL_W - 6);
        hc_buf_puts(b, "\" y=\"");
        hc_buf_putu(b, y + 17);
        hc_buf_puts(b, "\" text-anchor=\"end\">");
        put_html(b, s->bar[i].label);
        hc_buf_puts(b, "</text><rect x=\"");
        hc_buf_putu(b, SVG_LABEL_W);
        hc_buf_puts(b, "\" y=\"");
        hc_buf_putu(b, y + 3);
        hc_buf_puts(b, "\" width=\"");
        hc_buf_putu(b, w);
        hc_buf_puts(b, "\" height=\"18\" class=\"bar\"/><text x=\"");
        hc_buf_putu(b, SVG_LABEL_W + w + 6);
        hc_buf_puts(b, "\" y=\"");
        hc_buf_putu(b, y + 17);
        hc_buf_puts(b, "\">");
        put_ll(b, s->bar[i].count);
        hc_buf_puts(b, "</text>\n");
    }
    hc_buf_puts(b, "</svg>\n<table><caption>");
    put_html(b, c->title[es]);
    hc_buf_puts(b, es ? "</caption><thead><tr><th scope=\"col\">Categoría</th>"
                        "<th scope=\"col\" class=\"n\">Número</th></tr></thead><tbody>\n"
                      : "</caption><thead><tr><th scope=\"col\">Category</th>"
                        "<th scope=\"col\" class=\"n\">Number</th></tr></thead><tbody>\n");
    for (i = 0; i < s->n; i++) {
        hc_buf_puts(b, "<tr><th scope=\"row\"");
        hc_buf_puts(b, lab);
        hc_buf_putc(b, '>');
        put_html(b, s->bar[i].label);
        hc_buf_puts(b, "</th><td class=\"n\">");
        put_ll(b, s->bar[i].count);
        hc_buf_puts(b, "</td></tr>\n");
    }
    if (s->n == 0)
        hc_buf_puts(b, es ? "<tr><td colspan=\"2\">Ninguna en el año.</td></tr>\n"
                          : "<tr><td colspan=\"2\">None in the year.</td></tr>\n");
    hc_buf_puts(b, "</tbody></table></section>\n");
}

static const char page_css[] =
    "body{font:16px/1.5 system-ui,sans-serif;color:#111;background:#fff;margin:0 auto;"
    "max-width:48rem;padding:1rem}"
    "h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem}"
    "svg{max-width:40rem;display:block;font-size:13px}svg text{fill:#111}"
    ".bar{fill:#1f5f8b}table{border-collapse:collapse;margin:0.5rem 0 1rem}"
    "caption{text-align:left;font-weight:600;padding:0.25rem 0}"
    "th,td{border:1px solid #767676;padding:0.2rem 0.6rem;text-align:left}.n{text-align:right}"
    "a{color:#0b4a8b}a:focus{outline:3px solid #b35c00;outline-offset:2px}"
    "nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}";

/* A link to path?year=Y&lang=L. */
static void put_link(struct hc_buf *b, const char *path, int year, const char *lang,
                     const char *text, const char *hreflang)
{
    hc_buf_puts(b, "<li><a href=\"");
    put_html(b, path);
    hc_buf_puts(b, "?year=");
    hc_buf_putu(b, (unsigned long)year);
    hc_buf_puts(b, "&amp;lang=");
    hc_buf_puts(b, lang);
    hc_buf_putc(b, '"');
    if (hreflang != NULL) {
        hc_buf_puts(b, " hreflang=\"");
        hc_buf_puts(b, hreflang);
        hc_buf_puts(b, "\" lang=\"");
        hc_buf_puts(b, hreflang);
        hc_buf_putc(b, '"');
    }
    hc_buf_putc(b, '>');
    put_html(b, text);
    hc_buf_puts(b, "</a></li>");
}

static void put_page(struct hc_buf *b, const struct transparency_query *q, int year, int es,
                     int this_year, const char *generated, json_t *const *rep,
                     const struct series *s)
{
    const char *lang = es ? "es" : "en";
    size_t i;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    hc_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    hc_buf_puts(b, lang);
    hc_buf_puts(b, "\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>");
    put_html(b, es ? "Solicitudes de inmigración: cifras de " : "Immigration requests: figures for ");
    hc_buf_puts(b, y);
    hc_buf_puts(b, "</title><style>");
    hc_buf_puts(b, page_css);
    hc_buf_puts(b, "</style></head><body><header><h1>");
    put_html(b, es ? "Solicitudes de inmigración: cifras de " : "Immigration requests: figures for ");
    hc_buf_puts(b, y);
    hc_buf_puts(b, "</h1><p>");
    put_html(b, es ? "Cifras agregadas de los registros de la agencia: cuentan solicitudes y "
                     "acciones, nunca muestran a una persona. Calculadas de los mismos registros "
                     "que los informes que exige la ley (Código de Gobierno 7283.1 y 7284.6(c)). "
                     "Generadas: "
                   : "Aggregate figures from the agency's records: they count requests and "
                     "actions and never show a person. Computed from the same records as the "
                     "reports the law requires (Gov. Code 7283.1 and 7284.6(c)). Generated: ");
    put_html(b, generated);
    hc_buf_puts(b, ".</p><nav aria-label=\"");
    put_html(b, es ? "Otras vistas" : "Other views");
    hc_buf_puts(b, "\"><ul>");
    put_link(b, q->csv_path != NULL ? q->csv_path : "/api/v1/public/transparency.csv", year, lang,
             es ? "Descargar estas cifras (CSV)" : "Download these figures (CSV)", NULL);
    if (year > 2014)
        put_link(b, q->page_path != NULL ? q->page_path : "/transparency", year - 1, lang,
                 es ? "Año anterior" : "Previous year", NULL);
    if (year < this_year)
        put_link(b, q->page_path != NULL ? q->page_path : "/transparency", year + 1, lang,
                 es ? "Año siguiente" : "Next year", NULL);
    put_link(b, q->page_path != NULL ? q->page_path : "/transparency", year, es ? "en" : "es",
             es ? "English" : "Español", es ? "en" : "es");
    hc_buf_puts(b, "</ul></nav></header><main>\n");
    for (i = 0; i < NCHARTS; i++)
        put_chart(b, &charts[i], &s[i], es);
    hc_buf_puts(b, "<h2>");
    put_html(b, es ? "Definiciones" : "Definitions");
    hc_buf_puts(b, "</h2><ul>");
    for (i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(rep[i], "definition_version"));
        const char *t = json_string_value(json_object_get(rep[i], "title"));
        hc_buf_puts(b, "<li lang=\"en\">");
        put_html(b, t != NULL ? t : "");
        hc_buf_puts(b, " (");
        put_html(b, v != NULL ? v : "");
        hc_buf_puts(b, ")</li>");
    }
    hc_buf_puts(b, "</ul></main></body></html>\n");
}

/* ---- CSV --------------------------------------------------------------------------------- */

static void put_csv(struct hc_buf *b, int year, const struct series *s)
{
    size_t i, j;
    hc_buf_puts(b, "year,chart,category,count\r\n");
    for (i = 0; i < NCHARTS; i++)
        for (j = 0; j < s[i].n; j++) {
            hc_buf_putu(b, (unsigned long)year);
            hc_buf_putc(b, ',');
            hc_csv_cell(b, charts[i].id);
            hc_buf_putc(b, ',');
            hc_csv_cell(b, s[i].bar[j].label);
            hc_buf_putc(b, ',');
            put_ll(b, s[i].bar[j].count);
            hc_buf_puts(b, "\r\n");
        }
}

/* ---- The page ----------------------------------------------------------------------------- */

/* The report kind's figures for the year, in lang when the kind is written in it (else in
 * English), as JSON. */
static int load(struct hc_store *st, const char *kind, int year, int es, json_t **out,
                struct hc_diag *d)
{
    struct report_query rq;
    char *text = NULL;
    size_t len;
    int rc;
    memset(&rq, 0, sizeof rq);
    rq.kind = kind;
    rq.year = year;
    rq.format = REPORT_JSON;
    rq.lang = es && strcmp(kind, "truth-forum") == 0 ? "es" : "en";
    if ((rc = reports_render(st, &rq, &text, &len, d)) != HC_OK)
        return rc;
    *out = json_loadb(text, len, 0, NULL);
    free(text);
    return *out != NULL ? HC_OK : HC_ENOMEM;
}

int transparency_render(struct hc_store *st, const struct transparency_query *q, char **out,
                        size_t *len, struct hc_diag *d)
{
    static const char *const kinds[3] = {"truth-forum", "doj-transfers",
                                         "releases-without-notice"};
    json_t *rep[3] = {NULL, NULL, NULL};
    struct series *s = NULL;
    struct hc_buf b;
    char today[HC_CLOCK_DATE_LEN], generated[HC_CLOCK_LOCAL_LEN];
    int es, year, this_year, rc = HC_OK;
    size_t i, k;

    *out = NULL;
    es = q->lang != NULL && strcmp(q->lang, "es") == 0;
    if (q->lang != NULL && !es && strcmp(q->lang, "en") != 0)
        return hc_diag_set(d, "lang", "expected en or es", NULL);
    hc_clock_local_date(hc_clock_now(), today);
    this_year = (int)strtol(today, NULL, 10);
    year = q->year != 0 ? q->year : this_year;
    if (year < 2014 || year > this_year)
        return hc_diag_set(d, "year", "expected a year from 2014 to this one", NULL);
    for (k = 0; k < 3 && rc == HC_OK; k++)
        rc = load(st, kinds[k], year, es, &rep[k], d);
    if (rc == HC_OK && ((s = calloc(NCHARTS, sizeof *s)) == NULL ||
                        (*out = malloc(PAGE_MAX)) == NULL))
        rc = HC_ENOMEM;
    if (rc == HC_OK) {
        for (i = 0; i < NCHARTS; i++)
            for (k = 0; k < 3; k++)
                if (strcmp(charts[i].report, kinds[k]) == 0)
                    fold(&charts[i], rep[k], year, &s[i]);
        hc_buf_init(&b, *out, PAGE_MAX);
        if (q->format == TRANSPARENCY_CSV) {
            put_csv(&b, year, s);
        } else {
            hc_clock_local(hc_clock_now(), generated);
            put_page(&b, q, year, es, this_year, generated, rep, s);
        }
        *len = b.len;
        hc_buf_cstr(&b);
        if (b.full)
            rc = HC_ENOMEM;
    }
    for (k = 0; k < 3; k++)
        json_decref(rep[k]);
    free(s);
    if (rc != HC_OK) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* SPDX-License-Identifier: MIT
 * report_pdf.c: a statutory report as PDF (report_pdf.h). The report is already built (its
 * JSON); this file says what the printed pages show, in the report's language, as a plain
 * document of src/notice/print.h, which lays it out with the notices' page flow and fonts. It
 * counts nothing: every figure, id and row is the JSON's. */
#include "report_pdf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice.h"
#include "print.h"

/* The printed page's own words, in English and Spanish. */
enum pdf_word {
    P_AGENCY, P_NOT_SET, P_REPORT, P_PERIOD, P_TO, P_VERSION, P_RULESETS, P_NONE, P_CATALOG,
    P_GENERATED, P_ANSWERS, P_FIGURES, P_GROUP, P_FIGURE, P_COUNT, P_REQUESTS, P_MANY, P_ITEMS,
    P_NO_ITEMS, P_YES, P_NO, P_PAGE, P_OF, P_REDACTION, P_REDACTIONS, P_NWORDS
};
static const char *const pdf_words[2][P_NWORDS] = {
    {"Agency", "not set (agency_name in the server's configuration)", "Report", "Period", " to ",
     "Definition version", "Rulesets of the decisions read", "none",
     "Offense catalog in use", "Generated", "The statute it answers", "Figures", "Group",
     "Figure", "Count", "Requests",
     "requests: too many to print; their ids are in this report's JSON (format=json), figure",
     "Items counted", "None in this period.", "yes", "no", "Page", "of", "Redaction",
     "Redactions"},
    {"Agencia", "no configurada (agency_name en la configuración del servidor)", "Informe",
     "Período", " a ", "Versión de la definición",
     "Conjuntos de reglas de las decisiones leídas", "ninguno", "Catálogo de delitos en uso",
     "Generado", "La ley a la que responde", "Cifras", "Grupo", "Cifra", "Número",
     "Solicitudes",
     "solicitudes: demasiadas para imprimirlas; sus números están en el JSON (format=json), cifra",
     "Elementos contados", "Ninguno en este período.", "sí", "no", "Página", "de", "Redacción",
     "Redacciones"},
};

/* Every string the document points to that is not the JSON's own: owned by one list. */
struct strings {
    char **v;
    size_t n, cap;
    int failed;
};

/* A copy of s kept in l (NULL after an allocation failed: printed empty). */
static const char *keep(struct strings *l, const char *s)
{
    char *c;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **v = realloc(l->v, cap * sizeof *v);
        if (v == NULL) {
            l->failed = 1;
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    if ((c = malloc(strlen(s) + 1)) == NULL) {
        l->failed = 1;
        return NULL;
    }
    memcpy(c, s, strlen(s) + 1);
    l->v[l->n++] = c;
    return c;
}

static void strings_release(struct strings *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A scalar JSON value as printed text: a string as it is, an integer in decimal, a boolean
 * in the report's words, null empty. */
static const char *scalar_text(struct strings *l, json_t *v, const char *const *w)
{
    char b[32];
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
        return keep(l, b);
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? w[P_YES] : w[P_NO];
    return "";
}

/* A JSON value of a row as printed text: a scalar as scalar_text, an object (one level: a cpra
 * record's fields) as its members "name: value", one a line (the CSV writes them on one line,
 * separated by "; "; in a narrow column, a line each reads better). */
static const char *value_text(struct strings *l, json_t *v, const char *const *w)
{
    const char *k, *t;
    json_t *m;
    size_t len = 0, i = 0;
    char *b, *c;
    if (!json_is_object(v))
        return scalar_text(l, v, w);
    json_object_foreach(v, k, m) {
        t = scalar_text(l, m, w);
        len += strlen(k) + strlen(t ? t : "") + 4;
    }
    if ((b = c = malloc(len + 1)) == NULL) {
        l->failed = 1;
        return NULL;
    }
    *c = '\0';
    json_object_foreach(v, k, m) {
        t = scalar_text(l, m, w);
        c += snprintf(c, len + 1 - (size_t)(c - b), "%s%s: %s", i++ ? "\n" : "", k, t ? t : "");
    }
    t = keep(l, b);
    free(b);
    return t;
}

/* A figure's request ids as "#1 #2 ...", or the note that they are too many to print. */
static const char *ids_text(struct strings *l, json_t *f, const char *const *w)
{
    json_t *ids = json_object_get(f, "request_ids"), *v;
    size_t n = json_array_size(ids), i, len = 0;
    const char *s;
    char *b;
    if (n > REPORT_PDF_MAX_IDS) {
        char note[512];
        snprintf(note, sizeof note, "%lld %s %s/%s", (long long)n, w[P_MANY], str(f, "group"),
                 str(f, "key"));
        return keep(l, note);
    }
    if ((b = malloc(n * 22 + 1)) == NULL) {
        l->failed = 1;
        return NULL;
    }
    b[0] = '\0';
    json_array_foreach(ids, i, v) {
        int k = snprintf(b + len, 22, "%s#%lld", i ? " " : "", (long long)json_integer_value(v));
        if (k > 0 && k < 22)
            len += (size_t)k;
    }
    s = keep(l, b);
    free(b);
    return s;
}

/* A list of objects as a table: the rows, a cpra bundle's redactions. */
struct rowtab {
    struct notice_print_table t;
    const char **cells, **head; /* owned arrays; the strings are the JSON's or kept */
};

/* The document of the report: its header fields, the statute, the figures, the rows. */
struct doc {
    struct notice_print_block blk[24];
    size_t n;
    struct notice_print_table figures;
    const char *fhead[4];
    const char **fcells;
    struct rowtab tab[2];
};

static void add(struct doc *doc, int type, const char *label, const char *text)
{
    if (doc->n < sizeof doc->blk / sizeof doc->blk[0]) {
        doc->blk[doc->n].type = type;
        doc->blk[doc->n].label = label;
        doc->blk[doc->n].text = text;
        doc->blk[doc->n].table = NULL;
        doc->n++;
    }
}

static void add_table(struct doc *doc, const struct notice_print_table *t)
{
    add(doc, NOTICE_PRINT_TABLE, NULL, NULL);
    doc->blk[doc->n - 1].table = t;
}

/* The header of the report: who, what, when, under which versions. */
static void header(struct doc *doc, struct strings *l, json_t *root, const char *agency,
                   const char *catalog_version, const char *const *w)
{
    json_t *period = json_object_get(root, "period"), *v;
    char line[512];
    size_t i, len = 0;

    add(doc, NOTICE_PRINT_TITLE, NULL, str(root, "title"));
    add(doc, NOTICE_PRINT_FIELD, w[P_AGENCY], agency && agency[0] ? agency : w[P_NOT_SET]);
    add(doc, NOTICE_PRINT_FIELD, w[P_REPORT], str(root, "report"));
    snprintf(line, sizeof line, "%s%s%s (%s)", str(period, "from"), w[P_TO], str(period, "to"),
             str(period, "time_zone"));
    add(doc, NOTICE_PRINT_FIELD, w[P_PERIOD], keep(l, line));
    add(doc, NOTICE_PRINT_FIELD, w[P_VERSION], str(root, "definition_version"));
    line[0] = '\0';
    json_array_foreach(json_object_get(root, "rulesets"), i, v) {
        int k = snprintf(line + len, sizeof line - len, "%s%s", i ? ", " : "",
                         json_string_value(v) ? json_string_value(v) : "");
        if (k < 0 || (size_t)k >= sizeof line - len)
            break;
        len += (size_t)k;
    }
    add(doc, NOTICE_PRINT_FIELD, w[P_RULESETS], len ? keep(l, line) : w[P_NONE]);
    if (catalog_version != NULL)
        add(doc, NOTICE_PRINT_FIELD, w[P_CATALOG], catalog_version);
    add(doc, NOTICE_PRINT_FIELD, w[P_GENERATED], str(root, "generated_at"));
    if (json_object_get(root, "redaction") != NULL)
        add(doc, NOTICE_PRINT_FIELD, w[P_REDACTION], str(root, "redaction"));
    add(doc, NOTICE_PRINT_HEADING, NULL, w[P_ANSWERS]);
    add(doc, NOTICE_PRINT_QUOTE, NULL, str(root, "answers"));
}

/* The figures' table: group, label, count, request ids. */
static int figures(struct doc *doc, struct strings *l, json_t *root, const char *const *w)
{
    static const double share[] = {0.15, 0.36, 0.1, 0.39};
    static const unsigned char right[] = {0, 0, 1, 0};
    json_t *figs = json_object_get(root, "figures"), *f;
    size_t n = json_array_size(figs), i;
    char num[32];

    doc->fhead[0] = w[P_GROUP];
    doc->fhead[1] = w[P_FIGURE];
    doc->fhead[2] = w[P_COUNT];
    doc->fhead[3] = w[P_REQUESTS];
    if ((doc->fcells = calloc(n ? n * 4 : 1, sizeof *doc->fcells)) == NULL)
        return HC_ENOMEM;
    json_array_foreach(figs, i, f) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(json_object_get(f, "count")));
        doc->fcells[i * 4] = str(f, "group");
        doc->fcells[i * 4 + 1] = str(f, "label");
        doc->fcells[i * 4 + 2] = keep(l, num);
        doc->fcells[i * 4 + 3] = ids_text(l, f, w);
    }
    doc->figures.ncols = 4;
    doc->figures.head = doc->fhead;
    doc->figures.share = share;
    doc->figures.right = right;
    doc->figures.nrows = n;
    doc->figures.cell = doc->fcells;
    add(doc, NOTICE_PRINT_HEADING, NULL, w[P_FIGURES]);
    add_table(doc, &doc->figures);
    return HC_OK;
}

/* The list of objects root[member] (the rows; a cpra bundle's redactions) under heading title
 * as table tab: one column a member of the first object, in its order (every object has the
 * same); none when the list is empty. */
static int rows(struct doc *doc, struct strings *l, json_t *root, const char *member,
                const char *title, struct rowtab *tab, const char *const *w)
{
    json_t *list = json_object_get(root, member), *first = json_array_get(list, 0), *row, *v;
    size_t n = json_array_size(list), ncols = json_object_size(first), i, c;
    const char *k;

    add(doc, NOTICE_PRINT_HEADING, NULL, title);
    if (n == 0 || ncols == 0) {
        add(doc, NOTICE_PRINT_PARA, NULL, w[P_NO_ITEMS]);
        return HC_OK;
    }
    if (ncols > NOTICE_PRINT_MAX_COLS)
        ncols = NOTICE_PRINT_MAX_COLS;
    if ((tab->head = calloc(ncols, sizeof *tab->head)) == NULL ||
        (tab->cells = calloc(n * ncols, sizeof *tab->cells)) == NULL)
        return HC_ENOMEM;
    c = 0;
    json_object_foreach(first, k, v) {
        if (c < ncols)
            tab->head[c++] = k;
    }
    json_array_foreach(list, i, row) {
        for (c = 0; c < ncols; c++)
            tab->cells[i * ncols + c] = value_text(l, json_object_get(row, tab->head[c]), w);
    }
    /* Printed with spaces for underscores ("request id"), so that a heading wraps between
     * words; the names are the JSON's. */
    for (c = 0; c < ncols; c++) {
        char name[128];
        char *u;
        snprintf(name, sizeof name, "%s", tab->head[c]);
        for (u = strchr(name, '_'); u != NULL; u = strchr(u, '_'))
            *u = ' ';
        tab->head[c] = keep(l, name);
    }
    tab->t.share = NULL; /* after the text: the layout measures it */
    tab->t.ncols = ncols;
    tab->t.head = tab->head;
    tab->t.nrows = n;
    tab->t.cell = tab->cells;
    add_table(doc, &tab->t);
    return HC_OK;
}

int report__pdf(json_t *root, const char *agency, const char *catalog_version, char **out,
                size_t *len, struct hc_diag *d)
{
    int es = strcmp(str(root, "lang"), "es") == 0;
    const char *const *w = pdf_words[es];
    struct strings l = {NULL, 0, 0, 0};
    struct doc *doc = calloc(1, sizeof *doc);
    struct notice_print p;
    char footer[256];
    char *buf = NULL;
    size_t blen = 0;
    FILE *fp = NULL;
    size_t i;
    int rc = HC_ENOMEM;

    *out = NULL;
    *len = 0;
    if (doc == NULL)
        return HC_ENOMEM;
    header(doc, &l, root, agency, catalog_version, w);
    if (figures(doc, &l, root, w) != HC_OK ||
        rows(doc, &l, root, "rows", w[P_ITEMS], &doc->tab[0], w) != HC_OK ||
        (json_object_get(root, "redactions") != NULL &&
         rows(doc, &l, root, "redactions", w[P_REDACTIONS], &doc->tab[1], w) != HC_OK) ||
        l.failed)
        goto done;
    snprintf(footer, sizeof footer, "holdcheck · %s · %s%s%s", str(root, "definition_version"), str(json_object_get(root, "period"), "from"),
             w[P_TO], str(json_object_get(root, "period"), "to"));
    memset(&p, 0, sizeof p);
    p.lang = es ? NOTICE_LANG_ES : NOTICE_LANG_EN;
    p.paper = NOTICE_PAPER_LETTER;
    p.title = str(root, "title");
    p.footer = footer;
    p.page_word = w[P_PAGE];
    p.of_word = w[P_OF];
    p.blk = doc->blk;
    p.n = doc->n;
    if ((fp = open_memstream(&buf, &blen)) == NULL)
        goto done;
    rc = notice_print_pdf(&p, fp, d);
    if (fclose(fp) != 0 && rc == HC_OK) {
        hc_diag_set(d, "", "cannot write the PDF in memory", NULL);
        rc = HC_ENOMEM;
    }
    if (rc == HC_OK) {
        *out = buf;
        *len = blen;
        buf = NULL;
    }
done:
    free(buf);
    free(doc->fcells);
    for (i = 0; i < 2; i++) {
        free(doc->tab[i].cells);
        free(doc->tab[i].head);
    }
    free(doc);
    strings_release(&l);
    return rc;
}

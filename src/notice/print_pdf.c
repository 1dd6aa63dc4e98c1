/* SPDX-License-Identifier: MIT
 * print_pdf.c: a printed document (print.h) as PDF with the shared page flow (pdf_int.h). The
 * document is laid out twice: a measuring pass counts the pages (for "Page N of M") and the
 * glyphs without a font, and only when every character has a font is it laid out again and
 * written, so a refused document writes nothing at all. */
#include "print.h"

#include <string.h>

#include "notice.h"
#include "pdf_int.h"

#define PT_TITLE 16.0
#define PT_BODY 10.0
#define PT_HEADING 12.5
#define PT_CELL 8.5
#define CELL_PAD 3.0

/* The left edge of each column of t (x[ncols]: the right edge of the last). */
static void columns(const struct notice__pdf *p, const struct notice_print_table *t, double *x)
{
    double total = p->w - 2 * p->margin;
    size_t i;
    x[0] = p->margin;
    for (i = 0; i < t->ncols; i++)
        x[i + 1] = x[i] + total * (t->share ? t->share[i] : 1.0 / (double)t->ncols);
}

/* One row of cells (bold for the headings) at p->y: returns its height. Draws only when draw
 * is set (a heading is measured before it is placed). */
static double row(struct notice__pdf *p, const struct notice_print_table *t, const double *x,
                  const char *const *cells, int bold, int draw)
{
    PangoLayout *l[NOTICE_PRINT_MAX_COLS];
    double h = 0;
    size_t i;
    for (i = 0; i < t->ncols; i++) {
        double ch;
        l[i] = notice__pdf_layout(p, cells[i] ? cells[i] : "", PT_CELL, bold,
                                  x[i + 1] - x[i] - 2 * CELL_PAD);
        if (t->right != NULL && t->right[i])
            pango_layout_set_alignment(l[i], PANGO_ALIGN_RIGHT);
        ch = notice__pdf_height(l[i]);
        if (ch > h)
            h = ch;
    }
    h += 2 * CELL_PAD;
    if (draw && !notice__pdf_fits(p, h) && p->y > p->margin + 1)
        draw = 0; /* the caller breaks the page first */
    for (i = 0; i < t->ncols; i++) {
        if (draw) {
            if (bold && i == 0)
                notice__pdf_rect(p, x[0], p->y, x[t->ncols] - x[0], h, 1, 0.88);
            notice__pdf_draw(p, l[i], x[i] + CELL_PAD, p->y + CELL_PAD);
        }
        g_object_unref(l[i]);
    }
    if (draw)
        notice__pdf_hline(p, x[0], x[t->ncols], p->y + h, bold ? 0.8 : 0.3);
    return draw ? h : -h;
}

/* The column headings at p->y, then p->y below them. */
static void heading_row(struct notice__pdf *p, const struct notice_print_table *t,
                        const double *x)
{
    double h = row(p, t, x, t->head, 1, 1);
    if (h < 0) { /* does not fit: on the next page */
        notice__pdf_break(p);
        h = row(p, t, x, t->head, 1, 1);
        if (h < 0)
            h = -h;
    }
    p->y += h;
}

static void table(struct notice__pdf *p, const struct notice_print_table *t)
{
    double x[NOTICE_PRINT_MAX_COLS + 1], hh, h;
    size_t r;

    columns(p, t, x);
    /* Keep the headings with the first row. */
    hh = -row(p, t, x, t->head, 1, 0);
    h = t->nrows ? -row(p, t, x, t->cell, 0, 0) : 0;
    notice__pdf_room(p, hh + h);
    heading_row(p, t, x);
    for (r = 0; r < t->nrows; r++) {
        const char *const *cells = t->cell + r * t->ncols;
        h = row(p, t, x, cells, 0, 1);
        if (h < 0) { /* the rest on the next page, under the headings again */
            notice__pdf_break(p);
            heading_row(p, t, x);
            h = row(p, t, x, cells, 0, 1);
            if (h < 0)
                h = -h; /* taller than a page: drawn from the top, over the foot */
        }
        p->y += h;
    }
    p->y += 10;
}

static void field(struct notice__pdf *p, const struct notice_print_block *k)
{
    double col = (p->w - 2 * p->margin) * 0.34, width = p->w - 2 * p->margin - col;
    PangoLayout *lab = notice__pdf_layout(p, k->label ? k->label : "", PT_BODY, 1, col - 8);
    PangoLayout *val = notice__pdf_layout(p, k->text ? k->text : "", PT_BODY, 0, width);
    double hl = notice__pdf_height(lab), hv = notice__pdf_height(val), h = hl > hv ? hl : hv;

    notice__pdf_room(p, h);
    notice__pdf_draw(p, lab, p->margin, p->y);
    notice__pdf_draw(p, val, p->margin + col, p->y);
    p->y += h + 2;
    g_object_unref(lab);
    g_object_unref(val);
}

static void blocks(struct notice__pdf *p, const struct notice_print *doc)
{
    size_t i;
    for (i = 0; i < doc->n; i++) {
        const struct notice_print_block *k = &doc->blk[i];
        const char *text = k->text ? k->text : "";
        switch (k->type) {
        case NOTICE_PRINT_TITLE: notice__pdf_text(p, text, PT_TITLE, 1, 0, 8); break;
        case NOTICE_PRINT_FIELD:
            field(p, k);
            if (i + 1 < doc->n && doc->blk[i + 1].type != NOTICE_PRINT_FIELD)
                p->y += 8;
            break;
        case NOTICE_PRINT_QUOTE: notice__pdf_text(p, text, PT_BODY, 0, 10, 8); break;
        case NOTICE_PRINT_HEADING:
            p->y += 6;
            notice__pdf_room(p, 60); /* keep a heading with what follows it */
            notice__pdf_text(p, text, PT_HEADING, 1, 0, 5);
            break;
        case NOTICE_PRINT_PARA: notice__pdf_text(p, text, PT_BODY, 0, 0, 6); break;
        case NOTICE_PRINT_TABLE: table(p, k->table); break;
        default: break;
        }
    }
}

/* Check what the flow cannot: the language, the paper, each table's columns. */
static int doc_check(const struct notice_print *doc, struct hc_diag *d)
{
    size_t i;
    if (notice_lang_info(doc->lang) == NULL)
        return hc_diag_set(d, "lang", "unknown language", NULL);
    if (doc->paper != NOTICE_PAPER_LETTER && doc->paper != NOTICE_PAPER_A4)
        return hc_diag_set(d, "paper", "expected letter or a4", NULL);
    for (i = 0; i < doc->n; i++) {
        const struct notice_print_table *t = doc->blk[i].table;
        if (doc->blk[i].type == NOTICE_PRINT_TABLE &&
            (t == NULL || t->ncols == 0 || t->ncols > NOTICE_PRINT_MAX_COLS || t->head == NULL ||
             (t->nrows > 0 && t->cell == NULL)))
            return hc_diag_set(d, "table", "a table needs 1 to 16 columns, their headings and "
                                            "its cells", NULL);
    }
    return HC_OK;
}

int notice_print_pdf(const struct notice_print *doc, FILE *out, struct hc_diag *d)
{
    struct notice__pdf p;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = doc_check(doc, d)) != HC_OK)
        return rc;
    p.footer = doc->footer ? doc->footer : "";
    p.page_word = doc->page_word;
    p.of_word = doc->of_word;
    if ((rc = notice__pdf_open(&p, doc->paper, doc->lang, doc->title ? doc->title : "", out, d)) ==
        HC_OK) {
        notice__pdf_pass(&p, 1);
        blocks(&p, doc);
        p.pages = p.page;
        /* A character without a font: refused now, before a page is written. */
        if (p.missing_glyphs == 0) {
            notice__pdf_pass(&p, 0);
            blocks(&p, doc);
        }
    }
    return notice__pdf_close(&p, rc, d);
}

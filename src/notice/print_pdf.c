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

/* The longest word of s (bytes between spaces; a UTF-8 letter of two bytes counts two, which
 * errs on the wide side). */
static size_t longest_word(const char *s)
{
    size_t most = 0, n;
    while (s != NULL && *s != '\0') {
        n = strcspn(s, " ");
        if (n > most)
            most = n;
        s += n;
        s += strspn(s, " ");
    }
    return most;
}

/* The shares of t's columns when it gives none, after their text, in characters: each column
 * at least its longest word (up to 16 characters, so no word is broken that need not be), then
 * what is left of the width shared after each column's longest text (up to 40: past it, a
 * cell wraps anyway). avail is how many characters of the cells' type fit across the page. */
static void auto_shares(const struct notice_print_table *t, double avail, double *share)
{
    double lo[NOTICE_PRINT_MAX_COLS], hi[NOTICE_PRINT_MAX_COLS], slo = 0, shi = 0;
    size_t c, r;
    for (c = 0; c < t->ncols; c++) {
        size_t word = longest_word(t->head[c]), text = 0;
        for (r = 0; r < t->nrows; r++) {
            const char *s = t->cell[r * t->ncols + c];
            size_t w = longest_word(s), n = s ? strlen(s) : 0;
            if (w > word)
                word = w;
            if (n > text)
                text = n;
        }
        lo[c] = (double)(word < 3 ? 3 : word > 16 ? 16 : word) + 1.5; /* and the padding */
        hi[c] = (double)(text > 40 ? 40 : text) + 1.5;
        if (hi[c] < lo[c])
            hi[c] = lo[c];
        slo += lo[c];
        shi += hi[c];
    }
    for (c = 0; c < t->ncols; c++) {
        if (shi <= avail)
            share[c] = hi[c] / shi;
        else if (slo >= avail)
            share[c] = lo[c] / slo;
        else
            share[c] = (lo[c] + (hi[c] - lo[c]) * (avail - slo) / (shi - slo)) / avail;
    }
}

/* The left edge of each column of t (x[ncols]: the right edge of the last). */
static void columns(const struct notice__pdf *p, const struct notice_print_table *t, double *x)
{
    double total = p->w - 2 * p->margin, share[NOTICE_PRINT_MAX_COLS];
    size_t i;
    if (t->share == NULL)
        auto_shares(t, total / (PT_CELL * 0.48), share); /* Noto Sans: about 0.48 em a character */
    x[0] = p->margin;
    for (i = 0; i < t->ncols; i++)
        x[i + 1] = x[i] + total * (t->share ? t->share[i] : share[i]);
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

/* The height of t's column headings and first row: what must fit on a page to begin t. */
static double table_lead(struct notice__pdf *p, const struct notice_print_table *t)
{
    double x[NOTICE_PRINT_MAX_COLS + 1];
    columns(p, t, x);
    return -row(p, t, x, t->head, 1, 0) - (t->nrows ? row(p, t, x, t->cell, 0, 0) : 0);
}

/* A row too tall for a page, from p->y down, line by line: what does not fit goes on the next
 * page (under the headings again), each cell going on from the line it stopped at. */
static void split_row(struct notice__pdf *p, const struct notice_print_table *t, const double *x,
                      const char *const *cells)
{
    PangoLayout *l[NOTICE_PRINT_MAX_COLS];
    PangoLayoutIter *it[NOTICE_PRINT_MAX_COLS];
    int done[NOTICE_PRINT_MAX_COLS];
    double used = 0; /* how far down the cells' layouts the pages before have printed */
    size_t i, pages = 0;

    for (i = 0; i < t->ncols; i++) {
        l[i] = notice__pdf_layout(p, cells[i] ? cells[i] : "", PT_CELL, 0,
                                  x[i + 1] - x[i] - 2 * CELL_PAD);
        if (t->right != NULL && t->right[i])
            pango_layout_set_alignment(l[i], PANGO_ALIGN_RIGHT);
        it[i] = pango_layout_get_iter(l[i]);
        done[i] = 0;
    }
    for (;;) {
        double top = p->y + CELL_PAD, room = p->h - p->margin - top - CELL_PAD, bottom = 0;
        double next = -1;
        for (i = 0; i < t->ncols; i++) {
            while (!done[i]) {
                PangoRectangle lr;
                double ly, lh;
                pango_layout_iter_get_line_extents(it[i], NULL, &lr);
                ly = (double)lr.y / PANGO_SCALE - used;
                lh = (double)lr.height / PANGO_SCALE;
                if (ly + lh > room && pages < 10000) { /* on the next page */
                    if (next < 0 || ly < next)
                        next = ly;
                    break;
                }
                notice__pdf_draw_line(p, pango_layout_iter_get_line_readonly(it[i]),
                                      x[i] + CELL_PAD + (double)lr.x / PANGO_SCALE,
                                      top + (double)pango_layout_iter_get_baseline(it[i]) /
                                                PANGO_SCALE - used);
                if (ly + lh > bottom)
                    bottom = ly + lh;
                done[i] = !pango_layout_iter_next_line(it[i]);
            }
        }
        if (next < 0) {
            p->y = top + bottom + CELL_PAD;
            notice__pdf_hline(p, x[0], x[t->ncols], p->y, 0.3);
            break;
        }
        used += next;
        pages++;
        notice__pdf_break(p);
        heading_row(p, t, x);
    }
    for (i = 0; i < t->ncols; i++) {
        pango_layout_iter_free(it[i]);
        g_object_unref(l[i]);
    }
}

static void table(struct notice__pdf *p, const struct notice_print_table *t)
{
    double x[NOTICE_PRINT_MAX_COLS + 1], h, hh, page;
    size_t r;

    columns(p, t, x);
    hh = -row(p, t, x, t->head, 1, 0);
    page = p->h - 2 * p->margin - hh; /* what a row may take on a page of its own */
    notice__pdf_room(p, table_lead(p, t)); /* the headings with the first row */
    heading_row(p, t, x);
    for (r = 0; r < t->nrows; r++) {
        const char *const *cells = t->cell + r * t->ncols;
        h = row(p, t, x, cells, 0, 1);
        if (h < 0 && -h > page) {
            split_row(p, t, x, cells); /* taller than a page: from here, over the pages */
            continue;
        }
        if (h < 0) { /* the rest on the next page, under the headings again */
            notice__pdf_break(p);
            heading_row(p, t, x);
            h = row(p, t, x, cells, 0, 1); /* at the top of a page it fits: drawn */
            if (h < 0)
                h = -h;
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
            /* Keep a heading with what follows it: a table's headings and first row, or a
             * few lines. */
            notice__pdf_room(p, i + 1 < doc->n && doc->blk[i + 1].type == NOTICE_PRINT_TABLE
                                    ? 30 + table_lead(p, doc->blk[i + 1].table)
                                    : 60);
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
